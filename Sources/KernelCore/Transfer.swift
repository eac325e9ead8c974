import SeL4ABI

/// Message transfer (XFER-1..10): message registers, the IPC buffer, extra caps and
/// unwrapping, and the kernel's own replies (ERR-2).

/// Up to three extra-cap slots looked up from `caps_or_badges` (SYS-2 step 4), kept without
/// heap allocation.
struct ExtraCaps {
    var count = 0
    var slot0: Slot?
    var slot1: Slot?
    var slot2: Slot?

    subscript(index: Int) -> Slot? {
        switch index { case 0: slot0; case 1: slot1; default: slot2 }
    }

    mutating func append(_ slot: Slot) {
        switch count { case 0: slot0 = slot; case 1: slot1 = slot; default: slot2 = slot }
        count += 1
    }
}

/// An IPC buffer as the kernel sees it: word `i` of the 128-word `seL4_IPCBuffer`.
struct IPCBuffer {
    let words: UnsafeMutablePointer<Word>
    subscript(index: Int) -> Word {
        get { words[index] }
        nonmutating set { words[index] = newValue }
    }
}

extension Kernel {
    /// `lookupIPCBuffer` (IPCBUF-2): the frame cap in the TCB's buffer slot, offset by the
    /// buffer address; absent for a device frame or insufficient rights (a receiver needs
    /// read-write, a sender read).
    @inline(__always)
    func ipcBuffer(of thread: Thread, forReceiving: Bool) -> IPCBuffer? {
        let cap = thread.slot(.ipcBuffer).cap
        guard cap.type == .frame, !cap.frameIsDevice else { return nil }
        switch cap.frameRights {
        case .readWrite: break
        case .readOnly: if forReceiving { return nil }
        case .kernelOnly: return nil
        }
        let offset = thread.ipcBufferAddress & lowBitsMask(cap.frameSizeBits)
        guard let raw = UnsafeMutableRawPointer(bitPattern: UInt(cap.address + offset)) else { return nil }
        return IPCBuffer(words: raw.assumingMemoryBound(to: Word.self))
    }

    /// Where a thread's IPC buffer is, as the kernel reaches it: its buffer frame plus the
    /// buffer address's offset in the frame (IPCBUF-2); without a frame cap, nil. Platforms
    /// point user code at the same memory (`seL4_GetIPCBuffer`).
    /// The address is computed when the buffer is set; the frame cap can only leave the TCB's
    /// buffer slot by deletion (a Revoke of its parent), which the type check sees.
    @inlinable @inline(__always)
    public func userIPCBuffer(of thread: Thread) -> UnsafeMutableRawPointer? {
        guard _fastPath(thread.slot(.ipcBuffer).cap.type == .frame) else { return nil }
        return UnsafeMutableRawPointer(bitPattern: UInt(thread.fields.pointee.userIPCBuffer))
    }

    /// Recomputes `userIPCBuffer` after the buffer address or frame changed.
    func updateUserIPCBuffer(_ thread: Thread) {
        let cap = thread.slot(.ipcBuffer).cap
        thread.fields.pointee.userIPCBuffer = cap.type == .frame
            ? cap.address + (thread.ipcBufferAddress & lowBitsMask(cap.frameSizeBits)) : 0
    }

    /// Message register `i` of a thread: registers for 0..3, the buffer's word i+1 beyond.
    func messageRegister(_ thread: Thread, _ buffer: IPCBuffer?, _ i: Int) -> Word {
        if i < Constants.fastMessageRegisters { return thread.messageRegister(i) }
        return buffer?[i + 1] ?? 0
    }

    /// `setMRs`: writes `words` as a thread's message; words beyond 3 go to its buffer only
    /// if it has one (FAULT-8). Returns the length delivered.
    func setMessageRegisters(_ thread: Thread, _ buffer: IPCBuffer?, _ words: MessageWords) -> Int {
        var i = 0
        while i < words.count {
            if i < Constants.fastMessageRegisters {
                thread.setMessageRegister(i, words[i])
            } else if let buffer {
                buffer[i + 1] = words[i]
            } else {
                break
            }
            i += 1
        }
        return i
    }

    /// `replyFromKernel_error` (ERR-2).
    func replyError(_ thread: Thread, _ error: SyscallError) {
        var words = MessageWords()
        error.encode(into: &words)
        let length = setMessageRegisters(thread, ipcBuffer(of: thread, forReceiving: true), words)
        thread[register: RegisterFile.badgeRegister] = 0
        thread[register: RegisterFile.msgInfoRegister] = MessageInfo(label: error.code.rawValue, length: Word(length)).rawValue
    }

    /// `replyFromKernel_success_empty` (SYS-2 step 7).
    func replySuccessEmpty(_ thread: Thread) {
        thread[register: RegisterFile.badgeRegister] = 0
        thread[register: RegisterFile.msgInfoRegister] = 0
    }

    /// A successful kernel reply carrying `words` (ReadRegisters, GetAddress).
    func replySuccess(_ thread: Thread, _ words: MessageWords) {
        let length = setMessageRegisters(thread, ipcBuffer(of: thread, forReceiving: true), words)
        thread[register: RegisterFile.badgeRegister] = 0
        thread[register: RegisterFile.msgInfoRegister] = MessageInfo(label: 0, length: Word(length)).rawValue
    }

    /// `lookupExtraCaps` (SYS-2 step 4): no buffer means no extra caps and no failure.
    @inline(__always)
    func lookupExtraCaps(_ thread: Thread, _ buffer: IPCBuffer?, _ info: MessageInfo) -> Result<ExtraCaps, CapLookupError> {
        var caps = ExtraCaps()
        guard let buffer, info.extraCaps != 0 else { return .success(caps) }
        for i in 0..<Int(info.extraCaps) {
            let cptr = buffer[Constants.ipcBufferCapsOrBadges + i]
            switch lookupSlot(thread, cptr) {
            case .success(let slot): caps.append(slot)
            case .failure(let failure): return .failure(CapLookupError(cptr: cptr, failure: failure))
            }
        }
        return .success(caps)
    }

    /// `doIPCTransfer` (XFER-1): a fault message if the sender has a pending fault, else a
    /// normal transfer. `endpoint` is nil for replies (no unwrapping, XFER-9).
    func transfer(from sender: Thread, endpoint: Endpoint?, badge: Word, canGrant: Bool, to receiver: Thread) {
        let receiverBuffer = ipcBuffer(of: receiver, forReceiving: true)
        if case .none = sender.fault {
            normalTransfer(from: sender, endpoint: endpoint, badge: badge, canGrant: canGrant,
                           to: receiver, receiverBuffer)
        } else {
            faultTransfer(from: sender, badge: badge, to: receiver, receiverBuffer)
        }
    }

    /// `doNormalTransfer` (XFER-2..5, MSG-5).
    private func normalTransfer(from sender: Thread, endpoint: Endpoint?, badge: Word, canGrant: Bool,
                                to receiver: Thread, _ receiverBuffer: IPCBuffer?) {
        let senderBuffer = ipcBuffer(of: sender, forReceiving: false)
        var tag = MessageInfo.decodedFromRegister(sender[register: RegisterFile.msgInfoRegister])
        var caps = ExtraCaps()
        if canGrant, case .success(let found) = lookupExtraCaps(sender, senderBuffer, tag) {
            caps = found
        }
        let length = copyMessageRegisters(from: sender, senderBuffer, to: receiver, receiverBuffer, count: Int(tag.length))
        if caps.count > 0 {
            tag = transferCaps(tag, caps, endpoint: endpoint, to: receiver, receiverBuffer)
        } else {
            tag.extraCaps = 0
            tag.capsUnwrapped = 0
        }
        tag.length = Word(length)
        receiver[register: RegisterFile.msgInfoRegister] = tag.rawValue
        receiver[register: RegisterFile.badgeRegister] = badge
        observe(.delivered(sender: sender, receiver: receiver, badge: badge, info: tag, isReply: endpoint == nil))
    }

    /// `copyMRs` (XFER-2): registers to registers, then buffer to buffer if both exist.
    func copyMessageRegisters(from sender: Thread, _ senderBuffer: IPCBuffer?, to receiver: Thread,
                              _ receiverBuffer: IPCBuffer?, count: Int) -> Int {
        // The registers one by one, so that each register's index is a constant.
        if count > 0 { receiver.setMessageRegister(0, sender.messageRegister(0)) }
        if count > 1 { receiver.setMessageRegister(1, sender.messageRegister(1)) }
        if count > 2 { receiver.setMessageRegister(2, sender.messageRegister(2)) }
        if count > 3 { receiver.setMessageRegister(3, sender.messageRegister(3)) }
        var i = min(count, Constants.fastMessageRegisters)
        if let senderBuffer, let receiverBuffer {
            while i < count {
                receiverBuffer[i + 1] = senderBuffer[i + 1]
                i += 1
            }
        }
        return i
    }

    /// `transferCaps` (XFER-5, XFER-6): caps to the endpoint the message travels on are
    /// unwrapped into badges; at most one other cap is received; the first failure stops it.
    private func transferCaps(_ info: MessageInfo, _ caps: ExtraCaps, endpoint: Endpoint?,
                              to receiver: Thread, _ receiverBuffer: IPCBuffer?) -> MessageInfo {
        var info = info
        info.extraCaps = 0
        info.capsUnwrapped = 0
        guard caps.count > 0, let receiverBuffer else { return info }
        var destination = receiveSlot(of: receiver, receiverBuffer)
        var i = 0
        while i < caps.count, let source = caps[i] {
            let cap = source.cap
            if cap.type == .endpoint, let endpoint, cap.address == endpoint.address {
                receiverBuffer[Constants.ipcBufferCapsOrBadges + i] = cap.badge
                info.capsUnwrapped |= 1 << Word(i)
            } else {
                guard let dest = destination else { break }
                guard case .success(let derived) = derive(source, cap), !derived.isNull else { break }
                insert(derived, into: dest, derivedFrom: source)
                destination = nil
            }
            i += 1
        }
        info.extraCaps = Word(i)
        return info
    }

    /// `getReceiveSlots` (XFER-4): the empty slot named by the receiver's receive path, or nil.
    private func receiveSlot(of receiver: Thread, _ buffer: IPCBuffer) -> Slot? {
        guard case .success(let cnodeSlot) = lookupSlot(receiver, buffer[Constants.ipcBufferReceiveCNode]) else { return nil }
        let cnode = cnodeSlot.cap
        guard cnode.type == .cnode,
              case .success(let slot) = lookupSlotForCNodeOp(isSource: false, root: cnode,
                                                             buffer[Constants.ipcBufferReceiveIndex],
                                                             depth: buffer[Constants.ipcBufferReceiveDepth]),
              slot.cap.isNull
        else { return nil }
        return slot
    }
}

/// A CPtr that did not resolve, with why.
struct CapLookupError: Error {
    var cptr: Word
    var failure: LookupFailure
}
