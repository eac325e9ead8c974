import Testing
@testable import KernelCore
import KernelTestSupport

// "Reliability" part 1: the bad-input table. Each row is one system call or invocation made
// with one class of bad argument, the exact outcome seL4 specifies (error reply with its detail
// words, a fault message to the fault handler, or silence), and the clause that says so. Every
// row runs in a fresh fixture; the test checks the outcome AND that nothing else changed: every
// root-CNode slot (caps, CDT links, flags), the other CNode, the endpoint and notification
// objects, and every fixture thread's state, priorities, buffer, fault handler and TCB slots.

/// What a bad input must produce.
enum BadInputOutcome: Equatable, CustomStringConvertible, Sendable {
    /// The Call gets a kernel reply: label = code, exactly these words, badge 0 (ERR-2).
    case reply(ErrorCode, [Word])
    /// The caller faults: its handler receives this label and message (FAULT-2..4) with the
    /// handler cap's badge, and the caller waits BlockedOnReply.
    case fault(label: Word, words: [Word])
    /// A fault whose message is a register dump: label, length and some words by index.
    case faultDump(label: Word, length: Word, at: [Int: Word])
    /// Nothing happens at all and the caller keeps running with its registers as they were.
    case silent

    var description: String {
        switch self {
        case .reply(let code, let words): "reply \(code) \(words)"
        case .fault(let label, let words): "fault label \(label) \(words)"
        case .faultDump(let label, let length, let at): "fault label \(label) len \(length) \(at)"
        case .silent: "silent"
        }
    }
}

/// Everything a row works with. The actor makes the bad call; it shares the root CSpace and
/// has a fault handler (badge 0x99) waiting on `faultEP`.
final class BadInputFixture {
    let sys = TestSystem(deviceBytes: 1 << 16)
    let root = Word(InitialSlot.cnode)
    let rootTCB = Word(InitialSlot.thread)
    let bad = ipcBadCPtr                      // guard mismatch: bitsLeft 64, guard 0, bitsFound 54
    let ep, epR, epW, epBadged, ntfn, ntfnR, ntfnW, ntfn2, empty, frame, ut, devUt, cnode2: Word
    let frameAddress: Word
    let faultEP, handlerCap: Word
    let handler: Thread
    let actorSlot: Word, actor: Thread
    let targetSlot: Word, target: Thread
    let boundSlot: Word, bound: Thread
    /// A window of root slots that are empty (for Retype destinations).
    let freeBase: Word

    init() {
        ep = sys.make(ObjectType.endpoint)
        epR = sys.mint(ep, rights: [.read], badge: 0).slot
        epW = sys.mint(ep, rights: [.write], badge: 0).slot
        epBadged = sys.mint(ep, badge: 7).slot
        ntfn = sys.make(ObjectType.notification)
        ntfnR = sys.mint(ntfn, rights: [.read], badge: 0).slot
        ntfnW = sys.mint(ntfn, rights: [.write], badge: 0).slot
        ntfn2 = sys.make(ObjectType.notification)
        empty = sys.allocateSlot()
        frame = sys.make(ObjectType.smallPage)
        frameAddress = sys.capability(at: frame).address
        ut = sys.make(ObjectType.untyped, size: 16)
        devUt = sys.deviceUntypedSlots[0]
        cnode2 = sys.make(ObjectType.cnode, size: 4)
        faultEP = sys.make(ObjectType.endpoint)
        handlerCap = sys.mint(faultEP, rights: [.write, .grant], badge: 0x99).slot
        handler = sys.spawn(name: "handler").thread
        (targetSlot, target) = sys.spawn(name: "target")
        sys.suspendThread(targetSlot)
        (boundSlot, bound) = sys.spawn(name: "bound")
        sys.bindNotification(boundSlot, ntfn2)
        sys.suspendThread(boundSlot)
        (actorSlot, actor) = sys.spawn(faultHandler: handlerCap, name: "actor")
        sys.syscall(.recv, by: handler, cap: faultEP)
        freeBase = sys.nextFreeSlot + 16
    }

    /// A Call invocation by the actor.
    func call(_ cap: Word, _ label: InvocationLabel, _ args: [Word], _ caps: [Word] = []) {
        sys.invoke(cap, label: label, args: args, extraCaps: caps, by: actor)
    }
    func call(_ cap: Word, rawLabel: Word, _ args: [Word], _ caps: [Word] = []) {
        sys.invoke(cap, label: rawLabel, args: args, extraCaps: caps, by: actor)
    }
    /// A raw system call by the actor.
    func sc(_ call: Syscall, _ cap: Word, label: Word = 0x1234, length: Word = 0, mrs: [Word] = [], caps: [Word] = []) {
        sys.syscall(call, by: actor, cap: cap, info: MessageInfo(label: label, extraCaps: Word(caps.count), length: length),
                    mrs: mrs, extraCaps: caps)
    }
    /// The CapFault message (FAULT-4) for `cptr`, with lookup-failure words (LOOKUP-6).
    func capFault(_ cptr: Word, recv: Bool, _ lookup: [Word]) -> BadInputOutcome {
        .fault(label: 1, words: [TestSystem.syscallAddress, cptr, recv ? 1 : 0] + lookup)
    }
    var guardMismatch: [Word] { [4, 64, 0, 54] }
    var missingCap0: [Word] { [2, 0] }

    struct ThreadView: Equatable {
        var state: ThreadState, priority: Int, mcp: Int, buffer: Word, faultHandler: Word, bound: Word
        var slots: [Word]
    }
    func view(_ t: Thread) -> ThreadView {
        ThreadView(state: t.state, priority: t.priority, mcp: t.maxControlledPriority, buffer: t.ipcBufferAddress,
                   faultHandler: t.faultHandler, bound: t.boundNotification.map { $0.address } ?? 0,
                   slots: (0..<5).flatMap { i -> [Word] in
                       let c = t.slot(ThreadSlot(rawValue: i)!).cap
                       return [c.word0, c.word1]
                   })
    }
    func words(_ slot: Word, _ count: Int) -> [Word] {
        let p = UnsafePointer<Word>(bitPattern: UInt(sys.capability(at: slot).address))!
        return Array(UnsafeBufferPointer(start: p, count: count))
    }

    /// The state a failed call must leave alone (the actor and the fault handler excluded:
    /// what happens to them is the outcome).
    struct Snapshot: Equatable {
        var root: [Word], cnode2: [Word], objects: [[Word]], threads: [ThreadView]
    }
    func snapshot() -> Snapshot {
        Snapshot(root: sys.snapshot(), cnode2: sys.snapshot(cnodeAt: cnode2),
                 objects: [words(ep, 2), words(ntfn, 4), words(ntfn2, 4)],
                 threads: [view(target), view(bound), view(sys.root)])
    }
}

struct BadInputRow: CustomTestStringConvertible, Sendable {
    let call: String
    let bad: String
    let clause: String
    let op: @Sendable (BadInputFixture) -> Void
    let expect: @Sendable (BadInputFixture) -> BadInputOutcome
    var testDescription: String { "\(call): \(bad) [\(clause)]" }

    init(_ call: String, _ bad: String, _ clause: String, _ outcome: BadInputOutcome,
         _ op: @escaping @Sendable (BadInputFixture) -> Void) {
        self.call = call; self.bad = bad; self.clause = clause; self.op = op; self.expect = { _ in outcome }
    }
    init(_ call: String, _ bad: String, _ clause: String, _ op: @escaping @Sendable (BadInputFixture) -> Void,
         expect: @escaping @Sendable (BadInputFixture) -> BadInputOutcome) {
        self.call = call; self.bad = bad; self.clause = clause; self.op = op; self.expect = expect
    }
}

private let all = CapRights.all.rawValue
private let err = ErrorCode.self

let badInputTable: [BadInputRow] = [
    // MARK: System calls (SYS-2/3, SEND-5/6, RECV-1, REPLY-1, RR-1, ERR-3)
    BadInputRow("Send", "empty slot", "SYS-3, ERR-3", .silent) { $0.sc(.send, $0.empty) },
    BadInputRow("NBSend", "empty slot", "SYS-3, ERR-3", .silent) { $0.sc(.nbSend, $0.empty) },
    BadInputRow("Call", "empty slot", "SEND-5, SYS-3", .reply(.invalidCapability, [0])) { $0.sc(.call, $0.empty) },
    BadInputRow("Call", "CPtr 0 (null slot)", "SYS-3, PIT-5", .reply(.invalidCapability, [0])) { $0.sc(.call, 0) },
    BadInputRow("Send", "endpoint cap without Write", "SEND-5", .silent) { $0.sc(.send, $0.epR, length: 1, mrs: [1]) },
    BadInputRow("NBSend", "endpoint cap without Write", "SEND-5", .silent) { $0.sc(.nbSend, $0.epR) },
    BadInputRow("Call", "endpoint cap without Write", "SEND-5", .reply(.invalidCapability, [0])) { $0.sc(.call, $0.epR) },
    BadInputRow("Send", "notification cap without Write", "SYS-3, ERR-3", .silent) { $0.sc(.send, $0.ntfnR) },
    BadInputRow("Call", "notification cap without Write", "SYS-3, ERR-3", .reply(.invalidCapability, [0])) { $0.sc(.call, $0.ntfnR) },
    BadInputRow("Send", "CPtr does not resolve", "SEND-6, FAULT-4", { $0.sc(.send, $0.bad) },
                expect: { $0.capFault($0.bad, recv: false, $0.guardMismatch) }),
    BadInputRow("Call", "CPtr does not resolve", "SEND-6, FAULT-4", { $0.sc(.call, $0.bad) },
                expect: { $0.capFault($0.bad, recv: false, $0.guardMismatch) }),
    BadInputRow("NBSend", "CPtr does not resolve", "SEND-6, ERR-3", .silent) { $0.sc(.nbSend, $0.bad) },
    BadInputRow("Send", "extra-cap CPtr does not resolve", "SYS-2, ERR-3", { $0.sc(.send, $0.ep, caps: [$0.bad]) },
                expect: { $0.capFault($0.bad, recv: false, $0.guardMismatch) }),
    BadInputRow("Call", "second extra-cap CPtr does not resolve", "SYS-2, ERR-3", { $0.sc(.call, $0.ep, caps: [$0.ntfn, $0.bad]) },
                expect: { $0.capFault($0.bad, recv: false, $0.guardMismatch) }),
    BadInputRow("NBSend", "extra-cap CPtr does not resolve", "SYS-2, ERR-3", .silent) { $0.sc(.nbSend, $0.ep, caps: [$0.bad]) },
    BadInputRow("Recv", "empty slot", "RECV-1, ERR-3", { $0.sc(.recv, $0.empty) },
                expect: { $0.capFault($0.empty, recv: true, $0.missingCap0) }),
    BadInputRow("NBRecv", "empty slot", "RECV-1, ERR-3", { $0.sc(.nbRecv, $0.empty) },
                expect: { $0.capFault($0.empty, recv: true, $0.missingCap0) }),
    BadInputRow("Recv", "endpoint cap without Read", "RECV-1", { $0.sc(.recv, $0.epW) },
                expect: { $0.capFault($0.epW, recv: true, $0.missingCap0) }),
    BadInputRow("NBRecv", "notification cap without Read", "RECV-1", { $0.sc(.nbRecv, $0.ntfnW) },
                expect: { $0.capFault($0.ntfnW, recv: true, $0.missingCap0) }),
    BadInputRow("Recv", "wrong cap type (frame)", "RECV-1", { $0.sc(.recv, $0.frame) },
                expect: { $0.capFault($0.frame, recv: true, $0.missingCap0) }),
    BadInputRow("Recv", "CPtr does not resolve", "RECV-1, FAULT-4", { $0.sc(.recv, $0.bad) },
                expect: { $0.capFault($0.bad, recv: true, $0.guardMismatch) }),
    BadInputRow("NBRecv", "notification bound to another thread", "RECV-1, BIND-2", { $0.sc(.nbRecv, $0.ntfn2) },
                expect: { $0.capFault($0.ntfn2, recv: true, $0.missingCap0) }),
    BadInputRow("Reply", "no caller", "REPLY-1", .silent) { $0.sc(.reply, 0, length: 2, mrs: [1, 2]) },
    BadInputRow("Reply", "bogus extra caps, no caller", "REPLY-1", .silent) { $0.sc(.reply, 0, caps: [$0.bad, $0.bad]) },
    BadInputRow("ReplyRecv", "receive CPtr does not resolve", "RR-1, RECV-1", { $0.sc(.replyRecv, $0.bad) },
                expect: { $0.capFault($0.bad, recv: true, $0.guardMismatch) }),
    BadInputRow("Yield", "garbage cap and tag registers", "YIELD-1", .silent) { $0.sc(.yield, $0.bad, label: 77, length: 127) },
    BadInputRow("syscall -100", "unknown syscall number", "ABI-2, FAULT-6",
                .faultDump(label: 2, length: 19, at: [15: TestSystem.syscallAddress, 18: Word(bitPattern: -100)])) {
        $0.sys.syscall(number: -100, by: $0.actor, cap: 5)
    },
    BadInputRow("Call", "empty slot, tag length 127",
                "MSG-3, SYS-3", .reply(.invalidCapability, [0])) { $0.sc(.call, $0.empty, length: 127) },

    // MARK: CNode (CNODE-1..10, LOOKUP-3/5/6, ERR-2)
    BadInputRow("CNode (Suspend label)", "non-CNode label", "CNODE-1", .reply(.illegalOperation, [])) {
        $0.call($0.root, .tcbSuspend, [$0.empty, 64])
    },
    BadInputRow("CNode_Delete", "truncated message (1 word)", "CNODE-1", .reply(.truncatedMessage, [])) {
        $0.call($0.root, .cnodeDelete, [$0.ep])
    },
    BadInputRow("CNode_Delete", "depth 65", "CNODE-2", .reply(.rangeError, [1, 64])) { $0.call($0.root, .cnodeDelete, [$0.ep, 65]) },
    BadInputRow("CNode_Revoke", "depth 0", "CNODE-2", .reply(.rangeError, [1, 64])) { $0.call($0.root, .cnodeRevoke, [$0.ep, 0]) },
    BadInputRow("CNode_Revoke", "index does not resolve", "CNODE-2, LOOKUP-6", .reply(.failedLookup, [0, 4, 64, 0, 54])) {
        $0.call($0.root, .cnodeRevoke, [$0.bad, 64])
    },
    BadInputRow("CNode_Delete", "depth 10 (guard longer than depth)", "CNODE-2, LOOKUP-1", .reply(.failedLookup, [0, 4, 10, 0, 54])) {
        $0.call($0.root, .cnodeDelete, [$0.ep, 10])
    },
    BadInputRow("CNode_Delete", "invoked cap is an endpoint (wrong cap type)", "SYS-3", .reply(.invalidCapability, [0])) {
        // An endpoint invoked with a CNode label is a send, but this cap lacks Write.
        $0.call($0.epR, .cnodeDelete, [$0.ep, 64])
    },
    BadInputRow("CNode_Copy", "dest depth 0", "CNODE-2", .reply(.rangeError, [1, 64])) {
        $0.call($0.root, .cnodeCopy, [$0.empty, 0, $0.ep, 64, all], [$0.root])
    },
    BadInputRow("CNode_Copy", "source depth 65", "CNODE-2", .reply(.rangeError, [1, 64])) {
        $0.call($0.root, .cnodeCopy, [$0.empty, 64, $0.ep, 65, all], [$0.root])
    },
    BadInputRow("CNode_Copy", "occupied destination", "CNODE-1", .reply(.deleteFirst, [])) {
        $0.call($0.root, .cnodeCopy, [$0.ntfn, 64, $0.ep, 64, all], [$0.root])
    },
    BadInputRow("CNode_Copy", "empty source", "CNODE-1, ERR-2", .reply(.failedLookup, [1, 2, 64])) {
        $0.call($0.root, .cnodeCopy, [$0.empty, 64, $0.freeBase, 64, all], [$0.root])
    },
    BadInputRow("CNode_Copy", "destination index does not resolve", "CNODE-2", .reply(.failedLookup, [0, 4, 64, 0, 54])) {
        $0.call($0.root, .cnodeCopy, [$0.bad, 64, $0.ep, 64, all], [$0.root])
    },
    BadInputRow("CNode_Copy", "source root not a CNode", "CNODE-2", .reply(.failedLookup, [1, 1])) {
        $0.call($0.root, .cnodeCopy, [$0.empty, 64, $0.ep, 64, all], [$0.ep])
    },
    BadInputRow("CNode_Copy", "missing extra cap (source root)", "CNODE-1", .reply(.truncatedMessage, [])) {
        $0.call($0.root, .cnodeCopy, [$0.empty, 64, $0.ep, 64, all])
    },
    BadInputRow("CNode_Copy", "truncated message (4 words, no rights)", "CNODE-1", .reply(.truncatedMessage, [])) {
        $0.call($0.root, .cnodeCopy, [$0.empty, 64, $0.ep, 64], [$0.root])
    },
    BadInputRow("CNode_Copy", "truncated message (3 words)", "CNODE-1", .reply(.truncatedMessage, [])) {
        $0.call($0.root, .cnodeCopy, [$0.empty, 64, $0.ep], [$0.root])
    },
    BadInputRow("CNode_Mint", "source already badged", "CNODE-3, PIT-3", .reply(.illegalOperation, [])) {
        $0.call($0.root, .cnodeMint, [$0.empty, 64, $0.epBadged, 64, all, 0], [$0.root])
    },
    BadInputRow("CNode_Mint", "truncated message (5 words, no badge)", "CNODE-1", .reply(.truncatedMessage, [])) {
        $0.call($0.root, .cnodeMint, [$0.empty, 64, $0.ep, 64, all], [$0.root])
    },
    BadInputRow("CNode_Mint", "CNode guard size + radix > 64", "CNODE-3, BADGE-2", .reply(.illegalOperation, [])) {
        $0.call($0.root, .cnodeMint, [$0.empty, 64, $0.cnode2, 64, all, 61], [$0.root])
    },
    BadInputRow("CNode_Mint", "untyped with children", "CNODE-3, XFER-7", .reply(.revokeFirst, [])) {
        // The boot untyped the fixture retyped from has children.
        $0.call($0.root, .cnodeMint, [$0.empty, 64, $0.sys.untyped, 64, all, 0], [$0.root])
    },
    BadInputRow("CNode_Move", "occupied destination", "CNODE-1", .reply(.deleteFirst, [])) {
        $0.call($0.root, .cnodeMove, [$0.ntfn, 64, $0.ep, 64], [$0.root])
    },
    BadInputRow("CNode_Move", "onto itself", "CNODE-5", .reply(.deleteFirst, [])) {
        $0.call($0.root, .cnodeMove, [$0.ep, 64, $0.ep, 64], [$0.root])
    },
    BadInputRow("CNode_Move", "empty source", "CNODE-1", .reply(.failedLookup, [1, 2, 64])) {
        $0.call($0.root, .cnodeMove, [$0.empty, 64, $0.freeBase, 64], [$0.root])
    },
    BadInputRow("CNode_Mutate", "endpoint cap", "CNODE-6", .reply(.illegalOperation, [])) {
        $0.call($0.root, .cnodeMutate, [$0.empty, 64, $0.ep, 64, 5], [$0.root])
    },
    BadInputRow("CNode_Mutate", "notification cap", "CNODE-6", .reply(.illegalOperation, [])) {
        $0.call($0.root, .cnodeMutate, [$0.empty, 64, $0.ntfn, 64, 0], [$0.root])
    },
    BadInputRow("CNode_Mutate", "truncated message (4 words)", "CNODE-1", .reply(.truncatedMessage, [])) {
        $0.call($0.root, .cnodeMutate, [$0.empty, 64, $0.frame, 64], [$0.root])
    },
    BadInputRow("CNode_Rotate", "truncated message (7 words)", "CNODE-7", .reply(.truncatedMessage, [])) {
        $0.call($0.root, .cnodeRotate, [$0.empty, 64, 0, $0.ep, 64, 0, $0.ntfn], [$0.root, $0.root])
    },
    BadInputRow("CNode_Rotate", "one extra cap", "CNODE-7", .reply(.truncatedMessage, [])) {
        $0.call($0.root, .cnodeRotate, [$0.empty, 64, 0, $0.ep, 64, 0, $0.ntfn, 64], [$0.root])
    },
    BadInputRow("CNode_Rotate", "pivot equals source", "CNODE-7", .reply(.illegalOperation, [])) {
        $0.call($0.root, .cnodeRotate, [$0.empty, 64, 0, $0.frame, 64, 0, $0.frame, 64], [$0.root, $0.root])
    },
    BadInputRow("CNode_Rotate", "endpoint/notification caps", "CNODE-7", .reply(.illegalOperation, [])) {
        $0.call($0.root, .cnodeRotate, [$0.empty, 64, 0, $0.ep, 64, 0, $0.ntfn, 64], [$0.root, $0.root])
    },
    BadInputRow("CNode_Rotate", "empty pivot", "CNODE-7 (wasSource 0)", .reply(.failedLookup, [0, 2, 64])) {
        $0.call($0.root, .cnodeRotate, [$0.empty, 64, 0, $0.freeBase, 64, 0, $0.frame, 64], [$0.root, $0.root])
    },
    BadInputRow("CNode_CancelBadgedSends", "endpoint cap without all rights", "CNODE-10", .reply(.illegalOperation, [])) {
        $0.call($0.root, .cnodeCancelBadgedSends, [$0.epW, 64])
    },
    BadInputRow("CNode_CancelBadgedSends", "notification cap", "CNODE-10", .reply(.illegalOperation, [])) {
        $0.call($0.root, .cnodeCancelBadgedSends, [$0.ntfn, 64])
    },
    BadInputRow("CNode_CancelBadgedSends", "empty slot", "CNODE-10", .reply(.illegalOperation, [])) {
        $0.call($0.root, .cnodeCancelBadgedSends, [$0.empty, 64])
    },
    BadInputRow("CNode_SaveCaller", "occupied destination", "REPLY-6", .reply(.deleteFirst, [])) {
        $0.call($0.root, .cnodeSaveCaller, [$0.ep, 64])
    },
    BadInputRow("CNode_SaveCaller", "no caller: success, nothing moved", "REPLY-6", .reply(.noError, [])) {
        $0.call($0.root, .cnodeSaveCaller, [$0.empty, 64])
    },
    BadInputRow("CNode_Copy", "tag length 127 (clamped to 120), occupied destination", "MSG-3, CNODE-1", .reply(.deleteFirst, [])) {
        $0.sc(.call, $0.root, label: InvocationLabel.cnodeCopy.rawValue, length: 127, mrs: [$0.ntfn, 64, $0.ep, 64, all], caps: [$0.root])
    },

    // MARK: Untyped (decode-facts 1.1)
    BadInputRow("Untyped (Copy label)", "non-Retype label", "CNODE-1 / untyped decode 1", .reply(.illegalOperation, [])) {
        $0.call($0.ut, .cnodeCopy, [8, 0, 0, 0, $0.freeBase, 1], [$0.root])
    },
    BadInputRow("Untyped_Retype", "truncated message (5 words)", "untyped decode 2", .reply(.truncatedMessage, [])) {
        $0.call($0.ut, .untypedRetype, [2, 0, 0, 0, $0.freeBase], [$0.root])
    },
    BadInputRow("Untyped_Retype", "missing extra cap (root)", "untyped decode 2", .reply(.truncatedMessage, [])) {
        $0.call($0.ut, .untypedRetype, [2, 0, 0, 0, $0.freeBase, 1])
    },
    BadInputRow("Untyped_Retype", "out-of-range type", "untyped decode 4", .reply(.invalidArgument, [0])) {
        $0.call($0.ut, .untypedRetype, [ObjectType.count, 0, 0, 0, $0.freeBase, 1], [$0.root])
    },
    BadInputRow("Untyped_Retype", "size 64", "untyped decode 6", .reply(.rangeError, [0, 47])) {
        $0.call($0.ut, .untypedRetype, [ObjectType.untyped, 64, 0, 0, $0.freeBase, 1], [$0.root])
    },
    BadInputRow("Untyped_Retype", "CNode of size 0", "untyped decode 7", .reply(.invalidArgument, [1])) {
        $0.call($0.ut, .untypedRetype, [ObjectType.cnode, 0, 0, 0, $0.freeBase, 1], [$0.root])
    },
    BadInputRow("Untyped_Retype", "untyped below 4 bits", "untyped decode 8", .reply(.invalidArgument, [1])) {
        $0.call($0.ut, .untypedRetype, [ObjectType.untyped, 3, 0, 0, $0.freeBase, 1], [$0.root])
    },
    BadInputRow("Untyped_Retype", "depth 0 and root not a CNode", "untyped decode 9-10", .reply(.failedLookup, [0, 2, 0])) {
        $0.call($0.ut, .untypedRetype, [2, 0, 0, 0, 0, 1], [$0.ep])
    },
    BadInputRow("Untyped_Retype", "destination CNode index does not resolve", "untyped decode 9, CNODE-2",
                .reply(.failedLookup, [0, 4, 64, 0, 54])) {
        $0.call($0.ut, .untypedRetype, [2, 0, $0.bad, 64, 0, 1], [$0.root])
    },
    BadInputRow("Untyped_Retype", "offset past the CNode", "untyped decode 11", .reply(.rangeError, [0, 1023])) {
        $0.call($0.ut, .untypedRetype, [2, 0, 0, 0, 1024, 1], [$0.root])
    },
    BadInputRow("Untyped_Retype", "count 0", "untyped decode 12", .reply(.rangeError, [1, 256])) {
        $0.call($0.ut, .untypedRetype, [2, 0, 0, 0, $0.freeBase, 0], [$0.root])
    },
    BadInputRow("Untyped_Retype", "count 257", "untyped decode 12", .reply(.rangeError, [1, 256])) {
        $0.call($0.ut, .untypedRetype, [2, 0, 0, 0, $0.freeBase, 257], [$0.root])
    },
    BadInputRow("Untyped_Retype", "count past the CNode's end", "untyped decode 13", .reply(.rangeError, [1, 4])) {
        $0.call($0.ut, .untypedRetype, [2, 0, 0, 0, 1020, 10], [$0.root])
    },
    BadInputRow("Untyped_Retype", "occupied destination in the window", "untyped decode 14", .reply(.deleteFirst, [])) {
        $0.call($0.ut, .untypedRetype, [2, 0, 0, 0, $0.ep, 2], [$0.root])
    },
    BadInputRow("Untyped_Retype", "object larger than the untyped", "untyped decode 16", .reply(.notEnoughMemory, [1 << 16])) {
        $0.call($0.ut, .untypedRetype, [ObjectType.cnode, 12, 0, 0, $0.freeBase, 1], [$0.root])
    },
    BadInputRow("Untyped_Retype", "TCB from device untyped", "untyped decode 17", .reply(.invalidArgument, [1])) {
        $0.call($0.devUt, .untypedRetype, [ObjectType.thread, 0, 0, 0, $0.freeBase, 1], [$0.root])
    },

    // MARK: TCB (decode-facts 3, IPCBUF-3, SCHED-1, BIND-1)
    BadInputRow("TCB_ReadRegisters", "truncated message", "TCB decode 3.1", .reply(.truncatedMessage, [])) {
        $0.call($0.targetSlot, .tcbReadRegisters, [0])
    },
    BadInputRow("TCB_ReadRegisters", "count 0", "TCB decode 3.1", .reply(.rangeError, [1, 20])) {
        $0.call($0.targetSlot, .tcbReadRegisters, [0, 0])
    },
    BadInputRow("TCB_ReadRegisters", "count 21", "TCB decode 3.1", .reply(.rangeError, [1, 20])) {
        $0.call($0.targetSlot, .tcbReadRegisters, [0, 21])
    },
    BadInputRow("TCB_ReadRegisters", "own TCB", "TCB decode 3.16", .reply(.illegalOperation, [])) {
        $0.call($0.actorSlot, .tcbReadRegisters, [0, 4])
    },
    BadInputRow("TCB_WriteRegisters", "count larger than the words sent", "TCB decode 3.2", .reply(.truncatedMessage, [])) {
        $0.call($0.targetSlot, .tcbWriteRegisters, [0, 3, 1, 2])
    },
    BadInputRow("TCB_WriteRegisters", "own TCB", "TCB decode 3.16", .reply(.illegalOperation, [])) {
        $0.call($0.actorSlot, .tcbWriteRegisters, [0, 1, 7])
    },
    BadInputRow("TCB_CopyRegisters", "missing extra cap", "TCB decode 3.3", .reply(.truncatedMessage, [])) {
        $0.call($0.targetSlot, .tcbCopyRegisters, [0])
    },
    BadInputRow("TCB_CopyRegisters", "source is not a TCB", "TCB decode 3.3", .reply(.invalidCapability, [1])) {
        $0.call($0.targetSlot, .tcbCopyRegisters, [0], [$0.ep])
    },
    BadInputRow("TCB_Configure", "truncated message (3 words)", "TCB decode 3.4", .reply(.truncatedMessage, [])) {
        $0.call($0.targetSlot, .tcbConfigure, [0, 0, 0], [$0.root, Word(InitialSlot.vspace), $0.frame])
    },
    BadInputRow("TCB_Configure", "missing third extra cap", "TCB decode 3.4", .reply(.truncatedMessage, [])) {
        $0.call($0.targetSlot, .tcbConfigure, [0, 0, 0, 0], [$0.root, Word(InitialSlot.vspace)])
    },
    BadInputRow("TCB_Configure", "misaligned IPC buffer", "IPCBUF-3", { $0.call($0.targetSlot, .tcbConfigure, [0, 0, 0, $0.frameAddress + 4], [$0.root, Word(InitialSlot.vspace), $0.frame]) },
                expect: { _ in .reply(.alignmentError, []) }),
    BadInputRow("TCB_Configure", "buffer cap is an endpoint", "IPCBUF-3", { $0.call($0.targetSlot, .tcbConfigure, [0, 0, 0, $0.frameAddress], [$0.root, Word(InitialSlot.vspace), $0.ep]) },
                expect: { _ in .reply(.illegalOperation, []) }),
    BadInputRow("TCB_Configure", "CSpace root is not a CNode", "TCB decode 3.4", .reply(.illegalOperation, [])) {
        $0.call($0.targetSlot, .tcbConfigure, [0, 0, 0, 0], [$0.ep, Word(InitialSlot.vspace), $0.frame])
    },
    BadInputRow("TCB_SetPriority", "priority 256", "SCHED-1", .reply(.rangeError, [0, 255])) {
        $0.call($0.targetSlot, .tcbSetPriority, [256], [$0.rootTCB])
    },
    BadInputRow("TCB_SetPriority", "priority above a zero MCP", "SCHED-1", .reply(.rangeError, [0, 0])) {
        $0.call($0.targetSlot, .tcbSetPriority, [1], [$0.actorSlot])
    },
    BadInputRow("TCB_SetPriority", "authority is not a TCB", "TCB decode 3.5", .reply(.invalidCapability, [1])) {
        $0.call($0.targetSlot, .tcbSetPriority, [10], [$0.ep])
    },
    BadInputRow("TCB_SetPriority", "missing authority cap", "TCB decode 3.5", .reply(.truncatedMessage, [])) {
        $0.call($0.targetSlot, .tcbSetPriority, [10])
    },
    BadInputRow("TCB_SetPriority", "tag length 127, priority 256", "MSG-3, SCHED-1", .reply(.rangeError, [0, 255])) {
        $0.sc(.call, $0.targetSlot, label: InvocationLabel.tcbSetPriority.rawValue, length: 127, mrs: [256], caps: [$0.rootTCB])
    },
    BadInputRow("TCB_SetMCPriority", "MCP 300", "SCHED-1", .reply(.rangeError, [0, 255])) {
        $0.call($0.targetSlot, .tcbSetMCPriority, [300], [$0.rootTCB])
    },
    BadInputRow("TCB_SetSchedParams", "truncated message", "TCB decode 3.7", .reply(.truncatedMessage, [])) {
        $0.call($0.targetSlot, .tcbSetSchedParams, [10], [$0.rootTCB])
    },
    BadInputRow("TCB_SetSchedParams", "priority 256", "TCB decode 3.7", .reply(.rangeError, [0, 255])) {
        $0.call($0.targetSlot, .tcbSetSchedParams, [255, 256], [$0.rootTCB])
    },
    BadInputRow("TCB_SetIPCBuffer", "misaligned address", "IPCBUF-3", { $0.call($0.targetSlot, .tcbSetIPCBuffer, [$0.frameAddress + 8], [$0.frame]) },
                expect: { _ in .reply(.alignmentError, []) }),
    BadInputRow("TCB_SetIPCBuffer", "missing frame cap", "TCB decode 3.8", .reply(.truncatedMessage, [])) {
        $0.call($0.targetSlot, .tcbSetIPCBuffer, [0])
    },
    BadInputRow("TCB_SetIPCBuffer", "frame cap is a notification", "IPCBUF-3", { $0.call($0.targetSlot, .tcbSetIPCBuffer, [$0.frameAddress], [$0.ntfn]) },
                expect: { _ in .reply(.illegalOperation, []) }),
    BadInputRow("TCB_SetSpace", "truncated message (2 words)", "TCB decode 3.9", .reply(.truncatedMessage, [])) {
        $0.call($0.targetSlot, .tcbSetSpace, [0, 0], [$0.root, Word(InitialSlot.vspace)])
    },
    BadInputRow("TCB_BindNotification", "missing extra cap", "BIND-1", .reply(.truncatedMessage, [])) {
        $0.call($0.targetSlot, .tcbBindNotification, [])
    },
    BadInputRow("TCB_BindNotification", "endpoint instead of notification", "BIND-1", .reply(.illegalOperation, [])) {
        $0.call($0.targetSlot, .tcbBindNotification, [], [$0.ep])
    },
    BadInputRow("TCB_BindNotification", "notification cap without Read", "BIND-1", .reply(.illegalOperation, [])) {
        $0.call($0.targetSlot, .tcbBindNotification, [], [$0.ntfnW])
    },
    BadInputRow("TCB_BindNotification", "TCB already bound", "BIND-1", .reply(.illegalOperation, [])) {
        $0.call($0.boundSlot, .tcbBindNotification, [], [$0.ntfn])
    },
    BadInputRow("TCB_BindNotification", "notification already bound", "BIND-1", .reply(.illegalOperation, [])) {
        $0.call($0.targetSlot, .tcbBindNotification, [], [$0.ntfn2])
    },
    BadInputRow("TCB_UnbindNotification", "nothing bound", "BIND-1", .reply(.illegalOperation, [])) {
        $0.call($0.targetSlot, .tcbUnbindNotification, [])
    },
    BadInputRow("TCB_SetTLSBase", "truncated message", "TCB decode 3.13", .reply(.truncatedMessage, [])) {
        $0.call($0.targetSlot, .tcbSetTLSBase, [])
    },
    BadInputRow("TCB (label 9999)", "unknown label", "TCB decode 3", .reply(.illegalOperation, [])) {
        $0.call($0.targetSlot, rawLabel: 9999, [])
    },
]

@Suite struct BadInputTableTests {
    @Test func tableCoversEnoughRows() {
        #expect(badInputTable.count >= 60)
        let calls = Set(badInputTable.map { $0.call.split(separator: " ")[0] })
        // Every non-debug system call, by seL4's name (`Syscall.name`), and these invocations.
        let syscalls = Syscall.allCases.filter { $0.rawValue >= Syscall.nbRecv.rawValue }.map { "\($0.name)" }
        for name in syscalls + ["CNode_Copy", "CNode_Mint", "CNode_Move", "CNode_Mutate", "CNode_Rotate", "CNode_Delete",
                     "CNode_Revoke", "CNode_SaveCaller", "CNode_CancelBadgedSends", "Untyped_Retype",
                     "TCB_ReadRegisters", "TCB_WriteRegisters", "TCB_CopyRegisters", "TCB_Configure", "TCB_SetPriority",
                     "TCB_SetMCPriority", "TCB_SetSchedParams", "TCB_SetIPCBuffer", "TCB_SetSpace",
                     "TCB_BindNotification", "TCB_UnbindNotification", "TCB_SetTLSBase"] {
            #expect(calls.contains(Substring(name)), "no row for \(name)")
        }
    }

    @Test(arguments: badInputTable)
    func row(_ row: BadInputRow) {
        let f = BadInputFixture()
        #expect(f.sys.invariantFailures.isEmpty, "setup: \(f.sys.invariantFailures)")
        #expect(f.handler.state == .blockedOnReceive && f.actor.state.isRunnable)
        let before = f.snapshot()
        let actorSlotsBefore = f.view(f.actor).slots
        // Poison the registers the kernel must not write in the silent cases.
        f.actor[register: RegisterFile.badgeRegister] = 0
        let expected = row.expect(f)
        row.op(f)
        let after = f.snapshot()
        let context = Comment(rawValue: "\(row.testDescription) expected \(expected)")
        switch expected {
        case .reply(let code, let words):
            #expect(f.actor.state == .running, context)
            let r = f.sys.registers(of: f.actor)
            expectKernelReply(r, code, words)
            #expect(f.handler.state == .blockedOnReceive, context)
        case .fault(let label, let words):
            #expect(f.actor.state == .blockedOnReply, context)
            #expect(f.handler.state == .running, context)
            #expect(f.sys.registers(of: f.handler) == TestSystem.Registers(badge: 0x99, info: MessageInfo(label: label, length: Word(words.count)), words: words),
                    "\(context) got \(f.sys.registers(of: f.handler))")
        case .faultDump(let label, let length, let at):
            #expect(f.actor.state == .blockedOnReply, context)
            let r = f.sys.registers(of: f.handler)
            #expect(r.badge == 0x99 && r.info.label == label && r.info.length == length, "\(context) got \(r)")
            for (i, w) in at { #expect(r.mr.count > i && r.mr[i] == w, "\(context) word \(i) got \(r)") }
        case .silent:
            #expect(f.actor.state == .running, context)
            #expect(f.handler.state == .blockedOnReceive, context)
            #expect(f.actor[register: RegisterFile.badgeRegister] == 0 || f.sys.isRestarting(f.actor) == false, context)
        }
        // Nothing else changed: every root slot, the other CNode, the IPC objects, other threads.
        #expect(after.root == before.root, "\(context): root CNode changed")
        #expect(after.cnode2 == before.cnode2, "\(context): second CNode changed")
        #expect(after.objects == before.objects, "\(context): endpoint/notification changed")
        #expect(after.threads == before.threads, "\(context): another thread changed")
        let actorSlotsAfter = f.view(f.actor).slots
        #expect(Array(actorSlotsAfter[0..<4]) == Array(actorSlotsBefore[0..<4]) && Array(actorSlotsAfter[8...]) == Array(actorSlotsBefore[8...]),
                "\(context): the actor's own TCB slots changed")
        #expect(f.sys.invariantFailures.isEmpty, "\(context): \(f.sys.invariantFailures)")
    }
}
