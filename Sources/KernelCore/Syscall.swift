import SeL4ABI

extension Kernel {
    /// The kernel entry: `thread` (the current thread) made system call `number` with its
    /// arguments in its register file. Returns the thread to run next (nil: idle).
    ///
    /// Untraced Call and ReplyRecv try the fastpath here, in a small function, so that the
    /// common case does not pay for the slowpath's frame (FAST-1). Inlined into a platform's
    /// trap handler where the platform is compiled with the core (bare metal).
    @inlinable @inline(__always)
    public func handleSyscall(_ number: Int) -> Thread? {
        guard let thread = currentThread else { return handleSyscallSlowly(number, fastpathTried: false) }
        return handleSyscall(number, by: thread)
    }

    /// `handleSyscall` for a platform that has the current thread at hand.
    @inlinable @inline(__always)
    public func handleSyscall(_ number: Int, by thread: Thread) -> Thread? {
        if fastpathGate && (number == Syscall.call.rawValue || number == Syscall.replyRecv.rawValue) {
            // FAST-2's first test, here: a message that cannot take the fastpath does not pay
            // for calling it.
            if messageFitsFastpath(thread[register: RegisterFile.msgInfoRegister]) {
                return number == Syscall.call.rawValue ? untracedCall(thread) : untracedReplyRecv(thread)
            }
            return handleSyscallSlowly(number, fastpathTried: true)
        }
        return handleSyscallSlowly(number, fastpathTried: false)
    }

    /// Call and ReplyRecv with tracing off: their event sites compiled away; the slowpath if a
    /// condition fails. Inlined into a platform's handler that is compiled with the core's
    /// bodies (riscv64: one handler per system call, each with its fastpath inlined; the Swift
    /// inliner takes only one of the two into a handler that can reach both).
    @usableFromInline @inline(__always)
    func untracedCall(_ thread: Thread) -> Thread? {
        if fastpathCall(thread, traced: false) == 0 { return currentThread }
        return handleSyscallSlowly(Syscall.call.rawValue, fastpathTried: true)
    }

    @usableFromInline @inline(__always)
    func untracedReplyRecv(_ thread: Thread) -> Thread? {
        if fastpathReplyRecv(thread, traced: false) == 0 { return currentThread }
        return handleSyscallSlowly(Syscall.replyRecv.rawValue, fastpathTried: true)
    }

    /// The fastpath alone (FAST-1..5), for a platform whose handler calls the rest itself
    /// (riscv64: a handler whose only calls are its last, jumps, keeps no stack frame): the
    /// thread to run next when untraced Call or ReplyRecv `number` completed on the fastpath;
    /// nil when it did not run or a condition failed, with nothing changed: then
    /// `handleSyscallAfterFastpath`.
    @inline(__always)
    public func completeOnFastpath(_ number: Int, by thread: Thread) -> Thread? {
        guard fastpathGate && messageFitsFastpath(thread[register: RegisterFile.msgInfoRegister]) else { return nil }
        let failed: Int
        switch number {
        case Syscall.call.rawValue: failed = fastpathCall(thread, traced: false)
        case Syscall.replyRecv.rawValue: failed = fastpathReplyRecv(thread, traced: false)
        default: return nil  // FAST-1: no other system call has a fastpath
        }
        return failed == 0 ? currentThread : nil
    }

    /// `handleSyscall(_:by:)` for a call `completeOnFastpath` returned nil for: the slowpath,
    /// told whether the fastpath was tried, as `handleSyscall` tells it. (`thread` is the
    /// current thread, as there; the slowpath reads it from the kernel.)
    @inline(__always)
    public func handleSyscallAfterFastpath(_ number: Int, by thread: Thread) -> Thread? {
        handleSyscallSlowly(number, fastpathTried: fastpathGate
                            && (number == Syscall.call.rawValue || number == Syscall.replyRecv.rawValue))
    }

    /// Every system call the fastpath did not complete, and every traced one.
    @usableFromInline @inline(never)
    func handleSyscallSlowly(_ number: Int, fastpathTried: Bool) -> Thread? {
        guard let thread = currentThread else { return nil }
        if tracing {
            observe(.syscallEntry(thread: thread, syscall: number, cptr: thread[register: RegisterFile.capRegister],
                                  info: MessageInfo(rawValue: thread[register: RegisterFile.msgInfoRegister])))
        }
        // FAST-1: only Call and ReplyRecv try the fastpath; any failed condition falls
        // through to the slowpath with nothing changed.
        if fastpathEnabled && !fastpathTried && (number == Syscall.call.rawValue || number == Syscall.replyRecv.rawValue) {
            let failed = !messageFitsFastpath(thread[register: RegisterFile.msgInfoRegister]) ? 1
                : number == Syscall.call.rawValue ? fastpathCall(thread, traced: tracing)
                : fastpathReplyRecv(thread, traced: tracing)
            if failed == 0 { return finishFastpath(thread, number) }
            observe(.path(thread: thread, syscall: number, fast: false, failedCondition: failed))
        }
        switch Syscall(number: number) {
        case .call:
            pathCounters.slowpathCalls += 1
            handleInvocation(thread, isCall: true, isBlocking: true)
        case .replyRecv:
            pathCounters.slowpathReplyRecvs += 1
            handleReply(thread)
            handleRecv(thread, blocking: true)
        case .send:
            handleInvocation(thread, isCall: false, isBlocking: true)
        case .nbSend:
            handleInvocation(thread, isCall: false, isBlocking: false)
        case .recv:
            handleRecv(thread, blocking: true)
        case .nbRecv:
            handleRecv(thread, blocking: false)
        case .reply:
            handleReply(thread)
        case .yield:
            yield(thread)
        case .debugPutChar:
            observer?.debugPutChar(UInt8(truncatingIfNeeded: thread[register: RegisterFile.capRegister]))
        case .debugNameThread:
            handleDebugNameThread(thread)
        case .debugCapIdentify:
            let type: Word
            if case .success(let slot) = lookupSlot(thread, thread[register: RegisterFile.capRegister]) {
                type = slot.cap.seL4CapTag
            } else {
                type = 0
            }
            thread[register: RegisterFile.capRegister] = type
        case .debugDumpScheduler, .debugSnapshot, .debugHalt:
            // Reported to the platform through the trace; a hosted run does not halt.
            break
        case .none:
            raiseFault(thread, .unknownSyscall(number: Word(bitPattern: Int64(number))))
        }
        schedule()
        activateCurrentThread()
        if tracing { observe(.syscallExit(thread: thread, next: currentThread)) }
        return currentThread
    }

    @inline(__always)
    private func finishFastpath(_ thread: Thread, _ number: Int) -> Thread? {
        if tracing {
            observe(.path(thread: thread, syscall: number, fast: true, failedCondition: 0))
            observe(.syscallExit(thread: thread, next: currentThread))
        }
        return currentThread
    }

    /// `handleInvocation` (SYS-2): Send, NBSend and Call. Decoding changes nothing; the
    /// invoker becomes Restart, the operation is performed, and if the invoker is still
    /// Restart (it did not block or stop) a Call gets the operation's reply and it runs on.
    func handleInvocation(_ thread: Thread, isCall: Bool, isBlocking: Bool) {
        let invocation: Invocation, slot: Slot
        switch lookUpInvocation(of: thread, isCall: isCall, isBlocking: isBlocking) {
        case .success(let found):
            (invocation, slot) = found
        case .failure(let failure):
            if isBlocking, case .capFault(let address, let lookupFailure) = failure {
                raiseFault(thread, .capFault(address: address, inReceivePhase: false, failure: lookupFailure))
            }
            return
        }
        let cap = slot.cap
        let result: InvocationResult
        do throws(SyscallError) {
            if cap.isMessageCap {
                let operation = try decodeMessageInvocation(invocation, slot: slot, cap: cap)
                thread.state = .restart
                perform(operation, by: thread)
                result = .empty
            } else {
                let operation = try decodeInvocation(invocation, slot: slot, cap: cap)
                thread.state = .restart
                result = perform(operation, by: thread)
            }
        } catch {
            if isCall { replyError(thread, error) }
            return
        }
        if thread.state == .restart {
            if isCall { replySuccess(thread, result) }
            thread.state = .running
        }
    }

    /// `handleRecv` (RECV-1, RECV-2): Recv and NBRecv, on an endpoint or a notification.
    func handleRecv(_ thread: Thread, blocking: Bool) {
        let cptr = thread[register: RegisterFile.capRegister]
        let cap: Capability
        switch lookupSlot(thread, cptr) {
        case .success(let slot):
            cap = slot.cap
        case .failure(let failure):
            raiseFault(thread, .capFault(address: cptr, inReceivePhase: true, failure: failure))
            return
        }
        switch cap.type {
        case .endpoint where cap.rights.contains(.read):
            guard let endpoint = Endpoint(address: cap.address) else { break }
            deleteCallerCap(thread)
            receive(thread, on: endpoint, capCanGrant: cap.rights.contains(.grant), blocking: blocking)
            return
        case .notification where cap.rights.contains(.read):
            guard let notification = Notification(address: cap.address) else { break }
            if let bound = notification.boundThread, bound != thread { break }
            receiveSignal(thread, on: notification, blocking: blocking)
            return
        default:
            break
        }
        raiseFault(thread, .capFault(address: cptr, inReceivePhase: true, failure: .missingCapability(bitsLeft: 0)))
    }

    /// `handleReply` (REPLY-1): only the caller slot; empty means nothing happens.
    func handleReply(_ thread: Thread) {
        let slot = thread.slot(.caller)
        let cap = slot.cap
        guard cap.type == .reply, !cap.isMasterReply, let caller = Thread(address: cap.address) else { return }
        replyTransfer(from: thread, to: caller, replySlot: slot, canGrant: cap.replyCanGrant)
    }

    /// `seL4_DebugNameThread`: the name is the NUL-terminated string at the start of the
    /// caller's IPC buffer message area. seL4's debug kernel halts the whole machine when the
    /// cap is not a TCB or the name is too long; SwiftL4 ignores the call instead, because a
    /// debugging aid should not let one program stop every other (and the hosted runtime runs
    /// several programs' tests in one kernel).
    private func handleDebugNameThread(_ thread: Thread) {
        guard case .success(let slot) = lookupSlot(thread, thread[register: RegisterFile.capRegister]),
              slot.cap.type == .thread, let target = Thread(address: slot.cap.address),
              let buffer = ipcBuffer(of: thread, forReceiving: false)
        else { return }
        let bytes = UnsafeMutableRawPointer(buffer.words + 1).assumingMemoryBound(to: UInt8.self)
        var length = 0
        let limit = Constants.msgMaxLength * 8
        while length < limit && bytes[length] != 0 { length += 1 }
        target.setName(UnsafeBufferPointer(start: bytes, count: length))
    }

    /// Stops the current thread because its code has ended (a hosted thread's entry function
    /// returned): it becomes Inactive, as if suspended, and another thread is chosen.
    public func stopCurrentThread() -> Thread? {
        guard let thread = currentThread else { return nil }
        suspend(thread)
        schedule()
        activateCurrentThread()
        return currentThread
    }

    /// Raises a fault for the current thread from outside a syscall (a hosted user thread's
    /// bad memory access or illegal instruction), then chooses who runs.
    public func handleUserFault(_ fault: Fault) -> Thread? {
        guard let thread = currentThread else { return nil }
        thread[register: RegisterFile.faultIP] = thread[register: RegisterFile.pc]
        raiseFault(thread, fault)
        schedule()
        activateCurrentThread()
        return currentThread
    }
}

extension Capability {
    /// The cap-type tag seL4 reports from `seL4_DebugCapIdentify` (`cap_get_capType`).
    var seL4CapTag: Word {
        switch type {
        case .null: 0
        case .untyped: 2
        case .endpoint: 4
        case .notification: 6
        case .reply: 8
        case .cnode: 10
        case .thread: 12
        case .irqControl: 14
        case .domain: 20
        case .frame: 1
        #if arch(riscv64)
        case .pageTable: 3
        #else
        // x86_64's paging tags: PML4 9, PDPT 7, page directory 5, page table 3.
        case .pageTable: Word(9 - 2 * min(pageTableLevel, 3))
        #endif
        case .asidControl: 11
        case .asidPool: 13
        case .ioPortControl: 31
        }
    }
}
