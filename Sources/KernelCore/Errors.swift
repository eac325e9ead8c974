import SeL4ABI

/// Why a capability lookup failed (LOOKUP-5), with the fields the kernel reports. `typeCode` is
/// the user-visible `seL4_LookupFailureType` (kernel value + 1).
public enum LookupFailure: Error, Equatable, Sendable {
    case invalidRoot
    case missingCapability(bitsLeft: Int)
    case depthMismatch(bitsFound: Int, bitsLeft: Int)
    case guardMismatch(guardFound: Word, bitsFound: Int, bitsLeft: Int)

    /// `seL4_LookupFailureType`.
    public var type: LookupFailureType {
        switch self {
        case .invalidRoot: .invalidRoot
        case .missingCapability: .missingCapability
        case .depthMismatch: .depthMismatch
        case .guardMismatch: .guardMismatch
        }
    }
    public var typeCode: Word { type.rawValue }

    /// The failure's words as they appear in a message at offset `o` (LOOKUP-6): the type, then
    /// the kind's fields. Returns how many words were produced.
    func encode(into words: inout MessageWords) {
        words.append(typeCode)
        switch self {
        case .invalidRoot:
            break
        case .missingCapability(let bitsLeft):
            words.append(Word(bitsLeft))
        case .depthMismatch(let bitsFound, let bitsLeft):
            words.append(Word(bitsLeft))
            words.append(Word(bitsFound))
        case .guardMismatch(let guardFound, let bitsFound, let bitsLeft):
            words.append(Word(bitsLeft))
            words.append(guardFound)
            words.append(Word(bitsFound))
        }
    }
}

/// An invocation's error with its detail words (ERR-2). Decoding returns one of these before
/// anything is changed; performing never fails.
public enum SyscallError: Error, Equatable, Sendable {
    case invalidArgument(index: Int)
    case invalidCapability(index: Int)
    case illegalOperation
    case rangeError(min: Word, max: Word)
    case alignmentError
    case failedLookup(isSource: Bool, LookupFailure)
    case truncatedMessage
    case deleteFirst
    case revokeFirst
    case notEnoughMemory(bytesAvailable: Word)

    public var code: ErrorCode {
        switch self {
        case .invalidArgument: .invalidArgument
        case .invalidCapability: .invalidCapability
        case .illegalOperation: .illegalOperation
        case .rangeError: .rangeError
        case .alignmentError: .alignmentError
        case .failedLookup: .failedLookup
        case .truncatedMessage: .truncatedMessage
        case .deleteFirst: .deleteFirst
        case .revokeFirst: .revokeFirst
        case .notEnoughMemory: .notEnoughMemory
        }
    }

    /// The error reply's message words (ERR-2).
    func encode(into words: inout MessageWords) {
        switch self {
        case .invalidArgument(let index), .invalidCapability(let index):
            words.append(Word(index))
        case .rangeError(let min, let max):
            words.append(min)
            words.append(max)
        case .failedLookup(let isSource, let failure):
            words.append(isSource ? 1 : 0)
            failure.encode(into: &words)
        case .notEnoughMemory(let bytes):
            words.append(bytes)
        case .illegalOperation, .alignmentError, .truncatedMessage, .deleteFirst, .revokeFirst:
            break
        }
    }
}

/// A short, fixed-capacity list of message words, built without touching the heap (kernel
/// replies and fault messages are at most 20 words).
public struct MessageWords: Sendable {
    public private(set) var count = 0
    private var storage: (Word, Word, Word, Word, Word, Word, Word, Word, Word, Word,
                          Word, Word, Word, Word, Word, Word, Word, Word, Word, Word,
                          Word, Word, Word, Word) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    public static let capacity = 24

    public init() {}

    public mutating func append(_ word: Word) {
        guard count < Self.capacity else { return }
        withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: word, toByteOffset: count * 8, as: Word.self) }
        count += 1
    }

    public subscript(index: Int) -> Word {
        withUnsafeBytes(of: storage) { $0.load(fromByteOffset: index * 8, as: Word.self) }
    }
}
