import Foundation
import Testing
@testable import KernelCore
import KernelTestSupport

// "Reliability" part 2: capability confinement under random sequences of Copy, Mint, Mutate,
// Move, transfer over IPC, Delete and Revoke made by threads in four separate CSpaces. After
// every step the test checks, against a walk of the CSpaces before the step:
//  - authority: a thread changes only slots of CNodes reachable from its CSpace and every new
//    cap names an object it could already reach (an IPC receiver only gets objects the sender
//    could reach); Revoke may also empty descendants of the revoked cap elsewhere (CNODE-9);
//  - rights never grow through Copy/Mint (CNODE-3/4, maskCapRights), Mutate/Move (CNODE-5/6) or
//    transfer (XFER-7: the sender's cap's rights, unmasked but never more);
//  - badges: once set they never change or disappear (CNODE-3 "badges can never be changed or
//    removed", CNODE-6: Mutate of EP/ntfn caps fails); a badged (object, badge) pair exists
//    only if it existed before or was minted from an unbadged cap in this step;
//  - a cap crosses an endpoint only if the sender's cap has Grant; GrantReply alone transfers
//    nothing (XFER-3);
//  - unwrapping reveals only badges of caps to the endpoint the message travels on (XFER-5);
//  - once the last cap to an endpoint/notification is deleted no slot in any CNode names it
//    again and no thread is blocked on it (CNODE-8).

struct ConfinementCapView: Equatable {
    var type: CapType, object: Word, rights: Word, badge: Word
    init(_ c: Capability) {
        type = c.type; object = c.address
        rights = (c.type == .endpoint || c.type == .notification) ? c.rights.rawValue : 0
        badge = (c.type == .endpoint || c.type == .notification) ? c.badge : 0
    }
    var isNull: Bool { type == .null }
}

@Suite struct ConfinementTests {
    static let spaces = 4
    static let radix = 6
    static let slots = 1 << radix

    final class World {
        let sys = TestSystem(memoryBytes: 16 << 20)
        var cnodeSlots: [Word] = []      // root slots of each space's CNode cap
        var cnodeAddresses: [Word] = []
        var threads: [KernelCore.Thread] = []
        var objects: [Word] = []         // endpoint and notification addresses
        var endpoints: Set<Word> = []
        var dead: Set<Word> = []
        var rng: SplitMix64
        var log: [String] = []

        init(seed: UInt64) {
            rng = SplitMix64(state: seed)
            sys.checksInvariantsAfterSyscalls = false
            let all = CapRights.all.rawValue
            for _ in 0..<ConfinementTests.spaces {
                let cn = sys.make(ObjectType.cnode, size: Word(ConfinementTests.radix))
                sys.cnodeInvoke(.cnodeCopy, [1, Word(ConfinementTests.radix), cn, 64, all], cnode: cn)
                cnodeSlots.append(cn)
                cnodeAddresses.append(sys.capability(at: cn).address)
                threads.append(sys.spawn(cspaceRoot: cn, cspaceData: Word(64 - ConfinementTests.radix)).thread)
            }
            var originals: [Word] = []
            for _ in 0..<3 { originals.append(sys.make(ObjectType.endpoint)) }
            for _ in 0..<2 { originals.append(sys.make(ObjectType.notification)) }
            objects = originals.map { sys.capability(at: $0).address }
            endpoints = Set(originals.prefix(3).map { sys.capability(at: $0).address })
            // Each space gets 6 caps: random objects, rights and (half the time) badges.
            for s in 0..<ConfinementTests.spaces {
                for k in 0..<6 {
                    let src = originals[rng.below(originals.count)]
                    let rights = rng.next() & 0xF
                    let badge: Word = rng.chance(50) ? 0 : Word(1 + rng.below(1000))
                    let r = sys.cnodeInvoke(.cnodeMint, [Word(2 + k), Word(ConfinementTests.radix), src, 64, rights, badge], cnode: cnodeSlots[s])
                    precondition(r.info.label == 0, "setup mint: \(r)")
                }
            }
            // The root gives up its own caps to the objects: only the spaces hold them now.
            for o in originals { sys.deleteSlot(o) }
            sys.checkInvariantsNow("setup")
        }

        func cap(_ space: Int, _ slot: Int) -> ConfinementCapView {
            ConfinementCapView(sys.capability(atSlotAddress: cnodeAddresses[space] + Word(slot) * 32))
        }
        func allCaps() -> [[ConfinementCapView]] {
            (0..<ConfinementTests.spaces).map { s in (0..<ConfinementTests.slots).map { cap(s, $0) } }
        }

        /// CNodes and objects reachable from a thread's CSpace root (walking nested CNode caps).
        func reach(_ t: KernelCore.Thread) -> (cnodes: Set<Word>, objects: Set<Word>) {
            var cnodes: Set<Word> = [], objects: Set<Word> = []
            var work: [Capability] = [t.slot(.cspace).cap]
            while let c = work.popLast() {
                guard c.type == .cnode, !cnodes.contains(c.address) else { continue }
                cnodes.insert(c.address)
                for i in 0..<(1 << c.cnodeRadix) {
                    let inner = sys.capability(atSlotAddress: c.address + Word(i) * 32)
                    if inner.type == .cnode { work.append(inner) } else if !inner.isNull { objects.insert(inner.address) }
                }
            }
            return (cnodes, objects.union(cnodes))
        }

        func invoke(_ space: Int, _ label: InvocationLabel, _ args: [Word]) -> Word {
            sys.invoke(1, label: label, args: args, extraCaps: [1], by: threads[space]).info.label
        }
    }

    static var seeds: [UInt64] {
        if let s = ProcessInfo.processInfo.environment["SWIFTL4_CONFINEMENT_SEED"], let v = UInt64(s) { return [v] }
        return [0x5EED_0001, 0xC0FF_EE02, 0xFACE_0003]
    }

    @Test(arguments: seeds)
    func randomCapabilityOperationsStayConfined(seed: UInt64) {
        print("ConfinementTests seed \(String(seed, radix: 16)) (set SWIFTL4_CONFINEMENT_SEED=\(seed) to replay)")
        let w = World(seed: seed)
        let n = ConfinementTests.spaces, radix = Word(ConfinementTests.radix)
        var counts = [String: Int]()
        var failures = 0
        func fail(_ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
            failures += 1
            if failures <= 20 { Issue.record("seed \(seed) step \(w.log.count): \(message)\nlast steps: \(w.log.suffix(5))", sourceLocation: sourceLocation) }
        }
        let steps = 2000
        for _ in 0..<steps {
            guard failures == 0 else { break }
            let before = w.allCaps()
            let badgedBefore = Set(before.joined().filter { $0.badge != 0 }.map { "\($0.object):\($0.badge)" })
            let actor = w.rng.below(n)
            let reachBefore = (0..<n).map { w.reach(w.threads[$0]) }
            let src = 2 + w.rng.below(ConfinementTests.slots - 2)
            let dest = 2 + w.rng.below(ConfinementTests.slots - 2)
            let rights = w.rng.next() & 0xF
            let data: Word = w.rng.chance(30) ? 0 : Word(1 + w.rng.below(1000))
            var mintedPair: String? = nil
            var ipc: (sender: Int, receiver: Int)? = nil
            var revokedObject: Word? = nil
            let op = w.rng.below(100)
            var name = ""
            switch op {
            case 0..<18:
                name = "copy"
                let e = w.invoke(actor, .cnodeCopy, [Word(dest), radix, Word(src), radix, rights])
                let s = before[actor][src], d = w.cap(actor, dest)
                if e == 0 {
                    if d.object != s.object || d.type != s.type { fail("copy changed the object: \(s) -> \(d)") }
                    if d.rights & ~s.rights != 0 || d.rights & ~rights != 0 { fail("copy grew rights: \(s) rights \(rights) -> \(d)") }
                    if d.badge != s.badge { fail("copy changed the badge: \(s) -> \(d)") }
                }
            case 18..<38:
                name = "mint"
                let e = w.invoke(actor, .cnodeMint, [Word(dest), radix, Word(src), radix, rights, data])
                let s = before[actor][src], d = w.cap(actor, dest)
                if (s.type == .endpoint || s.type == .notification) && s.badge != 0 && before[actor][dest].isNull {
                    if e != ErrorCode.illegalOperation.rawValue { fail("mint from badged cap \(s) gave \(e) (CNODE-3)") }
                }
                if e == 0 {
                    if d.object != s.object || d.type != s.type { fail("mint changed the object: \(s) -> \(d)") }
                    if d.rights & ~s.rights != 0 || d.rights & ~rights != 0 { fail("mint grew rights: \(s) rights \(rights) -> \(d)") }
                    if s.type == .endpoint || s.type == .notification {
                        if d.badge != data { fail("mint of unbadged \(s) with \(data) gave \(d)") }
                        if data != 0 { mintedPair = "\(d.object):\(d.badge)" }
                    }
                }
            case 38..<46:
                name = "mutate"
                let e = w.invoke(actor, .cnodeMutate, [Word(dest), radix, Word(src), radix, data])
                let s = before[actor][src]
                if (s.type == .endpoint || s.type == .notification) && before[actor][dest].isNull && e != ErrorCode.illegalOperation.rawValue {
                    fail("mutate of \(s) gave \(e) (CNODE-6)")
                }
                if e == 0 && s.type != .cnode && w.cap(actor, dest) != s { fail("mutate changed \(s) into \(w.cap(actor, dest))") }
            case 46..<56:
                name = "move"
                let e = w.invoke(actor, .cnodeMove, [Word(dest), radix, Word(src), radix])
                if e == 0 && (w.cap(actor, dest) != before[actor][src] || !w.cap(actor, src).isNull) {
                    fail("move: \(before[actor][src]) -> \(w.cap(actor, dest))")
                }
            case 56..<66:
                name = "delete"
                let e = w.invoke(actor, .cnodeDelete, [Word(dest), radix])
                if e != 0 || !w.cap(actor, dest).isNull { fail("delete gave \(e), slot \(w.cap(actor, dest))") }
            case 66..<72:
                name = "revoke"
                revokedObject = before[actor][dest].object
                let e = w.invoke(actor, .cnodeRevoke, [Word(dest), radix])
                if e != 0 || w.cap(actor, dest) != before[actor][dest] { fail("revoke gave \(e) or changed the cap itself") }
            default:
                name = "transfer"
                // Sender s and receiver r (another space) hold caps to one endpoint E: s's with
                // Write, r's with Read. r waits with a receive slot; s sends 1..3 caps.
                let sIdx = actor
                let rIdx = (actor + 1 + w.rng.below(n - 1)) % n
                var pairs: [(Int, Int)] = []
                for a in 2..<ConfinementTests.slots where before[sIdx][a].type == .endpoint && before[sIdx][a].rights & CapRights.write.rawValue != 0 {
                    for b in 2..<ConfinementTests.slots where before[rIdx][b].type == .endpoint && before[rIdx][b].object == before[sIdx][a].object
                        && before[rIdx][b].rights & CapRights.read.rawValue != 0 {
                        pairs.append((a, b))
                    }
                }
                let emptySlots = (2..<ConfinementTests.slots).filter { before[rIdx][$0].isNull }
                guard !pairs.isEmpty, let recvSlot = emptySlots.isEmpty ? nil : emptySlots[w.rng.below(emptySlots.count)] else {
                    name = "transfer-skipped"; break
                }
                let (sCap, rCap) = pairs[w.rng.below(pairs.count)]
                let E = before[sIdx][sCap].object
                let count = 1 + w.rng.below(3)
                let sent = (0..<count).map { _ in 1 + w.rng.below(ConfinementTests.slots - 1) }
                let sender = w.threads[sIdx], receiver = w.threads[rIdx]
                w.sys.setCapReceivePath(of: receiver, cnode: 1, index: Word(recvSlot), depth: radix)
                w.sys.syscall(.recv, by: receiver, cap: Word(rCap))
                if receiver.state != .blockedOnReceive { fail("receiver did not block: \(receiver.state)"); break }
                let caps = w.sys.bufferWords(of: receiver)!
                for i in 0..<3 { caps[Constants.ipcBufferCapsOrBadges + i] = 0xDEAD }
                w.sys.syscall(.send, by: sender, cap: Word(sCap), info: MessageInfo(label: 0x77, extraCaps: Word(count), length: 1),
                              mrs: [Word(w.log.count)], extraCaps: sent.map(Word.init))
                if receiver.state != .running || sender.state != .running { fail("transfer left \(sender.state)/\(receiver.state)"); break }
                let got = w.sys.registers(of: receiver)
                if got.badge != before[sIdx][sCap].badge { fail("receiver badge \(got.badge), sender's cap \(before[sIdx][sCap])") }
                let grant = before[sIdx][sCap].rights & CapRights.grant.rawValue != 0
                if !grant && (got.info.extraCaps != 0 || !w.cap(rIdx, recvSlot).isNull) {
                    fail("cap crossed without Grant (sender cap \(before[sIdx][sCap])): \(got), slot \(w.cap(rIdx, recvSlot))")
                }
                var slotUsed = false
                for i in 0..<Int(got.info.extraCaps) {
                    let c = before[sIdx][sent[i]]
                    if got.info.capsUnwrapped & (1 << Word(i)) != 0 {
                        if c.type != .endpoint || c.object != E { fail("unwrapped cap \(i) \(c) does not name the endpoint \(E)") }
                        if caps[Constants.ipcBufferCapsOrBadges + i] != c.badge { fail("unwrapped badge \(caps[Constants.ipcBufferCapsOrBadges + i]) != \(c.badge)") }
                    } else {
                        if c.type == .endpoint && c.object == E { fail("cap to the endpoint itself was not unwrapped (XFER-5)") }
                        if slotUsed { fail("two caps received in one message (XFER-6)") }
                        slotUsed = true
                        let d = w.cap(rIdx, recvSlot)
                        if d.type != c.type || d.object != c.object || d.badge != c.badge || d.rights != c.rights {
                            fail("transferred cap \(d) differs from the sender's \(c) (XFER-7)")
                        }
                    }
                }
                if !slotUsed && !w.cap(rIdx, recvSlot).isNull { fail("receive slot filled but not reported") }
                for i in Int(got.info.extraCaps)..<3 where got.info.capsUnwrapped & (1 << Word(i)) != 0 { fail("unwrap bit beyond extraCaps") }
                ipc = (sIdx, rIdx)
            }
            counts[name, default: 0] += 1
            w.log.append("\(name) by t\(actor) src \(src) dest \(dest) rights \(rights) data \(data)")
            // Authority: which slots changed, and what appeared in them.
            let after = w.allCaps()
            let allowedCNodes = ipc.map { reachBefore[$0.receiver].cnodes } ?? reachBefore[actor].cnodes
            let allowedObjects = ipc.map { reachBefore[$0.sender].objects.union(reachBefore[$0.receiver].objects) } ?? reachBefore[actor].objects
            for s in 0..<n {
                for i in 0..<ConfinementTests.slots where after[s][i] != before[s][i] {
                    let inReach = allowedCNodes.contains(w.cnodeAddresses[s])
                    let revokedChild = revokedObject != nil && after[s][i].isNull && before[s][i].object == revokedObject
                    if !inReach && !revokedChild { fail("\(name) by t\(actor) changed space \(s) slot \(i): \(before[s][i]) -> \(after[s][i])") }
                    if !after[s][i].isNull && !allowedObjects.contains(after[s][i].object) {
                        fail("\(name) by t\(actor) made a cap to an unreachable object in space \(s) slot \(i): \(after[s][i])")
                    }
                }
            }
            // Badges: no new (object, badge) pair except the one just minted.
            for c in after.joined() where c.badge != 0 {
                let key = "\(c.object):\(c.badge)"
                if !badgedBefore.contains(key) && key != mintedPair { fail("badge appeared: \(c)") }
            }
            // Rights on every surviving cap never exceed the initial all-rights, and per object
            // the set of rights present never grows beyond the union before (no amplification).
            var rightsBefore = [Word: Word](), rightsAfter = [Word: Word]()
            for c in before.joined() where !c.isNull { rightsBefore[c.object, default: 0] |= c.rights }
            for c in after.joined() where !c.isNull { rightsAfter[c.object, default: 0] |= c.rights }
            for (o, r) in rightsAfter where r & ~(rightsBefore[o] ?? 0) != 0 { fail("rights on \(o) grew from \(rightsBefore[o] ?? 0) to \(r)") }
            // Dead objects stay dead; nothing blocks on them.
            var named = Set<Word>()
            for c in after.joined() where !c.isNull { named.insert(c.object) }
            for i in 0..<(1 << 10) {
                let c = w.sys.capability(at: Word(i))
                if !c.isNull { named.insert(c.address) }
            }
            for o in w.objects where !named.contains(o) { w.dead.insert(o) }
            for o in w.dead where named.contains(o) { fail("deleted object \(o) is named again") }
            for t in w.threads where w.dead.contains(t.blockingObject) && (t.state == .blockedOnSend || t.state == .blockedOnReceive) {
                fail("thread blocked on dead object")
            }
            for t in w.threads where t.state != .running && t.state != .restart { fail("thread left \(t.state)") }
            w.sys.checkInvariantsNow("step \(w.log.count)")
            if !w.sys.invariantFailures.isEmpty { fail("\(w.sys.invariantFailures)") }
        }
        print("ConfinementTests seed \(String(seed, radix: 16)): \(w.log.count) steps \(counts.sorted { $0.key < $1.key }) dead objects \(w.dead.count)")
        #expect(failures == 0)
        #expect(w.log.count == steps)
        #expect((counts["transfer"] ?? 0) > 20, "too few transfers: \(counts)")
    }
}
