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
    /// kernel window lies below this (RISC-V maps RAM at 0x8000_0000) keeps it out of reach:
    /// mapping there finds the kernel's entry and fails.
    public var userTop: Word = 0x3F_FFFF_F000
    /// The platform's root page table whose valid entries map the kernel; each new VSpace gets
    /// copies of them when it is given an ASID (seL4 `copyGlobalMappings`). 0: none.
    public var globalPageTable: Word = 0
    public init() {}
}

/// The facts `seL4_BootInfo` reports (the kernel also writes them into the boot-info frame in
/// libsel4's layout).
public struct BootInfoFacts: Sendable {
    public var emptyStart: Word = 0
    public var emptyEnd: Word = 0
    public var untypedStart: Word = 0
    public var untypedEnd: Word = 0
    public var rootCNodeSizeBits = 0
    public var ipcBufferAddress: Word = 0
    public var bootInfoFrameAddress: Word = 0
    public var rootThread: Thread?
}

extension Kernel {
    /// Boots a kernel in `memory` (`bytes` long, 4 KiB aligned), which becomes the kernel's
    /// tables, the initial thread's objects and untyped memory, as seL4's boot does. A device
    /// region, if given, is reported as device untyped. The root task is the current thread,
    /// at priority 255, with seL4's initial caps in its CNode.
    public static func boot(configuration: KernelConfiguration, memory: UnsafeMutableRawPointer, bytes: Int,
                            deviceMemory: UnsafeMutableRawPointer? = nil, deviceBytes: Int = 0) -> Kernel {
        var cursor = Word(UInt(bitPattern: memory))
        let end = cursor + Word(bytes)
        func carve(_ sizeBits: Int) -> Word {
            let size = Word(1) << Word(sizeBits)
            let start = (cursor + size - 1) & ~(size - 1)
            cursor = start + size
            UnsafeMutableRawPointer(bitPattern: UInt(start))!.initializeMemory(as: UInt8.self, repeating: 0, count: Int(size))
            return start
        }
        let tables = carve(13)
        let kernel = Kernel(configuration: configuration, tables: UnsafeMutableRawPointer(bitPattern: UInt(tables))!)
        let radix = configuration.rootCNodeSizeBits
        let cnodeAddress = carve(radix + Constants.slotBits)
        let threadAddress = carve(Constants.threadBits)
        let vspaceAddress = carve(Constants.pageTableBits)
        let asidPoolAddress = carve(Constants.pageBits)
        let ipcBufferAddress = carve(Constants.pageBits)
        let bootInfoAddress = carve(Constants.pageBits)

        kernel.register(cnodeAddress, .cnode, sizeBits: radix + Constants.slotBits)
        kernel.register(threadAddress, .thread, sizeBits: Constants.threadBits)
        let root = RootCNodeWriter(kernel: kernel, cnode: cnodeAddress)
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
        root.original(InitialSlot.bootInfoFrame, .frame(bootInfoAddress, sizeBits: Constants.pageBits, isDevice: false))
        root.original(InitialSlot.ipcBuffer, .frame(ipcBufferAddress, sizeBits: Constants.pageBits, isDevice: false))
        root.original(InitialSlot.domain, .opaque(.domain))

        // The root thread: seL4's `create_initial_thread`.
        let thread = Thread(address: threadAddress)!
        thread.initialiseFields()
        kernel.threadListAppend(thread)
        thread.state = .running
        thread.priority = Constants.maxPriority
        thread.maxControlledPriority = Constants.maxPriority
        thread.ipcBufferAddress = ipcBufferAddress
        kernel.insert(cnodeCap, into: thread.slot(.cspace), derivedFrom: root.slot(InitialSlot.cnode))
        kernel.insert(root.slot(InitialSlot.vspace).cap, into: thread.slot(.vspace), derivedFrom: root.slot(InitialSlot.vspace))
        kernel.insert(root.slot(InitialSlot.ipcBuffer).cap, into: thread.slot(.ipcBuffer), derivedFrom: root.slot(InitialSlot.ipcBuffer))
        kernel.setupReplyMaster(thread)
        kernel.updateUserIPCBuffer(thread)
        let name: StaticString = "rootserver"
        thread.setName(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        kernel.currentThread = thread

        // Everything left becomes untyped memory, in the largest aligned blocks that fit.
        // The untyped list is written straight into the boot-info frame (seL4_UntypedDesc:
        // paddr, then sizeBits and isDevice bytes), from word 21 on.
        let bootInfoWords = UnsafeMutableRawPointer(bitPattern: UInt(bootInfoAddress))!.assumingMemoryBound(to: Word.self)
        var untypedCount = 0
        var nextSlot = InitialSlot.count
        func addUntypeds(from start: Word, to end: Word, isDevice: Bool) {
            var position = start
            while position < end && untypedCount < maxBootInfoUntypeds && nextSlot < (1 << radix) {
                var bits = min(configuration.maxUntypedBits, Constants.maxUntypedBits)
                while bits >= Constants.minUntypedBits {
                    let size = Word(1) << Word(bits)
                    if position & (size - 1) == 0 && position + size <= end { break }
                    bits -= 1
                }
                guard bits >= Constants.minUntypedBits else { break }
                root.original(nextSlot, .untyped(position, sizeBits: bits, isDevice: isDevice))
                bootInfoWords[21 + 2 * untypedCount] = position
                bootInfoWords[22 + 2 * untypedCount] = Word(bits) | (isDevice ? 1 << 8 : 0)
                untypedCount += 1
                nextSlot += 1
                position += Word(1) << Word(bits)
            }
        }
        addUntypeds(from: (cursor + 4095) & ~4095, to: end, isDevice: false)
        if let deviceMemory {
            let start = Word(UInt(bitPattern: deviceMemory))
            addUntypeds(from: start, to: start + Word(deviceBytes), isDevice: true)
        }

        var facts = BootInfoFacts()
        facts.untypedStart = Word(InitialSlot.count)
        facts.untypedEnd = Word(nextSlot)
        facts.emptyStart = Word(nextSlot)
        facts.emptyEnd = Word(1) << Word(radix)
        facts.rootCNodeSizeBits = radix
        facts.ipcBufferAddress = ipcBufferAddress
        facts.bootInfoFrameAddress = bootInfoAddress
        facts.rootThread = thread
        kernel.bootInfo = facts
        writeBootInfo(facts, at: bootInfoAddress)
        return kernel
    }

    /// Writes `seL4_BootInfo` (64-bit layout) into the boot-info frame: extraLen, nodeID,
    /// numNodes, numIOPTLevels, ipcBuffer, the six slot regions empty, sharedFrames,
    /// userImageFrames, userImagePaging, ioSpaceCaps, extraBIPages, initThreadCNodeSizeBits,
    /// initThreadDomain, untyped; the untypedList after them is written as untypeds are made.
    private static func writeBootInfo(_ facts: BootInfoFacts, at address: Word) {
        let words = UnsafeMutableRawPointer(bitPattern: UInt(address))!.assumingMemoryBound(to: Word.self)
        words[0] = 0
        words[1] = 0
        words[2] = 1
        words[3] = 0
        words[4] = facts.ipcBufferAddress
        words[5] = facts.emptyStart
        words[6] = facts.emptyEnd
        // sharedFrames, userImageFrames, userImagePaging, ioSpaceCaps, extraBIPages: empty.
        for i in 7...16 { words[i] = 0 }
        words[17] = Word(facts.rootCNodeSizeBits)
        words[18] = 0
        words[19] = facts.untypedStart
        words[20] = facts.untypedEnd
    }
}

/// Writes boot caps into the root CNode.
private struct RootCNodeWriter {
    let kernel: Kernel
    let cnode: Word
    func slot(_ index: Int) -> Slot { Slot.at(base: cnode, index: index) }
    func original(_ index: Int, _ cap: Capability) { kernel.insertOriginal(cap, into: slot(index)) }
}
