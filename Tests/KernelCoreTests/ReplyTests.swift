import Testing
@testable import KernelCore
import KernelTestSupport

// Section 3.5: Reply, ReplyRecv, reply caps (REPLY-1..9, RR-1..2).
@Suite struct ReplyTests {
    /// A server blocked in Recv on `ep` and a client blocked on reply after a Call to it.
    private func callPair(_ sys: TestSystem, ep: Word, clientPriority: Int = 100)
        -> (server: Thread, client: Thread, clientSlot: Word) {
        let server = sys.spawn().thread
        let client = sys.spawn(priority: clientPriority)
        sys.syscall(.recv, by: server, cap: ep)
        sys.syscall(.call, by: client.thread, cap: ep, info: MessageInfo(label: 1, length: 1), mrs: [11])
        return (server, client.thread, client.slot)
    }

    // REPLY-1 (scenario 9): Reply with an empty caller slot does nothing.
    @Test func reply1_emptyCallerSlotIsNoOp() {
        let sys = TestSystem()
        let (_, handlerCap, handler) = sys.ipcFaultHandler()
        let t = sys.spawn(faultHandler: handlerCap).thread
        sys.syscall(.reply, by: t, info: MessageInfo(label: 5, length: 2), mrs: [1, 2])
        #expect(t.state == .running)
        #expect(sys.registers(of: t) == TestSystem.Registers(badge: 0, info: MessageInfo(label: 5, length: 2), words: [1, 2]))
        #expect(handler.state == .blockedOnReceive)  // no fault
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // REPLY-1: a reply's bad extra-cap CPtrs are ignored (no fault, no caps).
    @Test func reply1_badExtraCapsIgnored() {
        let sys = TestSystem()
        let (_, handlerCap, handler) = sys.ipcFaultHandler()
        let ep = sys.make(ObjectType.endpoint)
        let server = sys.spawn(faultHandler: handlerCap).thread, client = sys.spawn().thread
        sys.syscall(.recv, by: server, cap: ep)
        sys.syscall(.call, by: client, cap: ep)
        sys.setCapReceivePath(of: client, index: sys.allocateSlot())
        sys.syscall(.reply, by: server, info: MessageInfo(label: 3, extraCaps: 1, length: 1), mrs: [33], extraCaps: [ipcBadCPtr])
        #expect(handler.state == .blockedOnReceive)
        #expect(client.state == .running)
        #expect(sys.registers(of: client) == TestSystem.Registers(badge: 0, info: MessageInfo(label: 3, length: 1), words: [33]))
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // REPLY-2: the reply cap is a CDT child of the caller's master reply cap; its Grant bit is
    // the receiver's endpoint cap Grant.
    @Test func reply2_replyCapCreation() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let (server, client, _) = callPair(sys, ep: ep)
        #expect(client.state == .blockedOnReply)
        let callerSlot = server.slot(.caller)
        #expect(callerSlot.cap.type == .reply && !callerSlot.cap.isMasterReply)
        #expect(callerSlot.cap.address == client.address && callerSlot.cap.replyCanGrant)
        let master = client.slot(.reply)
        #expect(master.next == callerSlot && sys.kernel.isParent(master, of: callerSlot))
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // REPLY-3: master reply caps exist for the root and resumed threads.
    @Test func reply3_masterReplyCaps() {
        let sys = TestSystem()
        let t = sys.spawn().thread
        for thread in [sys.root, t] {
            let master = thread.slot(.reply).cap
            #expect(master.type == .reply && master.isMasterReply && master.replyCanGrant && master.address == thread.address)
        }
        // A TCB never resumed has none.
        let tcb = sys.make(ObjectType.thread)
        #expect(sys.thread(at: tcb).slot(.reply).cap.isNull)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // REPLY-4: badge 0, reply cap consumed, caps only with the reply cap's Grant, caller runs.
    @Test func reply4_replyTransfer() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let recvNoGrant = sys.mint(ep, rights: [.read], badge: 0).slot
        let ntfn = sys.make(ObjectType.notification)
        let server = sys.spawn().thread
        let client = sys.spawn().thread
        let clientSlot = sys.allocateSlot()
        sys.setCapReceivePath(of: client, index: clientSlot)
        // Server received with a Grant cap: the cap goes with the reply.
        sys.syscall(.recv, by: server, cap: ep)
        sys.syscall(.call, by: client, cap: sys.mint(ep, badge: 0x77).slot)
        #expect(sys.registers(of: server).badge == 0x77)
        sys.syscall(.reply, by: server, info: MessageInfo(label: 8, extraCaps: 1, length: 5), mrs: [1, 2, 3, 4, 5], extraCaps: [ntfn])
        #expect(client.state == .running && !sys.ipcHasCaller(server))
        #expect(sys.registers(of: client) == TestSystem.Registers(badge: 0, info: MessageInfo(label: 8, extraCaps: 1, length: 5),
                                                                   words: [1, 2, 3, 4, 5]))
        #expect(sys.capability(at: clientSlot).type == .notification)
        // Server received without Grant: the cap is dropped.
        sys.deleteSlot(clientSlot)
        sys.syscall(.recv, by: server, cap: recvNoGrant)
        sys.syscall(.call, by: client, cap: ep)
        sys.syscall(.reply, by: server, info: MessageInfo(label: 9, extraCaps: 1, length: 0), extraCaps: [ntfn])
        #expect(sys.registers(of: client).info == MessageInfo(label: 9, length: 0))
        #expect(sys.capability(at: clientSlot).isNull)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // REPLY-6 (scenario 11): SaveCaller, then Send through the saved cap.
    @Test func reply6_saveCallerThenSend() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let (server, client, _) = callPair(sys, ep: ep)
        let saved = sys.allocateSlot()
        let occupied = sys.make(ObjectType.notification)
        #expect(sys.saveCaller(by: server, into: occupied) == ErrorCode.deleteFirst.rawValue)
        #expect(sys.ipcHasCaller(server))
        #expect(sys.saveCaller(by: server, into: saved) == 0)
        #expect(!sys.ipcHasCaller(server) && sys.capability(at: saved).type == .reply)
        // No caller now: SaveCaller succeeds and does nothing.
        let other = sys.allocateSlot()
        #expect(sys.saveCaller(by: server, into: other) == 0 && sys.capability(at: other).isNull)
        // Reply (caller slot empty) is a no-op; the saved cap still works.
        sys.syscall(.reply, by: server, info: MessageInfo(label: 1, length: 0))
        #expect(client.state == .blockedOnReply)
        sys.syscall(.send, by: server, cap: saved, info: MessageInfo(label: 0x51, length: 2), mrs: [5, 1])
        #expect(client.state == .running)
        #expect(sys.registers(of: client) == TestSystem.Registers(badge: 0, info: MessageInfo(label: 0x51, length: 2), words: [5, 1]))
        #expect(sys.capability(at: saved).isNull)
        #expect(server.state == .running)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // REPLY-6: Send through a saved cap is a normal invocation: bad extra caps fault; NBSend works.
    @Test func reply6_savedCapIsNormalInvocation() {
        let sys = TestSystem()
        let (_, handlerCap, handler) = sys.ipcFaultHandler()
        let ep = sys.make(ObjectType.endpoint)
        let server = sys.spawn(faultHandler: handlerCap).thread
        let client = sys.spawn().thread
        sys.syscall(.recv, by: server, cap: ep)
        sys.syscall(.call, by: client, cap: ep)
        let saved = sys.allocateSlot()
        sys.saveCaller(by: server, into: saved)
        sys.syscall(.send, by: server, cap: saved, info: MessageInfo(label: 0, extraCaps: 1, length: 0), extraCaps: [ipcBadCPtr])
        #expect(server.state == .blockedOnReply)
        #expect(sys.registers(of: handler).info.label == 1 && sys.registers(of: handler).mr[1] == ipcBadCPtr)
        #expect(client.state == .blockedOnReply)
        #expect(sys.capability(at: saved).type == .reply)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // REPLY-7 (scenario 29 is in TransferTests): reply caps cannot be copied or minted; Move works.
    @Test func reply7_replyCapsCannotBeCopied() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let (server, client, _) = callPair(sys, ep: ep)
        let saved = sys.allocateSlot()
        sys.saveCaller(by: server, into: saved)
        #expect(sys.copy(saved).error == ErrorCode.illegalOperation.rawValue)
        #expect(sys.mint(saved, badge: 1).error == ErrorCode.illegalOperation.rawValue)
        let moved = sys.allocateSlot()
        let r = sys.invoke(Word(InitialSlot.cnode), label: .cnodeMove, args: [moved, 64, saved, 64], extraCaps: [Word(InitialSlot.cnode)])
        #expect(r.info.label == 0 && sys.capability(at: moved).type == .reply && sys.capability(at: saved).isNull)
        sys.syscall(.send, by: server, cap: moved, info: MessageInfo(label: 4, length: 0))
        #expect(client.state == .running && sys.registers(of: client).info.label == 4)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // REPLY-8: deleting the reply cap, or suspending the server, does not wake the caller;
    // Suspend then Resume of the caller re-issues its Call.
    @Test func reply8_deletingReplyCapStrandsCaller() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let (server, client, clientSlot) = callPair(sys, ep: ep)
        let saved = sys.allocateSlot()
        sys.saveCaller(by: server, into: saved)
        #expect(sys.deleteSlot(saved) == 0)
        #expect(client.state == .blockedOnReply)
        // Recovery: suspend and resume the caller; it restarts at its Call.
        #expect(sys.suspendThread(clientSlot) == 0 && client.state == .inactive)
        #expect(sys.resumeThread(clientSlot) == 0 && client.state == .restart)
        #expect(client.slot(.reply).cap.isMasterReply)
        sys.syscall(.recv, by: server, cap: ep)
        #expect(sys.kernel.preempt(to: client))
        #expect(sys.isRestarting(client))
        // Re-executing the Call (same registers) reaches the server again.
        sys.syscall(.call, by: client, cap: ep, info: MessageInfo(label: 1, length: 1), mrs: [11])
        #expect(client.state == .blockedOnReply && sys.registers(of: server).mr == [11])
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // REPLY-8: suspending (or deleting) the server leaves its caller BlockedOnReply.
    @Test func reply8_suspendingServerStrandsCaller() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let server = sys.spawn()
        let client = sys.spawn().thread
        sys.syscall(.recv, by: server.thread, cap: ep)
        sys.syscall(.call, by: client, cap: ep)
        #expect(sys.suspendThread(server.slot) == 0)
        #expect(server.thread.state == .inactive)
        #expect(client.state == .blockedOnReply)
        #expect(sys.deleteSlot(server.slot) == 0)
        #expect(client.state == .blockedOnReply)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // REPLY-9: suspending a BlockedOnReply caller deletes its reply cap wherever it lives.
    @Test func reply9_callerSuspendDeletesReplyCap() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        // In the server's caller slot: the later Reply is a no-op.
        let (server, client, clientSlot) = callPair(sys, ep: ep)
        #expect(sys.ipcHasCaller(server))
        #expect(sys.suspendThread(clientSlot) == 0)
        #expect(!sys.ipcHasCaller(server) && client.state == .inactive)
        client.setMessageRegister(0, 0xAB)
        sys.syscall(.reply, by: server, info: MessageInfo(label: 1, length: 1), mrs: [1])
        #expect(client.state == .inactive && client.messageRegister(0) == 0xAB)
        // In a saved slot: Send on it is silent, Call gets InvalidCapability.
        let (server2, client2, client2Slot) = callPair(sys, ep: ep)
        let saved = sys.allocateSlot()
        sys.saveCaller(by: server2, into: saved)
        #expect(sys.resumeThread(client2Slot) == 0)  // Resume also cancels (restart)
        #expect(client2.state == .restart)
        #expect(sys.capability(at: saved).isNull)
        sys.syscall(.send, by: server2, cap: saved)
        #expect(server2.state == .running)
        let r = sys.invoke(saved, label: 0, args: [], by: server2)
        #expect(r.info.label == ErrorCode.invalidCapability.rawValue && r.mr == [0])
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // RR-1: the reply happens first; an invalid receive CPtr then faults in the receive phase.
    @Test func rr1_replyThenReceiveFault() {
        let sys = TestSystem()
        let (_, handlerCap, handler) = sys.ipcFaultHandler()
        let ep = sys.make(ObjectType.endpoint)
        let server = sys.spawn(faultHandler: handlerCap).thread
        let client = sys.spawn().thread
        sys.syscall(.recv, by: server, cap: ep)
        sys.syscall(.call, by: client, cap: ep)
        sys.syscall(.replyRecv, by: server, cap: ipcBadCPtr, info: MessageInfo(label: 0x66, length: 1), mrs: [6])
        #expect(client.state == .running)
        #expect(sys.registers(of: client) == TestSystem.Registers(badge: 0, info: MessageInfo(label: 0x66, length: 1), words: [6]))
        #expect(server.state == .blockedOnReply)
        let got = sys.registers(of: handler)
        #expect(got.info.label == 1 && got.mr[1] == ipcBadCPtr && got.mr[2] == 1)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // RR-2: a server holding a caller cap may Call another server; its caller cap survives.
    @Test func rr2_nestedCalls() {
        let sys = TestSystem()
        let ep1 = sys.make(ObjectType.endpoint), ep2 = sys.make(ObjectType.endpoint)
        let s1 = sys.spawn().thread, s2 = sys.spawn().thread, client = sys.spawn().thread
        sys.syscall(.recv, by: s1, cap: ep1)
        sys.syscall(.recv, by: s2, cap: ep2)
        sys.syscall(.call, by: client, cap: ep1, info: MessageInfo(label: 1, length: 1), mrs: [100])
        sys.syscall(.call, by: s1, cap: ep2, info: MessageInfo(label: 2, length: 1), mrs: [200])
        #expect(s1.state == .blockedOnReply && sys.ipcHasCaller(s1) && sys.ipcHasCaller(s2))
        #expect(s1.slot(.caller).cap.address == client.address && s2.slot(.caller).cap.address == s1.address)
        sys.syscall(.replyRecv, by: s2, cap: ep2, info: MessageInfo(label: 3, length: 1), mrs: [201])
        #expect(s1.state == .running && sys.registers(of: s1).mr == [201])
        #expect(sys.ipcHasCaller(s1))
        sys.syscall(.replyRecv, by: s1, cap: ep1, info: MessageInfo(label: 4, length: 1), mrs: [101])
        #expect(client.state == .running && sys.registers(of: client).mr == [101])
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
}
