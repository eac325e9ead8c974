// The flattened device tree QEMU hands the kernel (through OpenSBI, in a1): the facts a boot
// needs from it, read in place (devicetree-specification v0.4, chapter 5). Nothing is
// allocated; a malformed blob gives no facts, and the kernel falls back to its defaults.

import KernelCore

struct DeviceTree {
    let base: UnsafeRawPointer
    /// `totalsize`: the blob's length in bytes.
    let size: Int

    /// RAM: the first `/memory` node's first `reg` range.
    private(set) var memoryStart: Word = 0
    private(set) var memoryEnd: Word = 0
    /// `/chosen`'s `linux,initrd-start` and `linux,initrd-end`: where QEMU loaded `-initrd`.
    private(set) var initrdStart: Word = 0
    private(set) var initrdEnd: Word = 0

    /// The blob at `address`, if it has the FDT magic and a sane size.
    init?(at address: Word) {
        guard address != 0, let pointer = UnsafeRawPointer(bitPattern: UInt(address)) else { return nil }
        base = pointer
        guard DeviceTree.bigEndian32(pointer, 0) == 0xd00d_feed else { return nil }
        size = Int(DeviceTree.bigEndian32(pointer, 4))
        guard size >= 40, size < 1 << 24 else { return nil }
        walk()
    }

    static func bigEndian32(_ pointer: UnsafeRawPointer, _ offset: Int) -> UInt32 {
        UInt32(bigEndian: pointer.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    private func u32(_ offset: Int) -> UInt32 { DeviceTree.bigEndian32(base, offset) }

    /// A property value of one or two cells as a number.
    private func number(_ offset: Int, _ length: Int) -> Word {
        length == 8 ? Word(u32(offset)) << 32 | Word(u32(offset + 4)) : Word(u32(offset))
    }

    /// Whether the NUL-terminated string at `offset` equals `text` (or, with `prefix`, starts
    /// with it followed by `@` or its end).
    private func name(at offset: Int, is text: StaticString, prefix: Bool = false) -> Bool {
        let count = text.utf8CodeUnitCount
        guard offset + count <= size else { return false }
        for i in 0..<count where base.load(fromByteOffset: offset + i, as: UInt8.self) != text.utf8Start[i] { return false }
        let next = offset + count < size ? base.load(fromByteOffset: offset + count, as: UInt8.self) : 0
        return next == 0 || (prefix && next == UInt8(ascii: "@"))
    }

    /// One pass over the structure block: depth-1 nodes `memory` and `chosen`, assuming the
    /// root's two-cell addresses and sizes (QEMU `virt`).
    private mutating func walk() {
        let structure = Int(u32(8)), strings = Int(u32(12))
        var offset = structure
        var depth = 0
        var inMemory = false, inChosen = false
        while offset + 4 <= size {
            let token = u32(offset)
            offset += 4
            switch token {
            case 1:  // FDT_BEGIN_NODE: the name, NUL-terminated, padded to 4 bytes
                depth += 1
                inMemory = depth == 2 && name(at: offset, is: "memory", prefix: true)
                inChosen = depth == 2 && name(at: offset, is: "chosen")
                while offset < size && base.load(fromByteOffset: offset, as: UInt8.self) != 0 { offset += 1 }
                offset = (offset + 4) & ~3
            case 2:  // FDT_END_NODE
                depth -= 1
                inMemory = false
                inChosen = false
            case 3:  // FDT_PROP: length, name offset, value padded to 4 bytes
                guard offset + 8 <= size else { return }
                let length = Int(u32(offset)), nameOffset = strings + Int(u32(offset + 4))
                let value = offset + 8
                guard value + length <= size else { return }
                if inMemory && memoryEnd == 0 && length >= 16 && name(at: nameOffset, is: "reg") {
                    memoryStart = number(value, 8)
                    memoryEnd = memoryStart + number(value + 8, 8)
                } else if inChosen && name(at: nameOffset, is: "linux,initrd-start") {
                    initrdStart = number(value, length)
                } else if inChosen && name(at: nameOffset, is: "linux,initrd-end") {
                    initrdEnd = number(value, length)
                }
                offset = (value + length + 3) & ~3
            case 4:  // FDT_NOP
                continue
            default:  // FDT_END or garbage
                return
            }
        }
    }
}
