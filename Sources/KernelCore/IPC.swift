import SeL4ABI

/// Endpoint IPC (SEND-*, CALL-*, RECV-*, REPLY-*), and cancelling a thread's IPC.
extension Kernel {
    /// `sendIPC` (SEND-1..4, CALL-1).
    func send(_ thread: Thread, on endpoint: Endpoint, badge: Word, canGrant: Bool, canGrantReply: Bool,
              blocking: Bool, isCall: Bool) {
        switch endpoint.state {
        case .idle, .send:
            guard blocking else { return }  // SEND-3: NBSend with no receiver is dropped.
            let fields = thread.fields
            fields.pointee.state = .blockedOnSend
            fields.pointee.blockingObject = endpoint.address
            fields.pointee.blockingBadge = badge
            fields.pointee.blockingCanGrant = canGrant
            fields.pointee.blockingCanGrantReply = canGrantReply
            fields.pointee.blockingIsCall = isCall
            scheduleTCB(thread)
            enqueue(thread, on: endpoint, as: .send)
            observe(.blocked(thread: thread, object: endpoint.address, state: .blockedOnSend))
        case .receive:
            guard let receiver = endpoint.head else { return }
            dequeue(receiver, from: endpoint)
            transfer(from: thread, endpoint: endpoint, badge: badge, canGrant: canGrant, to: receiver)
            let replyCanGrant = receiver.fields.pointee.blockingCanGrant
            receiver.state = .running
            observe(.woken(thread: receiver, object: endpoint.address, reason: .message))
            possibleSwitchTo(receiver)
            if isCall {
                if canGrant || canGrantReply {
                    setupCallerCap(sender: thread, receiver: receiver, canGrant: replyCanGrant)
                } else {
                    setState(thread, .inactive)  // CALL-1, PIT-2
                }
            }
        }
    }

    /// `receiveIPC` (RECV-3..6). The caller slot was emptied by `handleRecv` (RECV-2).
    func receive(_ thread: Thread, on endpoint: Endpoint, capCanGrant: Bool, blocking: Bool) {
        if let bound = thread.boundNotification, bound.state == .active {
            completeSignal(bound, to: thread)  // RECV-3
            return
        }
        switch endpoint.state {
        case .idle, .receive:
            if blocking {
                let fields = thread.fields
                fields.pointee.state = .blockedOnReceive
                fields.pointee.blockingObject = endpoint.address
                fields.pointee.blockingCanGrant = capCanGrant
                scheduleTCB(thread)
                enqueue(thread, on: endpoint, as: .receive)
                observe(.blocked(thread: thread, object: endpoint.address, state: .blockedOnReceive))
            } else {
                thread[register: RegisterFile.badgeRegister] = 0  // RECV-6
            }
        case .send:
            guard let sender = endpoint.head else { return }
            dequeue(sender, from: endpoint)
            let fields = sender.fields.pointee
            transfer(from: sender, endpoint: endpoint, badge: fields.blockingBadge, canGrant: fields.blockingCanGrant, to: thread)
            let faulted: Bool
            if case .none = sender.fault { faulted = false } else { faulted = true }
            if fields.blockingIsCall || faulted {
                if fields.blockingCanGrant || fields.blockingCanGrantReply {
                    setupCallerCap(sender: sender, receiver: thread, canGrant: capCanGrant)
                } else {
                    setState(sender, .inactive)
                }
            } else {
                sender.state = .running
                observe(.woken(thread: sender, object: endpoint.address, reason: .message))
                possibleSwitchTo(sender)
            }
        }
    }

    /// `setupCallerCap` (REPLY-2): the caller waits for a reply; the one-shot reply cap goes
    /// into the receiver's caller slot as a child of the caller's master reply cap.
    func setupCallerCap(sender: Thread, receiver: Thread, canGrant: Bool) {
        setState(sender, .blockedOnReply)
        let master = sender.slot(.reply)
        let callerSlot = receiver.slot(.caller)
        // RECV-2 and FAST-4 leave the caller slot empty; a receive that did not go through
        // handleRecv (a fault's handler receiving) is covered by clearing it here.
        if !callerSlot.cap.isNull { deleteCap(in: callerSlot) }
        insert(.reply(thread: sender.address, canGrant: canGrant, isMaster: false), into: callerSlot, derivedFrom: master)
        observe(.replyCapCreated(caller: sender, holder: receiver))
        observe(.blocked(thread: sender, object: 0, state: .blockedOnReply))
    }

    /// `doReplyTransfer` (REPLY-4, REPLY-5): replies to `caller` through the reply cap in `slot`.
    func replyTransfer(from sender: Thread, to caller: Thread, replySlot slot: Slot, canGrant: Bool) {
        guard caller.state == .blockedOnReply else {
            deleteCap(in: slot)
            return
        }
        if case .none = caller.fault {
            transfer(from: sender, endpoint: nil, badge: 0, canGrant: canGrant, to: caller)
            deleteCap(in: slot)
            caller.state = .running
            observe(.woken(thread: caller, object: 0, reason: .reply))
            possibleSwitchTo(caller)
        } else {
            deleteCap(in: slot)
            let restart = handleFaultReply(to: caller, from: sender)
            caller.fault = .none
            observe(.delivered(sender: sender, receiver: caller, badge: 0,
                               info: MessageInfo.decodedFromRegister(sender[register: RegisterFile.msgInfoRegister]),
                               isReply: true))
            if restart {
                caller.state = .restart
                possibleSwitchTo(caller)
            } else {
                setState(caller, .inactive)
            }
        }
    }

    /// `deleteCallerCap` (RECV-2).
    func deleteCallerCap(_ thread: Thread) {
        let slot = thread.slot(.caller)
        if !slot.cap.isNull {
            observe(.replyCapDeleted(holder: thread))
            deleteCap(in: slot)
        }
    }

    /// `cancelIPC`: takes a blocked thread out of whatever it waits in. A thread waiting for
    /// a reply loses its fault and its reply cap, wherever that cap lives (REPLY-9).
    func cancelIPC(_ thread: Thread) {
        switch thread.state {
        case .blockedOnSend, .blockedOnReceive:
            if let endpoint = Endpoint(address: thread.blockingObject) { dequeue(thread, from: endpoint) }
            setState(thread, .inactive)
        case .blockedOnNotification:
            if let notification = Notification(address: thread.blockingObject) { cancelSignal(thread, notification) }
        case .blockedOnReply:
            thread.fault = .none
            let master = thread.slot(.reply)
            if let replySlot = master.next, isParent(master, of: replySlot) { deleteCap(in: replySlot) }
        default:
            break
        }
    }

    /// `suspend` (SCHED-7): the thread stops. A running thread's restart address moves past
    /// its last syscall, so a later Resume continues rather than repeating it.
    func suspend(_ thread: Thread) {
        cancelIPC(thread)
        if thread.state == .running {
            thread[register: RegisterFile.faultIP] = thread[register: RegisterFile.pc]
        }
        setState(thread, .inactive)
        scheduleDequeue(thread)
        observe(.threadStopped(thread: thread))
    }

    /// `restart` (SCHED-7, REPLY-3): a stopped thread re-issues its last syscall, with a
    /// master reply cap ensured.
    func restart(_ thread: Thread) {
        guard thread.state.isStopped else { return }
        cancelIPC(thread)
        setupReplyMaster(thread)
        thread.state = .restart
        scheduleEnqueue(thread)
        observe(.woken(thread: thread, object: 0, reason: .resumed))
        possibleSwitchTo(thread)
    }

    /// `setupReplyMaster` (REPLY-3).
    func setupReplyMaster(_ thread: Thread) {
        let slot = thread.slot(.reply)
        guard slot.cap.isNull else { return }
        insertOriginal(.reply(thread: thread.address, canGrant: true, isMaster: true), into: slot)
    }
}
