import Testing
@testable import KernelCore
import KernelTestSupport

/// The last Call/ReplyRecv path decision: (fast, first failed condition).
private func lastPath(_ sys: TestSystem) -> (fast: Bool, failed: Int)? {
    for event in sys.events.reversed() {
        if case .path(_, _, let fast, let failed) = event { return (fast, failed) }
    }
    return nil
}

// Section 11: the fastpath (FAST-1..5).
@Suite struct FastpathTests {
    // FAST-1: only Call and ReplyRecv take the fastpath; with it off everything is slowpath.
    @Test(arguments: [true, false])
    func fast1_onlyCallAndReplyRecv(fastpath: Bool) {
        let sys = TestSystem(fastpath: fastpath)
        let ep = sys.make(ObjectType.endpoint)
        let server = sys.spawn().thread, client = sys.spawn().thread
        sys.syscall(.recv, by: server, cap: ep)
        sys.syscall(.send, by: client, cap: ep)
        sys.syscall(.recv, by: server, cap: ep)
        let baseline = sys.kernel.pathCounters  // setup's root invocations are slowpath Calls
        sys.syscall(.nbSend, by: client, cap: ep)
        sys.syscall(.recv, by: server, cap: ep)
        #expect(sys.kernel.pathCounters == baseline)
        sys.syscall(.call, by: client, cap: ep, info: MessageInfo(label: 1, length: 2), mrs: [1, 2])
        sys.suspendRootTask()
        sys.syscall(.replyRecv, by: server, cap: ep, info: MessageInfo(label: 2, length: 1), mrs: [3])
        var c = sys.kernel.pathCounters
        c.slowpathCalls -= baseline.slowpathCalls + 1  // the suspend of the root task
        #expect(c.fastpathCalls == (fastpath ? 1 : 0) && c.slowpathCalls == (fastpath ? 0 : 1))
        #expect(c.fastpathReplyRecvs == (fastpath ? 1 : 0) && c.slowpathReplyRecvs == (fastpath ? 0 : 1))
        #expect(sys.registers(of: client) == TestSystem.Registers(badge: 0, info: MessageInfo(label: 2, length: 1), words: [3]))
        #expect(sys.kernel.currentThread == client && server.state == .blockedOnReceive)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// FAST-1, FAST-2: the split entry the riscv64 handlers use (`completeOnFastpath`, then
    /// `handleSyscallAfterFastpath` when it returns nil) does what `handleSyscall` does, for a
    /// Call and a ReplyRecv that fit the fastpath, a Call too long for it, the fastpath off, and
    /// a system call that has no fastpath (for which `completeOnFastpath` changes nothing).
    @Test(arguments: [(true, Word(1)), (true, Word(5)), (false, Word(1))])
    func fast1_splitEntryDoesWhatHandleSyscallDoes(fastpath: Bool, callLength: Word) {
        struct Outcome: Equatable {
            var counters: PathCounters
            var server: TestSystem.Registers, client: TestSystem.Registers
            var serverState: ThreadState, clientState: ThreadState
            var clientCurrent: Bool
        }
        func run(split: Bool) -> Outcome {
            let sys = TestSystem(fastpath: fastpath)
            let ep = sys.make(ObjectType.endpoint)
            let server = sys.spawn().thread, client = sys.spawn().thread
            func enter(_ call: Syscall, by thread: Thread, info: MessageInfo, mrs: [Word]) {
                guard split else { sys.syscall(call, by: thread, cap: ep, info: info, mrs: mrs); return }
                sys.loadSyscallRegisters(by: thread, cap: ep, info: info, mrs: mrs, extraCaps: [])
                if sys.kernel.completeOnFastpath(call.rawValue, by: thread) == nil {
                    _ = sys.kernel.handleSyscallAfterFastpath(call.rawValue, by: thread)
                }
            }
            sys.syscall(.recv, by: server, cap: ep)
            enter(.call, by: client, info: MessageInfo(label: 1, length: callLength), mrs: [1, 2, 3, 4, 5])
            enter(.replyRecv, by: server, info: MessageInfo(label: 2, length: 1), mrs: [9])
            enter(.nbSend, by: client, info: MessageInfo(label: 3, length: 2), mrs: [7, 8])
            #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
            return Outcome(counters: sys.kernel.pathCounters, server: sys.registers(of: server, words: 2),
                           client: sys.registers(of: client, words: 2), serverState: server.state,
                           clientState: client.state, clientCurrent: sys.kernel.currentThread == client)
        }
        let whole = run(split: false), split = run(split: true)
        #expect(split == whole)
        // The fastpath ran where it could: the split entry is not just the slowpath.
        #expect(split.counters.fastpathCalls == (fastpath && callLength <= 4 ? 1 : 0))
    }

    // FAST-2: raw tag & 0x1FF must be <= 4 (no extra caps, length <= 4); label and
    // capsUnwrapped are not checked.
    @Test func fast2_messageCheck() {
        let cases: [(MessageInfo, Bool)] = [
            (MessageInfo(label: 1, length: 4), true),
            (MessageInfo(label: MessageInfo.labelMask, capsUnwrapped: 7, length: 0), true),
            (MessageInfo(label: 1, length: 5), false),
            (MessageInfo(label: 1, extraCaps: 1, length: 0), false),
            (MessageInfo(label: 1, length: 127), false),
        ]
        for (info, fast) in cases {
            let sys = TestSystem(tracing: true)
            let ep = sys.make(ObjectType.endpoint)
            let server = sys.spawn().thread, client = sys.spawn().thread
            sys.syscall(.recv, by: server, cap: ep)
            sys.syscall(.call, by: client, cap: ep, info: info, mrs: [1, 2, 3, 4, 5])
            #expect(lastPath(sys)! == (fast, fast ? 0 : 1), "\(info)")
            #expect(client.state == .blockedOnReply && server.state == .running)
            #expect(sys.registers(of: server).info.capsUnwrapped == 0 && sys.registers(of: server).info.label == info.label)
            #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
        }
    }

    // FAST-3: each failing Call condition falls back to the slowpath with the same outcome.
    @Test func fast3_callConditions() {
        // 2: no Write -> slowpath error reply.
        do {
            let sys = TestSystem(tracing: true)
            let ep = sys.make(ObjectType.endpoint)
            let readOnly = sys.mint(ep, rights: [.read, .grant], badge: 0).slot
            let server = sys.spawn().thread, client = sys.spawn().thread
            sys.syscall(.recv, by: server, cap: ep)
            sys.syscall(.call, by: client, cap: readOnly)
            #expect(lastPath(sys)! == (false, 2))
            #expect(sys.registers(of: client).info.label == ErrorCode.invalidCapability.rawValue)
            // 3: no receiver -> the caller blocks sending.
            sys.syscall(.call, by: client, cap: sys.mint(ep, badge: 3).slot)
            #expect(lastPath(sys)!.fast)
            sys.syscall(.reply, by: server)
            sys.syscall(.call, by: client, cap: ep)
            #expect(lastPath(sys)! == (false, 3) && client.state == .blockedOnSend)
            // 6: neither Grant nor GrantReply -> message delivered, caller Inactive.
            let writeOnly = sys.mint(ep, rights: [.write], badge: 0).slot
            let c2 = sys.spawn().thread
            sys.syscall(.recv, by: server, cap: ep)  // takes client's queued Call
            sys.syscall(.reply, by: server)
            sys.syscall(.recv, by: server, cap: ep)
            sys.syscall(.call, by: c2, cap: writeOnly, info: MessageInfo(label: 6, length: 0))
            #expect(lastPath(sys)! == (false, 6) && c2.state == .inactive && sys.registers(of: server).info.label == 6)
            #expect(!sys.ipcHasCaller(server))
            #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
        }
        // 5: lower-priority receiver while a higher-priority thread is ready.
        do {
            let sys = TestSystem(tracing: true)
            let ep = sys.make(ObjectType.endpoint)
            let server = sys.spawn(priority: 50).thread, client = sys.spawn(priority: 100).thread
            sys.syscall(.recv, by: server, cap: ep)
            sys.syscall(.call, by: client, cap: ep)
            #expect(lastPath(sys)! == (false, 5))
            #expect(sys.kernel.currentThread == sys.root && server.state == .running && client.state == .blockedOnReply)
            #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
        }
        // 4 (and FAST-4 7): no valid VSpace root: slowpath.
        do {
            let sys = TestSystem(tracing: true)
            let ep = sys.make(ObjectType.endpoint)
            let server = sys.spawn().thread, client = sys.spawn().thread
            #expect(sys.invoke(Word(InitialSlot.cnode), label: .cnodeRevoke, args: [Word(InitialSlot.vspace), 64]).info.label == 0)
            #expect(server.slot(.vspace).cap.isNull)
            sys.syscall(.recv, by: server, cap: ep)
            sys.syscall(.call, by: client, cap: ep, info: MessageInfo(label: 4, length: 0))
            #expect(lastPath(sys)! == (false, 4) && sys.registers(of: server).info.label == 4)
            sys.suspendRootTask()
            sys.syscall(.replyRecv, by: server, cap: ep)
            #expect(lastPath(sys)! == (false, 7) && client.state.isRunnable)
            #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
        }
    }

    // FAST-4: each failing ReplyRecv condition falls back to the slowpath.
    @Test func fast4_replyRecvConditions() {
        let sys = TestSystem(tracing: true)
        let ep = sys.make(ObjectType.endpoint)
        let ntfn = sys.make(ObjectType.notification)
        let (fep, handlerCap, handler) = sys.ipcFaultHandler()
        let server = sys.spawn()
        sys.bindNotification(server.slot, ntfn)
        let c1 = sys.spawn().thread, c2 = sys.spawn().thread
        let faulty = sys.spawn(faultHandler: handlerCap).thread
        sys.syscall(.recv, by: server.thread, cap: ep)
        // 8: the root (priority 255) is ready.
        sys.syscall(.call, by: c1, cap: ep)
        sys.syscall(.replyRecv, by: server.thread, cap: ep)
        #expect(lastPath(sys)! == (false, 8) && c1.state.isRunnable)
        // 5: empty caller slot.
        sys.syscall(.call, by: c1, cap: ep)
        sys.syscall(.reply, by: server.thread)
        sys.syscall(.replyRecv, by: server.thread, cap: ep)
        #expect(lastPath(sys)! == (false, 5))
        // 4: a sender is queued.
        sys.syscall(.call, by: c1, cap: ep)
        sys.syscall(.call, by: c2, cap: ep, info: MessageInfo(label: 22, length: 0))
        sys.suspendRootTask()
        sys.syscall(.replyRecv, by: server.thread, cap: ep)
        #expect(lastPath(sys)! == (false, 4))
        #expect(sys.registers(of: server.thread).info.label == 22 && c1.state.isRunnable)
        // 3: the bound notification is active.
        sys.syscall(.send, by: c1, cap: ntfn)
        sys.syscall(.replyRecv, by: server.thread, cap: ep)
        #expect(lastPath(sys)! == (false, 3))
        #expect(server.thread.state == .running && c2.state.isRunnable)
        // 6: the caller has a pending fault (the handler replies to it).
        sys.syscall(.send, by: faulty, cap: ipcBadCPtr)
        sys.syscall(.replyRecv, by: handler, cap: fep)
        #expect(lastPath(sys)! == (false, 6) && faulty.state.isRunnable)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // FAST-4 actions: the server joins the endpoint queue's tail; badge 0; capsUnwrapped cleared.
    @Test func fast4_actions() {
        let sys = TestSystem(tracing: true)
        let ep = sys.make(ObjectType.endpoint)
        let other = sys.spawn().thread, server = sys.spawn().thread, client = sys.spawn().thread
        sys.syscall(.recv, by: server, cap: ep)
        sys.syscall(.recv, by: other, cap: ep)
        sys.syscall(.call, by: client, cap: sys.mint(ep, badge: 9).slot)
        #expect(sys.registers(of: server).badge == 9)
        sys.suspendRootTask()
        sys.syscall(.replyRecv, by: server, cap: ep, info: MessageInfo(label: 5, capsUnwrapped: 3, length: 2), mrs: [7, 8])
        #expect(lastPath(sys)! == (true, 0))
        #expect(sys.registers(of: client) == TestSystem.Registers(badge: 0, info: MessageInfo(label: 5, length: 2), words: [7, 8]))
        #expect(sys.ipcQueue(sys.ipcEndpoint(ep)) == [other, server])
        #expect(!sys.ipcHasCaller(server) && sys.kernel.currentThread == client)
        #expect(client.slot(.reply).next == nil)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // FAST-5: random Call/ReplyRecv workloads give identical observable results with and
    // without the fastpath.
    @Test func fast5_randomWorkloadsMatchSlowpath() {
        var totalSteps = 0
        var fastOps = 0
        var seed: UInt64 = 0x5EED_0000
        while totalSteps < 10_000 {
            let fast = FastpathWorkload(seed: seed, fastpath: true)
            let slow = FastpathWorkload(seed: seed, fastpath: false)
            fast.run(steps: 500)
            slow.run(steps: 500)
            #expect(fast.issues.isEmpty, "seed \(seed): \(fast.issues.prefix(3))")
            #expect(slow.issues.isEmpty, "seed \(seed): \(slow.issues.prefix(3))")
            #expect(fast.records.count == slow.records.count, "seed \(seed)")
            if let i = (0..<min(fast.records.count, slow.records.count)).first(where: { fast.records[$0] != slow.records[$0] }) {
                Issue.record("seed \(seed) step \(i) differs:\nfast: \(fast.records[i])\nslow: \(slow.records[i])")
            }
            #expect(slow.sys.kernel.pathCounters.fastpathCalls == 0 && slow.sys.kernel.pathCounters.fastpathReplyRecvs == 0)
            fastOps += fast.sys.kernel.pathCounters.fastpathCalls + fast.sys.kernel.pathCounters.fastpathReplyRecvs
            totalSteps += min(fast.records.count, slow.records.count)
            #expect(fast.sys.invariantFailures.isEmpty, "\(fast.sys.invariantFailures.prefix(3))")
            #expect(slow.sys.invariantFailures.isEmpty, "\(slow.sys.invariantFailures.prefix(3))")
            seed &+= 1
            if seed > 0x5EED_0000 + 200 { break }
        }
        #expect(totalSteps >= 10_000)
        #expect(fastOps >= totalSteps / 10, "fastpath taken \(fastOps) times in \(totalSteps) steps")
    }
}

// MARK: - The random workload

struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}

struct WorkloadStep: Equatable, CustomStringConvertible {
    var actor: Int
    var syscall: Int
    var current: String
    var states: [ThreadState]
    var registers: [[Word]]
    var events: [String]
    var description: String { "actor t\(actor) syscall \(syscall) current \(current)\n states \(states)\n regs \(registers)\n events \(events)" }
}

/// Clients Call servers with random lengths 0..8, labels that are unique message ids, random
/// badges, sometimes an extra cap; servers ReplyRecv (sometimes calling a second server
/// first). A model checks that every message is delivered once and answered once.
final class FastpathWorkload {
    enum Role { case client(cap: Word), server(ep: Word, nested: Word?) }
    let sys: TestSystem
    var rng: SplitMix64
    var threads: [Thread] = []
    var roles: [Role] = []
    var receiveSlots: [Word?] = []
    var badges: [Word] = []
    var index: [Word: Int] = [:]
    var endpointIndex: [Word: Int] = [:]
    var spare: [Word] = []
    var outstanding: [Word?] = []
    var holding: [Word?] = []
    var delivered = Set<Word>()
    var nextID: Word = 1
    var eventCursor = 0
    var records: [WorkloadStep] = []
    var issues: [String] = []

    init(seed: UInt64, fastpath: Bool) {
        sys = TestSystem(fastpath: fastpath, tracing: true)
        rng = SplitMix64(state: seed)
        let priorities = [80, 100, 100, 120]
        let rights: [CapRights] = [.all, [.write, .grantReply], [.write, .grant], [.write, .grant, .grantReply]]
        let endpoints = (0..<(1 + rng.below(2))).map { _ in sys.make(ObjectType.endpoint) }
        for (i, ep) in endpoints.enumerated() { endpointIndex[sys.capability(at: ep).address] = i }
        spare = [sys.make(ObjectType.notification), sys.make(ObjectType.endpoint), sys.mint(endpoints[0], badge: 0xE0).slot]
        let serverCount = endpoints.count + rng.below(2)
        for i in 0..<serverCount {
            let ep = endpoints[i % endpoints.count]
            let nested: Word? = endpoints.count == 2 && i % 2 == 0 ? sys.mint(endpoints[1], badge: 0x5E00 + Word(i)).slot : nil
            let t = sys.spawn(priority: priorities[rng.below(priorities.count)]).thread
            addThread(t, .server(ep: ep, nested: nested), badge: nested.map { sys.capability(at: $0).badge } ?? 0)
        }
        for _ in 0..<(2 + rng.below(3)) {
            let t = sys.spawn(priority: priorities[rng.below(priorities.count)], ipcBuffer: !rng.chance(20)).thread
            let badge = rng.chance(20) ? 0 : rng.next()
            let cap = sys.mint(endpoints[rng.below(endpoints.count)], rights: rights[rng.below(rights.count)], badge: badge).slot
            addThread(t, .client(cap: cap), badge: badge)
        }
        sys.suspendRootTask()
        eventCursor = sys.events.count
    }

    private func addThread(_ t: Thread, _ role: Role, badge: Word) {
        index[t.address] = threads.count
        threads.append(t)
        roles.append(role)
        badges.append(badge)
        outstanding.append(nil)
        holding.append(nil)
        let slot: Word? = rng.chance(50) ? sys.allocateSlot() : nil
        if let slot { sys.setCapReceivePath(of: t, index: slot) }
        receiveSlots.append(slot)
    }

    private func name(_ t: Thread?) -> String {
        guard let t else { return "idle" }
        if let i = index[t.address] { return "t\(i)" }
        return t == sys.root ? "root" : "?"
    }

    private func object(_ w: Word) -> String {
        if w == 0 { return "-" }
        if let e = endpointIndex[w] { return "ep\(e)" }
        return "obj"
    }

    private func randomMessage(label: Word) -> (MessageInfo, [Word], [Word]) {
        let length = rng.below(9)
        let words = (0..<length).map { _ in rng.next() }
        let extra: [Word] = rng.chance(10) ? [spare[rng.below(spare.count)]] : []
        let unwrapped: Word = rng.chance(10) ? Word(rng.below(8)) : 0
        return (MessageInfo(label: label, capsUnwrapped: unwrapped, extraCaps: Word(extra.count), length: Word(length)), words, extra)
    }

    func run(steps: Int) {
        for _ in 0..<steps {
            let runnable = threads.indices.filter { threads[$0].state.isRunnable }
            guard !runnable.isEmpty else { break }
            var actor = runnable[rng.below(runnable.count)]
            if let current = sys.kernel.currentThread, let i = index[current.address], rng.chance(70) { actor = i }
            let syscall = perform(actor)
            check()
            records.append(WorkloadStep(
                actor: actor, syscall: syscall, current: name(sys.kernel.currentThread),
                states: threads.map(\.state),
                registers: threads.map { t in
                    let r = sys.registers(of: t, words: 8)
                    return [r.badge, r.info.rawValue] + r.mr
                },
                events: newEvents()))
        }
        // Nothing lost: every pending id is still waiting for delivery or for its reply.
        for (i, id) in outstanding.enumerated() {
            guard let id else { continue }
            let state = threads[i].state
            if delivered.contains(id) {
                if state != .blockedOnReply { issues.append("t\(i) lost the reply to \(id) (state \(state))") }
            } else if state != .blockedOnSend {
                issues.append("t\(i) message \(id) lost (state \(state))")
            }
        }
    }

    private func perform(_ actor: Int) -> Int {
        let t = threads[actor]
        switch roles[actor] {
        case .client(let cap):
            if let slot = receiveSlots[actor], rng.chance(5) {
                sys.deleteSlot(slot, by: t)
                return Syscall.call.rawValue
            }
            let id = nextID
            nextID += 1
            outstanding[actor] = id
            let (info, words, extra) = randomMessage(label: id)
            sys.syscall(.call, by: t, cap: cap, info: info, mrs: words, extraCaps: extra)
            return Syscall.call.rawValue
        case .server(let ep, let nested):
            if let slot = receiveSlots[actor], rng.chance(3) {
                sys.deleteSlot(slot, by: t)
                return Syscall.call.rawValue
            }
            if sys.ipcHasCaller(t) {
                guard let id = holding[actor] else {
                    issues.append("t\(actor) holds a caller but no message")
                    return 0
                }
                if let nested, outstanding[actor] == nil, rng.chance(15) {
                    let nid = nextID
                    nextID += 1
                    outstanding[actor] = nid
                    let (info, words, extra) = randomMessage(label: nid)
                    sys.syscall(.call, by: t, cap: nested, info: info, mrs: words, extraCaps: extra)
                    return Syscall.call.rawValue
                }
                holding[actor] = nil
                let (info, words, extra) = randomMessage(label: id)
                sys.syscall(.replyRecv, by: t, cap: ep, info: info, mrs: words, extraCaps: extra)
                return Syscall.replyRecv.rawValue
            }
            holding[actor] = nil
            let call: Syscall = rng.chance(70) ? .replyRecv : .recv
            let (info, words, extra) = randomMessage(label: 0)
            sys.syscall(call, by: t, cap: ep, info: info, mrs: words, extraCaps: extra)
            return call.rawValue
        }
    }

    /// The model: each delivered message carries its sender's outstanding id and badge and is
    /// delivered once; each reply carries the id its receiver is waiting for, with badge 0.
    private func check() {
        for event in sys.events[eventCursor...] {
            guard case .delivered(let sender, let receiver, let badge, let info, let isReply) = event,
                  let s = index[sender.address], let r = index[receiver.address] else { continue }
            let got = sys.registers(of: receiver)
            if got.info != info || got.badge != badge { issues.append("t\(r) registers \(got) disagree with \(info)") }
            if isReply {
                if info.label != outstanding[r] || badge != 0 {
                    issues.append("reply \(info.label) to t\(r) waiting for \(String(describing: outstanding[r]))")
                }
                outstanding[r] = nil
            } else {
                let id = info.label
                if outstanding[s] != id { issues.append("t\(s) sent \(id) but had \(String(describing: outstanding[s]))") }
                if !delivered.insert(id).inserted { issues.append("message \(id) delivered twice") }
                if badge != badges[s] { issues.append("message \(id) badge \(badge), expected \(badges[s])") }
                holding[r] = id
            }
        }
    }

    private func newEvents() -> [String] {
        defer { eventCursor = sys.events.count }
        return sys.events[eventCursor...].compactMap { event -> String? in
            switch event {
            case .delivered(let s, let r, let badge, let info, let isReply):
                return "D \(name(s))>\(name(r)) b=\(badge) i=\(info.rawValue) \(isReply)"
            case .blocked(let t, let o, let state): return "B \(name(t)) \(object(o)) \(state)"
            case .woken(let t, let o, let why): return "W \(name(t)) \(object(o)) \(why)"
            case .switched(let from, let to): return "S \(name(from))>\(name(to))"
            default: return nil
            }
        }
    }
}
