/// What an `seL4_Untyped_Retype` object type creates.
enum ObjectKind: Equatable {
    case untyped
    case thread
    case endpoint
    case notification
    case cnode
    case frame(sizeBits: Int)
    case pageTable(level: Int)
}

/// seL4's object-type numbers for the architecture (`seL4_ObjectType`, `api_object_t` then
/// the mode and arch types, as libsel4 numbers them).
public enum ObjectType {
    public static let untyped: Word = 0
    public static let thread: Word = 1
    public static let endpoint: Word = 2
    public static let notification: Word = 3
    public static let cnode: Word = 4

    #if arch(x86_64)
    // seL4_X86_PDPTObject 5, seL4_X64_PML4Object 6, seL4_X64_HugePageObject 7, seL4_X86_4K 8,
    // seL4_X86_LargePageObject 9, seL4_X86_PageTableObject 10, seL4_X86_PageDirectoryObject 11.
    public static let smallPage: Word = 8
    public static let count: Word = 12
    static func kind(of type: Word) -> ObjectKind? {
        switch type {
        case 0: .untyped
        case 1: .thread
        case 2: .endpoint
        case 3: .notification
        case 4: .cnode
        case 5: .pageTable(level: 1)
        case 6: .pageTable(level: 0)
        case 7: .frame(sizeBits: Constants.hugePageBits)
        case 8: .frame(sizeBits: Constants.pageBits)
        case 9: .frame(sizeBits: Constants.largePageBits)
        case 10: .pageTable(level: 3)
        case 11: .pageTable(level: 2)
        default: nil
        }
    }
    #elseif arch(arm64)
    // seL4_ARM_HugePageObject 5, seL4_ARM_VSpaceObject 6, seL4_ARM_SmallPageObject 7,
    // seL4_ARM_LargePageObject 8, seL4_ARM_PageTableObject 9.
    public static let smallPage: Word = 7
    public static let count: Word = 10
    static func kind(of type: Word) -> ObjectKind? {
        switch type {
        case 0: .untyped
        case 1: .thread
        case 2: .endpoint
        case 3: .notification
        case 4: .cnode
        case 5: .frame(sizeBits: Constants.hugePageBits)
        case 6: .pageTable(level: 0)
        case 7: .frame(sizeBits: Constants.pageBits)
        case 8: .frame(sizeBits: Constants.largePageBits)
        case 9: .pageTable(level: 3)
        default: nil
        }
    }
    #else
    // seL4_RISCV_Giga_Page 5, seL4_RISCV_4K_Page 6, seL4_RISCV_Mega_Page 7,
    // seL4_RISCV_PageTableObject 8.
    public static let smallPage: Word = 6
    public static let count: Word = 9
    static func kind(of type: Word) -> ObjectKind? {
        switch type {
        case 0: .untyped
        case 1: .thread
        case 2: .endpoint
        case 3: .notification
        case 4: .cnode
        case 5: .frame(sizeBits: Constants.hugePageBits)
        case 6: .frame(sizeBits: Constants.pageBits)
        case 7: .frame(sizeBits: Constants.largePageBits)
        case 8: .pageTable(level: 0)
        default: nil
        }
    }
    #endif

    /// `getObjectSize`: log2 bytes of one object; `userSize` is the radix of a CNode and the
    /// size of an untyped.
    static func sizeBits(of kind: ObjectKind, userSize: Int) -> Int {
        switch kind {
        case .untyped: userSize
        case .thread: Constants.threadBits
        case .endpoint: Constants.endpointBits
        case .notification: Constants.notificationBits
        case .cnode: userSize + Constants.slotBits
        case .frame(let bits): bits
        case .pageTable: Constants.pageTableBits
        }
    }
}
