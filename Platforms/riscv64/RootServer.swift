// Booting an unmodified seL4 root server (`swiftl4 qemu boot PATH`): QEMU loads the root
// server's ELF file as the initrd; the kernel does what seL4's elfloader does (the image's
// segments copied into one contiguous run of pages, their bss zeroed) and then what seL4's
// boot does (KernelCore's `Kernel.boot(configuration:rootServer:memory:devices:)`), prints
// seL4's boot lines, and runs the root server until no thread can ever run again.

import KernelCore

/// seL4's riscv64 configuration that sel4test runs in (../shared/conformance/README.md).
enum RootServerConfiguration {
    /// `CONFIG_ROOT_CNODE_SIZE_BITS`.
    static let rootCNodeSizeBits = 13
    /// `seL4_MaxUntypedBits` on riscv64.
    static let maxUntypedBits = 38
    /// `CONFIG_PADDR_USER_DEVICE_TOP`: Sv39 physical addresses, 2^39.
    static let physicalTop: Word = 1 << 39
    /// The firmware's (OpenSBI's) part of RAM, below the kernel: device memory to the root
    /// server, as seL4 reports it.
    static let firmwareEnd: Word = 0x8020_0000
}

/// Whether the run is the built-in scenes or a booted root server.
enum RunMode {
    case scenes
    case rootServer(root: Thread)
}

extension Platform {
    /// The elfloader's and seL4's boot for the root server in `[initrd, initrdEnd)`, then user
    /// mode. Stops the machine with a reason if the file or the memory cannot hold it.
    func bootRootServer(_ tree: DeviceTree) -> Never {
        let fileStart = KernelAddresses.window(tree.initrdStart), fileEnd = KernelAddresses.window(tree.initrdEnd)
        guard fileEnd > fileStart, let file = UnsafeRawPointer(bitPattern: UInt(fileStart)) else {
            panic("the root server (initrd) is empty")
        }
        let parsed = ELFFile.parse(file, size: Int(fileEnd - fileStart))
        guard let elf = parsed.file else { panic("the root server cannot be loaded: \(parsed.problem)") }
        // A hostile or broken file gets a reason, not an arithmetic trap: its segments must lie
        // in the user range (seL4's boot refuses an image reaching seL4_UserTop).
        let userTop = KernelConfiguration().userTop
        guard elf.segments.allSatisfy({ $0.virtualAddress < userTop && $0.memoryBytes <= userTop - $0.virtualAddress })
        else { panic("the root server cannot be loaded: a segment reaches beyond seL4_UserTop (\(hex(userTop)))") }
        let virtualStart = elf.virtualStart, virtualEnd = elf.virtualEnd
        print("ELF-loading image 'rootserver'")
        print("  vaddr=[\(hex(virtualStart))..\(hex(virtualEnd - 1))]")
        print("  virt_entry=\(hex(elf.entry))")

        // The image's pages go at the start of the kernel's memory, as the elfloader puts them
        // after the kernel; everything after them, but the initrd and the device tree, is free.
        let imageStart = Word(memoryStart), imageEnd = imageStart + (virtualEnd - virtualStart)
        guard imageEnd <= Word(memoryEnd), fileStart >= imageEnd || fileEnd <= imageStart else {
            panic("the root server's image (\(virtualEnd - virtualStart) bytes) does not fit below the initrd")
        }
        UnsafeMutableRawPointer(bitPattern: UInt(imageStart))!.initializeMemory(as: UInt8.self, repeating: 0,
                                                                                count: Int(imageEnd - imageStart))
        for segment in elf.segments where segment.fileBytes > 0 {
            UnsafeMutableRawPointer(bitPattern: UInt(imageStart + (segment.virtualAddress - virtualStart)))!
                .copyMemory(from: file + Int(segment.fileOffset), byteCount: Int(segment.fileBytes))
        }
        print("  paddr=[\(hex(imageStart - KernelAddresses.windowOffset))..\(hex(imageEnd - 1 - KernelAddresses.windowOffset))]")

        let treeStart = Word(UInt(bitPattern: tree.base)), treeEnd = treeStart + Word(tree.size)
        var free = [MemoryRegion(start: imageEnd, end: Word(memoryEnd))]
        for reserved in [MemoryRegion(start: fileStart & ~0xFFF, end: (fileEnd + 0xFFF) & ~0xFFF),
                         MemoryRegion(start: treeStart & ~0xFFF, end: (treeEnd + 0xFFF) & ~0xFFF)] {
            free = free.flatMap { region -> [MemoryRegion] in
                guard reserved.start < region.end, reserved.end > region.start else { return [region] }
                return [MemoryRegion(start: region.start, end: reserved.start),
                        MemoryRegion(start: reserved.end, end: region.end)].filter { !$0.isEmpty }
            }
        }
        let devices = [MemoryRegion(start: 0, end: RootServerConfiguration.firmwareEnd),
                       MemoryRegion(start: Word(ramTop) - KernelAddresses.windowOffset, end: RootServerConfiguration.physicalTop)]

        var configuration = KernelConfiguration()
        configuration.rootCNodeSizeBits = RootServerConfiguration.rootCNodeSizeBits
        configuration.maxUntypedBits = RootServerConfiguration.maxUntypedBits
        configuration.globalPageTable = Word(kernelRootTable())
        configuration.kernelWindowOffset = KernelAddresses.windowOffset
        print("Bootstrapping kernel")
        print("Available phys memory regions: \(free.count)")
        for region in free {
            print("  [\(hex(region.start - KernelAddresses.windowOffset))..\(hex(region.end - KernelAddresses.windowOffset)))")
        }
        let image = RootServerImage(region: MemoryRegion(start: imageStart, end: imageEnd), virtualStart: virtualStart,
                                    entry: elf.entry, deviceTree: UnsafeRawBufferPointer(start: tree.base, count: tree.size))
        guard let kernel = Kernel.boot(configuration: configuration, rootServer: image, memory: free, devices: devices),
              let root = kernel.bootInfo.rootThread else {
            panic("the root server's layout does not fit: its image reaches seL4_UserTop or memory is short")
        }
        let facts = kernel.bootInfo
        print("Booting all finished, dropped to user space")
        print("  IPC buffer \(hex(facts.ipcBufferAddress)), boot info \(hex(facts.bootInfoVirtualAddress)), "
              + "untypeds [\(facts.untypedStart) --> \(facts.untypedEnd)), "
              + "userImageFrames [\(facts.userImageFrames.start) --> \(facts.userImageFrames.end))")
        let console = RootServerConsole()
        rootConsole = console
        kernel.observer = console
        kernel.fpu = RISCVFPU()
        self.kernel = kernel
        mode = .rootServer(root: root)
        trapState.kernel = Unmanaged.passUnretained(kernel)
        trapState.seenGeneration = kernel.translationGeneration
        armTimer(true)
        enter(kernel)
    }

    /// No thread can run again (every thread blocked or stopped, and no interrupt that could
    /// wake one: this kernel hands out no IRQ handlers, and the timer only preempts).
    func rootServerAtRest(root: Thread) -> Never {
        let rootState = root.state
        print("SwiftL4: no thread can run again; the root server is \(rootState.name)")
        shutdown(rootConsole?.rootFaulted ?? false ? 1 : 0)
        while true {}
    }
}

/// The root server's console: `seL4_DebugPutChar` to the SBI console, and a report of every
/// fault that no handler takes, naming the thread, as seL4's debug kernel prints them.
final class RootServerConsole: KernelObserver {
    var rootFaulted = false

    func debugPutChar(_ character: UInt8) { _ = putchar(Int32(character)) }

    func kernelEvent(_ event: KernelEvent) {}

    func faultNotHandled(thread: Thread, fault: Fault) {
        let name = String(decoding: UnsafeBufferPointer(start: thread.nameBytes, count: thread.nameLength), as: UTF8.self)
        let pc = hex(thread[register: RegisterFile.pc])
        print("SwiftL4: thread \"\(name)\" took a fault no handler receives, at pc \(pc): \(describe(fault))")
        if case .rootServer(let root) = platform?.mode, root == thread {
            rootFaulted = true
            print("SwiftL4 panic: the root server died")
        }
    }

    func describe(_ fault: Fault) -> String {
        switch fault {
        case .none: "no fault"
        case .capFault(let address, let inReceivePhase, _):
            "cap fault on CPtr \(hex(address)) in the \(inReceivePhase ? "receive" : "send") phase"
        case .unknownSyscall(let number): "unknown system call \(Int64(bitPattern: number))"
        case .userException(let number, let code): "user exception, cause \(number), code \(code)"
        case .vmFault(let address, let isInstructionFetch, let status):
            "VM fault at \(hex(address)) (\(isInstructionFetch ? "instruction fetch" : status == 5 ? "read" : "write"))"
        }
    }
}
