import SeL4ABI

/// `_thread_state` (TS-1), with seL4's numbering.
public enum ThreadState: UInt8, Sendable {
    case inactive = 0
    case running = 1
    case restart = 2
    case blockedOnReceive = 3
    case blockedOnSend = 4
    case blockedOnReply = 5
    case blockedOnNotification = 6
    case idle = 7

    /// `isRunnable` (TS-1).
    @inlinable public var isRunnable: Bool {
        @inline(__always) get { self == .running || self == .restart }
    }
    /// Blocked on something that, once no thread can run, nothing will bring: a send, a reply
    /// or a signal. (Waiting in Recv is how a finished server rests, so it is not stuck.)
    public var isStuckWhenIdle: Bool {
        switch self {
        case .blockedOnSend, .blockedOnReply, .blockedOnNotification: true
        default: false
        }
    }
    /// The state's name in traces and reports: seL4's `ThreadState_` name with a lower-case
    /// first letter ("blockedOnReceive"). The one table of thread-state names.
    public var name: StaticString {
        switch self {
        case .inactive: "inactive"
        case .running: "running"
        case .restart: "restart"
        case .blockedOnReceive: "blockedOnReceive"
        case .blockedOnSend: "blockedOnSend"
        case .blockedOnReply: "blockedOnReply"
        case .blockedOnNotification: "blockedOnNotification"
        case .idle: "idle"
        }
    }

    /// `isStopped` (TS-1): inactive or blocked.
    public var isStopped: Bool {
        switch self {
        case .inactive, .blockedOnReceive, .blockedOnSend, .blockedOnReply, .blockedOnNotification: true
        default: false
        }
    }
}

/// The TCB's capability slots (TS-4, non-MCS numbering). `reply` and `caller` are not
/// addressable by any CPtr.
public enum ThreadSlot: Int, Sendable {
    case cspace = 0
    case vspace = 1
    case reply = 2
    case caller = 3
    case ipcBuffer = 4
    static let count = 5
}

/// A fault a thread has taken (FAULT-3..6), kept in the TCB until its handler replies.
public enum Fault: Equatable, Sendable {
    case none
    case capFault(address: Word, inReceivePhase: Bool, failure: LookupFailure)
    case unknownSyscall(number: Word)
    case userException(number: Word, code: Word)
    case vmFault(address: Word, isInstructionFetch: Bool, status: Word)

    /// The fault a RISC-V trap from user mode raises (seL4 `c_handle_exception`,
    /// `handleVMFault`): access and page faults are VM faults at `stval`, their status
    /// normalised to the access-fault cause (instruction 1, load 5, store/AMO 7) and
    /// instruction fetches marked as prefetch faults; every other cause (an illegal instruction,
    /// a misaligned access, a breakpoint) is a user exception numbered by `scause`, code 0.
    public static func riscvException(cause: Word, value: Word) -> Fault {
        switch cause {
        case 1, 12: .vmFault(address: value, isInstructionFetch: true, status: 1)
        case 5, 13: .vmFault(address: value, isInstructionFetch: false, status: 5)
        case 7, 15: .vmFault(address: value, isInstructionFetch: false, status: 7)
        default: .userException(number: cause, code: 0)
        }
    }

    /// `seL4_Fault_tag` (non-MCS numbering).
    public var type: FaultType {
        switch self {
        case .none: .nullFault
        case .capFault: .capFault
        case .unknownSyscall: .unknownSyscall
        case .userException: .userException
        case .vmFault: .vmFault
        }
    }
    /// The fault message's label.
    public var label: Word { type.rawValue }
}

/// The TCB's scalar state. Lives in the TCB object after its five slots; see `Thread`.
@usableFromInline
struct ThreadFields {
    @usableFromInline var state: ThreadState
    var priority: UInt8
    var maxControlledPriority: UInt8
    var isInReadyQueue: Bool
    /// `tcbTimeSlice`: timer ticks left before a round-robin turn ends (SCHED-2).
    var timeSlice: UInt8
    /// Whether `fault` is not `.none`: one byte for the fastpath to test (FAST-3, FAST-4).
    var hasFault: Bool
    /// TS-2: what a blocked thread waits on and, for a blocked sender, its cap's badge and
    /// rights and whether it is a Call. For a blocked receiver, `blockingCanGrant` is the Grant
    /// right of its endpoint cap (the future reply cap's Grant bit).
    var blockingCanGrant: Bool
    var blockingCanGrantReply: Bool
    var blockingIsCall: Bool
    var blockingObject: Word
    var blockingBadge: Word
    /// Ready-queue links (SCHED-2).
    var schedulePrev: Word
    var scheduleNext: Word
    /// Endpoint or notification queue links (EP-2).
    var queuePrev: Word
    var queueNext: Word
    var fault: Fault
    /// `tcbFaultHandler`: a CPtr looked up in the thread's CSpace at fault time (FAULT-1).
    var faultHandler: Word
    /// `tcbIPCBuffer`: the buffer's user virtual address (IPCBUF-2).
    var ipcBufferAddress: Word
    var boundNotification: Word
    /// Where user code reaches the IPC buffer: the buffer frame's address plus the buffer's
    /// offset in it, computed when the buffer is set (0: no buffer frame).
    @usableFromInline var userIPCBuffer: Word
    /// `tcbFlags`: `seL4_TCBFlag`s set by `seL4_TCB_SetFlags`.
    var flags: Word
    /// `tcbDebugPrev`/`tcbDebugNext`: links of the kernel's list of every thread.
    var threadListPrev: Word
    var threadListNext: Word
}

/// A handle on a TCB object (2^11 bytes, `seL4_TCBBits`, all in untyped memory):
///
///     0     five capability slots (TS-4)
///     192   ThreadFields
///     512   the register file (`RegisterFile.count` words)
///     896   the thread's name, NUL-terminated (for traces)
///     1024  platform area: 1 KiB the platform may use as it likes (hosted: saved context)
public struct Thread: Hashable, @unchecked Sendable {
    public let base: UnsafeMutableRawPointer

    @usableFromInline static let fieldsOffset = 192
    @usableFromInline static let registersOffset = 512
    static let nameOffset = 896
    public static let platformAreaOffset = 1024
    public static let platformAreaBytes = 1024

    @inlinable public init(base: UnsafeMutableRawPointer) { self.base = base }

    @inlinable init?(address: Word) {
        guard let raw = UnsafeMutableRawPointer(bitPattern: UInt(address)) else { return nil }
        base = raw
    }

    public var address: Word { Word(UInt(bitPattern: base)) }

    /// Writes a new TCB's fields into zeroed memory. Needed because zero bits are not a valid
    /// `Fault.none` (payload enums keep their tag in spare bits).
    func initialiseFields() {
        fields.initialize(to: ThreadFields(
            state: .inactive, priority: 0, maxControlledPriority: 0, isInReadyQueue: false,
            timeSlice: UInt8(Constants.timeSlice), hasFault: false,
            blockingCanGrant: false, blockingCanGrantReply: false, blockingIsCall: false,
            blockingObject: 0, blockingBadge: 0, schedulePrev: 0, scheduleNext: 0, queuePrev: 0, queueNext: 0,
            fault: .none, faultHandler: 0, ipcBufferAddress: 0, boundNotification: 0, userIPCBuffer: 0, flags: 0,
            threadListPrev: 0, threadListNext: 0))
        #if arch(x86_64)
        self[register: RegisterFile.flags] = 0x202
        #endif
    }

    @usableFromInline var fields: UnsafeMutablePointer<ThreadFields> {
        (base + Thread.fieldsOffset).assumingMemoryBound(to: ThreadFields.self)
    }

    @inlinable public func slot(_ which: ThreadSlot) -> Slot { Slot.at(base: address, index: which.rawValue) }

    @inlinable public var state: ThreadState {
        get { fields.pointee.state }
        nonmutating set { fields.pointee.state = newValue }
    }
    public var priority: Int {
        get { Int(fields.pointee.priority) }
        nonmutating set { fields.pointee.priority = UInt8(truncatingIfNeeded: newValue) }
    }
    public var maxControlledPriority: Int {
        get { Int(fields.pointee.maxControlledPriority) }
        nonmutating set { fields.pointee.maxControlledPriority = UInt8(truncatingIfNeeded: newValue) }
    }
    public var fault: Fault {
        get { fields.pointee.fault }
        nonmutating set {
            fields.pointee.fault = newValue
            if case .none = newValue { fields.pointee.hasFault = false } else { fields.pointee.hasFault = true }
        }
    }
    var hasFault: Bool { fields.pointee.hasFault }
    public var faultHandler: Word {
        get { fields.pointee.faultHandler }
        nonmutating set { fields.pointee.faultHandler = newValue }
    }
    public var ipcBufferAddress: Word {
        get { fields.pointee.ipcBufferAddress }
        nonmutating set { fields.pointee.ipcBufferAddress = newValue }
    }
    /// Where the kernel reaches the thread's IPC buffer (`lookupIPCBuffer`'s answer, kept
    /// current by `updateUserIPCBuffer`); 0 if it has none.
    public var ipcBufferKernelAddress: Word { fields.pointee.userIPCBuffer }
    public var boundNotification: Notification? {
        get { Notification(address: fields.pointee.boundNotification) }
        nonmutating set { fields.pointee.boundNotification = newValue?.address ?? 0 }
    }
    /// `seL4_TCBFlag`s (`seL4_TCB_SetFlags`): `ThreadFlag.fpuDisabled` asks the platform to
    /// make the thread's floating-point instructions fault.
    public var flags: Word {
        get { fields.pointee.flags }
        nonmutating set { fields.pointee.flags = newValue }
    }
    /// The endpoint or notification a blocked thread waits on (TS-2).
    public var blockingObject: Word { fields.pointee.blockingObject }
    public var blockingBadge: Word { fields.pointee.blockingBadge }

    var queuePrev: Thread? {
        get { Thread(address: fields.pointee.queuePrev) }
        nonmutating set { fields.pointee.queuePrev = newValue?.address ?? 0 }
    }
    var queueNext: Thread? {
        get { Thread(address: fields.pointee.queueNext) }
        nonmutating set { fields.pointee.queueNext = newValue?.address ?? 0 }
    }

    /// The register file: the architecture's `seL4_UserContext` words then the kernel's extras.
    public var registers: UnsafeMutablePointer<Word> {
        (base + Thread.registersOffset).assumingMemoryBound(to: Word.self)
    }
    @inlinable public subscript(register index: Int) -> Word {
        get { (base + Thread.registersOffset).assumingMemoryBound(to: Word.self)[index] }
        nonmutating set { (base + Thread.registersOffset).assumingMemoryBound(to: Word.self)[index] = newValue }
    }

    /// Where register `index` lies in a TCB, in bytes from its base (for a platform's entry code,
    /// which stores the PC and the FaultIP itself).
    public static func registerByteOffset(_ index: Int) -> Int { registersOffset + index * MemoryLayout<Word>.stride }

    /// Memory the platform owns inside the TCB (its saved machine context, for instance).
    public var platformArea: UnsafeMutableRawPointer { base + Thread.platformAreaOffset }

    /// The name set by `seL4_DebugNameThread` or the system description.
    public var nameBytes: UnsafeMutablePointer<UInt8> {
        (base + Thread.nameOffset).assumingMemoryBound(to: UInt8.self)
    }
    public func setName(_ bytes: UnsafeBufferPointer<UInt8>) {
        let count = min(bytes.count, Constants.threadNameLength - 1)
        for i in 0..<count { nameBytes[i] = bytes[i] }
        nameBytes[count] = 0
    }
    public var nameLength: Int {
        var n = 0
        while n < Constants.threadNameLength - 1 && nameBytes[n] != 0 { n += 1 }
        return n
    }

    /// The thread's message registers 0..3 in its register file (ABI-1).
    @inlinable public func messageRegister(_ i: Int) -> Word { self[register: RegisterFile.messageRegisters(i)] }
    @inlinable public func setMessageRegister(_ i: Int, _ value: Word) {
        self[register: RegisterFile.messageRegisters(i)] = value
    }
}

/// The list of every thread (seL4's `ksDebugTCBs`, kept in every build here): a TCB joins it
/// when it is created and leaves it when its last cap goes, so deadlock reports, traces and
/// exit-status decisions see every thread, with no capacity to run out of.
extension Kernel {
    func threadListAppend(_ thread: Thread) {
        let tail = state.pointee.threadListTail
        thread.fields.pointee.threadListPrev = tail
        thread.fields.pointee.threadListNext = 0
        if let last = Thread(address: tail) {
            last.fields.pointee.threadListNext = thread.address
        } else {
            state.pointee.threadListHead = thread.address
        }
        state.pointee.threadListTail = thread.address
    }

    /// Idempotent: a thread not in the list is left alone.
    func threadListRemove(_ thread: Thread) {
        let prev = thread.fields.pointee.threadListPrev, next = thread.fields.pointee.threadListNext
        guard prev != 0 || state.pointee.threadListHead == thread.address else { return }
        if let before = Thread(address: prev) { before.fields.pointee.threadListNext = next } else { state.pointee.threadListHead = next }
        if let after = Thread(address: next) { after.fields.pointee.threadListPrev = prev } else { state.pointee.threadListTail = prev }
        thread.fields.pointee.threadListPrev = 0
        thread.fields.pointee.threadListNext = 0
    }

    /// Calls `body` for every thread, in creation order.
    public func forEachThread(_ body: (Thread) -> Void) {
        var cursor = state.pointee.threadListHead
        while let thread = Thread(address: cursor) {
            cursor = thread.fields.pointee.threadListNext
            body(thread)
        }
    }
}
