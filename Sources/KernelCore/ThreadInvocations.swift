import SeL4ABI

/// TCB invocations (TS-*, SCHED-1, SCHED-7, BIND-1, IPCBUF-3).
extension Kernel {
    func decodeThreadInvocation(_ invocation: Invocation, slot: Slot, cap: Capability) throws(SyscallError) {
        guard let target = Thread(address: cap.address),
              let label = InvocationLabel(rawValue: invocation.label) else { throw .illegalOperation }
        let thread = invocation.thread
        switch label {
        case .tcbReadRegisters:
            guard invocation.length >= 2 else { throw .truncatedMessage }
            let flags = invocation.argument(0), count = invocation.argument(1)
            let maxCount = Word(RegisterFile.userContextWords)
            guard count >= 1 && count <= maxCount else { throw .rangeError(min: 1, max: maxCount) }
            guard target != thread else { throw .illegalOperation }
            thread.state = .restart
            if flags & 1 != 0 { suspend(target) }
            if invocation.isCall {
                var words = MessageWords()
                for i in 0..<Int(count) { words.append(target[register: RegisterFile.userContextRegister(i)]) }
                replySuccess(thread, words)
                thread.state = .running
            }

        case .tcbWriteRegisters:
            guard invocation.length >= 2 else { throw .truncatedMessage }
            let flags = invocation.argument(0), count = invocation.argument(1)
            guard Word(invocation.length - 2) >= count else { throw .truncatedMessage }
            guard target != thread else { throw .illegalOperation }
            thread.state = .restart
            let written = min(Int(count), RegisterFile.userContextWords)
            for i in 0..<written {
                let register = RegisterFile.userContextRegister(i)
                target[register: register] = sanitise(register, invocation.argument(i + 2))
            }
            // The context's PC is the restart address; the thread continues there (TS-3).
            target[register: RegisterFile.pc] = target[register: RegisterFile.faultIP]
            if flags & 1 != 0 { restart(target) }

        case .tcbCopyRegisters:
            // decode-facts 3.3: the invoked TCB is the destination, extra cap 0 the source.
            // MR0 bits: 0 suspend source, 1 resume target, 2 frame registers, 3 the others.
            guard invocation.length >= 1, let sourceSlot = invocation.extraCap(0) else { throw .truncatedMessage }
            let flags = invocation.argument(0)
            let sourceCap = sourceSlot.cap
            guard sourceCap.type == .thread, let source = Thread(address: sourceCap.address) else {
                throw .invalidCapability(index: 1)
            }
            thread.state = .restart
            if flags & 1 != 0 { suspend(source) }
            if flags & 2 != 0 { restart(target) }
            if flags & 4 != 0 {
                // Copied raw (not sanitised); the target continues at the copied restart PC.
                for i in 0..<RegisterFile.frameRegisterCount {
                    let register = RegisterFile.userContextRegister(i)
                    target[register: register] = source[register: register]
                }
                target[register: RegisterFile.pc] = target[register: RegisterFile.faultIP]
            }
            if flags & 8 != 0 {
                for i in RegisterFile.frameRegisterCount..<RegisterFile.userContextWords {
                    target[register: i] = source[register: i]
                }
            }
            if target == currentThread { rescheduleRequired() }

        case .tcbConfigure:
            guard invocation.length >= 4, let cspaceSlot = invocation.extraCap(0),
                  let vspaceSlot = invocation.extraCap(1), let bufferSlot = invocation.extraCap(2)
            else { throw .truncatedMessage }
            let faultHandler = invocation.argument(0), cspaceData = invocation.argument(1)
            let bufferAddress = invocation.argument(3)
            let buffer = try checkIPCBuffer(address: bufferAddress, frameSlot: bufferSlot)
            let (cspace, vspace) = try checkSpace(target, cspaceSlot: cspaceSlot, cspaceData: cspaceData, vspaceSlot: vspaceSlot)
            thread.state = .restart
            target.faultHandler = faultHandler
            installSpace(target, cspace: cspace, from: cspaceSlot, vspace: vspace, from: vspaceSlot)
            installIPCBuffer(target, address: bufferAddress, frame: buffer, from: bufferSlot)

        case .tcbSetSpace:
            guard invocation.length >= 3, let cspaceSlot = invocation.extraCap(0),
                  let vspaceSlot = invocation.extraCap(1)
            else { throw .truncatedMessage }
            let faultHandler = invocation.argument(0), cspaceData = invocation.argument(1)
            let (cspace, vspace) = try checkSpace(target, cspaceSlot: cspaceSlot, cspaceData: cspaceData, vspaceSlot: vspaceSlot)
            thread.state = .restart
            target.faultHandler = faultHandler
            installSpace(target, cspace: cspace, from: cspaceSlot, vspace: vspace, from: vspaceSlot)

        case .tcbSetIPCBuffer:
            guard invocation.length >= 1, let bufferSlot = invocation.extraCap(0) else { throw .truncatedMessage }
            let bufferAddress = invocation.argument(0)
            let buffer = try checkIPCBuffer(address: bufferAddress, frameSlot: bufferSlot)
            thread.state = .restart
            installIPCBuffer(target, address: bufferAddress, frame: buffer, from: bufferSlot)

        case .tcbSetPriority, .tcbSetMCPriority:
            guard invocation.length >= 1, let authority = invocation.extraCap(0) else { throw .truncatedMessage }
            let value = invocation.argument(0)
            try checkPriority(value, authority: authority.cap)
            thread.state = .restart
            if label == .tcbSetPriority {
                setPriority(target, Int(value))
            } else {
                target.maxControlledPriority = Int(value)
            }

        case .tcbSetSchedParams:
            guard invocation.length >= 2, let authority = invocation.extraCap(0) else { throw .truncatedMessage }
            let mcp = invocation.argument(0), priority = invocation.argument(1)
            try checkPriority(mcp, authority: authority.cap)
            try checkPriority(priority, authority: authority.cap)
            thread.state = .restart
            target.maxControlledPriority = Int(mcp)
            setPriority(target, Int(priority))

        case .tcbSuspend:
            thread.state = .restart
            suspend(target)

        case .tcbResume:
            thread.state = .restart
            restart(target)

        case .tcbBindNotification:
            guard let notificationSlot = invocation.extraCap(0) else { throw .truncatedMessage }
            guard target.boundNotification == nil else { throw .illegalOperation }
            let ntfnCap = notificationSlot.cap
            guard ntfnCap.type == .notification, ntfnCap.rights.contains(.read),
                  let notification = Notification(address: ntfnCap.address)
            else { throw .illegalOperation }
            guard notification.queue.isEmpty, notification.boundThread == nil else { throw .illegalOperation }
            thread.state = .restart
            bind(notification, to: target)

        case .tcbUnbindNotification:
            guard target.boundNotification != nil else { throw .illegalOperation }
            thread.state = .restart
            unbind(target)

        case .tcbSetTLSBase:
            guard invocation.length >= 1 else { throw .truncatedMessage }
            thread.state = .restart
            #if arch(x86_64)
            target[register: 18] = invocation.argument(0)  // fs_base
            #elseif arch(arm64)
            target[register: 34] = invocation.argument(0)  // tpidr_el0
            #else
            target[register: 31] = invocation.argument(0)  // tp
            #endif

        default:
            throw .illegalOperation
        }
    }

    /// `checkPrio` (SCHED-1): above the authority's MCP is a range error.
    private func checkPriority(_ value: Word, authority: Capability) throws(SyscallError) {
        guard authority.type == .thread, let authorityThread = Thread(address: authority.address) else {
            throw .invalidCapability(index: 1)
        }
        let mcp = Word(authorityThread.maxControlledPriority)
        guard value <= mcp else { throw .rangeError(min: Word(Constants.minPriority), max: mcp) }
    }

    /// `checkValidIPCBuffer` (IPCBUF-3) with the derive step; address 0 means "no buffer".
    private func checkIPCBuffer(address: Word, frameSlot: Slot) throws(SyscallError) -> Capability? {
        guard address != 0 else { return nil }
        let frame = try derive(frameSlot, frameSlot.cap).get()
        guard frame.type == .frame, !frame.frameIsDevice else { throw .illegalOperation }
        guard address & lowBitsMask(Constants.ipcBufferSizeBits) == 0 else { throw .alignmentError }
        return frame
    }

    /// The CSpace and VSpace checks of Configure and SetSpace: the CSpace root (after its
    /// guard data) must be a CNode, the VSpace root a root page table.
    private func checkSpace(_ target: Thread, cspaceSlot: Slot, cspaceData: Word, vspaceSlot: Slot) throws(SyscallError) -> (Capability, Capability) {
        // `slotCapLongRunningDelete`: replacing a final CNode or TCB cap held by the target
        // would need a long-running delete, which these invocations refuse.
        func needsLongRunningDelete(_ slot: Slot) -> Bool {
            let cap = slot.cap
            return (cap.type == .cnode || cap.type == .thread) && isFinal(slot)
        }
        if needsLongRunningDelete(target.slot(.cspace)) || needsLongRunningDelete(target.slot(.vspace)) {
            throw .illegalOperation
        }
        var cspace = cspaceSlot.cap
        if cspaceData != 0 { cspace = cspace.updatingData(cspaceData, preserve: false) }
        cspace = try derive(cspaceSlot, cspace).get()
        guard cspace.type == .cnode else { throw .illegalOperation }
        let vspace = try derive(vspaceSlot, vspaceSlot.cap).get()
        // `isValidVTableRoot`: a mapped top-level paging structure.
        guard vspace.type == .pageTable, vspace.pageTableLevel == 0, vspace.pageTableIsMapped else { throw .illegalOperation }
        return (cspace, vspace)
    }

    /// `invokeTCB_ThreadControl`'s space part: the old caps are deleted and copies of the new
    /// ones installed, provided their source caps still exist.
    private func installSpace(_ target: Thread, cspace: Capability, from cspaceSource: Slot,
                              vspace: Capability, from vspaceSource: Slot) {
        let cspaceSlot = target.slot(.cspace)
        deleteCap(in: cspaceSlot)
        if cspaceSource.cap.sameObject(as: cspace) { insert(cspace, into: cspaceSlot, derivedFrom: cspaceSource) }
        let vspaceSlot = target.slot(.vspace)
        deleteCap(in: vspaceSlot)
        if vspaceSource.cap.sameObject(as: vspace) { insert(vspace, into: vspaceSlot, derivedFrom: vspaceSource) }
        translationGeneration &+= 1
    }

    private func installIPCBuffer(_ target: Thread, address: Word, frame: Capability?, from source: Slot) {
        let bufferSlot = target.slot(.ipcBuffer)
        deleteCap(in: bufferSlot)
        target.ipcBufferAddress = address
        if let frame, source.cap.sameObject(as: frame) { insert(frame, into: bufferSlot, derivedFrom: source) }
        updateUserIPCBuffer(target)
        if target == currentThread { rescheduleRequired() }
    }
}
