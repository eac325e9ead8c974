// SwiftL4's RISC-V platform: the kernel core, unmodified, compiled as Embedded Swift and booted
// on QEMU `virt` over physical memory, with Sv39 address spaces built by seL4's invocations.
//
// Given a root server as QEMU's initrd (`swiftl4 qemu boot PATH`), it boots that instead, as
// seL4 boots one (RootServer.swift). Otherwise the run is a sequence of scenes. Each boots a fresh kernel over the same memory and acts as
// its root task (like seL4's capDL loader, through real invocations): it makes address spaces,
// loads ELF images into them, gives each program a CSpace and a TCB, and lets them run in
// U-mode. A scene ends when no thread can run; the platform then reports and starts the next.
//   1. a Call/ReplyRecv round trip driven from the kernel side (no user mode);
//   2. the seL4 IPC tutorial: server.c and two client.c, each in its own address space, with a
//      monitor receiving the faults of five misbehaving programs (one reads the server's memory);
//   3. the tutorial again, its programs written in Embedded Swift against the SeL4 module;
//   4. timer preemption: a witness runs beside a spinner that never yields;
//   5. measurements counted in retired instructions (-icount): the floor (two bare traps) and
//      Call/ReplyRecv between two address spaces, fastpath and slowpath.
//
// The kernel is mapped in every address space (`KernelConfiguration.globalPageTable`, global,
// not user-accessible): physical memory at seL4's PPTR_BASE, through which it reaches every
// object, and the image's own gigabyte identity-mapped (VSpace.swift, trap_state.h).
//
// This file: the entry from start.S, the platform's state and the scene sequencer. The
// platform is its own module (RISCVPlatform) and sees the kernel core's public API only.

import KernelCore

/// The end of RAM on QEMU `virt` with its default 128 MiB, if the device tree does not say.
let defaultRAMEnd: UInt = 0x8800_0000
/// QEMU `virt`'s timebase (10 MHz) and seL4's default tick (CONFIG_TIMER_TICK_MS = 2).
let timerTicksPerTimeslice: UInt64 = 20_000

/// The machine for the whole run: the kernel's memory and window, the current scene's kernel,
/// and what the scenes have reported so far.
final class Platform {
    let memoryStart: UInt
    let memoryEnd: UInt
    /// The end of RAM (the device tree's `/memory`), as a window address.
    let ramTop: UInt
    let kernelSATP: Word
    var kernel: Kernel?
    var mode = RunMode.scenes
    /// The booted root server's console, which records whether the root server died.
    var rootConsole: RootServerConsole?
    var scene = 0
    var result = SceneResult.none
    var floorInstructions: Word = 0
    var failures = 0

    init(memoryStart: UInt, memoryEnd: UInt, ramTop: UInt, kernelSATP: Word) {
        self.memoryStart = memoryStart
        self.memoryEnd = memoryEnd
        self.ramTop = ramTop
        self.kernelSATP = kernelSATP
        trapState.kernelSATP = kernelSATP
    }

    /// A fresh kernel over the platform's memory, with its root task's loader. The kernel's
    /// own root table is made current first, and the TLB flushed: the memory about to be
    /// reused may hold the last scene's page tables, and the new kernel hands out the same
    /// ASIDs again.
    func bootKernel(fastpath: Bool = true) -> Loader {
        writeSATP(UInt(kernelSATP))
        flushTLB()
        var configuration = KernelConfiguration()
        configuration.rootCNodeSizeBits = 10
        configuration.maxUntypedBits = 22
        configuration.globalPageTable = Word(kernelRootTable())
        configuration.kernelWindowOffset = KernelAddresses.windowOffset
        let kernel = Kernel.boot(configuration: configuration, memory: UnsafeMutableRawPointer(bitPattern: memoryStart)!,
                                 bytes: Int(memoryEnd - memoryStart))
        kernel.observer = Console()
        kernel.fastpathEnabled = fastpath
        self.kernel = kernel
        trapState.kernel = Unmanaged.passUnretained(kernel)
        trapState.seenGeneration = kernel.translationGeneration
        return Loader(kernel: kernel)
    }

    func armTimer(_ on: Bool) {
        trapState.timerOn = on
        enableTimerInterrupt(on ? 1 : 0)
        setTimer(on ? readTime() + timerTicksPerTimeslice : ~0)
    }

    /// Reports the scene that just ended and starts the next; shuts down after the last.
    func nextScene() -> Never {
        report()
        armTimer(false)
        scene += 1
        result = .none
        switch scene {
        case 1: tutorialScene()
        case 2: swiftTutorialScene()
        case 3: preemptionScene()
        case 4: floorScene()
        case 5: roundTripScene("1 word, fastpath", words: 1, fastpath: true)
        case 6: roundTripScene("1 word, fastpath off (slowpath)", words: 1, fastpath: false)
        case 7: roundTripScene("10 words (slowpath)", words: 10, fastpath: true)
        case 8: roundTripScene("1 word, fastpath", words: 1, fastpath: true, kind: .oneWay)
        case 9: roundTripScene("10 words (slowpath)", words: 10, fastpath: true, kind: .oneWay)
        case 10: roundTripScene("1 word, fastpath, FPU enabled in both threads", words: 1, fastpath: true, kind: .oneWay,
                                fpu: true)
        case 11: roundTripScene("0 words, fastpath, server FPU disabled", words: 0, fastpath: true,
                                kind: .oneWayRegistersOnly, fpu: true, serverFPUDisabled: true)
        case 12: roundTripScene("0 words, fastpath, FPU enabled in both threads", words: 0, fastpath: true,
                                kind: .oneWayRegistersOnly, fpu: true)
        default:
            print("SwiftL4: all scenes done; shutting down")
            shutdown(failures == 0 ? 0 : 1)
        }
        // Every scene enters user mode and never comes back here.
        while true {}
    }

    /// No thread can run: the scene is over, or the root server's system is at rest.
    func atRest() -> Never {
        switch mode {
        case .scenes: nextScene()
        case .rootServer(let root): rootServerAtRest(root: root)
        }
    }

    func enter(_ kernel: Kernel) -> Never {
        guard let first = kernel.currentThread else { panic("scene \(scene): no thread to run") }
        cacheSATP(kernel, first)
        prepareUserEntry()
        // The unit starts off for user mode (the first owner turns it on), also without an FPU.
        let access = restoreFPU(kernel, first)
        resume(first, access == .unchanged ? .off : access)
    }
}

nonisolated(unsafe) var platform: Platform?

@_cdecl("swiftl4_riscv_main")
func riscvMain(_ hart: UInt, _ deviceTreePhysical: UInt) {
    print("SwiftL4 on riscv64 (hart \(hart)): booting the kernel core")
    checkTrapLayout()
    // Memory is reached through the kernel window from here on: `memoryStart`, `memoryEnd`
    // and `ramTop` are window addresses.
    let kernelSATP = enableKernelWindow()
    let start = UInt(KernelAddresses.window(Word(kernelMemoryStart())))
    let deviceTree = UInt(KernelAddresses.window(Word(deviceTreePhysical)))
    let tree = DeviceTree(at: Word(deviceTree))
    let ramTop = UInt(KernelAddresses.window(tree.map { $0.memoryEnd } ?? Word(defaultRAMEnd)))
    guard ramTop > start else { panic("RAM ends (\(hex(Word(ramTop)))) before the kernel's memory starts") }
    if let tree, tree.initrdEnd > tree.initrdStart {
        // `swiftl4 qemu boot PATH`: QEMU loaded a root server as the initrd.
        let machine = Platform(memoryStart: start, memoryEnd: ramTop, ramTop: ramTop, kernelSATP: kernelSATP)
        platform = machine
        allowUserCounters()
        machine.bootRootServer(tree)
    }
    // The scenes keep below the device tree, which OpenSBI puts at the top of RAM.
    let end = deviceTree > start && deviceTree < ramTop ? deviceTree & ~0xFFFF : ramTop
    let machine = Platform(memoryStart: start, memoryEnd: end, ramTop: ramTop, kernelSATP: kernelSATP)
    platform = machine
    allowUserCounters()
    print("Sv39 on: the kernel's window (physical memory at 0xffffffc000000000) and image are mapped in every address space")
    kernelRoundTrip(machine)
    machine.nextScene()
}
