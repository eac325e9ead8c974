// The user programs' ELF images (carried in the kernel image, build.sh) and loading them into an
// address space.

import KernelCore

/// The user programs, in build.sh's order.
enum Program: Int32 {
    case server = 0, client1, client2, monitor, snoop, badInput, pingpong, floor, preempt, swiftTutorial
}

/// An ELF64 little-endian RISC-V executable in memory: its entry and its PT_LOAD segments,
/// checked to lie inside the file (the one reader for the scenes' programs and a booted root
/// server).
struct ELFFile {
    struct Segment {
        let virtualAddress: Word
        let fileOffset: Word
        let fileBytes: Word
        let memoryBytes: Word
        let writable: Bool
        let executable: Bool
    }

    let entry: Word
    let segments: [Segment]

    /// nil, with the reason, if `image` is not such a file.
    static func parse(_ image: UnsafeRawPointer, size: Int) -> (file: ELFFile?, problem: StaticString) {
        func read<T>(_ offset: Int, _ type: T.Type) -> T { image.loadUnaligned(fromByteOffset: offset, as: T.self) }
        guard size >= 64, read(0, UInt32.self) == 0x464c_457f else { return (nil, "not an ELF file") }
        guard read(4, UInt8.self) == 2, read(5, UInt8.self) == 1 else { return (nil, "not a 64-bit little-endian ELF file") }
        guard read(18, UInt16.self) == 243 else { return (nil, "not a RISC-V ELF file") }
        guard read(16, UInt16.self) == 2 else { return (nil, "not an executable (ET_EXEC) ELF file") }
        let headers = Int(read(32, UInt64.self))
        let headerSize = Int(read(54, UInt16.self)), count = Int(read(56, UInt16.self))
        guard headerSize >= 56, headers >= 0, headers <= size, count <= (size - headers) / headerSize else {
            return (nil, "its program headers lie outside the file")
        }
        var segments: [Segment] = []
        for i in 0..<count {
            let header = headers + i * headerSize
            guard read(header, UInt32.self) == 1 else { continue }  // PT_LOAD
            let flags = read(header + 4, UInt32.self)
            let segment = Segment(virtualAddress: Word(read(header + 16, UInt64.self)),
                                  fileOffset: Word(read(header + 8, UInt64.self)),
                                  fileBytes: Word(read(header + 32, UInt64.self)),
                                  memoryBytes: Word(read(header + 40, UInt64.self)),
                                  writable: flags & 2 != 0, executable: flags & 1 != 0)
            guard segment.fileBytes <= segment.memoryBytes, segment.fileOffset <= Word(size),
                  segment.fileBytes <= Word(size) - segment.fileOffset,
                  segment.virtualAddress &+ segment.memoryBytes >= segment.virtualAddress else {
                return (nil, "a loadable segment lies outside the file or wraps around")
            }
            if segment.memoryBytes > 0 { segments.append(segment) }
        }
        guard !segments.isEmpty else { return (nil, "it has no loadable segment") }
        return (ELFFile(entry: Word(read(24, UInt64.self)), segments: segments), "")
    }

    /// The page-aligned virtual range the segments cover.
    var virtualStart: Word { segments.map { $0.virtualAddress }.min()! & ~0xFFF }
    var virtualEnd: Word { (segments.map { $0.virtualAddress + $0.memoryBytes }.max()! + 0xFFF) & ~0xFFF }
}

extension Loader {
    /// Loads an ELF image's PT_LOAD segments into `vspace`, page by page, each page with its
    /// segment's permissions (text read-execute, rodata read-only, data read-write). A page
    /// two segments share gets one frame with the rights of both (a remap of the same cap).
    /// Returns the entry point and the start of the last (data) segment.
    mutating func loadELF(_ program: Program, into vspace: Word) -> (entry: Word, data: Word) {
        var size: UInt = 0
        guard let image = programImage(program.rawValue, &size) else { panic("loader: no image for program \(program.rawValue)") }
        guard let file = ELFFile.parse(image, size: Int(size)).file else { panic("loader: program \(program.rawValue) is not a RISC-V executable") }
        var data: Word = 0
        var pages: [(address: Word, frame: Word, physical: Word, writable: Bool, executable: Bool)] = []
        for segment in file.segments {
            let start = segment.virtualAddress, writable = segment.writable, executable = segment.executable
            data = start
            var page = start & ~0xFFF
            while page < start + segment.memoryBytes {
                let physical: Word
                if let index = pages.firstIndex(where: { $0.address == page }) {
                    physical = pages[index].physical
                    let merged = (writable || pages[index].writable, executable || pages[index].executable)
                    if merged != (pages[index].writable, pages[index].executable) {
                        pages[index].writable = merged.0
                        pages[index].executable = merged.1
                        map(pages[index].frame, into: vspace, at: page, rights: merged.0 ? [.read, .write] : [.read],
                            executable: merged.1)
                    }
                } else {
                    let (frame, address) = mapNewFrame(into: vspace, at: page, rights: writable ? [.read, .write] : [.read],
                                                       executable: executable)
                    physical = address
                    pages.append((page, frame, address, writable, executable))
                }
                // The part of the file that lands in this page.
                let from = max(page, start), to = min(page + 0x1000, start + segment.fileBytes)
                if from < to {
                    UnsafeMutableRawPointer(bitPattern: UInt(kernel.kernelPointer(physical: physical) + (from - page)))!
                        .copyMemory(from: image + Int(segment.fileOffset + (from - start)), byteCount: Int(to - from))
                }
                page += 0x1000
            }
        }
        return (file.entry, data)
    }
}
