import SeL4ABI

/// Faults delivered over IPC (FAULT-1..8).
extension Kernel {
    /// `handleFault`: record the fault and send it to the thread's fault handler as a Call; a
    /// missing or unsuitable handler is a double fault and the thread stops (FAULT-1, FAULT-2).
    func raiseFault(_ thread: Thread, _ fault: Fault) {
        thread.fault = fault
        let handlerCPtr = thread.faultHandler
        if case .success(let slot) = lookupSlot(thread, handlerCPtr) {
            let cap = slot.cap
            if cap.type == .endpoint, cap.rights.contains(.write),
               cap.rights.contains(.grant) || cap.rights.contains(.grantReply),
               let endpoint = Endpoint(address: cap.address) {
                observe(.faulted(thread: thread, fault: fault, handled: true))
                send(thread, on: endpoint, badge: cap.badge, canGrant: cap.rights.contains(.grant),
                     canGrantReply: true, blocking: true, isCall: true)
                return
            }
        }
        observe(.faulted(thread: thread, fault: fault, handled: false))
        // Reported whether or not tracing is on: seL4's debug kernel prints these too.
        observer?.faultNotHandled(thread: thread, fault: fault)
        setState(thread, .inactive)
        scheduleDequeue(thread)
    }

    /// The fault message (FAULT-4..6), written with the handler's badge (FAULT-3).
    func faultTransfer(from sender: Thread, badge: Word, to receiver: Thread, _ receiverBuffer: IPCBuffer?) {
        let fault = sender.fault
        var words = MessageWords()
        switch fault {
        case .none:
            break
        case .capFault(let address, let inReceivePhase, let failure):
            words.append(sender[register: RegisterFile.faultIP])
            words.append(address)
            words.append(inReceivePhase ? 1 : 0)
            failure.encode(into: &words)
        case .unknownSyscall(let number):
            for i in 0..<RegisterFile.unknownSyscallRegisterCount {
                words.append(sender[register: RegisterFile.unknownSyscallMessageRegister(i)])
            }
            words.append(number)
        case .userException(let number, let code):
            for i in 0..<RegisterFile.userExceptionRegisterCount {
                words.append(sender[register: RegisterFile.userExceptionRegister(i)])
            }
            words.append(number)
            words.append(code)
        case .vmFault(let address, let isInstructionFetch, let status):
            words.append(sender[register: RegisterFile.faultIP])
            words.append(address)
            words.append(isInstructionFetch ? 1 : 0)
            words.append(status)
        }
        let length = setMessageRegisters(receiver, receiverBuffer, words)
        let info = MessageInfo(label: fault.label, length: Word(length))
        receiver[register: RegisterFile.msgInfoRegister] = info.rawValue
        receiver[register: RegisterFile.badgeRegister] = badge
        observe(.delivered(sender: sender, receiver: receiver, badge: badge, info: info, isReply: false))
    }

    /// `handleFaultReply` (FAULT-7): whether the faulted thread restarts. Cap and VM faults
    /// always restart; for UnknownSyscall and UserException the reply's words are written to
    /// the registers in message order, and the thread restarts only if the label is 0.
    func handleFaultReply(to receiver: Thread, from sender: Thread) -> Bool {
        let tag = MessageInfo.decodedFromRegister(sender[register: RegisterFile.msgInfoRegister])
        let senderBuffer = ipcBuffer(of: sender, forReceiving: false)
        var length = Int(tag.length)
        // FAULT-7 (seL4 `copyMRsFaultReply`): words beyond the message registers come from the
        // replier's IPC buffer only if it has one; without it those registers are left alone.
        if senderBuffer == nil { length = min(length, Constants.fastMessageRegisters) }
        switch receiver.fault {
        case .none, .capFault, .vmFault:
            return true
        case .unknownSyscall:
            let count = min(length, RegisterFile.unknownSyscallRegisterCount)
            for i in 0..<count {
                let register = RegisterFile.unknownSyscallMessageRegister(i)
                receiver[register: register] = sanitise(register, messageRegister(sender, senderBuffer, i))
            }
        case .userException:
            let count = min(length, RegisterFile.userExceptionRegisterCount)
            for i in 0..<count {
                let register = RegisterFile.userExceptionRegister(i)
                receiver[register: register] = sanitise(register, messageRegister(sender, senderBuffer, i))
            }
        }
        return tag.label == 0
    }

    /// `sanitiseRegister`: values user code may not set (x86_64 FLAGS keeps only the
    /// user-modifiable bits and always has IF set).
    func sanitise(_ register: Int, _ value: Word) -> Word {
        #if arch(x86_64)
        if register == RegisterFile.flags {
            // seL4 (decode-facts 6.3): |= 0x2, &= ~0x28, |= IF (0x200), &= ~TF (0x100),
            // &= 0xFFF. So CF PF AF ZF SF DF OF are kept, bit 1 and IF are set, and the trap
            // flag TF is always cleared (user code must not single-step through the kernel).
            return (value & 0xCD5) | 0x202
        }
        // seL4 `Mode_sanitiseRegister` (decode-facts 6.3): a non-canonical FaultIP, NextIP,
        // FS_BASE or GS_BASE becomes 0 (user context words 18 and 19 are fs_base, gs_base).
        if register == RegisterFile.faultIP || register == RegisterFile.pc || register == 18 || register == 19 {
            if value > 0x0000_7FFF_FFFF_FFFF && value < 0xFFFF_8000_0000_0000 { return 0 }
        }
        #endif
        return value
    }
}
