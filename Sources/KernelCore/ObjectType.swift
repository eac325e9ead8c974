import SeL4ABI

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

/// What the architecture's object-type numbers (SeL4ABI's `ObjectType`) create.
extension ObjectType {
    static func kind(of type: Word) -> ObjectKind? {
        switch type {
        case untyped: return .untyped
        case thread: return .thread
        case endpoint: return .endpoint
        case notification: return .notification
        case cnode: return .cnode
        default: break
        }
        #if arch(x86_64)
        switch type {
        case X86_64.pdpt: return .pageTable(level: 1)
        case X86_64.pml4: return .pageTable(level: 0)
        case X86_64.hugePage: return .frame(sizeBits: Constants.hugePageBits)
        case X86_64.smallPage: return .frame(sizeBits: Constants.pageBits)
        case X86_64.largePage: return .frame(sizeBits: Constants.largePageBits)
        case X86_64.pageTable: return .pageTable(level: 3)
        case X86_64.pageDirectory: return .pageTable(level: 2)
        default: return nil
        }
        #elseif arch(arm64)
        switch type {
        case AArch64.hugePage: return .frame(sizeBits: Constants.hugePageBits)
        case AArch64.vspace: return .pageTable(level: 0)
        case AArch64.smallPage: return .frame(sizeBits: Constants.pageBits)
        case AArch64.largePage: return .frame(sizeBits: Constants.largePageBits)
        case AArch64.pageTable: return .pageTable(level: 3)
        default: return nil
        }
        #else
        switch type {
        case RISCV64.gigaPage: return .frame(sizeBits: Constants.hugePageBits)
        case RISCV64.smallPage: return .frame(sizeBits: Constants.pageBits)
        case RISCV64.megaPage: return .frame(sizeBits: Constants.largePageBits)
        case RISCV64.pageTable: return .pageTable(level: 0)
        default: return nil
        }
        #endif
    }

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
