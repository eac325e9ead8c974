import Testing
@testable import KernelCore
import KernelTestSupport

// x86_64 four-level paging as seL4's x86 VSpace code decides it. Each test names the clauses of
// docs/notes/x86-vspace-facts.md (X86VS-n) it checks. The object types are x86_64's, so these
// run on x86_64 hosts; the kernel runs the x86_64 paging model explicitly.
#if arch(x86_64)

private typealias L = X86InvocationLabel

private enum X86 {
    static let vspace = Word(InitialSlot.vspace)
    static let asidPool = Word(InitialSlot.asidPool)
    static let cnode = Word(InitialSlot.cnode)
    static let userTop = PagingModel.x86UserTop
    static let vaddr: Word = 0xA0_0000_0000
    /// A table link as seL4 writes it with default attributes: present, writable, user.
    static let link: Word = X86PTE.present | X86PTE.writable | X86PTE.user
}

private extension TestSystem {
    func address(_ slot: Word) -> Word { capability(at: slot).address }

    @discardableResult
    func mapStructure(_ slot: Word, level: Int, at vaddr: Word, in root: Word = X86.vspace, attributes: Word = 0) -> Registers {
        let label = [L.pdptMap, L.pageDirectoryMap, L.pageTableMap][level - 1]
        return invoke(slot, label: label, args: [vaddr, attributes], extraCaps: [root])
    }

    @discardableResult
    func mapPage(_ frame: Word, at vaddr: Word, in root: Word = X86.vspace, rights: CapRights = .all, attributes: Word = 0) -> Registers {
        invoke(frame, label: L.pageMap, args: [vaddr, rights.rawValue, attributes], extraCaps: [root])
    }

    /// A PDPT, page directory and page table covering `vaddr` in `root`; returns their slots.
    func structures(at vaddr: Word, in root: Word = X86.vspace) -> (pdpt: Word, pd: Word, pt: Word) {
        let pdpt = make(ObjectType.X86_64.pdpt), pd = make(ObjectType.X86_64.pageDirectory)
        let pt = make(ObjectType.X86_64.pageTable)
        expectKernelReply(mapStructure(pdpt, level: 1, at: vaddr, in: root), .noError)
        expectKernelReply(mapStructure(pd, level: 2, at: vaddr, in: root), .noError)
        expectKernelReply(mapStructure(pt, level: 3, at: vaddr, in: root), .noError)
        return (pdpt, pd, pt)
    }
}

/// The entry `index` of the paging structure at `address`.
private func entry(_ address: Word, _ index: Int) -> Word { UnsafePointer<Word>(bitPattern: UInt(address))![index] }

private func index(_ vaddr: Word, _ bits: Int) -> Int { Int((vaddr >> Word(bits)) & 511) }

@Suite struct X86PagingTests {
    /// X86VS-2, X86VS-3: a page needs every level above it; each failure names the missing one
    /// (missing capability with 39, 30, 21 bits left), and each structure links in at its own
    /// level, present, writable and user.
    @Test func x86vs2_missingLevelsAreNamedInOrder() {
        let sys = TestSystem(paging: .x86_64)
        let frame = sys.make(ObjectType.X86_64.smallPage)
        let pdpt = sys.make(ObjectType.X86_64.pdpt), pd = sys.make(ObjectType.X86_64.pageDirectory)
        let pt = sys.make(ObjectType.X86_64.pageTable)
        expectKernelReply(sys.mapPage(frame, at: X86.vaddr), .failedLookup, [0, 2, 39])
        expectKernelReply(sys.mapStructure(pd, level: 2, at: X86.vaddr), .failedLookup, [0, 2, 39])
        expectKernelReply(sys.mapStructure(pt, level: 3, at: X86.vaddr), .failedLookup, [0, 2, 39])
        expectKernelReply(sys.mapStructure(pdpt, level: 1, at: X86.vaddr), .noError)
        #expect(entry(sys.address(X86.vspace), index(X86.vaddr, 39)) == sys.address(pdpt) | X86.link)
        expectKernelReply(sys.mapPage(frame, at: X86.vaddr), .failedLookup, [0, 2, 30])
        expectKernelReply(sys.mapStructure(pt, level: 3, at: X86.vaddr), .failedLookup, [0, 2, 30])
        expectKernelReply(sys.mapStructure(pd, level: 2, at: X86.vaddr), .noError)
        #expect(entry(sys.address(pdpt), index(X86.vaddr, 30)) == sys.address(pd) | X86.link)
        expectKernelReply(sys.mapPage(frame, at: X86.vaddr), .failedLookup, [0, 2, 21])
        expectKernelReply(sys.mapStructure(pt, level: 3, at: X86.vaddr), .noError)
        #expect(entry(sys.address(pd), index(X86.vaddr, 21)) == sys.address(pt) | X86.link)
        expectKernelReply(sys.mapPage(frame, at: X86.vaddr), .noError)
        #expect(entry(sys.address(pt), index(X86.vaddr, 12)) == sys.address(frame) | X86.link)
        #expect(sys.capability(at: frame).mapping == MappingData(asid: 1, address: X86.vaddr))
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// X86VS-1, X86VS-3: structure Map's checks in seL4's order, and the address rounded down to
    /// what the linking entry covers (no AlignmentError).
    @Test func x86vs3_structureMapChecksInOrder() {
        let sys = TestSystem(paging: .x86_64)
        let pdpt = sys.make(ObjectType.X86_64.pdpt), pdpt2 = sys.make(ObjectType.X86_64.pdpt)
        let pd = sys.make(ObjectType.X86_64.pageDirectory)
        let unassigned = sys.make(ObjectType.X86_64.pml4)
        let frame = sys.make(ObjectType.X86_64.smallPage)
        // X86VS-1: a PML4 has no invocations; another structure's labels are illegal.
        expectKernelReply(sys.invoke(X86.vspace, label: L.pdptMap, args: [0, 0], extraCaps: [X86.vspace]), .illegalOperation)
        expectKernelReply(sys.invoke(pdpt, label: L.pageTableMap, args: [0, 0], extraCaps: [X86.vspace]), .illegalOperation)
        expectKernelReply(sys.invoke(pdpt, label: L.pageMap, args: [0, 0, 0], extraCaps: [X86.vspace]), .illegalOperation)
        let before = CSpaceState(sys)
        // b. Truncated: fewer than two words, or no VSpace cap.
        expectKernelReply(sys.invoke(pdpt, label: L.pdptMap, args: [X86.vaddr], extraCaps: [X86.vspace]), .truncatedMessage)
        expectKernelReply(sys.invoke(pdpt, label: L.pdptMap, args: [X86.vaddr, 0]), .truncatedMessage)
        // e. Not a PML4 with an ASID: before the address check.
        expectKernelReply(sys.mapStructure(pdpt, level: 1, at: ~0, in: frame), .invalidCapability, [1])
        expectKernelReply(sys.mapStructure(pdpt, level: 1, at: ~0, in: unassigned), .invalidCapability, [1])
        // f. Above USER_TOP (after rounding down to 512 GiB).
        expectKernelReply(sys.mapStructure(pdpt, level: 1, at: 0x8000_0000_0000), .invalidArgument, [0])
        #expect(CSpaceState(sys) == before)
        // d. Rounded down: the PDPT covers the 512 GiB around the address.
        expectKernelReply(sys.mapStructure(pdpt, level: 1, at: X86.vaddr + 0x1234_5678), .noError)
        #expect(sys.capability(at: pdpt).mapping.address == 0x80_0000_0000)
        // c. Already mapped: InvalidCapability 0, before the VSpace checks.
        expectKernelReply(sys.mapStructure(pdpt, level: 1, at: ~0, in: frame), .invalidCapability, [0])
        // i. The linking entry taken.
        expectKernelReply(sys.mapStructure(pdpt2, level: 1, at: X86.vaddr), .deleteFirst)
        #expect(!sys.capability(at: pdpt2).pageTableIsMapped)
        // h. A page directory elsewhere: no PDPT there.
        expectKernelReply(sys.mapStructure(pd, level: 2, at: 0x7F_0000_0000), .failedLookup, [0, 2, 39])
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// X86VS-4: Page Map's checks in order: the VSpace before the address, USER_TOP (the last
    /// page below it too) before alignment, alignment before the walk; a 2 MiB page over a page
    /// table is DeleteFirst.
    @Test func x86vs4_pageMapChecksInOrder() {
        // Room for a 2 MiB page among the other objects.
        let sys = TestSystem(memoryBytes: 32 << 20, maxUntypedBits: 24, paging: .x86_64)
        let frame = sys.make(ObjectType.X86_64.smallPage)
        let large = sys.make(ObjectType.X86_64.largePage)
        let ep = sys.make(ObjectType.endpoint)
        expectKernelReply(sys.invoke(frame, label: L.pageMap, args: [X86.vaddr, 3], extraCaps: [X86.vspace]), .truncatedMessage)
        expectKernelReply(sys.mapPage(frame, at: ~0, in: ep), .invalidCapability, [1])
        expectKernelReply(sys.mapPage(frame, at: 0x8000_0000_0000), .invalidArgument, [0])
        expectKernelReply(sys.mapPage(frame, at: X86.userTop - 0xFFF), .invalidArgument, [0])
        expectKernelReply(sys.mapPage(frame, at: ~0xFFF), .invalidArgument, [0])
        expectKernelReply(sys.mapPage(frame, at: X86.vaddr + 8), .alignmentError)
        expectKernelReply(sys.mapPage(large, at: X86.vaddr + 0x1000), .alignmentError)
        expectKernelReply(sys.mapPage(frame, at: X86.userTop - 0x1FFF), .failedLookup, [0, 2, 39])
        _ = sys.structures(at: X86.vaddr)
        expectKernelReply(sys.mapPage(large, at: X86.vaddr), .deleteFirst)
        expectKernelReply(sys.mapPage(large, at: X86.vaddr + 0x20_0000), .noError)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// X86VS-5, X86VS-9: a mapped cap remaps only at its own ASID and address, with new rights
    /// (read-only clears R/W; kernel-only clears U/S); a copy starts unmapped and maps
    /// elsewhere.
    @Test func x86vs5_remapOnlyWhereMappedWithNewRights() {
        let sys = TestSystem(paging: .x86_64)
        let (_, _, pt) = sys.structures(at: X86.vaddr)
        let frame = sys.make(ObjectType.X86_64.smallPage)
        let other = sys.make(ObjectType.X86_64.pml4)
        expectKernelReply(sys.invoke(X86.asidPool, label: L.asidPoolAssign, args: [], extraCaps: [other]), .noError)
        expectKernelReply(sys.mapPage(frame, at: X86.vaddr), .noError)
        expectKernelReply(sys.mapPage(frame, at: X86.vaddr + 0x1000), .invalidArgument, [0])
        expectKernelReply(sys.mapPage(frame, at: X86.vaddr, in: other), .invalidCapability, [1])
        let slot = index(X86.vaddr, 12)
        expectKernelReply(sys.mapPage(frame, at: X86.vaddr, rights: .read), .noError)
        #expect(entry(sys.address(pt), slot) == sys.address(frame) | X86PTE.present | X86PTE.user)
        expectKernelReply(sys.mapPage(frame, at: X86.vaddr, rights: .write), .noError)
        #expect(entry(sys.address(pt), slot) == sys.address(frame) | X86PTE.present | X86PTE.writable)
        // Attributes: write-through, cache-disabled, PAT (bit 7 in a 4 KiB entry).
        expectKernelReply(sys.mapPage(frame, at: X86.vaddr, attributes: 7), .noError)
        #expect(entry(sys.address(pt), slot) == sys.address(frame) | X86.link | X86PTE.writeThrough
                | X86PTE.cacheDisabled | X86PTE.patSmall)
        let (error, copy) = sys.copy(frame)
        #expect(error == 0)
        #expect(!sys.capability(at: copy).mapping.isMapped)
        expectKernelReply(sys.mapPage(copy, at: X86.vaddr + 0x1000), .noError)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// X86VS-6, X86VS-7: a 4 KiB frame replaces a frame already mapped there; Unmap of the
    /// first cap then finds another frame and leaves the entry, but clears its own mapping.
    @Test func x86vs6_smallPageReplacesAndUnmapChecksTheFrame() {
        let sys = TestSystem(paging: .x86_64)
        let (_, _, pt) = sys.structures(at: X86.vaddr)
        let first = sys.make(ObjectType.X86_64.smallPage), second = sys.make(ObjectType.X86_64.smallPage)
        expectKernelReply(sys.mapPage(first, at: X86.vaddr), .noError)
        expectKernelReply(sys.mapPage(second, at: X86.vaddr), .noError)
        let slot = index(X86.vaddr, 12)
        #expect(entry(sys.address(pt), slot) == sys.address(second) | X86.link)
        expectKernelReply(sys.invoke(first, label: L.pageUnmap, args: []), .noError)
        #expect(entry(sys.address(pt), slot) == sys.address(second) | X86.link)
        #expect(!sys.capability(at: first).mapping.isMapped)
        expectKernelReply(sys.invoke(second, label: L.pageUnmap, args: []), .noError)
        #expect(entry(sys.address(pt), slot) == 0)
        // Deleting a mapped frame cap unmaps it too.
        expectKernelReply(sys.mapPage(first, at: X86.vaddr), .noError)
        expectKernelReply(sys.invoke(X86.cnode, label: .cnodeDelete, args: [first, 64]), .noError)
        #expect(entry(sys.address(pt), slot) == 0)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// X86VS-8: deleting the page table under a mapped frame unlinks it; the frame cap still
    /// says mapped, its Unmap succeeds without touching anything, and its next Map fails at 21.
    @Test func x86vs8_deletingAStructureCutsOffItsFrames() {
        let sys = TestSystem(paging: .x86_64)
        let (_, pd, pt) = sys.structures(at: X86.vaddr)
        let frame = sys.make(ObjectType.X86_64.smallPage)
        expectKernelReply(sys.mapPage(frame, at: X86.vaddr), .noError)
        let ptAddress = sys.address(pt)
        expectKernelReply(sys.invoke(X86.cnode, label: .cnodeDelete, args: [pt, 64]), .noError)
        #expect(entry(sys.address(pd), index(X86.vaddr, 21)) == 0)
        #expect(entry(ptAddress, index(X86.vaddr, 12)) != 0)
        #expect(sys.capability(at: frame).mapping.isMapped)
        expectKernelReply(sys.invoke(frame, label: L.pageUnmap, args: []), .noError)
        #expect(!sys.capability(at: frame).mapping.isMapped)
        expectKernelReply(sys.mapPage(frame, at: X86.vaddr), .failedLookup, [0, 2, 21])
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// X86VS-10, X86VS-12: a structure's Unmap needs its last cap (a mapped one can be copied, an
    /// unmapped one cannot), unlinks it and clears it.
    @Test func x86vs10_structureUnmap() {
        let sys = TestSystem(paging: .x86_64)
        let (_, pd, pt) = sys.structures(at: X86.vaddr)
        let frame = sys.make(ObjectType.X86_64.smallPage)
        expectKernelReply(sys.mapPage(frame, at: X86.vaddr), .noError)
        let (copyError, copy) = sys.copy(pt)
        #expect(copyError == 0)
        expectKernelReply(sys.invoke(pt, label: L.pageTableUnmap, args: []), .revokeFirst)
        expectKernelReply(sys.invoke(X86.cnode, label: .cnodeDelete, args: [copy, 64]), .noError)
        expectKernelReply(sys.invoke(pt, label: L.pdptUnmap, args: []), .illegalOperation)
        expectKernelReply(sys.invoke(pt, label: L.pageTableUnmap, args: []), .noError)
        #expect(entry(sys.address(pd), index(X86.vaddr, 21)) == 0)
        #expect(entry(sys.address(pt), index(X86.vaddr, 12)) == 0)
        #expect(!sys.capability(at: pt).pageTableIsMapped)
        #expect(sys.copy(pt).error == ErrorCode.illegalOperation.rawValue)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// X86VS-11: only a PML4 without an ASID can be assigned one; it is then a VSpace root a
    /// thread can run in, and its mappings are its own.
    @Test func x86vs11_assignOnlyAPML4() {
        let sys = TestSystem(paging: .x86_64)
        let pdpt = sys.make(ObjectType.X86_64.pdpt)
        let pml4 = sys.make(ObjectType.X86_64.pml4)
        expectKernelReply(sys.invoke(X86.asidPool, label: L.asidPoolAssign, args: [], extraCaps: [pdpt]), .invalidCapability, [1])
        expectKernelReply(sys.invoke(X86.asidPool, label: L.asidPoolAssign, args: []), .truncatedMessage)
        expectKernelReply(sys.invoke(X86.asidPool, label: L.asidPoolAssign, args: [], extraCaps: [pml4]), .noError)
        expectKernelReply(sys.invoke(X86.asidPool, label: L.asidPoolAssign, args: [], extraCaps: [pml4]), .invalidCapability, [1])
        #expect(sys.capability(at: pml4).mapping.asid == 2)
        let (tcb, _) = sys.spawn()
        expectKernelReply(sys.invoke(tcb, label: .tcbSetSpace, args: [0, 0, 0], extraCaps: [X86.cnode, pml4]), .noError)
        _ = sys.structures(at: X86.vaddr, in: pml4)
        let frame = sys.make(ObjectType.X86_64.smallPage)
        expectKernelReply(sys.mapPage(frame, at: X86.vaddr, in: pml4), .noError)
        expectKernelReply(sys.mapPage(sys.make(ObjectType.X86_64.smallPage), at: X86.vaddr), .failedLookup, [0, 2, 39])
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// The mirror the hosted runtime maps from (`forEachUserMapping`): every user leaf of every
    /// VSpace with its ASID, address, frame, size and writability; kernel-only leaves are left
    /// out, and unmapping removes a leaf.
    @Test func userMappingsListEveryUserLeaf() {
        let sys = TestSystem(memoryBytes: 32 << 20, maxUntypedBits: 24, paging: .x86_64)
        _ = sys.structures(at: X86.vaddr)
        let small = sys.make(ObjectType.X86_64.smallPage), large = sys.make(ObjectType.X86_64.largePage)
        let hidden = sys.make(ObjectType.X86_64.smallPage)
        expectKernelReply(sys.mapPage(small, at: X86.vaddr + 0x3000, rights: .read), .noError)
        expectKernelReply(sys.mapPage(large, at: X86.vaddr + 0x20_0000), .noError)
        expectKernelReply(sys.mapPage(hidden, at: X86.vaddr + 0x4000, rights: CapRights(rawValue: 0)), .noError)
        var seen: [[Word]] = []
        sys.kernel.forEachUserMapping { asid, address, physical, bits, writable in
            seen.append([asid, address, physical, Word(bits), writable ? 1 : 0])
        }
        #expect(seen == [[1, X86.vaddr + 0x3000, sys.address(small), 12, 0],
                         [1, X86.vaddr + 0x20_0000, sys.address(large), 21, 1]])
        expectKernelReply(sys.invoke(small, label: L.pageUnmap, args: []), .noError)
        var after = 0
        sys.kernel.forEachUserMapping { _, _, _, _, _ in after += 1 }
        #expect(after == 1)
    }
}

#endif
