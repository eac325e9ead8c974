/// A machine word of the kernel's ABI. SwiftL4 implements seL4's 64-bit configuration only
/// (SRC-3): every register, badge and message word is 64 bits wide.
public typealias Word = UInt64

/// seL4's ABI constants for the 64-bit, non-MCS configuration (MSG-2, BADGE-1/2, IPCBUF-1,
/// SCHED-1). Names follow libsel4 with the `seL4_` prefix dropped.
public enum Constants {
    public static let wordBits = 64
    public static let msgLengthBits = 7
    public static let msgExtraCapBits = 2
    /// `seL4_MsgMaxLength` (MSG-2).
    public static let msgMaxLength = 120
    /// `seL4_MsgMaxExtraCaps` (MSG-2).
    public static let msgMaxExtraCaps = 3
    /// `n_msgRegisters`: message registers held in machine registers on every architecture (ABI-1).
    public static let fastMessageRegisters = 4
    /// `seL4_BadgeBits` on 64-bit kernels (BADGE-1).
    public static let badgeBits = 64
    /// `seL4_GuardBits` and `seL4_GuardSizeBits` (BADGE-2).
    public static let guardBits = 58
    public static let guardSizeBits = 6
    /// `seL4_IPCBufferSizeBits` (IPCBUF-1): 128 words.
    public static let ipcBufferSizeBits = 10
    public static let ipcBufferWords = 128
    /// Word index of `caps_or_badges[0]` in the IPC buffer (IPCBUF-1).
    public static let ipcBufferCapsOrBadges = msgMaxLength + 2
    /// Word indices of the cap-transfer receive path (IPCBUF-1).
    public static let ipcBufferReceiveCNode = msgMaxLength + msgMaxExtraCaps + 2
    public static let ipcBufferReceiveIndex = ipcBufferReceiveCNode + 1
    public static let ipcBufferReceiveDepth = ipcBufferReceiveCNode + 2
    /// `seL4_MinPrio`, `seL4_MaxPrio` with `CONFIG_NUM_PRIORITIES = 256` (SCHED-1).
    public static let minPriority = 0
    public static let maxPriority = 255
    public static let numPriorities = 256
    /// Object sizes, as log2 bytes (EP-1, NTFN-0; seL4's x86_64 and aarch64 headers).
    public static let slotBits = 5
    public static let endpointBits = 4
    public static let notificationBits = 5
    public static let threadBits = 11
    public static let pageBits = 12
    public static let largePageBits = 21
    public static let hugePageBits = 30
    public static let pageTableBits = 12
    public static let minUntypedBits = 4
    /// `seL4_MaxUntypedBits`: 47 on x86_64 and aarch64, 38 on riscv64 (Sv39).
    #if arch(riscv64)
    public static let maxUntypedBits = 38
    #else
    public static let maxUntypedBits = 47
    #endif
    /// `CONFIG_RETYPE_FAN_OUT_LIMIT`: most objects one Untyped_Retype may create.
    public static let retypeFanOutLimit = 256
    /// `CONFIG_TIME_SLICE`: timer ticks in a thread's round-robin turn (SCHED-2).
    public static let timeSlice = 5
    /// Thread names kept for traces (seL4 keeps them in debug builds).
    public static let threadNameLength = 64
}
