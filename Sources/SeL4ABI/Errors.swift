/// `seL4_Error` (ERR-1): the label of a kernel's error reply.
public enum ErrorCode: Word, CaseIterable, Sendable {
    case noError = 0
    case invalidArgument = 1
    case invalidCapability = 2
    case illegalOperation = 3
    case rangeError = 4
    case alignmentError = 5
    case failedLookup = 6
    case truncatedMessage = 7
    case deleteFirst = 8
    case revokeFirst = 9
    case notEnoughMemory = 10

    /// `seL4_NumErrors`.
    @inlinable public static var count: Word { 11 }

    /// seL4's name without its `seL4_` prefix ("InvalidCapability"): the one table of error
    /// names that traces and reports print.
    public var name: StaticString {
        switch self {
        case .noError: "NoError"
        case .invalidArgument: "InvalidArgument"
        case .invalidCapability: "InvalidCapability"
        case .illegalOperation: "IllegalOperation"
        case .rangeError: "RangeError"
        case .alignmentError: "AlignmentError"
        case .failedLookup: "FailedLookup"
        case .truncatedMessage: "TruncatedMessage"
        case .deleteFirst: "DeleteFirst"
        case .revokeFirst: "RevokeFirst"
        case .notEnoughMemory: "NotEnoughMemory"
        }
    }

    /// The C name in `sel4/sel4.h` ("seL4_InvalidCapability").
    public var cName: String { "seL4_" + string(name) }
}

/// `seL4_LookupFailureType` (LOOKUP-5): the first word of a lookup failure in a message (the
/// kernel's own `lookup_fault` numbering plus one, with 0 for no failure).
public enum LookupFailureType: Word, CaseIterable, Sendable {
    case noFailure = 0
    case invalidRoot = 1
    case missingCapability = 2
    case depthMismatch = 3
    case guardMismatch = 4

    /// seL4's name without its `seL4_` prefix ("MissingCapability").
    public var name: StaticString {
        switch self {
        case .noFailure: "NoFailure"
        case .invalidRoot: "InvalidRoot"
        case .missingCapability: "MissingCapability"
        case .depthMismatch: "DepthMismatch"
        case .guardMismatch: "GuardMismatch"
        }
    }

    /// The C name in `sel4/sel4.h` ("seL4_MissingCapability").
    public var cName: String { "seL4_" + string(name) }
}
