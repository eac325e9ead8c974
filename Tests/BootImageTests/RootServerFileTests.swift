import Testing
import BootImage

/// A 64-byte ELF header: 64-bit, little-endian, the given type and machine, then `body`.
private func elf(machine: UInt16 = 243, type: UInt16 = 2, body: [UInt8] = []) -> [UInt8] {
    var header = [UInt8](repeating: 0, count: 64)
    header[0...3] = [0x7f, 0x45, 0x4c, 0x46]
    header[4] = 2
    header[5] = 1
    header[16] = UInt8(type & 0xff)
    header[17] = UInt8(type >> 8)
    header[18] = UInt8(machine & 0xff)
    header[19] = UInt8(machine >> 8)
    return header + body
}

/// One newc entry: header, name and NUL padded to 4, data padded to 4 (offsets from the start
/// of the archive, which `archive` keeps at a 4-byte boundary of its own).
private func entry(_ name: String, _ data: [UInt8]) -> [UInt8] {
    func hex(_ value: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
    let nameBytes = Array(name.utf8) + [0]
    let fields = [0, 0o100644, 0, 0, 1, 0, data.count, 0, 0, 0, 0, nameBytes.count, 0]
    var bytes = Array(("070701" + fields.map(hex).joined()).utf8) + nameBytes
    while bytes.count % 4 != 0 { bytes.append(0) }
    bytes += data
    while bytes.count % 4 != 0 { bytes.append(0) }
    return bytes
}

private func archive(_ entries: [(String, [UInt8])]) -> [UInt8] {
    entries.flatMap { entry($0.0, $0.1) } + entry("TRAILER!!!", [])
}

/// `swiftl4 qemu boot PATH`'s input (issue 14, item 1): the root server's ELF file, or seL4's
/// elfloader image with the root server in its CPIO archive.
@Suite struct RootServerFileTests {
    @Test func aRootServerELFIsTakenAsItIs() throws {
        let file = elf(body: Array(repeating: 0x13, count: 100))
        let found = try RootServerFile.find(in: file)
        #expect(found.elf == file && found.origin == "the ELF file itself")
    }

    /// The elfloader's archive, at an odd offset after a stray "070701" in its code: the
    /// rootserver entry comes out byte for byte.
    @Test func theElfloaderImagesRootServerIsTakenOut() throws {
        let rootserver = elf(body: Array(0..<77).map { UInt8($0) })
        let loader = elf(body: Array("code 070701 not a header".utf8) + [1, 2, 3]
                         + archive([("kernel.elf", elf(body: [9, 9, 9])), ("kernel.dtb", [0xd0, 0x0d, 0xfe, 0xed]),
                                    ("rootserver", rootserver)]) + [0, 0])
        let found = try RootServerFile.find(in: loader)
        #expect(found.elf == rootserver && found.origin == "the elfloader image's CPIO archive")
    }

    /// sel4test-driver carries the test processes' image in a CPIO archive of its own: it is
    /// still the root server itself.
    @Test func aRootServerCarryingItsOwnArchiveIsTakenAsItIs() throws {
        let driver = elf(body: archive([("sel4test-tests", elf(body: [7, 7, 7, 7]))]))
        let found = try RootServerFile.find(in: driver)
        #expect(found.elf == driver && found.origin == "the ELF file itself")
    }

    @Test func anElfloaderArchiveWithoutARootServerIsRefused() {
        let loader = elf(body: archive([("kernel.elf", elf()), ("kernel.dtb", [1, 2, 3, 4])]))
        #expect(throws: RootServerFile.Refusal.self) { try RootServerFile.find(in: loader) }
    }

    @Test func anArchiveCutShortIsRefused() {
        let whole = elf(body: archive([("kernel.elf", elf()), ("rootserver", elf(body: Array(repeating: 1, count: 64)))]))
        #expect(throws: RootServerFile.Refusal.self) { try RootServerFile.find(in: Array(whole.prefix(whole.count - 100))) }
    }

    @Test func otherFilesAreRefusedWithTheReason() {
        func reason(_ bytes: [UInt8]) -> String {
            do throws(RootServerFile.Refusal) {
                _ = try RootServerFile.find(in: bytes)
                return "accepted"
            } catch { return error.description }
        }
        #expect(reason(Array("#!/bin/sh\n".utf8)) == "the file is not an ELF file")
        #expect(reason(elf(machine: 62)).contains("not for RISC-V (e_machine 62)"))
        #expect(reason(elf(type: 3)).contains("not an executable (ELF type 3)"))
        #expect(reason(elf(body: archive([("rootserver", elf(machine: 183))]))).contains("the archive's rootserver is not for RISC-V"))
    }
}
