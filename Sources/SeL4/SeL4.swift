@_exported import CSeL4
// The ABI's Swift value types, shared with the kernel core (SeL4ABI states them once).
@_exported import struct SeL4ABI.MessageInfo
@_exported import struct SeL4ABI.CapRights
@_exported import struct SeL4ABI.CNodeCapData
@_exported import enum SeL4ABI.ErrorCode
import SeL4ABI

// The SeL4 module: seL4's user API for Swift programs running on SwiftL4.
//
// Two layers. seL4's own names (`seL4_Call`, `seL4_SetMR`, `seL4_CNode_Mint`...) come from
// `sel4/sel4.h` unchanged, for people porting C. Above them, Swift-shaped wrappers: `CPtr`,
// `MessageInfo`, `IPCBuffer`, typed caps (`Endpoint`, `Notification`, `CNode`, `TCB`,
// `Untyped`) whose invocations throw `SeL4Error`. Each wrapper's doc comment names the libsel4
// call it makes.

/// A capability pointer: an address in the caller's CSpace (`seL4_CPtr`).
public struct CPtr: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    public var rawValue: seL4_CPtr
    public init(rawValue: seL4_CPtr) { self.rawValue = rawValue }
    public init(_ rawValue: seL4_CPtr) { self.rawValue = rawValue }
    public init(integerLiteral value: UInt) { rawValue = value }
    public var description: String { "CPtr(\(rawValue))" }

    /// `seL4_CapNull`.
    public static let null = CPtr(0)
    /// `seL4_CapInitThreadTCB`, `seL4_CapInitThreadCNode`, `seL4_CapInitThreadVSpace`.
    public static let initThreadTCB = CPtr(seL4_CPtr(InitialSlot.thread))
    public static let initThreadCNode = CPtr(seL4_CPtr(InitialSlot.cnode))
    public static let initThreadVSpace = CPtr(seL4_CPtr(InitialSlot.vspace))
}

/// A kernel invocation's error (`seL4_Error`) with its detail words, as read with
/// `seL4_GetMR` after the failed call (ERR-2).
public struct SeL4Error: Error, Equatable, CustomStringConvertible {
    public var code: ErrorCode
    public var details: [seL4_Word]

    public var description: String { "\(code) \(details)" }

    /// Throws for a non-zero `seL4_Error` returned by a libsel4 invocation.
    static func check(_ error: seL4_Error) throws(SeL4Error) {
        let raw = UInt64(error.rawValue)
        guard raw != 0 else { return }
        let code = ErrorCode(rawValue: raw) ?? .invalidArgument
        let count: Int
        switch code {
        case .invalidArgument, .invalidCapability, .notEnoughMemory: count = 1
        case .rangeError: count = 2
        case .failedLookup:
            // MR0 source flag, MR1 the failure type, then its fields (LOOKUP-6).
            switch IPCBuffer.mr(1) {
            case 2: count = 3
            case 3: count = 4
            case 4: count = 5
            default: count = 2
            }
        default: count = 0
        }
        throw SeL4Error(code: code, details: (0..<count).map { IPCBuffer.mr($0) })
    }
}

extension MessageInfo {
    /// To and from libsel4's `seL4_MessageInfo_t` (the same 64-bit layout, MSG-1).
    public init(_ info: seL4_MessageInfo_t) { self.init(rawValue: UInt64(info.words)) }
    public var cValue: seL4_MessageInfo_t { seL4_MessageInfo_t(words: UInt(rawValue)) }
}

extension CapRights {
    public var cValue: seL4_CapRights_t { seL4_CapRights_t(words: UInt(rawValue)) }
}

/// The running thread's IPC buffer (`seL4_GetIPCBuffer()`): message registers, extra caps
/// and badges, and the receive path.
public enum IPCBuffer {
    /// `seL4_GetMR(i)`.
    public static func mr(_ i: Int) -> seL4_Word { seL4_GetMR(Int32(i)) }
    /// `seL4_SetMR(i, value)`.
    public static func setMR(_ i: Int, _ value: seL4_Word) { seL4_SetMR(Int32(i), value) }
    /// `seL4_SetCap(i, cptr)`: extra cap `i` of the next message.
    public static func setCap(_ i: Int, _ cap: CPtr) { seL4_SetCap(Int32(i), cap.rawValue) }
    /// `seL4_GetBadge(i)`: the badge of unwrapped cap `i` of the last message.
    public static func badge(_ i: Int) -> seL4_Word { seL4_GetBadge(Int32(i)) }
    /// `seL4_SetCapReceivePath(cnode, index, depth)`: where a received cap goes.
    public static func setReceivePath(cnode: CPtr, index: CPtr, depth: Int = 64) {
        seL4_SetCapReceivePath(cnode.rawValue, index.rawValue, seL4_Word(depth))
    }
    /// The message registers 0..<count.
    public static func words(_ count: Int) -> [seL4_Word] { (0..<count).map(mr) }
    /// Sets message registers 0..<words.count.
    public static func setWords(_ words: [seL4_Word]) {
        for (i, word) in words.enumerated() { setMR(i, word) }
    }
}

/// What a receive returns: the message tag and the sender's badge.
public struct Received: Sendable {
    public var info: MessageInfo
    public var badge: seL4_Word
}

/// An endpoint cap.
public struct Endpoint: Hashable, Sendable {
    public var cptr: CPtr
    public init(_ cptr: CPtr) { self.cptr = cptr }

    /// `seL4_Send`.
    public func send(_ info: MessageInfo) { seL4_Send(cptr.rawValue, info.cValue) }
    /// `seL4_NBSend`: dropped silently if nobody waits (SEND-3).
    public func nbSend(_ info: MessageInfo) { seL4_NBSend(cptr.rawValue, info.cValue) }
    /// `seL4_Call`: send, then wait for the reply.
    public func call(_ info: MessageInfo) -> MessageInfo { MessageInfo(seL4_Call(cptr.rawValue, info.cValue)) }
    /// `seL4_Recv`.
    public func recv() -> Received {
        var badge: seL4_Word = 0
        let info = seL4_Recv(cptr.rawValue, &badge)
        return Received(info: MessageInfo(info), badge: badge)
    }
    /// `seL4_NBRecv`: badge 0 when nothing was waiting (RECV-6).
    public func nbRecv() -> Received {
        var badge: seL4_Word = 0
        let info = seL4_NBRecv(cptr.rawValue, &badge)
        return Received(info: MessageInfo(info), badge: badge)
    }
    /// `seL4_ReplyRecv`: reply to the last caller, then wait on this endpoint.
    public func replyRecv(_ info: MessageInfo) -> Received {
        var badge: seL4_Word = 0
        let received = seL4_ReplyRecv(cptr.rawValue, info.cValue, &badge)
        return Received(info: MessageInfo(received), badge: badge)
    }
}

/// `seL4_Reply`: answer the last caller (a no-op without one, REPLY-1).
public func reply(_ info: MessageInfo) { seL4_Reply(info.cValue) }

/// `seL4_Yield`.
public func yield() { seL4_Yield() }

/// A notification cap.
public struct Notification: Hashable, Sendable {
    public var cptr: CPtr
    public init(_ cptr: CPtr) { self.cptr = cptr }
    /// `seL4_Signal`.
    public func signal() { seL4_Signal(cptr.rawValue) }
    /// `seL4_Wait`: the accumulated badge bits.
    public func wait() -> seL4_Word {
        var badge: seL4_Word = 0
        seL4_Wait(cptr.rawValue, &badge)
        return badge
    }
    /// `seL4_Poll`: 0 if nothing was pending (PIT-7).
    public func poll() -> seL4_Word {
        var badge: seL4_Word = 0
        _ = seL4_Poll(cptr.rawValue, &badge)
        return badge
    }
}

/// A CNode cap. Slots are named by index and depth within it (CNODE-2).
public struct CNode: Hashable, Sendable {
    public var cptr: CPtr
    public init(_ cptr: CPtr) { self.cptr = cptr }

    /// `seL4_CNode_Mint`.
    public func mint(to dest: CPtr, depth: Int = 64, from source: CPtr, in sourceRoot: CNode? = nil, sourceDepth: Int = 64,
                     rights: CapRights = .all, badge: seL4_Word) throws(SeL4Error) {
        try SeL4Error.check(seL4_CNode_Mint(cptr.rawValue, dest.rawValue, seL4_Uint8(depth), (sourceRoot ?? self).cptr.rawValue,
                                            source.rawValue, seL4_Uint8(sourceDepth), rights.cValue, badge))
    }
    /// `seL4_CNode_Copy`.
    public func copy(to dest: CPtr, depth: Int = 64, from source: CPtr, in sourceRoot: CNode? = nil, sourceDepth: Int = 64,
                     rights: CapRights = .all) throws(SeL4Error) {
        try SeL4Error.check(seL4_CNode_Copy(cptr.rawValue, dest.rawValue, seL4_Uint8(depth), (sourceRoot ?? self).cptr.rawValue,
                                            source.rawValue, seL4_Uint8(sourceDepth), rights.cValue))
    }
    /// `seL4_CNode_Move`.
    public func move(to dest: CPtr, depth: Int = 64, from source: CPtr, in sourceRoot: CNode? = nil, sourceDepth: Int = 64) throws(SeL4Error) {
        try SeL4Error.check(seL4_CNode_Move(cptr.rawValue, dest.rawValue, seL4_Uint8(depth), (sourceRoot ?? self).cptr.rawValue,
                                            source.rawValue, seL4_Uint8(sourceDepth)))
    }
    /// `seL4_CNode_Delete`.
    public func delete(_ slot: CPtr, depth: Int = 64) throws(SeL4Error) {
        try SeL4Error.check(seL4_CNode_Delete(cptr.rawValue, slot.rawValue, seL4_Uint8(depth)))
    }
    /// `seL4_CNode_Revoke`.
    public func revoke(_ slot: CPtr, depth: Int = 64) throws(SeL4Error) {
        try SeL4Error.check(seL4_CNode_Revoke(cptr.rawValue, slot.rawValue, seL4_Uint8(depth)))
    }
    /// `seL4_CNode_SaveCaller`.
    public func saveCaller(to slot: CPtr, depth: Int = 64) throws(SeL4Error) {
        try SeL4Error.check(seL4_CNode_SaveCaller(cptr.rawValue, slot.rawValue, seL4_Uint8(depth)))
    }
    /// `seL4_CNode_CancelBadgedSends`.
    public func cancelBadgedSends(_ slot: CPtr, depth: Int = 64) throws(SeL4Error) {
        try SeL4Error.check(seL4_CNode_CancelBadgedSends(cptr.rawValue, slot.rawValue, seL4_Uint8(depth)))
    }
}

/// A TCB cap.
public struct TCB: Hashable, Sendable {
    public var cptr: CPtr
    public init(_ cptr: CPtr) { self.cptr = cptr }
    /// `seL4_TCB_Resume`.
    public func resume() throws(SeL4Error) { try SeL4Error.check(seL4_TCB_Resume(cptr.rawValue)) }
    /// `seL4_TCB_Suspend`.
    public func suspend() throws(SeL4Error) { try SeL4Error.check(seL4_TCB_Suspend(cptr.rawValue)) }
    /// `seL4_TCB_SetPriority`.
    public func setPriority(_ priority: Int, authority: TCB) throws(SeL4Error) {
        try SeL4Error.check(seL4_TCB_SetPriority(cptr.rawValue, authority.cptr.rawValue, seL4_Word(priority)))
    }
    /// `seL4_TCB_BindNotification`.
    public func bind(_ notification: Notification) throws(SeL4Error) {
        try SeL4Error.check(seL4_TCB_BindNotification(cptr.rawValue, notification.cptr.rawValue))
    }
    /// `seL4_DebugNameThread`.
    public func setName(_ name: String) { name.withCString { seL4_DebugNameThread(cptr.rawValue, $0) } }
}

/// An untyped memory cap.
public struct Untyped: Hashable, Sendable {
    public var cptr: CPtr
    public init(_ cptr: CPtr) { self.cptr = cptr }
    /// `seL4_Untyped_Retype`: `count` objects of `type` into `root`'s slots from `offset`.
    public func retype(_ type: seL4_Word, sizeBits: Int = 0, root: CNode, index: CPtr = 0, depth: Int = 0,
                       offset: Int, count: Int = 1) throws(SeL4Error) {
        try SeL4Error.check(seL4_Untyped_Retype(cptr.rawValue, type, seL4_Word(sizeBits), root.cptr.rawValue,
                                                index.rawValue, seL4_Word(depth), seL4_Word(offset), seL4_Word(count)))
    }
}

/// A Swift program's view of its protection domain: its name, its caps by the names the system
/// description gave them (the Swift counterpart of C's `extern seL4_CPtr NAME;`) and the
/// addresses of its mapped memory regions by their `setvar_vaddr` names (C's
/// `extern uintptr_t NAME;`).
public struct ProgramEnvironment: Sendable {
    public var name: String
    public var caps: [String: CPtr]
    public var addresses: [String: UInt]
    public init(name: String, caps: [String: CPtr], addresses: [String: UInt] = [:]) {
        self.name = name
        self.caps = caps
        self.addresses = addresses
    }
    /// The slot of the cap named `name`; `CPtr.null` if the description has none.
    public subscript(_ name: String) -> CPtr { caps[name] ?? .null }
    /// The memory a `<map ... setvar_vaddr="name">` gives the program, or nil if it has none.
    public func memory(_ name: String) -> UnsafeMutableRawPointer? {
        addresses[name].flatMap { UnsafeMutableRawPointer(bitPattern: $0) }
    }
}
