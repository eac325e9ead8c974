import Testing
@testable import KernelCore
import KernelTestSupport

// Section 8: notifications and binding (NTFN-1..4, BIND-1..3).
@Suite struct NotificationTests {
    // NTFN-1: Signal is Send, NBSend or Call on a notification cap; Wait is Recv, Poll NBRecv.
    @Test func ntfn1_operations() {
        let sys = TestSystem()
        let ntfn = sys.make(ObjectType.notification)
        let s = sys.spawn().thread, w = sys.spawn().thread
        for (i, call) in [Syscall.send, .nbSend, .call].enumerated() {
            let cap = sys.mint(ntfn, badge: 1 << Word(i)).slot
            sys.syscall(call, by: s, cap: cap)
            #expect(s.state == .running)
        }
        sys.syscall(.nbRecv, by: w, cap: ntfn)  // Poll
        #expect(sys.registers(of: w).badge == 0b111)
        sys.syscall(.recv, by: w, cap: ntfn)  // Wait
        #expect(w.state == .blockedOnNotification)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // NTFN-2: signal by state: idle -> active (word = badge), active -> OR, waiting -> wake the
    // head waiter only, with exactly the signal's badge.
    @Test func ntfn2_signalByState() {
        let sys = TestSystem()
        let ntfn = sys.make(ObjectType.notification)
        let n = sys.ipcNotification(ntfn)
        let b1 = sys.mint(ntfn, badge: 0b01).slot, b2 = sys.mint(ntfn, badge: 0b10).slot
        let s = sys.spawn().thread
        sys.syscall(.send, by: s, cap: b1)
        #expect(n.state == .active && n.word == 0b01)
        sys.syscall(.send, by: s, cap: b2)
        #expect(n.state == .active && n.word == 0b11)
        let w1 = sys.spawn().thread, w2 = sys.spawn().thread
        sys.syscall(.recv, by: w1, cap: ntfn)
        #expect(w1.state == .running && sys.registers(of: w1).badge == 0b11 && n.state == .idle)
        sys.syscall(.recv, by: w1, cap: ntfn)
        sys.syscall(.recv, by: w2, cap: ntfn)
        #expect(n.state == .waiting && sys.ipcQueue(n) == [w1, w2])
        w1[register: RegisterFile.badgeRegister] = 0xFF00
        sys.syscall(.send, by: s, cap: b2)
        #expect(w1.state == .running && sys.registers(of: w1).badge == 0b10)
        #expect(w2.state == .blockedOnNotification && sys.ipcQueue(n) == [w2] && n.state == .waiting)
        sys.syscall(.send, by: s, cap: b1)
        #expect(w2.state == .running && n.state == .idle)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // NTFN-2: a bound thread that is not in an endpoint receive is not woken; the signal latches.
    @Test func ntfn2_boundThreadNotInReceiveLatches() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let ntfn = sys.make(ObjectType.notification), other = sys.make(ObjectType.notification)
        let server = sys.spawn().thread
        let t = sys.spawn()
        #expect(sys.bindNotification(t.slot, ntfn) == 0)
        // BlockedOnReply (inside a Call).
        sys.syscall(.recv, by: server, cap: ep)
        sys.syscall(.call, by: t.thread, cap: ep)
        #expect(t.thread.state == .blockedOnReply)
        sys.syscall(.send, by: server, cap: sys.mint(ntfn, badge: 4).slot)
        #expect(t.thread.state == .blockedOnReply && sys.ipcNotification(ntfn).state == .active)
        sys.syscall(.reply, by: server)
        // Blocked on another notification.
        sys.syscall(.recv, by: t.thread, cap: other)
        sys.syscall(.send, by: server, cap: sys.mint(ntfn, badge: 8).slot)
        #expect(t.thread.state == .blockedOnNotification && sys.ipcNotification(ntfn).word == 0b1100)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // NTFN-3: Wait/Poll write only the badge register.
    @Test func ntfn3_onlyBadgeRegisterWritten() {
        let sys = TestSystem()
        let ntfn = sys.make(ObjectType.notification)
        let w = sys.spawn().thread, s = sys.spawn().thread
        let info = MessageInfo(label: 0x42, length: 2)
        sys.syscall(.send, by: s, cap: sys.mint(ntfn, badge: 6).slot)
        sys.syscall(.recv, by: w, cap: ntfn, info: info, mrs: [7, 8])
        #expect(sys.registers(of: w) == TestSystem.Registers(badge: 6, info: info, words: [7, 8]))
        sys.syscall(.nbRecv, by: w, cap: ntfn, info: info, mrs: [9, 10])
        #expect(sys.registers(of: w) == TestSystem.Registers(badge: 0, info: info, words: [9, 10]))
        // Woken from a blocking wait: still only the badge.
        sys.syscall(.recv, by: w, cap: ntfn, info: info, mrs: [11, 12])
        sys.syscall(.send, by: s, cap: sys.mint(ntfn, badge: 3).slot, info: MessageInfo(label: 1, length: 1), mrs: [99])
        #expect(sys.registers(of: w) == TestSystem.Registers(badge: 3, info: info, words: [11, 12]))
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // NTFN-4 / BIND-2 (d): deleting the last cap unbinds and restarts the waiters.
    @Test func ntfn4_deletionRestartsWaitersAndUnbinds() {
        let sys = TestSystem()
        let ntfn = sys.make(ObjectType.notification), bound = sys.make(ObjectType.notification)
        let w1 = sys.spawn().thread, w2 = sys.spawn().thread
        let b = sys.spawn()
        #expect(sys.bindNotification(b.slot, bound) == 0)
        sys.syscall(.recv, by: w1, cap: ntfn)
        sys.syscall(.recv, by: w2, cap: ntfn)
        #expect(sys.deleteSlot(ntfn) == 0)
        #expect(w1.state == .restart && w2.state == .restart)
        #expect(sys.ipcReady(100).prefix(2) == [w2, w1])  // SCHED-5: head-enqueued one by one
        #expect(sys.deleteSlot(bound) == 0)
        #expect(b.thread.boundNotification == nil)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // BIND-1: BindNotification / UnbindNotification errors.
    @Test func bind1_errors() {
        let sys = TestSystem()
        let ntfn = sys.make(ObjectType.notification), ntfn2 = sys.make(ObjectType.notification)
        let waited = sys.make(ObjectType.notification)
        let ep = sys.make(ObjectType.endpoint)
        let writeOnly = sys.mint(ntfn2, rights: [.write], badge: 0).slot
        let a = sys.spawn(), b = sys.spawn(), w = sys.spawn()
        let illegal = ErrorCode.illegalOperation.rawValue
        #expect(sys.invoke(a.slot, label: .tcbBindNotification, args: []).info.label == ErrorCode.truncatedMessage.rawValue)
        #expect(sys.invoke(a.slot, label: .tcbUnbindNotification, args: []).info.label == illegal)
        #expect(sys.bindNotification(a.slot, ep) == illegal)
        #expect(sys.bindNotification(a.slot, writeOnly) == illegal)
        sys.syscall(.recv, by: w.thread, cap: waited)
        #expect(sys.bindNotification(a.slot, waited) == illegal)
        #expect(sys.bindNotification(a.slot, ntfn) == 0)
        #expect(sys.bindNotification(a.slot, ntfn2) == illegal)  // already bound TCB
        #expect(sys.bindNotification(b.slot, ntfn) == illegal)   // already bound notification
        #expect(sys.invoke(a.slot, label: .tcbUnbindNotification, args: []).info.label == 0)
        #expect(a.thread.boundNotification == nil && sys.ipcNotification(ntfn).boundThread == nil)
        #expect(sys.bindNotification(b.slot, ntfn) == 0)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // BIND-2 (a) / RECV-3: a pending signal completes an endpoint Recv or NBRecv at once.
    @Test func bind2a_pendingSignalPreemptsEndpointReceive() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let ntfn = sys.make(ObjectType.notification)
        let t = sys.spawn()
        sys.bindNotification(t.slot, ntfn)
        let s = sys.spawn().thread
        for call in [Syscall.recv, .nbRecv] {
            sys.syscall(.send, by: s, cap: sys.mint(ntfn, badge: 0x40).slot)
            sys.syscall(call, by: t.thread, cap: ep)
            #expect(t.thread.state == .running && sys.registers(of: t.thread).badge == 0x40)
            #expect(sys.ipcNotification(ntfn).state == .idle)
        }
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // BIND-2 (c): only the bound thread may wait on its notification; the bound thread can.
    @Test func bind2c_onlyBoundThreadMayWait() {
        let sys = TestSystem()
        let (_, handlerCap, handler) = sys.ipcFaultHandler()
        let ntfn = sys.make(ObjectType.notification)
        let t = sys.spawn()
        sys.bindNotification(t.slot, ntfn)
        let other = sys.spawn(faultHandler: handlerCap).thread
        sys.syscall(.nbRecv, by: other, cap: ntfn)
        #expect(other.state == .blockedOnReply)
        #expect(sys.registers(of: handler).mr == [TestSystem.syscallAddress, ntfn, 1, 2, 0])
        sys.syscall(.recv, by: t.thread, cap: ntfn)
        #expect(t.thread.state == .blockedOnNotification)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // BIND-3: a notification delivered into an endpoint receive changes only the badge;
    // disjoint badge bits tell it apart.
    @Test func bind3_distinguishByBadge() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let ntfn = sys.make(ObjectType.notification)
        let t = sys.spawn()
        sys.bindNotification(t.slot, ntfn)
        let client = sys.spawn().thread
        let clientCap = sys.mint(ep, badge: 0x1).slot
        let ntfnCap = sys.mint(ntfn, badge: 0x100).slot
        sys.syscall(.recv, by: t.thread, cap: ep)
        sys.syscall(.send, by: client, cap: clientCap, info: MessageInfo(label: 5, length: 1), mrs: [55])
        let ipc = sys.registers(of: t.thread)
        #expect(ipc.badge & 0x100 == 0 && ipc.info.label == 5)
        // The registers as they were at the Recv stay (label, length, MRs are stale).
        let before = MessageInfo(label: 0xABC, length: 1)
        sys.syscall(.recv, by: t.thread, cap: ep, info: before, mrs: [0x77])
        sys.syscall(.send, by: client, cap: ntfnCap, info: MessageInfo(label: 6, length: 1), mrs: [66])
        let signal = sys.registers(of: t.thread)
        #expect(signal.badge == 0x100)
        #expect(signal.info == before && signal.mr == [0x77])
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
}
