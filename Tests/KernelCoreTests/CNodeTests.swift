import Testing
import KernelCore
import KernelTestSupport

// MARK: - Helpers shared by the CSpace, CNode, Untyped, Thread and Scheduler tests

let rootCNodeSlot = Word(InitialSlot.cnode)
let rootThreadSlot = Word(InitialSlot.thread)

/// Checks a kernel reply as ERR-2 describes it: badge 0, label = error code, no caps, and
/// exactly `words` as the message.
func expectKernelReply(_ r: TestSystem.Registers, _ code: ErrorCode, _ words: [Word] = [],
                       sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.info.label == code.rawValue, "expected \(code), got \(r)", sourceLocation: sourceLocation)
    #expect(r.info.length == Word(words.count), "\(r)", sourceLocation: sourceLocation)
    #expect(r.mr == words, "\(r)", sourceLocation: sourceLocation)
    #expect(r.badge == 0, "\(r)", sourceLocation: sourceLocation)
    #expect(r.info.extraCaps == 0 && r.info.capsUnwrapped == 0, "\(r)", sourceLocation: sourceLocation)
}

/// Everything a failed CNode or Untyped invocation must leave alone: every root slot (caps,
/// CDT links, flags) and any other CNodes named.
struct CSpaceState: Equatable {
    var root: [Word]
    var others: [[Word]]
    init(_ sys: TestSystem, cnodes: [Word] = []) {
        root = sys.snapshot()
        others = cnodes.map { sys.snapshot(cnodeAt: $0) }
    }
}

/// A fresh untyped of `bits` bytes retyped from the test system's big one.
func makeUntyped(_ sys: TestSystem, bits: Word) -> Word {
    sys.make(ObjectType.untyped, size: bits)
}

@Suite struct CNodeTests {
    // MARK: CNODE-1 common decode and check order

    @Test func cnode1_nonCNodeLabelIsIllegalOperation() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let dest = sys.allocateSlot()
        let before = CSpaceState(sys)
        for label: Word in [0, 1, 6, 16, 26, 27, 1000] {
            let r = sys.invoke(rootCNodeSlot, label: label, args: [dest, 64, ep, 64, CapRights.all.rawValue, 1],
                               extraCaps: [rootCNodeSlot])
            expectKernelReply(r, .illegalOperation)
        }
        #expect(CSpaceState(sys) == before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func cnode1_fewerThanTwoWordsIsTruncatedMessage() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let before = CSpaceState(sys)
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [ep]), .truncatedMessage)
        expectKernelReply(sys.cnodeInvoke(.cnodeRevoke, []), .truncatedMessage)
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [ep]), .truncatedMessage)
        #expect(CSpaceState(sys) == before)
        #expect(sys.capability(at: ep).type == .endpoint)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func cnode1_copyMintMoveMutateNeedFourWordsAndSourceRoot() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let dest = sys.allocateSlot()
        let before = CSpaceState(sys)
        for label in [InvocationLabel.cnodeCopy, .cnodeMint, .cnodeMove, .cnodeMutate] {
            expectKernelReply(sys.cnodeInvoke(label, [dest, 64, ep]), .truncatedMessage)
            // Four words but no src_root extra cap.
            expectKernelReply(sys.cnodeInvoke(label, [dest, 64, ep, 64, 0xF, 0], extraCaps: []), .truncatedMessage)
        }
        #expect(CSpaceState(sys) == before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// Destination lookup → destination empty → source lookup → source non-empty →
    /// operation-specific length checks.
    @Test func cnode1_checkOrderOfCopyMintMoveMutate() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let occupied = sys.make(ObjectType.notification)
        let empty = sys.allocateSlot(), emptySource = sys.allocateSlot()
        let before = CSpaceState(sys)
        // The destination lookup comes before the 4-word check.
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [empty, 0]), .rangeError, [1, 64])
        // Destination occupied comes before any source lookup (source depth 0 would be a RangeError).
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [occupied, 64, ep, 0, 0xF]), .deleteFirst)
        // The source lookup comes before the source-empty check and the length checks.
        expectKernelReply(sys.cnodeInvoke(.cnodeMint, [empty, 64, emptySource, 65]), .rangeError, [1, 64])
        // An empty source is reported before Copy's 5-word, Mint's 6-word, Mutate's 5-word checks.
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [empty, 64, emptySource, 64]), .failedLookup, [1, 2, 64])
        expectKernelReply(sys.cnodeInvoke(.cnodeMint, [empty, 64, emptySource, 64, 0xF]), .failedLookup, [1, 2, 64])
        expectKernelReply(sys.cnodeInvoke(.cnodeMutate, [empty, 64, emptySource, 64]), .failedLookup, [1, 2, 64])
        // With a valid source, the per-operation length checks apply.
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [empty, 64, ep, 64]), .truncatedMessage)
        expectKernelReply(sys.cnodeInvoke(.cnodeMint, [empty, 64, ep, 64, 0xF]), .truncatedMessage)
        expectKernelReply(sys.cnodeInvoke(.cnodeMutate, [empty, 64, ep, 64]), .truncatedMessage)
        #expect(CSpaceState(sys) == before)
        // Move needs only four words.
        expectKernelReply(sys.cnodeInvoke(.cnodeMove, [empty, 64, ep, 64]), .noError)
        #expect(sys.capability(at: empty).type == .endpoint && sys.capability(at: ep).isNull)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func scenario33_copyIntoOccupiedSlotIsDeleteFirst() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let other = sys.make(ObjectType.endpoint)
        let before = CSpaceState(sys)
        for label in [InvocationLabel.cnodeCopy, .cnodeMint, .cnodeMove, .cnodeMutate] {
            expectKernelReply(sys.cnodeInvoke(label, [other, 64, ep, 64, 0xF, 5]), .deleteFirst)
        }
        #expect(CSpaceState(sys) == before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func scenario34_copyFromEmptySlotIsFailedLookupMissingCapability() {
        let sys = TestSystem()
        let dest = sys.allocateSlot(), source = sys.allocateSlot()
        let before = CSpaceState(sys)
        let r = sys.cnodeInvoke(.cnodeCopy, [dest, 64, source, 64, CapRights.all.rawValue])
        // MR0 = 1 (source), MR1 = seL4_MissingCapability (2), MR2 = bitsLeft = source depth.
        expectKernelReply(r, .failedLookup, [1, 2, 64])
        #expect(CSpaceState(sys) == before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func scenario35_depthZeroOr65IsRangeError() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let dest = sys.allocateSlot()
        let before = CSpaceState(sys)
        for depth: Word in [0, 65, 1000] {
            expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [dest, depth, ep, 64, 0xF]), .rangeError, [1, 64])
            expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [dest, 64, ep, depth, 0xF]), .rangeError, [1, 64])
            expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [ep, depth]), .rangeError, [1, 64])
        }
        #expect(CSpaceState(sys) == before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: CNODE-2 lookups for CNode operations

    @Test func cnode2_sourceRootNotCNodeIsInvalidRootBeforeRangeError() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let dest = sys.allocateSlot()
        let before = CSpaceState(sys)
        // MR0 = 1 (source), MR1 = seL4_InvalidRoot (1), nothing more.
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [dest, 64, ep, 64, 0xF], extraCaps: [ep]), .failedLookup, [1, 1])
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [dest, 64, ep, 0, 0xF], extraCaps: [ep]), .failedLookup, [1, 1])
        // An empty slot as source root is not a CNode either.
        expectKernelReply(sys.cnodeInvoke(.cnodeMove, [dest, 64, ep, 64], extraCaps: [sys.allocateSlot()]),
                          .failedLookup, [1, 1])
        #expect(CSpaceState(sys) == before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// A CNode of radix 4 with guard 0b10 (2 bits), invoked directly: guard then index bits.
    @Test func cnode2_guardAndDepthMismatchesInTheInvokedCNode() {
        let sys = TestSystem()
        let raw = sys.make(ObjectType.cnode, size: 4)
        let g = sys.mint(raw, badge: CNodeCapData(guard: 0b10, guardSize: 2).rawValue).slot
        let ep = sys.make(ObjectType.endpoint)
        let before = CSpaceState(sys, cnodes: [g])
        // Wrong guard bits: GuardMismatch(guardFound = the CNode's guard 2, bitsFound 2, bitsLeft 6).
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [0b01_0011, 6], cnode: g), .failedLookup, [0, 4, 6, 2, 2])
        // Fewer bits than the guard: also GuardMismatch.
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [0b1, 1], cnode: g), .failedLookup, [0, 4, 1, 2, 2])
        // Guard fits but radix+guard (6) > depth 5: DepthMismatch(bitsFound 6, bitsLeft 5).
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [0b10_001, 5], cnode: g), .failedLookup, [0, 3, 5, 6])
        #expect(CSpaceState(sys, cnodes: [g]) == before)
        // Exactly 6 bits name slot 3.
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [0b10_0011, 6, ep, 64, 0xF], cnode: g), .noError)
        #expect(sys.capability(3, inCNodeAt: g).type == .endpoint)
        // Resolution stopping at a non-CNode (or empty) slot with bits left: DepthMismatch(0, left).
        let stateAfterCopy = CSpaceState(sys, cnodes: [g])
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [0b10_0011_0000, 10], cnode: g), .failedLookup, [0, 3, 4, 0])
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [0b10_0100_0000, 10], cnode: g), .failedLookup, [0, 3, 4, 0])
        // The same failures on the source side carry MR0 = 1.
        let dest = sys.allocateSlot()
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [dest, 64, 0b01_0011, 6, 0xF], extraCaps: [g]),
                          .failedLookup, [1, 4, 6, 2, 2])
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [dest, 64, 0b10_0011_0000, 10, 0xF], extraCaps: [g]),
                          .failedLookup, [1, 3, 4, 0])
        #expect(CSpaceState(sys, cnodes: [g]) == stateAfterCopy)
        // And a correct source address copies the cap back out of the guarded CNode.
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [dest, 64, 0b10_0011, 6, 0xF], extraCaps: [g]), .noError)
        #expect(sys.capability(at: dest).type == .endpoint)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: CNODE-3 Mint

    @Test func scenario30_mintBadge5WithCanWrite() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let (error, slot) = sys.mint(ep, rights: .write, badge: 5)
        #expect(error == 0)
        let cap = sys.capability(at: slot)
        #expect(cap.type == .endpoint && cap.badge == 5 && cap.rights == .write)
        #expect(cap.address == sys.capability(at: ep).address)
        // The source is untouched.
        #expect(sys.capability(at: ep).badge == 0 && sys.capability(at: ep).rights == .all)
        // A badged mint is a revocable, first-badged CDT child of the unbadged cap.
        let address = sys.slotAddress(slot)
        #expect(sys.isRevocable(slotAddress: address) && sys.isFirstBadged(slotAddress: address))
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func scenario31_mintFromBadgedCapIsIllegalOperation() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let badged = sys.mint(ep, badge: 7).slot
        let ntfn = sys.make(ObjectType.notification)
        let badgedNtfn = sys.mint(ntfn, badge: 1).slot
        let dest = sys.allocateSlot()
        let before = CSpaceState(sys)
        for badge: Word in [0, 7, 8] {
            expectKernelReply(sys.cnodeInvoke(.cnodeMint, [dest, 64, badged, 64, 0xF, badge]), .illegalOperation)
            expectKernelReply(sys.cnodeInvoke(.cnodeMint, [dest, 64, badgedNtfn, 64, 0xF, badge]), .illegalOperation)
        }
        #expect(CSpaceState(sys) == before)
        // Copy is the way to duplicate a badged cap (PIT-3).
        #expect(sys.copy(badged, into: dest).error == 0)
        #expect(sys.capability(at: dest).badge == 7)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func cnode3_mintRightsAreMaskedNeverAmplified() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let readOnly = sys.copy(ep, rights: .read).slot
        #expect(sys.capability(at: readOnly).rights == .read)
        let minted = sys.mint(readOnly, rights: .all, badge: 3).slot
        #expect(sys.capability(at: minted).rights == .read)
        #expect(sys.capability(at: minted).badge == 3)
        let none = sys.mint(ep, rights: .none, badge: 4).slot
        #expect(sys.capability(at: none).rights == .none)
        // Notification caps keep only Read and Write.
        let ntfn = sys.make(ObjectType.notification)
        let ntfnMinted = sys.mint(ntfn, rights: [.write, .grant], badge: 2).slot
        #expect(sys.capability(at: ntfnMinted).rights == .write)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func cnode3_mintWithBadgeZeroGivesUnbadgedNonRevocableCopy() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let copy = sys.mint(ep, badge: 0).slot
        #expect(sys.capability(at: copy).badge == 0)
        #expect(!sys.isRevocable(slotAddress: sys.slotAddress(copy)))
        // An unbadged copy can still be minted with a badge, and is a plain CDT child.
        let fromCopy = sys.mint(copy, badge: 9).slot
        #expect(sys.capability(at: fromCopy).badge == 9)
        // Revoking the copy removes nothing: it is not revocable.
        expectKernelReply(sys.cnodeInvoke(.cnodeRevoke, [copy, 64]), .noError)
        #expect(sys.capability(at: fromCopy).badge == 9)
        // Revoking the original removes the copy and the badged cap.
        expectKernelReply(sys.cnodeInvoke(.cnodeRevoke, [ep, 64]), .noError)
        #expect(sys.capability(at: copy).isNull && sys.capability(at: fromCopy).isNull)
        #expect(sys.capability(at: ep).type == .endpoint)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func cnode3_mintCNodeCapGuardRules() {
        let sys = TestSystem()
        let cnode = sys.make(ObjectType.cnode, size: 4)
        let dest = sys.allocateSlot()
        let before = CSpaceState(sys)
        // guardSize + radix > 64 gives a null cap: IllegalOperation.
        expectKernelReply(sys.cnodeInvoke(.cnodeMint, [dest, 64, cnode, 64, 0xF, CNodeCapData(guard: 0, guardSize: 61).rawValue]),
                          .illegalOperation)
        #expect(CSpaceState(sys) == before)
        // 60 + 4 = 64 is allowed; the guard is masked to guardSize bits.
        expectKernelReply(sys.cnodeInvoke(.cnodeMint, [dest, 64, cnode, 64, 0xF, CNodeCapData(guard: 0xFF, guardSize: 3).rawValue]),
                          .noError)
        #expect(sys.capability(at: dest).cnodeGuard == 0b111 && sys.capability(at: dest).cnodeGuardSize == 3)
        let dest2 = sys.allocateSlot()
        expectKernelReply(sys.cnodeInvoke(.cnodeMint, [dest2, 64, cnode, 64, 0xF, CNodeCapData(guard: 1, guardSize: 60).rawValue]),
                          .noError)
        #expect(sys.capability(at: dest2).cnodeGuardSize == 60 && sys.capability(at: dest2).cnodeGuard == 1)
        // A CNode mint (same object, no badge) is a non-revocable copy.
        #expect(!sys.isRevocable(slotAddress: sys.slotAddress(dest)))
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func cnode3_derivationFailures() {
        let sys = TestSystem()
        let dest = sys.allocateSlot()
        // Untyped with children: RevokeFirst (Copy and Mint).
        let ut = makeUntyped(sys, bits: 12)
        let child = sys.allocateSlot()
        expectKernelReply(sys.invoke(ut, label: .untypedRetype, args: [ObjectType.endpoint, 0, 0, 0, child, 1],
                                     extraCaps: [rootCNodeSlot]), .noError)
        let before = CSpaceState(sys)
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [dest, 64, ut, 64, 0xF]), .revokeFirst)
        expectKernelReply(sys.cnodeInvoke(.cnodeMint, [dest, 64, ut, 64, 0xF, 0]), .revokeFirst)
        // IRQControl derives to null: IllegalOperation.
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [dest, 64, Word(InitialSlot.irqControl), 64, 0xF]), .illegalOperation)
        #expect(CSpaceState(sys) == before)
        // Reply caps derive to null (REPLY-7): save a caller's reply cap, then try to copy it.
        let ep = sys.make(ObjectType.endpoint)
        let server = sys.spawn(priority: 100).thread
        let client = sys.spawn(priority: 100).thread
        sys.syscall(.recv, by: server, cap: ep)
        sys.syscall(.call, by: client, cap: ep, info: MessageInfo(label: 1, length: 0))
        #expect(client.state == .blockedOnReply)
        let saved = sys.allocateSlot()
        expectKernelReply(sys.cnodeInvoke(.cnodeSaveCaller, [saved, 64], by: server), .noError)
        #expect(sys.capability(at: saved).type == .reply)
        let beforeReply = CSpaceState(sys)
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [dest, 64, saved, 64, 0xF]), .illegalOperation)
        expectKernelReply(sys.cnodeInvoke(.cnodeMint, [dest, 64, saved, 64, 0xF, 0]), .illegalOperation)
        #expect(CSpaceState(sys) == beforeReply)
        // Move of a reply cap works (no derivation).
        expectKernelReply(sys.cnodeInvoke(.cnodeMove, [dest, 64, saved, 64]), .noError)
        #expect(sys.capability(at: dest).type == .reply && sys.capability(at: saved).isNull)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func cnode3_otherCapsIgnoreTheDataWord() {
        let sys = TestSystem()
        let tcb = sys.make(ObjectType.thread)
        let minted = sys.mint(tcb, badge: 0x1234).slot
        #expect(sys.capability(at: minted) == sys.capability(at: tcb))
        // A frame's rights are masked as VM rights: Read only → read-only frame.
        let frame = sys.make(ObjectType.smallPage)
        let ro = sys.mint(frame, rights: .read, badge: 99).slot
        #expect(sys.capability(at: ro).type == .frame && sys.capability(at: ro).frameRights == .readOnly)
        #expect(sys.capability(at: ro).address == sys.capability(at: frame).address)
        let ko = sys.copy(frame, rights: .write).slot
        #expect(sys.capability(at: ko).frameRights == .kernelOnly)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: CNODE-4 Copy

    @Test func cnode4_copyPreservesBadgeAndGuardAndMasksRights() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let badged = sys.mint(ep, badge: 5).slot
        let copy = sys.copy(badged, rights: .readWrite).slot
        #expect(sys.capability(at: copy).badge == 5 && sys.capability(at: copy).rights == .readWrite)
        // A copy of a badged cap is a non-revocable child of it.
        #expect(!sys.isRevocable(slotAddress: sys.slotAddress(copy)))
        let otherBadge = sys.mint(ep, badge: 6).slot
        expectKernelReply(sys.cnodeInvoke(.cnodeRevoke, [badged, 64]), .noError)
        #expect(sys.capability(at: copy).isNull)
        #expect(sys.capability(at: badged).badge == 5 && sys.capability(at: otherBadge).badge == 6)
        // Guards survive a copy.
        let cnode = sys.make(ObjectType.cnode, size: 3)
        let guarded = sys.mint(cnode, badge: CNodeCapData(guard: 5, guardSize: 4).rawValue).slot
        let guardedCopy = sys.copy(guarded).slot
        #expect(sys.capability(at: guardedCopy).cnodeGuard == 5 && sys.capability(at: guardedCopy).cnodeGuardSize == 4)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func cnode4_copyOfUntypedLeavesTheOriginalFull() {
        let sys = TestSystem()
        let ut = makeUntyped(sys, bits: 12)
        let utCopy = sys.copy(ut).slot
        #expect(sys.capability(at: utCopy).type == .untyped)
        #expect(sys.capability(at: ut).untypedFreeIndex == 4096)
        let dest = sys.allocateSlot()
        // The original has a child (the copy), so it is not reset and has no memory left.
        expectKernelReply(sys.invoke(ut, label: .untypedRetype, args: [ObjectType.endpoint, 0, 0, 0, dest, 1],
                                     extraCaps: [rootCNodeSlot]), .notEnoughMemory, [0])
        expectKernelReply(sys.invoke(utCopy, label: .untypedRetype, args: [ObjectType.endpoint, 0, 0, 0, dest, 1],
                                     extraCaps: [rootCNodeSlot]), .noError)
        #expect(sys.capability(at: dest).address == sys.capability(at: ut).address)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: CNODE-5 Move

    @Test func cnode5_moveKeepsCapAndCDTPosition() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let badged = sys.mint(ep, rights: [.read, .write], badge: 3).slot
        let original = sys.capability(at: badged)
        let dest = sys.allocateSlot()
        expectKernelReply(sys.cnodeInvoke(.cnodeMove, [dest, 64, badged, 64]), .noError)
        #expect(sys.capability(at: dest) == original)
        #expect(sys.capability(at: badged).isNull)
        #expect(sys.rawSlot(atAddress: sys.slotAddress(badged)) == [0, 0, 0, 0])
        // Still the first-badged child of the original: its CDT links moved with it.
        #expect(sys.isFirstBadged(slotAddress: sys.slotAddress(dest)))
        #expect(sys.cdtPrev(ofSlotAddress: sys.slotAddress(dest)) == sys.slotAddress(ep))
        #expect(sys.cdtNext(ofSlotAddress: sys.slotAddress(ep)) == sys.slotAddress(dest))
        expectKernelReply(sys.cnodeInvoke(.cnodeRevoke, [ep, 64]), .noError)
        #expect(sys.capability(at: dest).isNull)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func cnode5_moveOntoItselfIsDeleteFirst() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let before = CSpaceState(sys)
        expectKernelReply(sys.cnodeInvoke(.cnodeMove, [ep, 64, ep, 64]), .deleteFirst)
        #expect(CSpaceState(sys) == before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: CNODE-6 Mutate

    @Test func scenario32_mutateEndpointOrNotificationCapIsIllegalOperation() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let badged = sys.mint(ep, badge: 4).slot
        let ntfn = sys.make(ObjectType.notification)
        let dest = sys.allocateSlot()
        let before = CSpaceState(sys)
        for source in [ep, badged, ntfn] {
            for data: Word in [0, 4, 77] {
                expectKernelReply(sys.cnodeInvoke(.cnodeMutate, [dest, 64, source, 64, data]), .illegalOperation)
            }
        }
        #expect(CSpaceState(sys) == before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func cnode6_mutateSetsCNodeGuardAndMovesOtherCapsUnchanged() {
        let sys = TestSystem()
        let cnode = sys.make(ObjectType.cnode, size: 4)
        let cnodeAddress = sys.capability(at: cnode).address
        let dest = sys.allocateSlot()
        expectKernelReply(sys.cnodeInvoke(.cnodeMutate, [dest, 64, cnode, 64, CNodeCapData(guard: 3, guardSize: 2).rawValue]),
                          .noError)
        let mutated = sys.capability(at: dest)
        #expect(mutated.address == cnodeAddress && mutated.cnodeGuard == 3 && mutated.cnodeGuardSize == 2)
        #expect(sys.capability(at: cnode).isNull)
        // Too large a guard: null → IllegalOperation, nothing moves.
        let dest2 = sys.allocateSlot()
        let before = CSpaceState(sys)
        expectKernelReply(sys.cnodeInvoke(.cnodeMutate, [dest2, 64, dest, 64, CNodeCapData(guard: 0, guardSize: 61).rawValue]),
                          .illegalOperation)
        #expect(CSpaceState(sys) == before)
        // Other caps move unchanged, whatever the data word.
        let tcb = sys.make(ObjectType.thread)
        let tcbCap = sys.capability(at: tcb)
        expectKernelReply(sys.cnodeInvoke(.cnodeMutate, [dest2, 64, tcb, 64, 0xDEAD]), .noError)
        #expect(sys.capability(at: dest2) == tcbCap && sys.capability(at: tcb).isNull)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: CNODE-7 Rotate

    /// Rotate args: dest index/depth, pivot data/index/depth, src data/index/depth; extra caps
    /// pivot root, src root.
    private func rotate(_ sys: TestSystem, dest: Word, pivot: Word, src: Word, pivotData: Word = 0, srcData: Word = 0,
                        depths: (Word, Word, Word) = (64, 64, 64), roots: [Word]? = nil) -> TestSystem.Registers {
        sys.cnodeInvoke(.cnodeRotate, [dest, depths.0, pivotData, pivot, depths.1, srcData, src, depths.2],
                        extraCaps: roots ?? [rootCNodeSlot, rootCNodeSlot])
    }

    @Test func cnode7_rotateMovesPivotToDestAndSourceToPivot() {
        let sys = TestSystem()
        let a = sys.make(ObjectType.smallPage), b = sys.make(ObjectType.smallPage)
        let capA = sys.capability(at: a), capB = sys.capability(at: b)
        let dest = sys.allocateSlot()
        expectKernelReply(rotate(sys, dest: dest, pivot: b, src: a), .noError)
        #expect(sys.capability(at: dest) == capB)
        #expect(sys.capability(at: b) == capA)
        #expect(sys.capability(at: a).isNull)
        // dest == src swaps source and pivot.
        expectKernelReply(rotate(sys, dest: dest, pivot: b, src: dest), .noError)
        #expect(sys.capability(at: dest) == capA && sys.capability(at: b) == capB)
        // The new-data words apply in Mutate's mode: a CNode pivot takes a guard.
        let cnode = sys.make(ObjectType.cnode, size: 2)
        let dest2 = sys.allocateSlot()
        expectKernelReply(rotate(sys, dest: dest2, pivot: cnode, src: dest,
                                 pivotData: CNodeCapData(guard: 1, guardSize: 1).rawValue), .noError)
        #expect(sys.capability(at: dest2).type == .cnode && sys.capability(at: dest2).cnodeGuardSize == 1)
        #expect(sys.capability(at: cnode) == capA)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func cnode7_rotateErrorsInSeL4Order() {
        let sys = TestSystem()
        let a = sys.make(ObjectType.smallPage), b = sys.make(ObjectType.smallPage), c = sys.make(ObjectType.smallPage)
        let ep = sys.make(ObjectType.endpoint)
        let empty = sys.allocateSlot(), empty2 = sys.allocateSlot()
        let before = CSpaceState(sys)
        // Truncated: 7 words, or only one extra cap.
        expectKernelReply(sys.cnodeInvoke(.cnodeRotate, [empty, 64, 0, b, 64, 0, a]), .truncatedMessage)
        expectKernelReply(sys.cnodeInvoke(.cnodeRotate, [empty, 64, 0, b, 64, 0, a, 64], extraCaps: [rootCNodeSlot]),
                          .truncatedMessage)
        // The source lookup (wasSource 1) comes before the pivot lookup.
        expectKernelReply(rotate(sys, dest: empty, pivot: b, src: a, depths: (64, 0, 64), roots: [rootCNodeSlot, ep]),
                          .failedLookup, [1, 1])
        // The pivot lookup also reports wasSource = 1.
        expectKernelReply(rotate(sys, dest: empty, pivot: b, src: a, roots: [ep, rootCNodeSlot]), .failedLookup, [1, 1])
        expectKernelReply(rotate(sys, dest: empty, pivot: b, src: a, depths: (64, 0, 64)), .rangeError, [1, 64])
        // pivot == src or pivot == dest: IllegalOperation, before the DeleteFirst check.
        expectKernelReply(rotate(sys, dest: c, pivot: a, src: a), .illegalOperation)
        expectKernelReply(rotate(sys, dest: b, pivot: b, src: a), .illegalOperation)
        // dest occupied (dest != src) before the empty-source check.
        expectKernelReply(rotate(sys, dest: c, pivot: b, src: empty2), .deleteFirst)
        // Empty source: FailedLookup(source, MissingCapability(src depth)), before the pivot check.
        expectKernelReply(rotate(sys, dest: empty, pivot: empty2, src: empty2 + 1), .failedLookup, [1, 2, 64])
        // Empty pivot: reported with wasSource = 0.
        expectKernelReply(rotate(sys, dest: empty, pivot: empty2, src: a), .failedLookup, [0, 2, 64])
        // Endpoint caps as source or pivot: updateCapData(preserve) is null → IllegalOperation.
        expectKernelReply(rotate(sys, dest: empty, pivot: b, src: ep), .illegalOperation)
        expectKernelReply(rotate(sys, dest: empty, pivot: ep, src: a), .illegalOperation)
        #expect(CSpaceState(sys) == before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: CNODE-8 Delete

    @Test func cnode8_deleteEmptySlotSucceeds() {
        let sys = TestSystem()
        let empty = sys.allocateSlot()
        let before = CSpaceState(sys)
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [empty, 64]), .noError)
        expectKernelReply(sys.cnodeInvoke(.cnodeRevoke, [empty, 64]), .noError)
        #expect(CSpaceState(sys) == before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// Scenario 37: deleting the last endpoint cap restarts both queued senders; EP Idle.
    @Test func scenario37_deleteLastEndpointCapRestartsQueuedSenders() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let address = sys.capability(at: ep).address
        let s1 = sys.spawn(priority: 100).thread, s2 = sys.spawn(priority: 100).thread
        sys.syscall(.send, by: s1, cap: ep, info: MessageInfo(label: 1, length: 0))
        sys.syscall(.send, by: s2, cap: ep, info: MessageInfo(label: 2, length: 0))
        #expect(s1.state == .blockedOnSend && s2.state == .blockedOnSend)
        #expect(sys.endpointState(ep) == .send)
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [ep, 64]), .noError)
        #expect(sys.capability(at: ep).isNull)
        #expect(s1.state == .restart && s2.state == .restart)
        #expect(sys.endpointState(atAddress: address) == .idle)
        #expect(sys.endpointHead(atAddress: address) == nil)
        // The root (priority 255) keeps running.
        #expect(sys.kernel.currentThread == sys.root)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func cnode8_deleteReceiverQueueAndNonFinalDelete() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let address = sys.capability(at: ep).address
        let badged = sys.mint(ep, badge: 2).slot
        let r = sys.spawn(priority: 100).thread
        sys.syscall(.recv, by: r, cap: ep)
        #expect(r.state == .blockedOnReceive)
        // Not the final cap: nothing happens to the queue.
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [ep, 64]), .noError)
        #expect(r.state == .blockedOnReceive && sys.endpointState(atAddress: address) == .receive)
        // The last cap: receivers are restarted too.
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [badged, 64]), .noError)
        #expect(r.state == .restart && sys.endpointState(atAddress: address) == .idle)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func cnode8_deleteLastNotificationCapUnbindsAndRestartsWaiters() {
        let sys = TestSystem()
        let bound = sys.make(ObjectType.notification)
        let boundAddress = sys.capability(at: bound).address
        let waited = sys.make(ObjectType.notification)
        let waitedAddress = sys.capability(at: waited).address
        let (tcb, t) = sys.spawn(priority: 100)
        expectKernelReply(sys.invoke(tcb, label: .tcbBindNotification, args: [], extraCaps: [bound]), .noError)
        #expect(t.boundNotification?.address == boundAddress)
        let w = sys.spawn(priority: 100).thread
        sys.syscall(.recv, by: w, cap: waited)
        #expect(w.state == .blockedOnNotification)
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [bound, 64]), .noError)
        #expect(t.boundNotification == nil)
        #expect(sys.notificationBoundThread(atAddress: boundAddress) == nil)
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [waited, 64]), .noError)
        #expect(w.state == .restart)
        #expect(sys.notificationState(atAddress: waitedAddress) == .idle)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func cnode8_deleteLastTCBCapSuspendsThreadAndEmptiesItsSlots() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let (tcb, t) = sys.spawn(priority: 100)
        sys.syscall(.send, by: t, cap: ep, info: MessageInfo(label: 0, length: 0))
        #expect(t.state == .blockedOnSend)
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [tcb, 64]), .noError)
        #expect(t.state == .inactive)
        #expect(sys.endpointState(ep) == .idle)
        for which in [ThreadSlot.cspace, .vspace, .reply, .caller, .ipcBuffer] {
            #expect(t.slot(which).cap.isNull, "\(which)")
        }
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// A CNode holding the last cap to another CNode, which holds the last cap to an endpoint
    /// with a queued sender: deleting the outer cap finalises all three.
    @Test func cnode8_deleteNestedCNodes() {
        let sys = TestSystem()
        let outer = sys.make(ObjectType.cnode, size: 2)
        let inner = sys.make(ObjectType.cnode, size: 2)
        let innerAddress = sys.capability(at: inner).address
        let outerAddress = sys.capability(at: outer).address
        let ep = sys.make(ObjectType.endpoint)
        let epAddress = sys.capability(at: ep).address
        let s = sys.spawn(priority: 100).thread
        sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: 0, length: 0))
        #expect(s.state == .blockedOnSend)
        expectKernelReply(sys.cnodeInvoke(.cnodeMove, [2, 2, ep, 64], cnode: inner), .noError)
        expectKernelReply(sys.cnodeInvoke(.cnodeMove, [1, 2, inner, 64], cnode: outer), .noError)
        #expect(sys.capability(at: inner).isNull && sys.capability(at: ep).isNull)
        #expect(sys.capability(atSlotAddress: outerAddress + 32).type == .cnode)
        #expect(sys.capability(atSlotAddress: innerAddress + 64).type == .endpoint)
        #expect(s.state == .blockedOnSend)
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [outer, 64]), .noError)
        #expect(s.state == .restart)
        #expect(sys.endpointState(atAddress: epAddress) == .idle)
        for i: Word in 0..<4 {
            #expect(sys.rawSlot(atAddress: outerAddress + i * 32) == [0, 0, 0, 0])
            #expect(sys.rawSlot(atAddress: innerAddress + i * 32) == [0, 0, 0, 0])
        }
        #expect(sys.capability(at: outer).isNull)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// A chain of 4000 CNodes, each holding the only cap to the next, the last holding the
    /// only cap to an endpoint with a queued sender: one Delete finalises the whole chain
    /// without recursion.
    @Test func cnode8_deleteLongCNodeChainWithoutRecursion() {
        let count = 4000
        let sys = TestSystem(memoryBytes: 8 << 20, rootCNodeBits: 13)
        let ep = sys.make(ObjectType.endpoint)
        let epAddress = sys.capability(at: ep).address
        let s = sys.spawn(priority: 100).thread
        sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: 0, length: 0))
        #expect(s.state == .blockedOnSend)
        sys.checksInvariantsAfterSyscalls = false
        let first = sys.nextFreeSlot
        var made = 0
        while made < count {
            let batch = min(250, count - made)
            let r = sys.invoke(sys.untyped, label: .untypedRetype,
                               args: [ObjectType.cnode, 1, 0, 0, first + Word(made), Word(batch)], extraCaps: [rootCNodeSlot])
            expectKernelReply(r, .noError)
            made += batch
        }
        for _ in 0..<count { _ = sys.allocateSlot() }
        let addresses = (0..<count).map { sys.capability(at: first + Word($0)).address }
        // The endpoint goes into the last CNode's slot 1, then each CNode into its predecessor's slot 0.
        expectKernelReply(sys.cnodeInvoke(.cnodeMove, [1, 1, ep, 64], cnode: first + Word(count - 1)), .noError)
        for i in stride(from: count - 2, through: 0, by: -1) {
            let r = sys.cnodeInvoke(.cnodeMove, [0, 1, first + Word(i + 1), 64], cnode: first + Word(i))
            if r.info.label != 0 { Issue.record("move \(i) failed: \(r)"); break }
        }
        sys.checksInvariantsAfterSyscalls = true
        sys.checkInvariantsNow("after building the chain")
        #expect(sys.capability(atSlotAddress: addresses[count - 2]).type == .cnode)
        #expect(sys.capability(atSlotAddress: addresses[count - 1] + 32).type == .endpoint)
        #expect(s.state == .blockedOnSend)
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [first, 64]), .noError)
        #expect(s.state == .restart)
        #expect(sys.endpointState(atAddress: epAddress) == .idle)
        var leftovers = 0
        for address in addresses where sys.rawSlot(atAddress: address) != [0, 0, 0, 0]
            || sys.rawSlot(atAddress: address + 32) != [0, 0, 0, 0] { leftovers += 1 }
        #expect(leftovers == 0)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// A CNode whose only remaining cap lives in itself, with an endpoint (and a queued
    /// sender) inside: revoking the untyped it came from finalises it, and the untyped can be
    /// retyped from its start again.
    @Test func cnode8_cnodeHoldingCapToItselfThenRevokeUntyped() {
        let sys = TestSystem()
        let ut = makeUntyped(sys, bits: 14)
        let utBase = sys.capability(at: ut).address
        let x = sys.allocateSlot()
        expectKernelReply(sys.invoke(ut, label: .untypedRetype, args: [ObjectType.cnode, 2, 0, 0, x, 1],
                                     extraCaps: [rootCNodeSlot]), .noError)
        let ep = sys.allocateSlot()
        expectKernelReply(sys.invoke(ut, label: .untypedRetype, args: [ObjectType.endpoint, 0, 0, 0, ep, 1],
                                     extraCaps: [rootCNodeSlot]), .noError)
        let epAddress = sys.capability(at: ep).address
        let xAddress = sys.capability(at: x).address
        #expect(xAddress == utBase)
        let s = sys.spawn(priority: 100).thread
        sys.syscall(.send, by: s, cap: ep, info: MessageInfo(label: 0, length: 0))
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [0, 2, x, 64, 0xF], cnode: x), .noError)
        expectKernelReply(sys.cnodeInvoke(.cnodeMove, [1, 2, ep, 64], cnode: x), .noError)
        // The root's cap is not the last one (X holds a cap to itself): no finalisation.
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [x, 64]), .noError)
        #expect(s.state == .blockedOnSend)
        #expect(sys.capability(atSlotAddress: xAddress).type == .cnode)
        expectKernelReply(sys.cnodeInvoke(.cnodeRevoke, [ut, 64]), .noError)
        #expect(s.state == .restart)
        #expect(sys.endpointState(atAddress: epAddress) == .idle)
        for i: Word in 0..<4 { #expect(sys.rawSlot(atAddress: xAddress + i * 32) == [0, 0, 0, 0]) }
        // No children left: the untyped resets and hands out its first bytes again.
        let again = sys.allocateSlot()
        expectKernelReply(sys.invoke(ut, label: .untypedRetype, args: [ObjectType.endpoint, 0, 0, 0, again, 1],
                                     extraCaps: [rootCNodeSlot]), .noError)
        #expect(sys.capability(at: again).address == utBase)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: CNODE-9 Revoke

    @Test func cnode9_revokeUnbadgedOriginalEndpointRemovesBadgedChildren() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let b1 = sys.mint(ep, badge: 1).slot
        let b2 = sys.mint(ep, badge: 2).slot
        let b1Copy = sys.copy(b1).slot
        let plainCopy = sys.copy(ep).slot
        let other = sys.make(ObjectType.endpoint)
        let otherBadged = sys.mint(other, badge: 1).slot
        expectKernelReply(sys.cnodeInvoke(.cnodeRevoke, [ep, 64]), .noError)
        for slot in [b1, b2, b1Copy, plainCopy] { #expect(sys.capability(at: slot).isNull) }
        #expect(sys.capability(at: ep).type == .endpoint)
        #expect(sys.capability(at: otherBadged).badge == 1)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func cnode9_revokeBadgedCapRemovesOnlyItsCopies() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let first = sys.mint(ep, badge: 5).slot
        let firstCopy = sys.copy(first).slot
        // A second mint with the same badge is a sibling, not a child.
        let second = sys.mint(ep, badge: 5).slot
        let secondCopy = sys.copy(second).slot
        expectKernelReply(sys.cnodeInvoke(.cnodeRevoke, [first, 64]), .noError)
        #expect(sys.capability(at: firstCopy).isNull)
        #expect(sys.capability(at: first).badge == 5)
        #expect(sys.capability(at: second).badge == 5 && sys.capability(at: secondCopy).badge == 5)
        expectKernelReply(sys.cnodeInvoke(.cnodeRevoke, [second, 64]), .noError)
        #expect(sys.capability(at: secondCopy).isNull && sys.capability(at: first).badge == 5)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func cnode9_revokeUntypedDeletesEveryObjectCap() {
        let sys = TestSystem()
        let ut = makeUntyped(sys, bits: 14)
        let first = sys.allocateSlot()
        for _ in 0..<3 { _ = sys.allocateSlot() }
        expectKernelReply(sys.invoke(ut, label: .untypedRetype, args: [ObjectType.endpoint, 0, 0, 0, first, 4],
                                     extraCaps: [rootCNodeSlot]), .noError)
        let badged = sys.mint(first, badge: 8).slot
        let s = sys.spawn(priority: 100).thread
        sys.syscall(.send, by: s, cap: badged, info: MessageInfo(label: 0, length: 0))
        expectKernelReply(sys.cnodeInvoke(.cnodeRevoke, [ut, 64]), .noError)
        for slot in first..<(first + 4) { #expect(sys.capability(at: slot).isNull) }
        #expect(sys.capability(at: badged).isNull)
        #expect(s.state == .restart)
        #expect(sys.capability(at: ut).type == .untyped)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: CNODE-10 CancelBadgedSends

    /// Scenario 36: badge-3 senders restart, the badge-4 sender stays queued.
    @Test func scenario36_cancelBadgedSendsRestartsOnlyThatBadge() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let b3 = sys.mint(ep, badge: 3).slot, b4 = sys.mint(ep, badge: 4).slot
        let s1 = sys.spawn(priority: 100).thread, s2 = sys.spawn(priority: 100).thread, s3 = sys.spawn(priority: 100).thread
        sys.syscall(.send, by: s1, cap: b3, info: MessageInfo(label: 1, length: 0))
        sys.syscall(.send, by: s2, cap: b4, info: MessageInfo(label: 2, length: 0))
        sys.syscall(.send, by: s3, cap: b3, info: MessageInfo(label: 3, length: 0))
        #expect(s1.blockingBadge == 3 && s2.blockingBadge == 4)
        expectKernelReply(sys.cnodeInvoke(.cnodeCancelBadgedSends, [b3, 64]), .noError)
        #expect(s1.state == .restart && s3.state == .restart)
        #expect(s2.state == .blockedOnSend)
        #expect(sys.endpointState(ep) == .send)
        #expect(sys.endpointHead(atAddress: sys.capability(at: ep).address) == s2)
        let r = sys.spawn(priority: 100).thread
        sys.syscall(.recv, by: r, cap: ep)
        #expect(sys.registers(of: r).badge == 4 && sys.registers(of: r).info.label == 2)
        #expect(sys.endpointState(ep) == .idle)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func cnode10_cancelBadgedSendsNeedsAllFourRightsOnAnEndpointCap() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let noGrantReply = sys.mint(ep, rights: [.read, .write, .grant], badge: 3).slot
        let full = sys.mint(ep, badge: 3).slot
        let ntfn = sys.make(ObjectType.notification)
        let empty = sys.allocateSlot()
        let s = sys.spawn(priority: 100).thread
        sys.syscall(.send, by: s, cap: full, info: MessageInfo(label: 0, length: 0))
        let before = CSpaceState(sys)
        for target in [noGrantReply, ntfn, empty] {
            expectKernelReply(sys.cnodeInvoke(.cnodeCancelBadgedSends, [target, 64]), .illegalOperation)
        }
        #expect(s.state == .blockedOnSend)
        #expect(CSpaceState(sys) == before)
        // The unbadged cap has all rights: success, but badge 0 cancels nothing.
        expectKernelReply(sys.cnodeInvoke(.cnodeCancelBadgedSends, [ep, 64]), .noError)
        #expect(s.state == .blockedOnSend)
        // Receivers are never affected.
        let ep2 = sys.make(ObjectType.endpoint)
        let badged2 = sys.mint(ep2, badge: 6).slot
        let r = sys.spawn(priority: 100).thread
        sys.syscall(.recv, by: r, cap: ep2)
        expectKernelReply(sys.cnodeInvoke(.cnodeCancelBadgedSends, [badged2, 64]), .noError)
        #expect(r.state == .blockedOnReceive && sys.endpointState(ep2) == .receive)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: SaveCaller (REPLY-6's CNode side)

    @Test func cnode1_saveCallerDeleteFirstAndNoCallerIsNoOp() {
        let sys = TestSystem()
        let occupied = sys.make(ObjectType.endpoint)
        let empty = sys.allocateSlot()
        let before = CSpaceState(sys)
        expectKernelReply(sys.cnodeInvoke(.cnodeSaveCaller, [occupied, 64]), .deleteFirst)
        // Nothing in the caller slot: success, nothing moves.
        expectKernelReply(sys.cnodeInvoke(.cnodeSaveCaller, [empty, 64]), .noError)
        expectKernelReply(sys.cnodeInvoke(.cnodeSaveCaller, [empty, 0]), .rangeError, [1, 64])
        #expect(CSpaceState(sys) == before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: ERR-3: decode errors are silent for Send and NBSend

    @Test func err3_cnodeDecodeErrorsAreSilentForSendAndNBSend() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let other = sys.make(ObjectType.endpoint)
        let before = CSpaceState(sys)
        let info = MessageInfo(label: InvocationLabel.cnodeCopy.rawValue, extraCaps: 1, length: 5)
        for call in [Syscall.send, .nbSend] {
            sys.syscall(call, by: sys.root, cap: rootCNodeSlot, info: info, mrs: [other, 64, ep, 64, 0xF],
                        extraCaps: [rootCNodeSlot])
            // No reply: the registers still hold what the root put there.
            #expect(sys.registers(of: sys.root).info == info)
            #expect(sys.root[register: RegisterFile.badgeRegister] == rootCNodeSlot)
            #expect(sys.root.state == .running)
        }
        #expect(CSpaceState(sys) == before)
        // A valid Send performs the operation with no reply.
        let dest = sys.allocateSlot()
        sys.syscall(.send, by: sys.root, cap: rootCNodeSlot, info: info, mrs: [dest, 64, ep, 64, 0xF], extraCaps: [rootCNodeSlot])
        #expect(sys.capability(at: dest).type == .endpoint)
        #expect(sys.registers(of: sys.root).info == info)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
    /// A thread whose CSpace root is a CNode that holds the only cap to the thread itself:
    /// once the root's CNode cap is gone, only revoking their untyped can reclaim them, and the
    /// deletion walk must cope with the cycle.
    @Test func cnode8_threadAndItsCSpaceInACycleThenRevokeUntyped() {
        let sys = TestSystem()
        let ut = makeUntyped(sys, bits: 14)
        let a = sys.allocateSlot(), tcb = sys.allocateSlot()
        expectKernelReply(sys.invoke(ut, label: .untypedRetype, args: [ObjectType.cnode, 2, 0, 0, a, 1],
                                     extraCaps: [rootCNodeSlot]), .noError)
        expectKernelReply(sys.invoke(ut, label: .untypedRetype, args: [ObjectType.thread, 0, 0, 0, tcb, 1],
                                     extraCaps: [rootCNodeSlot]), .noError)
        let t = sys.thread(at: tcb)
        let aAddress = sys.capability(at: a).address
        let ep = sys.make(ObjectType.endpoint)
        expectKernelReply(sys.invoke(tcb, label: .tcbConfigure, args: [0, 0, 0, 0],
                                     extraCaps: [a, Word(InitialSlot.vspace), Word(InitialSlot.ipcBuffer)]), .noError)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetPriority, args: [100], extraCaps: [rootThreadSlot]), .noError)
        expectKernelReply(sys.invoke(tcb, label: .tcbResume, args: []), .noError)
        // The thread blocks on an endpoint it reaches through its own CSpace (A slot 1, CPtr 1 << 62).
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [1, 2, ep, 64, 0xF], cnode: a), .noError)
        sys.syscall(.send, by: t, cap: 1 << 62, info: MessageInfo(label: 0, length: 0))
        #expect(t.state == .blockedOnSend && sys.endpointState(ep) == .send)
        expectKernelReply(sys.cnodeInvoke(.cnodeMove, [0, 2, tcb, 64], cnode: a), .noError)
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [a, 64]), .noError)
        // Neither object was finalised: each still has a cap (in the other).
        #expect(t.state == .blockedOnSend)
        #expect(sys.capability(atSlotAddress: aAddress).type == .thread)
        expectKernelReply(sys.cnodeInvoke(.cnodeRevoke, [ut, 64]), .noError)
        #expect(t.state == .inactive)
        #expect(sys.endpointState(ep) == .idle)
        for which in [ThreadSlot.cspace, .vspace, .reply, .caller, .ipcBuffer] { #expect(t.slot(which).cap.isNull) }
        for i: Word in 0..<4 { #expect(sys.rawSlot(atAddress: aAddress + i * 32) == [0, 0, 0, 0]) }
        #expect(sys.capability(at: ep).type == .endpoint)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// A thread deleting the last cap to its own TCB stops, gets no reply, and another runs.
    @Test func cnode8_threadDeletingItsOwnLastTCBCap() {
        let sys = TestSystem()
        let (tcb, t) = sys.spawn(priority: 100)
        let info = MessageInfo(label: InvocationLabel.cnodeDelete.rawValue, length: 2)
        sys.syscall(.call, by: t, cap: rootCNodeSlot, info: info, mrs: [tcb, 64])
        #expect(t.state == .inactive)
        #expect(sys.capability(at: tcb).isNull)
        #expect(t[register: RegisterFile.msgInfoRegister] == info.rawValue)
        #expect(sys.kernel.currentThread == sys.root)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// Rotate and Move keep CDT positions: rotated and moved children are still revoked.
    @Test func cnode7_rotatedAndMovedChildrenAreStillRevoked() {
        let sys = TestSystem()
        let ut = makeUntyped(sys, bits: 14)
        let f1 = sys.allocateSlot(), f2 = sys.allocateSlot()
        expectKernelReply(sys.invoke(ut, label: .untypedRetype, args: [ObjectType.smallPage, 0, 0, 0, f1, 2],
                                     extraCaps: [rootCNodeSlot]), .noError)
        let other = sys.make(ObjectType.smallPage)
        let dest = sys.allocateSlot()
        // f2 → dest, f1 → f2 (a frame from another untyped stays out of the revoke).
        expectKernelReply(sys.cnodeInvoke(.cnodeRotate, [dest, 64, 0, f2, 64, 0, f1, 64],
                                          extraCaps: [rootCNodeSlot, rootCNodeSlot]), .noError)
        let moved = sys.allocateSlot()
        expectKernelReply(sys.cnodeInvoke(.cnodeMove, [moved, 64, f2, 64]), .noError)
        // Swap the moved child with the unrelated frame (dest == src).
        expectKernelReply(sys.cnodeInvoke(.cnodeRotate, [moved, 64, 0, other, 64, 0, moved, 64],
                                          extraCaps: [rootCNodeSlot, rootCNodeSlot]), .noError)
        #expect(sys.capability(at: other).type == .frame && sys.capability(at: moved).type == .frame)
        expectKernelReply(sys.cnodeInvoke(.cnodeRevoke, [ut, 64]), .noError)
        #expect(sys.capability(at: dest).isNull && sys.capability(at: other).isNull)
        #expect(sys.capability(at: moved).type == .frame)
        #expect(sys.capability(at: f1).isNull && sys.capability(at: f2).isNull)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
    /// XFER-7/CNODE-3 arch rule: an unmapped paging structure cannot be derived (Copy, Mint),
    /// and is not a valid VSpace root; the initial thread's (mapped) VSpace can.
    @Test func cnode3_unmappedPagingStructuresDoNotDerive() {
        let sys = TestSystem()
        #if arch(x86_64)
        let vspaceType: Word = 6, pageTableType: Word = 10
        #elseif arch(arm64)
        let vspaceType: Word = 6, pageTableType: Word = 9
        #else
        let vspaceType: Word = 8, pageTableType: Word = 8
        #endif
        let vspace = sys.make(vspaceType)
        let pt = sys.make(pageTableType)
        #expect(sys.capability(at: vspace).type == .pageTable && !sys.capability(at: vspace).pageTableIsMapped)
        let dest = sys.allocateSlot()
        let tcb = sys.make(ObjectType.thread)
        let t = sys.thread(at: tcb)
        let before = CSpaceState(sys)
        let threadBefore = ThreadSnapshot(sys, t)
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [dest, 64, vspace, 64, 0xF]), .illegalOperation)
        expectKernelReply(sys.cnodeInvoke(.cnodeMint, [dest, 64, pt, 64, 0xF, 0]), .illegalOperation)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetSpace, args: [0, 0, 0], extraCaps: [rootCNodeSlot, vspace]),
                          .illegalOperation)
        #expect(ThreadSnapshot(sys, t) == threadBefore)
        #expect(CSpaceState(sys) == before)
        // Move needs no derivation; the mapped initial VSpace copies fine.
        expectKernelReply(sys.cnodeInvoke(.cnodeMove, [dest, 64, vspace, 64]), .noError)
        let copy = sys.allocateSlot()
        expectKernelReply(sys.cnodeInvoke(.cnodeCopy, [copy, 64, Word(InitialSlot.vspace), 64, 0xF]), .noError)
        #expect(sys.capability(at: copy).pageTableIsMapped)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
    /// Rotate with dest == src on two CDT neighbours (an original frame and its copy): the
    /// swap must keep the list consistent, and the original keeps its children.
    @Test func cnode7_swapOfCDTNeighboursKeepsTheTreeConsistent() {
        let sys = TestSystem()
        let original = sys.make(ObjectType.smallPage)
        let copy = sys.copy(original).slot
        let originalAddress = sys.slotAddress(original), copyAddress = sys.slotAddress(copy)
        #expect(sys.cdtNext(ofSlotAddress: originalAddress) == copyAddress)
        let origCap = sys.capability(at: original), copyCap = sys.capability(at: copy)
        expectKernelReply(sys.cnodeInvoke(.cnodeRotate, [original, 64, 0, copy, 64, 0, original, 64],
                                          extraCaps: [rootCNodeSlot, rootCNodeSlot]), .noError)
        // The original (revocable) entry now lives in `copy`, before the copy now in `original`.
        #expect(sys.capability(at: copy) == origCap && sys.capability(at: original) == copyCap)
        #expect(sys.isRevocable(slotAddress: copyAddress) && !sys.isRevocable(slotAddress: originalAddress))
        #expect(sys.cdtNext(ofSlotAddress: copyAddress) == originalAddress)
        #expect(sys.cdtPrev(ofSlotAddress: originalAddress) == copyAddress)
        expectKernelReply(sys.cnodeInvoke(.cnodeRevoke, [copy, 64]), .noError)
        #expect(sys.capability(at: original).isNull && sys.capability(at: copy) == origCap)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// REPLY-7: Mutate of a reply cap moves it unchanged (whatever the data word).
    @Test func cnode6_mutateOfReplyCapMovesIt() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let server = sys.spawn(priority: 100).thread, client = sys.spawn(priority: 100).thread
        sys.syscall(.recv, by: server, cap: ep)
        sys.syscall(.call, by: client, cap: ep, info: MessageInfo(label: 1, length: 0))
        let saved = sys.allocateSlot(), moved = sys.allocateSlot()
        expectKernelReply(sys.cnodeInvoke(.cnodeSaveCaller, [saved, 64], by: server), .noError)
        let replyCap = sys.capability(at: saved)
        #expect(replyCap.type == .reply && server.slot(.caller).cap.isNull)
        expectKernelReply(sys.cnodeInvoke(.cnodeMutate, [moved, 64, saved, 64, 0x55]), .noError)
        #expect(sys.capability(at: moved) == replyCap && sys.capability(at: saved).isNull)
        // It still works as the client's reply cap (REPLY-6), and is used up.
        sys.syscall(.send, by: server, cap: moved, info: MessageInfo(label: 9, length: 0))
        #expect(client.state == .running && sys.registers(of: client).info.label == 9)
        #expect(sys.capability(at: moved).isNull)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// LOOKUP-2: thread lookups start at the TCB's CSpace slot, not at any CNode slot: the
    /// root may delete its own root-CNode cap (slot 2) and keep using its CSpace.
    @Test func lookup2_rootDeletingItsCNodeCapKeepsItsCSpace() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let r = sys.spawn(priority: 100).thread
        sys.syscall(.recv, by: r, cap: ep)
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [rootCNodeSlot, 64]), .noError)
        #expect(sys.capability(at: rootCNodeSlot).isNull)
        #expect(sys.root.slot(.cspace).cap.type == .cnode)
        // CPtr 2 is now an empty slot: invoking it is InvalidCapability.
        expectKernelReply(sys.invoke(rootCNodeSlot, label: .cnodeDelete, args: [ep, 64]), .invalidCapability, [0])
        // Other caps still resolve through the TCB's CSpace root.
        sys.syscall(.send, by: sys.root, cap: ep, info: MessageInfo(label: 12, length: 0))
        #expect(r.state == .running && sys.registers(of: r).info.label == 12)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
}
