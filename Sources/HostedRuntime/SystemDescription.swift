import KernelCore
import SeL4

/// A system of several programs (protection domains), each with its own CSpace, sharing
/// kernel objects through caps placed at the slots the description names, as seL4's capDL
/// loader and Microkit do. Built in Swift with the methods below, or read from a system file
/// (`SystemFile.parse`); both are checked by the same `validate()`.
public struct SystemDescription: Sendable {
    public enum ObjectKind: String, Sendable {
        case endpoint
        case notification
    }

    /// A kernel object shared between protection domains.
    public struct KernelObject: Sendable {
        public var name: String
        public var kind: ObjectKind
        public var line: Int?
    }

    /// What a protection domain runs.
    public enum Program: Sendable {
        /// C sources (relative to the system file's directory, or absolute) and -D defines.
        case c(sources: [String], defines: [String])
        /// A Swift program registered with `SwiftPrograms.register(_:_:)`.
        case swift(String)
    }

    /// A capability placed in a protection domain's CNode.
    public enum CapKind: Sendable, Equatable {
        /// A cap to a shared object, with rights and a badge (0: unbadged).
        case object(String, rights: CapRights, badge: Word)
        /// A cap to the domain's own CNode (so it can Mint, Copy, Delete in its CSpace).
        case ownCNode
        /// A cap to a domain's TCB.
        case thread(domain: String)
        /// An empty slot the program may fill (a receive path, a Mint destination).
        case empty
    }

    public struct Cap: Sendable {
        /// The C global (`extern seL4_CPtr NAME;`) bound to this slot.
        public var name: String
        public var slot: Word
        public var kind: CapKind
        public var line: Int?
    }

    /// Memory shared between protection domains (Microkit's `<memory_region>`): frames the
    /// loader retypes, `size` bytes rounded up to 4 KiB pages.
    public struct MemoryRegion: Sendable {
        public var name: String
        public var size: Word
        public var line: Int?
    }

    /// A memory region in a protection domain (Microkit's `<map>`): its rights, the address
    /// asked for, and the C global (`extern uintptr_t NAME;`) that receives the region's
    /// address (`setvar_vaddr`). On x86_64 the domain gets its own VSpace and the region is
    /// mapped there at `vaddr` with these rights (a write to a read-only map is a VM fault);
    /// on aarch64 frames stay where they are in the host's address space (identity), so the
    /// global holds that address (docs/libsel4.md, "System files").
    public struct Mapping: Sendable {
        public var region: String
        public var vaddr: Word
        public var rights: CapRights
        public var variable: String?
        public var line: Int?
    }

    public struct ProtectionDomain: Sendable {
        public var name: String
        public var priority: Int
        public var cnodeSizeBits: Int
        public var program: Program?
        public var caps: [Cap] = []
        public var mappings: [Mapping] = []
        public var line: Int?

        /// Places a cap to a shared object at `slot`, bound to the C global `name`.
        public mutating func cap(_ name: String, slot: Word, object: String, rights: CapRights = .all, badge: Word = 0) {
            caps.append(Cap(name: name, slot: slot, kind: .object(object, rights: rights, badge: badge)))
        }
        public mutating func cnodeCap(_ name: String, slot: Word) {
            caps.append(Cap(name: name, slot: slot, kind: .ownCNode))
        }
        public mutating func threadCap(_ name: String, slot: Word, domain: String) {
            caps.append(Cap(name: name, slot: slot, kind: .thread(domain: domain)))
        }
        public mutating func empty(_ name: String, slot: Word) {
            caps.append(Cap(name: name, slot: slot, kind: .empty))
        }
        /// Maps memory region `region` at `vaddr` with `rights` (`<map>`); the program finds
        /// its address as `variable` (C: `extern uintptr_t variable;`, Swift:
        /// `ProgramEnvironment.memory(variable)`).
        public mutating func map(_ region: String, vaddr: Word, rights: CapRights = [.read, .write], variable: String) {
            mappings.append(Mapping(region: region, vaddr: vaddr, rights: rights, variable: variable))
        }
    }

    public var objects: [KernelObject] = []
    public var memoryRegions: [MemoryRegion] = []
    public var domains: [ProtectionDomain] = []
    /// The system file's path, if read from one (for messages and relative sources).
    public var path: String?

    public init() {}

    public mutating func endpoint(_ name: String) { objects.append(KernelObject(name: name, kind: .endpoint)) }
    public mutating func notification(_ name: String) { objects.append(KernelObject(name: name, kind: .notification)) }
    public mutating func memoryRegion(_ name: String, size: Word) { memoryRegions.append(MemoryRegion(name: name, size: size)) }
    /// The largest memory region: 16 MiB (the loader's untyped blocks are at most 2^24 bytes).
    public static let largestRegion: Word = 1 << 24

    /// Adds a protection domain configured by `configure`.
    public mutating func protectionDomain(_ name: String, priority: Int = 100, cnodeSizeBits: Int = 8,
                                          program: Program, _ configure: (inout ProtectionDomain) -> Void = { _ in }) {
        var domain = ProtectionDomain(name: name, priority: priority, cnodeSizeBits: cnodeSizeBits, program: program)
        configure(&domain)
        domains.append(domain)
    }

    /// A problem with a description, naming where it is.
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public var message: String
        public var line: Int?
        public var path: String?
        public init(message: String, line: Int? = nil, path: String? = nil) {
            self.message = message
            self.line = line
            self.path = path
        }
        public var description: String {
            var prefix = path ?? "system"
            if let line { prefix += ":\(line)" }
            return "\(prefix): error: \(message)"
        }
    }

    /// Checks the description: names unique, every cap names a known object or domain,
    /// slots inside their CNode, not slot 0 (seL4_CapNull) and not shared, priorities in
    /// range, a program for every domain and its sources present.
    public func validate(sourceExists: (String) -> Bool = { _ in true }) throws(Problem) {
        func fail(_ message: String, _ line: Int?) -> Problem { Problem(message: message, line: line, path: path) }
        if domains.isEmpty { throw fail("the system has no protection_domain", nil) }
        var objectNames: Set<String> = []
        for object in objects {
            if object.name.isEmpty { throw fail("a \(object.kind.rawValue) needs a name", object.line) }
            if !objectNames.insert(object.name).inserted {
                throw fail("duplicate object name '\(object.name)'", object.line)
            }
        }
        var regionNames: Set<String> = []
        for region in memoryRegions {
            if region.name.isEmpty { throw fail("a memory_region needs a name", region.line) }
            if objectNames.contains(region.name) || !regionNames.insert(region.name).inserted {
                throw fail("duplicate object name '\(region.name)'", region.line)
            }
            guard region.size > 0 && region.size <= SystemDescription.largestRegion else {
                throw fail("memory_region '\(region.name)': size \(region.size) is outside 1...\(SystemDescription.largestRegion) bytes", region.line)
            }
        }
        var domainNames: Set<String> = []
        for domain in domains where !domainNames.insert(domain.name).inserted {
            throw fail("duplicate protection_domain name '\(domain.name)'", domain.line)
        }
        for domain in domains {
            if domain.name.isEmpty { throw fail("a protection_domain needs a name", domain.line) }
            guard (Constants.minPriority...Constants.maxPriority - 1).contains(domain.priority) else {
                throw fail("protection_domain '\(domain.name)': priority \(domain.priority) is outside 0...254 (255 is the loader's)", domain.line)
            }
            guard (1...16).contains(domain.cnodeSizeBits) else {
                throw fail("protection_domain '\(domain.name)': cnode_size_bits \(domain.cnodeSizeBits) is outside 1...16", domain.line)
            }
            switch domain.program {
            case nil:
                throw fail("protection_domain '\(domain.name)' has no program", domain.line)
            case .c(let sources, _):
                if sources.isEmpty { throw fail("protection_domain '\(domain.name)' has no program sources", domain.line) }
                for source in sources where !sourceExists(source) {
                    throw fail("protection_domain '\(domain.name)': missing source '\(source)'", domain.line)
                }
            case .swift(let name):
                if !SwiftPrograms.isRegistered(name) {
                    throw fail("protection_domain '\(domain.name)': no Swift program named '\(name)' is registered", domain.line)
                }
            }
            var variables: Set<String> = []
            for mapping in domain.mappings {
                if !regionNames.contains(mapping.region) {
                    throw fail("<map> names unknown memory_region '\(mapping.region)'", mapping.line ?? domain.line)
                }
                if let variable = mapping.variable {
                    if !isCIdentifier(variable) {
                        throw fail("setvar_vaddr '\(variable)' is not a C identifier", mapping.line ?? domain.line)
                    }
                    if domain.caps.contains(where: { $0.name == variable }) || !variables.insert(variable).inserted {
                        throw fail("protection_domain '\(domain.name)': '\(variable)' is bound twice", mapping.line ?? domain.line)
                    }
                }
            }
            var slots: [Word: String] = [:]
            var capNames: Set<String> = []
            let slotCount = Word(1) << Word(domain.cnodeSizeBits)
            for cap in domain.caps {
                if !isCIdentifier(cap.name) { throw fail("cap name '\(cap.name)' is not a C identifier", cap.line ?? domain.line) }
                if !capNames.insert(cap.name).inserted {
                    throw fail("protection_domain '\(domain.name)': duplicate cap name '\(cap.name)'", cap.line ?? domain.line)
                }
                if cap.slot == 0 { throw fail("cap '\(cap.name)': slot 0 is seL4_CapNull and cannot hold a cap", cap.line ?? domain.line) }
                if cap.slot >= slotCount {
                    throw fail("cap '\(cap.name)': slot \(cap.slot) is outside the CNode (cnode_size_bits \(domain.cnodeSizeBits) gives slots 1...\(slotCount - 1))", cap.line ?? domain.line)
                }
                if let other = slots[cap.slot] {
                    throw fail("slot \(cap.slot) of '\(domain.name)' is used by both '\(other)' and '\(cap.name)'", cap.line ?? domain.line)
                }
                slots[cap.slot] = cap.name
                switch cap.kind {
                case .object(let object, _, _):
                    if !objectNames.contains(object) { throw fail("cap '\(cap.name)' names unknown object '\(object)'", cap.line ?? domain.line) }
                case .thread(let other):
                    if !domainNames.contains(other) {
                        throw fail("cap '\(cap.name)' names unknown protection_domain '\(other)'", cap.line ?? domain.line)
                    }
                case .ownCNode, .empty:
                    break
                }
            }
        }
    }
}

func isCIdentifier(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, first == "_" || (first.properties.isAlphabetic && first.isASCII) else { return false }
    return name.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
}

/// Swift user programs that system descriptions can run by name.
public enum SwiftPrograms {
    public typealias Main = @Sendable (ProgramEnvironment) -> Int32
    nonisolated(unsafe) static var table: [String: Main] = [:]
    /// Programs being started: the program and its environment, by launch index.
    nonisolated(unsafe) static var launches: [(main: Main, environment: ProgramEnvironment)] = []

    /// Registers `main` under `name`, for `SystemDescription.Program.swift(name)`.
    public static func register(_ name: String, _ main: @escaping Main) { table[name] = main }
    public static func isRegistered(_ name: String) -> Bool { table[name] != nil }
}
