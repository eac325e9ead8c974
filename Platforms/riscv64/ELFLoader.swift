// The user programs' ELF images (carried in the kernel image, build.sh) and loading them into an
// address space.

import KernelCore

/// The user programs, in build.sh's order.
enum Program: Int32 {
    case server = 0, client1, client2, monitor, snoop, badInput, pingpong, floor, preempt, swiftTutorial
}

extension Loader {
    /// Loads an ELF image's PT_LOAD segments into `vspace`, page by page, each page with its
    /// segment's permissions (text read-execute, rodata read-only, data read-write). A page
    /// two segments share gets one frame with the rights of both (a remap of the same cap).
    /// Returns the entry point and the start of the last (data) segment.
    mutating func loadELF(_ program: Program, into vspace: Word) -> (entry: Word, data: Word) {
        var size: UInt = 0
        guard let image = programImage(program.rawValue, &size) else { panic("loader: no image for program \(program.rawValue)") }
        func read<T>(_ offset: Int, _ type: T.Type) -> T { image.loadUnaligned(fromByteOffset: offset, as: T.self) }
        let entry = Word(read(24, UInt64.self))
        let headers = Int(read(32, UInt64.self))
        let headerSize = Int(read(54, UInt16.self)), count = Int(read(56, UInt16.self))
        var data: Word = 0
        var pages: [(address: Word, frame: Word, physical: Word, writable: Bool, executable: Bool)] = []
        for i in 0..<count {
            let header = headers + i * headerSize
            guard read(header, UInt32.self) == 1 else { continue }  // PT_LOAD
            let flags = read(header + 4, UInt32.self)
            let offset = Word(read(header + 8, UInt64.self)), start = Word(read(header + 16, UInt64.self))
            let fileBytes = Word(read(header + 32, UInt64.self)), memoryBytes = Word(read(header + 40, UInt64.self))
            let writable = flags & 2 != 0, executable = flags & 1 != 0
            data = start
            var page = start & ~0xFFF
            while page < start + memoryBytes {
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
                let from = max(page, start), to = min(page + 0x1000, start + fileBytes)
                if from < to {
                    UnsafeMutableRawPointer(bitPattern: UInt(physical + (from - page)))!
                        .copyMemory(from: image + Int(offset + (from - start)), byteCount: Int(to - from))
                }
                page += 0x1000
            }
        }
        return (entry, data)
    }
}
