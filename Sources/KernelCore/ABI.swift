// The kernel core's ABI facts (`Word`, `MessageInfo`, `ErrorCode`, `Syscall`, labels, object
// types, fault layouts, `Constants`) live in SeL4ABI, the one module that states them. Every
// client of KernelCore sees them through this re-export.
@_exported import SeL4ABI

/// Kernel configuration that is not part of the user ABI.
extension Constants {
    /// `CONFIG_TIME_SLICE`: timer ticks in a thread's round-robin turn (SCHED-2).
    @inlinable public static var timeSlice: Int { 5 }
    /// Thread names kept for traces (seL4 keeps them in debug builds).
    @inlinable public static var threadNameLength: Int { 64 }
}
