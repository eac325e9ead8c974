// What `swiftl4 qemu boot PATH` accepts: the root server of a seL4 build for qemu-riscv-virt,
// either the root task's own ELF file (a build's `apps/NAME/NAME`, or one written against our
// sel4.h) or the bootable image in the build's `images/` (seL4's elfloader with its CPIO
// archive of `kernel.elf`, `kernel.dtb` and `rootserver`), from which the root server is
// taken out. The archive is found by its newc headers, wherever the elfloader's linker put it.

/// A root server file found in what the user passed, or why there is none.
public struct RootServerFile: Sendable {
    /// The root server's ELF bytes.
    public let elf: [UInt8]
    /// Where they came from: "the ELF file itself" or "the elfloader image's CPIO archive".
    public let origin: String

    public struct Refusal: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// The root server in `bytes`: a CPIO `rootserver` entry if the file holds an elfloader
    /// archive, else the file itself; either way a 64-bit RISC-V executable.
    public static func find(in bytes: [UInt8]) throws(Refusal) -> RootServerFile {
        try checkELF(bytes, what: "the file")
        // A root server may carry an archive of its own (sel4test-driver carries the
        // sel4test-tests image): only an archive with the elfloader's entries makes the file
        // an elfloader image.
        if let archive = try CPIOArchive.find(in: bytes) {
            let names = archive.entries.map(\.name)
            if let rootserver = archive.entries.first(where: { $0.name == "rootserver" }) {
                let elf = Array(bytes[rootserver.data])
                try checkELF(elf, what: "the archive's rootserver")
                return RootServerFile(elf: elf, origin: "the elfloader image's CPIO archive")
            }
            if names.contains("kernel.elf") {
                throw Refusal(description: "the elfloader image's CPIO archive has no 'rootserver' (it has: "
                              + names.joined(separator: ", ") + ")")
            }
        }
        return RootServerFile(elf: bytes, origin: "the ELF file itself")
    }

    /// ELF64, little-endian, RISC-V (243), an executable (ET_EXEC).
    static func checkELF(_ bytes: [UInt8], what: String) throws(Refusal) {
        guard bytes.count >= 64, bytes[0] == 0x7f, bytes[1] == 0x45, bytes[2] == 0x4c, bytes[3] == 0x46 else {
            throw Refusal(description: "\(what) is not an ELF file")
        }
        guard bytes[4] == 2, bytes[5] == 1 else { throw Refusal(description: "\(what) is not a 64-bit little-endian ELF file") }
        let machine = UInt16(bytes[18]) | UInt16(bytes[19]) << 8
        guard machine == 243 else {
            throw Refusal(description: "\(what) is not for RISC-V (e_machine \(machine)); build for qemu-riscv-virt, riscv64")
        }
        let type = UInt16(bytes[16]) | UInt16(bytes[17]) << 8
        guard type == 2 else { throw Refusal(description: "\(what) is not an executable (ELF type \(type))") }
    }
}

/// A CPIO archive in the "newc" format (magic `070701`), as seL4's elfloader embeds it.
public struct CPIOArchive: Sendable {
    public struct Entry: Sendable {
        public let name: String
        /// The entry's bytes, as a range of the scanned buffer.
        public let data: Range<Int>
    }
    public let entries: [Entry]

    static let magic = Array("070701".utf8)
    static let headerBytes = 110

    /// The first archive in `bytes` whose first entry parses, read to its `TRAILER!!!`; nil if
    /// there is none. An archive that starts but runs past the end is refused.
    public static func find(in bytes: [UInt8]) throws(RootServerFile.Refusal) -> CPIOArchive? {
        var start = 0
        while let offset = firstMagic(in: bytes, from: start) {
            if let archive = try read(bytes, at: offset) { return archive }
            start = offset + 1
        }
        return nil
    }

    static func firstMagic(in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= magic.count else { return nil }
        var i = start
        // newc headers are 4-byte aligned in the archive, but the archive itself need not be.
        while i + magic.count <= bytes.count {
            if bytes[i] == magic[0] && Array(bytes[i..<i + magic.count]) == magic { return i }
            i += 1
        }
        return nil
    }

    /// The 8-hex-digit field `index` of the header at `offset`, or nil if not hex.
    static func field(_ bytes: [UInt8], _ offset: Int, _ index: Int) -> Int? {
        let from = offset + 6 + 8 * index
        guard from + 8 <= bytes.count else { return nil }
        return Int(String(decoding: bytes[from..<from + 8], as: UTF8.self), radix: 16)
    }

    /// The archive starting at `offset`; nil if the bytes there are not a newc header after
    /// all (a stray "070701" in the elfloader's code or data).
    static func read(_ bytes: [UInt8], at offset: Int) throws(RootServerFile.Refusal) -> CPIOArchive? {
        var entries: [Entry] = []
        var position = offset
        while true {
            guard position + headerBytes <= bytes.count, Array(bytes[position..<position + 6]) == magic,
                  let size = field(bytes, position, 6), let nameSize = field(bytes, position, 11), nameSize >= 1 else {
                if entries.isEmpty { return nil }
                throw RootServerFile.Refusal(description: "the CPIO archive at offset \(offset) is cut short")
            }
            let nameStart = position + headerBytes
            let dataStart = (nameStart + nameSize - offset + 3) / 4 * 4 + offset
            guard nameStart + nameSize <= bytes.count, dataStart + size <= bytes.count else {
                if entries.isEmpty { return nil }
                throw RootServerFile.Refusal(description: "the CPIO archive at offset \(offset) is cut short")
            }
            let name = String(decoding: bytes[nameStart..<nameStart + nameSize - 1], as: UTF8.self)
            if name == "TRAILER!!!" { return CPIOArchive(entries: entries) }
            entries.append(Entry(name: name, data: dataStart..<dataStart + size))
            position = (dataStart + size - offset + 3) / 4 * 4 + offset
        }
    }
}
