import Testing
@testable import KernelCore
import KernelTestSupport

// Sv39 paging as seL4 objects (page tables, frames, ASID pools), the timer tick and RISC-V
// exceptions. Each test names the clauses of docs/notes/riscv-vspace-facts.md it checks.

/// libsel4 16.x's riscv64 paging labels (`invocation-labels-seL4-16.txt`) and the host's object types used for Sv39 objects.
private enum VS {
    static let pageTableMap: Word = 33
    static let pageTableUnmap: Word = 34
    static let pageMap: Word = 35
    static let pageUnmap: Word = 36
    static let pageGetAddress: Word = 37
    static let asidControlMakePool: Word = 38
    static let asidPoolAssign: Word = 39

    #if arch(x86_64)
    /// A VSpace root (x86 PML4, page-table level 0).
    static let rootType: Word = 6
    /// An intermediate table (x86 page table).
    static let tableType: Word = 10
    static let frame4K: Word = 8
    static let frame2M: Word = 9
    #elseif arch(arm64)
    static let rootType: Word = 6
    static let tableType: Word = 9
    static let frame4K: Word = 7
    static let frame2M: Word = 8
    #else
    static let rootType: Word = 8
    static let tableType: Word = 8
    static let frame4K: Word = 6
    static let frame2M: Word = 7
    #endif

    static let userTop: Word = 0x3F_FFFF_F000
    static let cnode = Word(InitialSlot.cnode)
    static let itVSpace = Word(InitialSlot.vspace)
    static let asidControl = Word(InitialSlot.asidControl)
    static let asidPool = Word(InitialSlot.asidPool)

    /// A user leaf with every permission (seL4 makeUserPTE with ReadWrite, executable).
    static let rwx: Word = PTE.valid | PTE.read | PTE.write | PTE.execute | PTE.user | PTE.accessed | PTE.dirty

    /// The PTE for the frame at `address` with permission bits `bits`.
    static func leaf(_ address: Word, _ bits: Word) -> Word { (address >> 12) << 10 | bits }
}

/// Words of a 4 KiB paging object at `address`.
private func vsWords(_ address: Word, count: Int = 512) -> [Word] {
    let p = UnsafePointer<Word>(bitPattern: UInt(address))!
    return (0..<count).map { p[$0] }
}

/// The entry that translates `vaddr` in the VSpace rooted at `root`, found the way Sv39
/// hardware walks (independently of the kernel's walker), and the address bits it covers.
private func vsWalk(_ root: Word, _ vaddr: Word) -> (entry: Word, bits: Int) {
    var table = root, bits = 30
    while true {
        let entry = UnsafePointer<Word>(bitPattern: UInt(table))![Int((vaddr >> Word(bits)) & 511)]
        if bits == 12 || !PTE.isTable(entry) { return (entry, bits) }
        table = PTE.address(entry)
        bits -= 9
    }
}

private extension TestSystem {
    func vsAddress(_ slot: Word) -> Word { capability(at: slot).address }

    /// `seL4_RISCV_ASIDPool_Assign(pool, vspace)`.
    @discardableResult
    func vsAssign(_ vspace: Word, pool: Word = VS.asidPool) -> Registers {
        invoke(pool, label: VS.asidPoolAssign, args: [], extraCaps: [vspace])
    }

    /// A new page table made a VSpace root by `pool`.
    func vsNewRoot(pool: Word = VS.asidPool) -> Word {
        let root = make(VS.rootType)
        let r = vsAssign(root, pool: pool)
        #expect(r.info.label == 0, "Assign failed: \(r)")
        return root
    }

    @discardableResult
    func vsMapTable(_ table: Word, in root: Word, at vaddr: Word) -> Registers {
        invoke(table, label: VS.pageTableMap, args: [vaddr, 0], extraCaps: [root])
    }

    @discardableResult
    func vsMapFrame(_ frame: Word, in root: Word, at vaddr: Word, rights: CapRights = .all, attr: Word = 0) -> Registers {
        invoke(frame, label: VS.pageMap, args: [vaddr, rights.rawValue, attr], extraCaps: [root])
    }

    /// Tables so that 4 KiB frames can be mapped at `vaddr` in `root`; returns (level-1 table,
    /// level-2 table).
    func vsTables(in root: Word, at vaddr: Word) -> (Word, Word) {
        let t1 = make(VS.tableType), t2 = make(VS.tableType)
        expectKernelReply(vsMapTable(t1, in: root, at: vaddr), .noError)
        expectKernelReply(vsMapTable(t2, in: root, at: vaddr), .noError)
        return (t1, t2)
    }

    /// A new VSpace with the tables for 0x40_0000 and a 4 KiB frame mapped at `vaddr` in
    /// them; returns the root, the last-level table and the frame.
    func vsFrameMapped(at vaddr: Word) -> (root: Word, table: Word, frame: Word) {
        let root = vsNewRoot()
        let (_, t2) = vsTables(in: root, at: 0x40_0000)
        let frame = make(VS.frame4K)
        expectKernelReply(vsMapFrame(frame, in: root, at: vaddr), .noError)
        return (root, t2, frame)
    }

    /// A thread running in a new VSpace that maps a 4 KiB frame at 0x40_1000.
    func vsThreadInNewVSpace() -> (root: Word, rootAddress: Word, table: Word, frame: Word, tcb: Word, thread: Thread) {
        let (root, t2, frame) = vsFrameMapped(at: 0x40_1000)
        let (tcb, t) = spawn()
        expectKernelReply(invoke(tcb, label: .tcbSetSpace, args: [0, 0, 0], extraCaps: [VS.cnode, root]), .noError)
        return (root, vsAddress(root), t2, frame, tcb, t)
    }

    /// `seL4_RISCV_ASIDControl_MakePool` from a fresh 4 KiB untyped into a new slot.
    func vsMakePool() -> Word {
        let ut = make(ObjectType.untyped, size: 12)
        let dest = allocateSlot()
        expectKernelReply(invoke(VS.asidControl, label: VS.asidControlMakePool, args: [dest, 64], extraCaps: [ut, VS.cnode]),
                          .noError)
        return dest
    }
}

@Suite struct VSpaceTests {
    // MARK: ASID pools (facts 3.3, 3.4)

    /// facts 3.3f, 3.3g, 3.4: Assign gives an unmapped page table the first free ASID of the
    /// pool (ASID 0 is never handed out, ASID 1 is the initial thread's), marks the cap mapped
    /// at address 0 and writes the root into the pool.
    @Test func asidPoolAssign_givesFirstFreeASIDAndFillsPool() {
        let sys = TestSystem(paging: .sv39)
        let pool = sys.vsAddress(VS.asidPool)
        #expect(sys.capability(at: VS.asidPool).asidPoolBase == 0)
        #expect(sys.capability(at: VS.itVSpace).mapping.asid == ASID.initialThread)
        #expect(vsWords(pool)[1] == sys.vsAddress(VS.itVSpace))
        let a = sys.make(VS.rootType), b = sys.make(VS.rootType)
        #expect(!sys.capability(at: a).pageTableIsMapped && sys.capability(at: a).mapping.asid == 0)
        expectKernelReply(sys.vsAssign(a), .noError)
        expectKernelReply(sys.vsAssign(b), .noError)
        let capA = sys.capability(at: a), capB = sys.capability(at: b)
        #expect(capA.pageTableIsMapped && capA.mapping.asid == 2 && capA.mapping.address == 0)
        #expect(capB.pageTableIsMapped && capB.mapping.asid == 3 && capB.mapping.address == 0)
        let words = vsWords(pool)
        #expect(words[0] == 0)  // ASID 0 is asidInvalid
        #expect(words[2] == capA.address && words[3] == capB.address)
        #expect(words[4...].allSatisfy { $0 == 0 })
        #expect(sys.kernel.findVSpace(asid: 2) == capA.address)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 3.3a, 3.3b, 3.3c: wrong label, no extra cap, a non-page-table cap or one already
    /// mapped (an assigned root, a second Assign of the same cap) fail and change nothing.
    @Test func asidPoolAssign_errors() {
        let sys = TestSystem(paging: .sv39)
        let ep = sys.make(ObjectType.endpoint)
        let frame = sys.make(VS.frame4K)
        let pt = sys.make(VS.rootType)
        expectKernelReply(sys.vsAssign(pt), .noError)
        let fresh = sys.make(VS.rootType)
        let before = CSpaceState(sys)
        let poolBefore = vsWords(sys.vsAddress(VS.asidPool))
        // a. Any other label.
        expectKernelReply(sys.invoke(VS.asidPool, label: VS.asidControlMakePool, args: [], extraCaps: [fresh]), .illegalOperation)
        expectKernelReply(sys.invoke(VS.asidPool, label: VS.pageTableMap, args: [], extraCaps: [fresh]), .illegalOperation)
        // b. No extra cap.
        expectKernelReply(sys.invoke(VS.asidPool, label: VS.asidPoolAssign, args: [], extraCaps: []), .truncatedMessage)
        expectKernelReply(sys.invoke(VS.asidPool, label: VS.asidPoolAssign, args: [fresh, 64], extraCaps: []), .truncatedMessage)
        // c. Not a page table, or already mapped (a root with an ASID; the same cap assigned twice).
        expectKernelReply(sys.vsAssign(ep), .invalidCapability, [1])
        expectKernelReply(sys.vsAssign(frame), .invalidCapability, [1])
        expectKernelReply(sys.vsAssign(VS.itVSpace), .invalidCapability, [1])
        expectKernelReply(sys.vsAssign(pt), .invalidCapability, [1])
        #expect(CSpaceState(sys) == before)
        #expect(vsWords(sys.vsAddress(VS.asidPool)) == poolBefore)
        #expect(sys.capability(at: pt).mapping.asid == 2)
        #expect(!sys.capability(at: fresh).pageTableIsMapped)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 3.3f: when every ASID of the pool is taken (510 in pool 0: ASID 0 is never used,
    /// ASID 1 is the initial thread's), Assign is DeleteFirst.
    @Test func asidPoolAssign_fullPoolIsDeleteFirst() {
        let sys = TestSystem(memoryBytes: 16 << 20, paging: .sv39)
        sys.checksInvariantsAfterSyscalls = false
        let first = sys.retype(VS.rootType, count: 255)
        let second = sys.retype(VS.rootType, count: 255)
        #expect(first.error == 0 && second.error == 0)
        var asids: Set<Word> = []
        for slot in Array(first.slot..<first.slot + 255) + Array(second.slot..<second.slot + 255) {
            expectKernelReply(sys.vsAssign(slot), .noError)
            asids.insert(sys.capability(at: slot).mapping.asid)
        }
        #expect(asids == Set(2...511))
        let extra = sys.make(VS.rootType)
        let before = CSpaceState(sys)
        expectKernelReply(sys.vsAssign(extra), .deleteFirst)
        #expect(CSpaceState(sys) == before)
        #expect(!sys.capability(at: extra).pageTableIsMapped)
        sys.checkInvariantsNow()
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: ASID control (facts 3.2)

    /// facts 3.2c, 3.2h, 3.3f, 3.4: MakePool turns a 4 KiB untyped into a pool for ASIDs 512..1023
    /// (the first free table entry after the boot pool), the untyped becomes fully used with
    /// the pool as its child, and the pool's first Assign gives ASID 512 (512 + 0 is not 0).
    @Test func asidControlMakePool_newPoolAssignsFrom512() {
        let sys = TestSystem(paging: .sv39)
        let ut = sys.make(ObjectType.untyped, size: 12)
        let utAddress = sys.vsAddress(ut)
        UnsafeMutablePointer<Word>(bitPattern: UInt(utAddress))!.pointee = 0xDEAD  // MakePool zeroes the pool
        let dest = sys.allocateSlot()
        expectKernelReply(sys.invoke(VS.asidControl, label: VS.asidControlMakePool, args: [dest, 64], extraCaps: [ut, VS.cnode]),
                          .noError)
        let pool = sys.capability(at: dest)
        #expect(pool.type == .asidPool && pool.address == utAddress && pool.asidPoolBase == 512)
        #expect(sys.capability(at: ut).untypedFreeIndex == 1 << 12)
        #expect(sys.kernel.hasChildren(Slot.at(base: sys.rootCNodeAddress, index: Int(ut))))
        #expect(sys.kernel.asidTable[1] == utAddress)
        #expect(vsWords(utAddress).allSatisfy { $0 == 0 })
        let root = sys.make(VS.rootType)
        expectKernelReply(sys.vsAssign(root, pool: dest), .noError)
        #expect(sys.capability(at: root).mapping.asid == 512 && sys.capability(at: root).pageTableIsMapped)
        #expect(vsWords(utAddress)[0] == sys.vsAddress(root))
        #expect(sys.kernel.findVSpace(asid: 512) == sys.vsAddress(root))
        // The boot pool still hands out its own ASIDs.
        let other = sys.vsNewRoot()
        #expect(sys.capability(at: other).mapping.asid == 2)
        // A second pool takes the next table entry.
        let second = sys.vsMakePool()
        #expect(sys.capability(at: second).asidPoolBase == 1024)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 3.2a, 3.2b, 3.2d, 3.2e, 3.2f, 3.2g: errors in seL4's order, none changing anything.
    @Test func asidControlMakePool_errorsInOrder() {
        let sys = TestSystem(paging: .sv39)
        let ut = sys.make(ObjectType.untyped, size: 12)
        let big = sys.make(ObjectType.untyped, size: 13)
        let small = sys.make(ObjectType.untyped, size: 11)
        let parent = sys.make(ObjectType.untyped, size: 12)
        let child = sys.allocateSlot()
        expectKernelReply(sys.invoke(parent, label: .untypedRetype, args: [ObjectType.endpoint, 0, 0, 0, child, 1],
                                     extraCaps: [VS.cnode]), .noError)
        let ep = sys.make(ObjectType.endpoint)
        let occupied = sys.make(ObjectType.endpoint)
        let dest = sys.allocateSlot()
        let before = CSpaceState(sys)
        func makePool(_ args: [Word], _ caps: [Word]) -> TestSystem.Registers {
            sys.invoke(VS.asidControl, label: VS.asidControlMakePool, args: args, extraCaps: caps)
        }
        // a. Any other label.
        expectKernelReply(sys.invoke(VS.asidControl, label: VS.asidPoolAssign, args: [dest, 64], extraCaps: [ut, VS.cnode]),
                          .illegalOperation)
        // b. Fewer than two words or a missing extra cap.
        expectKernelReply(makePool([dest], [ut, VS.cnode]), .truncatedMessage)
        expectKernelReply(makePool([dest, 64], [ut]), .truncatedMessage)
        // d. Not an untyped, not 4 KiB — before the destination is looked at.
        expectKernelReply(makePool([dest, 64], [ep, VS.cnode]), .invalidCapability, [1])
        expectKernelReply(makePool([dest, 64], [big, VS.cnode]), .invalidCapability, [1])
        expectKernelReply(makePool([dest, 64], [small, VS.cnode]), .invalidCapability, [1])
        expectKernelReply(makePool([occupied, 64], [big, ep]), .invalidCapability, [1])
        // e. An untyped with children, before the destination.
        expectKernelReply(makePool([dest, 64], [parent, VS.cnode]), .revokeFirst)
        expectKernelReply(makePool([occupied, 64], [parent, ep]), .revokeFirst)
        // f. Destination root not a CNode; depth out of range.
        expectKernelReply(makePool([dest, 64], [ut, ep]), .failedLookup, [0, 1])
        expectKernelReply(makePool([dest, 0], [ut, VS.cnode]), .rangeError, [1, 64])
        expectKernelReply(makePool([dest, 65], [ut, VS.cnode]), .rangeError, [1, 64])
        // ...and the resolver's failure, as the destination (a guard longer than the depth).
        expectKernelReply(makePool([dest, 10], [ut, VS.cnode]), .failedLookup, [0, 4, 10, 0, 54])
        // g. Occupied destination.
        expectKernelReply(makePool([occupied, 64], [ut, VS.cnode]), .deleteFirst)
        #expect(CSpaceState(sys) == before)
        #expect(sys.kernel.asidTable[1] == 0)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 3.2d: device memory cannot become an ASID pool.
    @Test func asidControlMakePool_deviceUntypedIsInvalidCapability() {
        let sys = TestSystem(deviceBytes: 1 << 16, paging: .sv39)
        guard let device = sys.deviceUntypedSlots.first else {
            Issue.record("no device untyped")
            return
        }
        let ut = sys.allocateSlot()
        expectKernelReply(sys.invoke(device, label: .untypedRetype, args: [ObjectType.untyped, 12, 0, 0, ut, 1],
                                     extraCaps: [VS.cnode]), .noError)
        #expect(sys.capability(at: ut).untypedIsDevice && sys.capability(at: ut).untypedSizeBits == 12)
        let dest = sys.allocateSlot()
        let before = CSpaceState(sys)
        expectKernelReply(sys.invoke(VS.asidControl, label: VS.asidControlMakePool, args: [dest, 64], extraCaps: [ut, VS.cnode]),
                          .invalidCapability, [1])
        #expect(CSpaceState(sys) == before)
        #expect(sys.kernel.asidTable[1] == 0)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 3.2c, 3.2e: the untyped used for a pool has a child, so it cannot make another.
    @Test func asidControlMakePool_usedUntypedIsRevokeFirst() {
        let sys = TestSystem(paging: .sv39)
        let ut = sys.make(ObjectType.untyped, size: 12)
        let dest = sys.allocateSlot()
        expectKernelReply(sys.invoke(VS.asidControl, label: VS.asidControlMakePool, args: [dest, 64], extraCaps: [ut, VS.cnode]),
                          .noError)
        let again = sys.allocateSlot()
        expectKernelReply(sys.invoke(VS.asidControl, label: VS.asidControlMakePool, args: [again, 64], extraCaps: [ut, VS.cnode]),
                          .revokeFirst)
        #expect(sys.capability(at: again).isNull)
        #expect(sys.kernel.asidTable[2] == 0)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 3.1, 3.2c: with all 128 ASID-table entries used, MakePool is DeleteFirst, checked
    /// before the untyped (an endpoint in its place does not change the answer).
    @Test func asidControlMakePool_fullTableIsDeleteFirstBeforeUntypedCheck() {
        let sys = TestSystem(paging: .sv39)
        sys.checksInvariantsAfterSyscalls = false
        let uts = sys.retype(ObjectType.untyped, size: 12, count: 128)
        #expect(uts.error == 0)
        for i in 0..<Word(127) {
            let dest = sys.allocateSlot()
            expectKernelReply(sys.invoke(VS.asidControl, label: VS.asidControlMakePool, args: [dest, 64],
                                         extraCaps: [uts.slot + i, VS.cnode]), .noError)
            #expect(sys.capability(at: dest).asidPoolBase == (i + 1) << 9)
        }
        let ep = sys.make(ObjectType.endpoint)
        let dest = sys.allocateSlot()
        let before = CSpaceState(sys)
        expectKernelReply(sys.invoke(VS.asidControl, label: VS.asidControlMakePool, args: [dest, 64],
                                     extraCaps: [uts.slot + 127, VS.cnode]), .deleteFirst)
        expectKernelReply(sys.invoke(VS.asidControl, label: VS.asidControlMakePool, args: [dest, 64],
                                     extraCaps: [ep, VS.cnode]), .deleteFirst)
        #expect(CSpaceState(sys) == before)
        sys.checkInvariantsNow()
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: PageTable_Map (facts 1.3, 1.4, 4)

    /// facts 1.3g, 1.3h, 1.4, 4.1, 4.2: the kernel places a table at the first empty entry on
    /// the walk: the first at the root (30 bits), the second in it (21 bits); a third finds the
    /// walk at the last level and is DeleteFirst. The entry is a table PTE (V only), the cap
    /// records the ASID and the address rounded to the entry's span.
    @Test func pageTableMap_kernelChoosesFirstEmptyLevel() {
        let sys = TestSystem(paging: .sv39)
        let root = sys.vsNewRoot()
        let rootAddress = sys.vsAddress(root)
        let vaddr: Word = 0x4060_1234
        let t1 = sys.make(VS.tableType), t2 = sys.make(VS.tableType), t3 = sys.make(VS.tableType)
        let t1Address = sys.vsAddress(t1), t2Address = sys.vsAddress(t2)
        expectKernelReply(sys.vsMapTable(t1, in: root, at: vaddr), .noError)
        let rootWords = vsWords(rootAddress)
        #expect(rootWords[1] == PTE.table(t1Address))
        #expect(rootWords[1] == (t1Address >> 12) << 10 | PTE.valid)
        #expect(rootWords.enumerated().allSatisfy { $0.offset == 1 || $0.element == 0 })
        let cap1 = sys.capability(at: t1)
        #expect(cap1.pageTableIsMapped && cap1.mapping.asid == 2 && cap1.mapping.address == 0x4000_0000)

        expectKernelReply(sys.vsMapTable(t2, in: root, at: vaddr), .noError)
        #expect(vsWords(t1Address)[3] == PTE.table(t2Address))  // (0x4060_1234 >> 21) & 511 = 3
        #expect(vsWords(rootAddress) == rootWords)
        let cap2 = sys.capability(at: t2)
        #expect(cap2.pageTableIsMapped && cap2.mapping.asid == 2 && cap2.mapping.address == 0x4060_0000)

        let before = CSpaceState(sys)
        expectKernelReply(sys.vsMapTable(t3, in: root, at: vaddr), .deleteFirst)
        #expect(CSpaceState(sys) == before)
        #expect(vsWords(t2Address).allSatisfy { $0 == 0 })
        // Elsewhere in the same 1 GiB the walk stops in t1 again.
        expectKernelReply(sys.vsMapTable(t3, in: root, at: 0x4080_0000), .noError)
        #expect(vsWords(t1Address)[4] == PTE.table(sys.vsAddress(t3)))
        #expect(sys.capability(at: t3).mapping.address == 0x4080_0000)
        // The highest address below USER_TOP is accepted (no alignment check for tables).
        let t4 = sys.make(VS.tableType)
        expectKernelReply(sys.vsMapTable(t4, in: root, at: VS.userTop - 1), .noError)
        #expect(vsWords(rootAddress)[255] == PTE.table(sys.vsAddress(t4)))
        #expect(sys.capability(at: t4).mapping.address == 0x3F_C000_0000)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 1.1, 1.3a, 1.3b, 1.3c, 1.3d, 1.3f: errors in seL4's order, none changing anything.
    @Test func pageTableMap_errorsInOrder() {
        let sys = TestSystem(paging: .sv39)
        let root = sys.vsNewRoot()
        let unassigned = sys.make(VS.rootType)
        let ep = sys.make(ObjectType.endpoint)
        let mapped = sys.make(VS.rootType)  // a level-0 object used as an intermediate table
        expectKernelReply(sys.vsMapTable(mapped, in: root, at: 0x1000), .noError)
        let pt = sys.make(VS.tableType)
        let before = CSpaceState(sys)
        let rootBefore = vsWords(sys.vsAddress(root))
        // 1.1 Any label but Map/Unmap.
        expectKernelReply(sys.invoke(pt, label: VS.pageMap, args: [0x1000, 0, 0], extraCaps: [root]), .illegalOperation)
        expectKernelReply(sys.invoke(pt, label: VS.asidPoolAssign, args: [0x1000, 0], extraCaps: [root]), .illegalOperation)
        // a. One word, or no VSpace cap.
        expectKernelReply(sys.invoke(pt, label: VS.pageTableMap, args: [0x1000], extraCaps: [root]), .truncatedMessage)
        expectKernelReply(sys.invoke(pt, label: VS.pageTableMap, args: [0x1000, 0], extraCaps: []), .truncatedMessage)
        // b. The invoked table already mapped: before the VSpace cap and the address.
        expectKernelReply(sys.vsMapTable(mapped, in: ep, at: VS.userTop), .invalidCapability, [0])
        expectKernelReply(sys.vsMapTable(root, in: root, at: 0x1000), .invalidCapability, [0])
        // c. VSpace cap not a page table, or not mapped (no ASID): before the address.
        expectKernelReply(sys.vsMapTable(pt, in: ep, at: 0x1000), .invalidCapability, [1])
        expectKernelReply(sys.vsMapTable(pt, in: unassigned, at: 0x1000), .invalidCapability, [1])
        expectKernelReply(sys.vsMapTable(pt, in: unassigned, at: VS.userTop), .invalidCapability, [1])
        // d. Address at or above USER_TOP.
        expectKernelReply(sys.vsMapTable(pt, in: root, at: VS.userTop), .invalidArgument, [0])
        expectKernelReply(sys.vsMapTable(pt, in: root, at: 0x40_0000_0000), .invalidArgument, [0])
        expectKernelReply(sys.vsMapTable(pt, in: root, at: ~0), .invalidArgument, [0])
        // f. A mapped table that is not the root its ASID names.
        expectKernelReply(sys.vsMapTable(pt, in: mapped, at: 0x1000), .invalidCapability, [1])
        #expect(CSpaceState(sys) == before)
        #expect(vsWords(sys.vsAddress(root)) == rootBefore)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 1.3e, 5.4: a VSpace cap whose ASID names nothing any more (its pool deleted) is
    /// FailedLookup(invalid root) for PageTable_Map and Page_Map.
    @Test func map_staleVSpaceIsFailedLookupInvalidRoot() {
        let sys = TestSystem(paging: .sv39)
        let pool = sys.vsMakePool()
        let root = sys.vsNewRoot(pool: pool)
        #expect(sys.capability(at: root).mapping.asid == 512)
        let pt = sys.make(VS.tableType)
        let frame = sys.make(VS.frame4K)
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [pool, 64]), .noError)
        #expect(sys.kernel.findVSpace(asid: 512) == nil)
        #expect(sys.capability(at: root).pageTableIsMapped)
        let before = CSpaceState(sys)
        expectKernelReply(sys.vsMapTable(pt, in: root, at: 0x1000), .failedLookup, [0, 1])
        expectKernelReply(sys.vsMapFrame(frame, in: root, at: 0x1000), .failedLookup, [0, 1])
        // The address is checked after the ASID for frames (2.1c before 2.1e), before it for tables (1.3d before 1.3e).
        expectKernelReply(sys.vsMapFrame(frame, in: root, at: VS.userTop), .failedLookup, [0, 1])
        expectKernelReply(sys.vsMapTable(pt, in: root, at: VS.userTop), .invalidArgument, [0])
        #expect(CSpaceState(sys) == before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: Page_Map, Page_GetAddress (facts 2.1, 2.2, 2.3, 2.5)

    /// facts 2.1i, 2.2, 2.5: Map writes a user leaf V|R|W|X|U|A|D (X unless attr bit 0, G never)
    /// with the frame's page number, the cap records ASID and address; GetAddress answers the
    /// frame's physical address in one word.
    @Test func pageMap_writesUserLeaf() {
        let sys = TestSystem(paging: .sv39)
        let root = sys.vsNewRoot()
        let (_, t2) = sys.vsTables(in: root, at: 0x40_0000)
        let f1 = sys.make(VS.frame4K), f2 = sys.make(VS.frame4K)
        let a1 = sys.vsAddress(f1), a2 = sys.vsAddress(f2)
        expectKernelReply(sys.vsMapFrame(f1, in: root, at: 0x40_0000), .noError)
        expectKernelReply(sys.vsMapFrame(f2, in: root, at: 0x40_5000, attr: 1), .noError)
        let words = vsWords(sys.vsAddress(t2))
        #expect(words[0] == VS.leaf(a1, VS.rwx))
        #expect(words[5] == VS.leaf(a2, VS.rwx & ~PTE.execute))
        #expect(words[0] & PTE.global == 0 && words[0] & (0x3 << 8) == 0)
        #expect(PTE.address(words[0]) == a1 && !PTE.isTable(words[0]))
        #expect(vsWalk(sys.vsAddress(root), 0x40_0000) == (VS.leaf(a1, VS.rwx), 12))
        let cap = sys.capability(at: f1)
        #expect(cap.mapping.asid == 2 && cap.mapping.address == 0x40_0000 && cap.mapping.isMapped)
        #expect(sys.capability(at: f2).mapping == MappingData(asid: 2, address: 0x40_5000))
        // GetAddress (label 35 in an Sv39 kernel).
        expectKernelReply(sys.invoke(f1, label: VS.pageGetAddress, args: []), .noError, [a1])
        expectKernelReply(sys.invoke(f2, label: VS.pageGetAddress, args: [7, 7, 7]), .noError, [a2])
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 2.2, 2.3, 6.5: the rights mask and the cap's rights combine by maskVMRights: a
    /// read-only mask or cap gives no W; write without read is kernel-only (execute-only PTE
    /// if X, else the all-zero entry, while the Map still succeeds and marks the cap).
    @Test func pageMap_rightsAreMasked() {
        let sys = TestSystem(paging: .sv39)
        let root = sys.vsNewRoot()
        let (_, t2) = sys.vsTables(in: root, at: 0x40_0000)
        var frames: [Word] = []
        for _ in 0..<6 { frames.append(sys.make(VS.frame4K)) }
        let readOnlyCap = sys.mint(frames[5], rights: [.read], badge: 0).slot
        #expect(sys.capability(at: readOnlyCap).frameRights == .readOnly)
        let ro = VS.rwx & ~PTE.write
        expectKernelReply(sys.vsMapFrame(frames[0], in: root, at: 0x40_0000, rights: [.read]), .noError)
        expectKernelReply(sys.vsMapFrame(frames[1], in: root, at: 0x40_1000, rights: [.read, .grant]), .noError)
        expectKernelReply(sys.vsMapFrame(frames[2], in: root, at: 0x40_2000, rights: [.write]), .noError)
        expectKernelReply(sys.vsMapFrame(frames[3], in: root, at: 0x40_3000, rights: [.write], attr: 1), .noError)
        expectKernelReply(sys.vsMapFrame(frames[4], in: root, at: 0x40_4000, rights: []), .noError)
        expectKernelReply(sys.vsMapFrame(readOnlyCap, in: root, at: 0x40_5000, rights: .all), .noError)
        let words = vsWords(sys.vsAddress(t2))
        let address = frames.map { sys.vsAddress($0) }
        #expect(words[0] == VS.leaf(address[0], ro))
        #expect(words[1] == VS.leaf(address[1], ro))
        #expect(words[2] == VS.leaf(address[2], PTE.valid | PTE.execute | PTE.user | PTE.accessed | PTE.dirty))
        #expect(words[3] == 0)
        #expect(sys.capability(at: frames[3]).mapping == MappingData(asid: 2, address: 0x40_3000))
        #expect(words[4] == VS.leaf(address[4], PTE.valid | PTE.execute | PTE.user | PTE.accessed | PTE.dirty))
        #expect(words[5] == VS.leaf(address[5], ro))
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 2.1a, 2.1b, 2.1e, 2.1f, 2.1g, 2.1h, 2.6: Page_Map's errors in seL4's order, none
    /// changing anything; missing tables are FailedLookup(missing capability, bits left).
    @Test func pageMap_errorsInOrder() {
        let sys = TestSystem(paging: .sv39)
        let root = sys.vsNewRoot()
        let unassigned = sys.make(VS.rootType)
        let ep = sys.make(ObjectType.endpoint)
        let frame = sys.make(VS.frame4K)
        let other = sys.make(VS.frame4K)
        let before = CSpaceState(sys)
        let rootBefore = vsWords(sys.vsAddress(root))
        // 2.6 Labels other than the frame's.
        expectKernelReply(sys.invoke(frame, label: VS.pageTableMap, args: [0x1000, 0, 0], extraCaps: [root]), .illegalOperation)
        expectKernelReply(sys.invoke(frame, label: VS.asidPoolAssign, args: [], extraCaps: [root]), .illegalOperation)
        // a. Fewer than three words or no VSpace cap.
        expectKernelReply(sys.invoke(frame, label: VS.pageMap, args: [0x1000, 3], extraCaps: [root]), .truncatedMessage)
        expectKernelReply(sys.invoke(frame, label: VS.pageMap, args: [0x1000, 3, 0], extraCaps: []), .truncatedMessage)
        // b. VSpace cap not a page table or without an ASID: before the address checks.
        expectKernelReply(sys.vsMapFrame(frame, in: ep, at: 0x1001), .invalidCapability, [1])
        expectKernelReply(sys.vsMapFrame(frame, in: unassigned, at: VS.userTop), .invalidCapability, [1])
        expectKernelReply(sys.vsMapFrame(frame, in: other, at: 0x1000), .invalidCapability, [1])
        // e. The frame's last byte at or above USER_TOP: before alignment.
        expectKernelReply(sys.vsMapFrame(frame, in: root, at: VS.userTop), .invalidArgument, [0])
        expectKernelReply(sys.vsMapFrame(frame, in: root, at: VS.userTop - 0x800), .invalidArgument, [0])
        expectKernelReply(sys.vsMapFrame(frame, in: root, at: 0x40_0000_0000), .invalidArgument, [0])
        expectKernelReply(sys.vsMapFrame(frame, in: root, at: ~0xFFF), .invalidArgument, [0])
        // f. Misaligned: before the table walk.
        expectKernelReply(sys.vsMapFrame(frame, in: root, at: 0x40_0800), .alignmentError)
        expectKernelReply(sys.vsMapFrame(frame, in: root, at: 0x40_0001), .alignmentError)
        // g. Missing tables: the walk stops at the root (30 bits left).
        expectKernelReply(sys.vsMapFrame(frame, in: root, at: 0x40_0000), .failedLookup, [0, 2, 30])
        expectKernelReply(sys.vsMapFrame(frame, in: root, at: VS.userTop - 0x1000), .failedLookup, [0, 2, 30])
        #expect(CSpaceState(sys) == before)
        #expect(vsWords(sys.vsAddress(root)) == rootBefore)
        // One table: 21 bits left.
        let t1 = sys.make(VS.tableType)
        expectKernelReply(sys.vsMapTable(t1, in: root, at: 0x40_0000), .noError)
        expectKernelReply(sys.vsMapFrame(frame, in: root, at: 0x40_0000), .failedLookup, [0, 2, 21])
        let t2 = sys.make(VS.tableType)
        expectKernelReply(sys.vsMapTable(t2, in: root, at: 0x40_0000), .noError)
        // h. Something already mapped there (another frame's mapping).
        expectKernelReply(sys.vsMapFrame(other, in: root, at: 0x40_0000), .noError)
        let t2Before = vsWords(sys.vsAddress(t2))
        let mid = CSpaceState(sys)
        expectKernelReply(sys.vsMapFrame(frame, in: root, at: 0x40_0000), .deleteFirst)
        #expect(CSpaceState(sys) == mid)
        #expect(vsWords(sys.vsAddress(t2)) == t2Before)
        #expect(!sys.capability(at: frame).mapping.isMapped)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 2.1h: a mapped frame cap may be mapped again only at the same ASID and address
    /// (a remap: the PTE is rewritten with the new rights); another address is InvalidArgument 0,
    /// another VSpace InvalidCapability 1. A remap works even after the PTE was cleared.
    @Test func pageMap_remapOnlyAtSameVSpaceAndAddress() {
        let sys = TestSystem(paging: .sv39)
        let root = sys.vsNewRoot()
        let otherRoot = sys.vsNewRoot()
        let (_, t2) = sys.vsTables(in: root, at: 0x40_0000)
        let (_, o2) = sys.vsTables(in: otherRoot, at: 0x40_0000)
        let frame = sys.make(VS.frame4K)
        let address = sys.vsAddress(frame)
        expectKernelReply(sys.vsMapFrame(frame, in: root, at: 0x40_2000), .noError)
        #expect(vsWords(sys.vsAddress(t2))[2] == VS.leaf(address, VS.rwx))
        // Remap with fewer rights and no execute.
        expectKernelReply(sys.vsMapFrame(frame, in: root, at: 0x40_2000, rights: [.read], attr: 1), .noError)
        #expect(vsWords(sys.vsAddress(t2))[2] == VS.leaf(address, VS.rwx & ~(PTE.write | PTE.execute)))
        #expect(sys.capability(at: frame).mapping == MappingData(asid: 2, address: 0x40_2000))
        let before = CSpaceState(sys)
        // Another address in the same VSpace.
        expectKernelReply(sys.vsMapFrame(frame, in: root, at: 0x40_3000), .invalidArgument, [0])
        // Another VSpace, even at the same address.
        expectKernelReply(sys.vsMapFrame(frame, in: otherRoot, at: 0x40_2000), .invalidCapability, [1])
        #expect(CSpaceState(sys) == before)
        #expect(vsWords(sys.vsAddress(t2))[3] == 0)
        #expect(vsWords(sys.vsAddress(o2)).allSatisfy { $0 == 0 })
        // Rights back to read-write.
        expectKernelReply(sys.vsMapFrame(frame, in: root, at: 0x40_2000), .noError)
        #expect(vsWords(sys.vsAddress(t2))[2] == VS.leaf(address, VS.rwx))
        // A kernel-only remap leaves an invalid entry; remapping it afterwards is still a remap.
        expectKernelReply(sys.vsMapFrame(frame, in: root, at: 0x40_2000, rights: [], attr: 1), .noError)
        #expect(vsWords(sys.vsAddress(t2))[2] == 0)
        expectKernelReply(sys.vsMapFrame(frame, in: root, at: 0x40_2000), .noError)
        #expect(vsWords(sys.vsAddress(t2))[2] == VS.leaf(address, VS.rwx))
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 2.1e, 2.1f, 2.1g, 2.6, 4.3: a 2 MiB frame is a leaf at the 21-bit level; it must be
    /// 2 MiB aligned and end below USER_TOP; where a table sits at its level (or a 4 KiB frame
    /// meets a 2 MiB leaf) the walk's bits left do not match and the Map is FailedLookup.
    @Test func pageMap_largePage() {
        let sys = TestSystem(memoryBytes: 16 << 20, paging: .sv39)
        let root = sys.vsNewRoot()
        let (t1, _) = sys.vsTables(in: root, at: 0x40_0000)
        let small = sys.make(VS.frame4K)
        let pt = sys.make(VS.tableType)
        let large = sys.make(VS.frame2M)
        let largeAddress = sys.vsAddress(large)
        #expect(sys.capability(at: large).frameSizeBits == 21)
        expectKernelReply(sys.vsMapFrame(large, in: root, at: VS.userTop - 0x1000), .invalidArgument, [0])  // also misaligned
        expectKernelReply(sys.vsMapFrame(large, in: root, at: 0x3F_FFE0_0000), .invalidArgument, [0])
        expectKernelReply(sys.vsMapFrame(large, in: root, at: 0x60_1000), .alignmentError)
        // A table already at 0x40_0000's 21-bit entry.
        expectKernelReply(sys.vsMapFrame(large, in: root, at: 0x40_0000), .failedLookup, [0, 2, 12])
        // No table at all at the root level for this address.
        expectKernelReply(sys.vsMapFrame(large, in: root, at: 0x8000_0000), .failedLookup, [0, 2, 30])
        expectKernelReply(sys.vsMapFrame(large, in: root, at: 0x60_0000), .noError)
        #expect(vsWords(sys.vsAddress(t1))[3] == VS.leaf(largeAddress, VS.rwx))
        #expect(vsWalk(sys.vsAddress(root), 0x7F_F000) == (VS.leaf(largeAddress, VS.rwx), 21))
        // A 4 KiB frame inside the large page, and a table there.
        expectKernelReply(sys.vsMapFrame(small, in: root, at: 0x60_0000), .failedLookup, [0, 2, 21])
        expectKernelReply(sys.vsMapTable(pt, in: root, at: 0x60_0000), .deleteFirst)
        // GetAddress of a large frame.
        expectKernelReply(sys.invoke(large, label: VS.pageGetAddress, args: []), .noError, [largeAddress])
        // Unmap clears the 21-bit leaf.
        expectKernelReply(sys.invoke(large, label: VS.pageUnmap, args: []), .noError)
        #expect(vsWords(sys.vsAddress(t1))[3] == 0)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: Unmapping and deletion (facts 1.2, 2.4, 6)

    /// facts 2.4: Page_Unmap clears the PTE and the cap's mapping; unmapping an unmapped cap is
    /// a successful no-op; the frame can then be mapped elsewhere.
    @Test func pageUnmap_clearsEntryAndCap() {
        let sys = TestSystem(paging: .sv39)
        let (root, t2, frame) = sys.vsFrameMapped(at: 0x40_1000)
        let neighbour = sys.make(VS.frame4K)
        expectKernelReply(sys.vsMapFrame(neighbour, in: root, at: 0x40_2000), .noError)
        let neighbourEntry = vsWords(sys.vsAddress(t2))[2]
        expectKernelReply(sys.invoke(frame, label: VS.pageUnmap, args: []), .noError)
        #expect(vsWords(sys.vsAddress(t2))[1] == 0)
        #expect(vsWords(sys.vsAddress(t2))[2] == neighbourEntry)
        #expect(sys.capability(at: frame).mapping == .unmapped)
        #expect(sys.capability(at: frame).type == .frame && sys.capability(at: frame).frameRights == .readWrite)
        expectKernelReply(sys.invoke(frame, label: VS.pageUnmap, args: [1, 2]), .noError)
        #expect(vsWords(sys.vsAddress(t2))[2] == neighbourEntry)
        expectKernelReply(sys.vsMapFrame(frame, in: root, at: 0x40_3000), .noError)
        #expect(vsWords(sys.vsAddress(t2))[3] == VS.leaf(sys.vsAddress(frame), VS.rwx))
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 6.2: deleting a mapped frame cap (CNode_Delete) unmaps it.
    @Test func frameDelete_unmaps() {
        let sys = TestSystem(paging: .sv39)
        let (_, t2, frame) = sys.vsFrameMapped(at: 0x40_7000)
        #expect(vsWords(sys.vsAddress(t2))[7] != 0)
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [frame, 64]), .noError)
        #expect(sys.capability(at: frame).isNull)
        #expect(vsWords(sys.vsAddress(t2))[7] == 0)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 6.1, 6.2: a copy of a mapped frame cap starts unmapped and owns only its own
    /// mapping: deleting the copy leaves the original's mapping; the copy can map the same
    /// frame elsewhere, and deleting the original removes only the original's mapping.
    @Test func frameCopy_isUnmappedAndOwnsOnlyItsMapping() {
        let sys = TestSystem(paging: .sv39)
        let (root, t2, frame) = sys.vsFrameMapped(at: 0x40_1000)
        let address = sys.vsAddress(frame)
        let copy = sys.copy(frame)
        #expect(copy.error == 0)
        #expect(sys.capability(at: copy.slot).address == address)
        #expect(sys.capability(at: copy.slot).mapping == .unmapped)
        #expect(sys.capability(at: frame).mapping == MappingData(asid: 2, address: 0x40_1000))
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [copy.slot, 64]), .noError)
        #expect(vsWords(sys.vsAddress(t2))[1] == VS.leaf(address, VS.rwx))
        #expect(sys.capability(at: frame).mapping == MappingData(asid: 2, address: 0x40_1000))
        // A second copy maps the frame at a second address.
        let second = sys.copy(frame).slot
        expectKernelReply(sys.vsMapFrame(second, in: root, at: 0x40_2000), .noError)
        #expect(vsWords(sys.vsAddress(t2))[2] == VS.leaf(address, VS.rwx))
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [frame, 64]), .noError)
        #expect(vsWords(sys.vsAddress(t2))[1] == 0)
        #expect(vsWords(sys.vsAddress(t2))[2] == VS.leaf(address, VS.rwx))
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 1.2a, 1.2b, 6.1: PageTable_Unmap is RevokeFirst while another cap to the table
    /// exists, and for a VSpace root (roots leave only by deletion); an unmapped table cannot
    /// be copied, a mapped one copies with its mapping.
    @Test func pageTableUnmap_revokeFirstCases() {
        let sys = TestSystem(paging: .sv39)
        let root = sys.vsNewRoot()
        let (t1, _) = sys.vsTables(in: root, at: 0x40_0000)
        let copy = sys.copy(t1)
        #expect(copy.error == 0)
        #expect(sys.capability(at: copy.slot) == sys.capability(at: t1))
        let before = CSpaceState(sys)
        let rootBefore = vsWords(sys.vsAddress(root))
        expectKernelReply(sys.invoke(t1, label: VS.pageTableUnmap, args: []), .revokeFirst)
        expectKernelReply(sys.invoke(copy.slot, label: VS.pageTableUnmap, args: []), .revokeFirst)
        // A final cap to a VSpace root.
        expectKernelReply(sys.invoke(root, label: VS.pageTableUnmap, args: []), .revokeFirst)
        // The initial thread's root (its TCB holds another cap, too).
        expectKernelReply(sys.invoke(VS.itVSpace, label: VS.pageTableUnmap, args: []), .revokeFirst)
        #expect(CSpaceState(sys) == before)
        #expect(vsWords(sys.vsAddress(root)) == rootBefore)
        #expect(sys.kernel.findVSpace(asid: 2) == sys.vsAddress(root))
        // An unmapped table cannot be derived.
        let unmapped = sys.make(VS.tableType)
        let unmappedCopy = sys.copy(unmapped)
        #expect(unmappedCopy.error == ErrorCode.illegalOperation.rawValue)
        #expect(sys.capability(at: unmappedCopy.slot).isNull)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 1.2c, 2.4: unmapping an intermediate table clears its parent's entry and zeroes
    /// the table; the cap loses only its mapped flag (ASID and address stay). A frame that was
    /// mapped through it then unmaps as a silent no-op, and the table can be mapped again.
    @Test func pageTableUnmap_intermediateTable() {
        let sys = TestSystem(paging: .sv39)
        let root = sys.vsNewRoot()
        let (t1, t2) = sys.vsTables(in: root, at: 0x40_0000)
        let frame = sys.make(VS.frame4K)
        expectKernelReply(sys.vsMapFrame(frame, in: root, at: 0x40_1000), .noError)
        let mappedCap = sys.capability(at: t2)
        expectKernelReply(sys.invoke(t2, label: VS.pageTableUnmap, args: []), .noError)
        #expect(vsWords(sys.vsAddress(t1))[2] == 0)
        #expect(vsWords(sys.vsAddress(t2)).allSatisfy { $0 == 0 })
        let cap = sys.capability(at: t2)
        #expect(!cap.pageTableIsMapped)
        #expect(cap.mapping == mappedCap.mapping)
        #expect(vsWalk(sys.vsAddress(root), 0x40_1000).bits == 21)
        // The frame cap still records its mapping; unmapping it is a no-op that succeeds.
        #expect(sys.capability(at: frame).mapping.isMapped)
        expectKernelReply(sys.invoke(frame, label: VS.pageUnmap, args: []), .noError)
        #expect(sys.capability(at: frame).mapping == .unmapped)
        // Unmapping an unmapped table succeeds and changes nothing.
        expectKernelReply(sys.invoke(t2, label: VS.pageTableUnmap, args: []), .noError)
        #expect(sys.capability(at: t2) == cap)
        // Mapped again, elsewhere.
        expectKernelReply(sys.vsMapTable(t2, in: root, at: 0x60_0000), .noError)
        #expect(vsWords(sys.vsAddress(t1))[3] == PTE.table(sys.vsAddress(t2)))
        #expect(sys.capability(at: t2).mapping == MappingData(asid: 2, address: 0x60_0000))
        // Unmapping the level-1 table clears the root's entry.
        expectKernelReply(sys.invoke(t1, label: VS.pageTableUnmap, args: []), .noError)
        #expect(vsWords(sys.vsAddress(root)).allSatisfy { $0 == 0 })
        #expect(vsWords(sys.vsAddress(t1)).allSatisfy { $0 == 0 })
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 6.3: deleting the last cap of a mapped intermediate table removes its parent's
    /// entry (its memory is not zeroed); deleting a non-final copy changes nothing.
    @Test func pageTableDelete_leavesParent() {
        let sys = TestSystem(paging: .sv39)
        let root = sys.vsNewRoot()
        let (t1, t2) = sys.vsTables(in: root, at: 0x40_0000)
        let frame = sys.make(VS.frame4K)
        expectKernelReply(sys.vsMapFrame(frame, in: root, at: 0x40_1000), .noError)
        let copy = sys.copy(t2).slot
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [copy, 64]), .noError)
        #expect(vsWords(sys.vsAddress(t1))[2] == PTE.table(sys.vsAddress(t2)))
        let t2Address = sys.vsAddress(t2)
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [t2, 64]), .noError)
        #expect(vsWords(sys.vsAddress(t1))[2] == 0)
        #expect(vsWords(t2Address)[1] == VS.leaf(sys.vsAddress(frame), VS.rwx))
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 6.3, 5.2, 5.4, 2.4: deleting the last cap of a VSpace root frees its ASID: the
    /// pool entry is cleared, a frame mapped in it unmaps as a no-op, and the pool hands the
    /// ASID out again. Deleting a cap that is not the last (the TCB still holds one) frees
    /// nothing; here the last cap is the thread's, deleted when it is given another VSpace.
    @Test func vspaceRootDelete_freesASID() {
        let sys = TestSystem(paging: .sv39)
        let (root, rootAddress, t2, frame, tcb, t) = sys.vsThreadInNewVSpace()
        #expect(sys.kernel.vspace(of: t)?.root == rootAddress && sys.kernel.vspace(of: t)?.asid == 2)
        // The CNode's cap is not the last (the TCB holds one).
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [root, 64]), .noError)
        #expect(sys.kernel.findVSpace(asid: 2) == rootAddress)
        #expect(sys.kernel.vspace(of: t)?.root == rootAddress && sys.kernel.vspace(of: t)?.asid == 2)
        #expect(vsWords(sys.vsAddress(t2))[1] == VS.leaf(sys.vsAddress(frame), VS.rwx))
        // The last cap goes when the thread is given another VSpace.
        expectKernelReply(sys.invoke(tcb, label: .tcbSetSpace, args: [0, 0, 0], extraCaps: [VS.cnode, VS.itVSpace]), .noError)
        #expect(sys.kernel.findVSpace(asid: 2) == nil)
        #expect(vsWords(sys.vsAddress(VS.asidPool))[2] == 0)
        #expect(sys.kernel.vspace(of: t)?.asid == ASID.initialThread)
        // The frame's mapping names a dead ASID: unmapping it succeeds and touches nothing.
        let t2Before = vsWords(sys.vsAddress(t2))
        expectKernelReply(sys.invoke(frame, label: VS.pageUnmap, args: []), .noError)
        #expect(sys.capability(at: frame).mapping == .unmapped)
        #expect(vsWords(sys.vsAddress(t2)) == t2Before)
        // ASID 2 is free again.
        let next = sys.vsNewRoot()
        #expect(sys.capability(at: next).mapping.asid == 2)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 6.3, 5.1, 5.4: revoking a root's cap deletes the thread's copy (the thread then has
    /// no VSpace) without freeing the ASID; deleting the then-last cap frees it, and a frame
    /// mapped in the freed VSpace unmaps as a no-op when its cap is deleted.
    @Test func vspaceRootRevokeAndDelete() {
        let sys = TestSystem(paging: .sv39)
        let (root, rootAddress, t2, frame, _, t) = sys.vsThreadInNewVSpace()
        expectKernelReply(sys.cnodeInvoke(.cnodeRevoke, [root, 64]), .noError)
        #expect(t.slot(.vspace).cap.isNull)
        #expect(sys.kernel.vspace(of: t) == nil)
        #expect(sys.kernel.findVSpace(asid: 2) == rootAddress)
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [root, 64]), .noError)
        #expect(sys.kernel.findVSpace(asid: 2) == nil)
        let t2Before = vsWords(sys.vsAddress(t2))
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [frame, 64]), .noError)
        #expect(vsWords(sys.vsAddress(t2)) == t2Before)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 6.4, 5.2, 5.4: deleting an ASID pool's last cap removes it from the ASID table:
    /// every VSpace in it loses its ASID, so a thread using one runs with no VSpace (nil), and
    /// maps into it are FailedLookup(invalid root).
    @Test func asidPoolDelete_threadsLoseVSpace() {
        let sys = TestSystem(paging: .sv39)
        let pool = sys.vsMakePool()
        let root = sys.vsNewRoot(pool: pool)
        let (tcb, t) = sys.spawn()
        expectKernelReply(sys.invoke(tcb, label: .tcbSetSpace, args: [0, 0, 0], extraCaps: [VS.cnode, root]), .noError)
        #expect(sys.kernel.vspace(of: t)?.root == sys.vsAddress(root) && sys.kernel.vspace(of: t)?.asid == 512)
        expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [pool, 64]), .noError)
        #expect(sys.kernel.asidTable[1] == 0)
        #expect(sys.kernel.vspace(of: t) == nil)
        #expect(t.slot(.vspace).cap.type == .pageTable)
        // The next MakePool takes the freed table entry.
        let pool2 = sys.vsMakePool()
        #expect(sys.capability(at: pool2).asidPoolBase == 512)
        #expect(sys.kernel.vspace(of: t) == nil)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: Threads' VSpaces (facts 5)

    /// facts 5.3, 6.1: TCB_SetSpace and TCB_Configure accept an assigned root (the TCB gets a
    /// copy with its mapping) and `vspace(of:)` names its root and ASID; an unassigned root is
    /// refused (an unmapped table cannot be derived). A mapped table that is not the root its
    /// ASID names is a valid VTable cap to seL4, but names no VSpace.
    @Test func tcbSpace_acceptsAssignedRoot() {
        let sys = TestSystem(paging: .sv39)
        let root = sys.vsNewRoot()
        let rootAddress = sys.vsAddress(root)
        let (tcb, t) = sys.spawn()
        #expect(sys.kernel.vspace(of: t)?.root == sys.vsAddress(VS.itVSpace) && sys.kernel.vspace(of: t)?.asid == 1)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetSpace, args: [0, 0, 0], extraCaps: [VS.cnode, root]), .noError)
        #expect(t.slot(.vspace).cap == sys.capability(at: root))
        #expect(sys.kernel.vspace(of: t)?.root == rootAddress && sys.kernel.vspace(of: t)?.asid == 2)
        // Configure, with another root.
        let root2 = sys.vsNewRoot()
        expectKernelReply(sys.invoke(tcb, label: .tcbConfigure, args: [0, 0, 0, 0],
                                     extraCaps: [VS.cnode, root2, Word(InitialSlot.ipcBuffer)]), .noError)
        #expect(sys.kernel.vspace(of: t)?.root == sys.vsAddress(root2) && sys.kernel.vspace(of: t)?.asid == 3)
        // An unassigned root.
        let unassigned = sys.make(VS.rootType)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetSpace, args: [0, 0, 0], extraCaps: [VS.cnode, unassigned]),
                          .illegalOperation)
        #expect(sys.kernel.vspace(of: t)?.asid == 3)
        // A level-0 table mapped as an intermediate table of `root`.
        let inner = sys.make(VS.rootType)
        expectKernelReply(sys.vsMapTable(inner, in: root, at: 0x1000), .noError)
        expectKernelReply(sys.invoke(tcb, label: .tcbSetSpace, args: [0, 0, 0], extraCaps: [VS.cnode, inner]), .noError)
        #expect(sys.kernel.vspace(of: t) == nil)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// fact 5 (setVMRoot on every switch), as platforms cache it: whatever can change what
    /// `vspace(of:)` answers for a thread moves `translationGeneration` (a new VSpace
    /// installed, the thread's VSpace cap revoked, an ASID freed, a mapping removed), so that
    /// a platform caching each thread's translation root until the generation moves never
    /// runs a thread in a stale address space. Plain IPC leaves it alone.
    @Test func translationGeneration_movesWithEveryVSpaceChange() {
        let sys = TestSystem(paging: .sv39)
        let (root, _, _, frame, tcb, t) = sys.vsThreadInNewVSpace()
        func moves(_ what: String, _ change: () -> Void) {
            let before = sys.kernel.translationGeneration
            change()
            #expect(sys.kernel.translationGeneration != before, "\(what) left the generation at \(before)")
        }
        // IPC does not move it.
        let ep = sys.make(ObjectType.endpoint)
        let before = sys.kernel.translationGeneration
        _ = sys.syscall(.nbSend, by: sys.root, cap: ep, info: MessageInfo(label: 1, length: 1), mrs: [7])
        #expect(sys.kernel.translationGeneration == before)
        moves("Page_Unmap") { expectKernelReply(sys.invoke(frame, label: VS.pageUnmap, args: []), .noError) }
        moves("Page_Map") { expectKernelReply(sys.vsMapFrame(frame, in: root, at: 0x40_1000), .noError) }
        let root2 = sys.vsNewRoot()
        moves("TCB_SetSpace") {
            expectKernelReply(sys.invoke(tcb, label: .tcbSetSpace, args: [0, 0, 0], extraCaps: [VS.cnode, root2]), .noError)
        }
        #expect(sys.kernel.vspace(of: t)?.root == sys.vsAddress(root2))
        moves("revoking the thread's VSpace cap") { expectKernelReply(sys.cnodeInvoke(.cnodeRevoke, [root2, 64]), .noError) }
        #expect(sys.kernel.vspace(of: t) == nil)
        moves("deleting the last cap of a root") { expectKernelReply(sys.cnodeInvoke(.cnodeDelete, [root2, 64]), .noError) }
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: The hosted contract

    /// facts 2.6 (hosted contract): an identity-paging kernel refuses the Sv39 labels on
    /// frames, tables and ASID caps with IllegalOperation and keeps its architecture's
    /// GetAddress.
    @Test func identityPaging_refusesSv39Invocations() {
        let sys = TestSystem(paging: .identity)
        let frame = sys.make(ObjectType.smallPage)
        let address = sys.vsAddress(frame)
        let before = CSpaceState(sys)
        expectKernelReply(sys.invoke(frame, label: VS.pageMap, args: [0x40_0000, 3, 0], extraCaps: [VS.itVSpace]),
                          .illegalOperation)
        expectKernelReply(sys.invoke(frame, label: VS.pageUnmap, args: []), .illegalOperation)
        expectKernelReply(sys.invoke(VS.itVSpace, label: VS.pageTableUnmap, args: []), .illegalOperation)
        expectKernelReply(sys.invoke(VS.asidPool, label: VS.asidPoolAssign, args: [], extraCaps: [VS.itVSpace]),
                          .illegalOperation)
        expectKernelReply(sys.invoke(VS.asidControl, label: VS.asidControlMakePool, args: [0, 64], extraCaps: [frame, VS.cnode]),
                          .illegalOperation)
        #expect(CSpaceState(sys) == before)
        expectKernelReply(sys.invoke(frame, label: Kernel.pageGetAddressLabel, args: []), .noError, [address])
        #if arch(x86_64)
        // Label 37 is X86PageTableMap here, not GetAddress, and a frame is no page table.
        expectKernelReply(sys.invoke(frame, label: VS.pageGetAddress, args: []), .illegalOperation)
        #endif
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: Timer (SCHED-2, facts 9)

    /// facts 9.1, 9.3 (SCHED-2): a running thread is charged one tick per timer interrupt; at
    /// the fifth its slice is refilled and it goes to the tail of its ready queue, so two
    /// threads of equal priority take turns.
    @Test func sched2_timerRotatesEqualPriority() {
        let sys = TestSystem()
        let (_, x) = sys.spawn(priority: 100)
        let (_, y) = sys.spawn(priority: 100)
        sys.suspendRootTask()
        // Whichever of the two the scheduler chose runs first.
        let a = sys.kernel.currentThread ?? x
        let b = a == x ? y : x
        #expect(a == x || a == y)
        #expect(sys.kernel.timeSliceLeft(of: a) == Constants.timeSlice && Constants.timeSlice == 5)
        #expect(sys.kernel.timeSliceLeft(of: b) == 5)
        for i in 1...4 {
            #expect(sys.kernel.handleTimerTick() == a)
            #expect(sys.kernel.timeSliceLeft(of: a) == 5 - i)
        }
        #expect(sys.kernel.handleTimerTick() == b)
        #expect(sys.kernel.currentThread == b)
        #expect(sys.kernel.timeSliceLeft(of: a) == 5)
        #expect(sys.kernel.timeSliceLeft(of: b) == 5)
        #expect(sys.ipcReady(100) == [a])
        for _ in 1...4 { #expect(sys.kernel.handleTimerTick() == b) }
        #expect(sys.kernel.timeSliceLeft(of: b) == 1)
        #expect(sys.kernel.handleTimerTick() == a)
        #expect(sys.kernel.timeSliceLeft(of: b) == 5)
        sys.checkInvariantsNow()
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 9.3: a lone thread at its priority keeps running when its slice ends (refilled);
    /// a higher-priority thread is never displaced by a lower one.
    @Test func sched2_loneThreadKeepsRunning() {
        let sys = TestSystem()
        let (_, low) = sys.spawn(priority: 50)
        let (_, a) = sys.spawn(priority: 100)
        sys.suspendRootTask()
        #expect(sys.kernel.currentThread == a)
        for _ in 1...12 { #expect(sys.kernel.handleTimerTick() == a) }
        #expect(sys.kernel.timeSliceLeft(of: a) == 3)  // 12 ticks: refilled at 5 and 10, then 2 charged
        #expect(sys.kernel.timeSliceLeft(of: low) == 5)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 9.3: only a Running current thread is charged: a thread that blocked keeps what
    /// was left of its slice, and ticks while the idle thread runs change nothing.
    @Test func sched2_blockedAndIdleThreadsNotCharged() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let (_, x) = sys.spawn(priority: 100)
        let (_, y) = sys.spawn(priority: 100)
        sys.suspendRootTask()
        // Whichever of the two the scheduler chose runs first.
        let a = sys.kernel.currentThread ?? x
        let b = a == x ? y : x
        #expect(a == x || a == y)
        _ = sys.kernel.handleTimerTick()
        _ = sys.kernel.handleTimerTick()
        #expect(sys.kernel.timeSliceLeft(of: a) == 3)
        sys.syscall(.recv, by: a, cap: ep)
        #expect(a.state == .blockedOnReceive)
        #expect(sys.kernel.currentThread == b)
        for _ in 1...7 { #expect(sys.kernel.handleTimerTick() == b) }
        #expect(sys.kernel.timeSliceLeft(of: a) == 3)
        #expect(sys.kernel.timeSliceLeft(of: b) == 3)
        sys.syscall(.recv, by: b, cap: ep)
        #expect(sys.kernel.currentThread == nil)
        for _ in 1...10 { #expect(sys.kernel.handleTimerTick() == nil) }
        #expect(sys.kernel.timeSliceLeft(of: a) == 3 && sys.kernel.timeSliceLeft(of: b) == 3)
        #expect(a.state == .blockedOnReceive && b.state == .blockedOnReceive)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // MARK: RISC-V exceptions (facts 7)

    /// facts 7.2, 7.3: access and page faults are VM faults at stval with the status
    /// normalised (instruction 1 with the prefetch flag, load 5, store/AMO 7); every other
    /// cause is a user exception numbered by scause with code 0.
    @Test func riscvException_classification() {
        let addr: Word = 0xBAD_0008
        #expect(Fault.riscvException(cause: 12, value: addr) == .vmFault(address: addr, isInstructionFetch: true, status: 1))
        #expect(Fault.riscvException(cause: 1, value: addr) == .vmFault(address: addr, isInstructionFetch: true, status: 1))
        #expect(Fault.riscvException(cause: 13, value: addr) == .vmFault(address: addr, isInstructionFetch: false, status: 5))
        #expect(Fault.riscvException(cause: 5, value: addr) == .vmFault(address: addr, isInstructionFetch: false, status: 5))
        #expect(Fault.riscvException(cause: 15, value: addr) == .vmFault(address: addr, isInstructionFetch: false, status: 7))
        #expect(Fault.riscvException(cause: 7, value: addr) == .vmFault(address: addr, isInstructionFetch: false, status: 7))
        #expect(Fault.riscvException(cause: 2, value: 0x1234) == .userException(number: 2, code: 0))
        for cause: Word in [0, 3, 4, 6] {
            #expect(Fault.riscvException(cause: cause, value: addr) == .userException(number: cause, code: 0))
        }
        #expect(Fault.riscvException(cause: 15, value: 0).label == 5)
        #expect(Fault.riscvException(cause: 2, value: 0).label == 3)
    }

    /// facts 7.4, 7.3: a RISC-V page or access fault reaches the handler as a VMFault message:
    /// label 5, four words IP, Addr, PrefetchFault, FSR (normalised).
    @Test func riscvException_vmFaultMessage() {
        let sys = TestSystem(paging: .sv39)
        let (fep, handlerCap, handler) = sys.ipcFaultHandler()
        let cases: [(cause: Word, prefetch: Word, fsr: Word)] = [(12, 1, 1), (13, 0, 5), (15, 0, 7), (1, 1, 1), (5, 0, 5), (7, 0, 7)]
        for (i, c) in cases.enumerated() {
            let t = sys.spawn(faultHandler: handlerCap).thread
            #expect(sys.kernel.preempt(to: t))
            let pc: Word = 0x1_0000 + Word(i) * 0x100
            let addr: Word = 0x40_0000 + Word(i) * 8
            t[register: RegisterFile.pc] = pc
            sys.userFault(.riscvException(cause: c.cause, value: addr), by: t)
            #expect(sys.registers(of: handler) == TestSystem.Registers(badge: 0x99, info: MessageInfo(label: 5, length: 4),
                                                                        words: [pc, addr, c.prefetch, c.fsr]),
                    "cause \(c.cause)")
            #expect(t.state == .blockedOnReply)
            // VM faults restart whatever the reply.
            sys.syscall(.replyRecv, by: handler, cap: fep, info: MessageInfo(label: 0, length: 0))
            #expect(t.state.isRunnable)
        }
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// facts 7.5: any other cause (2, illegal instruction) is a UserException: label 3 with
    /// FaultIP and SP first and Number = scause, Code = 0 last.
    @Test func riscvException_userExceptionMessage() {
        let sys = TestSystem(paging: .sv39)
        let (_, handlerCap, handler) = sys.ipcFaultHandler()
        let t = sys.spawn(faultHandler: handlerCap).thread
        #expect(sys.kernel.preempt(to: t))
        t[register: RegisterFile.pc] = 0x7000
        t[register: RegisterFile.sp] = 0x8000
        sys.userFault(.riscvException(cause: 2, value: 0xDEAD), by: t)
        let ue = sys.registers(of: handler)
        #expect(ue.info.label == 3)
        #expect(ue.mr.first == 0x7000 && ue.mr.dropFirst().first == 0x8000)
        #expect(ue.mr.suffix(2) == [2, 0])
        #expect(t.state == .blockedOnReply)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
}
