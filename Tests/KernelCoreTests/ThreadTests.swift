import Testing
import KernelCore
import KernelTestSupport

/// What a failed TCB invocation must leave alone.
struct ThreadSnapshot: Equatable {
    var slots: [[Word]]
    var priority: Int
    var mcp: Int
    var faultHandler: Word
    var ipcBufferAddress: Word
    var state: ThreadState
    var bound: Word
    var registers: [Word]
    init(_ sys: TestSystem, _ t: Thread, includeRegisters: Bool = true) {
        slots = [ThreadSlot.cspace, .vspace, .reply, .caller, .ipcBuffer].map { sys.rawSlot(atAddress: t.slot($0).address) }
        priority = t.priority
        mcp = t.maxControlledPriority
        faultHandler = t.faultHandler
        ipcBufferAddress = t.ipcBufferAddress
        state = t.state
        bound = t.boundNotification?.address ?? 0
        registers = includeRegisters ? (0...RegisterFile.faultIP).map { t[register: $0] } : []
    }
}

/// TCB invocations (decode-facts.md section 3), TS-1..TS-4 and SCHED-7.
@Suite struct ThreadTests {
    // MARK: Dispatch

    @Test func tcb_unknownOrForeignLabelIsIllegalOperation() {
        let sys = TestSystem()
        let (tcb, t) = sys.spawn(priority: 100)
        let before = ThreadSnapshot(sys, t)
        for label: Word in [0, 1, 17, 20, 25, 26, 30, 99] {
            expectKernelReply(sys.invoke(tcb, label: label, args: [0, 1, 2, 3], extraCaps: [rootThreadSlot]), .illegalOperation)
        }
        #expect(ThreadSnapshot(sys, t) == before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: Configure (3.4)

    @Test func tcbConfigure_truncatedAndCheckOrder() {
        let sys = TestSystem(deviceBytes: 1 << 16)
        let tcb = sys.make(ObjectType.thread)
        let t = sys.thread(at: tcb)
        let frame = sys.make(ObjectType.smallPage)
        let frameAddress = sys.capability(at: frame).address
        let ep = sys.make(ObjectType.endpoint)
        let device = sys.deviceUntypedSlots[0]
        let deviceFrame = sys.allocateSlot()
        expectKernelReply(sys.invoke(device, label: .untypedRetype, args: [ObjectType.smallPage, 0, 0, 0, deviceFrame, 1],
                                     extraCaps: [rootCNodeSlot]), .noError)
        let cnode = rootCNodeSlot, vspace = Word(InitialSlot.vspace)
        let before = ThreadSnapshot(sys, t)
        let roots = CSpaceState(sys)
        // Four words and all three caps are required, even with buffer address 0.
        expectKernelReply(sys.invoke(tcb, label: .tcbConfigure, args: [0, 0, 0], extraCaps: [cnode, vspace, frame]),
                          .truncatedMessage)
        expectKernelReply(sys.invoke(tcb, label: .tcbConfigure, args: [0, 0, 0, 0], extraCaps: [cnode, vspace]),
                          .truncatedMessage)
        // The buffer is checked before the spaces (whose caps here are wrong too).
        expectKernelReply(sys.invoke(tcb, label: .tcbConfigure, args: [0, 0, 0, frameAddress], extraCaps: [ep, ep, ep]),
                          .illegalOperation)
        expectKernelReply(sys.invoke(tcb, label: .tcbConfigure, args: [0, 0, 0, frameAddress + 512], extraCaps: [ep, ep, frame]),
                          .alignmentError)
        expectKernelReply(sys.invoke(tcb, label: .tcbConfigure, args: [0, 0, 0, sys.capability(at: deviceFrame).address],
                                     extraCaps: [cnode, vspace, deviceFrame]), .illegalOperation)
        // CSpace root: not a CNode, a guard that does not fit, an untyped with children.
        expectKernelReply(sys.invoke(tcb, label: .tcbConfigure, args: [0, 0, 0, frameAddress], extraCaps: [ep, vspace, frame]),
                          .illegalOperation)
        expectKernelReply(sys.invoke(tcb, label: .tcbConfigure, args: [0, CNodeCapData(guard: 0, guardSize: 60).rawValue, 0, frameAddress],
                                     extraCaps: [cnode, vspace, frame]), .illegalOperation)
        expectKernelReply(sys.invoke(tcb, label: .tcbConfigure, args: [0, 0, 0, frameAddress], extraCaps: [sys.untyped, vspace, frame]),
                          .revokeFirst)
        // VSpace root: must be a top-level paging structure.
        expectKernelReply(sys.invoke(tcb, label: .tcbConfigure, args: [0, 0, 0, frameAddress], extraCaps: [cnode, frame, frame]),
                          .illegalOperation)
        #expect(ThreadSnapshot(sys, t) == before)
        #expect(CSpaceState(sys) == roots)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func tcbConfigure_installsSpacesBufferAndFaultHandler() {
        let sys = TestSystem()
        let tcb = sys.make(ObjectType.thread)
        let t = sys.thread(at: tcb)
        let frame = sys.make(ObjectType.smallPage)
        let frameAddress = sys.capability(at: frame).address
        let cnode = sys.make(ObjectType.cnode, size: 4)
        let guardData = CNodeCapData(guard: 0, guardSize: 60).rawValue
        expectKernelReply(sys.invoke(tcb, label: .tcbConfigure, args: [0x77, guardData, 0, frameAddress + 1024],
                                     extraCaps: [cnode, Word(InitialSlot.vspace), frame]), .noError)
        #expect(t.faultHandler == 0x77)
        #expect(t.ipcBufferAddress == frameAddress + 1024)
        let cspace = t.slot(.cspace).cap
        #expect(cspace.type == .cnode && cspace.address == sys.capability(at: cnode).address)
        #expect(cspace.cnodeGuardSize == 60 && cspace.cnodeRadix == 4)
        #expect(t.slot(.vspace).cap.type == .pageTable)
        #expect(t.slot(.ipcBuffer).cap.type == .frame && t.slot(.ipcBuffer).cap.address == frameAddress)
        // Configure does not start the thread.
        #expect(t.state == .inactive)
        // Buffer address 0: the buffer slot is emptied and any frame cap is ignored.
        expectKernelReply(sys.invoke(tcb, label: .tcbConfigure, args: [0, 0, 0, 0],
                                     extraCaps: [rootCNodeSlot, Word(InitialSlot.vspace), cnode]), .noError)
        #expect(t.ipcBufferAddress == 0 && t.slot(.ipcBuffer).cap.isNull)
        #expect(t.slot(.cspace).cap.address == sys.root.slot(.cspace).cap.address)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// `slotCapLongRunningDelete`: a thread whose CSpace slot holds the last cap to its CNode
    /// cannot have its space replaced by Configure or SetSpace.
    @Test func tcbConfigure_finalCNodeInTargetSlotIsIllegalOperation() {
        let sys = TestSystem()
        let (tcb, t) = sys.spawn(priority: 100)
        let cnode = sys.make(ObjectType.cnode, size: 3)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetSpace, args: [0, 0, 0], extraCaps: [cnode, Word(InitialSlot.vspace)]),
                          .noError)
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [cnode, 64]), .noError)
        #expect(t.slot(.cspace).cap.type == .cnode)
        let before = ThreadSnapshot(sys, t)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetSpace, args: [0, 0, 0], extraCaps: [rootCNodeSlot, Word(InitialSlot.vspace)]),
                          .illegalOperation)
        expectKernelReply(sys.invoke(tcb, label: .tcbConfigure, args: [0, 0, 0, 0],
                                     extraCaps: [rootCNodeSlot, Word(InitialSlot.vspace), rootCNodeSlot]), .illegalOperation)
        #expect(ThreadSnapshot(sys, t) == before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: SetPriority, SetMCPriority, SetSchedParams (3.5–3.7, SCHED-1)

    @Test func sched1_setPriorityAboveAuthorityMCPIsRangeError() {
        let sys = TestSystem()
        let (tcb, t) = sys.spawn(priority: 100)
        let (authSlot, auth) = sys.spawn(priority: 10)
        let ep = sys.make(ObjectType.endpoint)
        expectKernelReply(sys.invoke(authSlot, label: .tcbSetMCPriority, args: [50], extraCaps: [rootThreadSlot]), .noError)
        #expect(auth.maxControlledPriority == 50)
        let before = ThreadSnapshot(sys, t)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetPriority, args: [], extraCaps: [authSlot]), .truncatedMessage)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetPriority, args: [20], extraCaps: []), .truncatedMessage)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetPriority, args: [20], extraCaps: [ep]), .invalidCapability, [1])
        // The authority is the extra cap's TCB (MCP 50), not the invoker (the root, MCP 255).
        expectKernelReply(sys.invoke(tcb, label: .tcbSetPriority, args: [51], extraCaps: [authSlot]), .rangeError, [0, 50])
        expectKernelReply(sys.invoke(tcb, label: .tcbSetPriority, args: [256], extraCaps: [rootThreadSlot]), .rangeError, [0, 255])
        expectKernelReply(sys.invoke(tcb, label: .tcbSetPriority, args: [1 << 40], extraCaps: [rootThreadSlot]), .rangeError, [0, 255])
        #expect(ThreadSnapshot(sys, t) == before)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetPriority, args: [50], extraCaps: [authSlot]), .noError)
        #expect(t.priority == 50 && t.maxControlledPriority == 0)
        // A thread with MCP 0 may still set priorities using another TCB as authority.
        expectKernelReply(sys.invoke(tcb, label: .tcbSetPriority, args: [200], extraCaps: [rootThreadSlot], by: t), .noError)
        #expect(t.priority == 200)
        // ... but not with its own (MCP 0) authority.
        expectKernelReply(sys.invoke(tcb, label: .tcbSetPriority, args: [1], extraCaps: [tcb], by: t), .rangeError, [0, 0])
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func tcbSetMCPriority_setsOnlyTheMCP() {
        let sys = TestSystem()
        let (tcb, t) = sys.spawn(priority: 100)
        let ep = sys.make(ObjectType.endpoint)
        let before = ThreadSnapshot(sys, t)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetMCPriority, args: [], extraCaps: [rootThreadSlot]), .truncatedMessage)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetMCPriority, args: [5], extraCaps: [ep]), .invalidCapability, [1])
        expectKernelReply(sys.invoke(tcb, label: .tcbSetMCPriority, args: [300], extraCaps: [rootThreadSlot]), .rangeError, [0, 255])
        #expect(ThreadSnapshot(sys, t) == before)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetMCPriority, args: [120], extraCaps: [rootThreadSlot]), .noError)
        #expect(t.maxControlledPriority == 120 && t.priority == 100)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func tcbSetSchedParams_checksMCPThenPriority() {
        let sys = TestSystem()
        let (tcb, t) = sys.spawn(priority: 100)
        let (authSlot, _) = sys.spawn(priority: 10)
        expectKernelReply(sys.invoke(authSlot, label: .tcbSetMCPriority, args: [50], extraCaps: [rootThreadSlot]), .noError)
        let ep = sys.make(ObjectType.endpoint)
        let before = ThreadSnapshot(sys, t)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetSchedParams, args: [10], extraCaps: [authSlot]), .truncatedMessage)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetSchedParams, args: [10, 10], extraCaps: []), .truncatedMessage)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetSchedParams, args: [10, 10], extraCaps: [ep]), .invalidCapability, [1])
        expectKernelReply(sys.invoke(tcb, label: .tcbSetSchedParams, args: [60, 10], extraCaps: [authSlot]), .rangeError, [0, 50])
        expectKernelReply(sys.invoke(tcb, label: .tcbSetSchedParams, args: [10, 60], extraCaps: [authSlot]), .rangeError, [0, 50])
        #expect(ThreadSnapshot(sys, t) == before)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetSchedParams, args: [40, 30], extraCaps: [authSlot]), .noError)
        #expect(t.maxControlledPriority == 40 && t.priority == 30)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: SetIPCBuffer (3.8, IPCBUF-3)

    @Test func tcbSetIPCBuffer_checksAndEffects() {
        let sys = TestSystem(deviceBytes: 1 << 16)
        let (tcb, t) = sys.spawn(priority: 100)
        let frame = sys.make(ObjectType.smallPage)
        let frameAddress = sys.capability(at: frame).address
        let ep = sys.make(ObjectType.endpoint)
        let deviceFrame = sys.allocateSlot()
        expectKernelReply(sys.invoke(sys.deviceUntypedSlots[0], label: .untypedRetype,
                                     args: [ObjectType.smallPage, 0, 0, 0, deviceFrame, 1], extraCaps: [rootCNodeSlot]), .noError)
        let before = ThreadSnapshot(sys, t)
        // The frame cap is required even for address 0.
        expectKernelReply(sys.invoke(tcb, label: .tcbSetIPCBuffer, args: [0], extraCaps: []), .truncatedMessage)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetIPCBuffer, args: [], extraCaps: [frame]), .truncatedMessage)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetIPCBuffer, args: [frameAddress], extraCaps: [ep]), .illegalOperation)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetIPCBuffer, args: [sys.capability(at: deviceFrame).address],
                                     extraCaps: [deviceFrame]), .illegalOperation)
        // 2^10-byte alignment is required (seL4_IPCBufferSizeBits = 10).
        for misaligned: Word in [8, 512, 1000] {
            expectKernelReply(sys.invoke(tcb, label: .tcbSetIPCBuffer, args: [frameAddress + misaligned], extraCaps: [frame]),
                              .alignmentError)
        }
        #expect(ThreadSnapshot(sys, t) == before)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetIPCBuffer, args: [frameAddress + 3072], extraCaps: [frame]), .noError)
        #expect(t.ipcBufferAddress == frameAddress + 3072 && t.slot(.ipcBuffer).cap.address == frameAddress)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetIPCBuffer, args: [0], extraCaps: [ep]), .noError)
        #expect(t.ipcBufferAddress == 0 && t.slot(.ipcBuffer).cap.isNull)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: SetSpace (3.9)

    @Test func tcbSetSpace_checksAndEffects() {
        let sys = TestSystem()
        let (tcb, t) = sys.spawn(priority: 100)
        let ep = sys.make(ObjectType.endpoint)
        let cnode = sys.make(ObjectType.cnode, size: 2)
        let vspace = Word(InitialSlot.vspace)
        let before = ThreadSnapshot(sys, t)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetSpace, args: [0, 0], extraCaps: [cnode, vspace]), .truncatedMessage)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetSpace, args: [0, 0, 0], extraCaps: [cnode]), .truncatedMessage)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetSpace, args: [0, 0, 0], extraCaps: [ep, vspace]), .illegalOperation)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetSpace, args: [0, CNodeCapData(guard: 0, guardSize: 63).rawValue, 0],
                                     extraCaps: [cnode, vspace]), .illegalOperation)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetSpace, args: [0, 0, 0], extraCaps: [cnode, ep]), .illegalOperation)
        #expect(ThreadSnapshot(sys, t) == before)
        // The fault-handler word is not validated at all (non-MCS).
        expectKernelReply(sys.invoke(tcb, label: .tcbSetSpace, args: [0xDEAD_BEEF, CNodeCapData(guard: 1, guardSize: 2).rawValue, 0],
                                     extraCaps: [cnode, vspace]), .noError)
        #expect(t.faultHandler == 0xDEAD_BEEF)
        #expect(t.slot(.cspace).cap.address == sys.capability(at: cnode).address)
        #expect(t.slot(.cspace).cap.cnodeGuard == 1 && t.slot(.cspace).cap.cnodeGuardSize == 2)
        // The IPC buffer is untouched.
        #expect(sys.rawSlot(atAddress: t.slot(.ipcBuffer).address)[0...1] == before.slots[4][0...1])
        #expect(t.ipcBufferAddress == before.ipcBufferAddress)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: Suspend and Resume (3.10, SCHED-7, TS-3)

    @Test func sched7_suspendBlockedSenderThenResumeRestartsIt() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let (tcb, t) = sys.spawn(priority: 100)
        sys.syscall(.send, by: t, cap: ep, info: MessageInfo(label: 5, length: 0))
        #expect(t.state == .blockedOnSend && sys.endpointState(ep) == .send)
        expectKernelReply(sys.invoke(tcb, label: .tcbSuspend, args: []), .noError)
        #expect(t.state == .inactive && sys.endpointState(ep) == .idle)
        // Suspending again is harmless.
        expectKernelReply(sys.invoke(tcb, label: .tcbSuspend, args: []), .noError)
        #expect(t.state == .inactive)
        expectKernelReply(sys.invoke(tcb, label: .tcbResume, args: []), .noError)
        #expect(t.state == .restart)
        // When it runs it re-issues its Send (TS-3): it resumes at the syscall instruction.
        sys.syscall(.recv, by: sys.root, cap: sys.make(ObjectType.endpoint))
        #expect(sys.kernel.currentThread == t)
        #expect(t.state == .running)
        #expect(sys.isRestarting(t))
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func sched7_suspendRunnableThreadMovesItsRestartPointPastTheSyscall() {
        let sys = TestSystem()
        let (tcb, t) = sys.spawn(priority: 100)
        sys.syscall(.yield, by: t)
        #expect(t.state == .running)
        #expect(!sys.isRestarting(t))
        let pcAfterSyscall = t[register: RegisterFile.pc]
        expectKernelReply(sys.invoke(tcb, label: .tcbSuspend, args: []), .noError)
        #expect(t.state == .inactive)
        #expect(t[register: RegisterFile.faultIP] == pcAfterSyscall)
        expectKernelReply(sys.invoke(tcb, label: .tcbResume, args: []), .noError)
        #expect(t.state == .restart)
        // Resume on a runnable thread is a no-op.
        expectKernelReply(sys.invoke(tcb, label: .tcbResume, args: []), .noError)
        #expect(t.state == .restart)
        sys.syscall(.recv, by: sys.root, cap: sys.make(ObjectType.endpoint))
        #expect(sys.kernel.currentThread == t)
        #expect(t[register: RegisterFile.pc] == pcAfterSyscall)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// decode-facts 3.16: a thread suspending itself gets no reply and, resumed, re-executes
    /// the Suspend call.
    @Test func sched7_suspendSelfThenResumeReexecutesTheCall() {
        let sys = TestSystem()
        let (tcb, t) = sys.spawn(priority: 100)
        let info = MessageInfo(label: InvocationLabel.tcbSuspend.rawValue, length: 0)
        sys.syscall(.call, by: t, cap: tcb, info: info)
        #expect(t.state == .inactive)
        // No reply was written.
        #expect(t[register: RegisterFile.msgInfoRegister] == info.rawValue)
        #expect(t[register: RegisterFile.badgeRegister] == tcb)
        #expect(sys.kernel.currentThread == sys.root)
        expectKernelReply(sys.invoke(tcb, label: .tcbResume, args: []), .noError)
        #expect(t.state == .restart)
        #expect(t[register: RegisterFile.faultIP] == TestSystem.syscallAddress)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// REPLY-9 via SCHED-7: suspending a thread waiting for a reply deletes its reply cap.
    @Test func sched7_suspendCallerDeletesItsReplyCap() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let server = sys.spawn(priority: 100).thread
        let (clientSlot, client) = sys.spawn(priority: 100)
        sys.syscall(.recv, by: server, cap: ep)
        sys.syscall(.call, by: client, cap: ep, info: MessageInfo(label: 1, length: 0))
        #expect(client.state == .blockedOnReply && server.slot(.caller).cap.type == .reply)
        expectKernelReply(sys.invoke(clientSlot, label: .tcbSuspend, args: []), .noError)
        #expect(client.state == .inactive)
        #expect(server.slot(.caller).cap.isNull)
        #expect(client.slot(.reply).cap.type == .reply)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func sched7_suspendAndResumeNotificationWaiter() {
        let sys = TestSystem()
        let ntfn = sys.make(ObjectType.notification)
        let (tcb, t) = sys.spawn(priority: 100)
        sys.syscall(.recv, by: t, cap: ntfn)
        #expect(t.state == .blockedOnNotification && sys.notificationState(ntfn) == .waiting)
        expectKernelReply(sys.invoke(tcb, label: .tcbResume, args: []), .noError)
        // Resume of a blocked thread cancels the wait and restarts it.
        #expect(t.state == .restart && sys.notificationState(ntfn) == .idle)
        sys.syscall(.recv, by: t, cap: ntfn)
        expectKernelReply(sys.invoke(tcb, label: .tcbSuspend, args: []), .noError)
        #expect(t.state == .inactive && sys.notificationState(ntfn) == .idle)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: ReadRegisters / WriteRegisters (3.1, 3.2)

    @Test func tcbReadRegisters_checksInOrder() {
        let sys = TestSystem()
        let (tcb, t) = sys.spawn(priority: 100)
        let max = Word(RegisterFile.userContextWords)
        // Run the target once so its own failing calls below leave its state as it is.
        sys.syscall(.yield, by: t)
        let before = ThreadSnapshot(sys, t, includeRegisters: false)
        expectKernelReply(sys.invoke(tcb, label: .tcbReadRegisters, args: [0]), .truncatedMessage)
        expectKernelReply(sys.invoke(tcb, label: .tcbReadRegisters, args: [0, 0]), .rangeError, [1, max])
        expectKernelReply(sys.invoke(tcb, label: .tcbReadRegisters, args: [0, max + 1]), .rangeError, [1, max])
        // On itself: the range check comes first, then IllegalOperation.
        expectKernelReply(sys.invoke(tcb, label: .tcbReadRegisters, args: [0, 0], by: t), .rangeError, [1, max])
        expectKernelReply(sys.invoke(tcb, label: .tcbReadRegisters, args: [0, 1], by: t), .illegalOperation)
        #expect(ThreadSnapshot(sys, t, includeRegisters: false) == before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func tcbWriteRegisters_checksInOrder() {
        let sys = TestSystem()
        let (tcb, t) = sys.spawn(priority: 100)
        sys.syscall(.yield, by: t)
        let before = ThreadSnapshot(sys, t, includeRegisters: false)
        expectKernelReply(sys.invoke(tcb, label: .tcbWriteRegisters, args: [0]), .truncatedMessage)
        // Fewer values than the count.
        expectKernelReply(sys.invoke(tcb, label: .tcbWriteRegisters, args: [0, 3, 1, 2]), .truncatedMessage)
        // No range check on the count; a self write is IllegalOperation.
        expectKernelReply(sys.invoke(tcb, label: .tcbWriteRegisters, args: [0, 1, 5], by: t), .illegalOperation)
        expectKernelReply(sys.invoke(tcb, label: .tcbWriteRegisters, args: [0, 2, 5], by: t), .truncatedMessage)
        #expect(ThreadSnapshot(sys, t, includeRegisters: false) == before)
        // Count 0 is allowed and changes nothing.
        expectKernelReply(sys.invoke(tcb, label: .tcbWriteRegisters, args: [0, 0]), .noError)
        #expect(t.state == before.state)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func tcbReadWriteRegisters_roundTripAndFlags() {
        let sys = TestSystem()
        let tcb = sys.make(ObjectType.thread)
        let t = sys.thread(at: tcb)
        let n = RegisterFile.userContextWords
        // Word 0 is the PC (restart address); use canonical user addresses and leave flags alone.
        var values: [Word] = (0..<n).map { 0x1000 + Word($0) * 8 }
        values[RegisterFile.flags] = t[register: RegisterFile.flags]
        expectKernelReply(sys.invoke(tcb, label: .tcbWriteRegisters, args: [0, Word(n)] + values), .noError)
        #expect(t.state == .inactive)
        #expect(t[register: RegisterFile.faultIP] == values[0])
        #expect(t[register: RegisterFile.pc] == values[0])
        let all = sys.invoke(tcb, label: .tcbReadRegisters, args: [0, Word(n)])
        #expect(all.info.label == 0 && all.info.length == Word(n) && all.badge == 0)
        #expect(all.mr == values)
        let three = sys.invoke(tcb, label: .tcbReadRegisters, args: [0, 3])
        #expect(three.mr == Array(values.prefix(3)))
        // Bit 0 of WriteRegisters' flags resumes the target.
        expectKernelReply(sys.invoke(tcb, label: .tcbWriteRegisters, args: [1, 1, 0x2000]), .noError)
        #expect(t.state == .restart)
        // Bit 0 of ReadRegisters' flags suspends the source.
        let one = sys.invoke(tcb, label: .tcbReadRegisters, args: [1, 1])
        #expect(one.mr == [0x2000])
        #expect(t.state == .inactive)
        // Through Send there is no reply, but the suspend still happens.
        expectKernelReply(sys.invoke(tcb, label: .tcbResume, args: []), .noError)
        let info = MessageInfo(label: InvocationLabel.tcbReadRegisters.rawValue, length: 2)
        sys.syscall(.send, by: sys.root, cap: tcb, info: info, mrs: [1, 5])
        #expect(t.state == .inactive)
        #expect(sys.root[register: RegisterFile.msgInfoRegister] == info.rawValue)
        #if arch(x86_64)
        // x86_64 sanitises RFLAGS: IF and bit 1 set, TF cleared.
        expectKernelReply(sys.invoke(tcb, label: .tcbWriteRegisters, args: [0, 3, 0x3000, 0x4000, 0x100]), .noError)
        #expect(t[register: RegisterFile.flags] == 0x202)
        expectKernelReply(sys.invoke(tcb, label: .tcbWriteRegisters, args: [0, 3, 0x3000, 0x4000, 0xFFF]), .noError)
        #expect(t[register: RegisterFile.flags] == 0xCD7 | 0x200)
        // Non-canonical instruction pointers and TLS bases become 0; kernel-half canonical
        // values are not rejected.
        var context: [Word] = (0..<20).map { _ in 0x5000 }
        context[0] = 0x8000_0000_0000_0000
        context[RegisterFile.flags] = 0x202
        context[18] = 0x0000_8000_0000_0000
        context[19] = 0xFFFF_8000_0000_0000
        expectKernelReply(sys.invoke(tcb, label: .tcbWriteRegisters, args: [0, 20] + context), .noError)
        #expect(t[register: RegisterFile.faultIP] == 0 && t[register: RegisterFile.pc] == 0)
        #expect(t[register: 18] == 0 && t[register: 19] == 0xFFFF_8000_0000_0000)
        #expect(t[register: RegisterFile.sp] == 0x5000)
        #endif
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: Bind / Unbind (3.11, 3.12, BIND-1)

    @Test func tcbBindNotification_errors() {
        let sys = TestSystem()
        let (tcb, t) = sys.spawn(priority: 100)
        let (otherSlot, _) = sys.spawn(priority: 100)
        let ntfn = sys.make(ObjectType.notification)
        let writeOnly = sys.mint(ntfn, rights: .write, badge: 0).slot
        let ep = sys.make(ObjectType.endpoint)
        let busy = sys.make(ObjectType.notification)
        let waiter = sys.spawn(priority: 100).thread
        sys.syscall(.recv, by: waiter, cap: busy)
        let before = ThreadSnapshot(sys, t)
        expectKernelReply(sys.invoke(tcb, label: .tcbUnbindNotification, args: []), .illegalOperation)
        expectKernelReply(sys.invoke(tcb, label: .tcbBindNotification, args: [], extraCaps: []), .truncatedMessage)
        expectKernelReply(sys.invoke(tcb, label: .tcbBindNotification, args: [], extraCaps: [ep]), .illegalOperation)
        expectKernelReply(sys.invoke(tcb, label: .tcbBindNotification, args: [], extraCaps: [sys.allocateSlot()]), .illegalOperation)
        expectKernelReply(sys.invoke(tcb, label: .tcbBindNotification, args: [], extraCaps: [writeOnly]), .illegalOperation)
        expectKernelReply(sys.invoke(tcb, label: .tcbBindNotification, args: [], extraCaps: [busy]), .illegalOperation)
        #expect(ThreadSnapshot(sys, t) == before)
        expectKernelReply(sys.invoke(tcb, label: .tcbBindNotification, args: [], extraCaps: [ntfn]), .noError)
        #expect(t.boundNotification?.address == sys.capability(at: ntfn).address)
        #expect(sys.notificationBoundThread(atAddress: sys.capability(at: ntfn).address) == t)
        // Already bound (thread) / already bound (notification).
        let second = sys.make(ObjectType.notification)
        expectKernelReply(sys.invoke(tcb, label: .tcbBindNotification, args: [], extraCaps: [second]), .illegalOperation)
        expectKernelReply(sys.invoke(otherSlot, label: .tcbBindNotification, args: [], extraCaps: [ntfn]), .illegalOperation)
        expectKernelReply(sys.invoke(tcb, label: .tcbUnbindNotification, args: []), .noError)
        #expect(t.boundNotification == nil)
        #expect(sys.notificationBoundThread(atAddress: sys.capability(at: ntfn).address) == nil)
        expectKernelReply(sys.invoke(otherSlot, label: .tcbBindNotification, args: [], extraCaps: [ntfn]), .noError)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: TS-2, TS-3

    @Test func ts2_blockedSenderRecordsEndpointAndBadge() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let badged = sys.mint(ep, rights: [.write], badge: 0x99).slot
        let s = sys.spawn(priority: 100).thread
        sys.syscall(.call, by: s, cap: badged, info: MessageInfo(label: 3, length: 1), mrs: [42])
        #expect(s.state == .blockedOnSend)
        #expect(s.blockingObject == sys.capability(at: ep).address && s.blockingBadge == 0x99)
        // The recorded badge is delivered, and the recorded Call without Grant/GrantReply makes
        // the caller Inactive once the message is taken (CALL-1).
        let r = sys.spawn(priority: 100).thread
        sys.syscall(.recv, by: r, cap: ep)
        #expect(sys.registers(of: r).badge == 0x99 && sys.registers(of: r).mr == [42])
        #expect(s.state == .inactive)
        let n = sys.make(ObjectType.notification)
        let w = sys.spawn(priority: 100).thread
        sys.syscall(.recv, by: w, cap: n)
        #expect(w.blockingObject == sys.capability(at: n).address)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func ts3_restartedThreadResumesAtItsSyscallInstruction() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let (_, t) = sys.spawn(priority: 200)
        sys.syscall(.send, by: t, cap: ep, info: MessageInfo(label: 1, length: 0))
        #expect(t.state == .blockedOnSend)
        #expect(!sys.isRestarting(t))
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [ep, 64]), .noError)
        #expect(t.state == .restart)
        // The root lowers its priority: the restarted thread (200) runs, at its syscall.
        expectKernelReply(sys.invoke(rootThreadSlot, label: .tcbSetPriority, args: [10], extraCaps: [rootThreadSlot]), .noError)
        #expect(sys.kernel.currentThread == t)
        #expect(t.state == .running)
        #expect(sys.isRestarting(t))
        #expect(t[register: RegisterFile.pc] == TestSystem.syscallAddress)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
    @Test func tcbSetTLSBase_truncatedAndSet() {
        let sys = TestSystem()
        let (tcb, t) = sys.spawn(priority: 100)
        let before = ThreadSnapshot(sys, t)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetTLSBase, args: []), .truncatedMessage)
        #expect(ThreadSnapshot(sys, t) == before)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetTLSBase, args: [0x7000_1000]), .noError)
        // The TLS base is the last-but-one or last word of the user context (x86_64 fs_base,
        // aarch64 tpidr_el0, riscv64 tp); ReadRegisters reports it.
        let all = sys.invoke(tcb, label: .tcbReadRegisters, args: [0, Word(RegisterFile.userContextWords)])
        #expect(all.mr.contains(0x7000_1000))
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
    /// SYS-2 step 5 with WriteRegisters' length check: without an IPC buffer a message longer
    /// than four words is decoded as four words; MSG-3's clamp applies to the tag.
    @Test func tcbWriteRegisters_lengthAsDecodedWithoutBufferAndClamped() {
        let sys = TestSystem()
        let tcb = sys.make(ObjectType.thread)
        let target = sys.thread(at: tcb)
        let noBuffer = sys.spawn(priority: 100, ipcBuffer: false).thread
        let info = MessageInfo(label: InvocationLabel.tcbWriteRegisters.rawValue, length: 5)
        sys.syscall(.call, by: noBuffer, cap: tcb, info: info, mrs: [0, 3, 0x10, 0x20])
        expectKernelReply(sys.registers(of: noBuffer), .truncatedMessage)
        // Two values fit in the four registers.
        sys.syscall(.call, by: noBuffer, cap: tcb, info: info, mrs: [0, 2, 0x10, 0x20])
        expectKernelReply(sys.registers(of: noBuffer), .noError)
        #expect(target[register: RegisterFile.faultIP] == 0x10)
        // A length field of 127 reads as 120: 118 values at most.
        let clamped = MessageInfo(label: InvocationLabel.tcbWriteRegisters.rawValue, length: 127)
        sys.syscall(.call, by: sys.root, cap: tcb, info: clamped, mrs: [0, 119])
        expectKernelReply(sys.registers(of: sys.root), .truncatedMessage)
        sys.syscall(.call, by: sys.root, cap: tcb, info: clamped, mrs: [0, 118, 0x30])
        expectKernelReply(sys.registers(of: sys.root), .noError)
        #expect(target[register: RegisterFile.faultIP] == 0x30)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
    // MARK: CopyRegisters (3.3)

    @Test func tcbCopyRegisters_checksAndHalves() {
        let sys = TestSystem()
        let srcSlot = sys.make(ObjectType.thread), dstSlot = sys.make(ObjectType.thread)
        let src = sys.thread(at: srcSlot), dst = sys.thread(at: dstSlot)
        let ep = sys.make(ObjectType.endpoint)
        let n = RegisterFile.userContextWords, frames = RegisterFile.frameRegisterCount
        var values: [Word] = (0..<n).map { 0x1000 + Word($0) * 8 }
        values[RegisterFile.flags] = src[register: RegisterFile.flags]
        expectKernelReply(sys.invoke(srcSlot, label: .tcbWriteRegisters, args: [0, Word(n)] + values), .noError)
        let before = ThreadSnapshot(sys, dst)
        expectKernelReply(sys.invoke(dstSlot, label: .tcbCopyRegisters, args: [], extraCaps: [srcSlot]), .truncatedMessage)
        expectKernelReply(sys.invoke(dstSlot, label: .tcbCopyRegisters, args: [0xF], extraCaps: []), .truncatedMessage)
        expectKernelReply(sys.invoke(dstSlot, label: .tcbCopyRegisters, args: [0xF], extraCaps: [ep]), .invalidCapability, [1])
        #expect(ThreadSnapshot(sys, dst) == before)
        func dstContext() -> [Word] { sys.invoke(dstSlot, label: .tcbReadRegisters, args: [0, Word(n)]).mr }
        let original = dstContext()
        // Frame half only.
        expectKernelReply(sys.invoke(dstSlot, label: .tcbCopyRegisters, args: [4], extraCaps: [srcSlot]), .noError)
        var expected = Array(values.prefix(frames)) + Array(original.suffix(n - frames))
        #expect(dstContext() == expected)
        #expect(dst[register: RegisterFile.pc] == values[0])
        // Integer half too.
        expectKernelReply(sys.invoke(dstSlot, label: .tcbCopyRegisters, args: [8], extraCaps: [srcSlot]), .noError)
        expected = values
        #expect(dstContext() == expected)
        // Suspend source, resume target.
        expectKernelReply(sys.invoke(srcSlot, label: .tcbResume, args: []), .noError)
        #expect(src.state == .restart && dst.state == .inactive)
        expectKernelReply(sys.invoke(dstSlot, label: .tcbCopyRegisters, args: [3], extraCaps: [srcSlot]), .noError)
        #expect(src.state == .inactive && dst.state == .restart)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
    // MARK: SetFlags (seL4 14+) and the domain cap

    /// seL4 `invokeSetFlags`: the words to clear go first, then those to set, masked by
    /// `seL4_TCBFlag_MASK`; a Call's reply carries the new flags (one word), a Send none.
    @Test func tcbSetFlags_clearsThenSetsAndRepliesWithFlags() {
        let sys = TestSystem()
        let (tcb, t) = sys.spawn(priority: 100)
        #expect(t.flags == 0)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetFlags, args: [0, ThreadFlag.fpuDisabled]), .noError, [1])
        #expect(t.flags == ThreadFlag.fpuDisabled)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetFlags, args: [~0, ~0]), .noError, [ThreadFlag.mask])
        expectKernelReply(sys.invoke(tcb, label: .tcbSetFlags, args: [1, 0]), .noError, [0])
        #expect(t.flags == 0)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetFlags, args: [0]), .truncatedMessage)
        sys.syscall(.send, by: sys.root, cap: tcb, info: MessageInfo(label: InvocationLabel.tcbSetFlags.rawValue, length: 2),
                    mrs: [0, 1])
        #expect(t.flags == 1)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// `invokeDomainSetSet` with one domain (`setDomain`): the thread leaves its ready queue
    /// and, being runnable, returns to the head of it, so it runs before a thread resumed
    /// after it.
    @Test func domainSetSet_requeuesTheThreadAtTheHead() {
        func firstToRun(settingDomainOfFirst: Bool) -> String {
            let sys = TestSystem()
            let (a, _) = sys.spawn(priority: 100, name: "a")
            _ = sys.spawn(priority: 100, name: "b")
            if settingDomainOfFirst {
                expectKernelReply(sys.invoke(Word(InitialSlot.domain), label: .domainSetSet, args: [0], extraCaps: [a]), .noError)
            }
            sys.suspendRootTask()
            guard let current = sys.kernel.currentThread else { return "idle" }
            return String(decoding: UnsafeBufferPointer(start: current.nameBytes, count: current.nameLength), as: UTF8.self)
        }
        #expect(firstToRun(settingDomainOfFirst: false) == "b")
        #expect(firstToRun(settingDomainOfFirst: true) == "a")
    }

    /// DOMAIN-2 performed: Configure rewrites the starting entry (a later Configure of it to an
    /// end marker is still refused), SetStart succeeds on it, and the root keeps running at its
    /// priority (the reschedule picks it again).
    @Test func domainSchedule_configureThenSetStart() {
        let sys = TestSystem()
        let slot = Word(InitialSlot.domain)
        expectKernelReply(sys.invoke(slot, label: .domainScheduleConfigure, args: [0, 0, 500]), .noError)
        #expect(sys.kernel.domainScheduleEntry(0) == 500)
        #expect(sys.kernel.domainScheduleEntry(1) == 0)
        expectKernelReply(sys.invoke(slot, label: .domainScheduleSetStart, args: [0]), .noError)
        expectKernelReply(sys.invoke(slot, label: .domainScheduleConfigure, args: [0, 0, 0]), .invalidArgument, [2])
        #expect(sys.kernel.domainScheduleEntry(0) == 500)
        #expect(sys.kernel.currentThread == sys.root)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
}
