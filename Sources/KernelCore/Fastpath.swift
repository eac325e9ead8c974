import SeL4ABI

/// The IPC fastpath for Call and ReplyRecv (FAST-1..5): a chain of guards, checked in seL4's
/// order, that changes nothing until the last one has passed. Each returns 0 when it handled
/// the syscall, else the number of the condition that failed (the slowpath then runs and
/// produces the same result). `traced` is `tracing`, passed in so that the untraced entry
/// compiles without the event sites.
extension Kernel {
    /// `fastpath_mi_check` (FAST-2) on the raw tag: no extra caps and at most four words.
    /// Tested by `handleSyscall` before either fastpath runs (condition 1 with the fault test).
    @inlinable @inline(__always)
    func messageFitsFastpath(_ rawInfo: Word) -> Bool { rawInfo & 0x1FF <= 4 }

    /// `lookup_fp` (LOOKUP-4a): the cap a CPtr names at depth 64, or null on any failure.
    /// The same walk as `resolveAddressBits`, without building a failure description.
    @inline(__always)
    private func fastLookup(_ thread: Thread, _ cptr: Word) -> Capability {
        var node = thread.slot(.cspace).cap
        // The common CSpace: one CNode whose guard and radix take all 64 bits.
        if let slot = oneLevelSlot(node, cptr) { return slot.cap }
        guard node.type == .cnode else { return .null }
        var remaining = Constants.wordBits
        while true {
            let radix = node.cnodeRadix, guardSize = node.cnodeGuardSize
            let levelBits = radix + guardSize
            guard levelBits != 0, levelBits <= remaining else { return .null }
            if guardSize != 0 && (cptr >> Word(remaining - guardSize)) & lowBitsMask(guardSize) != node.cnodeGuard {
                return .null
            }
            if guardSize == 0 && node.cnodeGuard != 0 { return .null }
            let index = (cptr >> Word(remaining - levelBits)) & lowBitsMask(radix)
            let cap = Slot.at(base: node.address, index: Int(index)).cap
            remaining -= levelBits
            // Leftover bits are ignored at a slot that is not a CNode (LOOKUP-2).
            if remaining == 0 || cap.type != .cnode { return cap }
            node = cap
        }
    }

    /// `fastpath_copy_mrs`: the message's words, at most four (FAST-2), all in registers,
    /// unrolled so that each word is one load and one store at a constant register (a loop over
    /// the length costs its setup and a compare per word).
    @inline(__always)
    private func copyFastMessage(_ length: Int, from sender: Thread, to receiver: Thread) {
        guard length > 0 else { return }
        receiver.setMessageRegister(0, sender.messageRegister(0))
        guard length > 1 else { return }
        receiver.setMessageRegister(1, sender.messageRegister(1))
        guard length > 2 else { return }
        receiver.setMessageRegister(2, sender.messageRegister(2))
        guard length > 3 else { return }
        receiver.setMessageRegister(3, sender.messageRegister(3))
    }

    /// FAST-3 condition 4, FAST-4 condition 7: the thread's VTable cap is a mapped VSpace
    /// root (a root page table with an ASID).
    @inline(__always)
    private func hasValidVSpace(_ thread: Thread) -> Bool {
        let cap = thread.slot(.vspace).cap
        return cap.type == .pageTable && cap.pageTableLevel == 0 && cap.pageTableIsMapped
    }

    /// FAST-3. The caller has checked that the message fits (`messageFitsFastpath`).
    @inline(__always)
    func fastpathCall(_ caller: Thread, traced: Bool) -> Int {
        let rawInfo = caller[register: RegisterFile.msgInfoRegister]
        guard !caller.hasFault else { return 1 }
        let cap = fastLookup(caller, caller[register: RegisterFile.capRegister])
        guard cap.type == .endpoint, cap.rights.contains(.write), let endpoint = Endpoint(address: cap.address)
        else { return 2 }
        guard endpoint.state == .receive, let receiver = endpoint.head else { return 3 }
        guard hasValidVSpace(receiver) else { return 4 }
        if receiver.priority < caller.priority && !isHighestPriority(receiver.priority) { return 5 }
        guard cap.rights.contains(.grant) || cap.rights.contains(.grantReply) else { return 6 }

        dequeue(receiver, from: endpoint)
        let info = MessageInfo(rawValue: rawInfo & ~(0x7 << 9))
        let length = Int(info.length)
        copyFastMessage(length, from: caller, to: receiver)
        receiver[register: RegisterFile.msgInfoRegister] = info.rawValue
        receiver[register: RegisterFile.badgeRegister] = cap.badge
        receiver.state = .running
        if traced {
            observe(.delivered(sender: caller, receiver: receiver, badge: cap.badge, info: info, isReply: false))
            observe(.woken(thread: receiver, object: endpoint.address, reason: .message))
        }
        caller.state = .blockedOnReply
        insert(.reply(thread: caller.address, canGrant: receiver.fields.pointee.blockingCanGrant, isMaster: false),
               into: receiver.slot(.caller), derivedFrom: caller.slot(.reply))
        if traced {
            observe(.replyCapCreated(caller: caller, holder: receiver))
            observe(.blocked(thread: caller, object: 0, state: .blockedOnReply))
        }
        // `switchToThread`: the receiver was blocked, so it is in no ready queue.
        if traced { observe(.switched(from: caller, to: receiver)) }
        currentThread = receiver
        pathCounters.fastpathCalls &+= 1
        return 0
    }

    /// FAST-4. The caller has checked that the message fits (`messageFitsFastpath`).
    @inline(__always)
    func fastpathReplyRecv(_ server: Thread, traced: Bool) -> Int {
        let rawInfo = server[register: RegisterFile.msgInfoRegister]
        guard !server.hasFault else { return 1 }
        let cap = fastLookup(server, server[register: RegisterFile.capRegister])
        guard cap.type == .endpoint, cap.rights.contains(.read), let endpoint = Endpoint(address: cap.address)
        else { return 2 }
        if let bound = server.boundNotification, bound.state == .active { return 3 }
        guard endpoint.state != .send else { return 4 }
        let callerSlot = server.slot(.caller)
        let replyCap = callerSlot.cap
        guard replyCap.type == .reply, !replyCap.isMasterReply, let caller = Thread(address: replyCap.address),
              caller.state == .blockedOnReply
        else { return 5 }
        guard !caller.hasFault else { return 6 }
        guard hasValidVSpace(caller) else { return 7 }
        guard isHighestPriority(caller.priority) else { return 8 }

        let info = MessageInfo(rawValue: rawInfo & ~(0x7 << 9))
        let length = Int(info.length)
        copyFastMessage(length, from: server, to: caller)
        caller[register: RegisterFile.msgInfoRegister] = info.rawValue
        caller[register: RegisterFile.badgeRegister] = 0
        if traced { observe(.delivered(sender: server, receiver: caller, badge: 0, info: info, isReply: true)) }
        // The reply cap is never the last cap to anything: unlinking it is its whole deletion.
        unlink(callerSlot)
        callerSlot.clear()
        caller.state = .running
        if traced { observe(.woken(thread: caller, object: 0, reason: .reply)) }
        let fields = server.fields
        fields.pointee.state = .blockedOnReceive
        fields.pointee.blockingObject = endpoint.address
        fields.pointee.blockingCanGrant = cap.rights.contains(.grant)
        enqueue(server, on: endpoint, as: .receive)
        if traced { observe(.blocked(thread: server, object: endpoint.address, state: .blockedOnReceive)) }
        // `switchToThread`: the caller was blocked on its reply, so it is in no ready queue.
        if traced { observe(.switched(from: server, to: caller)) }
        currentThread = caller
        pathCounters.fastpathReplyRecvs &+= 1
        return 0
    }
}
