import SeL4ABI

/// The kinds of capability the kernel knows. Architecture caps a hosted kernel has no use for
/// (IRQ, ASID, IO ports, domains) exist so that the initial CSpace holds caps at seL4's slot
/// numbers; invoking them is `seL4_IllegalOperation`.
public enum CapType: UInt8, Sendable {
    case null = 0
    case untyped
    case endpoint
    case notification
    case reply
    case cnode
    case thread
    case frame
    /// A paging structure; `level` 0 is the VSpace root (x86_64 PML4, RISC-V root table).
    case pageTable
    case irqControl
    case asidControl
    case asidPool
    case ioPortControl
    case domain
}

/// `vm_rights` of a frame cap (seL4: VMKernelOnly 1, VMReadOnly 2, VMReadWrite 3).
public enum VMRights: UInt8, Sendable {
    case kernelOnly = 1
    case readOnly = 2
    case readWrite = 3

    /// `maskVMRights`: what remains of a frame's rights after a Copy/Mint with `rights`.
    func masked(by rights: CapRights) -> VMRights {
        switch self {
        case .readWrite where rights.contains(.read) && rights.contains(.write): .readWrite
        case .readWrite, .readOnly: rights.contains(.read) ? .readOnly : .kernelOnly
        case .kernelOnly: .kernelOnly
        }
    }
}

/// A capability: two words, as in seL4 (a slot is 32 bytes: cap plus derivation links).
///
/// word0: bits 0..47 object address, 48..52 type, 53..56 rights (endpoint/notification/reply:
/// `CapRights`; frame: `VMRights`), 57..62 a size field (CNode radix, untyped/frame size bits,
/// page-table level), bit 63 a flag (untyped/frame: device memory; reply: master).
/// word1: endpoint/notification badge; CNode guard data (`CNodeCapData`); untyped free index
/// in bytes; frame and page-table mapping (`MappingData`: ASID in bits 48..63, virtual address
/// below); ASID pool's first ASID. Host addresses fit in 48 bits; riscv64's upper-half kernel
/// window is stored in them and sign-extended back (`address`).
public struct Capability: Equatable, Sendable {
    public var word0: Word
    public var word1: Word

    @inlinable init(word0: Word, word1: Word) {
        self.word0 = word0
        self.word1 = word1
    }

    init(type: CapType, address: Word, rights: Word = 0, size: Int = 0, flag: Bool = false, data: Word = 0) {
        word0 = (address & Self.addressMask)
            | Word(type.rawValue) << 48
            | (rights & 0xF) << 53
            | Word(size & 0x3F) << 57
            | (flag ? 1 << 63 : 0)
        word1 = data
    }

    @usableFromInline static let addressMask: Word = (1 << 48) - 1

    public static let null = Capability(word0: 0, word1: 0)

    /// The cap's type. Tags are only ever written from a `CapType`, and every value of the
    /// 5-bit field up to `domain` is one; anything else reads as null.
    @inlinable public var type: CapType {
        let tag = UInt8(truncatingIfNeeded: (word0 >> 48) & 0x1F)
        return tag <= CapType.domain.rawValue ? unsafeBitCast(tag, to: CapType.self) : .null
    }
    @inlinable public var isNull: Bool { word0 == 0 }
    /// The object's kernel pointer: the low 48 bits. On riscv64 they are sign-extended, so that
    /// the kernel window in the upper half (0xffffffc0_00000000) round-trips; hosted kernels
    /// hold user-half host pointers, which on aarch64 Linux may use all 48 bits.
    #if arch(riscv64)
    @inlinable public var address: Word { Word(bitPattern: Int64(bitPattern: word0 << 16) >> 16) }
    #else
    @inlinable public var address: Word { word0 & Self.addressMask }
    #endif
    var rightsBits: Word { (word0 >> 53) & 0xF }
    var sizeField: Int { Int((word0 >> 57) & 0x3F) }
    var flag: Bool {
        get { word0 >> 63 != 0 }
        set { word0 = newValue ? word0 | 1 << 63 : word0 & ~(1 << 63) }
    }

    // MARK: Endpoint and notification caps

    public static func endpoint(_ address: Word, badge: Word = 0, rights: CapRights = .all) -> Capability {
        Capability(type: .endpoint, address: address, rights: rights.rawValue, data: badge)
    }
    /// Notification caps store only Read and Write (RIGHTS-2).
    public static func notification(_ address: Word, badge: Word = 0, rights: CapRights = .all) -> Capability {
        Capability(type: .notification, address: address,
                   rights: rights.intersection([.read, .write]).rawValue, data: badge)
    }
    /// Rights of an endpoint, notification or reply cap.
    @inlinable public var rights: CapRights { CapRights(rawValue: (word0 >> 53) & 0xF) }
    /// The badge of an endpoint or notification cap; 0 means unbadged (BADGE-1).
    @inlinable public var badge: Word { word1 }

    // MARK: Reply caps (non-MCS: a TCB pointer, a master flag and a Grant bit, RIGHTS-2)

    static func reply(thread: Word, canGrant: Bool, isMaster: Bool) -> Capability {
        Capability(type: .reply, address: thread, rights: canGrant ? CapRights.grant.rawValue : 0, flag: isMaster)
    }
    var replyCanGrant: Bool { rights.contains(.grant) }
    var isMasterReply: Bool { flag }

    // MARK: CNode caps

    static func cnode(_ address: Word, radix: Int, guardValue: Word = 0, guardSize: Int = 0) -> Capability {
        Capability(type: .cnode, address: address, size: radix,
                   data: CNodeCapData(guard: guardValue, guardSize: Word(guardSize)).rawValue)
    }
    public var cnodeRadix: Int { sizeField }
    public var cnodeGuardSize: Int { CNodeCapData(rawValue: word1).guardSize }
    public var cnodeGuard: Word { CNodeCapData(rawValue: word1).guardValue }

    // MARK: Untyped caps

    static func untyped(_ address: Word, sizeBits: Int, isDevice: Bool, freeIndex: Word = 0) -> Capability {
        Capability(type: .untyped, address: address, size: sizeBits, flag: isDevice, data: freeIndex)
    }
    public var untypedSizeBits: Int { sizeField }
    public var untypedIsDevice: Bool { flag }
    /// Bytes of the untyped already handed out (the watermark), from its start.
    public var untypedFreeIndex: Word {
        get { word1 }
        set { word1 = newValue }
    }

    // MARK: Frames and paging structures

    static func frame(_ address: Word, sizeBits: Int, isDevice: Bool, rights: VMRights = .readWrite,
                      mapping: MappingData = .unmapped) -> Capability {
        Capability(type: .frame, address: address, rights: Word(rights.rawValue), size: sizeBits, flag: isDevice,
                   data: mapping.rawValue)
    }
    public var frameSizeBits: Int { sizeField }
    public var frameIsDevice: Bool { flag }
    public var frameRights: VMRights { VMRights(rawValue: UInt8(rightsBits)) ?? .kernelOnly }
    /// Where a frame or page table is mapped (a frame cap is one mapping: copies start unmapped).
    public var mapping: MappingData {
        get { MappingData(rawValue: word1) }
        set { word1 = newValue.rawValue }
    }

    /// `isMapped` is the cap's mapped state: a VSpace root with an ASID assigned, or a table
    /// mapped into a VSpace (`mapping` says where).
    static func pageTable(_ address: Word, level: Int, isMapped: Bool = false, mapping: MappingData = .unmapped) -> Capability {
        Capability(type: .pageTable, address: address, size: level, flag: isMapped, data: mapping.rawValue)
    }
    public var pageTableLevel: Int { sizeField }
    public internal(set) var pageTableIsMapped: Bool {
        get { flag }
        set { flag = newValue }
    }

    /// An ASID pool: its object and the first of the 512 ASIDs it hands out.
    static func asidPool(_ address: Word, base: Word) -> Capability {
        Capability(type: .asidPool, address: address, data: base)
    }
    var asidPoolBase: Word { word1 }

    // MARK: Other objects

    static func thread(_ address: Word) -> Capability { Capability(type: .thread, address: address) }
    static func opaque(_ type: CapType, address: Word = 0) -> Capability { Capability(type: type, address: address) }

    /// Size in bytes of the memory a cap covers (for region comparisons).
    var regionBytes: Word {
        switch type {
        case .untyped: 1 << Word(untypedSizeBits)
        case .frame: 1 << Word(frameSizeBits)
        case .cnode: 1 << Word(cnodeRadix + Constants.slotBits)
        case .thread: 1 << Word(Constants.threadBits)
        case .endpoint: 1 << Word(Constants.endpointBits)
        case .notification: 1 << Word(Constants.notificationBits)
        case .pageTable: 1 << Word(Constants.pageTableBits)
        default: 1
        }
    }
}

// MARK: - Relations between caps (CNODE-3, CNODE-8, XFER-7)

extension Capability {
    /// `sameRegionAs`: `other` names memory inside this cap's object (an untyped covers every
    /// object retyped from it).
    func sameRegion(as other: Capability) -> Bool {
        switch type {
        case .null:
            return false
        case .untyped:
            guard !other.isNull, other.type != .reply, other.address != 0 else { return false }
            let start = address, end = address + regionBytes - 1
            let otherEnd = other.address + other.regionBytes - 1
            return other.address >= start && otherEnd <= end && other.address <= otherEnd
        case .endpoint, .notification, .thread:
            return other.type == type && other.address == address
        case .cnode:
            return other.type == .cnode && other.address == address && other.cnodeRadix == cnodeRadix
        case .frame:
            return other.type == .frame && other.address == address && other.frameSizeBits == frameSizeBits
        case .pageTable:
            return other.type == .pageTable && other.address == address
        case .reply:
            return other.type == .reply && other.address == address
        case .asidPool:
            return other.type == .asidPool && other.address == address
        case .irqControl, .asidControl, .ioPortControl, .domain:
            return other.type == type && other.address == address
        }
    }

    /// `sameObjectAs`: both caps name the same object. Untyped caps never do, so deleting one
    /// never finalises anything.
    func sameObject(as other: Capability) -> Bool {
        if type == .untyped { return false }
        return sameRegion(as: other)
    }

    /// `deriveCap` (XFER-7) for caps without CDT children questions: reply caps derive to null;
    /// a frame cap derives to an unmapped cap to the same frame (a cap is one mapping, seL4's
    /// `Arch_deriveCap`). The untyped-with-children rule needs the slot and is checked by the
    /// caller.
    var derived: Capability {
        switch type {
        // XFER-7: reply and IRQ-control caps never derive; nor does x86's IO-port control
        // (`Arch_deriveCap`).
        case .reply, .irqControl, .ioPortControl:
            return .null
        case .frame:
            var copy = self
            copy.mapping = .unmapped
            return copy
        default:
            return self
        }
    }

    /// `maskCapRights`: rights never grow (CNODE-3).
    func maskingRights(_ mask: CapRights) -> Capability {
        var cap = self
        switch type {
        case .endpoint, .notification, .reply:
            let kept = rights.intersection(mask)
            cap.word0 = (cap.word0 & ~(0xF << 53)) | kept.rawValue << 53
        case .frame:
            cap.word0 = (cap.word0 & ~(0xF << 53)) | Word(frameRights.masked(by: mask).rawValue) << 53
        default:
            break
        }
        return cap
    }

    /// `updateCapData` (CNODE-3, CNODE-6). `preserve` is Mutate/Rotate mode, where
    /// endpoint and notification caps always become null; in Mint mode they take the badge
    /// only if they have none. CNode caps take a guard if it fits in the word.
    func updatingData(_ data: Word, preserve: Bool) -> Capability {
        switch type {
        case .endpoint, .notification:
            if preserve || badge != 0 { return .null }
            var cap = self
            cap.word1 = data
            return cap
        case .cnode:
            let capData = CNodeCapData(rawValue: data)
            let guardSize = capData.guardSize
            if guardSize + cnodeRadix > Constants.wordBits { return .null }
            let guardMask: Word = guardSize >= 64 ? ~0 : (1 << Word(guardSize)) - 1
            var cap = self
            cap.word1 = CNodeCapData(guard: capData.guardValue & guardMask, guardSize: Word(guardSize)).rawValue
            return cap
        default:
            return self
        }
    }
}

/// Where a frame or page-table cap is mapped: an ASID (0: none) and a virtual address, packed
/// into a cap's second word.
public struct MappingData: Equatable, Sendable {
    public var rawValue: Word
    public init(rawValue: Word) { self.rawValue = rawValue }
    public init(asid: Word, address: Word) { rawValue = asid << 48 | (address & Capability.addressMask) }
    public static let unmapped = MappingData(rawValue: 0)
    public var asid: Word { rawValue >> 48 }
    public var address: Word { rawValue & Capability.addressMask }
    public var isMapped: Bool { asid != 0 }
}
