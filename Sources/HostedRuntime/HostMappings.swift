import CContextSwitch
import Glibc
import KernelCore

/// The frames user code maps, mapped for real in the host process (hosted x86_64).
///
/// The kernel's memory is a memory file mapped once at its identity addresses (a frame's
/// physical address is where the runtime and every program can always reach it, the hosted
/// contract). When a VSpace maps a frame at a virtual address, the same pages of the file are
/// mapped there too, read-only or writable as the leaf allows, so a write through the mapped
/// address is read back through the frame and a write to a read-only mapping is a VM fault.
/// The mirror follows the kernel's tables (`Kernel.forEachUserMapping`) whenever they change:
/// Unmap, the frame cap's deletion and the deletion or Unmap of a paging structure above it
/// all remove the host mapping.
///
/// The host process has one address space for all VSpaces. Where a mapping cannot be made —
/// the host uses that address, or another VSpace maps a different frame there — the kernel's
/// answer to the invocation stands (it is seL4's), the address stays as the host has it, and
/// one line on stderr names the address and the reason. A frame mapped at its own identity
/// address is reachable there already, writable whatever the mapping's rights.
final class HostMappings {
    struct Mapping: Equatable {
        var physical: Word
        var bytes: Word
        var writable: Bool
    }

    /// A range of the kernel's memory (identity addresses) and where the file holds it.
    struct BackedRange {
        var start: Word
        var bytes: Word
        var fileOffset: Word
    }

    private let file: Int32
    private var backed: [BackedRange] = []
    /// The host mappings made, by virtual address.
    private(set) var mapped: [Word: Mapping] = [:]
    /// Mappings already reported as impossible (address and frame), so each is said once.
    private var reported: Set<[Word]> = []

    init(file: Int32) {
        self.file = file
    }

    deinit {
        for (address, mapping) in mapped {
            munmap(UnsafeMutableRawPointer(bitPattern: UInt(address)), Int(mapping.bytes))
        }
        close(file)
    }

    /// The memory file for `bytes` of kernel memory, or nil if the host refuses one.
    static func memoryFile(bytes: Int) -> Int32? {
        let file = swl4_memory_file(bytes)
        return file < 0 ? nil : file
    }

    /// Maps `bytes` of the file from `fileOffset` over the reservation at `start`, as the
    /// kernel's memory there.
    func back(_ start: UnsafeMutableRawPointer, bytes: Int, fileOffset: Int) -> Bool {
        guard swl4_map_file(start, bytes, 1, file, fileOffset, 1) != nil else { return false }
        backed.append(BackedRange(start: Word(UInt(bitPattern: start)), bytes: Word(bytes), fileOffset: Word(fileOffset)))
        return true
    }

    /// Brings the host mappings in line with the kernel's tables.
    func update(from kernel: Kernel, report: (String) -> Void) {
        var wanted: [Word: Mapping] = [:]
        var conflicts: [(address: Word, mapping: Mapping)] = []
        var widened: [(address: Word, mapping: Mapping)] = []
        kernel.forEachUserMapping { _, address, physical, sizeBits, writable in
            let mapping = Mapping(physical: physical, bytes: 1 << Word(sizeBits), writable: writable)
            guard let other = wanted[address], other != mapping else {
                wanted[address] = mapping
                return
            }
            if other.physical == mapping.physical && other.bytes == mapping.bytes {
                // The same frame, read-only in one VSpace and writable in another: one host
                // mapping serves both, writable.
                wanted[address]?.writable = true
                widened.append((address, mapping))
            } else {
                conflicts.append((address, mapping))
            }
        }
        for (address, mapping) in mapped where wanted[address] != mapping {
            munmap(UnsafeMutableRawPointer(bitPattern: UInt(address)), Int(mapping.bytes))
            mapped[address] = nil
        }
        for address in wanted.keys.sorted() where mapped[address] == nil {
            let mapping = wanted[address]!
            // A frame mapped at its own identity address is already there (with the
            // identity mapping's rights).
            if address == mapping.physical { continue }
            if let reason = map(mapping, at: address) {
                say(report, mapping, at: address, reason)
            } else {
                mapped[address] = mapping
            }
        }
        for (address, mapping) in widened where mapped[address]?.writable == true {
            say(report, mapping, at: address, "one VSpace maps it read-only and another writable there, and the host process has one address space for all of them, so it is writable for both",
                consequence: "")
        }
        for (address, mapping) in conflicts where mapped[address] != mapping {
            say(report, mapping, at: address,
                "another VSpace maps a different frame there, and the host process has one address space for all of them")
        }
    }

    /// Makes one host mapping; the reason it cannot be made, or nil.
    private func map(_ mapping: Mapping, at address: Word) -> String? {
        let end = address &+ mapping.bytes
        if mapped.contains(where: { $0.key < end && address < $0.key &+ $0.value.bytes }) {
            return "another VSpace maps a different frame over part of that range, and the host process has one address space for all of them"
        }
        guard let range = backed.first(where: { mapping.physical >= $0.start && mapping.physical &+ mapping.bytes <= $0.start &+ $0.bytes }) else {
            return "the frame is not in the runtime's memory file"
        }
        let offset = range.fileOffset + (mapping.physical - range.start)
        guard let at = UnsafeMutableRawPointer(bitPattern: UInt(address)) else {
            return "the host cannot map page 0"
        }
        if swl4_map_file(at, Int(mapping.bytes), mapping.writable ? 1 : 0, file, Int(offset), 0) != nil { return nil }
        return errno == EEXIST ? "the host process already uses that address" : String(cString: strerror(errno))
    }

    private func say(_ report: (String) -> Void, _ mapping: Mapping, at address: Word, _ reason: String,
                     consequence: String = "; the kernel's answer stands, but the program cannot reach the frame there") {
        guard reported.insert([address, mapping.physical]).inserted else { return }
        let what = consequence.isEmpty ? "mapping" : "cannot map"
        report("swiftl4: \(what) frame 0x\(String(mapping.physical, radix: 16)) at 0x\(String(address, radix: 16)) in the host process: \(reason)\(consequence)\n")
    }
}
