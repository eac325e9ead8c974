/// `seL4_Fault_tag` (non-MCS): the label of a fault message (FAULT-3..6).
public enum FaultType: Word, CaseIterable, Sendable {
    case nullFault = 0
    case capFault = 1
    case unknownSyscall = 2
    case userException = 3
    // 4 is DebugException (CONFIG_HARDWARE_DEBUG_API), not in this configuration.
    case vmFault = 5

    /// seL4's name without its `seL4_Fault_` prefix ("CapFault", "VMFault").
    public var name: StaticString {
        switch self {
        case .nullFault: "NullFault"
        case .capFault: "CapFault"
        case .unknownSyscall: "UnknownSyscall"
        case .userException: "UserException"
        case .vmFault: "VMFault"
        }
    }

    /// The C name in `sel4/sel4.h` ("seL4_Fault_CapFault").
    public var cName: String { "seL4_Fault_" + string(name) }
}

/// Where each word of a fault message is (libsel4's `seL4_*_Msg` enums, FAULT-4..6).
public enum FaultMessage {
    /// `seL4_CapFault_Msg` (FAULT-4): then the lookup failure's words (LOOKUP-6).
    public enum CapFault {
        @inlinable public static var ip: Int { 0 }
        @inlinable public static var address: Int { 1 }
        @inlinable public static var inReceivePhase: Int { 2 }
        @inlinable public static var lookupFailureType: Int { 3 }
        @inlinable public static var bitsLeft: Int { 4 }
        @inlinable public static var depthMismatchBitsFound: Int { 5 }
        @inlinable public static var guardMismatchGuardFound: Int { 5 }
        @inlinable public static var guardMismatchBitsFound: Int { 6 }
    }

    /// `seL4_VMFault_Msg` (FAULT-5).
    public enum VMFault {
        @inlinable public static var ip: Int { 0 }
        @inlinable public static var address: Int { 1 }
        @inlinable public static var prefetchFault: Int { 2 }
        @inlinable public static var fsr: Int { 3 }
        @inlinable public static var length: Int { 4 }
    }

    /// `seL4_UnknownSyscall_Length` (FAULT-6): the architecture's registers, then the syscall
    /// number as the last word.
    public enum UnknownSyscall {
        @inlinable public static var lengthX86_64: Int { 19 }
        @inlinable public static var lengthAArch64: Int { 13 }
        @inlinable public static var lengthRISCV64: Int { 11 }
        #if arch(x86_64)
        @inlinable public static var length: Int { lengthX86_64 }
        #elseif arch(arm64)
        @inlinable public static var length: Int { lengthAArch64 }
        #else
        @inlinable public static var length: Int { lengthRISCV64 }
        #endif
        /// `seL4_UnknownSyscall_Syscall`.
        @inlinable public static var syscall: Int { length - 1 }
    }

    /// `seL4_UserException_Length` (FAULT-6): FaultIP, SP (and FLAGS where the architecture has
    /// one), then Number and Code.
    public enum UserException {
        @inlinable public static var lengthX86_64: Int { 5 }
        @inlinable public static var lengthAArch64: Int { 5 }
        @inlinable public static var lengthRISCV64: Int { 4 }
        #if arch(x86_64)
        @inlinable public static var length: Int { lengthX86_64 }
        #elseif arch(arm64)
        @inlinable public static var length: Int { lengthAArch64 }
        #else
        @inlinable public static var length: Int { lengthRISCV64 }
        #endif
        /// `seL4_UserException_Number`, `seL4_UserException_Code`.
        @inlinable public static var number: Int { length - 2 }
        @inlinable public static var code: Int { length - 1 }
    }
}
