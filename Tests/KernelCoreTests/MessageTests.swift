import Testing
@testable import KernelCore
import KernelTestSupport

// Section 1: message format, ABI, IPC buffer, rights and badges as seen through IPC.
@Suite struct MessageTests {
    // MSG-1: the tag layout, and the receiver's msgInfo register holds that exact word.
    @Test func msg1_tagLayoutDeliveredAsOneWord() {
        let info = MessageInfo(label: 0xABCDE, capsUnwrapped: 5, extraCaps: 3, length: 0x55)
        #expect(info.rawValue == (0xABCDE << 12) | (5 << 9) | (3 << 7) | 0x55)
        #expect(info.label == 0xABCDE && info.capsUnwrapped == 5 && info.extraCaps == 3 && info.length == 0x55)
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let r = sys.spawn().thread, s = sys.spawn().thread
        sys.syscall(.recv, by: r, cap: ep)
        sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: 0xABCDE, length: 3), mrs: [1, 2, 3])
        #expect(r[register: RegisterFile.msgInfoRegister] == (0xABCDE << 12) | 3)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MSG-2.
    @Test func msg2_constants() {
        #expect(Constants.msgLengthBits == 7 && Constants.msgExtraCapBits == 2)
        #expect(Constants.msgMaxLength == 120 && Constants.msgMaxExtraCaps == 3)
    }

    // MSG-3 (scenario 25): a length field of 121..127 is read as 120; the 120 words arrive,
    // nothing beyond (userData, word 121) is touched. Both Call (fastpath on) and Send.
    @Test(arguments: [Syscall.send, .call])
    func msg3_length127ClampedTo120(call: Syscall) {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let r = sys.spawn().thread, s = sys.spawn().thread
        sys.bufferWords(of: r)![121] = 0x5E17
        sys.bufferWords(of: s)![121] = 0xBAD
        sys.syscall(.recv, by: r, cap: ep)
        let words = (0..<120).map { Word($0) * 3 + 1 }
        sys.syscall(call, by: s, cap: ep, info: MessageInfo(label: 1, length: 127), mrs: words)
        let got = sys.registers(of: r)
        #expect(got.info.length == 120)
        #expect(got.mr == words)
        #expect(sys.bufferWords(of: r)![121] == 0x5E17)
        #expect(MessageInfo.decodedFromRegister(MessageInfo(label: 3, extraCaps: 1, length: 121).rawValue)
                == MessageInfo(label: 3, extraCaps: 1, length: 120))
        #expect(sys.kernel.pathCounters.fastpathCalls == 0)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MSG-4 (PIT-12): the full 52-bit label is copied; a user message can look exactly like an
    // error reply.
    @Test func msg4_labelOpaqueAndFullWidth() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let r = sys.spawn().thread, s = sys.spawn().thread
        sys.syscall(.recv, by: r, cap: ep)
        sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: MessageInfo.labelMask, length: 0))
        #expect(sys.registers(of: r).info.label == (1 << 52) - 1)
        // A user "InvalidCapability" lookalike and a real kernel error reply are identical.
        sys.syscall(.recv, by: r, cap: ep)
        sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: 2, length: 1), mrs: [0])
        let fake = sys.registers(of: r)
        let real = sys.invoke(sys.allocateSlot(), label: 0, args: [], by: s)
        #expect(fake == real)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MSG-5: the sender's capsUnwrapped is ignored; extraCaps/capsUnwrapped/length are rewritten.
    @Test func msg5_receiverFieldsRewritten() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let noGrant = sys.mint(ep, rights: [.write, .grantReply], badge: 0).slot
        let r = sys.spawn().thread, s = sys.spawn(ipcBuffer: false).thread, s2 = sys.spawn().thread
        sys.syscall(.recv, by: r, cap: ep)
        // Slowpath (Send), sender without buffer: length 9 becomes 4, extraCaps 2 becomes 0.
        sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: 1, capsUnwrapped: 7, extraCaps: 2, length: 9), mrs: [1, 2, 3, 4])
        #expect(sys.registers(of: r).info == MessageInfo(label: 1, length: 4))
        // Fastpath (Call): capsUnwrapped cleared too.
        sys.syscall(.recv, by: r, cap: ep)
        sys.syscall(.call, by: s2, cap: ep, info: MessageInfo(label: 2, capsUnwrapped: 5, length: 1), mrs: [9])
        #expect(sys.registers(of: r).info == MessageInfo(label: 2, length: 1))
        #expect(sys.kernel.pathCounters.fastpathCalls == 1)
        sys.syscall(.reply, by: r)
        // No Grant: the caps are ignored and extraCaps reads 0.
        sys.syscall(.recv, by: r, cap: ep)
        sys.syscall(.send, by: s2, cap: noGrant, info: MessageInfo(label: 3, extraCaps: 1, length: 0), extraCaps: [ep])
        #expect(sys.registers(of: r).info == MessageInfo(label: 3, length: 0))
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // ABI-1: the cap register is the badge register; MR0..3 registers per architecture.
    @Test func abi1_registerAssignment() {
        #expect(RegisterFile.capRegister == RegisterFile.badgeRegister)
        #if arch(x86_64)
        // rdi, rsi, then r10 r8 r9 r15 in seL4_UserContext order.
        #expect(RegisterFile.capRegister == 8 && RegisterFile.msgInfoRegister == 7)
        #expect((0..<4).map(RegisterFile.messageRegisters) == [12, 10, 11, 17])
        #elseif arch(arm64)
        #expect(RegisterFile.capRegister == 3 && RegisterFile.msgInfoRegister == 4)
        #expect((0..<4).map(RegisterFile.messageRegisters) == [5, 6, 7, 8])
        #endif
        #expect(Constants.fastMessageRegisters == 4)
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let badged = sys.mint(ep, badge: 0x4242).slot
        let r = sys.spawn().thread, s = sys.spawn().thread
        sys.syscall(.recv, by: r, cap: ep)
        #expect(r[register: RegisterFile.capRegister] == ep)  // the CPtr went in here...
        sys.syscall(.send, by: s, cap: badged, info: MessageInfo(label: 0, length: 4), mrs: [10, 11, 12, 13])
        #expect(r[register: RegisterFile.capRegister] == 0x4242)  // ...and the badge comes out here
        #expect((0..<4).map { r[register: RegisterFile.messageRegisters($0)] } == [10, 11, 12, 13])
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // ABI-2: syscall numbers; anything outside is an unknown syscall (see FaultTests).
    @Test func abi2_syscallNumbers() {
        let expected: [(Syscall, Int)] = [(.call, -1), (.replyRecv, -2), (.send, -3), (.nbSend, -4), (.recv, -5),
                                         (.reply, -6), (.yield, -7), (.nbRecv, -8), (.debugPutChar, -9),
                                         (.debugDumpScheduler, -10), (.debugHalt, -11)]
        for (call, number) in expected { #expect(call.rawValue == number) }
        #expect(Syscall(rawValue: 0) == nil && Syscall(rawValue: 1) == nil)
    }

    // ABI-3: seL4_Signal on an endpoint is a blocking empty Send.
    @Test func abi3_signalOnEndpointIsBlockingEmptySend() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let s = sys.spawn().thread, r = sys.spawn().thread
        sys.syscall(.send, by: s, cap: ep, info: MessageInfo(rawValue: 0))
        #expect(s.state == .blockedOnSend)
        sys.syscall(.recv, by: r, cap: ep)
        #expect(sys.registers(of: r).info.rawValue == 0 && s.state == .running)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // ABI-4 / XFER-10: the kernel never writes msg[0..3] or the tag word of the receiver's buffer.
    @Test func abi4_kernelLeavesBufferWords0To4Alone() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let r = sys.spawn().thread, s = sys.spawn().thread
        let rb = sys.bufferWords(of: r)!, sb = sys.bufferWords(of: s)!
        for i in 0...4 { rb[i] = 0xC0 + Word(i); sb[i] = 0xEE }
        sys.syscall(.recv, by: r, cap: ep)
        sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: 1, length: 8), mrs: [1, 2, 3, 4, 5, 6, 7, 8])
        #expect((0...4).map { rb[$0] } == [0xC0, 0xC1, 0xC2, 0xC3, 0xC4])
        #expect((5...8).map { rb[$0] } == [5, 6, 7, 8])
        #expect(sys.registers(of: r).mr == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // IPCBUF-1: word indices.
    @Test func ipcbuf1_layout() {
        #expect(Constants.ipcBufferWords == 128 && Constants.ipcBufferSizeBits == 10)
        #expect(Constants.ipcBufferCapsOrBadges == 122)
        #expect(Constants.ipcBufferReceiveCNode == 125 && Constants.ipcBufferReceiveIndex == 126
                && Constants.ipcBufferReceiveDepth == 127)
        // MR i lives at word i+1: MR119 at word 120.
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let r = sys.spawn().thread, s = sys.spawn().thread
        sys.syscall(.recv, by: r, cap: ep)
        var words = [Word](repeating: 0, count: 120)
        words[119] = 0x119
        sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: 0, length: 120), mrs: words)
        #expect(sys.bufferWords(of: r)![120] == 0x119)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // IPCBUF-2: a read-only buffer serves a sender but not a receiver; the kernel reaches the
    // buffer through the frame cap at vaddr mod page size.
    @Test func ipcbuf2_bufferRights() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let frame = sys.make(ObjectType.smallPage)
        let readOnly = sys.copy(frame, rights: [.read]).slot
        let roThread = sys.spawn(ipcBuffer: false)
        let address = sys.capability(at: frame).address + 1024
        let set = sys.invoke(roThread.slot, label: .tcbSetIPCBuffer, args: [address], extraCaps: [readOnly])
        #expect(set.info.label == 0)
        #expect(roThread.thread.ipcBufferAddress == address)
        let rw = sys.spawn().thread
        let words: [Word] = [1, 2, 3, 4, 5, 6, 7, 8]
        // Read-only sender: all 8 words go.
        sys.syscall(.recv, by: rw, cap: ep)
        sys.syscall(.send, by: roThread.thread, cap: ep, info: MessageInfo(label: 0, length: 8), mrs: words)
        #expect(sys.registers(of: rw).mr == words)
        // Read-only receiver: no buffer, truncated to 4.
        sys.syscall(.recv, by: roThread.thread, cap: ep)
        sys.syscall(.send, by: rw, cap: ep, info: MessageInfo(label: 0, length: 8), mrs: words.map { $0 + 10 })
        #expect(sys.registers(of: roThread.thread).info.length == 4)
        #expect(sys.bufferWords(of: roThread.thread)![5] == 5)  // untouched
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // IPCBUF-3: SetIPCBuffer needs a frame cap and a 1 KiB-aligned address.
    @Test func ipcbuf3_setIPCBufferChecks() {
        let sys = TestSystem()
        let t = sys.spawn()
        let frame = sys.make(ObjectType.smallPage)
        let ep = sys.make(ObjectType.endpoint)
        let base = sys.capability(at: frame).address
        let misaligned = sys.invoke(t.slot, label: .tcbSetIPCBuffer, args: [base + 8], extraCaps: [frame])
        #expect(misaligned.info.label == ErrorCode.alignmentError.rawValue)
        let notFrame = sys.invoke(t.slot, label: .tcbSetIPCBuffer, args: [base], extraCaps: [ep])
        #expect(notFrame.info.label == ErrorCode.illegalOperation.rawValue)
        #expect(sys.invoke(t.slot, label: .tcbSetIPCBuffer, args: [base + 3072], extraCaps: [frame]).info.label == 0)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // RIGHTS-2: what each right means for endpoints, notifications and reply caps.
    @Test func rights2_meaningForIPCObjects() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let ntfn = sys.make(ObjectType.notification)
        let ntfnAll = sys.mint(ntfn, rights: .all, badge: 1).slot
        #expect(sys.capability(at: ntfnAll).rights == [.read, .write])  // Grant bits not stored
        let epWrite = sys.mint(ep, rights: [.write], badge: 0).slot
        let epRead = sys.mint(ep, rights: [.read], badge: 0).slot
        let s = sys.spawn().thread, r = sys.spawn().thread
        // Read receives, Write sends.
        sys.syscall(.recv, by: r, cap: epRead)
        sys.syscall(.send, by: s, cap: epWrite, info: MessageInfo(label: 6, length: 0))
        #expect(sys.registers(of: r).info.label == 6)
        // Read-only cannot send (Call: InvalidCapability).
        #expect(sys.invoke(epRead, label: 0, args: [], by: s).info.label == ErrorCode.invalidCapability.rawValue)
        // The reply cap holds only a Grant bit: from the receiver's endpoint cap.
        sys.syscall(.recv, by: r, cap: epRead)
        sys.syscall(.call, by: s, cap: sys.mint(ep, rights: [.write, .grantReply], badge: 0).slot)
        let reply = r.slot(.caller).cap
        #expect(reply.type == .reply && reply.rights == [])
        sys.syscall(.reply, by: r)
        sys.syscall(.recv, by: r, cap: ep)
        sys.syscall(.call, by: s, cap: ep)
        #expect(r.slot(.caller).cap.rights == [.grant])
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // BADGE-1: 64-bit badges; 0 is unbadged.
    @Test func badge1_fullWordBadges() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let ntfn = sys.make(ObjectType.notification)
        let full = sys.mint(ep, badge: ~0).slot
        let ntfnHigh = sys.mint(ntfn, badge: 1 << 63).slot
        let r = sys.spawn().thread, s = sys.spawn().thread
        sys.syscall(.recv, by: r, cap: ep)
        sys.syscall(.send, by: s, cap: full)
        #expect(sys.registers(of: r).badge == ~0)
        sys.syscall(.recv, by: r, cap: ep)
        sys.syscall(.send, by: s, cap: ep)
        #expect(sys.registers(of: r).badge == 0)
        sys.syscall(.send, by: s, cap: ntfnHigh)
        sys.syscall(.nbSend, by: s, cap: sys.mint(ntfn, badge: 1).slot)
        sys.syscall(.recv, by: r, cap: ntfn)
        #expect(sys.registers(of: r).badge == (Word(1) << 63) | 1)
        #expect(Constants.badgeBits == 64)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
}
