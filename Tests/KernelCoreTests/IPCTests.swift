import Testing
@testable import KernelCore
import KernelTestSupport

// MARK: - Shared helpers for the IPC test files (prefixed `ipc` to stay clear of other suites)

extension TestSystem {
    func ipcEndpoint(_ slot: Word) -> Endpoint { Endpoint(address: capability(at: slot).address)! }
    func ipcNotification(_ slot: Word) -> Notification { Notification(address: capability(at: slot).address)! }

    /// An endpoint's queue, head first.
    func ipcQueue(_ endpoint: Endpoint) -> [Thread] {
        var result: [Thread] = []
        var cursor = endpoint.queue.head
        while let t = cursor { result.append(t); cursor = t.queueNext }
        return result
    }

    func ipcQueue(_ notification: Notification) -> [Thread] {
        var result: [Thread] = []
        var cursor = notification.queue.head
        while let t = cursor { result.append(t); cursor = t.queueNext }
        return result
    }

    /// The ready queue at `priority`, head first.
    func ipcReady(_ priority: Int) -> [Thread] {
        var result: [Thread] = []
        var cursor = Thread(address: kernel.readyHeads[priority])
        while let t = cursor { result.append(t); cursor = Thread(address: t.fields.pointee.scheduleNext) }
        return result
    }

    /// A fault endpoint, a cap to it for fault-handler CPtrs (badge 0x99, the given rights) and
    /// a handler thread waiting on it.
    func ipcFaultHandler(rights: CapRights = [.write, .grant], handlerBuffer: Bool = true, priority: Int = 100)
        -> (ep: Word, handlerCap: Word, handler: Thread) {
        let ep = make(ObjectType.endpoint)
        let handlerCap = mint(ep, rights: rights, badge: 0x99).slot
        let handler = spawn(priority: priority, ipcBuffer: handlerBuffer).thread
        syscall(.recv, by: handler, cap: ep)
        return (ep, handlerCap, handler)
    }

    /// Whether the TCB's `tcbCaller` slot holds a reply cap.
    func ipcHasCaller(_ thread: Thread) -> Bool { thread.slot(.caller).cap.type == .reply }
}

/// A CPtr whose high bits break the root CNode's 54-bit zero guard (LOOKUP-1).
let ipcBadCPtr: Word = (1 << 40) | 5

// MARK: - System calls (section 3: SYS-*, SEND-*, CALL-*, RECV-*, YIELD-1)

@Suite struct IPCTests {
    // SYS-1: each syscall number reaches its handler.
    @Test func sys1_dispatchTable() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let a = sys.spawn().thread, b = sys.spawn().thread
        // NBSend with nobody waiting: nothing.
        sys.syscall(.nbSend, by: a, cap: ep, info: MessageInfo(label: 1, length: 0))
        #expect(a.state == .running && sys.ipcEndpoint(ep).state == .idle)
        // NBRecv with nothing: badge 0, not blocked.
        b[register: RegisterFile.badgeRegister] = 0x1234
        sys.syscall(.nbRecv, by: b, cap: ep)
        #expect(b.state == .running && sys.registers(of: b).badge == 0)
        // Send blocks.
        sys.syscall(.send, by: a, cap: ep, info: MessageInfo(label: 2, length: 0))
        #expect(a.state == .blockedOnSend)
        // Recv takes it.
        sys.syscall(.recv, by: b, cap: ep)
        #expect(sys.registers(of: b).info.label == 2 && a.state == .running)
        // Call blocks on reply once received.
        sys.syscall(.recv, by: b, cap: ep)
        sys.syscall(.call, by: a, cap: ep, info: MessageInfo(label: 3, length: 0))
        #expect(a.state == .blockedOnReply)
        // Reply answers it.
        sys.syscall(.reply, by: b, info: MessageInfo(label: 4, length: 0))
        #expect(a.state == .running && sys.registers(of: a).info.label == 4)
        // ReplyRecv with no caller: just the receive.
        sys.syscall(.replyRecv, by: b, cap: ep)
        #expect(b.state == .blockedOnReceive)
        // Yield: the thread stays runnable.
        sys.syscall(.yield, by: a)
        #expect(a.state.isRunnable)
        #expect(Syscall.call.rawValue == -1 && Syscall.nbRecv.rawValue == -8)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // SYS-2 step 4: an extra-cap CPtr that does not resolve is a cap fault for Send/Call, silent for NBSend.
    @Test func sys2_extraCapLookupFailure() {
        let sys = TestSystem()
        let (_, handlerCap, handler) = sys.ipcFaultHandler()
        let ep = sys.make(ObjectType.endpoint)
        let sender = sys.spawn(faultHandler: handlerCap).thread
        sys.syscall(.nbSend, by: sender, cap: ep, info: MessageInfo(label: 0, extraCaps: 1, length: 0), extraCaps: [ipcBadCPtr])
        #expect(sender.state == .running)
        #expect(handler.state == .blockedOnReceive)
        sys.syscall(.send, by: sender, cap: ep, info: MessageInfo(label: 0, extraCaps: 1, length: 0), extraCaps: [ipcBadCPtr])
        #expect(sender.state == .blockedOnReply)
        let got = sys.registers(of: handler)
        #expect(got.info.label == 1)  // CapFault
        #expect(got.mr[1] == ipcBadCPtr && got.mr[2] == 0)
        #expect(sys.ipcEndpoint(ep).state == .idle)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // SYS-2 step 5 / XFER-8: a kernel invocation longer than 4 words from a thread without an
    // IPC buffer is decoded as length 4.
    @Test func sys2_lengthTruncatedForDecodeWithoutBuffer() {
        let sys = TestSystem()
        let target = sys.spawn()
        let withBuffer = sys.spawn().thread
        let noBuffer = sys.spawn(ipcBuffer: false).thread
        // WriteRegisters(flags 0, count 3, pc, sp, flags): needs 5 words.
        let args: [Word] = [0, 3, 0x1000, 0x2000, 0x202]
        let bad = sys.invoke(target.slot, label: .tcbWriteRegisters, args: args, by: noBuffer)
        #expect(bad.info.label == ErrorCode.truncatedMessage.rawValue)
        let good = sys.invoke(target.slot, label: .tcbWriteRegisters, args: args, by: withBuffer)
        #expect(good.info.label == 0 && good.info.length == 0)
        #expect(target.thread[register: RegisterFile.sp] == 0x2000)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // SYS-2 step 7 / CALL-3: a Call that completes without blocking gets an empty success reply.
    @Test func sys2_callGetsEmptySuccessReply() {
        let sys = TestSystem()
        let t = sys.spawn().thread
        let empty = sys.allocateSlot()
        t[register: RegisterFile.badgeRegister] = 77
        let r = sys.invoke(Word(InitialSlot.cnode), label: .cnodeDelete, args: [empty, 64], by: t)
        #expect(r.info.rawValue == 0 && r.badge == 0)
        #expect(t.state == .running)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // SYS-3: behaviour by cap type.
    @Test func sys3_perCapTypeBehaviour() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let ntfn = sys.make(ObjectType.notification)
        let epReadOnly = sys.mint(ep, rights: [.read], badge: 0).slot
        let ntfnReadOnly = sys.mint(ntfn, rights: [.read], badge: 0).slot
        let empty = sys.allocateSlot()
        let t = sys.spawn().thread
        for cap in [empty, epReadOnly, ntfnReadOnly] {
            let r = sys.invoke(cap, label: 0, args: [], by: t)
            #expect(r.info.label == ErrorCode.invalidCapability.rawValue && r.info.length == 1 && r.mr == [0] && r.badge == 0)
        }
        // Any other cap: the label selects a method; a CNode with a non-CNode label is illegal.
        let r = sys.invoke(Word(InitialSlot.cnode), label: .tcbSuspend, args: [0, 64], by: t)
        #expect(r.info.label == ErrorCode.illegalOperation.rawValue && r.info.length == 0)
        // Send and NBSend on those caps are silent.
        for call in [Syscall.send, .nbSend] {
            for cap in [empty, epReadOnly, ntfnReadOnly] {
                t.setMessageRegister(0, 0xAA)
                sys.syscall(call, by: t, cap: cap, info: MessageInfo(label: 9, length: 1), mrs: [0xAA])
                #expect(t.state == .running)
                #expect(MessageInfo(rawValue: t[register: RegisterFile.msgInfoRegister]).label == 9)
                #expect(t.messageRegister(0) == 0xAA)
            }
        }
        #expect(sys.ipcNotification(ntfn).state == .idle)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // SEND-1, EP-2: a send takes the head receiver; blocking or not makes no difference.
    @Test func send1_receiverWaitingTakesHead() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let badged = sys.mint(ep, badge: 21).slot
        let r1 = sys.spawn().thread, r2 = sys.spawn().thread, s = sys.spawn().thread
        sys.syscall(.recv, by: r1, cap: ep)
        sys.syscall(.recv, by: r2, cap: ep)
        sys.syscall(.nbSend, by: s, cap: badged, info: MessageInfo(label: 5, length: 1), mrs: [50])
        #expect(r1.state == .running)
        #expect(sys.registers(of: r1) == TestSystem.Registers(badge: 21, info: MessageInfo(label: 5, length: 1), words: [50]))
        #expect(sys.ipcQueue(sys.ipcEndpoint(ep)) == [r2])
        sys.syscall(.send, by: s, cap: badged, info: MessageInfo(label: 6, length: 0))
        #expect(r2.state == .running && sys.registers(of: r2).info.label == 6)
        #expect(s.state == .running)
        #expect(sys.ipcEndpoint(ep).state == .idle)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // SEND-2: blocked senders are appended at the tail.
    @Test func send2_blockedSendersQueueFIFO() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let s1 = sys.spawn(priority: 50).thread, s2 = sys.spawn(priority: 200).thread, s3 = sys.spawn(priority: 100).thread
        for s in [s1, s2, s3] { sys.syscall(.send, by: s, cap: ep) }
        #expect([s1, s2, s3].allSatisfy { $0.state == .blockedOnSend })
        #expect(sys.ipcEndpoint(ep).state == .send)
        #expect(sys.ipcQueue(sys.ipcEndpoint(ep)) == [s1, s2, s3])
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // SEND-3: NBSend with no receiver (endpoint idle or with senders) is dropped silently.
    @Test func send3_nbSendDropped() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let s = sys.spawn().thread, other = sys.spawn().thread, r = sys.spawn().thread
        sys.syscall(.nbSend, by: s, cap: ep, info: MessageInfo(label: 1, length: 1), mrs: [1])
        sys.syscall(.send, by: other, cap: ep, info: MessageInfo(label: 2, length: 1), mrs: [2])
        sys.syscall(.nbSend, by: s, cap: ep, info: MessageInfo(label: 3, length: 1), mrs: [3])
        #expect(s.state == .running)
        #expect(sys.ipcQueue(sys.ipcEndpoint(ep)) == [other])
        sys.syscall(.recv, by: r, cap: ep)
        #expect(sys.registers(of: r).info.label == 2)
        sys.syscall(.nbRecv, by: r, cap: ep)
        #expect(sys.registers(of: r).badge == 0 && sys.ipcEndpoint(ep).state == .idle)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // SEND-4: the badge is fixed when the sender blocks, even if its cap is deleted afterwards.
    @Test func send4_badgeRecordedAtSendTime() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let badged = sys.mint(ep, badge: 0xB0B).slot
        let s = sys.spawn().thread, r = sys.spawn().thread
        sys.syscall(.send, by: s, cap: badged)
        #expect(sys.deleteSlot(badged) == 0)
        #expect(s.state == .blockedOnSend)
        sys.syscall(.recv, by: r, cap: ep)
        #expect(sys.registers(of: r).badge == 0xB0B)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // SEND-5: no Write right or an empty slot: Send silent, Call gets InvalidCapability.
    @Test func send5_noWriteOrEmpty() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let noWrite = sys.mint(ep, rights: [.read, .grant, .grantReply], badge: 0).slot
        let r = sys.spawn().thread, s = sys.spawn().thread
        sys.syscall(.recv, by: r, cap: ep)
        sys.syscall(.send, by: s, cap: noWrite, info: MessageInfo(label: 1, length: 0))
        #expect(s.state == .running && r.state == .blockedOnReceive)
        s[register: RegisterFile.badgeRegister] = 0x55
        sys.syscall(.call, by: s, cap: noWrite, info: MessageInfo(label: 1, length: 0))
        #expect(sys.registers(of: s) == TestSystem.Registers(badge: 0, info: MessageInfo(label: 2, length: 1), words: [0]))
        #expect(s.state == .running && r.state == .blockedOnReceive)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // SEND-6: an unresolvable CPtr is a cap fault for Send and Call (the caller blocks in the
    // fault IPC, no error), silent for NBSend.
    @Test func send6_unresolvableCPtr() {
        let sys = TestSystem()
        let (_, handlerCap, handler) = sys.ipcFaultHandler()
        let s = sys.spawn(faultHandler: handlerCap).thread
        sys.syscall(.nbSend, by: s, cap: ipcBadCPtr)
        #expect(s.state == .running && handler.state == .blockedOnReceive)
        sys.syscall(.call, by: s, cap: ipcBadCPtr, info: MessageInfo(label: 1, length: 0))
        #expect(s.state == .blockedOnReply)
        let got = sys.registers(of: handler)
        #expect(got.info.label == 1 && got.mr[1] == ipcBadCPtr && got.mr[2] == 0 && got.badge == 0x99)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // CALL-1: Grant or GrantReply creates a reply cap; neither leaves the caller Inactive, even
    // when the receiver arrives later (IsCall remembered).
    @Test func call1_replyCapOrInactive() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let caps: [(CapRights, Bool)] = [([.write, .grant], true), ([.write, .grantReply], true), ([.write], false)]
        for (rights, expectReply) in caps {
            let cap = sys.mint(ep, rights: rights, badge: 0).slot
            let client = sys.spawn().thread, server = sys.spawn().thread
            // Caller first: it blocks sending.
            sys.syscall(.call, by: client, cap: cap, info: MessageInfo(label: 8, length: 1), mrs: [80])
            #expect(client.state == .blockedOnSend)
            sys.syscall(.recv, by: server, cap: ep)
            #expect(sys.registers(of: server).mr == [80])
            #expect(client.state == (expectReply ? .blockedOnReply : .inactive))
            #expect(sys.ipcHasCaller(server) == expectReply)
            sys.syscall(.reply, by: server)
        }
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // CALL-2 (scenario 16): Call on a notification signals and returns an empty reply; MRs untouched.
    @Test func call2_callOnNotification() {
        let sys = TestSystem()
        let ntfn = sys.make(ObjectType.notification)
        let badged = sys.mint(ntfn, badge: 0x30).slot
        let t = sys.spawn().thread
        t[register: RegisterFile.badgeRegister] = 0xFFFF
        sys.syscall(.call, by: t, cap: badged, info: MessageInfo(label: 12, length: 2), mrs: [7, 8])
        #expect(t.state == .running)
        #expect(t[register: RegisterFile.msgInfoRegister] == 0)
        #expect(sys.registers(of: t, words: 2) == TestSystem.Registers(badge: 0, info: MessageInfo(rawValue: 0), words: [7, 8]))
        #expect(sys.ipcNotification(ntfn).state == .active && sys.ipcNotification(ntfn).word == 0x30)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // CALL-3: Call on a saved reply cap performs the reply, then returns an empty success reply.
    @Test func call3_callOnSavedReplyCap() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let client = sys.spawn().thread, server = sys.spawn().thread
        sys.syscall(.recv, by: server, cap: ep)
        sys.syscall(.call, by: client, cap: ep, info: MessageInfo(label: 1, length: 0))
        let saved = sys.allocateSlot()
        #expect(sys.saveCaller(by: server, into: saved) == 0)
        sys.syscall(.call, by: server, cap: saved, info: MessageInfo(label: 44, length: 1), mrs: [4])
        #expect(client.state == .running)
        #expect(sys.registers(of: client) == TestSystem.Registers(badge: 0, info: MessageInfo(label: 44, length: 1), words: [4]))
        #expect(server[register: RegisterFile.msgInfoRegister] == 0 && sys.registers(of: server).badge == 0)
        #expect(sys.capability(at: saved).isNull)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // CALL-4 / SCHED-6: no priority inheritance.
    @Test func call4_noPriorityInheritance() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let server = sys.spawn(priority: 10).thread, client = sys.spawn(priority: 200).thread
        sys.syscall(.recv, by: server, cap: ep)
        sys.syscall(.call, by: client, cap: ep)
        #expect(client.state == .blockedOnReply)
        #expect(server.priority == 10 && client.priority == 200)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // RECV-1: every failing receive is a cap fault in the receive phase, for NBRecv too.
    @Test func recv1_capChecks() {
        let sys = TestSystem()
        let (fep, handlerCap, handler) = sys.ipcFaultHandler()
        let ep = sys.make(ObjectType.endpoint)
        let ntfn = sys.make(ObjectType.notification)
        let epNoRead = sys.mint(ep, rights: [.write, .grant, .grantReply], badge: 0).slot
        let ntfnNoRead = sys.mint(ntfn, rights: [.write], badge: 0).slot
        let empty = sys.allocateSlot()
        let boundTo = sys.spawn()
        let bound = sys.make(ObjectType.notification)
        #expect(sys.bindNotification(boundTo.slot, bound) == 0)
        let cases: [(Word, [Word])] = [
            (ipcBadCPtr, [4, 64, 0, 54]),  // guard mismatch from the resolver
            (epNoRead, [2, 0]), (ntfnNoRead, [2, 0]), (empty, [2, 0]),
            (Word(InitialSlot.cnode), [2, 0]),  // wrong cap type
            (bound, [2, 0]),  // bound to another TCB
        ]
        for (cptr, lookupWords) in cases {
            for call in [Syscall.recv, .nbRecv] {
                let t = sys.spawn(faultHandler: handlerCap).thread
                sys.syscall(call, by: t, cap: cptr)
                #expect(t.state == .blockedOnReply, "\(cptr) \(call)")
                let got = sys.registers(of: handler)
                #expect(got.info.label == 1)
                #expect(got.mr == [TestSystem.syscallAddress, cptr, 1] + lookupWords, "\(cptr) \(call)")
                sys.syscall(.replyRecv, by: handler, cap: fep)
            }
        }
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // RECV-2 (scenario 10, PIT-1): an endpoint receive deletes the pending reply cap (Recv and
    // NBRecv); a notification receive does not.
    @Test func recv2_endpointReceiveDiscardsCallerCap() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let ntfn = sys.make(ObjectType.notification)
        let server = sys.spawn().thread
        let c1 = sys.spawn().thread, c2 = sys.spawn().thread
        sys.syscall(.recv, by: server, cap: ep)
        sys.syscall(.call, by: c1, cap: ep)
        #expect(sys.ipcHasCaller(server))
        sys.syscall(.nbRecv, by: server, cap: ntfn)  // Poll: keeps it
        #expect(sys.ipcHasCaller(server))
        sys.syscall(.nbRecv, by: server, cap: ep)  // NBRecv on the endpoint: gone
        #expect(!sys.ipcHasCaller(server))
        #expect(c1.state == .blockedOnReply)
        sys.syscall(.recv, by: server, cap: ep)
        sys.syscall(.call, by: c2, cap: ep)
        sys.syscall(.recv, by: server, cap: ep)
        #expect(!sys.ipcHasCaller(server) && server.state == .blockedOnReceive)
        #expect(c2.state == .blockedOnReply && c1.state == .blockedOnReply)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // RECV-4: a queued Send: the sender runs again; a queued Call: the reply cap's Grant is the
    // receiver's endpoint cap Grant.
    @Test func recv4_senderWaiting() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let recvNoGrant = sys.mint(ep, rights: [.read], badge: 0).slot
        let s = sys.spawn().thread, c = sys.spawn().thread, r = sys.spawn().thread
        sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: 1, length: 0))
        sys.syscall(.call, by: c, cap: ep, info: MessageInfo(label: 2, length: 0))
        sys.syscall(.recv, by: r, cap: ep)
        #expect(s.state == .running && sys.registers(of: r).info.label == 1)
        sys.syscall(.recv, by: r, cap: recvNoGrant)
        #expect(c.state == .blockedOnReply && sys.registers(of: r).info.label == 2)
        #expect(r.slot(.caller).cap.type == .reply && !r.slot(.caller).cap.replyCanGrant)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // RECV-5 (scenario 1): nothing to receive, blocking.
    @Test func recv5_blockingReceiveQueues() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let r1 = sys.spawn().thread, r2 = sys.spawn().thread
        sys.syscall(.recv, by: r1, cap: ep)
        sys.syscall(.recv, by: r2, cap: ep)
        #expect(r1.state == .blockedOnReceive && r2.state == .blockedOnReceive)
        #expect(sys.ipcEndpoint(ep).state == .receive && sys.ipcQueue(sys.ipcEndpoint(ep)) == [r1, r2])
        #expect(r1.blockingObject == sys.capability(at: ep).address)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // RECV-6 (PIT-7): NBRecv with nothing writes only the badge register.
    @Test func recv6_nbRecvMissWritesOnlyBadge() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let t = sys.spawn().thread
        t[register: RegisterFile.badgeRegister] = 0xDEAD
        let staleInfo = MessageInfo(label: 0x77, length: 3)
        sys.syscall(.nbRecv, by: t, cap: ep, info: staleInfo, mrs: [1, 2, 3])
        #expect(sys.registers(of: t) == TestSystem.Registers(badge: 0, info: staleInfo, words: [1, 2, 3]))
        #expect(t.state == .running)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // RECV-7: MRs beyond the length are left as they were.
    @Test func recv7_registersBeyondLengthUntouched() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let badged = sys.mint(ep, badge: 3).slot
        let r = sys.spawn().thread, s = sys.spawn().thread
        for i in 0..<4 { r.setMessageRegister(i, 0xF0 + Word(i)) }
        sys.bufferWords(of: r)![6] = 0xF5
        sys.syscall(.recv, by: r, cap: ep)
        sys.syscall(.send, by: s, cap: badged, info: MessageInfo(label: 9, length: 2), mrs: [1, 2])
        #expect(sys.registers(of: r, words: 6) == TestSystem.Registers(badge: 3, info: MessageInfo(label: 9, length: 2),
                                                                      words: [1, 2, 0xF2, 0xF3, 0, 0xF5]))
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // YIELD-1: to the tail of its own priority queue; alone at the top it continues.
    @Test func yield1_appendsToTail() {
        let sys = TestSystem()
        let a = sys.spawn(priority: 100).thread, b = sys.spawn(priority: 100).thread, c = sys.spawn(priority: 100).thread
        let low = sys.spawn(priority: 50).thread
        sys.suspendRootTask()
        #expect(sys.root.state == .inactive)
        sys.syscall(.yield, by: a)
        #expect(sys.kernel.currentThread != a)
        #expect(sys.ipcReady(100).last == a)
        // Alone at the top priority: continues.
        sys.syscall(.recv, by: b, cap: Word(InitialSlot.null))  // faults without handler: stops
        sys.syscall(.recv, by: c, cap: Word(InitialSlot.null))
        #expect(b.state == .inactive && c.state == .inactive)
        sys.syscall(.yield, by: a)
        #expect(sys.kernel.currentThread == a)
        #expect(sys.ipcReady(50) == [low])
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
}

