import CBench
import KernelCore
import KernelTestSupport

/// How kernel costs grow with the size of the system (performance.md: "flat cost"), measured
/// on the kernel alone with the deterministic platform: system calls are made by setting a
/// thread's registers and entering the kernel, with no hosted context switch.
public enum ScalingBenchmarks {
    public struct Row: Codable, Sendable {
        public var name: String
        public var size: Int
        public var nanosecondsPerOperation: Double
    }

    /// A big enough kernel for `objects` threads and endpoints.
    static func system(objects: Int) -> TestSystem {
        // A power of two twice what is needed, so that its upper half is one untyped that
        // `TestSystem.retype` can use for everything.
        var bytes = 1 << 26
        while bytes < 2 * (objects * 4096 + (16 << 20)) { bytes <<= 1 }
        let sys = TestSystem(memoryBytes: bytes, rootCNodeBits: 18, maxUntypedBits: min(Constants.maxUntypedBits, 62 - bytes.leadingZeroBitCount))
        sys.checksInvariantsAfterSyscalls = false
        return sys
    }

    /// Enters the kernel as `thread` with a one-word message; the thread must be current.
    @inline(__always)
    static func enter(_ kernel: Kernel, _ thread: KernelCore.Thread, _ syscall: Syscall, cap: Word, length: Word = 1) {
        thread[register: RegisterFile.capRegister] = cap
        thread[register: RegisterFile.msgInfoRegister] = MessageInfo(label: 0, length: length).rawValue
        _ = kernel.handleSyscall(syscall.rawValue)
    }

    /// Call/ReplyRecv round trips (fastpath) while `others` threads sit blocked on other
    /// endpoints.
    public static func roundTrip(otherThreads others: Int, roundTrips: Int = 200_000) -> Row {
        let sys = system(objects: others + 16)
        let ep = sys.make(ObjectType.endpoint)
        let parking = sys.make(ObjectType.endpoint)
        for _ in 0..<others {
            let t = sys.spawn(priority: 50, ipcBuffer: false).thread
            sys.syscall(.recv, by: t, cap: parking)
        }
        let server = sys.spawn(priority: 100).thread
        let client = sys.spawn(priority: 100).thread
        sys.suspendRootTask()
        sys.syscall(.recv, by: server, cap: ep)
        _ = sys.kernel.preempt(to: client)
        let kernel = sys.kernel
        func one() {
            enter(kernel, client, .call, cap: ep)
            enter(kernel, server, .replyRecv, cap: ep)
        }
        for _ in 0..<1000 { one() }
        let start = swl4_bench_now_ns()
        for _ in 0..<roundTrips { one() }
        let ns = Double(swl4_bench_now_ns() - start) / Double(roundTrips)
        return Row(name: "Call/ReplyRecv round trip, other threads blocked", size: others, nanosecondsPerOperation: ns)
    }

    /// A Send onto an endpoint with `queued` senders ahead, and the Recv of the head sender,
    /// which then sends again: the queue stays `queued` long.
    public static func queuedSenders(_ queued: Int, operations: Int = 100_000) -> Row {
        let sys = system(objects: queued + 16)
        let ep = sys.make(ObjectType.endpoint)
        var senders: [KernelCore.Thread] = []
        for _ in 0..<max(queued, 1) {
            let t = sys.spawn(priority: 50, ipcBuffer: false).thread
            sys.syscall(.send, by: t, cap: ep)
            senders.append(t)
        }
        let receiver = sys.spawn(priority: 100).thread
        sys.suspendRootTask()
        let kernel = sys.kernel
        var head = 0
        let start = swl4_bench_now_ns()
        for _ in 0..<operations {
            _ = kernel.preempt(to: receiver)
            enter(kernel, receiver, .nbRecv, cap: ep)
            let woken = senders[head]
            head = head + 1 == senders.count ? 0 : head + 1
            _ = kernel.preempt(to: woken)
            enter(kernel, woken, .send, cap: ep)
        }
        let ns = Double(swl4_bench_now_ns() - start) / Double(operations)
        return Row(name: "Recv head + Send at tail, cycling all queued senders", size: queued, nanosecondsPerOperation: ns)
    }

    /// One more sender joins the tail of a queue of `queued` senders and leaves it again
    /// (TCB_Suspend and TCB_Resume by another thread): only the tail's neighbours are touched.
    public static func sendBehindQueue(_ queued: Int, operations: Int = 100_000) -> Row {
        let sys = system(objects: queued + 16)
        let ep = sys.make(ObjectType.endpoint)
        for _ in 0..<queued {
            let t = sys.spawn(priority: 50, ipcBuffer: false).thread
            sys.syscall(.send, by: t, cap: ep)
        }
        let (senderSlot, sender) = sys.spawn(priority: 100, ipcBuffer: false)
        let controller = sys.spawn(priority: 100).thread
        sys.suspendRootTask()
        let kernel = sys.kernel
        func invoke(_ label: InvocationLabel) {
            controller[register: RegisterFile.capRegister] = senderSlot
            controller[register: RegisterFile.msgInfoRegister] = MessageInfo(label: label.rawValue, length: 0).rawValue
            _ = kernel.handleSyscall(Syscall.call.rawValue)
        }
        let start = swl4_bench_now_ns()
        for _ in 0..<operations {
            _ = kernel.preempt(to: sender)
            enter(kernel, sender, .send, cap: ep)
            _ = kernel.preempt(to: controller)
            invoke(.tcbSuspend)
            invoke(.tcbResume)
        }
        let ns = Double(swl4_bench_now_ns() - start) / Double(operations)
        return Row(name: "Send behind queued senders (+ Suspend, Resume)", size: queued, nanosecondsPerOperation: ns)
    }

    /// A Signal and a Poll through a CPtr resolved at depth 64 through `levels` CNodes (each
    /// radix 8, with a guard making up the rest of its share of the 64 bits).
    public static func deepLookup(levels: Int, operations: Int = 200_000) -> Row {
        let sys = system(objects: 64)
        let radix = 8
        let guardSize = 64 / levels - radix
        var cnodes: [Word] = []
        for _ in 0..<levels { cnodes.append(sys.make(ObjectType.cnode, size: Word(radix))) }
        let ntfn = sys.make(ObjectType.notification)
        let guardData = CNodeCapData(guard: 0, guardSize: Word(guardSize)).rawValue
        var cptr: Word = 0
        for level in 0..<levels {
            if level + 1 < levels {
                // Slot 1 of this level holds the next level's CNode cap, with its guard.
                sys.cnodeInvoke(.cnodeMint, [1, Word(radix), cnodes[level + 1], 64, CapRights.all.rawValue, guardData],
                                cnode: cnodes[level])
            } else {
                sys.cnodeInvoke(.cnodeCopy, [1, Word(radix), ntfn, 64, CapRights.all.rawValue], cnode: cnodes[level])
            }
            cptr = cptr << Word(guardSize + radix) | 1
        }
        let thread = sys.spawn(priority: 100, ipcBuffer: false, cspaceRoot: cnodes[0], cspaceData: guardData).thread
        sys.suspendRootTask()
        _ = sys.kernel.preempt(to: thread)
        let kernel = sys.kernel
        let start = swl4_bench_now_ns()
        for _ in 0..<operations {
            enter(kernel, thread, .nbSend, cap: cptr, length: 0)
            enter(kernel, thread, .nbRecv, cap: cptr)
        }
        let ns = Double(swl4_bench_now_ns() - start) / Double(operations)
        if thread[register: RegisterFile.badgeRegister] != 0 || thread.state != .running {
            return Row(name: "Signal + Poll through a CNode chain: LOOKUP FAILED", size: levels, nanosecondsPerOperation: .nan)
        }
        return Row(name: "Signal + Poll through CNode levels to depth 64", size: levels, nanosecondsPerOperation: ns)
    }

    /// Revoke of an endpoint cap with `copies` badged children.
    public static func revoke(copies: Int) -> Row {
        let sys = system(objects: copies + 16)
        let ep = sys.make(ObjectType.endpoint)
        for i in 0..<copies { sys.mint(ep, badge: Word(i + 1)) }
        let start = swl4_bench_now_ns()
        sys.cnodeInvoke(.cnodeRevoke, [ep, 64])
        let ns = Double(swl4_bench_now_ns() - start) / Double(max(copies, 1))
        return Row(name: "Revoke, per derived cap deleted", size: copies, nanosecondsPerOperation: ns)
    }

    /// Untyped_Retype of `count` endpoints, 256 per call (the fan-out limit).
    public static func retype(count: Int) -> Row {
        let sys = system(objects: count + 16)
        let start = swl4_bench_now_ns()
        var made = 0
        while made < count {
            let batch = min(256, count - made)
            sys.retype(ObjectType.endpoint, count: Word(batch))
            made += batch
        }
        let ns = Double(swl4_bench_now_ns() - start) / Double(count)
        return Row(name: "Untyped_Retype, per endpoint created", size: count, nanosecondsPerOperation: ns)
    }

    public static func all(quick: Bool = false) -> [Row] {
        let sizes = quick ? [1, 100, 10_000] : [1, 100, 10_000, 100_000]
        var rows: [Row] = []
        for n in sizes { rows.append(roundTrip(otherThreads: n)) }
        for n in sizes { rows.append(sendBehindQueue(n)) }
        for n in sizes { rows.append(queuedSenders(n)) }
        for levels in [1, 2, 4, 8] { rows.append(deepLookup(levels: levels)) }
        rows.append(revoke(copies: quick ? 10_000 : 100_000))
        rows.append(retype(count: 10_000))
        return rows
    }
}
