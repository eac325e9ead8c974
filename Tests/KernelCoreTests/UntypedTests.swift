import Testing
import KernelCore
import KernelTestSupport

/// `seL4_Untyped_Retype`: every check of decode-facts.md section 1.1 in seL4's order, each
/// leaving the kernel unchanged, then the watermark, alignment, device and reset rules.
@Suite struct UntypedTests {
    /// Retype args: type, size, node index, node depth, node offset, node window.
    private func retype(_ sys: TestSystem, _ ut: Word, type: Word, size: Word = 0, index: Word = 0, depth: Word = 0,
                        offset: Word, window: Word = 1, root: Word? = rootCNodeSlot, length: Int? = nil,
                        label: InvocationLabel = .untypedRetype) -> TestSystem.Registers {
        var args = [type, size, index, depth, offset, window]
        if let length { args = Array(args.prefix(length)) }
        return sys.invoke(ut, label: label, args: args, extraCaps: root.map { [$0] } ?? [])
    }

    @Test func untyped1_wrongLabelIsIllegalOperation() {
        let sys = TestSystem()
        let ut = makeUntyped(sys, bits: 16)
        let dest = sys.allocateSlot()
        let before = CSpaceState(sys)
        for label: Word in [0, 2, 20, 1000] {
            let r = sys.invoke(ut, label: label, args: [ObjectType.endpoint, 0, 0, 0, dest, 1], extraCaps: [rootCNodeSlot])
            expectKernelReply(r, .illegalOperation)
        }
        #expect(CSpaceState(sys) == before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func untyped2_fewerThanSixWordsOrNoRootIsTruncated() {
        let sys = TestSystem()
        let ut = makeUntyped(sys, bits: 16)
        let dest = sys.allocateSlot()
        let before = CSpaceState(sys)
        // Truncation is checked before the type (an invalid type would be InvalidArgument(0)).
        expectKernelReply(retype(sys, ut, type: 999, offset: dest, length: 5), .truncatedMessage)
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, offset: dest, length: 0), .truncatedMessage)
        expectKernelReply(retype(sys, ut, type: 999, offset: dest, root: nil), .truncatedMessage)
        #expect(CSpaceState(sys) == before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func untyped4_unknownTypeIsInvalidArgument0() {
        let sys = TestSystem()
        let ut = makeUntyped(sys, bits: 16)
        let dest = sys.allocateSlot()
        let before = CSpaceState(sys)
        expectKernelReply(retype(sys, ut, type: ObjectType.count, offset: dest), .invalidArgument, [0])
        // Before the size check and the destination checks.
        expectKernelReply(retype(sys, ut, type: ObjectType.count + 5, size: 64, depth: 65, offset: 99999),
                          .invalidArgument, [0])
        #expect(CSpaceState(sys) == before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func untyped6_sizeRangeErrorIs0To47EvenForFixedSizeTypes() {
        let sys = TestSystem()
        let ut = makeUntyped(sys, bits: 16)
        let dest = sys.allocateSlot()
        let before = CSpaceState(sys)
        // userObjSize >= 64, for any type.
        expectKernelReply(retype(sys, ut, type: ObjectType.thread, size: 64, offset: dest), .rangeError, [0, 47])
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, size: ~Word(0), offset: dest), .rangeError, [0, 47])
        // Object size above 47 bits.
        expectKernelReply(retype(sys, ut, type: ObjectType.untyped, size: 48, offset: dest), .rangeError, [0, 47])
        expectKernelReply(retype(sys, ut, type: ObjectType.cnode, size: 43, offset: dest), .rangeError, [0, 47])
        // The range error comes before the destination checks.
        expectKernelReply(retype(sys, ut, type: ObjectType.untyped, size: 48, depth: 65, offset: 99999), .rangeError, [0, 47])
        #expect(CSpaceState(sys) == before)
        // A fixed-size type ignores a size below 64: a TCB with size 50 is made.
        expectKernelReply(retype(sys, ut, type: ObjectType.thread, size: 50, offset: dest), .noError)
        #expect(sys.capability(at: dest).type == .thread)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func untyped7_cnodeSizeZeroAndSmallUntypedAreInvalidArgument1() {
        let sys = TestSystem()
        let ut = makeUntyped(sys, bits: 16)
        let dest = sys.allocateSlot()
        let before = CSpaceState(sys)
        expectKernelReply(retype(sys, ut, type: ObjectType.cnode, size: 0, offset: dest), .invalidArgument, [1])
        expectKernelReply(retype(sys, ut, type: ObjectType.untyped, size: 3, offset: dest), .invalidArgument, [1])
        expectKernelReply(retype(sys, ut, type: ObjectType.untyped, size: 0, offset: dest), .invalidArgument, [1])
        // Before the destination lookup.
        expectKernelReply(retype(sys, ut, type: ObjectType.cnode, size: 0, depth: 65, offset: dest), .invalidArgument, [1])
        #expect(CSpaceState(sys) == before)
        // The smallest untyped (4 bits) and a radix-1 CNode are fine.
        expectKernelReply(retype(sys, ut, type: ObjectType.untyped, size: 4, offset: dest), .noError)
        #expect(sys.capability(at: dest).untypedSizeBits == 4)
        let dest2 = sys.allocateSlot()
        expectKernelReply(retype(sys, ut, type: ObjectType.cnode, size: 1, offset: dest2), .noError)
        #expect(sys.capability(at: dest2).cnodeRadix == 1)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func untyped9_destinationCNodeLookupErrors() {
        let sys = TestSystem()
        let ut = makeUntyped(sys, bits: 16)
        let ep = sys.make(ObjectType.endpoint)
        let emptySlot = sys.allocateSlot()
        let before = CSpaceState(sys)
        // Depth out of 1...64.
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, index: rootCNodeSlot, depth: 65, offset: 0),
                          .rangeError, [1, 64])
        // A depth the root CNode's 54-bit guard cannot fit: GuardMismatch(guard 0, 54 bits, 10 left).
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, index: rootCNodeSlot, depth: 10, offset: 0),
                          .failedLookup, [0, 4, 10, 0, 54])
        // The slot found does not hold a CNode: MissingCapability(bitsLeft = node depth).
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, index: ep, depth: 64, offset: 0),
                          .failedLookup, [0, 2, 64])
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, index: emptySlot, depth: 64, offset: 0),
                          .failedLookup, [0, 2, 64])
        // Depth 0 uses the root cap itself: not a CNode gives MissingCapability(0), not InvalidRoot.
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, depth: 0, offset: 0, root: ep),
                          .failedLookup, [0, 2, 0])
        // A non-CNode root with a depth: the lookup reports InvalidRoot.
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, index: 0, depth: 64, offset: 0, root: ep),
                          .failedLookup, [0, 1])
        #expect(CSpaceState(sys) == before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func untyped9_retypeIntoAnotherCNodeByIndexOrByRoot() {
        let sys = TestSystem()
        let ut = makeUntyped(sys, bits: 16)
        let c = sys.make(ObjectType.cnode, size: 3)
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, index: c, depth: 64, offset: 6, window: 2), .noError)
        #expect(sys.capability(6, inCNodeAt: c).type == .endpoint && sys.capability(7, inCNodeAt: c).type == .endpoint)
        // Depth 0: the extra cap itself is the destination CNode.
        expectKernelReply(retype(sys, ut, type: ObjectType.notification, depth: 0, offset: 0, root: c), .noError)
        #expect(sys.capability(0, inCNodeAt: c).type == .notification)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func untyped11_offsetAndWindowRangeErrors() {
        let sys = TestSystem()
        let ut = makeUntyped(sys, bits: 16)
        let c = sys.make(ObjectType.cnode, size: 3)
        let before = CSpaceState(sys, cnodes: [c])
        // Offset beyond the CNode: RangeError(0, size-1); root CNode radix 10.
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, offset: 1024), .rangeError, [0, 1023])
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, index: c, depth: 64, offset: 8), .rangeError, [0, 7])
        // The offset check precedes the window check.
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, index: c, depth: 64, offset: 8, window: 0),
                          .rangeError, [0, 7])
        // Window outside 1...fan-out limit.
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, index: c, depth: 64, offset: 0, window: 0),
                          .rangeError, [1, 256])
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, offset: 0, window: 257), .rangeError, [1, 256])
        // Window past the end of the CNode: RangeError(1, size - offset).
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, index: c, depth: 64, offset: 6, window: 3),
                          .rangeError, [1, 2])
        #expect(CSpaceState(sys, cnodes: [c]) == before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func untyped14_occupiedSlotInWindowIsDeleteFirst() {
        let sys = TestSystem()
        let ut = makeUntyped(sys, bits: 12)
        let first = sys.allocateSlot(), second = sys.allocateSlot()
        _ = sys.allocateSlot()
        let occupied = sys.make(ObjectType.notification)
        #expect(occupied == second + 2)
        let utBefore = sys.capability(at: ut)
        let before = CSpaceState(sys)
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, offset: first, window: 4), .deleteFirst)
        // DeleteFirst comes before the memory check (256 frames cannot fit in 4 KiB).
        expectKernelReply(retype(sys, ut, type: ObjectType.smallPage, offset: first, window: 4), .deleteFirst)
        #expect(CSpaceState(sys) == before)
        #expect(sys.capability(at: ut) == utBefore)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func untyped16_notEnoughMemoryReportsBytesLeft() {
        let sys = TestSystem()
        let ut = makeUntyped(sys, bits: 12)
        let dest = sys.allocateSlot()
        for _ in 0..<3 { _ = sys.allocateSlot() }
        let before = CSpaceState(sys)
        expectKernelReply(retype(sys, ut, type: ObjectType.smallPage, offset: dest, window: 2), .notEnoughMemory, [4096])
        expectKernelReply(retype(sys, ut, type: ObjectType.untyped, size: 13, offset: dest), .notEnoughMemory, [4096])
        #expect(CSpaceState(sys) == before)
        // After one 16-byte endpoint, a 4 KiB frame no longer fits; the bytes left are counted
        // from the unaligned watermark.
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, offset: dest), .noError)
        expectKernelReply(retype(sys, ut, type: ObjectType.smallPage, offset: dest + 1), .notEnoughMemory, [4080])
        // 255 more endpoints fill the untyped exactly; then nothing is left.
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, offset: dest + 1, window: 2), .noError)
        #expect(sys.capability(at: ut).untypedFreeIndex == 48)
        let c = sys.make(ObjectType.cnode, size: 8)
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, index: c, depth: 64, offset: 0, window: 253), .noError)
        #expect(sys.capability(at: ut).untypedFreeIndex == 4096)
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, index: c, depth: 64, offset: 253), .notEnoughMemory, [0])
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func untyped17_deviceUntypedMakesOnlyFramesAndUntypeds() {
        let sys = TestSystem(deviceBytes: 1 << 16)
        let devices = sys.deviceUntypedSlots
        #expect(!devices.isEmpty)
        guard let device = devices.first else { return }
        let deviceCap = sys.capability(at: device)
        #expect(deviceCap.untypedIsDevice && deviceCap.untypedSizeBits == 16)
        let dest = sys.allocateSlot()
        let before = CSpaceState(sys)
        for type in [ObjectType.thread, ObjectType.endpoint, ObjectType.notification, ObjectType.cnode] {
            expectKernelReply(retype(sys, device, type: type, size: type == ObjectType.cnode ? 2 : 0, offset: dest),
                              .invalidArgument, [1])
        }
        // The memory check comes first: a too-large CNode is NotEnoughMemory, not InvalidArgument.
        expectKernelReply(retype(sys, device, type: ObjectType.cnode, size: 12, offset: dest), .notEnoughMemory, [1 << 16])
        #expect(CSpaceState(sys) == before)
        // Frames and untypeds are allowed, and inherit device-ness.
        expectKernelReply(retype(sys, device, type: ObjectType.smallPage, offset: dest), .noError)
        #expect(sys.capability(at: dest).type == .frame && sys.capability(at: dest).frameIsDevice)
        let child = sys.allocateSlot()
        expectKernelReply(retype(sys, device, type: ObjectType.untyped, size: 12, offset: child), .noError)
        #expect(sys.capability(at: child).untypedIsDevice)
        let dest2 = sys.allocateSlot()
        expectKernelReply(retype(sys, child, type: ObjectType.endpoint, offset: dest2), .invalidArgument, [1])
        #expect(sys.capability(at: dest2).isNull)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func untyped18_objectsAreAlignedAboveTheWatermark() {
        let sys = TestSystem()
        let ut = makeUntyped(sys, bits: 14)
        let base = sys.capability(at: ut).address
        #expect(base & 0x3FFF == 0)
        let ep1 = sys.allocateSlot()
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, offset: ep1), .noError)
        #expect(sys.capability(at: ep1).address == base)
        #expect(sys.capability(at: ut).untypedFreeIndex == 16)
        let frame = sys.allocateSlot()
        expectKernelReply(retype(sys, ut, type: ObjectType.smallPage, offset: frame), .noError)
        #expect(sys.capability(at: frame).address == base + 4096)
        #expect(sys.capability(at: ut).untypedFreeIndex == 8192)
        let ep2 = sys.allocateSlot()
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, offset: ep2), .noError)
        #expect(sys.capability(at: ep2).address == base + 8192)
        let ntfns = sys.allocateSlot()
        _ = sys.allocateSlot()
        expectKernelReply(retype(sys, ut, type: ObjectType.notification, offset: ntfns, window: 2), .noError)
        #expect(sys.capability(at: ntfns).address == base + 8192 + 32)
        #expect(sys.capability(at: ntfns + 1).address == base + 8192 + 64)
        #expect(sys.capability(at: ut).untypedFreeIndex == 8192 + 96)
        // The watermark never goes back while children exist: the gap below the frame stays unused.
        let ep3 = sys.allocateSlot()
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, offset: ep3), .noError)
        #expect(sys.capability(at: ep3).address == base + 8192 + 96)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func untyped19_newCapsAreOriginalChildrenInReverseOrder() {
        let sys = TestSystem()
        let ut = makeUntyped(sys, bits: 12)
        let first = sys.allocateSlot()
        _ = sys.allocateSlot(); _ = sys.allocateSlot()
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, offset: first, window: 3), .noError)
        // parent → cap[2] → cap[1] → cap[0].
        #expect(sys.cdtNext(ofSlotAddress: sys.slotAddress(ut)) == sys.slotAddress(first + 2))
        #expect(sys.cdtNext(ofSlotAddress: sys.slotAddress(first + 2)) == sys.slotAddress(first + 1))
        #expect(sys.cdtNext(ofSlotAddress: sys.slotAddress(first + 1)) == sys.slotAddress(first))
        for slot in first..<(first + 3) {
            #expect(sys.isRevocable(slotAddress: sys.slotAddress(slot)))
            let cap = sys.capability(at: slot)
            #expect(cap.type == .endpoint && cap.badge == 0 && cap.rights == .all)
        }
        // Fresh objects: an untyped with watermark 0, a CNode without guard, a TCB at priority 0.
        let child = sys.allocateSlot()
        expectKernelReply(retype(sys, ut, type: ObjectType.untyped, size: 5, offset: child), .noError)
        #expect(sys.capability(at: child).untypedFreeIndex == 0 && sys.capability(at: child).untypedSizeBits == 5)
        let cnode = sys.make(ObjectType.cnode, size: 5)
        #expect(sys.capability(at: cnode).cnodeRadix == 5 && sys.capability(at: cnode).cnodeGuardSize == 0)
        let tcb = sys.make(ObjectType.thread)
        let t = sys.thread(at: tcb)
        #expect(t.priority == 0 && t.maxControlledPriority == 0 && t.state == .inactive && t.boundNotification == nil)
        let frame = sys.make(ObjectType.smallPage)
        #expect(sys.capability(at: frame).frameRights == .readWrite && !sys.capability(at: frame).frameIsDevice)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    @Test func untyped15_resetAfterAllChildrenRevokedOrDeleted() {
        let sys = TestSystem()
        let ut = makeUntyped(sys, bits: 14)
        let base = sys.capability(at: ut).address
        let a = sys.allocateSlot(), b = sys.allocateSlot()
        expectKernelReply(retype(sys, ut, type: ObjectType.smallPage, offset: a, window: 2), .noError)
        #expect(sys.capability(at: ut).untypedFreeIndex == 8192)
        // Write into a frame to see that the reset zeroes reused memory.
        UnsafeMutablePointer<Word>(bitPattern: UInt(sys.capability(at: a).address))!.pointee = 0xFEED
        // One child left: no reset, the watermark continues.
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [a, 64]), .noError)
        let c = sys.allocateSlot()
        expectKernelReply(retype(sys, ut, type: ObjectType.smallPage, offset: c), .noError)
        #expect(sys.capability(at: c).address == base + 8192)
        // Revoke removes every child; Revoke itself does not move the watermark.
        expectKernelReply(sys.cnodeInvoke(.cnodeRevoke, [ut, 64]), .noError)
        #expect(sys.capability(at: b).isNull && sys.capability(at: c).isNull)
        #expect(sys.capability(at: ut).untypedFreeIndex == 12288)
        // The next retype finds no children and starts again at the base.
        expectKernelReply(retype(sys, ut, type: ObjectType.untyped, size: 14, offset: a), .noError)
        #expect(sys.capability(at: a).address == base)
        #expect(sys.capability(at: ut).untypedFreeIndex == 16384)
        #expect(UnsafeMutablePointer<Word>(bitPattern: UInt(base))!.pointee == 0)
        // Deleting that only child one by one also allows a reset.
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [a, 64]), .noError)
        expectKernelReply(retype(sys, ut, type: ObjectType.endpoint, offset: a), .noError)
        #expect(sys.capability(at: a).address == base)
        #expect(sys.capability(at: ut).untypedFreeIndex == 16)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
}
