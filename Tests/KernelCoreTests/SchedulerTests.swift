import Testing
import KernelCore
import KernelTestSupport

/// The non-MCS scheduler (SCHED-1..7, YIELD-1): FIFO ready queues per priority, the bitmap,
/// seL4's candidate rules for woken threads and head enqueueing of restarted threads.
///
/// The tests observe the ready queues through who runs: a thread "parks" by receiving on an
/// endpoint nobody sends to, and the kernel then picks the head of the highest queue. Every
/// parking thread is the current one, so the test platform never preempts (which would
/// itself reorder the queues).
@Suite struct SchedulerTests {
    private func park(_ sys: TestSystem, _ t: Thread, on park: Word, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(sys.kernel.currentThread == t, "parking a thread that is not running", sourceLocation: sourceLocation)
        sys.syscall(.recv, by: t, cap: park)
        #expect(t.state == .blockedOnReceive, sourceLocation: sourceLocation)
    }

    // MARK: SCHED-1, SCHED-2

    @Test func sched1_highestPriorityRunnableThreadRuns() {
        let sys = TestSystem()
        let parking = sys.make(ObjectType.endpoint)
        let a = sys.spawn(priority: 50).thread, b = sys.spawn(priority: 200).thread, c = sys.spawn(priority: 100).thread
        // The root (255) keeps the CPU while it is runnable.
        #expect(sys.kernel.currentThread == sys.root)
        park(sys, sys.root, on: parking)
        #expect(sys.kernel.currentThread == b)
        park(sys, b, on: parking)
        #expect(sys.kernel.currentThread == c)
        park(sys, c, on: parking)
        #expect(sys.kernel.currentThread == a)
        park(sys, a, on: parking)
        #expect(sys.kernel.currentThread == nil)  // idle
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// `restart` enqueues at the head (SCHED-2), so three resumed threads run in reverse
    /// order; Yield appends to the tail, giving FIFO round robin.
    @Test func sched2_resumeEnqueuesAtHeadAndYieldRoundRobinsFIFO() {
        let sys = TestSystem()
        let parking = sys.make(ObjectType.endpoint)
        let a1 = sys.spawn(priority: 100).thread, a2 = sys.spawn(priority: 100).thread, a3 = sys.spawn(priority: 100).thread
        park(sys, sys.root, on: parking)
        var order: [Thread] = []
        for _ in 0..<6 {
            guard let current = sys.kernel.currentThread else { break }
            order.append(current)
            sys.syscall(.yield, by: current)
        }
        #expect(order == [a3, a2, a1, a3, a2, a1])
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func yield1_aloneAtTopPriorityContinuesAndLowerThreadsWait() {
        let sys = TestSystem()
        let parking = sys.make(ObjectType.endpoint)
        let high = sys.spawn(priority: 120).thread
        let low = sys.spawn(priority: 110).thread
        park(sys, sys.root, on: parking)
        #expect(sys.kernel.currentThread == high)
        sys.syscall(.yield, by: high)
        #expect(sys.kernel.currentThread == high)
        #expect(low.state == .restart)
        park(sys, high, on: parking)
        #expect(sys.kernel.currentThread == low)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// The two-level bitmap finds the highest ready priority across all 64-bit groups.
    @Test func sched2_bitmapFindsHighestReadyPriority() {
        let sys = TestSystem()
        let priorities = [0, 1, 63, 64, 127, 128, 191, 192, 254]
        var slots: [(Int, Word)] = []
        for p in priorities { slots.append((p, sys.spawn(priority: p).slot)) }
        // The root is current, so it is not in a ready queue.
        #expect(sys.kernel.highestReadyPriority == 254)
        expectBitmapTestAgrees(sys)
        for (index, (_, slot)) in slots.enumerated().reversed() {
            expectKernelReply(sys.invoke(slot, label: .tcbSuspend, args: []), .noError)
            let expected = index == 0 ? nil : Optional(priorities[index - 1])
            #expect(sys.kernel.highestReadyPriority == expected)
            expectBitmapTestAgrees(sys)
        }
        // Resuming one in the lowest group brings it back.
        expectKernelReply(sys.invoke(slots[2].1, label: .tcbResume, args: []), .noError)
        #expect(sys.kernel.highestReadyPriority == 63)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// `isHighestPrio` as riscv64 tests it (`noReadyPriorityAbove`, the bitmap's bits above a
    /// priority) agrees with the comparison with the highest ready priority, at every priority.
    private func expectBitmapTestAgrees(_ sys: TestSystem, sourceLocation: SourceLocation = #_sourceLocation) {
        let top = sys.kernel.highestReadyPriority
        let disagreeing = (0..<256).filter { priority in sys.kernel.noReadyPriorityAbove(priority) != (top.map { priority >= $0 } ?? true) }
        #expect(disagreeing.isEmpty, "highest ready \(String(describing: top)), bitmap test differs at \(disagreeing)",
                sourceLocation: sourceLocation)
    }

    // MARK: SCHED-3, SCHED-4

    /// Scenario 40: equal-priority Send to a waiting receiver: the sender keeps the CPU and
    /// the receiver goes to the tail of its ready queue (behind X).
    @Test(arguments: [true, false])
    func scenario40_equalPrioritySendKeepsSenderReceiverToTail(fastpath: Bool) {
        let sys = TestSystem(fastpath: fastpath)
        let parking = sys.make(ObjectType.endpoint)
        let ep = sys.make(ObjectType.endpoint)
        let r = sys.spawn(priority: 100).thread, s = sys.spawn(priority: 100).thread, x = sys.spawn(priority: 100).thread
        park(sys, sys.root, on: parking)
        #expect(sys.kernel.currentThread == x)
        sys.syscall(.recv, by: r, cap: ep)  // preempts X (to the tail), R blocks
        #expect(sys.kernel.currentThread == s)
        sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: 7, length: 1), mrs: [70])
        #expect(sys.kernel.currentThread == s)
        #expect(r.state == .running)
        park(sys, s, on: parking)
        #expect(sys.kernel.currentThread == x)
        park(sys, x, on: parking)
        #expect(sys.kernel.currentThread == r)
        #expect(sys.registers(of: r).info.label == 7 && sys.registers(of: r).mr == [70])
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// Scenario 41: equal-priority Call to a waiting server: the server runs at once.
    @Test(arguments: [true, false])
    func scenario41_equalPriorityCallRunsServerImmediately(fastpath: Bool) {
        let sys = TestSystem(fastpath: fastpath)
        let parking = sys.make(ObjectType.endpoint)
        let ep = sys.make(ObjectType.endpoint)
        let server = sys.spawn(priority: 100).thread, client = sys.spawn(priority: 100).thread
        let x = sys.spawn(priority: 100).thread
        park(sys, sys.root, on: parking)
        #expect(sys.kernel.currentThread == x)
        sys.syscall(.recv, by: server, cap: ep)  // preempts X (to the tail)
        #expect(sys.kernel.currentThread == client)
        sys.syscall(.call, by: client, cap: ep, info: MessageInfo(label: 1, length: 0))
        // X, ready at the same priority, does not get in the way.
        #expect(sys.kernel.currentThread == server)
        #expect(client.state == .blockedOnReply && x.state.isRunnable)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// Scenario 42 and SCHED-4 step 2: a lower-priority server runs after a Call only if no
    /// ready thread outranks it; otherwise it is enqueued at the head of its queue.
    @Test(arguments: [true, false])
    func scenario42_lowerPriorityServerRunsOnlyIfHighestReady(withMiddleThread: Bool) {
        let sys = TestSystem()
        let parking = sys.make(ObjectType.endpoint)
        let ep = sys.make(ObjectType.endpoint)
        let server = sys.spawn(priority: 50).thread
        let other = sys.spawn(priority: 50).thread
        let client = sys.spawn(priority: 100).thread
        let middle: Thread? = withMiddleThread ? sys.spawn(priority: 80).thread : nil
        park(sys, sys.root, on: parking)
        #expect(sys.kernel.currentThread == client)
        sys.syscall(.recv, by: server, cap: ep)
        #expect(sys.kernel.currentThread == client)
        sys.syscall(.call, by: client, cap: ep, info: MessageInfo(label: 1, length: 0))
        #expect(client.state == .blockedOnReply && server.state == .running)
        if let middle {
            #expect(sys.kernel.currentThread == middle)
            park(sys, middle, on: parking)
            // The server was enqueued at the head of the priority-50 queue, before `other`.
            #expect(sys.kernel.currentThread == server)
        } else {
            #expect(sys.kernel.currentThread == server)
        }
        park(sys, server, on: parking)
        #expect(sys.kernel.currentThread == other)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// SCHED-4 (b): a woken thread of strictly higher priority runs at once; a lower one waits.
    @Test func sched4_sendWakesHigherPriorityAtOnceLowerLater() {
        let sys = TestSystem()
        let parking = sys.make(ObjectType.endpoint)
        let ep = sys.make(ObjectType.endpoint)
        let high = sys.spawn(priority: 150).thread, low = sys.spawn(priority: 50).thread
        let sender = sys.spawn(priority: 100).thread
        park(sys, sys.root, on: parking)
        park(sys, high, on: ep)
        #expect(sys.kernel.currentThread == sender)
        sys.syscall(.send, by: sender, cap: ep, info: MessageInfo(label: 1, length: 0))
        #expect(sys.kernel.currentThread == high)
        park(sys, high, on: parking)
        #expect(sys.kernel.currentThread == sender)
        sys.syscall(.recv, by: low, cap: ep)  // preempts the sender to receive
        #expect(sys.kernel.currentThread == sender)
        sys.syscall(.send, by: sender, cap: ep, info: MessageInfo(label: 2, length: 0))
        #expect(sys.kernel.currentThread == sender && low.state == .running)
        park(sys, sender, on: parking)
        #expect(sys.kernel.currentThread == low)
        #expect(sys.registers(of: low).info.label == 2)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// SCHED-4 (b) for notifications (PIT-14): an equal-priority Signal does not switch.
    @Test func sched4_equalPrioritySignalKeepsSignaller() {
        let sys = TestSystem()
        let parking = sys.make(ObjectType.endpoint)
        let ntfn = sys.make(ObjectType.notification)
        let waiter = sys.spawn(priority: 100).thread, signaller = sys.spawn(priority: 100).thread
        park(sys, sys.root, on: parking)
        sys.syscall(.recv, by: waiter, cap: ntfn)
        #expect(sys.kernel.currentThread == signaller)
        sys.syscall(.send, by: signaller, cap: ntfn, info: MessageInfo(label: 0, length: 0))
        #expect(sys.kernel.currentThread == signaller && waiter.state == .running)
        park(sys, signaller, on: parking)
        #expect(sys.kernel.currentThread == waiter)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// SCHED-4 (c) and (d): Reply keeps an equal-priority server running; a strictly higher
    /// client preempts it; ReplyRecv hands the CPU to an equal-priority client.
    @Test func sched4_replyAndReplyRecvCandidateRules() {
        let sys = TestSystem()
        let parking = sys.make(ObjectType.endpoint)
        let ep = sys.make(ObjectType.endpoint)
        let server = sys.spawn(priority: 100).thread
        let client = sys.spawn(priority: 100).thread
        let vip = sys.spawn(priority: 150).thread
        let vipPark = sys.make(ObjectType.endpoint)
        park(sys, sys.root, on: parking)
        park(sys, vip, on: vipPark)  // out of the way for now; woken later by a message
        sys.syscall(.recv, by: server, cap: ep)
        #expect(sys.kernel.currentThread == client)
        sys.syscall(.call, by: client, cap: ep, info: MessageInfo(label: 1, length: 0))
        #expect(sys.kernel.currentThread == server)
        // (c) Reply to an equal-priority client: the server keeps running.
        sys.syscall(.reply, by: server, info: MessageInfo(label: 2, length: 0))
        #expect(sys.kernel.currentThread == server && client.state == .running)
        // (d) ReplyRecv: the server blocks and the equal-priority client gets the CPU.
        sys.syscall(.recv, by: server, cap: ep)
        #expect(sys.kernel.currentThread == client)
        sys.syscall(.call, by: client, cap: ep, info: MessageInfo(label: 3, length: 0))
        #expect(sys.kernel.currentThread == server)
        sys.syscall(.replyRecv, by: server, cap: ep, info: MessageInfo(label: 4, length: 0))
        #expect(sys.kernel.currentThread == client)
        #expect(sys.registers(of: client).info.label == 4)
        // (c) with a strictly higher-priority client: it runs at once.
        sys.syscall(.send, by: client, cap: vipPark, info: MessageInfo(label: 0, length: 0))  // wakes vip (150)
        #expect(sys.kernel.currentThread == vip)
        sys.syscall(.call, by: vip, cap: ep, info: MessageInfo(label: 5, length: 0))
        #expect(sys.kernel.currentThread == server)  // highest ready after vip blocked
        sys.syscall(.reply, by: server, info: MessageInfo(label: 6, length: 0))
        #expect(sys.kernel.currentThread == vip)
        #expect(sys.registers(of: vip).info.label == 6)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// SCHED-3: a second thread woken while a candidate is pending forces a full reschedule,
    /// with both woken threads at the head of their queue (last woken first).
    @Test func sched3_secondWakeupWhileCandidatePendingReschedules() {
        let sys = TestSystem(fastpath: false)
        let parking = sys.make(ObjectType.endpoint)
        let ep = sys.make(ObjectType.endpoint)
        let server = sys.spawn(priority: 100).thread
        let client = sys.spawn(priority: 100).thread
        let sender = sys.spawn(priority: 100).thread
        park(sys, sys.root, on: parking)
        sys.syscall(.recv, by: server, cap: ep)
        sys.syscall(.call, by: client, cap: ep, info: MessageInfo(label: 1, length: 0))
        #expect(sys.kernel.currentThread == server)
        sys.syscall(.send, by: sender, cap: ep, info: MessageInfo(label: 2, length: 0))  // queues behind nobody
        #expect(sender.state == .blockedOnSend)
        #expect(sys.kernel.currentThread == server)
        // Reply wakes the client (candidate), the receive then takes the sender's message and
        // wakes it too: reschedule; the server, still runnable, goes to the head and wins.
        sys.syscall(.replyRecv, by: server, cap: ep, info: MessageInfo(label: 3, length: 0))
        #expect(sys.kernel.currentThread == server)
        #expect(sys.registers(of: server).info.label == 2)
        #expect(client.state == .running && sender.state == .running)
        park(sys, server, on: parking)
        #expect(sys.kernel.currentThread == sender)
        park(sys, sender, on: parking)
        #expect(sys.kernel.currentThread == client)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: SCHED-5

    /// Scenario 37 with SCHED-5: threads restarted by deletion go to the head of their queue
    /// one by one, so they run in reverse queue order, before the already-ready X.
    @Test func sched5_deletionRestartsThreadsAtHeadInReverseOrder() {
        let sys = TestSystem()
        let parking = sys.make(ObjectType.endpoint)
        let ep = sys.make(ObjectType.endpoint)
        let x = sys.spawn(priority: 100).thread
        let s1 = sys.spawn(priority: 100).thread, s2 = sys.spawn(priority: 100).thread
        sys.syscall(.send, by: s1, cap: ep, info: MessageInfo(label: 1, length: 0))
        sys.syscall(.send, by: s2, cap: ep, info: MessageInfo(label: 2, length: 0))
        #expect(sys.kernel.currentThread == sys.root)
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [ep, 64]), .noError)
        #expect(s1.state == .restart && s2.state == .restart)
        park(sys, sys.root, on: parking)
        #expect(sys.kernel.currentThread == s2)
        #expect(sys.isRestarting(s2))
        park(sys, s2, on: parking)
        #expect(sys.kernel.currentThread == s1)
        park(sys, s1, on: parking)
        #expect(sys.kernel.currentThread == x)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func sched5_cancelBadgedSendsRestartsAtHeadInReverseOrder() {
        let sys = TestSystem()
        let parking = sys.make(ObjectType.endpoint)
        let ep = sys.make(ObjectType.endpoint)
        let b3 = sys.mint(ep, badge: 3).slot, b4 = sys.mint(ep, badge: 4).slot
        let x = sys.spawn(priority: 100).thread
        let s1 = sys.spawn(priority: 100).thread, s2 = sys.spawn(priority: 100).thread, s3 = sys.spawn(priority: 100).thread
        sys.syscall(.send, by: s1, cap: b3, info: MessageInfo(label: 1, length: 0))
        sys.syscall(.send, by: s2, cap: b4, info: MessageInfo(label: 2, length: 0))
        sys.syscall(.send, by: s3, cap: b3, info: MessageInfo(label: 3, length: 0))
        expectKernelReply(sys.cnodeInvoke(.cnodeCancelBadgedSends, [b3, 64]), .noError)
        park(sys, sys.root, on: parking)
        #expect(sys.kernel.currentThread == s3)
        park(sys, s3, on: parking)
        #expect(sys.kernel.currentThread == s1)
        park(sys, s1, on: parking)
        #expect(sys.kernel.currentThread == x)
        #expect(s2.state == .blockedOnSend)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: SCHED-6, SCHED-7, priority changes

    @Test func sched6_noPriorityInheritanceThroughCall() {
        let sys = TestSystem()
        let parking = sys.make(ObjectType.endpoint)
        let ep = sys.make(ObjectType.endpoint)
        let server = sys.spawn(priority: 20).thread
        let client = sys.spawn(priority: 200).thread
        let middle = sys.spawn(priority: 100).thread
        park(sys, sys.root, on: parking)
        sys.syscall(.recv, by: server, cap: ep)
        #expect(sys.kernel.currentThread == client)
        sys.syscall(.call, by: client, cap: ep, info: MessageInfo(label: 1, length: 0))
        // The server does not inherit the client's priority: the middle thread runs first.
        #expect(server.priority == 20 && client.priority == 200)
        #expect(sys.kernel.currentThread == middle)
        park(sys, middle, on: parking)
        #expect(sys.kernel.currentThread == server && server.priority == 20)
        sys.syscall(.reply, by: server, info: MessageInfo(label: 0, length: 0))
        #expect(sys.kernel.currentThread == client && client.priority == 200)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func sched7_resumeOfHigherPriorityThreadPreemptsTheResumer() {
        let sys = TestSystem()
        let parking = sys.make(ObjectType.endpoint)
        let (highSlot, high) = sys.spawn(priority: 200)
        let (lowSlot, low) = sys.spawn(priority: 20)
        expectKernelReply(sys.invoke(highSlot, label: .tcbSuspend, args: []), .noError)
        expectKernelReply(sys.invoke(lowSlot, label: .tcbSuspend, args: []), .noError)
        let resumer = sys.spawn(priority: 150).thread
        park(sys, sys.root, on: parking)
        #expect(sys.kernel.currentThread == resumer)
        expectKernelReply(sys.invoke(lowSlot, label: .tcbResume, args: [], by: resumer), .noError)
        #expect(sys.kernel.currentThread == resumer && low.state == .restart)
        sys.syscall(.call, by: resumer, cap: highSlot, info: MessageInfo(label: InvocationLabel.tcbResume.rawValue, length: 0))
        #expect(sys.kernel.currentThread == high)
        #expect(resumer.state == .running)
        expectKernelReply(sys.registers(of: resumer), .noError)
        park(sys, high, on: parking)
        #expect(sys.kernel.currentThread == resumer)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func sched1_setPriorityReschedules() {
        let sys = TestSystem()
        let parking = sys.make(ObjectType.endpoint)
        let (xSlot, x) = sys.spawn(priority: 100)
        let m = sys.spawn(priority: 150).thread
        park(sys, sys.root, on: parking)
        #expect(sys.kernel.currentThread == m)
        // Raising a ready thread above the current one switches to it.
        expectKernelReply(sys.invoke(xSlot, label: .tcbSetPriority, args: [200], extraCaps: [rootThreadSlot], by: m), .noError)
        #expect(sys.kernel.currentThread == x)
        // Lowering the current thread below a ready one switches away.
        expectKernelReply(sys.invoke(xSlot, label: .tcbSetPriority, args: [10], extraCaps: [rootThreadSlot], by: x), .noError)
        #expect(sys.kernel.currentThread == m)
        park(sys, m, on: parking)
        #expect(sys.kernel.currentThread == x)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
}
