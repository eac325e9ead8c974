import SeL4ABI

/// Page tables (RISC-V Sv39, seL4's riscv64 model; facts in docs/notes/riscv-vspace-facts.md).
///
/// A page table is one 4 KiB object of 512 entries. The same object type serves at every
/// level: given an ASID (`seL4_RISCV_ASIDPool_Assign`) it is a VSpace root; mapped with
/// `seL4_RISCV_PageTable_Map` it is an intermediate table. Three levels translate 39-bit
/// virtual addresses: bits 38..30, 29..21 and 20..12 index the levels, leaves may sit at any
/// level (1 GiB, 2 MiB, 4 KiB pages).
///
/// Entries hold physical addresses, caps and the kernel's walks kernel pointers: the two
/// differ by `KernelConfiguration.kernelWindowOffset` (`physicalAddress`, `kernelPointer`).

/// How user virtual memory works in a kernel build.
public enum PagingModel: Sendable, Equatable {
    /// Hosted: frames are identity-mapped into the one address space the host gives every
    /// program; only `Page_GetAddress` is offered, other paging invocations are refused.
    case identity
    /// RISC-V Sv39 page tables built by seL4's riscv64 invocations.
    case sv39

    /// The model of the architecture the kernel is compiled for.
    public static var native: PagingModel {
        #if arch(riscv64)
        .sv39
        #else
        .identity
        #endif
    }
}

/// Sv39 page-table entry bits (the RISC-V privileged specification).
public enum PTE {
    public static let valid: Word = 1 << 0
    public static let read: Word = 1 << 1
    public static let write: Word = 1 << 2
    public static let execute: Word = 1 << 3
    public static let user: Word = 1 << 4
    public static let global: Word = 1 << 5
    public static let accessed: Word = 1 << 6
    public static let dirty: Word = 1 << 7

    /// An entry pointing at a next-level table: valid, no permissions.
    public static func table(_ address: Word) -> Word { (address >> 12) << 10 | valid }
    /// The physical address an entry names.
    public static func address(_ entry: Word) -> Word { ((entry >> 10) & ((1 << 44) - 1)) << 12 }
    public static func isTable(_ entry: Word) -> Bool { entry & valid != 0 && entry & (read | write | execute) == 0 }

    /// `makeUserPTE`: a user leaf with the rights left after masking. Accessed and dirty are
    /// preset so no hardware needs to update them. With neither read, write nor execute the
    /// entry is invalid (seL4 maps nothing for a kernel-only, non-executable frame).
    static func user(_ address: Word, rights: VMRights, executable: Bool) -> Word {
        let readable = rights != .kernelOnly, writable = rights == .readWrite
        guard readable || writable || executable else { return 0 }
        return (address >> 12) << 10 | dirty | accessed | user | (executable ? execute : 0)
            | (writable ? write : 0) | (readable ? read : 0) | valid
    }
}

/// An object that is a page of words, read and written in place: a page table, an ASID pool.
struct WordPage {
    let entries: UnsafeMutablePointer<Word>

    init(address: Word) {
        entries = UnsafeMutablePointer<Word>(bitPattern: UInt(address))!
    }

    subscript(index: Int) -> Word {
        get { entries[index] }
        nonmutating set { entries[index] = newValue }
    }
}

/// A page table object: 512 entries.
typealias PageTable = WordPage

extension WordPage {
    static let entryCount = 512
    /// Bits a root-level entry translates (1 GiB).
    static let rootBits = 30

    static func index(of address: Word, bitsLeft: Int) -> Int { Int((address >> Word(bitsLeft)) & 511) }
}

/// `lookupPTSlot`'s result: the entry that translates the address at the deepest level
/// reached, and how many low address bits that entry covers (30, 21 or 12).
struct PTSlot {
    let entry: UnsafeMutablePointer<Word>
    let bitsLeft: Int
}

/// A decoded page-table invocation.
enum PageTableOperation {
    /// `performPageTableInvocationMap`: the table's slot takes `cap` (mapped, with its ASID
    /// and address) and `entry` a pointer to the table.
    case map(Slot, Capability, entry: UnsafeMutablePointer<Word>)
    /// `performPageTableInvocationUnmap`: unlinked and cleared if it was mapped.
    case unmap(Slot)
}

/// The paging invocations, whatever their labels on an architecture.
enum PagingOperation: Equatable {
    case pageTableMap, pageTableUnmap, pageMap, pageUnmap, pageGetAddress, asidControlMakePool, asidPoolAssign
}

extension Kernel {
    /// An Sv39 kernel decodes libsel4's riscv64 labels; a hosted (identity) kernel only knows
    /// its architecture's `PageGetAddress`.
    func pagingOperation(_ label: Word) -> PagingOperation? {
        guard configuration.paging == .sv39 else {
            return label == Kernel.pageGetAddressLabel ? .pageGetAddress : nil
        }
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
    }

    /// `lookupPTSlot`: walks from `root` while entries point at further tables.
    func lookupPTSlot(root: Word, _ address: Word) -> PTSlot {
        var table = PageTable(address: root)
        var bitsLeft = PageTable.rootBits
        while true {
            let entry = table.entries + PageTable.index(of: address, bitsLeft: bitsLeft)
            if bitsLeft == Constants.pageBits || !PTE.isTable(entry.pointee) {
                return PTSlot(entry: entry, bitsLeft: bitsLeft)
            }
            table = PageTable(address: kernelPointer(physical: PTE.address(entry.pointee)))
            bitsLeft -= 9
        }
    }

    /// The checks Map invocations share: the VSpace cap (extra cap 0) must be a page table
    /// with an ASID that still names it. Returns the root's address and ASID.
    func mappedVSpace(_ cap: Capability) throws(SyscallError) -> (root: Word, asid: Word) {
        guard cap.type == .pageTable, cap.pageTableIsMapped else { throw .invalidCapability(index: 1) }
        let asid = cap.mapping.asid
        guard let root = findVSpace(asid: asid) else { throw .failedLookup(isSource: false, .invalidRoot) }
        guard root == cap.address else { throw .invalidCapability(index: 1) }
        return (root, asid)
    }

    /// Page-table invocations: `seL4_RISCV_PageTable_Map(table, vspace, vaddr, attr)` and
    /// `seL4_RISCV_PageTable_Unmap(table)` (seL4 `decodeRISCVPageTableInvocation`).
    func decodePageTableInvocation(_ invocation: Invocation, slot: Slot, cap: Capability) throws(SyscallError) -> PageTableOperation {
        switch pagingOperation(invocation.label) {
        case .pageTableUnmap:
            guard isFinal(slot) else { throw .revokeFirst }
            // A VSpace root leaves only by deleting its last cap.
            if cap.pageTableIsMapped, findVSpace(asid: cap.mapping.asid) == cap.address { throw .revokeFirst }
            return .unmap(slot)
        case .pageTableMap:
            guard invocation.length >= 2, let vspaceSlot = invocation.extraCap(0) else { throw .truncatedMessage }
            guard !cap.pageTableIsMapped else { throw .invalidCapability(index: 0) }
            let address = invocation.argument(0)
            let vspaceCap = vspaceSlot.cap
            guard vspaceCap.type == .pageTable, vspaceCap.pageTableIsMapped else { throw .invalidCapability(index: 1) }
            guard address < configuration.userTop else { throw .invalidArgument(index: 0) }
            let (root, asid) = try mappedVSpace(vspaceCap)
            // The kernel chooses the level: the first empty entry on the walk.
            let found = lookupPTSlot(root: root, address)
            guard found.bitsLeft != Constants.pageBits, found.entry.pointee & PTE.valid == 0 else { throw .deleteFirst }
            var mapped = cap
            mapped.pageTableIsMapped = true
            mapped.mapping = MappingData(asid: asid, address: address & ~lowBitsMask(found.bitsLeft))
            return .map(slot, mapped, entry: found.entry)
        default:
            throw .illegalOperation
        }
    }

    /// `performPageTableInvocationMap` / `performPageTableInvocationUnmap`.
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
        case .map(let slot, let mapped, let entry):
            slot.cap = mapped
            entry.pointee = PTE.table(physicalAddress(mapped.address))
        }
        return .empty
    }

    /// `unmapPageTable`: removes the entry that links the table into its VSpace, if the VSpace
    /// still exists and still links it there.
    func unmapPageTable(_ cap: Capability) {
        guard let root = findVSpace(asid: cap.mapping.asid) else { return }
        let address = cap.mapping.address
        var table = PageTable(address: root)
        var bitsLeft = PageTable.rootBits
        while bitsLeft > Constants.pageBits {
            let entry = table.entries + PageTable.index(of: address, bitsLeft: bitsLeft)
            guard PTE.isTable(entry.pointee) else { return }
            if PTE.address(entry.pointee) == physicalAddress(cap.address) {
                entry.pointee = 0
                translationGeneration &+= 1
                return
            }
            table = PageTable(address: kernelPointer(physical: PTE.address(entry.pointee)))
            bitsLeft -= 9
        }
    }

    /// A paging-structure cap's last copy went (seL4 `Arch_finaliseCap`): a VSpace root loses
    /// its ASID, a mapped table leaves its parent.
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
