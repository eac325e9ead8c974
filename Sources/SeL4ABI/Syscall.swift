/// System-call numbers (ABI-2, `seL4_Syscall_ID`), with the debug calls of a debug build after
/// them.
public enum Syscall: Int, CaseIterable, Sendable {
    /// The system call numbered `number`, without a call into this module: the cases are
    /// declared in order from -1 down, so a valid number's case is the (-number - 1)-th, the
    /// tag Swift gives it (`SyscallTests` checks every case).
    @inlinable @inline(__always)
    public init?(number: Int) {
        guard number < 0 && number >= -Syscall.count else { return nil }
        self = unsafeBitCast(UInt8(truncatingIfNeeded: -number - 1), to: Syscall.self)
    }
    /// How many system calls there are (-1 through -count).
    @inlinable public static var count: Int { 14 }

    case call = -1
    case replyRecv = -2
    case send = -3
    case nbSend = -4
    case recv = -5
    case reply = -6
    case yield = -7
    case nbRecv = -8
    case debugPutChar = -9
    case debugDumpScheduler = -10
    case debugHalt = -11
    case debugCapIdentify = -12
    case debugSnapshot = -13
    case debugNameThread = -14

    /// seL4's name without its `seL4_Sys` prefix ("Call", "ReplyRecv"): the one table of
    /// system-call names that traces and reports print.
    public var name: StaticString {
        switch self {
        case .call: "Call"
        case .replyRecv: "ReplyRecv"
        case .send: "Send"
        case .nbSend: "NBSend"
        case .recv: "Recv"
        case .reply: "Reply"
        case .yield: "Yield"
        case .nbRecv: "NBRecv"
        case .debugPutChar: "DebugPutChar"
        case .debugDumpScheduler: "DebugDumpScheduler"
        case .debugHalt: "DebugHalt"
        case .debugCapIdentify: "DebugCapIdentify"
        case .debugSnapshot: "DebugSnapshot"
        case .debugNameThread: "DebugNameThread"
        }
    }

    /// The C name in `sel4/sel4.h` ("seL4_SysCall").
    public var cName: String { "seL4_Sys" + string(name) }
}

/// The generic invocation labels (CNODE-11, non-MCS: `enum invocation_label`). The kernel
/// decodes 1–25 except SetFlags; every other label replies IllegalOperation.
public enum InvocationLabel: Word, CaseIterable, Sendable {
    case invalidInvocation = 0
    case untypedRetype = 1
    case tcbReadRegisters = 2
    case tcbWriteRegisters = 3
    case tcbCopyRegisters = 4
    case tcbConfigure = 5
    case tcbSetPriority = 6
    case tcbSetMCPriority = 7
    case tcbSetSchedParams = 8
    case tcbSetIPCBuffer = 9
    case tcbSetSpace = 10
    case tcbSuspend = 11
    case tcbResume = 12
    case tcbBindNotification = 13
    case tcbUnbindNotification = 14
    case tcbSetTLSBase = 15
    case tcbSetFlags = 16
    case cnodeRevoke = 17
    case cnodeDelete = 18
    case cnodeCancelBadgedSends = 19
    case cnodeCopy = 20
    case cnodeMint = 21
    case cnodeMove = 22
    case cnodeMutate = 23
    case cnodeRotate = 24
    case cnodeSaveCaller = 25
    case irqIssueIRQHandler = 26
    case irqAckIRQ = 27
    case irqSetIRQHandler = 28
    case irqClearIRQHandler = 29
    case domainSetSet = 30
    /// Since seL4 15.0.0 (runtime domain schedules); every architecture label moved up by two.
    case domainScheduleConfigure = 31
    case domainScheduleSetStart = 32

    /// `nInvocationLabels`: the first architecture label.
    @inlinable public static var count: Word { 33 }

    /// The label's name in `sel4/sel4.h` (libsel4's generated `invocation.h` has no prefix).
    public var cName: StaticString {
        switch self {
        case .invalidInvocation: "InvalidInvocation"
        case .untypedRetype: "UntypedRetype"
        case .tcbReadRegisters: "TCBReadRegisters"
        case .tcbWriteRegisters: "TCBWriteRegisters"
        case .tcbCopyRegisters: "TCBCopyRegisters"
        case .tcbConfigure: "TCBConfigure"
        case .tcbSetPriority: "TCBSetPriority"
        case .tcbSetMCPriority: "TCBSetMCPriority"
        case .tcbSetSchedParams: "TCBSetSchedParams"
        case .tcbSetIPCBuffer: "TCBSetIPCBuffer"
        case .tcbSetSpace: "TCBSetSpace"
        case .tcbSuspend: "TCBSuspend"
        case .tcbResume: "TCBResume"
        case .tcbBindNotification: "TCBBindNotification"
        case .tcbUnbindNotification: "TCBUnbindNotification"
        case .tcbSetTLSBase: "TCBSetTLSBase"
        case .tcbSetFlags: "TCBSetFlags"
        case .cnodeRevoke: "CNodeRevoke"
        case .cnodeDelete: "CNodeDelete"
        case .cnodeCancelBadgedSends: "CNodeCancelBadgedSends"
        case .cnodeCopy: "CNodeCopy"
        case .cnodeMint: "CNodeMint"
        case .cnodeMove: "CNodeMove"
        case .cnodeMutate: "CNodeMutate"
        case .cnodeRotate: "CNodeRotate"
        case .cnodeSaveCaller: "CNodeSaveCaller"
        case .irqIssueIRQHandler: "IRQIssueIRQHandler"
        case .irqAckIRQ: "IRQAckIRQ"
        case .irqSetIRQHandler: "IRQSetIRQHandler"
        case .irqClearIRQHandler: "IRQClearIRQHandler"
        case .domainSetSet: "DomainSetSet"
        case .domainScheduleConfigure: "DomainScheduleConfigure"
        case .domainScheduleSetStart: "DomainScheduleSetStart"
        }
    }
}

/// libsel4's riscv64 paging invocation labels (`RISCVPageTableMap` 33 ... `RISCVASIDPoolAssign`
/// 39, after the 33 generic labels of seL4 16.x). Defined on every host so that tests and the
/// fuzzer can drive an Sv39 kernel anywhere.
public enum RISCVInvocationLabel {
    @inlinable public static var pageTableMap: Word { 33 }
    @inlinable public static var pageTableUnmap: Word { 34 }
    @inlinable public static var pageMap: Word { 35 }
    @inlinable public static var pageUnmap: Word { 36 }
    @inlinable public static var pageGetAddress: Word { 37 }
    @inlinable public static var asidControlMakePool: Word { 38 }
    @inlinable public static var asidPoolAssign: Word { 39 }
    @inlinable public static var all: ClosedRange<Word> { 33...39 }
}

/// libsel4's x86_64 paging invocation labels (seL4 16.x, no IOMMU or VT-x: `X86PDPTMap` 33 ...
/// `X86ASIDPoolAssign` 43, after the 33 generic labels). Defined on every host so that tests
/// and the fuzzer can drive a four-level x86_64 kernel anywhere.
public enum X86InvocationLabel {
    @inlinable public static var pdptMap: Word { 33 }
    @inlinable public static var pdptUnmap: Word { 34 }
    @inlinable public static var pageDirectoryMap: Word { 35 }
    @inlinable public static var pageDirectoryUnmap: Word { 36 }
    @inlinable public static var pageTableMap: Word { 37 }
    @inlinable public static var pageTableUnmap: Word { 38 }
    @inlinable public static var pageMap: Word { 39 }
    @inlinable public static var pageUnmap: Word { 40 }
    @inlinable public static var pageGetAddress: Word { 41 }
    @inlinable public static var asidControlMakePool: Word { 42 }
    @inlinable public static var asidPoolAssign: Word { 43 }
    @inlinable public static var all: ClosedRange<Word> { 33...43 }
}

/// The one aarch64 paging label a hosted kernel decodes (`ARMPageGetAddress`, seL4 16.x).
public enum ARMInvocationLabel {
    @inlinable public static var pageGetAddress: Word { 46 }
}

extension InvocationLabel {
    /// The architecture's `PageGetAddress` label (x86_64 41, aarch64 46, riscv64 37).
    #if arch(x86_64)
    @inlinable public static var pageGetAddress: Word { X86InvocationLabel.pageGetAddress }
    #elseif arch(arm64)
    @inlinable public static var pageGetAddress: Word { ARMInvocationLabel.pageGetAddress }
    #else
    @inlinable public static var pageGetAddress: Word { RISCVInvocationLabel.pageGetAddress }
    #endif
}

/// `seL4_TCBFlag` (seL4 14+), set and cleared by `seL4_TCB_SetFlags` (TCB-FLAGS-1).
public enum ThreadFlag {
    @inlinable public static var noFlag: Word { 0 }
    /// The thread's floating-point instructions fault; its FPU state is released.
    @inlinable public static var fpuDisabled: Word { 1 }
    /// `seL4_TCBFlag_MASK`: the flags this kernel knows.
    @inlinable public static var mask: Word { fpuDisabled }
}
