import Testing
@testable import KernelCore
import KernelTestSupport

// Section 14: the scenario table, one test per row.
@Suite struct ScenarioTableTests {
    private func check(_ sys: TestSystem) { #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)") }

    @Test func scenario01_recvOnIdleEndpoint() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint); let r = sys.spawn().thread
        sys.syscall(.recv, by: r, cap: ep)
        #expect(r.state == .blockedOnReceive && sys.ipcEndpoint(ep).state == .receive && sys.ipcQueue(sys.ipcEndpoint(ep)) == [r])
        check(sys)
    }

    @Test func scenario02_sendToQueuedReceivers() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint); let b = sys.mint(ep, badge: 0x22).slot
        let r1 = sys.spawn().thread, r2 = sys.spawn().thread, s = sys.spawn().thread
        sys.syscall(.recv, by: r1, cap: ep); sys.syscall(.recv, by: r2, cap: ep)
        sys.syscall(.send, by: s, cap: b, info: MessageInfo(label: 1, length: 1), mrs: [5])
        #expect(r1.state == .running && sys.registers(of: r1).badge == 0x22 && sys.registers(of: r1).mr == [5])
        #expect(sys.ipcEndpoint(ep).state == .receive && sys.ipcQueue(sys.ipcEndpoint(ep)) == [r2])
        check(sys)
    }

    @Test func scenario03_sendWithoutReceiverBlocks() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint); let s = sys.spawn().thread
        sys.syscall(.send, by: s, cap: ep)
        #expect(s.state == .blockedOnSend && sys.ipcEndpoint(ep).state == .send)
        check(sys)
    }

    @Test func scenario04_nbSendWithoutReceiverIsLost() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint); let s = sys.spawn().thread, r = sys.spawn().thread
        sys.syscall(.nbSend, by: s, cap: ep, info: MessageInfo(label: 4, length: 0))
        #expect(s.state == .running && sys.ipcEndpoint(ep).state == .idle)
        sys.syscall(.nbRecv, by: r, cap: ep)
        #expect(sys.registers(of: r).badge == 0 && r.state == .running)
        check(sys)
    }

    @Test func scenario05_sendersServedInOrder() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint)
        let s1 = sys.spawn(priority: 10).thread, s2 = sys.spawn(priority: 200).thread, r = sys.spawn().thread
        sys.syscall(.send, by: s1, cap: ep, info: MessageInfo(label: 1, length: 0))
        sys.syscall(.send, by: s2, cap: ep, info: MessageInfo(label: 2, length: 0))
        sys.syscall(.recv, by: r, cap: ep); #expect(sys.registers(of: r).info.label == 1)
        sys.syscall(.recv, by: r, cap: ep); #expect(sys.registers(of: r).info.label == 2)
        check(sys)
    }

    @Test func scenario06_callWithGrant() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint)
        let wg = sys.mint(ep, rights: [.write, .grant], badge: 0).slot
        let r = sys.spawn().thread, c = sys.spawn().thread
        sys.syscall(.recv, by: r, cap: ep)
        sys.syscall(.call, by: c, cap: wg, info: MessageInfo(label: 6, length: 1), mrs: [60])
        #expect(r.state == .running && sys.registers(of: r).mr == [60])
        #expect(c.state == .blockedOnReply && r.slot(.caller).cap.type == .reply && r.slot(.caller).cap.address == c.address)
        check(sys)
    }

    @Test func scenario07_callWithWriteOnly() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint)
        let w = sys.mint(ep, rights: [.write], badge: 0).slot
        let r = sys.spawn().thread, c = sys.spawn().thread
        sys.syscall(.recv, by: r, cap: ep)
        c.setMessageRegister(0, 0x77)
        sys.syscall(.call, by: c, cap: w, info: MessageInfo(label: 7, length: 1), mrs: [70])
        #expect(sys.registers(of: r).mr == [70] && c.state == .inactive && !sys.ipcHasCaller(r))
        sys.syscall(.reply, by: r, info: MessageInfo(label: 1, length: 1), mrs: [1])
        #expect(c.state == .inactive && c.messageRegister(0) == 70)
        check(sys)
    }

    @Test func scenario08_callWithGrantReplyAndExtraCap() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint); let ntfn = sys.make(ObjectType.notification)
        let wgr = sys.mint(ep, rights: [.write, .grantReply], badge: 0).slot
        let r = sys.spawn().thread, c = sys.spawn().thread
        let slot = sys.allocateSlot(); sys.setCapReceivePath(of: r, index: slot)
        sys.syscall(.recv, by: r, cap: ep)
        sys.syscall(.call, by: c, cap: wgr, info: MessageInfo(label: 8, extraCaps: 1, length: 0), extraCaps: [ntfn])
        #expect(sys.registers(of: r).info.extraCaps == 0 && sys.capability(at: slot).isNull)
        #expect(c.state == .blockedOnReply && sys.ipcHasCaller(r))
        check(sys)
    }

    @Test func scenario09_replyWithEmptyCallerSlot() {
        let sys = TestSystem(); let t = sys.spawn().thread
        sys.syscall(.reply, by: t, info: MessageInfo(label: 9, length: 0))
        #expect(t.state == .running && sys.registers(of: t).info.label == 9)
        check(sys)
    }

    @Test func scenario10_serverRecvDropsCallerCap() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint)
        let r = sys.spawn().thread, c = sys.spawn().thread
        sys.syscall(.recv, by: r, cap: ep); sys.syscall(.call, by: c, cap: ep)
        sys.syscall(.recv, by: r, cap: ep)
        #expect(!sys.ipcHasCaller(r) && c.state == .blockedOnReply)
        check(sys)
    }

    @Test func scenario11_saveCallerThenSend() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint); let b = sys.mint(ep, badge: 3).slot
        let r = sys.spawn().thread, c = sys.spawn().thread
        sys.syscall(.recv, by: r, cap: ep); sys.syscall(.call, by: c, cap: b)
        let saved = sys.allocateSlot()
        #expect(sys.saveCaller(by: r, into: saved) == 0)
        sys.syscall(.send, by: r, cap: saved, info: MessageInfo(label: 11, length: 1), mrs: [110])
        #expect(c.state == .running && sys.registers(of: c) == TestSystem.Registers(badge: 0, info: MessageInfo(label: 11, length: 1), words: [110]))
        #expect(sys.capability(at: saved).isNull)
        check(sys)
    }

    @Test func scenario12_sendWithoutWrite() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint); let ro = sys.mint(ep, rights: [.read], badge: 0).slot
        let s = sys.spawn().thread
        sys.syscall(.send, by: s, cap: ro); #expect(s.state == .running && sys.ipcEndpoint(ep).state == .idle)
        sys.syscall(.call, by: s, cap: ro)
        #expect(sys.registers(of: s) == TestSystem.Registers(badge: 0, info: MessageInfo(label: 2, length: 1), words: [0]))
        check(sys)
    }

    @Test func scenario13_callOnEmptySlot() {
        let sys = TestSystem(); let s = sys.spawn().thread
        sys.syscall(.call, by: s, cap: sys.allocateSlot())
        #expect(sys.registers(of: s) == TestSystem.Registers(badge: 0, info: MessageInfo(label: 2, length: 1), words: [0]))
        check(sys)
    }

    @Test func scenario14_guardMismatchCapFault() {
        let sys = TestSystem(); let (_, hc, handler) = sys.ipcFaultHandler()
        let t = sys.spawn(faultHandler: hc).thread
        sys.syscall(.call, by: t, cap: ipcBadCPtr)
        let got = sys.registers(of: handler)
        #expect(got.info.label == 1 && got.info.length == 7 && got.mr[1] == ipcBadCPtr && got.mr[2] == 0 && got.mr[3] == 4)
        #expect(t.state == .blockedOnReply)
        check(sys)
    }

    @Test func scenario15_recvWithoutRead() {
        let sys = TestSystem(); let (_, hc, handler) = sys.ipcFaultHandler()
        let ep = sys.make(ObjectType.endpoint); let wo = sys.mint(ep, rights: [.write], badge: 0).slot
        let t = sys.spawn(faultHandler: hc).thread
        sys.syscall(.recv, by: t, cap: wo)
        #expect(sys.registers(of: handler) == TestSystem.Registers(badge: 0x99, info: MessageInfo(label: 1, length: 5),
                                                                    words: [TestSystem.syscallAddress, wo, 1, 2, 0]))
        check(sys)
    }

    @Test func scenario16_callOnNotification() {
        let sys = TestSystem(); let n = sys.make(ObjectType.notification); let t = sys.spawn().thread
        t[register: RegisterFile.badgeRegister] = 5
        sys.syscall(.call, by: t, cap: sys.mint(n, badge: 1).slot, info: MessageInfo(label: 3, length: 1), mrs: [4])
        #expect(t[register: RegisterFile.msgInfoRegister] == 0 && sys.registers(of: t).badge == 0 && t.messageRegister(0) == 4)
        #expect(sys.ipcNotification(n).state == .active)
        check(sys)
    }

    @Test func scenario17_twoSignalsThenWait() {
        let sys = TestSystem(); let n = sys.make(ObjectType.notification); let t = sys.spawn().thread
        sys.syscall(.send, by: t, cap: sys.mint(n, badge: 0b001).slot)
        sys.syscall(.send, by: t, cap: sys.mint(n, badge: 0b100).slot)
        sys.syscall(.recv, by: t, cap: n)
        #expect(t.state == .running && sys.registers(of: t).badge == 0b101 && sys.ipcNotification(n).state == .idle)
        check(sys)
    }

    @Test func scenario18_waitThenSignal() {
        let sys = TestSystem(); let n = sys.make(ObjectType.notification); let w = sys.spawn().thread, s = sys.spawn().thread
        sys.syscall(.recv, by: w, cap: n)
        #expect(w.state == .blockedOnNotification)
        sys.syscall(.send, by: s, cap: sys.mint(n, badge: 0x18).slot)
        #expect(w.state == .running && sys.registers(of: w).badge == 0x18 && sys.ipcNotification(n).state == .idle)
        check(sys)
    }

    @Test func scenario19_pollIdle() {
        let sys = TestSystem(); let n = sys.make(ObjectType.notification); let t = sys.spawn().thread
        t[register: RegisterFile.badgeRegister] = 0xFF
        sys.syscall(.nbRecv, by: t, cap: n, info: MessageInfo(label: 3, length: 1), mrs: [1])
        #expect(sys.registers(of: t) == TestSystem.Registers(badge: 0, info: MessageInfo(label: 3, length: 1), words: [1]))
        check(sys)
    }

    @Test func scenario20_signalZeroThenWait() {
        let sys = TestSystem(); let n = sys.make(ObjectType.notification); let t = sys.spawn().thread
        sys.syscall(.send, by: t, cap: n)
        #expect(sys.ipcNotification(n).state == .active && sys.ipcNotification(n).word == 0)
        t[register: RegisterFile.badgeRegister] = 0xFF
        sys.syscall(.recv, by: t, cap: n)
        #expect(t.state == .running && sys.registers(of: t).badge == 0)
        check(sys)
    }

    @Test func scenario21_signalWakesBoundThreadFromEndpointRecv() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint); let n = sys.make(ObjectType.notification)
        let t = sys.spawn(); sys.bindNotification(t.slot, n); let s = sys.spawn().thread
        sys.syscall(.recv, by: t.thread, cap: ep)
        sys.syscall(.send, by: s, cap: sys.mint(n, badge: 0x21).slot)
        #expect(t.thread.state == .running && sys.registers(of: t.thread).badge == 0x21)
        #expect(sys.ipcEndpoint(ep).state == .idle && sys.ipcNotification(n).state == .idle)
        check(sys)
    }

    @Test func scenario22_activeBoundNotificationBeforeQueuedSender() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint); let n = sys.make(ObjectType.notification)
        let t = sys.spawn(); sys.bindNotification(t.slot, n); let s = sys.spawn().thread
        sys.syscall(.send, by: s, cap: ep)
        sys.syscall(.send, by: sys.spawn().thread, cap: sys.mint(n, badge: 0x22).slot)
        sys.syscall(.recv, by: t.thread, cap: ep)
        #expect(sys.registers(of: t.thread).badge == 0x22 && s.state == .blockedOnSend && sys.ipcQueue(sys.ipcEndpoint(ep)) == [s])
        check(sys)
    }

    @Test func scenario23_waitOnSomeoneElsesBoundNotification() {
        let sys = TestSystem(); let (_, hc, handler) = sys.ipcFaultHandler()
        let n = sys.make(ObjectType.notification); let owner = sys.spawn(); sys.bindNotification(owner.slot, n)
        let t = sys.spawn(faultHandler: hc).thread
        sys.syscall(.recv, by: t, cap: n)
        #expect(t.state == .blockedOnReply && sys.registers(of: handler).mr == [TestSystem.syscallAddress, n, 1, 2, 0])
        check(sys)
    }

    @Test func scenario24_len10ToReceiverWithoutBuffer() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint)
        let r = sys.spawn(ipcBuffer: false).thread, s = sys.spawn().thread
        sys.syscall(.recv, by: r, cap: ep)
        sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: 0, length: 10), mrs: Array(1...10))
        #expect(sys.registers(of: r).info.length == 4 && sys.registers(of: r).mr == [1, 2, 3, 4])
        check(sys)
    }

    @Test func scenario25_length127IsTreatedAs120() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint); let r = sys.spawn().thread, s = sys.spawn().thread
        sys.syscall(.recv, by: r, cap: ep)
        sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: 0, length: 127), mrs: (0..<120).map { Word($0) })
        #expect(sys.registers(of: r).info.length == 120 && sys.registers(of: r).mr == (0..<120).map { Word($0) })
        check(sys)
    }

    private func capTransfer(_ sys: TestSystem, ep: Word, caps: [Word], slot: Word? = nil) -> (Thread, Word) {
        let r = sys.spawn().thread, s = sys.spawn().thread
        let recv = slot ?? sys.allocateSlot()
        sys.setCapReceivePath(of: r, index: recv)
        sys.syscall(.recv, by: r, cap: ep)
        sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: 0, extraCaps: Word(caps.count), length: 1), mrs: [1], extraCaps: caps)
        return (r, recv)
    }

    @Test func scenario26_unwrapThenTransfer() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint); let b7 = sys.mint(ep, badge: 7).slot
        let other = sys.make(ObjectType.notification)
        let (r, slot) = capTransfer(sys, ep: ep, caps: [b7, other])
        let info = sys.registers(of: r).info
        #expect(info.extraCaps == 2 && info.capsUnwrapped == 0b01)
        #expect(sys.bufferWords(of: r)![Constants.ipcBufferCapsOrBadges] == 7)
        #expect(sys.capability(at: slot) == sys.capability(at: other))
        check(sys)
    }

    @Test func scenario27_twoTransferableCaps() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint)
        let a = sys.make(ObjectType.notification), b = sys.make(ObjectType.endpoint)
        let (r, slot) = capTransfer(sys, ep: ep, caps: [a, b])
        #expect(sys.registers(of: r).info.extraCaps == 1 && sys.capability(at: slot) == sys.capability(at: a))
        check(sys)
    }

    @Test func scenario28_receiveSlotOccupied() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint)
        let a = sys.make(ObjectType.notification), occupied = sys.make(ObjectType.endpoint)
        let (r, _) = capTransfer(sys, ep: ep, caps: [a], slot: occupied)
        #expect(sys.registers(of: r).info.extraCaps == 0 && sys.registers(of: r).mr == [1])
        #expect(sys.capability(at: occupied).type == .endpoint)
        check(sys)
    }

    @Test func scenario29_replyCapAsExtraCap() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint); let ep2 = sys.make(ObjectType.endpoint)
        let server = sys.spawn().thread, c = sys.spawn().thread
        sys.syscall(.recv, by: server, cap: ep2); sys.syscall(.call, by: c, cap: ep2)
        let saved = sys.allocateSlot(); sys.saveCaller(by: server, into: saved)
        let a = sys.make(ObjectType.notification)
        let (r, slot) = capTransfer(sys, ep: ep, caps: [saved, a])
        #expect(sys.registers(of: r).info.extraCaps == 0 && sys.capability(at: slot).isNull)
        #expect(sys.capability(at: saved).type == .reply)
        check(sys)
    }

    @Test func scenario30_mintBadge5CanWrite() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint)
        let (error, slot) = sys.mint(ep, rights: [.write], badge: 5)
        #expect(error == 0 && sys.capability(at: slot).badge == 5 && sys.capability(at: slot).rights == [.write])
        check(sys)
    }

    @Test func scenario31_mintFromBadgedCap() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint); let b = sys.mint(ep, badge: 5).slot
        #expect(sys.mint(b, badge: 6).error == ErrorCode.illegalOperation.rawValue)
        #expect(sys.mint(b, badge: 0).error == ErrorCode.illegalOperation.rawValue)  // PIT-3
        check(sys)
    }

    @Test func scenario32_mutateEndpointCap() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint); let dest = sys.allocateSlot()
        let r = sys.invoke(Word(InitialSlot.cnode), label: .cnodeMutate, args: [dest, 64, ep, 64, 0], extraCaps: [Word(InitialSlot.cnode)])
        #expect(r.info.label == ErrorCode.illegalOperation.rawValue && sys.capability(at: ep).type == .endpoint)
        check(sys)
    }

    @Test func scenario33_copyIntoOccupiedSlot() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint); let n = sys.make(ObjectType.notification)
        #expect(sys.copy(ep, into: n).error == ErrorCode.deleteFirst.rawValue)
        check(sys)
    }

    @Test func scenario34_copyFromEmptySlot() {
        let sys = TestSystem(); let empty = sys.allocateSlot()
        let r = sys.invoke(Word(InitialSlot.cnode), label: .cnodeCopy, args: [sys.allocateSlot(), 64, empty, 64, 15], extraCaps: [Word(InitialSlot.cnode)])
        #expect(r.info.label == ErrorCode.failedLookup.rawValue && r.mr.prefix(3) == [1, 2, 64])
        check(sys)
    }

    @Test(arguments: [Word(0), 65])
    func scenario35_depthOutOfRange(depth: Word) {
        let sys = TestSystem()
        let r = sys.invoke(Word(InitialSlot.cnode), label: .cnodeDelete, args: [sys.allocateSlot(), depth])
        #expect(r.info.label == ErrorCode.rangeError.rawValue && r.mr == [1, 64])
        check(sys)
    }

    @Test func scenario36_cancelBadgedSends() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint)
        let b3 = sys.mint(ep, badge: 3).slot, b4 = sys.mint(ep, badge: 4).slot
        let s1 = sys.spawn().thread, s2 = sys.spawn().thread, s3 = sys.spawn().thread
        sys.syscall(.send, by: s1, cap: b3); sys.syscall(.call, by: s2, cap: b4); sys.syscall(.send, by: s3, cap: b3)
        let r = sys.invoke(Word(InitialSlot.cnode), label: .cnodeCancelBadgedSends, args: [b3, 64])
        #expect(r.info.label == 0)
        #expect(s1.state == .restart && s3.state == .restart && s2.state == .blockedOnSend)
        #expect(sys.ipcQueue(sys.ipcEndpoint(ep)) == [s2])
        #expect(sys.ipcReady(100).prefix(2) == [s3, s1])  // SCHED-5
        check(sys)
    }

    @Test func scenario37_deleteLastEndpointCapWithQueuedSenders() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint)
        let s1 = sys.spawn().thread, s2 = sys.spawn().thread
        sys.syscall(.send, by: s1, cap: ep); sys.syscall(.call, by: s2, cap: ep)
        let endpoint = sys.ipcEndpoint(ep)
        #expect(sys.deleteSlot(ep) == 0)
        #expect(s1.state == .restart && s2.state == .restart && endpoint.state == .idle)
        check(sys)
    }

    @Test func scenario38_faultWithoutHandler() {
        let sys = TestSystem()
        let t = sys.spawn(faultHandler: sys.allocateSlot()).thread, u = sys.spawn(faultHandler: ipcBadCPtr).thread
        sys.syscall(number: -99, by: t)
        sys.userFault(.vmFault(address: 0, isInstructionFetch: false, status: 0), by: u)
        #expect(t.state == .inactive && u.state == .inactive)
        check(sys)
    }

    @Test func scenario39_replyLabel1ToUnknownSyscall() {
        let sys = TestSystem(); let (fep, hc, handler) = sys.ipcFaultHandler()
        let t = sys.spawn(faultHandler: hc).thread
        sys.syscall(number: -99, by: t)
        sys.syscall(.replyRecv, by: handler, cap: fep, info: MessageInfo(label: 1, length: 2), mrs: [0x39, 0x40])
        #expect(t.state == .inactive)
        #expect(t[register: RegisterFile.unknownSyscallMessageRegister(0)] == 0x39
                && t[register: RegisterFile.unknownSyscallMessageRegister(1)] == 0x40)
        check(sys)
    }

    @Test func scenario40_equalPrioritySendKeepsCPU() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint)
        let r = sys.spawn().thread, s = sys.spawn().thread, other = sys.spawn().thread
        sys.suspendRootTask()
        sys.syscall(.recv, by: r, cap: ep)
        sys.syscall(.send, by: s, cap: ep)
        #expect(sys.kernel.currentThread == s && r.state == .running)
        #expect(sys.ipcReady(100).last == r && sys.ipcReady(100).contains(other))
        check(sys)
    }

    @Test func scenario41_equalPriorityCallRunsServer() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint)
        let server = sys.spawn().thread, client = sys.spawn().thread
        _ = sys.spawn().thread
        sys.suspendRootTask()
        sys.syscall(.recv, by: server, cap: ep)
        sys.syscall(.call, by: client, cap: ep)
        #expect(sys.kernel.currentThread == server)
        // ReplyRecv hands the CPU back (SCHED-4 (d)); a plain Reply does not (SCHED-4 (c)).
        sys.syscall(.replyRecv, by: server, cap: ep)
        #expect(sys.kernel.currentThread == client)
        sys.syscall(.call, by: client, cap: ep)
        sys.syscall(.reply, by: server)
        #expect(sys.kernel.currentThread == server && client.state == .running && sys.ipcReady(100).last == client)
        check(sys)
    }

    @Test func scenario42_lowerPriorityServerRunsWhenHighestReady() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint)
        let server = sys.spawn(priority: 50).thread, client = sys.spawn(priority: 150).thread
        sys.suspendRootTask()
        sys.syscall(.recv, by: server, cap: ep)
        sys.syscall(.call, by: client, cap: ep)
        #expect(sys.kernel.currentThread == server)
        check(sys)
    }

    // Contrast for 42: another ready thread above the server's priority runs instead.
    @Test func scenario42_contrastHigherReadyThreadRunsInstead() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint)
        let server = sys.spawn(priority: 50).thread, client = sys.spawn(priority: 150).thread
        let middle = sys.spawn(priority: 100).thread
        sys.suspendRootTask()
        sys.syscall(.recv, by: server, cap: ep)
        sys.syscall(.call, by: client, cap: ep)
        #expect(sys.kernel.currentThread == middle && server.state == .running)
        check(sys)
    }

    // PIT-14 / SCHED-4 (b): a same-priority Signal does not switch either.
    @Test func pit14_equalPrioritySignalDoesNotSwitch() {
        let sys = TestSystem(); let n = sys.make(ObjectType.notification)
        let w = sys.spawn().thread, s = sys.spawn().thread, hi = sys.spawn(priority: 120).thread
        sys.suspendRootTask()
        sys.syscall(.recv, by: hi, cap: n)
        sys.syscall(.recv, by: w, cap: n)
        sys.syscall(.send, by: s, cap: n)   // wakes hi (higher): switches
        #expect(sys.kernel.currentThread == hi)
        sys.syscall(.recv, by: hi, cap: n)  // hi waits again, behind w
        sys.syscall(.send, by: s, cap: n)   // wakes w (equal): s keeps running
        #expect(sys.kernel.currentThread == s && w.state == .running)
        check(sys)
    }

    // PIT-2: Call without Grant/GrantReply is not an error; PIT-5: empty slot Send is silent.
    @Test func pit2_pit5_silentCases() {
        let sys = TestSystem(); let ep = sys.make(ObjectType.endpoint)
        let r = sys.spawn().thread, c = sys.spawn().thread
        sys.syscall(.recv, by: r, cap: ep)
        sys.syscall(.call, by: c, cap: sys.mint(ep, rights: [.write], badge: 0).slot)
        #expect(c.state == .inactive && r.state == .running)
        let s = sys.spawn().thread
        sys.syscall(.send, by: s, cap: sys.allocateSlot())
        #expect(s.state == .running)
        check(sys)
    }
}
