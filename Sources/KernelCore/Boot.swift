import SeL4ABI

/// Boot-time choices a platform makes.
public struct KernelConfiguration: Sendable {
    /// `CONFIG_ROOT_CNODE_SIZE_BITS`: radix of the initial thread's CNode.
    public var rootCNodeSizeBits = 12
    /// The largest untyped handed to the root task, as log2 bytes.
    public var maxUntypedBits = 24
    /// Objects recorded for `checkInvariants` (0: none; tests and the fuzzer turn it on).
    public var objectRegistryCapacity = 0
    /// How user virtual memory works: hosted frames are identity-mapped and paging
    /// invocations are refused; an Sv39 kernel (RISC-V) has seL4's page-table, frame and ASID
    /// invocations.
    public var paging: PagingModel = PagingModel.native
    /// `seL4_UserTop` for Sv39 (seL4's riscv64 value): user mappings end below it. Root
    /// entries copied from `globalPageTable` are occupied in every VSpace, so a platform whose
    /// kernel window lies below this keeps it out of reach: mapping there finds the kernel's
    /// entry and fails.
    public var userTop: Word = 0x3F_FFFF_F000
    /// The platform's root page table whose valid entries map the kernel; each new VSpace gets
    /// copies of them when it is given an ASID (seL4 `copyGlobalMappings`). 0: none.
    public var globalPageTable: Word = 0
    /// How the kernel addresses physical memory (seL4's `PPTR_BASE_OFFSET`): the kernel
    /// pointer of physical address p is `p &+ kernelWindowOffset`. Caps, ASID pools and the
    /// kernel's tables hold kernel pointers; page-table entries, `Page_GetAddress` and the
    /// boot-info untyped list hold physical addresses. 0 where the kernel sees memory at its
    /// physical addresses (hosted, and the test platform).
    public var kernelWindowOffset: Word = 0
    public init() {}
}

/// A range of memory as the kernel addresses it (kernel pointers), `start` inclusive.
public struct MemoryRegion: Sendable, Equatable {
    public var start: Word
    public var end: Word
    public init(start: Word, end: Word) {
        self.start = start
        self.end = end
    }
    public var isEmpty: Bool { end <= start }
}

/// The root server as seL4's elfloader leaves it for the kernel (its entry registers a0-a5):
/// the image's pages loaded contiguously in memory, where user space will see them, its
/// entry point, and the device tree the kernel passes on as extra boot info.
public struct RootServerImage {
    /// The image's pages in memory (kernel pointers, page aligned): `ui_p_reg`.
    public var region: MemoryRegion
    /// The user virtual address of `region.start` (`ui_v_reg.start`; seL4's `pv_offset` is
    /// the difference).
    public var virtualStart: Word
    /// `v_entry`: where the root thread starts.
    public var entry: Word
    /// The device tree blob (`dtb_phys_addr`, `dtb_size`), copied into the extra boot-info
    /// pages behind a `SEL4_BOOTINFO_HEADER_FDT` header; nil for none.
    public var deviceTree: UnsafeRawBufferPointer?

    public init(region: MemoryRegion, virtualStart: Word, entry: Word, deviceTree: UnsafeRawBufferPointer?) {
        self.region = region
        self.virtualStart = virtualStart
        self.entry = entry
        self.deviceTree = deviceTree
    }

    /// The image's user virtual region (`ui_v_reg`).
    public var virtualEnd: Word { virtualStart + (region.end - region.start) }
}

/// Where the boot put the root server's pieces in its address space (seL4's `try_init_kernel`:
/// the IPC buffer in the first page after the image, the boot-info frame after it, then the
/// extra boot-info pages, `it_v_reg` spanning them all).
public struct RootServerLayout: Sendable, Equatable {
    public var ipcBuffer: Word
    public var bootInfo: Word
    public var extraBootInfo: Word
    /// `extra_bi_size`: the header and the device tree, in bytes (`seL4_BootInfo.extraLen`).
    public var extraBootInfoBytes: Word
    /// `calculate_extra_bi_size_bits`: the smallest power of two of at least a page that
    /// holds the extra boot info (0 when there is none).
    public var extraBootInfoSizeBits: Int
    /// `it_v_reg.end`.
    public var end: Word

    init(image: RootServerImage) {
        ipcBuffer = image.virtualEnd
        bootInfo = ipcBuffer + (1 << Word(Constants.pageBits))
        extraBootInfo = bootInfo + (1 << Word(Constants.pageBits))
        extraBootInfoBytes = image.deviceTree.map { Word(BootInfoHeader.bytes + $0.count) } ?? 0
        extraBootInfoSizeBits = 0
        if extraBootInfoBytes > 0 {
            var bits = Constants.pageBits
            while Word(1) << Word(bits) < extraBootInfoBytes { bits += 1 }
            extraBootInfoSizeBits = bits
        }
        end = extraBootInfo + (extraBootInfoSizeBits > 0 ? Word(1) << Word(extraBootInfoSizeBits) : 0)
    }
}

/// `seL4_BootInfoHeader` (two words: id, length including the header) and its ids.
enum BootInfoHeader {
    static let bytes = 16
    /// `SEL4_BOOTINFO_HEADER_FDT`.
    static let deviceTree: Word = 6
}

/// A range of root-CNode slots (`seL4_SlotRegion`), `start` inclusive.
public struct SlotRegion: Sendable, Equatable {
    public var start: Word = 0
    public var end: Word = 0
    public init() {}
    init(start: Word, end: Word) {
        self.start = start
        self.end = end
    }
}

/// The facts `seL4_BootInfo` reports (the kernel also writes them into the boot-info frame in
/// libsel4's layout).
public struct BootInfoFacts: Sendable {
    public var emptyStart: Word = 0
    public var emptyEnd: Word = 0
    public var untypedStart: Word = 0
    public var untypedEnd: Word = 0
    public var userImageFrames = SlotRegion()
    public var userImagePaging = SlotRegion()
    public var extraBootInfoPages = SlotRegion()
    /// `extraLen`.
    public var extraBootInfoBytes: Word = 0
    public var rootCNodeSizeBits = 0
    /// The IPC buffer's address as the root task sees it (`seL4_BootInfo.ipcBuffer`).
    public var ipcBufferAddress: Word = 0
    /// The boot-info frame: its kernel pointer, and where the root task sees it (the same on
    /// identity-mapped platforms; a0 of a booted root server).
    public var bootInfoFrameAddress: Word = 0
    public var bootInfoVirtualAddress: Word = 0
    public var rootThread: Thread?
}

extension Kernel {
    /// The physical address of a kernel pointer (seL4 `addrFromPPtr`).
    @inlinable @inline(__always)
    public func physicalAddress(_ pointer: Word) -> Word { pointer &- configuration.kernelWindowOffset }

    /// The kernel pointer of a physical address (seL4 `ptrFromPAddr`).
    @inlinable @inline(__always)
    public func kernelPointer(physical address: Word) -> Word { address &+ configuration.kernelWindowOffset }

    /// Boots a kernel in `memory` (`bytes` long, 4 KiB aligned), which becomes the kernel's
    /// tables, the initial thread's objects and untyped memory, as seL4's boot does. A device
    /// region, if given, is reported as device untyped. The root task is the current thread,
    /// at priority 255, with seL4's initial caps in its CNode; its IPC buffer and boot-info
    /// frame are seen at their kernel addresses (the hosted contract).
    public static func boot(configuration: KernelConfiguration, memory: UnsafeMutableRawPointer, bytes: Int,
                            deviceMemory: UnsafeMutableRawPointer? = nil, deviceBytes: Int = 0) -> Kernel {
        let start = Word(UInt(bitPattern: memory))
        var devices: [MemoryRegion] = []
        if let deviceMemory {
            let deviceStart = Word(UInt(bitPattern: deviceMemory))
            devices.append(MemoryRegion(start: deviceStart, end: deviceStart + Word(deviceBytes)))
        }
        var boot = BootAllocator(configuration: configuration, memory: [MemoryRegion(start: start, end: start + Word(bytes))])
        let kernel = boot.makeKernel()
        let root = boot.makeRootObjects(kernel)
        root.thread.ipcBufferAddress = root.ipcBuffer
        root.installFrame(InitialSlot.ipcBuffer, root.ipcBuffer, mappedAt: nil)
        root.installFrame(InitialSlot.bootInfoFrame, root.bootInfo, mappedAt: nil)
        var facts = BootInfoFacts()
        facts.ipcBufferAddress = root.ipcBuffer
        facts.bootInfoVirtualAddress = root.bootInfo
        boot.finish(kernel, root, facts: &facts, devicesFirst: false, devices: devices)
        return kernel
    }

    /// Boots a kernel for an unmodified seL4 root server (seL4's `try_init_kernel` after the
    /// elfloader): the image's pages become frame caps mapped read-write-execute at their
    /// user addresses in a fresh VSpace (`userImageFrames`), with the page tables that cover
    /// the image, IPC buffer, boot-info frame and extra boot info (`userImagePaging`); the
    /// device tree goes into the extra boot-info pages (`extraBIPages`); `devices` (physical
    /// address ranges, which the kernel never touches) become device untypeds, listed first as
    /// seL4 lists them, then every free byte of `memory` (kernel pointers) becomes untyped
    /// memory. The root thread starts at the image's entry with its first
    /// argument register the boot-info frame's address. Needs the Sv39 paging model; returns
    /// nil (seL4's boot failure) if the layout does not fit: the image reaching `userTop`, or
    /// too little memory for the root server's objects.
    public static func boot(configuration: KernelConfiguration, rootServer image: RootServerImage,
                            memory: [MemoryRegion], devices: [MemoryRegion]) -> Kernel? {
        let layout = RootServerLayout(image: image)
        guard configuration.paging == .sv39, image.region.start & 0xFFF == 0, image.region.end & 0xFFF == 0,
              image.virtualStart & 0xFFF == 0, layout.end < configuration.userTop else { return nil }
        var boot = BootAllocator(configuration: configuration, memory: memory)
        // seL4's `rootserver_mem`: everything the root server needs, before any untyped.
        let tableCount = RootServerPaging.tableCount(from: image.virtualStart, to: layout.end)
        let extraPages = layout.extraBootInfoSizeBits > 0 ? 1 << (layout.extraBootInfoSizeBits - Constants.pageBits) : 0
        guard boot.fits(rootCNodeSizeBits: configuration.rootCNodeSizeBits,
                        extraPages: tableCount + extraPages) else { return nil }
        let kernel = boot.makeKernel()
        let root = boot.makeRootObjects(kernel)
        let extra = extraPages > 0 ? boot.carve(layout.extraBootInfoSizeBits) : 0
        if let deviceTree = image.deviceTree, extra != 0 {
            let words = UnsafeMutableRawPointer(bitPattern: UInt(extra))!
            words.storeBytes(of: BootInfoHeader.deviceTree, as: Word.self)
            words.storeBytes(of: layout.extraBootInfoBytes, toByteOffset: 8, as: Word.self)
            if let base = deviceTree.baseAddress {
                (words + BootInfoHeader.bytes).copyMemory(from: base, byteCount: deviceTree.count)
            }
        }

        var facts = BootInfoFacts()
        // `create_it_address_space`: the tables of each level below the root, in address order.
        let paging = RootServerPaging(kernel: kernel, root: root.vspace)
        facts.userImagePaging.start = boot.nextSlot
        for bitsLeft in [PageTable.rootBits, PageTable.rootBits - 9] {
            let size = Word(1) << Word(bitsLeft)
            var address = image.virtualStart & ~(size - 1)
            while address < layout.end {
                let table = boot.carve(Constants.pageTableBits)
                paging.link(table: table, at: address)
                root.provide(&boot, .pageTable(table, level: bitsLeft == PageTable.rootBits ? 1 : 2, isMapped: true,
                                               mapping: MappingData(asid: ASID.initialThread, address: address)))
                address += size
            }
        }
        facts.userImagePaging.end = boot.nextSlot
        root.installFrame(InitialSlot.bootInfoFrame, root.bootInfo, mappedAt: layout.bootInfo, paging: paging)
        facts.extraBootInfoPages.start = boot.nextSlot
        var page: Word = 0
        while page < layout.extraBootInfoBytes {
            root.provide(&boot, root.mappedFrame(extra + page, at: layout.extraBootInfo + page, paging: paging))
            page += 1 << Word(Constants.pageBits)
        }
        facts.extraBootInfoPages.end = boot.nextSlot
        root.installFrame(InitialSlot.ipcBuffer, root.ipcBuffer, mappedAt: layout.ipcBuffer, paging: paging)
        facts.userImageFrames.start = boot.nextSlot
        page = image.region.start
        while page < image.region.end {
            root.provide(&boot, root.mappedFrame(page, at: image.virtualStart + (page - image.region.start), paging: paging))
            page += 1 << Word(Constants.pageBits)
        }
        facts.userImageFrames.end = boot.nextSlot

        root.thread.ipcBufferAddress = layout.ipcBuffer
        root.thread[register: RegisterFile.pc] = image.entry
        root.thread[register: RegisterFile.capRegister] = layout.bootInfo
        facts.ipcBufferAddress = layout.ipcBuffer
        facts.bootInfoVirtualAddress = layout.bootInfo
        facts.extraBootInfoBytes = layout.extraBootInfoBytes
        boot.finish(kernel, root, facts: &facts, devicesFirst: true, devices: devices)
        return kernel
    }
}

/// The page tables `create_it_address_space` makes: one per 1 GiB and one per 2 MiB of
/// `it_v_reg` below the root.
struct RootServerPaging {
    let kernel: Kernel
    let root: Word

    static func tableCount(from start: Word, to end: Word) -> Int {
        var count = 0
        for bitsLeft in [PageTable.rootBits, PageTable.rootBits - 9] {
            let size = Word(1) << Word(bitsLeft)
            count += Int(((end + size - 1) & ~(size - 1)) - (start & ~(size - 1))) >> bitsLeft
        }
        return count
    }

    /// `map_it_pt_cap`: the table goes into the entry that covers `address` one level up
    /// (tables are linked level by level, so the walk stops at that empty entry).
    func link(table: Word, at address: Word) {
        let slot = kernel.lookupPTSlot(root: root, address)
        slot.entry.pointee = PTE.table(kernel.physicalAddress(table))
    }

    /// `map_it_frame_cap`: a 4 KiB user leaf, readable, writable and executable.
    func map(frame: Word, at address: Word) {
        let slot = kernel.lookupPTSlot(root: root, address)
        slot.entry.pointee = PTE.user(kernel.physicalAddress(frame), rights: .readWrite, executable: true)
    }
}

/// The root server's objects, made before any untyped (seL4's `create_rootserver_objects`).
struct RootServerObjects {
    let kernel: Kernel
    let cnode: Word
    let radix: Int
    let thread: Thread
    let vspace: Word
    let ipcBuffer: Word
    let bootInfo: Word

    func slot(_ index: Int) -> Slot { Slot.at(base: cnode, index: index) }
    func original(_ index: Int, _ cap: Capability) { kernel.insertOriginal(cap, into: slot(index)) }

    /// `provide_cap`: the next free slot of the root CNode takes `cap`.
    func provide(_ boot: inout BootAllocator, _ cap: Capability) {
        original(Int(boot.nextSlot), cap)
        boot.nextSlot += 1
    }

    /// `create_mapped_it_frame_cap`: a 4 KiB frame cap recording its mapping, and the entry.
    func mappedFrame(_ frame: Word, at address: Word, paging: RootServerPaging) -> Capability {
        paging.map(frame: frame, at: address)
        return .frame(frame, sizeBits: Constants.pageBits, isDevice: false, rights: .readWrite,
                      mapping: MappingData(asid: ASID.initialThread, address: address))
    }

    /// The IPC buffer's or boot-info frame's cap at its fixed slot, mapped where the root
    /// server sees it, or unmapped on identity-mapped platforms.
    func installFrame(_ index: Int, _ frame: Word, mappedAt address: Word?, paging: RootServerPaging? = nil) {
        if let address, let paging {
            original(index, mappedFrame(frame, at: address, paging: paging))
        } else {
            original(index, .frame(frame, sizeBits: Constants.pageBits, isDevice: false))
        }
    }
}

/// seL4's boot allocator: carves the kernel's tables and the root server's objects out of
/// free memory (`alloc_rootserver_obj`), then hands what is left out as untypeds.
struct BootAllocator {
    let configuration: KernelConfiguration
    /// Free memory; the carving region is the largest, from its start.
    var memory: [MemoryRegion]
    var carving: Int
    var cursor: Word
    var nextSlot = Word(InitialSlot.count)

    init(configuration: KernelConfiguration, memory: [MemoryRegion]) {
        self.configuration = configuration
        self.memory = memory.filter { !$0.isEmpty }
        carving = 0
        for i in self.memory.indices where self.memory[i].end - self.memory[i].start
            > self.memory[carving].end - self.memory[carving].start { carving = i }
        cursor = self.memory.isEmpty ? 0 : self.memory[carving].start
    }

    /// Whether the carving region holds the kernel's tables, the root objects and `extraPages`
    /// more pages, with their alignment.
    func fits(rootCNodeSizeBits: Int, extraPages: Int) -> Bool {
        guard !memory.isEmpty else { return false }
        // Each block may need as much again for its alignment.
        let tables: Word = 2 << 13
        let cnode: Word = 2 << Word(rootCNodeSizeBits + Constants.slotBits)
        let thread: Word = 2 << Word(Constants.threadBits)
        let pages = Word(2 * (4 + extraPages)) << Word(Constants.pageBits)
        return memory[carving].end - memory[carving].start >= tables + cnode + thread + pages
    }

    /// A zeroed, naturally aligned block of `2^sizeBits` bytes.
    mutating func carve(_ sizeBits: Int) -> Word {
        let size = Word(1) << Word(sizeBits)
        let start = (cursor + size - 1) & ~(size - 1)
        cursor = start + size
        UnsafeMutableRawPointer(bitPattern: UInt(start))!.initializeMemory(as: UInt8.self, repeating: 0, count: Int(size))
        return start
    }

    mutating func makeKernel() -> Kernel {
        let tables = carve(13)
        return Kernel(configuration: configuration, tables: UnsafeMutableRawPointer(bitPattern: UInt(tables))!)
    }

    /// The root CNode with the fixed initial caps, the root VSpace in the initial ASID pool, the
    /// IPC buffer and boot-info frames (caps installed by the caller), and the root thread
    /// (seL4's `create_initial_thread`), current, at priority 255.
    mutating func makeRootObjects(_ kernel: Kernel) -> RootServerObjects {
        let radix = configuration.rootCNodeSizeBits
        let cnodeAddress = carve(radix + Constants.slotBits)
        let threadAddress = carve(Constants.threadBits)
        let vspaceAddress = carve(Constants.pageTableBits)
        let asidPoolAddress = carve(Constants.pageBits)
        let ipcBufferAddress = carve(Constants.pageBits)
        let bootInfoAddress = carve(Constants.pageBits)
        kernel.register(cnodeAddress, .cnode, sizeBits: radix + Constants.slotBits)
        kernel.register(threadAddress, .thread, sizeBits: Constants.threadBits)
        let thread = Thread(address: threadAddress)!
        let root = RootServerObjects(kernel: kernel, cnode: cnodeAddress, radix: radix, thread: thread,
                                     vspace: vspaceAddress, ipcBuffer: ipcBufferAddress, bootInfo: bootInfoAddress)
        let cnodeCap = Capability.cnode(cnodeAddress, radix: radix, guardValue: 0, guardSize: Constants.wordBits - radix)
        root.original(InitialSlot.cnode, cnodeCap)
        root.original(InitialSlot.thread, .thread(threadAddress))
        // The initial thread's VSpace has ASID 1 (seL4 `IT_ASID`) in the first ASID pool.
        root.original(InitialSlot.vspace, .pageTable(vspaceAddress, level: 0, isMapped: true,
                                                     mapping: MappingData(asid: ASID.initialThread, address: 0)))
        root.original(InitialSlot.irqControl, .opaque(.irqControl))
        root.original(InitialSlot.asidControl, .opaque(.asidControl))
        root.original(InitialSlot.asidPool, .asidPool(asidPoolAddress, base: 0))
        kernel.asidTable[0] = asidPoolAddress
        ASIDPool(address: asidPoolAddress)[Int(ASID.initialThread)] = vspaceAddress
        kernel.copyGlobalMappings(into: vspaceAddress)
        #if arch(x86_64)
        root.original(InitialSlot.ioPortControl, .opaque(.ioPortControl))
        #endif
        root.original(InitialSlot.domain, .opaque(.domain))

        thread.initialiseFields()
        kernel.threadListAppend(thread)
        thread.state = .running
        thread.priority = Constants.maxPriority
        thread.maxControlledPriority = Constants.maxPriority
        kernel.setupReplyMaster(thread)
        let name: StaticString = "rootserver"
        thread.setName(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        kernel.currentThread = thread
        return root
    }

    /// The root thread's CSpace, VSpace and IPC-buffer slots, then the untypeds (seL4's
    /// `create_untypeds`: device memory first where the platform boots a root server), and the
    /// boot-info frame.
    mutating func finish(_ kernel: Kernel, _ root: RootServerObjects, facts: inout BootInfoFacts,
                         devicesFirst: Bool, devices: [MemoryRegion]) {
        let thread = root.thread
        kernel.insert(root.slot(InitialSlot.cnode).cap, into: thread.slot(.cspace), derivedFrom: root.slot(InitialSlot.cnode))
        kernel.insert(root.slot(InitialSlot.vspace).cap, into: thread.slot(.vspace), derivedFrom: root.slot(InitialSlot.vspace))
        kernel.insert(root.slot(InitialSlot.ipcBuffer).cap, into: thread.slot(.ipcBuffer), derivedFrom: root.slot(InitialSlot.ipcBuffer))
        kernel.updateUserIPCBuffer(thread)

        // Free memory: what carving left of its region, and the other regions whole.
        var free = memory
        if !free.isEmpty { free[carving].start = (cursor + 4095) & ~4095 }
        let bootInfoWords = UnsafeMutableRawPointer(bitPattern: UInt(root.bootInfo))!.assumingMemoryBound(to: Word.self)
        var untypedCount = 0
        facts.untypedStart = nextSlot
        // Untypeds are cut by physical address (their alignment is physical); caps hold kernel
        // pointers, which for device memory beyond the window are only names (never touched).
        func addUntypeds(physical region: MemoryRegion, isDevice: Bool) {
            var position = region.start
            while position < region.end && untypedCount < maxBootInfoUntypeds && nextSlot < (1 << Word(root.radix)) {
                var bits = min(configuration.maxUntypedBits, Constants.maxUntypedBits)
                while bits >= Constants.minUntypedBits {
                    let size = Word(1) << Word(bits)
                    if position & (size - 1) == 0 && position &+ size <= region.end && position &+ size > position { break }
                    bits -= 1
                }
                guard bits >= Constants.minUntypedBits else { break }
                root.original(Int(nextSlot), .untyped(kernel.kernelPointer(physical: position), sizeBits: bits, isDevice: isDevice))
                // seL4_UntypedDesc: the physical address, then sizeBits and isDevice bytes.
                bootInfoWords[21 + 2 * untypedCount] = position
                bootInfoWords[22 + 2 * untypedCount] = Word(bits) | (isDevice ? 1 << 8 : 0)
                untypedCount += 1
                nextSlot += 1
                position += Word(1) << Word(bits)
            }
        }
        func addRAM(_ region: MemoryRegion) {
            let start = (region.start + 15) & ~15, end = region.end & ~15
            guard start < end else { return }
            addUntypeds(physical: MemoryRegion(start: kernel.physicalAddress(start), end: kernel.physicalAddress(end)),
                        isDevice: false)
        }
        if devicesFirst { for region in devices { addUntypeds(physical: region, isDevice: true) } }
        for region in free { addRAM(region) }
        if !devicesFirst { for region in devices { addUntypeds(physical: region, isDevice: true) } }

        facts.untypedEnd = nextSlot
        facts.emptyStart = nextSlot
        facts.emptyEnd = Word(1) << Word(root.radix)
        facts.rootCNodeSizeBits = root.radix
        facts.bootInfoFrameAddress = root.bootInfo
        facts.rootThread = thread
        kernel.bootInfo = facts
        writeBootInfo(facts, into: bootInfoWords)
    }

    /// Writes `seL4_BootInfo` (64-bit layout) into the boot-info frame: extraLen, nodeID,
    /// numNodes, numIOPTLevels, ipcBuffer, the six slot regions empty, sharedFrames,
    /// userImageFrames, userImagePaging, ioSpaceCaps, extraBIPages, initThreadCNodeSizeBits,
    /// initThreadDomain, untyped; the untypedList after them is written as untypeds are made.
    private func writeBootInfo(_ facts: BootInfoFacts, into words: UnsafeMutablePointer<Word>) {
        words[0] = facts.extraBootInfoBytes
        words[1] = 0
        words[2] = 1
        words[3] = 0
        words[4] = facts.ipcBufferAddress
        words[5] = facts.emptyStart
        words[6] = facts.emptyEnd
        // sharedFrames and ioSpaceCaps: empty.
        words[7] = 0
        words[8] = 0
        words[9] = facts.userImageFrames.start
        words[10] = facts.userImageFrames.end
        words[11] = facts.userImagePaging.start
        words[12] = facts.userImagePaging.end
        words[13] = 0
        words[14] = 0
        words[15] = facts.extraBootInfoPages.start
        words[16] = facts.extraBootInfoPages.end
        words[17] = Word(facts.rootCNodeSizeBits)
        words[18] = 0
        words[19] = facts.untypedStart
        words[20] = facts.untypedEnd
    }
}
