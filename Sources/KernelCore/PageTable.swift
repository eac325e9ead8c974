import SeL4ABI

/// Paging structures: RISC-V Sv39 page tables (seL4's riscv64 model; facts in
/// docs/notes/riscv-vspace-facts.md) and x86_64's PML4, PDPT, page directory and page table
/// (docs/notes/x86-vspace-facts.md). The walk and the entry formats are in PagingFormat.swift.
///
/// Sv39: one 4 KiB object type of 512 entries serves at every level: given an ASID
/// (`seL4_RISCV_ASIDPool_Assign`) it is a VSpace root; mapped with `seL4_RISCV_PageTable_Map`
/// the kernel links it at the first empty level of the walk. Leaves may sit at any level.
///
/// x86_64: each structure has its own object type and level (cap `pageTableLevel` 0 PML4,
/// 1 PDPT, 2 page directory, 3 page table) and maps only at that level; a PML4 becomes a VSpace
/// root through `seL4_X86_ASIDPool_Assign` and has no invocations of its own.
///
/// Entries hold physical addresses, caps and the kernel's walks kernel pointers: the two
/// differ by `KernelConfiguration.kernelWindowOffset` (`physicalAddress`, `kernelPointer`).

/// A decoded paging-structure invocation.
enum PageTableOperation {
    /// `performPageTableInvocationMap` (x86: `performX86PageTableInvocationMap`,
    /// `performX64PageDirectoryInvocationMap`, `performX64PDPTInvocationMap`): the structure's
    /// slot takes `cap` (mapped, with its ASID and address) and `entry` the link to it.
    case map(Slot, Capability, entry: UnsafeMutablePointer<Word>, link: Word)
    /// `perform…InvocationUnmap`: unlinked and cleared if it was mapped.
    case unmap(Slot)
}

/// The paging invocations, whatever their labels on an architecture. x86_64's structure
/// invocations carry the level they belong to (1 PDPT, 2 page directory, 3 page table).
enum PagingOperation: Equatable {
    case pageTableMap, pageTableUnmap, pageMap, pageUnmap, pageGetAddress, asidControlMakePool, asidPoolAssign
    case structureMap(level: Int), structureUnmap(level: Int)
}

extension Kernel {
    /// An Sv39 kernel decodes libsel4's riscv64 labels, an x86_64 one libsel4's x86_64 labels;
    /// an identity kernel only knows its architecture's `PageGetAddress`.
    func pagingOperation(_ label: Word) -> PagingOperation? {
        switch configuration.paging {
        case .identity:
            return label == Kernel.pageGetAddressLabel ? .pageGetAddress : nil
        case .sv39:
            switch label {
            case RISCVInvocationLabel.pageTableMap: return .pageTableMap
            case RISCVInvocationLabel.pageTableUnmap: return .pageTableUnmap
            case RISCVInvocationLabel.pageMap: return .pageMap
            case RISCVInvocationLabel.pageUnmap: return .pageUnmap
            case RISCVInvocationLabel.pageGetAddress: return .pageGetAddress
            case RISCVInvocationLabel.asidControlMakePool: return .asidControlMakePool
            case RISCVInvocationLabel.asidPoolAssign: return .asidPoolAssign
            default: return nil
            }
        case .x86_64:
            switch label {
            case X86InvocationLabel.pdptMap: return .structureMap(level: 1)
            case X86InvocationLabel.pdptUnmap: return .structureUnmap(level: 1)
            case X86InvocationLabel.pageDirectoryMap: return .structureMap(level: 2)
            case X86InvocationLabel.pageDirectoryUnmap: return .structureUnmap(level: 2)
            case X86InvocationLabel.pageTableMap: return .structureMap(level: 3)
            case X86InvocationLabel.pageTableUnmap: return .structureUnmap(level: 3)
            case X86InvocationLabel.pageMap: return .pageMap
            case X86InvocationLabel.pageUnmap: return .pageUnmap
            case X86InvocationLabel.pageGetAddress: return .pageGetAddress
            case X86InvocationLabel.asidControlMakePool: return .asidControlMakePool
            case X86InvocationLabel.asidPoolAssign: return .asidPoolAssign
            default: return nil
            }
        }
    }

    /// `isValidNativeRoot`: a VSpace root with an ASID (x86_64: a PML4 cap; Sv39: any page
    /// table, which the ASID lookup then has to name).
    func isValidNativeRoot(_ cap: Capability) -> Bool {
        cap.type == .pageTable && cap.pageTableIsMapped && (configuration.paging != .x86_64 || cap.pageTableLevel == 0)
    }

    /// `findVSpaceForASID` and the check that the ASID still names the cap's root. Returns the
    /// root's address and ASID.
    func vspaceRoot(of cap: Capability) throws(SyscallError) -> (root: Word, asid: Word) {
        let asid = cap.mapping.asid
        guard let root = findVSpace(asid: asid) else { throw .failedLookup(isSource: false, .invalidRoot) }
        guard root == cap.address else { throw .invalidCapability(index: 1) }
        return (root, asid)
    }

    /// The checks Sv39 Map invocations share: the VSpace cap (extra cap 0) must be a mapped
    /// root whose ASID still names it.
    func mappedVSpace(_ cap: Capability) throws(SyscallError) -> (root: Word, asid: Word) {
        guard isValidNativeRoot(cap) else { throw .invalidCapability(index: 1) }
        return try vspaceRoot(of: cap)
    }

    /// Paging-structure invocations of the kernel's model.
    func decodePageTableInvocation(_ invocation: Invocation, slot: Slot, cap: Capability) throws(SyscallError) -> PageTableOperation {
        if configuration.paging == .x86_64 { return try decodeX86PagingStructureInvocation(invocation, slot: slot, cap: cap) }
        switch pagingOperation(invocation.label) {
        case .pageTableUnmap:
            guard isFinal(slot) else { throw .revokeFirst }
            // A VSpace root leaves only by deleting its last cap.
            if cap.pageTableIsMapped, findVSpace(asid: cap.mapping.asid) == cap.address { throw .revokeFirst }
            return .unmap(slot)
        case .pageTableMap:
            // `seL4_RISCV_PageTable_Map(table, vspace, vaddr, attr)` (seL4
            // `decodeRISCVPageTableInvocation`).
            guard invocation.length >= 2, let vspaceSlot = invocation.extraCap(0) else { throw .truncatedMessage }
            guard !cap.pageTableIsMapped else { throw .invalidCapability(index: 0) }
            let address = invocation.argument(0)
            let vspaceCap = vspaceSlot.cap
            guard isValidNativeRoot(vspaceCap) else { throw .invalidCapability(index: 1) }
            guard address < configuration.userTop else { throw .invalidArgument(index: 0) }
            let (root, asid) = try vspaceRoot(of: vspaceCap)
            // The kernel chooses the level: the first empty entry on the walk.
            let found = lookupPTSlot(root: root, address)
            guard found.bitsLeft != Constants.pageBits, found.entry.pointee & PTE.valid == 0 else { throw .deleteFirst }
            var mapped = cap
            mapped.pageTableIsMapped = true
            mapped.mapping = MappingData(asid: asid, address: address & ~lowBitsMask(found.bitsLeft))
            return .map(slot, mapped, entry: found.entry, link: PTE.table(physicalAddress(mapped.address)))
        default:
            throw .illegalOperation
        }
    }

    /// `seL4_X86_PDPT_Map`, `seL4_X86_PageDirectory_Map` and `seL4_X86_PageTable_Map(structure,
    /// vspace, vaddr, attr)` and their Unmaps (seL4 `decodeX64PDPTInvocation`,
    /// `decodeX64PageDirectoryInvocation`, `decodeX86PageTableInvocation`: the same checks in
    /// the same order, at the structure's own level). A PML4 has no invocations
    /// (`decodeX86ModeMMUInvocation`).
    func decodeX86PagingStructureInvocation(_ invocation: Invocation, slot: Slot, cap: Capability) throws(SyscallError) -> PageTableOperation {
        let level = cap.pageTableLevel
        guard level > 0 else { throw .illegalOperation }
        let operation = pagingOperation(invocation.label)
        if operation == .structureUnmap(level: level) {
            guard isFinal(slot) else { throw .revokeFirst }
            return .unmap(slot)
        }
        guard operation == .structureMap(level: level) else { throw .illegalOperation }
        guard invocation.length >= 2, let vspaceSlot = invocation.extraCap(0) else { throw .truncatedMessage }
        guard !cap.pageTableIsMapped else { throw .invalidCapability(index: 0) }
        // The entry linking a level-n structure sits in level n-1 and covers these bits:
        // PDPT 39 (a PML4 entry), page directory 30, page table 21.
        let linkBits = PagingModel.x86_64.rootBits - 9 * (level - 1)
        let address = invocation.argument(0) & ~lowBitsMask(linkBits)
        let attributes = invocation.argument(1)
        let vspaceCap = vspaceSlot.cap
        guard isValidNativeRoot(vspaceCap) else { throw .invalidCapability(index: 1) }
        guard address <= PagingModel.x86UserTop else { throw .invalidArgument(index: 0) }
        let (root, asid) = try vspaceRoot(of: vspaceCap)
        let found = lookupPTSlot(root: root, address, stoppingAt: linkBits)
        guard found.bitsLeft == linkBits else {
            throw .failedLookup(isSource: false, .missingCapability(bitsLeft: found.bitsLeft))
        }
        // A table or a large page already there.
        guard found.entry.pointee & X86PTE.present == 0 else { throw .deleteFirst }
        var mapped = cap
        mapped.pageTableIsMapped = true
        mapped.mapping = MappingData(asid: asid, address: address)
        return .map(slot, mapped, entry: found.entry,
                    link: X86PTE.table(physicalAddress(cap.address), attributes: attributes))
    }

    /// `perform…InvocationMap` / `perform…InvocationUnmap`.
    func perform(_ operation: PageTableOperation) -> InvocationResult {
        switch operation {
        case .unmap(let slot):
            let cap = slot.cap
            if cap.pageTableIsMapped {
                unmapPageTable(cap)
                UnsafeMutableRawPointer(bitPattern: UInt(cap.address))!
                    .initializeMemory(as: UInt8.self, repeating: 0, count: 1 << Constants.pageTableBits)
            }
            // seL4 clears only the mapped flag; the old ASID and address stay in the cap.
            var unmapped = cap
            unmapped.pageTableIsMapped = false
            slot.cap = unmapped
        case .map(let slot, let mapped, let entry, let link):
            slot.cap = mapped
            entry.pointee = link
        }
        return .empty
    }

    /// `unmapPageTable` (x86 also `unmapPageDirectory`, `unmapPDPT`): removes the entry that
    /// links the structure into its VSpace, if the VSpace still exists and still links it
    /// where the cap says.
    func unmapPageTable(_ cap: Capability) {
        guard let root = findVSpace(asid: cap.mapping.asid) else { return }
        let model = configuration.paging
        let address = cap.mapping.address
        var table = PageTable(address: root)
        var bitsLeft = model.rootBits
        while bitsLeft > Constants.pageBits {
            let entry = table.entries + PageTable.index(of: address, bitsLeft: bitsLeft)
            guard model.isTable(entry.pointee, bitsLeft: bitsLeft) else { return }
            if model.address(entry.pointee, bitsLeft: bitsLeft) == physicalAddress(cap.address) {
                entry.pointee = 0
                translationsChanged()
                return
            }
            table = PageTable(address: kernelPointer(physical: model.address(entry.pointee, bitsLeft: bitsLeft)))
            bitsLeft -= 9
        }
    }

    /// A paging-structure cap's last copy went (seL4 `Arch_finaliseCap`): a VSpace root loses
    /// its ASID, a mapped structure leaves its parent.
    func finalisePageTable(_ cap: Capability) {
        guard cap.pageTableIsMapped else { return }
        if findVSpace(asid: cap.mapping.asid) == cap.address {
            deleteASID(cap.mapping.asid, root: cap.address)
        } else {
            unmapPageTable(cap)
        }
    }

    /// The VSpace a thread runs in (seL4 `setVMRoot`): the root and ASID of a valid VSpace
    /// cap in its TCB whose ASID still names it, or nil, and the platform then runs it with
    /// only the kernel's mappings (every user access faults).
    @inline(__always)
    public func vspace(of thread: Thread) -> (root: Word, asid: Word)? {
        let cap = thread.slot(.vspace).cap
        guard cap.type == .pageTable, cap.pageTableIsMapped, findVSpace(asid: cap.mapping.asid) == cap.address else {
            return nil
        }
        return (cap.address, cap.mapping.asid)
    }
}
