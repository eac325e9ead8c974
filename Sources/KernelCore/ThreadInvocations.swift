import SeL4ABI

/// A decoded TCB invocation (TS-*, SCHED-1, SCHED-7, BIND-1, IPCBUF-3): seL4's `invokeTCB_*`.
enum ThreadOperation {
    /// `invokeTCB_ReadRegisters`: the reply carries the first `count` context words.
    case readRegisters(Thread, suspendSource: Bool, count: Int)
    /// `invokeTCB_WriteRegisters`: context words 0..<count from the invoker's message, from
    /// word 2 on.
    case writeRegisters(Thread, resumeTarget: Bool, count: Int, values: MessageArguments)
    /// `invokeTCB_CopyRegisters`: the invoked TCB is the destination.
    case copyRegisters(Thread, source: Thread, suspendSource: Bool, resumeTarget: Bool,
                       transferFrame: Bool, transferInteger: Bool)
    /// `invokeTCB_ThreadControl`: Configure, SetSpace, SetIPCBuffer, SetPriority,
    /// SetMCPriority and SetSchedParams, each updating its part.
    case threadControl(Thread, ThreadControl)
    /// `invokeTCB_Suspend`.
    case suspend(Thread)
    /// `invokeTCB_Resume`.
    case resume(Thread)
    /// `invokeTCB_NotificationControl` with a notification (Bind) or without (Unbind).
    case bindNotification(Thread, Notification)
    case unbindNotification(Thread)
    /// `invokeSetTLSBase`.
    case setTLSBase(Thread, Word)
    /// `invokeSetFlags` (TCB-FLAGS-1): clears then sets `seL4_TCBFlag`s; the reply carries the new flags.
    case setFlags(Thread, clear: Word, set: Word)
}

/// The parts of a thread `invokeTCB_ThreadControl` updates, in the order it updates them
/// (seL4's `thread_control_update_*` flags): nil leaves a part as it is.
struct ThreadControl {
    var faultHandler: Word?
    var maxControlledPriority: Int?
    var priority: Int?
    var space: SpaceUpdate?
    var ipcBuffer: IPCBufferUpdate?
}

/// New CSpace and VSpace roots, already derived, and the slots they were derived from.
struct SpaceUpdate {
    let cspace: Capability
    let cspaceSource: Slot
    let vspace: Capability
    let vspaceSource: Slot
}

/// A new IPC buffer address and frame (nil with address 0: no buffer).
struct IPCBufferUpdate {
    let address: Word
    let frame: Capability?
    let frameSource: Slot
}

extension Kernel {
    /// `decodeTCBInvocation`.
    func decodeThreadInvocation(_ invocation: Invocation, slot: Slot, cap: Capability) throws(SyscallError) -> ThreadOperation {
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
            return .readRegisters(target, suspendSource: flags & 1 != 0, count: Int(count))

        case .tcbWriteRegisters:
            guard invocation.length >= 2 else { throw .truncatedMessage }
            let flags = invocation.argument(0), count = invocation.argument(1)
            guard Word(invocation.length - 2) >= count else { throw .truncatedMessage }
            guard target != thread else { throw .illegalOperation }
            return .writeRegisters(target, resumeTarget: flags & 1 != 0, count: min(Int(count), RegisterFile.userContextWords),
                                   values: MessageArguments(thread: thread, buffer: invocation.buffer, kernel: self))

        case .tcbCopyRegisters:
            // decode-facts 3.3: the invoked TCB is the destination, extra cap 0 the source.
            // MR0 bits: 0 suspend source, 1 resume target, 2 frame registers, 3 the others.
            guard invocation.length >= 1, let sourceSlot = invocation.extraCap(0) else { throw .truncatedMessage }
            let flags = invocation.argument(0)
            let sourceCap = sourceSlot.cap
            guard sourceCap.type == .thread, let source = Thread(address: sourceCap.address) else {
                throw .invalidCapability(index: 1)
            }
            return .copyRegisters(target, source: source, suspendSource: flags & 1 != 0, resumeTarget: flags & 2 != 0,
                                  transferFrame: flags & 4 != 0, transferInteger: flags & 8 != 0)

        case .tcbConfigure:
            guard invocation.length >= 4, let cspaceSlot = invocation.extraCap(0),
                  let vspaceSlot = invocation.extraCap(1), let bufferSlot = invocation.extraCap(2)
            else { throw .truncatedMessage }
            let faultHandler = invocation.argument(0), cspaceData = invocation.argument(1)
            let bufferAddress = invocation.argument(3)
            let buffer = try checkIPCBuffer(address: bufferAddress, frameSlot: bufferSlot)
            let space = try checkSpace(target, cspaceSlot: cspaceSlot, cspaceData: cspaceData, vspaceSlot: vspaceSlot)
            return .threadControl(target, ThreadControl(faultHandler: faultHandler, space: space, ipcBuffer: buffer))

        case .tcbSetSpace:
            guard invocation.length >= 3, let cspaceSlot = invocation.extraCap(0),
                  let vspaceSlot = invocation.extraCap(1)
            else { throw .truncatedMessage }
            let faultHandler = invocation.argument(0), cspaceData = invocation.argument(1)
            let space = try checkSpace(target, cspaceSlot: cspaceSlot, cspaceData: cspaceData, vspaceSlot: vspaceSlot)
            return .threadControl(target, ThreadControl(faultHandler: faultHandler, space: space))

        case .tcbSetIPCBuffer:
            guard invocation.length >= 1, let bufferSlot = invocation.extraCap(0) else { throw .truncatedMessage }
            let buffer = try checkIPCBuffer(address: invocation.argument(0), frameSlot: bufferSlot)
            return .threadControl(target, ThreadControl(ipcBuffer: buffer))

        case .tcbSetPriority, .tcbSetMCPriority:
            guard invocation.length >= 1, let authority = invocation.extraCap(0) else { throw .truncatedMessage }
            let value = invocation.argument(0)
            try checkPriority(value, authority: authority.cap)
            return .threadControl(target, label == .tcbSetPriority
                ? ThreadControl(priority: Int(value)) : ThreadControl(maxControlledPriority: Int(value)))

        case .tcbSetSchedParams:
            guard invocation.length >= 2, let authority = invocation.extraCap(0) else { throw .truncatedMessage }
            let mcp = invocation.argument(0), priority = invocation.argument(1)
            try checkPriority(mcp, authority: authority.cap)
            try checkPriority(priority, authority: authority.cap)
            return .threadControl(target, ThreadControl(maxControlledPriority: Int(mcp), priority: Int(priority)))

        case .tcbSuspend:
            return .suspend(target)

        case .tcbResume:
            return .resume(target)

        case .tcbBindNotification:
            guard let notificationSlot = invocation.extraCap(0) else { throw .truncatedMessage }
            guard target.boundNotification == nil else { throw .illegalOperation }
            let ntfnCap = notificationSlot.cap
            guard ntfnCap.type == .notification, ntfnCap.rights.contains(.read),
                  let notification = Notification(address: ntfnCap.address)
            else { throw .illegalOperation }
            guard notification.queue.isEmpty, notification.boundThread == nil else { throw .illegalOperation }
            return .bindNotification(target, notification)

        case .tcbUnbindNotification:
            guard target.boundNotification != nil else { throw .illegalOperation }
            return .unbindNotification(target)

        case .tcbSetTLSBase:
            guard invocation.length >= 1 else { throw .truncatedMessage }
            return .setTLSBase(target, invocation.argument(0))

        case .tcbSetFlags:
            // seL4 `decodeSetFlags`: the words to clear, then those to set.
            guard invocation.length >= 2 else { throw .truncatedMessage }
            return .setFlags(target, clear: invocation.argument(0), set: invocation.argument(1))

        default:
            throw .illegalOperation
        }
    }

    /// `invokeTCB_*`: performs a decoded TCB operation.
    func perform(_ operation: ThreadOperation) -> InvocationResult {
        switch operation {
        case .readRegisters(let target, let suspendSource, let count):
            if suspendSource { suspend(target) }
            return .registers(of: target, count: count)

        case .writeRegisters(let target, let resumeTarget, let count, let values):
            for i in 0..<count {
                let register = RegisterFile.userContextRegister(i)
                target[register: register] = sanitise(register, values[i + 2])
            }
            // The context's PC is the restart address; the thread continues there (TS-3).
            target[register: RegisterFile.pc] = target[register: RegisterFile.faultIP]
            if resumeTarget { restart(target) }

        case .copyRegisters(let target, let source, let suspendSource, let resumeTarget, let transferFrame,
                            let transferInteger):
            if suspendSource { suspend(source) }
            if resumeTarget { restart(target) }
            if transferFrame {
                // Copied raw (not sanitised); the target continues at the copied restart PC.
                for i in 0..<RegisterFile.frameRegisterCount {
                    let register = RegisterFile.userContextRegister(i)
                    target[register: register] = source[register: register]
                }
                target[register: RegisterFile.pc] = target[register: RegisterFile.faultIP]
            }
            if transferInteger {
                for i in RegisterFile.frameRegisterCount..<RegisterFile.userContextWords {
                    target[register: i] = source[register: i]
                }
            }
            if target == currentThread { rescheduleRequired() }

        case .threadControl(let target, let control):
            if let faultHandler = control.faultHandler { target.faultHandler = faultHandler }
            if let mcp = control.maxControlledPriority { target.maxControlledPriority = mcp }
            if let priority = control.priority { setPriority(target, priority) }
            if let space = control.space { installSpace(target, space) }
            if let buffer = control.ipcBuffer { installIPCBuffer(target, buffer) }

        case .suspend(let target):
            suspend(target)

        case .resume(let target):
            restart(target)

        case .bindNotification(let target, let notification):
            bind(notification, to: target)

        case .unbindNotification(let target):
            unbind(target)

        case .setTLSBase(let target, let base):
            target[register: RegisterFile.tlsBase] = base

        case .setFlags(let target, let clear, let set):
            let flags = (target.flags & ~clear) | (set & ThreadFlag.mask)
            target.flags = flags
            // `invokeSetFlags`: a disabled FPU's state is saved and the unit given up now; an
            // enabled current thread takes the unit when the platform returns to it.
            if flags & ThreadFlag.fpuDisabled != 0 { fpuRelease(target) }
            return .word(flags)
        }
        return .empty
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
    private func checkIPCBuffer(address: Word, frameSlot: Slot) throws(SyscallError) -> IPCBufferUpdate {
        guard address != 0 else { return IPCBufferUpdate(address: 0, frame: nil, frameSource: frameSlot) }
        let frame = try derive(frameSlot, frameSlot.cap).get()
        guard frame.type == .frame, !frame.frameIsDevice else { throw .illegalOperation }
        guard address & lowBitsMask(Constants.ipcBufferSizeBits) == 0 else { throw .alignmentError }
        return IPCBufferUpdate(address: address, frame: frame, frameSource: frameSlot)
    }

    /// The CSpace and VSpace checks of Configure and SetSpace: the CSpace root (after its
    /// guard data) must be a CNode, the VSpace root a root page table.
    private func checkSpace(_ target: Thread, cspaceSlot: Slot, cspaceData: Word, vspaceSlot: Slot) throws(SyscallError) -> SpaceUpdate {
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
        return SpaceUpdate(cspace: cspace, cspaceSource: cspaceSlot, vspace: vspace, vspaceSource: vspaceSlot)
    }

    /// `invokeTCB_ThreadControl`'s space part: the old caps are deleted and copies of the new
    /// ones installed, provided their source caps still exist.
    private func installSpace(_ target: Thread, _ space: SpaceUpdate) {
        let cspaceSlot = target.slot(.cspace)
        deleteCap(in: cspaceSlot)
        if space.cspaceSource.cap.sameObject(as: space.cspace) {
            insert(space.cspace, into: cspaceSlot, derivedFrom: space.cspaceSource)
        }
        let vspaceSlot = target.slot(.vspace)
        deleteCap(in: vspaceSlot)
        if space.vspaceSource.cap.sameObject(as: space.vspace) {
            insert(space.vspace, into: vspaceSlot, derivedFrom: space.vspaceSource)
        }
        vspaceBindingsChanged()
    }

    private func installIPCBuffer(_ target: Thread, _ update: IPCBufferUpdate) {
        let bufferSlot = target.slot(.ipcBuffer)
        deleteCap(in: bufferSlot)
        target.ipcBufferAddress = update.address
        if let frame = update.frame, update.frameSource.cap.sameObject(as: frame) {
            insert(frame, into: bufferSlot, derivedFrom: update.frameSource)
        }
        updateUserIPCBuffer(target)
        if target == currentThread { rescheduleRequired() }
    }
}
