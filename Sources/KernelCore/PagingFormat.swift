import SeL4ABI

/// How user virtual memory is laid out, level by level, and what its entries hold. The
/// decode logic of the paging invocations (PageTable.swift, Frame.swift, ASIDPool.swift) is
/// written once over this; only the entry encodings and each architecture's rules differ.
/// Facts: docs/notes/riscv-vspace-facts.md (Sv39), docs/notes/x86-vspace-facts.md (x86_64).

/// How user virtual memory works in a kernel build.
public enum PagingModel: Sendable, Equatable {
    /// Frames are identity-mapped into the one address space the host gives every program;
    /// only `Page_GetAddress` is offered, other paging invocations are refused (hosted
    /// aarch64).
    case identity
    /// RISC-V Sv39 page tables built by seL4's riscv64 invocations.
    case sv39
    /// x86_64 four-level paging (PML4, PDPT, page directory, page table) built by seL4's
    /// x86_64 invocations. Hosted, the platform also maps the frames at their virtual
    /// addresses in the host process (`Kernel.forEachUserMapping`).
    case x86_64

    /// The model of the architecture the kernel is compiled for.
    public static var native: PagingModel {
        #if arch(riscv64)
        .sv39
        #elseif arch(x86_64)
        .x86_64
        #else
        .identity
        #endif
    }

    /// x86_64's `USER_TOP` (`PPTR_USER_TOP`, 0x00007fffffffffff): the last user address.
    public static let x86UserTop: Word = 0x0000_7FFF_FFFF_FFFF

    /// Address bits one entry of the root table translates: Sv39 30 (three levels of 9 index
    /// bits above the 12-bit page offset), x86_64 39 (four levels; `PML4_INDEX_OFFSET`).
    var rootBits: Int { self == .x86_64 ? 39 : 30 }

    /// Whether `entry` translates anything (Sv39 V, x86 P).
    func isPresent(_ entry: Word) -> Bool {
        self == .x86_64 ? entry & X86PTE.present != 0 : entry & PTE.valid != 0
    }

    /// Whether `entry`, in a table whose entries cover `bitsLeft` address bits, points at a
    /// next-level table rather than mapping a page.
    func isTable(_ entry: Word, bitsLeft: Int) -> Bool {
        self == .x86_64 ? X86PTE.isTable(entry, bitsLeft: bitsLeft) : PTE.isTable(entry)
    }

    /// The physical address `entry` (covering `bitsLeft` bits) names.
    func address(_ entry: Word, bitsLeft: Int) -> Word {
        self == .x86_64 ? X86PTE.address(entry, bitsLeft: bitsLeft) : PTE.address(entry)
    }

    /// An entry linking the table at `physical` (x86: `makeUserPML4E`, `makeUserPDPTEPageDirectory`,
    /// `makeUserPDEPageTable`, with the cache attributes of `attributes`; Sv39: a pointer entry).
    func tableEntry(_ physical: Word, attributes: Word) -> Word {
        self == .x86_64 ? X86PTE.table(physical, attributes: attributes) : PTE.table(physical)
    }

    /// A user leaf mapping the page at `physical`, covering `bitsLeft` bits, with `rights`
    /// (after masking) and the architecture's attribute word.
    func leafEntry(_ physical: Word, bitsLeft: Int, rights: VMRights, attributes: Word) -> Word {
        if self == .x86_64 { return X86PTE.leaf(physical, bitsLeft: bitsLeft, rights: rights, attributes: attributes) }
        // seL4_RISCV_ExecuteNever is bit 0 of the attributes.
        return PTE.user(physical, rights: rights, executable: attributes & 1 == 0)
    }

    /// What user code may do through a leaf: nil if nothing (kernel-only or invalid).
    func userAccess(_ entry: Word) -> (readable: Bool, writable: Bool)? {
        guard isPresent(entry) else { return nil }
        if self == .x86_64 {
            guard entry & X86PTE.user != 0 else { return nil }
            return (true, entry & X86PTE.writable != 0)
        }
        guard entry & PTE.user != 0, entry & (PTE.read | PTE.write) != 0 else { return nil }
        return (entry & PTE.read != 0, entry & PTE.write != 0)
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

/// x86_64 paging-structure entry bits (Intel SDM vol. 3A, 4.5; seL4's `pml4e`, `pdpte`, `pde`
/// and `pte` bitfields).
public enum X86PTE {
    public static let present: Word = 1 << 0
    public static let writable: Word = 1 << 1
    /// U/S: user code may use the translation (seL4 `super_user`).
    public static let user: Word = 1 << 2
    public static let writeThrough: Word = 1 << 3
    public static let cacheDisabled: Word = 1 << 4
    /// PS in a PDPTE or PDE: the entry maps a 1 GiB or 2 MiB page instead of a table.
    public static let pageSize: Word = 1 << 7
    /// PAT in a 4 KiB PTE (bit 7) and in a large-page PDPTE or PDE (bit 12).
    public static let patSmall: Word = 1 << 7
    public static let patLarge: Word = 1 << 12
    static let addressMask: Word = 0x000F_FFFF_FFFF_F000

    /// `seL4_X86_VMAttributes` as `vmAttributesFromWord` reads them: bit 0 PWT, bit 1 PCD,
    /// bit 2 PAT.
    static func cacheBits(_ attributes: Word) -> Word {
        (attributes & 1 != 0 ? writeThrough : 0) | (attributes & 2 != 0 ? cacheDisabled : 0)
    }

    static func isTable(_ entry: Word, bitsLeft: Int) -> Bool {
        entry & present != 0 && bitsLeft > Constants.pageBits && (bitsLeft == 39 || entry & pageSize == 0)
    }

    static func address(_ entry: Word, bitsLeft: Int) -> Word {
        let isLargeLeaf = bitsLeft > Constants.pageBits && bitsLeft < 39 && entry & pageSize != 0
        return entry & addressMask & (isLargeLeaf ? ~lowBitsMask(bitsLeft) : ~0)
    }

    /// A table entry: present, writable and user, so the leaves alone decide the rights.
    static func table(_ physical: Word, attributes: Word) -> Word {
        physical & addressMask | cacheBits(attributes) | user | writable | present
    }

    /// `makeUserPTE`, `makeUserPDELargePage`, `makeUserPDPTEHugePage`: `WritableFromVMRights`
    /// (read-only clears R/W; kernel-only keeps it) and `SuperUserFromVMRights` (kernel-only
    /// clears U/S).
    static func leaf(_ physical: Word, bitsLeft: Int, rights: VMRights, attributes: Word) -> Word {
        let large = bitsLeft > Constants.pageBits
        let pat = attributes & 4 != 0 ? (large ? patLarge : patSmall) : 0
        return physical & addressMask | pat | (large ? pageSize : 0) | cacheBits(attributes)
            | (rights == .kernelOnly ? 0 : user) | (rights == .readOnly ? 0 : writable) | present
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

/// A paging structure: 512 entries at every level.
typealias PageTable = WordPage

extension WordPage {
    static let entryCount = 512
    /// Bits a Sv39 root entry translates (1 GiB).
    static let rootBits = 30

    static func index(of address: Word, bitsLeft: Int) -> Int { Int((address >> Word(bitsLeft)) & 511) }
}

/// `lookupPTSlot`'s result: the entry that translates the address at the deepest level
/// reached, and how many low address bits that entry covers (x86_64 39, 30, 21 or 12; Sv39
/// 30, 21 or 12).
struct PTSlot {
    let entry: UnsafeMutablePointer<Word>
    let bitsLeft: Int
}

extension Kernel {
    /// `lookupPTSlot` (and x86's `lookupPDPTSlot`, `lookupPDSlot`): walks from `root` while
    /// entries point at further tables, stopping at the entry that covers `stopBits`. A walk
    /// that stops above it found no table there: seL4 reports that as a missing capability
    /// with the bits the stopping entry covers.
    func lookupPTSlot(root: Word, _ address: Word, stoppingAt stopBits: Int = Constants.pageBits) -> PTSlot {
        let model = configuration.paging
        var table = PageTable(address: root)
        var bitsLeft = model.rootBits
        while true {
            let entry = table.entries + PageTable.index(of: address, bitsLeft: bitsLeft)
            if bitsLeft <= stopBits || !model.isTable(entry.pointee, bitsLeft: bitsLeft) {
                return PTSlot(entry: entry, bitsLeft: bitsLeft)
            }
            table = PageTable(address: kernelPointer(physical: model.address(entry.pointee, bitsLeft: bitsLeft)))
            bitsLeft -= 9
        }
    }

    /// A VSpace's translations changed: platforms that cache them (the RISC-V TLB, the hosted
    /// runtime's host mappings) see the generation move and hear of it.
    func translationsChanged() {
        translationGeneration &+= 1
        observer?.translationsChanged()
    }

    /// Which VSpace a thread runs in may have changed (a VSpace cap left or entered a TCB's
    /// slot), not what any VSpace translates: platforms that cache a thread's address space
    /// (`vspace(of:)`) see the generation move; mirrors of the translations have nothing to do.
    func vspaceBindingsChanged() {
        translationGeneration &+= 1
    }

    /// Every user-accessible leaf of every VSpace: its ASID, virtual address, the physical
    /// address of the page, its size and whether user code may write it. The hosted runtime
    /// mirrors these as host mappings.
    public func forEachUserMapping(_ body: (_ asid: Word, _ address: Word, _ physical: Word, _ sizeBits: Int,
                                            _ writable: Bool) -> Void) {
        let model = configuration.paging
        guard model != .identity else { return }
        for high in 0..<ASID.poolCount where asidTable[high] != 0 {
            let pool = ASIDPool(address: asidTable[high])
            for low in 0..<ASID.poolSize where pool[low] != 0 {
                let asid = Word(high) << Word(ASID.lowBits) | Word(low)
                forEachLeaf(of: pool[low], model: model, table: pool[low], bitsLeft: model.rootBits, base: 0) {
                    address, physical, bits, writable in body(asid, address, physical, bits, writable)
                }
            }
        }
    }

    /// The user leaves under one table. Depth is bounded by the model's levels.
    private func forEachLeaf(of root: Word, model: PagingModel, table: Word, bitsLeft: Int, base: Word,
                             _ body: (Word, Word, Int, Bool) -> Void) {
        let entries = PageTable(address: table)
        for index in 0..<PageTable.entryCount {
            let entry = entries[index]
            guard model.isPresent(entry) else { continue }
            var address = base | Word(index) << Word(bitsLeft)
            // Sv39 addresses are bit 38 sign-extended.
            if model == .sv39 && bitsLeft == model.rootBits && index >= 256 { address |= ~lowBitsMask(39) }
            if model.isTable(entry, bitsLeft: bitsLeft) {
                let next = kernelPointer(physical: model.address(entry, bitsLeft: bitsLeft))
                forEachLeaf(of: root, model: model, table: next, bitsLeft: bitsLeft - 9, base: address, body)
            } else if let access = model.userAccess(entry), access.readable || access.writable {
                body(address, model.address(entry, bitsLeft: bitsLeft), bitsLeft, access.writable)
            }
        }
    }
}
