/// `seL4_MessageInfo_t`, the message tag (MSG-1): label 52 | capsUnwrapped 3 | extraCaps 2 |
/// length 7, most-significant field first. `@frozen` and `@inlinable` throughout: the kernel core
/// decodes and builds tags on the IPC fastpath, from another module, at no cost.
@frozen
public struct MessageInfo: Equatable, Sendable {
    public var rawValue: Word

    @inlinable public init(rawValue: Word) { self.rawValue = rawValue }

    /// The corresponding libsel4 call is `seL4_MessageInfo_new(label, capsUnwrapped, extraCaps, length)`.
    @inlinable
    public init(label: Word, capsUnwrapped: Word = 0, extraCaps: Word = 0, length: Word) {
        rawValue = (label & Self.labelMask) << 12
            | (capsUnwrapped & 0x7) << 9
            | (extraCaps & 0x3) << 7
            | (length & 0x7F)
    }

    @inlinable public static var labelMask: Word { (1 << 52) - 1 }

    @inlinable public var label: Word {
        get { rawValue >> 12 }
        set { rawValue = (rawValue & 0xFFF) | (newValue & Self.labelMask) << 12 }
    }
    @inlinable public var capsUnwrapped: Word {
        get { (rawValue >> 9) & 0x7 }
        set { rawValue = (rawValue & ~(0x7 << 9)) | (newValue & 0x7) << 9 }
    }
    @inlinable public var extraCaps: Word {
        get { (rawValue >> 7) & 0x3 }
        set { rawValue = (rawValue & ~(0x3 << 7)) | (newValue & 0x3) << 7 }
    }
    @inlinable public var length: Word {
        get { rawValue & 0x7F }
        set { rawValue = (rawValue & ~0x7F) | (newValue & 0x7F) }
    }

    /// The tag as the kernel decodes it from the msgInfo register: a length field of 121..127
    /// reads as 120, other fields untouched (MSG-3).
    @inlinable
    public static func decodedFromRegister(_ word: Word) -> MessageInfo {
        var info = MessageInfo(rawValue: word)
        if info.length > Word(Constants.msgMaxLength) { info.length = Word(Constants.msgMaxLength) }
        return info
    }
}

/// `seL4_CapRights_t` (RIGHTS-1): bit 0 Write, bit 1 Read, bit 2 Grant, bit 3 GrantReply.
@frozen
public struct CapRights: OptionSet, Equatable, Sendable {
    public var rawValue: Word
    @inlinable public init(rawValue: Word) { self.rawValue = rawValue & 0xF }

    @inlinable public static var write: CapRights { CapRights(rawValue: 1 << 0) }
    @inlinable public static var read: CapRights { CapRights(rawValue: 1 << 1) }
    @inlinable public static var grant: CapRights { CapRights(rawValue: 1 << 2) }
    @inlinable public static var grantReply: CapRights { CapRights(rawValue: 1 << 3) }

    /// `seL4_AllRights`.
    @inlinable public static var all: CapRights { CapRights(rawValue: 0xF) }
    /// `seL4_ReadWrite`.
    @inlinable public static var readWrite: CapRights { CapRights(rawValue: 0x3) }
    /// `seL4_NoRights`.
    @inlinable public static var none: CapRights { CapRights(rawValue: 0) }

    /// The corresponding libsel4 call is `seL4_CapRights_new(grantReply, grant, read, write)`.
    @inlinable
    public init(grantReply: Bool, grant: Bool, read: Bool, write: Bool) {
        var raw: Word = 0
        if write { raw |= 1 }
        if read { raw |= 2 }
        if grant { raw |= 4 }
        if grantReply { raw |= 8 }
        self.init(rawValue: raw)
    }
}

/// `seL4_CNode_CapData_t` (BADGE-2): guard 58 bits (63..6) | guardSize 6 bits (5..0).
@frozen
public struct CNodeCapData: Equatable, Sendable {
    public var rawValue: Word
    @inlinable public init(rawValue: Word) { self.rawValue = rawValue }
    /// The corresponding libsel4 call is `seL4_CNode_CapData_new(guard, guardSize)`.
    @inlinable public init(guard: Word, guardSize: Word) {
        rawValue = (`guard` & ((1 << 58) - 1)) << 6 | (guardSize & 0x3F)
    }
    @inlinable public var guardValue: Word { rawValue >> 6 }
    @inlinable public var guardSize: Int { Int(rawValue & 0x3F) }
}
