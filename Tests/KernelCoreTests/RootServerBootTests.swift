import Testing
import KernelCore
import KernelTestSupport

// The boot of an unmodified seL4 root server (seL4's `try_init_kernel` after the elfloader,
// ../shared/conformance/README.md "The boot chain and the root task's starting state"): the
// image's frames mapped at their user addresses, the IPC buffer, boot-info frame and extra
// boot info after the image, seL4's slot order, device untypeds first, and the boot-info
// frame's words in libsel4's layout. Physical and kernel addresses differ here
// (`kernelWindowOffset`), as on riscv64 seL4, so every physical address reported is checked.

private let offset: Word = 0x4000_0000_0000
private let pageSize: Word = 4096

private func bootInfoWord(_ sys: TestSystem, _ index: Int) -> Word {
    UnsafePointer<Word>(bitPattern: UInt(sys.kernel.bootInfo.bootInfoFrameAddress))![index]
}

/// The leaf entry translating `address` in the root's VSpace, walked from slot 3 (0: none).
private func leaf(_ sys: TestSystem, _ address: Word) -> (entry: Word, bits: Int) {
    var table = sys.capability(at: Word(InitialSlot.vspace)).address
    var bits = 30
    while true {
        let entry = UnsafePointer<Word>(bitPattern: UInt(table))![Int((address >> Word(bits)) & 511)]
        if entry & PTE.valid == 0 || entry & (PTE.read | PTE.write | PTE.execute) != 0 { return (entry, bits) }
        table = sys.kernel.kernelPointer(physical: PTE.address(entry))
        bits -= 9
    }
}

/// sel4test-driver's shape: 0x10000 .. 0x406000 (1014 pages), a 0x1145-byte device tree.
private func driverLikeBoot() -> TestSystem {
    let tree = (0..<0x1145).map { UInt8(truncatingIfNeeded: $0 * 7) }
    let devices = [MemoryRegion(start: 0, end: 0x200_0000), MemoryRegion(start: 0x1000_0000, end: 0x2000_0000)]
    return TestSystem(memoryBytes: 16 << 20, rootCNodeBits: 13, paging: .sv39, kernelWindowOffset: offset,
                      rootServer: .init(imagePages: 1014, virtualStart: 0x10000, entry: 0x1c22e, deviceTree: tree,
                                        devices: devices))
}

@Suite struct RootServerBootTests {
    /// The root thread's starting state: pc the entry, a0 the boot-info frame's address (the
    /// page after the IPC buffer, which is the page after the image), priority and MCP 255.
    @Test func rootThreadStartsAtTheEntryWithBootInfoInA0() {
        let sys = driverLikeBoot()
        #expect(sys.root[register: RegisterFile.pc] == 0x1c22e)
        #expect(sys.root[register: RegisterFile.capRegister] == 0x407000)
        #expect(sys.root.priority == 255 && sys.root.maxControlledPriority == 255)
        #expect(sys.kernel.bootInfo.bootInfoVirtualAddress == 0x407000)
    }

    /// The boot-info words and slot regions of the real run: IPC buffer 0x406000, 4 page
    /// tables at 16-19, 2 extra boot-info pages at 20-21, 1014 image frames at 22-1035, then the
    /// untypeds (devices first), then empty slots to 2^13.
    @Test func bootInfoHasSeL4sLayoutForTheDriversImage() {
        let sys = driverLikeBoot()
        #expect(bootInfoWord(sys, 0) == 16 + 0x1145)            // extraLen
        #expect(bootInfoWord(sys, 1) == 0 && bootInfoWord(sys, 2) == 1 && bootInfoWord(sys, 3) == 0)
        #expect(bootInfoWord(sys, 4) == 0x406000)               // ipcBuffer
        #expect(bootInfoWord(sys, 9) == 22 && bootInfoWord(sys, 10) == 1036)   // userImageFrames
        #expect(bootInfoWord(sys, 11) == 16 && bootInfoWord(sys, 12) == 20)    // userImagePaging
        #expect(bootInfoWord(sys, 15) == 20 && bootInfoWord(sys, 16) == 22)    // extraBIPages
        #expect(bootInfoWord(sys, 17) == 13 && bootInfoWord(sys, 18) == 0)
        let untypedStart = bootInfoWord(sys, 19), untypedEnd = bootInfoWord(sys, 20)
        #expect(untypedStart == 1036 && untypedEnd > untypedStart)
        #expect(bootInfoWord(sys, 5) == untypedEnd && bootInfoWord(sys, 6) == 8192)   // empty
        // Device untypeds first, with physical addresses; then RAM.
        let first = (paddr: bootInfoWord(sys, 21), size: bootInfoWord(sys, 22))
        #expect(first.paddr == 0 && first.size == 22 | 1 << 8)   // the test platform caps untypeds at 2^22
        var sawRAM = false
        for i in 0..<Int(untypedEnd - untypedStart) {
            let paddr = bootInfoWord(sys, 21 + 2 * i), bits = bootInfoWord(sys, 22 + 2 * i)
            let cap = sys.capability(at: untypedStart + Word(i))
            #expect(cap.type == .untyped && sys.kernel.physicalAddress(cap.address) == paddr)
            #expect(Word(cap.untypedSizeBits) == bits & 0xff && cap.untypedIsDevice == (bits >> 8 == 1))
            if bits >> 8 == 0 { sawRAM = true } else { #expect(!sawRAM, "a device untyped after RAM ones") }
        }
        #expect(sawRAM)
    }

    /// Every image page is a frame cap mapped read-write-execute for user mode at its address
    /// (`map_it_frame_cap`), holding the image's bytes; the IPC buffer and boot-info frames are
    /// mapped at their addresses; the page-table caps are mapped at the addresses they cover.
    @Test func imageFramesAreMappedAtTheirUserAddresses() {
        let sys = driverLikeBoot()
        for k in [0, 1, 500, 1013] {
            let vaddr = 0x10000 + Word(k) * pageSize
            let cap = sys.capability(at: 22 + Word(k))
            #expect(cap.type == .frame && cap.mapping.asid == 1 && cap.mapping.address == vaddr)
            let (entry, bits) = leaf(sys, vaddr)
            #expect(bits == 12)
            #expect(PTE.address(entry) == sys.kernel.physicalAddress(cap.address))
            let rwxu = PTE.read | PTE.write | PTE.execute | PTE.user | PTE.valid
            #expect(entry & rwxu == rwxu)
            #expect(UnsafePointer<UInt8>(bitPattern: UInt(cap.address))!.pointee == UInt8(truncatingIfNeeded: k + 1))
        }
        for (slot, vaddr) in [(InitialSlot.ipcBuffer, Word(0x406000)), (InitialSlot.bootInfoFrame, 0x407000)] {
            let cap = sys.capability(at: Word(slot))
            #expect(cap.mapping.address == vaddr)
            #expect(PTE.address(leaf(sys, vaddr).entry) == sys.kernel.physicalAddress(cap.address))
        }
        let covered = (16..<20).map { sys.capability(at: Word($0)).mapping.address }
        #expect(covered == [0, 0, 0x200000, 0x400000])
        #expect(leaf(sys, 0x800000).entry == 0, "nothing is mapped past it_v_reg")
    }

    /// The extra boot info: a `SEL4_BOOTINFO_HEADER_FDT` header (id 6, length including the
    /// 16-byte header) and the device tree, mapped after the boot-info frame.
    @Test func deviceTreeIsTheExtraBootInfoChunk() {
        let sys = driverLikeBoot()
        let first = sys.capability(at: 20), second = sys.capability(at: 21)
        #expect(first.mapping.address == 0x408000 && second.mapping.address == 0x409000)
        let words = UnsafePointer<Word>(bitPattern: UInt(first.address))!
        #expect(words[0] == 6 && words[1] == 16 + 0x1145)
        let bytes = UnsafePointer<UInt8>(bitPattern: UInt(first.address + 16))!
        #expect(bytes[0] == 0 && bytes[1] == 7 && bytes[0x1000 - 16] == UInt8(truncatingIfNeeded: (0x1000 - 16) * 7))
    }

    /// `Page_GetAddress` on an image frame answers its physical address, not the kernel's
    /// pointer, and the root task can use the boot's caps: a frame of its own mapped at a new
    /// address needs a new page table (FailedLookup first), as in seL4.
    @Test func rootTaskInvokesTheBootCaps() {
        let sys = driverLikeBoot()
        let frame = sys.capability(at: 22)
        let reply = sys.invoke(22, label: RISCVInvocationLabel.pageGetAddress, args: [])
        #expect(reply.info.label == 0 && reply.mr == [sys.kernel.physicalAddress(frame.address)])
        let newFrame = sys.make(ObjectType.smallPage)
        let map = sys.invoke(newFrame, label: RISCVInvocationLabel.pageMap, args: [0x4000_0000, 3, 0],
                             extraCaps: [Word(InitialSlot.vspace)])
        #expect(map.info.label == ErrorCode.failedLookup.rawValue)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// Nothing is fixed to the driver's image: a root server straddling a 1 GiB boundary gets
    /// two tables at each level, its frames and the IPC buffer where its own size puts them.
    @Test func anotherImageGetsItsOwnLayout() {
        let sys = TestSystem(memoryBytes: 8 << 20, rootCNodeBits: 12, paging: .sv39, kernelWindowOffset: offset,
                             rootServer: .init(imagePages: 3, virtualStart: 0x3FFF_F000, entry: 0x3FFF_F000, deviceTree: []))
        #expect(bootInfoWord(sys, 0) == 0)                       // no extra boot info
        #expect(bootInfoWord(sys, 4) == 0x4000_2000)
        #expect(sys.root[register: RegisterFile.capRegister] == 0x4000_3000)
        #expect(bootInfoWord(sys, 11) == 16 && bootInfoWord(sys, 12) == 20)    // 2 + 2 tables
        #expect(bootInfoWord(sys, 15) == 20 && bootInfoWord(sys, 16) == 20)    // no extra pages
        #expect(bootInfoWord(sys, 9) == 20 && bootInfoWord(sys, 10) == 23)
        #expect(bootInfoWord(sys, 19) == 23 && bootInfoWord(sys, 6) == 4096)
        #expect(leaf(sys, 0x4000_1000).bits == 12)
    }

    /// seL4's boot fails (no kernel) when the root server's region reaches `seL4_UserTop`.
    @Test func imageReachingUserTopIsRefused() {
        var configuration = KernelConfiguration()
        configuration.paging = .sv39
        let memory = UnsafeMutableRawPointer.allocate(byteCount: 4 << 20, alignment: 1 << 22)
        defer { memory.deallocate() }
        let start = Word(UInt(bitPattern: memory))
        let image = RootServerImage(region: MemoryRegion(start: start, end: start + 0x1000),
                                    virtualStart: configuration.userTop - 0x2000, entry: 0, deviceTree: nil)
        #expect(Kernel.boot(configuration: configuration, rootServer: image,
                            memory: [MemoryRegion(start: start + 0x1000, end: start + (4 << 20))], devices: []) == nil)
    }
}
