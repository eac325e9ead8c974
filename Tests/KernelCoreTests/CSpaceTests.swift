import Testing
import KernelCore
import KernelTestSupport

/// CSpace addressing and lookup failures (LOOKUP-1..6, CNODE-2, ERR-2/3 for lookups).
@Suite struct CSpaceTests {
    /// A thread whose CSpace root is a fresh radix-4 CNode `c1` (guard 0 of `guardSize`
    /// bits), with `faultHandler` as its fault-handler CPtr. Returns the TCB slot, the thread
    /// and the root slot of `c1`.
    private func threadWithOwnCSpace(_ sys: TestSystem, guardSize: Word, faultHandler: Word = 0,
                                     priority: Int = 100) -> (tcb: Word, thread: Thread, c1: Word) {
        let (tcb, t) = sys.spawn(priority: priority)
        let c1 = sys.make(ObjectType.cnode, size: 4)
        let data = guardSize == 0 ? 0 : CNodeCapData(guard: 0, guardSize: guardSize).rawValue
        expectKernelReply(sys.invoke(tcb, label: .tcbSetSpace, args: [faultHandler, data, 0],
                                     extraCaps: [c1, Word(InitialSlot.vspace)]), .noError)
        return (tcb, t, c1)
    }

    // MARK: LOOKUP-1, LOOKUP-3

    /// Two levels: a radix-4 CNode with guard 0b10 (2 bits) whose slot 5 holds a radix-3
    /// CNode with guard 1 (1 bit). 6 + 4 bits name a slot of the second level.
    @Test func lookup1_guardsAndRadicesAreConsumedMostSignificantFirst() {
        let sys = TestSystem()
        let l1raw = sys.make(ObjectType.cnode, size: 4)
        let l1 = sys.mint(l1raw, badge: CNodeCapData(guard: 0b10, guardSize: 2).rawValue).slot
        let l2raw = sys.make(ObjectType.cnode, size: 3)
        let l2Address = sys.capability(at: l2raw).address
        let l2 = sys.mint(l2raw, badge: CNodeCapData(guard: 1, guardSize: 1).rawValue).slot
        expectKernelReply(sys.cnodeInvoke(.cnodeMove, [0b10_0101, 6, l2, 64], cnode: l1), .noError)
        let ep = sys.make(ObjectType.endpoint)
        // guard 10 | index 0101 | guard 1 | index 110
        let cptr: Word = 0b10_0101_1_110
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [cptr, 10, ep, 64, 0xF], cnode: l1), .noError)
        #expect(sys.capability(atSlotAddress: l2Address + 6 * 32).type == .endpoint)
        let before = CSpaceState(sys)
        // Wrong second-level guard: GuardMismatch with the bits left at that level (4).
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [0b10_0101_0_110, 10], cnode: l1), .failedLookup, [0, 4, 4, 1, 1])
        // Too few bits for the second level: DepthMismatch(bitsFound = 1 + 3, bitsLeft 2).
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [0b10_0101_11, 8], cnode: l1), .failedLookup, [0, 3, 2, 4])
        // Stopping exactly at slot 5 names the CNode cap itself (LOOKUP-3).
        let dest = sys.allocateSlot()
        #expect(CSpaceState(sys) == before)
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [dest, 64, 0b10_0101, 6, 0xF], extraCaps: [l1]), .noError)
        #expect(sys.capability(at: dest).type == .cnode && sys.capability(at: dest).address == l2Address)
        // Bits beyond 64 in the CPtr are never looked at: the low `depth` bits are used.
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [(0xABC << 20) | cptr, 10], cnode: l1), .noError)
        #expect(sys.capability(atSlotAddress: l2Address + 6 * 32).isNull)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// The usual shape, one CNode whose guard and radix take all 64 bits, resolves inline
    /// (`oneLevelSlot`) with the walk's answers: a nonzero guard must match the CPtr's top 60
    /// bits exactly, and a mismatch is the walk's GuardMismatch (the CNode's guard reported as
    /// found, seL4's encoding) in the cap fault.
    @Test func lookup1_fullGuardSingleLevelResolvesAsTheWalk() {
        let sys = TestSystem()
        let c1 = sys.make(ObjectType.cnode, size: 4)
        let guardValue: Word = 0x5
        let ep = sys.make(ObjectType.endpoint)
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [3, 4, ep, 64, 0xF], cnode: c1), .noError)
        let endpointCPtr = (guardValue << 4) | 3
        let data = CNodeCapData(guard: guardValue, guardSize: 60).rawValue
        // A thread whose CSpace is C1 with the 60-bit guard; its fault handler is the endpoint.
        func threadInC1() -> Thread {
            let (tcb, t) = sys.spawn(priority: 100)
            expectKernelReply(sys.invoke(tcb, label: .tcbSetSpace, args: [endpointCPtr, data, 0],
                                         extraCaps: [c1, Word(InitialSlot.vspace)]), .noError)
            return t
        }
        let receiver = sys.spawn(priority: 100).thread
        // The guard matches: slot 3 is the endpoint (Send takes the slowpath's lookup).
        sys.syscall(.recv, by: receiver, cap: ep)
        sys.syscall(.send, by: threadInC1(), cap: endpointCPtr, info: MessageInfo(label: 21, length: 0))
        #expect(receiver.state == .running && sys.registers(of: receiver).info.label == 21)
        // One guard bit off, the top bit set, or the guard shifted into the index: each a
        // GuardMismatch with all 64 bits left, the CNode's guard and its 60 bits.
        for cptr: Word in [((guardValue ^ 1) << 4) | 3, (1 << 63) | endpointCPtr, guardValue] {
            let t = threadInC1()
            sys.syscall(.recv, by: receiver, cap: ep)
            sys.syscall(.send, by: t, cap: cptr, info: MessageInfo(label: 0, length: 0))
            #expect(t.state == .blockedOnReply)
            let got = sys.registers(of: receiver)
            #expect(got.info.label == 1 && got.info.length == 7)
            #expect(got.mr == [TestSystem.syscallAddress, cptr, 0, 4, 64, guardValue, 60], "\(got)")
        }
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: LOOKUP-2

    /// Thread-level lookups (depth 64) stop at the first non-CNode slot and ignore the bits
    /// left; an empty slot is found (a null cap), not a failure.
    @Test func lookup2_threadLookupsIgnoreLeftoverBits() {
        let sys = TestSystem()
        let (_, t, c1) = threadWithOwnCSpace(sys, guardSize: 56)
        let ep = sys.make(ObjectType.endpoint)
        let ntfn = sys.make(ObjectType.notification)
        let c2 = sys.make(ObjectType.cnode, size: 4)
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [3, 4, ep, 64, 0xF], cnode: c1), .noError)
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [4, 4, c2, 64, 0xF], cnode: c1), .noError)
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [2, 4, ntfn, 64, 0xF], cnode: c2), .noError)
        let r = sys.spawn(priority: 100).thread
        // Slot 3 of C1 holds the endpoint; the low 4 bits are left over and ignored.
        for low: Word in [0, 0xF] {
            sys.syscall(.recv, by: r, cap: ep)
            sys.syscall(.send, by: t, cap: (3 << 4) | low, info: MessageInfo(label: 40 + low, length: 0))
            #expect(r.state == .running && sys.registers(of: r).info.label == 40 + low)
        }
        // Slot 4 holds a CNode: the walk continues there, slot 2 of C2 is the notification.
        sys.syscall(.send, by: t, cap: (4 << 4) | 2, info: MessageInfo(label: 0, length: 0))
        #expect(sys.notificationState(ntfn) == .active)
        // An empty slot is found: Call gets InvalidCapability (not a cap fault).
        sys.syscall(.call, by: t, cap: 5 << 4, info: MessageInfo(label: 0, length: 0))
        expectKernelReply(sys.registers(of: t), .invalidCapability, [0])
        #expect(t.state == .running && t.fault == .none)
        // A CNode cap reached with no bits left is the result itself: C2 slot 9 names D.
        let d = sys.make(ObjectType.cnode, size: 2)
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [9, 4, d, 64, 0xF], cnode: c2), .noError)
        // Extra caps are thread-level lookups too: (3 << 4) | 7 names the endpoint (low bits
        // ignored) as the source root, which the op then reports as InvalidRoot.
        sys.syscall(.call, by: t, cap: (4 << 4) | 9, info: MessageInfo(label: InvocationLabel.cnodeCopy.rawValue, extraCaps: 1, length: 5),
                    mrs: [0, 2, 0, 64, 0xF], extraCaps: [(3 << 4) | 7])
        expectKernelReply(sys.registers(of: t), .failedLookup, [1, 1])
        #expect(t.fault == .none)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// LOOKUP-2 for the fault-handler CPtr (looked up in the faulting thread's CSpace) and
    /// LOOKUP-6 at offset 3: a DepthMismatch inside the thread's own CSpace.
    @Test func lookup6_depthMismatchInCapFaultMessage() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let (_, t, c1) = threadWithOwnCSpace(sys, guardSize: 56, faultHandler: 3 << 4)
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [3, 4, ep, 64, 0xF], cnode: c1), .noError)
        let c3 = sys.make(ObjectType.cnode, size: 8)
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [6, 4, c3, 64, 0xF], cnode: c1), .noError)
        let handler = sys.spawn(priority: 100).thread
        sys.syscall(.recv, by: handler, cap: ep)
        // 60 bits go to C1; C3 wants 8 of the remaining 4.
        sys.syscall(.send, by: t, cap: (6 << 4) | 1, info: MessageInfo(label: 0, length: 0))
        #expect(t.state == .blockedOnReply)
        let got = sys.registers(of: handler)
        #expect(got.info.label == 1)  // seL4_Fault_CapFault
        #expect(got.mr == [TestSystem.syscallAddress, (6 << 4) | 1, 0, 3, 4, 8], "\(got)")
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// LOOKUP-6 at offset 3 for a GuardMismatch in the root CSpace, through the fastpath's
    /// lookup (LOOKUP-4a) and the slowpath that then produces the fault.
    @Test func lookup6_guardMismatchInCapFaultMessageViaFastpathFallback() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let t = sys.spawn(priority: 100, faultHandler: ep).thread
        let handler = sys.spawn(priority: 100).thread
        sys.syscall(.recv, by: handler, cap: ep)
        let cptr: Word = 1 << 63
        let counters = sys.kernel.pathCounters
        sys.syscall(.call, by: t, cap: cptr, info: MessageInfo(label: 0, length: 0))
        #expect(sys.kernel.pathCounters.fastpathCalls == counters.fastpathCalls)
        #expect(sys.kernel.pathCounters.slowpathCalls == counters.slowpathCalls + 1)
        let got = sys.registers(of: handler)
        #expect(got.info.label == 1 && got.info.length == 7)
        // IP, Addr, InRecvPhase 0, GuardMismatch(4): bitsLeft 64, guardFound 0 (the CNode's guard), bitsFound 54.
        #expect(got.mr == [TestSystem.syscallAddress, cptr, 0, 4, 64, 0, 54], "\(got)")
        #expect(t.state == .blockedOnReply)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: LOOKUP-4

    @Test func lookup4_cptrIsSlotIndexWithFullGuardElseTopBits() {
        let sys = TestSystem()
        let root = sys.root.slot(.cspace).cap
        #expect(root.cnodeRadix == 10 && root.cnodeGuardSize == 54 && root.cnodeGuard == 0)
        // Guard size 0: the index comes from the top 4 bits of the CPtr.
        let (_, t, c) = threadWithOwnCSpace(sys, guardSize: 0)
        let ep = sys.make(ObjectType.endpoint)
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [3, 4, ep, 64, 0xF], cnode: c), .noError)
        let r = sys.spawn(priority: 100).thread
        sys.syscall(.recv, by: r, cap: ep)
        // CPtr 3 names slot 0 (empty): the Send is silently dropped.
        sys.syscall(.send, by: t, cap: 3, info: MessageInfo(label: 9, length: 0))
        #expect(r.state == .blockedOnReceive && t.state == .running)
        sys.syscall(.send, by: t, cap: 3 << 60, info: MessageInfo(label: 9, length: 0))
        #expect(r.state == .running && sys.registers(of: r).info.label == 9)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: LOOKUP-6 at offset 1 (FailedLookup errors), ERR-2 truncation

    @Test func lookup6_failedLookupEncodingOfEveryKind() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let raw = sys.make(ObjectType.cnode, size: 4)
        let g = sys.mint(raw, badge: CNodeCapData(guard: 0b10, guardSize: 2).rawValue).slot
        let dest = sys.allocateSlot()
        let before = CSpaceState(sys)
        // InvalidRoot: type only.
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [dest, 64, 0, 64, 0xF], extraCaps: [ep]), .failedLookup, [1, 1])
        // MissingCapability: bitsLeft.
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [dest, 64, 0b10_0001, 6, 0xF], extraCaps: [g]), .failedLookup, [1, 2, 6])
        // DepthMismatch: bitsLeft, bitsFound.
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [dest, 64, 0b10_000, 5, 0xF], extraCaps: [g]), .failedLookup, [1, 3, 5, 6])
        // GuardMismatch: bitsLeft, guardFound, bitsFound.
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [dest, 64, 0b11_0000, 6, 0xF], extraCaps: [g]), .failedLookup, [1, 4, 6, 2, 2])
        #expect(CSpaceState(sys) == before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// ERR-2: error words beyond MR3 reach the caller only through its IPC buffer.
    @Test func err2_errorReplyTruncatedWithoutIPCBuffer() {
        let sys = TestSystem()
        let raw = sys.make(ObjectType.cnode, size: 4)
        let g = sys.mint(raw, badge: CNodeCapData(guard: 0b10, guardSize: 2).rawValue).slot
        let t = sys.spawn(priority: 100, ipcBuffer: false).thread
        sys.syscall(.call, by: t, cap: g, info: MessageInfo(label: InvocationLabel.cnodeDelete.rawValue, length: 2),
                    mrs: [0b11_0000, 6])
        expectKernelReply(sys.registers(of: t), .failedLookup, [0, 4, 6, 2])
        // With a buffer the fifth word arrives.
        let u = sys.spawn(priority: 100).thread
        sys.syscall(.call, by: u, cap: g, info: MessageInfo(label: InvocationLabel.cnodeDelete.rawValue, length: 2),
                    mrs: [0b11_0000, 6])
        expectKernelReply(sys.registers(of: u), .failedLookup, [0, 4, 6, 2, 2])
        // A thread without a buffer has no extra caps: a Copy is TruncatedMessage.
        sys.syscall(.call, by: t, cap: rootCNodeSlot, info: MessageInfo(label: InvocationLabel.cnodeCopy.rawValue, extraCaps: 1, length: 4),
                    mrs: [sys.allocateSlot(), 64, g, 64])
        expectKernelReply(sys.registers(of: t), .truncatedMessage)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// ERR-3: an extra-cap CPtr that does not resolve is a cap fault for Send and Call,
    /// silent for NBSend; no error reply is sent.
    @Test func err3_unresolvableExtraCapIsCapFaultOrSilent() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let t = sys.spawn(priority: 100, faultHandler: ep).thread
        let handler = sys.spawn(priority: 100).thread
        let dest = sys.allocateSlot()
        let before = CSpaceState(sys)
        let info = MessageInfo(label: InvocationLabel.cnodeCopy.rawValue, extraCaps: 1, length: 5)
        let bad: Word = 1 << 62
        sys.syscall(.nbSend, by: t, cap: rootCNodeSlot, info: info, mrs: [dest, 64, ep, 64, 0xF], extraCaps: [bad])
        #expect(t.state == .running && t.fault == .none)
        #expect(t[register: RegisterFile.msgInfoRegister] == info.rawValue)
        sys.syscall(.recv, by: handler, cap: ep)
        sys.syscall(.call, by: t, cap: rootCNodeSlot, info: info, mrs: [dest, 64, ep, 64, 0xF], extraCaps: [bad])
        #expect(t.state == .blockedOnReply)
        let got = sys.registers(of: handler)
        #expect(got.info.label == 1 && got.mr == [TestSystem.syscallAddress, bad, 0, 4, 64, 0, 54], "\(got)")
        #expect(CSpaceState(sys) == before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
    /// ERR-3 rows for invocations: empty slot and EP/notification caps without Write give
    /// InvalidCapability(0) to Call and nothing to Send/NBSend; kernel-object caps nobody can
    /// invoke here (IRQ control, ASID control) are IllegalOperation.
    @Test func err3_invalidCapabilityForCallSilentForSend() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let readOnly = sys.copy(ep, rights: [.read, .grant]).slot
        let ntfn = sys.make(ObjectType.notification)
        let ntfnReadOnly = sys.copy(ntfn, rights: .read).slot
        let empty = sys.allocateSlot()
        let t = sys.spawn(priority: 100).thread
        let info = MessageInfo(label: 77, length: 1)
        for cptr in [empty, readOnly, ntfnReadOnly] {
            sys.syscall(.call, by: t, cap: cptr, info: info, mrs: [5])
            expectKernelReply(sys.registers(of: t), .invalidCapability, [0])
            for call in [Syscall.send, .nbSend] {
                sys.syscall(call, by: t, cap: cptr, info: info, mrs: [5])
                #expect(t.state == .running && t[register: RegisterFile.msgInfoRegister] == info.rawValue)
                #expect(t[register: RegisterFile.badgeRegister] == cptr)
            }
        }
        #expect(sys.endpointState(ep) == .idle && sys.notificationState(ntfn) == .idle)
        expectKernelReply(sys.invoke(Word(InitialSlot.irqControl), label: 1, args: [0, 0]), .illegalOperation)
        expectKernelReply(sys.invoke(Word(InitialSlot.asidControl), label: 1, args: [0, 0]), .illegalOperation)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
}
