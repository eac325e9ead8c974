import Testing
import KernelCore
import KernelTestSupport

/// Bit layouts and numbering of KernelCore's value types: MSG-1..3, RIGHTS-1, BADGE-1/2,
/// ERR-1, LOOKUP-5, CNODE-11, TS-1, TS-4, EP-1, NTFN-0.
@Suite struct CapabilityTests {
    // MARK: MSG-1..3

    @Test func msg1_fieldLayoutMostSignificantFirst() {
        let sys = TestSystem()
        let info = MessageInfo(label: 0xABCDE, capsUnwrapped: 5, extraCaps: 3, length: 0x55)
        #expect(info.rawValue == (0xABCDE << 12) | (5 << 9) | (3 << 7) | 0x55)
        #expect(info.label == 0xABCDE && info.capsUnwrapped == 5 && info.extraCaps == 3 && info.length == 0x55)
        // The label takes all 52 top bits; the other fields are 3, 2 and 7 bits wide.
        let full = MessageInfo(label: (1 << 52) - 1, capsUnwrapped: 7, extraCaps: 3, length: 127)
        #expect(full.rawValue == ~Word(0))
        #expect(MessageInfo(label: 1 << 51, length: 0).rawValue == 1 << 63)
        #expect(MessageInfo(rawValue: 1 << 12).label == 1)
        #expect(MessageInfo(rawValue: 1 << 9).capsUnwrapped == 1)
        #expect(MessageInfo(rawValue: 1 << 7).extraCaps == 1)
        #expect(MessageInfo(rawValue: 1).length == 1)
        // Over-wide arguments do not spill into neighbouring fields.
        let masked = MessageInfo(label: 0, capsUnwrapped: 0xF, extraCaps: 0x7, length: 0xFF)
        #expect(masked.rawValue == (7 << 9) | (3 << 7) | 0x7F)
        // Setters touch only their field.
        var edited = info
        edited.length = 2
        edited.label = 9
        #expect(edited.capsUnwrapped == 5 && edited.extraCaps == 3 && edited.label == 9 && edited.length == 2)
        // A kernel error reply uses the same layout: label = error, length = words (ERR-2).
        let r = sys.cnodeInvoke(.cnodeCopy, [sys.allocateSlot(), 0, 0, 64, CapRights.all.rawValue])
        #expect(r.info.rawValue == (ErrorCode.rangeError.rawValue << 12) | 2)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func msg2_constants() {
        let sys = TestSystem()
        #expect(Constants.msgLengthBits == 7 && Constants.msgExtraCapBits == 2)
        #expect(Constants.msgMaxLength == 120 && Constants.msgMaxExtraCaps == 3)
        #expect(Constants.ipcBufferCapsOrBadges == 122 && Constants.ipcBufferReceiveCNode == 125)
        #expect(Constants.ipcBufferReceiveIndex == 126 && Constants.ipcBufferReceiveDepth == 127)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func msg3_lengthAbove120IsClampedOnDecode() {
        let sys = TestSystem()
        for length: Word in 121...127 {
            let raw = MessageInfo(label: 0x123, capsUnwrapped: 2, extraCaps: 1, length: length).rawValue
            let decoded = MessageInfo.decodedFromRegister(raw)
            #expect(decoded.length == 120)
            #expect(decoded.label == 0x123 && decoded.capsUnwrapped == 2 && decoded.extraCaps == 1)
        }
        #expect(MessageInfo.decodedFromRegister(MessageInfo(label: 0, length: 120).rawValue).length == 120)
        #expect(MessageInfo.decodedFromRegister(MessageInfo(label: 0, length: 7).rawValue).length == 7)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: RIGHTS-1

    @Test func rights1_bitsAndConstants() {
        let sys = TestSystem()
        #expect(CapRights.write.rawValue == 1)
        #expect(CapRights.read.rawValue == 2)
        #expect(CapRights.grant.rawValue == 4)
        #expect(CapRights.grantReply.rawValue == 8)
        // seL4_CapRights_new(grantReply, grant, read, write)
        #expect(CapRights(grantReply: true, grant: false, read: false, write: false).rawValue == 8)
        #expect(CapRights(grantReply: false, grant: true, read: false, write: false).rawValue == 4)
        #expect(CapRights(grantReply: false, grant: false, read: true, write: false).rawValue == 2)
        #expect(CapRights(grantReply: false, grant: false, read: false, write: true).rawValue == 1)
        #expect(CapRights.all.rawValue == 0xF)                                           // seL4_AllRights
        #expect(CapRights.readWrite.rawValue == 0x3)                                     // seL4_ReadWrite
        #expect(CapRights.none.rawValue == 0)                                            // seL4_NoRights
        #expect(CapRights(grantReply: true, grant: true, read: true, write: false).rawValue == 0xE)  // seL4_NoWrite
        #expect(CapRights(grantReply: true, grant: true, read: false, write: true).rawValue == 0xD)  // seL4_NoRead
        // Only the low four bits are meaningful.
        #expect(CapRights(rawValue: 0xFFF0).rawValue == 0)
        // The kernel reads the rights word of Mint with this layout: Write|GrantReply only.
        let ep = sys.make(ObjectType.endpoint)
        let (error, slot) = sys.mint(ep, rights: CapRights(rawValue: 0b1001), badge: 1)
        #expect(error == 0)
        #expect(sys.capability(at: slot).rights == [.write, .grantReply])
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: BADGE-1, BADGE-2

    @Test func badge1_badgesAreFullWords() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let (error, slot) = sys.mint(ep, badge: ~Word(0))
        #expect(error == 0)
        #expect(sys.capability(at: slot).badge == ~Word(0))
        let ntfn = sys.make(ObjectType.notification)
        let (error2, slot2) = sys.mint(ntfn, badge: 1 << 63)
        #expect(error2 == 0)
        #expect(sys.capability(at: slot2).badge == 1 << 63)
        #expect(Constants.badgeBits == 64)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func badge2_cnodeCapDataLayout() {
        let sys = TestSystem()
        #expect(Constants.guardBits == 58 && Constants.guardSizeBits == 6)
        let data = CNodeCapData(guard: 0x2A, guardSize: 7)
        #expect(data.rawValue == (0x2A << 6) | 7)
        #expect(data.guardValue == 0x2A && data.guardSize == 7)
        // guard is 58 bits (63..6), guardSize 6 bits (5..0).
        #expect(CNodeCapData(guard: ~Word(0), guardSize: 0).rawValue == ~Word(0) << 6)
        #expect(CNodeCapData(guard: 0, guardSize: 0xFF).rawValue == 0x3F)
        #expect(CNodeCapData(rawValue: ~Word(0)).guardValue == (1 << 58) - 1)
        #expect(CNodeCapData(rawValue: ~Word(0)).guardSize == 63)
        // The kernel decodes Mint's data word for a CNode cap with this layout.
        let cnode = sys.make(ObjectType.cnode, size: 4)
        let (error, slot) = sys.mint(cnode, badge: CNodeCapData(guard: 0b101, guardSize: 3).rawValue)
        #expect(error == 0)
        let minted = sys.capability(at: slot)
        #expect(minted.cnodeGuard == 0b101 && minted.cnodeGuardSize == 3 && minted.cnodeRadix == 4)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: ERR-1, LOOKUP-5, CNODE-11

    @Test func err1_errorCodeValues() {
        let sys = TestSystem()
        let expected: [(ErrorCode, Word)] = [
            (.noError, 0), (.invalidArgument, 1), (.invalidCapability, 2), (.illegalOperation, 3),
            (.rangeError, 4), (.alignmentError, 5), (.failedLookup, 6), (.truncatedMessage, 7),
            (.deleteFirst, 8), (.revokeFirst, 9), (.notEnoughMemory, 10),
        ]
        for (code, value) in expected { #expect(code.rawValue == value) }
        #expect(ErrorCode(rawValue: 11) == nil)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func lookup5_failureTypeCodes() {
        let sys = TestSystem()
        #expect(LookupFailure.invalidRoot.typeCode == 1)
        #expect(LookupFailure.missingCapability(bitsLeft: 3).typeCode == 2)
        #expect(LookupFailure.depthMismatch(bitsFound: 1, bitsLeft: 2).typeCode == 3)
        #expect(LookupFailure.guardMismatch(guardFound: 0, bitsFound: 1, bitsLeft: 2).typeCode == 4)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func cnode11_invocationLabelNumbers() {
        let sys = TestSystem()
        let expected: [(InvocationLabel, Word)] = [
            (.invalidInvocation, 0), (.untypedRetype, 1), (.tcbReadRegisters, 2), (.tcbWriteRegisters, 3),
            (.tcbCopyRegisters, 4), (.tcbConfigure, 5), (.tcbSetPriority, 6), (.tcbSetMCPriority, 7),
            (.tcbSetSchedParams, 8), (.tcbSetIPCBuffer, 9), (.tcbSetSpace, 10), (.tcbSuspend, 11),
            (.tcbResume, 12), (.tcbBindNotification, 13), (.tcbUnbindNotification, 14), (.tcbSetTLSBase, 15),
            (.tcbSetFlags, 16), (.cnodeRevoke, 17), (.cnodeDelete, 18), (.cnodeCancelBadgedSends, 19),
            (.cnodeCopy, 20), (.cnodeMint, 21), (.cnodeMove, 22), (.cnodeMutate, 23), (.cnodeRotate, 24),
            (.cnodeSaveCaller, 25),
        ]
        for (label, value) in expected { #expect(label.rawValue == value, "\(label)") }
        // The kernel dispatches by these numbers: raw label 21 on a CNode is Mint.
        let ep = sys.make(ObjectType.endpoint)
        let dest = sys.allocateSlot()
        let r = sys.invoke(Word(InitialSlot.cnode), label: 21, args: [dest, 64, ep, 64, CapRights.all.rawValue, 9],
                           extraCaps: [Word(InitialSlot.cnode)])
        #expect(r.info.label == 0)
        #expect(sys.capability(at: dest).badge == 9)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: TS-1, TS-4, EP-1, NTFN-0

    @Test func ts1_threadStateNumbersAndPredicates() {
        let sys = TestSystem()
        let values: [(ThreadState, UInt8)] = [
            (.inactive, 0), (.running, 1), (.restart, 2), (.blockedOnReceive, 3), (.blockedOnSend, 4),
            (.blockedOnReply, 5), (.blockedOnNotification, 6),
        ]
        for (state, value) in values { #expect(state.rawValue == value) }
        #expect(ThreadState.running.isRunnable && ThreadState.restart.isRunnable)
        for state in [ThreadState.inactive, .blockedOnReceive, .blockedOnSend, .blockedOnReply, .blockedOnNotification] {
            #expect(!state.isRunnable && state.isStopped)
        }
        #expect(!ThreadState.running.isStopped && !ThreadState.restart.isStopped)
        // A freshly retyped TCB is Inactive; resumed it is runnable.
        let tcb = sys.make(ObjectType.thread)
        #expect(sys.thread(at: tcb).state == .inactive)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func ts4_tcbSlotNumbersAndContents() {
        let sys = TestSystem()
        #expect(ThreadSlot.cspace.rawValue == 0 && ThreadSlot.vspace.rawValue == 1)
        #expect(ThreadSlot.reply.rawValue == 2 && ThreadSlot.caller.rawValue == 3 && ThreadSlot.ipcBuffer.rawValue == 4)
        let t = sys.spawn(priority: 100).thread
        #expect(t.slot(.cspace).cap.type == .cnode)
        #expect(t.slot(.vspace).cap.type == .pageTable)
        #expect(t.slot(.ipcBuffer).cap.type == .frame)
        // Resume installed the master reply cap (REPLY-3); the caller slot is empty.
        #expect(t.slot(.reply).cap.type == .reply)
        #expect(t.slot(.caller).cap.isNull)
        // The five slots are the first 5 × 32 bytes of the TCB object.
        for (i, which) in [ThreadSlot.cspace, .vspace, .reply, .caller, .ipcBuffer].enumerated() {
            #expect(t.slot(which).address == t.address + Word(i) * 32)
        }
        // No fault-handler slot (non-MCS): the handler is a CPtr word.
        let faulty = sys.spawn(priority: 100, faultHandler: 0x1234).thread
        #expect(faulty.faultHandler == 0x1234)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func ep1_endpointObjectIs16BytesWithThreeStates() {
        let sys = TestSystem()
        #expect(EndpointState.idle.rawValue == 0 && EndpointState.send.rawValue == 1 && EndpointState.receive.rawValue == 2)
        #expect(Constants.endpointBits == 4)
        let first = sys.allocateSlot(), second = sys.allocateSlot()
        let r = sys.invoke(sys.untyped, label: .untypedRetype,
                           args: [ObjectType.endpoint, 0, 0, 0, first, 2], extraCaps: [Word(InitialSlot.cnode)])
        #expect(r.info.label == 0)
        // Consecutive objects of one retype are 2^4 bytes apart.
        #expect(sys.capability(at: second).address - sys.capability(at: first).address == 16)
        #expect(sys.endpointState(first) == .idle)
        let receiver = sys.spawn(priority: 100).thread
        sys.syscall(.recv, by: receiver, cap: first)
        #expect(sys.endpointState(first) == .receive)
        let sender = sys.spawn(priority: 100).thread
        sys.syscall(.send, by: sender, cap: second)
        #expect(sys.endpointState(second) == .send)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func ntfn0_notificationObjectIs32BytesWithThreeStates() {
        let sys = TestSystem()
        #expect(NotificationState.idle.rawValue == 0 && NotificationState.waiting.rawValue == 1
                && NotificationState.active.rawValue == 2)
        #expect(Constants.notificationBits == 5)
        let first = sys.allocateSlot(), second = sys.allocateSlot()
        let r = sys.invoke(sys.untyped, label: .untypedRetype,
                           args: [ObjectType.notification, 0, 0, 0, first, 2], extraCaps: [Word(InitialSlot.cnode)])
        #expect(r.info.label == 0)
        #expect(sys.capability(at: second).address - sys.capability(at: first).address == 32)
        // A notification cap holds only Read and Write.
        #expect(sys.capability(at: first).rights == .readWrite)
        #expect(sys.notificationState(first) == .idle)
        let waiter = sys.spawn(priority: 100).thread
        sys.syscall(.recv, by: waiter, cap: first)
        #expect(sys.notificationState(first) == .waiting)
        sys.syscall(.send, by: sys.root, cap: second, info: MessageInfo(label: 0, length: 0))
        #expect(sys.notificationState(second) == .active)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
    /// EP-2: strict FIFO whatever the priorities; the queue never mixes senders and receivers.
    @Test func ep2_endpointQueuesAreFIFORegardlessOfPriority() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let address = sys.capability(at: ep).address
        let s1 = sys.spawn(priority: 50).thread, s2 = sys.spawn(priority: 200).thread, s3 = sys.spawn(priority: 100).thread
        for (i, s) in [s1, s2, s3].enumerated() {
            sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: Word(10 + i), length: 0))
            #expect(s.state == .blockedOnSend)
        }
        #expect(sys.endpointHead(atAddress: address) == s1)
        let r = sys.spawn(priority: 10).thread
        var labels: [Word] = []
        for _ in 0..<3 {
            sys.syscall(.recv, by: r, cap: ep)
            labels.append(sys.registers(of: r).info.label)
        }
        #expect(labels == [10, 11, 12])
        #expect(sys.endpointState(ep) == .idle && sys.endpointHead(atAddress: address) == nil)
        // Receivers: R1 (low priority) first, then R2; a sender never queues behind receivers.
        let r1 = sys.spawn(priority: 20).thread, r2 = sys.spawn(priority: 220).thread
        sys.syscall(.recv, by: r1, cap: ep)
        sys.syscall(.recv, by: r2, cap: ep)
        #expect(sys.endpointState(ep) == .receive && sys.endpointHead(atAddress: address) == r1)
        let sender = sys.spawn(priority: 100).thread
        sys.syscall(.send, by: sender, cap: ep, info: MessageInfo(label: 1, length: 0))
        #expect(r1.state == .running && r2.state == .blockedOnReceive)
        #expect(sys.endpointState(ep) == .receive && sys.endpointHead(atAddress: address) == r2)
        sys.syscall(.send, by: sender, cap: ep, info: MessageInfo(label: 2, length: 0))
        #expect(r2.state == .running && sys.endpointState(ep) == .idle)
        #expect(sys.registers(of: r1).info.label == 1 && sys.registers(of: r2).info.label == 2)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
}
