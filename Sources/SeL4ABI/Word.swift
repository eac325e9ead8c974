/// A machine word of the kernel's ABI. SwiftL4 implements seL4's 64-bit configuration only
/// (SRC-3): every register, badge and message word is 64 bits wide.
public typealias Word = UInt64

/// seL4's ABI constants for the 64-bit, non-MCS configuration (MSG-2, BADGE-1/2, IPCBUF-1,
/// SCHED-1), as `sel4/sel4.h` defines them (ABITests checks every one against the header).
/// Names follow libsel4 with the `seL4_` prefix dropped.
///
/// Each is an `@inlinable` computed property rather than a stored `static let`, so that other
/// modules (the kernel core, on the IPC fastpath) fold the value into their code instead of
/// loading a global of this module.
public enum Constants {
    /// `seL4_WordBits`.
    @inlinable public static var wordBits: Int { 64 }
    /// `seL4_MsgLengthBits`, `seL4_MsgExtraCapBits` (MSG-1).
    @inlinable public static var msgLengthBits: Int { 7 }
    @inlinable public static var msgExtraCapBits: Int { 2 }
    /// `seL4_MsgMaxLength` (MSG-2).
    @inlinable public static var msgMaxLength: Int { 120 }
    /// `seL4_MsgMaxExtraCaps` (MSG-2).
    @inlinable public static var msgMaxExtraCaps: Int { 3 }
    /// `seL4_CapRightsBits` (RIGHTS-1).
    @inlinable public static var capRightsBits: Int { 4 }
    /// `seL4_FastMessageRegisters`: message registers held in machine registers on every
    /// architecture (ABI-1).
    @inlinable public static var fastMessageRegisters: Int { 4 }
    /// `seL4_BadgeBits` on 64-bit kernels (BADGE-1).
    @inlinable public static var badgeBits: Int { 64 }
    /// `seL4_GuardBits` and `seL4_GuardSizeBits` (BADGE-2).
    @inlinable public static var guardBits: Int { 58 }
    @inlinable public static var guardSizeBits: Int { 6 }
    /// `seL4_IPCBufferSizeBits` (IPCBUF-1): 128 words.
    @inlinable public static var ipcBufferSizeBits: Int { 10 }
    @inlinable public static var ipcBufferWords: Int { 128 }
    /// Word indices of `seL4_IPCBuffer`'s fields (IPCBUF-1): `tag` 0, `msg[0]` 1, then
    /// `userData`, `caps_or_badges[0]` and the cap-transfer receive path.
    @inlinable public static var ipcBufferMsg: Int { 1 }
    @inlinable public static var ipcBufferUserData: Int { msgMaxLength + 1 }
    @inlinable public static var ipcBufferCapsOrBadges: Int { msgMaxLength + 2 }
    @inlinable public static var ipcBufferReceiveCNode: Int { msgMaxLength + msgMaxExtraCaps + 2 }
    @inlinable public static var ipcBufferReceiveIndex: Int { ipcBufferReceiveCNode + 1 }
    @inlinable public static var ipcBufferReceiveDepth: Int { ipcBufferReceiveCNode + 2 }
    /// `seL4_MinPrio`, `seL4_MaxPrio` with `CONFIG_NUM_PRIORITIES = 256` (SCHED-1).
    @inlinable public static var minPriority: Int { 0 }
    @inlinable public static var maxPriority: Int { 255 }
    @inlinable public static var numPriorities: Int { 256 }
    /// Object sizes, as log2 bytes (EP-1, NTFN-0; seL4's x86_64, aarch64 and riscv64 headers
    /// agree on these for 64-bit, non-MCS kernels).
    @inlinable public static var slotBits: Int { 5 }
    @inlinable public static var endpointBits: Int { 4 }
    @inlinable public static var notificationBits: Int { 5 }
    /// `seL4_TCBBits`.
    @inlinable public static var threadBits: Int { 11 }
    @inlinable public static var pageBits: Int { 12 }
    @inlinable public static var largePageBits: Int { 21 }
    @inlinable public static var hugePageBits: Int { 30 }
    @inlinable public static var pageTableBits: Int { 12 }
    @inlinable public static var minUntypedBits: Int { 4 }
    /// `seL4_MaxUntypedBits`: 47 on x86_64 and aarch64, 38 on riscv64 (Sv39).
    @inlinable public static var maxUntypedBitsX86_64AArch64: Int { 47 }
    @inlinable public static var maxUntypedBitsRISCV64: Int { 38 }
    #if arch(riscv64)
    @inlinable public static var maxUntypedBits: Int { maxUntypedBitsRISCV64 }
    #else
    @inlinable public static var maxUntypedBits: Int { maxUntypedBitsX86_64AArch64 }
    #endif
    /// `seL4_UntypedRetypeMaxObjects` (`CONFIG_RETYPE_FAN_OUT_LIMIT`): most objects one
    /// Untyped_Retype may create.
    @inlinable public static var retypeFanOutLimit: Int { 256 }
}
