import Testing
@testable import KernelCore
import KernelTestSupport

// Section 4: message transfer (XFER-1..10).
@Suite struct TransferTests {
    /// Sender and receiver (receiver blocked in Recv on `ep`, receive path to a fresh empty slot).
    private func pair(_ sys: TestSystem, ep: Word, receiverBuffer: Bool = true, senderBuffer: Bool = true)
        -> (s: Thread, r: Thread, recvSlot: Word) {
        let r = sys.spawn(ipcBuffer: receiverBuffer).thread
        let s = sys.spawn(ipcBuffer: senderBuffer).thread
        let slot = sys.allocateSlot()
        sys.setCapReceivePath(of: r, index: slot)
        sys.syscall(.recv, by: r, cap: ep)
        return (s, r, slot)
    }

    private func capsOrBadges(_ sys: TestSystem, _ t: Thread) -> [Word] {
        (0..<3).map { sys.bufferWords(of: t)![Constants.ipcBufferCapsOrBadges + $0] }
    }

    // XFER-1: a sender with a pending fault sends its fault message, not its registers.
    @Test func xfer1_faultMessageReplacesNormalTransfer() {
        let sys = TestSystem()
        let (_, handlerCap, handler) = sys.ipcFaultHandler()
        let t = sys.spawn(faultHandler: handlerCap).thread
        sys.syscall(.nbSend, by: t, cap: 0, info: MessageInfo(label: 0x999, length: 3), mrs: [1, 2, 3])
        sys.userFault(.vmFault(address: 0x1000, isInstructionFetch: false, status: 7), by: t)
        let got = sys.registers(of: handler)
        #expect(got.info == MessageInfo(label: 5, length: 4) && got.mr[1] == 0x1000 && got.mr[3] == 7)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // XFER-2: up to 120 words; the first four in registers, the rest buffer to buffer.
    @Test func xfer2_wordsThroughRegistersAndBuffers() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let words = (0..<120).map { Word($0) &* 0x1_0001 &+ 7 }
        for (senderBuffer, receiverBuffer, expected) in [(true, true, 120), (false, true, 4), (true, false, 4), (false, false, 4)] {
            let (s, r, _) = pair(sys, ep: ep, receiverBuffer: receiverBuffer, senderBuffer: senderBuffer)
            sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: 1, length: 120), mrs: words)
            let got = sys.registers(of: r)
            #expect(got.info.length == Word(expected), "\(senderBuffer) \(receiverBuffer)")
            #expect(got.mr == Array(words.prefix(expected)))
            if receiverBuffer && !senderBuffer { #expect(sys.bufferWords(of: r)![5] == 0) }
        }
        // Lengths 0..8 arrive exactly.
        for n in 0...8 {
            let (s, r, _) = pair(sys, ep: ep)
            sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: Word(n), length: Word(n)), mrs: Array(words.prefix(n)))
            #expect(sys.registers(of: r).mr == Array(words.prefix(n)))
        }
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // XFER-3: caps go only with Grant; they are looked up again at transfer time.
    @Test func xfer3_capsNeedGrantAndAreLookedUpAtTransfer() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let ntfn = sys.make(ObjectType.notification)
        let noGrant = sys.mint(ep, rights: [.write, .grantReply], badge: 0).slot
        let (s, r, recvSlot) = pair(sys, ep: ep)
        sys.syscall(.send, by: s, cap: noGrant, info: MessageInfo(label: 0, extraCaps: 1, length: 0), extraCaps: [ntfn])
        #expect(sys.registers(of: r).info.extraCaps == 0 && sys.capability(at: recvSlot).isNull)
        // The sender blocks; its extra-cap slot then changes: the new cap is what arrives.
        let extra = sys.copy(ntfn).slot
        let s2 = sys.spawn().thread
        sys.syscall(.send, by: s2, cap: ep, info: MessageInfo(label: 0, extraCaps: 1, length: 0), extraCaps: [extra])
        sys.deleteSlot(extra)
        let otherEP = sys.make(ObjectType.endpoint)
        sys.copy(otherEP, into: extra)
        sys.syscall(.recv, by: r, cap: ep)
        #expect(sys.registers(of: r).info.extraCaps == 1)
        #expect(sys.capability(at: recvSlot).type == .endpoint && sys.capability(at: recvSlot).address == sys.capability(at: otherEP).address)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // XFER-3: if any extra-cap lookup fails at transfer time, no caps are transferred at all
    // (not even unwrapped ones).
    @Test func xfer3_failedRelookupTransfersNothing() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let ntfn = sys.make(ObjectType.notification)
        let badged = sys.mint(ep, badge: 7).slot
        let r = sys.spawn().thread
        let recvSlot = sys.allocateSlot()
        sys.setCapReceivePath(of: r, index: recvSlot)
        let s = sys.spawn()
        sys.syscall(.send, by: s.thread, cap: ep, info: MessageInfo(label: 0, extraCaps: 2, length: 1), mrs: [5], extraCaps: [badged, ntfn])
        #expect(s.thread.state == .blockedOnSend)
        // Give the blocked sender a CSpace root with guard 1: every small CPtr now mismatches.
        let set = sys.invoke(s.slot, label: .tcbSetSpace, args: [0, CNodeCapData(guard: 1, guardSize: 54).rawValue, 0],
                             extraCaps: [Word(InitialSlot.cnode), Word(InitialSlot.vspace)])
        #expect(set.info.label == 0)
        sys.syscall(.recv, by: r, cap: ep)
        #expect(sys.registers(of: r) == TestSystem.Registers(badge: 0, info: MessageInfo(label: 0, length: 1), words: [5]))
        #expect(sys.capability(at: recvSlot).isNull)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // XFER-4: the receive slot; any problem just means "no slot", never an error.
    @Test func xfer4_receiveSlotRules() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let ntfn = sys.make(ObjectType.notification)
        let sub = sys.make(ObjectType.cnode, size: 4)
        let occupied = sys.make(ObjectType.notification)
        let fresh = sys.allocateSlot()
        // (cnode, index, depth, where the cap should land)
        let cases: [(Word, Word, Word, Bool)] = [
            (Word(InitialSlot.cnode), fresh, 64, true),
            (ep, fresh, 64, false),                      // receiveCNode is not a CNode
            (Word(InitialSlot.cnode), fresh, 10, false),  // guard not consumed: lookup fails
            (Word(InitialSlot.cnode), fresh, 0, false),   // depth out of range
            (Word(InitialSlot.cnode), fresh, 65, false),
            (Word(InitialSlot.cnode), occupied, 64, false),  // slot occupied (XFER-4, scenario 28)
            (sub, 3, 4, true),                            // a slot inside another CNode
        ]
        for (cnode, index, depth, lands) in cases {
            let r = sys.spawn().thread, s = sys.spawn().thread
            sys.setCapReceivePath(of: r, cnode: cnode, index: index, depth: depth)
            sys.syscall(.recv, by: r, cap: ep)
            sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: 1, extraCaps: 1, length: 2), mrs: [1, 2], extraCaps: [ntfn])
            let got = sys.registers(of: r)
            #expect(got.info.extraCaps == (lands ? 1 : 0), "\(cnode) \(index) \(depth)")
            #expect(got.mr == [1, 2] && r.state == .running)
            if lands {
                let slot = cnode == sub ? Slot.at(base: sys.capability(at: sub).address, index: 3)
                                        : Slot.at(base: sys.root.slot(.cspace).cap.address, index: Int(index))
                #expect(slot.cap.type == .notification)
                sys.kernel.deleteCap(in: slot)
            }
        }
        #expect(sys.capability(at: occupied).type == .notification)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // XFER-5: unwrapping needs no slot and ignores the unwrapped cap's rights; the loop stops
    // at the first cap it cannot transfer.
    @Test func xfer5_transferLoop() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let a = sys.make(ObjectType.notification), b = sys.make(ObjectType.notification)
        let b9 = sys.mint(ep, badge: 9).slot
        let b1 = sys.mint(ep, badge: 1).slot
        let b2ReadOnly = sys.mint(ep, rights: [.read], badge: 2).slot
        let empty = sys.allocateSlot()
        let sentinel: Word = 0x5E5E
        // (caps, extraCaps, capsUnwrapped, caps_or_badges, cap in slot)
        let cases: [([Word], Word, Word, [Word], Bool)] = [
            ([b9], 1, 0b1, [9, sentinel, sentinel], false),
            ([a, b9], 2, 0b10, [sentinel, 9, sentinel], true),     // manual's example
            ([b1, b2ReadOnly, a], 3, 0b011, [1, 2, sentinel], true),
            ([a, b, b9], 1, 0, [sentinel, sentinel, sentinel], true),  // B stops it: slot used
            ([empty, b9], 0, 0, [sentinel, sentinel, sentinel], false),  // null cap stops it
        ]
        for (caps, extra, unwrapped, badges, lands) in cases {
            let (s, r, slot) = pair(sys, ep: ep)
            for i in 0..<3 { sys.bufferWords(of: r)![Constants.ipcBufferCapsOrBadges + i] = sentinel }
            sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: 0, extraCaps: Word(caps.count), length: 0), extraCaps: caps)
            let info = sys.registers(of: r).info
            #expect(info.extraCaps == extra && info.capsUnwrapped == unwrapped, "\(caps)")
            #expect(capsOrBadges(sys, r) == badges, "\(caps)")
            #expect(!sys.capability(at: slot).isNull == lands, "\(caps)")
        }
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // XFER-6 (PIT-4): at most one cap is received per message.
    @Test func xfer6_onlyOneCapReceived() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let a = sys.make(ObjectType.notification), b = sys.make(ObjectType.endpoint)
        let (s, r, slot) = pair(sys, ep: ep)
        let next = sys.allocateSlot()
        sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: 0, extraCaps: 2, length: 0), extraCaps: [a, b])
        #expect(sys.registers(of: r).info.extraCaps == 1)
        #expect(sys.capability(at: slot).address == sys.capability(at: a).address)
        #expect(sys.capability(at: next).isNull)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // XFER-7: derivation rules; transferred caps keep the sender's rights and badge.
    @Test func xfer7_derivationRules() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let recvReadOnly = sys.mint(ep, rights: [.read], badge: 0).slot
        let ntfn = sys.make(ObjectType.notification)
        let ntfnRO5 = sys.mint(ntfn, rights: [.read], badge: 5).slot
        let frame = sys.make(ObjectType.smallPage)
        // Untyped with children: stops (RevokeFirst).
        var (s, r, slot) = pair(sys, ep: ep)
        sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: 0, extraCaps: 1, length: 0), extraCaps: [sys.untyped])
        #expect(sys.registers(of: r).info.extraCaps == 0 && sys.capability(at: slot).isNull)
        // A badged read-only notification cap arrives unchanged, next to its source in the CDT.
        (s, r, slot) = pair(sys, ep: recvReadOnly)
        sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: 0, extraCaps: 1, length: 0), extraCaps: [ntfnRO5])
        #expect(sys.capability(at: slot) == sys.capability(at: ntfnRO5))
        #expect(sys.capability(at: slot).rights == [.read] && sys.capability(at: slot).badge == 5)
        let cnode = sys.root.slot(.cspace).cap.address
        #expect(Slot.at(base: cnode, index: Int(slot)).prev == Slot.at(base: cnode, index: Int(ntfnRO5)))
        // Frames and CNode caps transfer.
        for cap in [frame, Word(InitialSlot.cnode)] {
            (s, r, slot) = pair(sys, ep: ep)
            sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: 0, extraCaps: 1, length: 0), extraCaps: [cap])
            #expect(sys.registers(of: r).info.extraCaps == 1 && sys.capability(at: slot) == sys.capability(at: cap))
        }
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // XFER-8: no buffer on either side: no caps, no unwrapping.
    @Test func xfer8_noBufferCases() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let badged = sys.mint(ep, badge: 4).slot
        let ntfn = sys.make(ObjectType.notification)
        var (s, r, slot) = pair(sys, ep: ep, receiverBuffer: false)
        sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: 0, extraCaps: 2, length: 6), mrs: [1, 2, 3, 4, 5, 6], extraCaps: [badged, ntfn])
        #expect(sys.registers(of: r).info == MessageInfo(label: 0, length: 4))
        #expect(sys.capability(at: slot).isNull)
        (s, r, slot) = pair(sys, ep: ep, senderBuffer: false)
        sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: 0, extraCaps: 2, length: 6), mrs: [1, 2, 3, 4, 5, 6])
        #expect(sys.registers(of: r).info == MessageInfo(label: 0, length: 4))
        #expect(s.state == .running)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // XFER-9: an endpoint cap in a reply is transferred, never unwrapped.
    @Test func xfer9_noUnwrappingInReplies() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let badged = sys.mint(ep, badge: 0x31).slot
        let server = sys.spawn().thread, client = sys.spawn().thread
        let slot = sys.allocateSlot()
        sys.setCapReceivePath(of: client, index: slot)
        sys.syscall(.recv, by: server, cap: ep)
        sys.syscall(.call, by: client, cap: ep)
        sys.syscall(.reply, by: server, info: MessageInfo(label: 0, extraCaps: 1, length: 0), extraCaps: [badged])
        let info = sys.registers(of: client).info
        #expect(info.extraCaps == 1 && info.capsUnwrapped == 0)
        #expect(sys.capability(at: slot) == sys.capability(at: badged))
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // XFER-10: tag to the msgInfo register, badge to the badge register; the buffer's tag word untouched.
    @Test func xfer10_tagAndBadgeRegisters() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let badged = sys.mint(ep, badge: 0x10).slot
        let (s, r, _) = pair(sys, ep: ep)
        sys.bufferWords(of: r)![0] = 0x7A6
        sys.syscall(.send, by: s, cap: badged, info: MessageInfo(label: 3, length: 6), mrs: [1, 2, 3, 4, 5, 6])
        #expect(r[register: RegisterFile.msgInfoRegister] == MessageInfo(label: 3, length: 6).rawValue)
        #expect(r[register: RegisterFile.badgeRegister] == 0x10)
        #expect(sys.bufferWords(of: r)![0] == 0x7A6)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
}
