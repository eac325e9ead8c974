// SwiftL4's RISC-V platform: the kernel core, unmodified, compiled as Embedded Swift and booted
// on QEMU `virt` over physical memory, with Sv39 address spaces built by seL4's invocations.
//
// The run is a sequence of scenes. Each boots a fresh kernel over the same memory and acts as
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
// The kernel is mapped in every address space (a 1 GiB identity mapping of RAM, global, not
// user-accessible: `KernelConfiguration.globalPageTable`); it reaches every object through it.

import SeL4ABI

@_silgen_name("swiftl4_shutdown") func shutdown(_ failure: Int32)
@_silgen_name("swiftl4_kernel_memory_start") func kernelMemoryStart() -> UInt
@_silgen_name("swiftl4_kernel_root_table") func kernelRootTable() -> UInt
@_silgen_name("swiftl4_write_satp") func writeSATP(_ value: UInt)
@_silgen_name("swiftl4_flush_tlb") func flushTLB()
@_silgen_name("swiftl4_allow_user_counters") func allowUserCounters()
@_silgen_name("swiftl4_time") func readTime() -> UInt64
@_silgen_name("swiftl4_set_timer") func setTimer(_ when: UInt64)
@_silgen_name("swiftl4_enable_timer_interrupt") func enableTimerInterrupt(_ on: Int32)
@_silgen_name("swiftl4_enter_user") func enterUser(_ registers: UnsafeMutableRawPointer)
@_silgen_name("swiftl4_enter_floor") func enterFloor(_ registers: UnsafeMutableRawPointer)
@_silgen_name("swiftl4_program_image") func programImage(_ which: Int32, _ size: UnsafeMutablePointer<UInt>) -> UnsafeRawPointer?
@_silgen_name("putchar") func putchar(_ c: Int32) -> Int32

/// The kernel panic: says why on the console, then stops the machine with status 1 (QEMU
/// exits 1). Swift's own runtime traps print nothing under optimisation; they arrive as a
/// supervisor-mode trap and are reported by `kernelTrap`.
func panic(_ message: String) -> Never {
    print("SwiftL4 panic: \(message)")
    shutdown(1)
    while true {}
}

/// The end of RAM on QEMU `virt` with its default 128 MiB.
let ramEnd: UInt = 0x8800_0000
/// QEMU `virt`'s timebase (10 MHz) and seL4's default tick (CONFIG_TIMER_TICK_MS = 2).
let timerTicksPerTimeslice: UInt64 = 20_000

final class Console: KernelObserver {
    func debugPutChar(_ character: UInt8) { _ = putchar(Int32(character)) }
    func kernelEvent(_ event: KernelEvent) {}
}

func hex(_ value: Word) -> String {
    let digits: StaticString = "0123456789abcdef"
    var text = ""
    var v = value
    repeat {
        text = String(UnicodeScalar(digits.utf8Start[Int(v & 15)])) + text
        v >>= 4
    } while v != 0
    return "0x" + text
}

/// `value / divisor` with two decimals (no floating point in the kernel image).
func decimal(_ value: Word, over divisor: Word) -> String {
    guard divisor != 0 else { return "?" }
    let hundredths = (value * 100 + divisor / 2) / divisor
    let fraction = hundredths % 100
    return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
}

/// The user programs, in build.sh's order.
enum Program: Int32 {
    case server = 0, client1, client2, monitor, snoop, badInput, pingpong, floor, preempt, swiftTutorial
}

/// libsel4's riscv64 invocation labels and object types the loader uses.
enum RISCV {
    static let pageTableMap = RISCVInvocationLabel.pageTableMap
    static let pageMap = RISCVInvocationLabel.pageMap
    static let pageGetAddress = RISCVInvocationLabel.pageGetAddress
    static let asidPoolAssign = RISCVInvocationLabel.asidPoolAssign
    static let pageTableObject = ObjectType.RISCV64.pageTable
    static let executeNever: Word = 1
    static let satpSv39: Word = 8 << 60
}

/// Where the loader puts a program's stack and IPC buffer in its address space.
enum UserLayout {
    static let stackTop: Word = 0x0100_0000
    static let stackPages: Word = 4
    static let ipcBuffer: Word = 0x0200_0000
}

/// The root task's side of one scene: invocations on a fresh kernel, objects into the root
/// CNode's empty slots.
struct Loader {
    let kernel: Kernel
    let root: Thread
    var next: Word

    init(kernel: Kernel) {
        self.kernel = kernel
        root = kernel.bootInfo.rootThread!
        next = kernel.bootInfo.emptyStart
    }

    /// An invocation that must succeed (the loader's own mistakes stop the machine).
    @discardableResult
    func call(_ cap: Word, _ label: Word, _ arguments: [Word], _ caps: [Word] = []) -> InvocationReply {
        let reply = kernel.invoke(as: root, cap, label: label, arguments: arguments, extraCaps: caps)
        if reply.error != nil { panic("loader: invocation \(label) on slot \(cap) failed with error \(reply.label)") }
        return reply
    }

    func call(_ cap: Word, _ label: InvocationLabel, _ arguments: [Word], _ caps: [Word] = []) {
        call(cap, label.rawValue, arguments, caps)
    }

    /// `seL4_Untyped_Retype` of one object from the first untyped with room.
    mutating func retype(_ type: Word, size: Word = 0) -> Word {
        let facts = kernel.bootInfo
        for untyped in facts.untypedStart..<facts.untypedEnd {
            let reply = kernel.invoke(as: root, untyped, label: InvocationLabel.untypedRetype.rawValue,
                                      arguments: [type, size, 0, 0, next, 1], extraCaps: [Word(InitialSlot.cnode)])
            if reply.error == nil {
                next += 1
                return next - 1
            }
        }
        panic("loader: no untyped has room")
    }

    /// A page table given an ASID from the initial pool: a new address space, holding the
    /// kernel's global mappings.
    mutating func addressSpace() -> Word {
        let vspace = retype(RISCV.pageTableObject)
        call(Word(InitialSlot.asidPool), RISCV.asidPoolAssign, [], [vspace])
        return vspace
    }

    /// `seL4_RISCV_Page_Map`, making the page tables the walk needs on the way (a failed
    /// lookup means a table is missing at the level the reply's bits name).
    mutating func map(_ frame: Word, into vspace: Word, at address: Word, rights: CapRights, executable: Bool) {
        let attributes = executable ? 0 : RISCV.executeNever
        while true {
            let reply = kernel.invoke(as: root, frame, label: RISCV.pageMap,
                                      arguments: [address, rights.rawValue, attributes], extraCaps: [vspace])
            if reply.error == nil { return }
            guard reply.error == .failedLookup else {
                panic("loader: Page_Map at \(hex(address)) failed with error \(reply.label)")
            }
            let table = retype(RISCV.pageTableObject)
            call(table, RISCV.pageTableMap, [address, 0], [vspace])
        }
    }

    /// A new zeroed frame mapped at `address`; returns its slot and physical address.
    mutating func mapNewFrame(into vspace: Word, at address: Word, rights: CapRights, executable: Bool) -> (Word, Word) {
        let frame = retype(ObjectType.smallPage)
        map(frame, into: vspace, at: address, rights: rights, executable: executable)
        return (frame, call(frame, RISCV.pageGetAddress, []).words[0])
    }

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

    /// A CNode for a program (radix 8, guarded to resolve 64-bit CPtrs) with the caps of
    /// user/slots.h: `endpoint` at 1 (with `endpointRights`), itself at 2, the fault endpoint
    /// badged `faultBadge` at 4, the result endpoint at 5.
    mutating func cspace(endpoint: Word, endpointRights: CapRights, faultEndpoint: Word?, faultBadge: Word,
                         result: Word?) -> Word {
        let radix: Word = 8
        let cnodeSlot = Word(InitialSlot.cnode)
        let cnode = retype(ObjectType.cnode, size: radix)
        let guarded = next
        next += 1
        call(cnodeSlot, .cnodeMint, [guarded, 64, cnode, 64, CapRights.all.rawValue,
                                     CNodeCapData(guard: 0, guardSize: 64 - radix).rawValue], [cnodeSlot])
        call(cnode, .cnodeMint, [1, radix, endpoint, 64, endpointRights.rawValue, 0], [cnodeSlot])
        call(cnode, .cnodeCopy, [2, radix, guarded, 64, CapRights.all.rawValue], [cnodeSlot])
        if let faultEndpoint {
            call(cnode, .cnodeMint, [4, radix, faultEndpoint, 64, CapRights([.write, .grantReply]).rawValue, faultBadge],
                 [cnodeSlot])
        }
        if let result { call(cnode, .cnodeCopy, [5, radix, result, 64, CapRights.all.rawValue], [cnodeSlot]) }
        return guarded
    }

    /// A thread for `program` in `vspace` with CSpace `cspace`: stack and IPC buffer mapped,
    /// registers set (pc the entry, sp, a0 the IPC buffer, a1 `argument`), its own TCB cap at
    /// slot 7, fault handler slot 4. Not resumed. Without `mapStack` it is a second thread of
    /// an address space and CSpace already set up (the floor's partner).
    mutating func thread(in vspace: Word, entry: Word, cspace: Word, argument: Word, priority: Word,
                         mapStack: Bool = true) -> Word {
        if mapStack {
            for page in 1...UserLayout.stackPages {
                _ = mapNewFrame(into: vspace, at: UserLayout.stackTop - page * 0x1000, rights: [.read, .write],
                                executable: false)
            }
        }
        let tcb = retype(ObjectType.thread)
        // Each thread's IPC buffer is its own frame, mapped in its own address space; threads
        // sharing an address space (the floor's two) share that mapping's page.
        let (buffer, _) = mapStack
            ? mapNewFrame(into: vspace, at: UserLayout.ipcBuffer, rights: [.read, .write], executable: false)
            : (retype(ObjectType.smallPage), 0)
        call(tcb, .tcbConfigure, [4, 0, 0, UserLayout.ipcBuffer], [cspace, vspace, buffer])
        call(tcb, .tcbSetPriority, [priority], [Word(InitialSlot.thread)])
        var context = [Word](repeating: 0, count: RegisterFile.userContextWords)
        context[RegisterFile.pc] = entry
        context[RegisterFile.sp] = UserLayout.stackTop
        context[RegisterFile.argumentRegister(0)] = UserLayout.ipcBuffer
        context[RegisterFile.argumentRegister(1)] = argument
        call(tcb, .tcbWriteRegisters, [0, Word(context.count)] + context)
        if mapStack { giveCap(tcb, to: cspace, at: 7) }
        return tcb
    }

    /// Copies a root-CNode cap into slot `index` of a program's CNode.
    func giveCap(_ cap: Word, to cspace: Word, at index: Word) {
        let cnodeSlot = Word(InitialSlot.cnode)
        call(cspace, .cnodeCopy, [index, 64, cap, 64, CapRights.all.rawValue], [cnodeSlot])
    }

    func threadObject(_ slot: Word) -> Thread {
        let cnode = root.slot(.cspace).cap
        let cap = UnsafeMutablePointer<Capability>(bitPattern: UInt(cnode.address + slot * 32))!.pointee
        return Thread(base: UnsafeMutableRawPointer(bitPattern: UInt(cap.address))!)
    }

    /// Resumes the threads so that they first run in the given order (a resumed thread goes
    /// to the head of its ready queue), then suspends the root task.
    func start(_ threads: [Word]) {
        for tcb in threads.reversed() { call(tcb, .tcbResume, []) }
        call(Word(InitialSlot.thread), .tcbSuspend, [])
    }
}

/// What a scene leaves for the platform to report when it ends.
enum SceneResult {
    case none
    /// A measurement: the thread whose message registers hold the figures when it blocks.
    case measured(String, Thread)
}

final class Platform {
    let memoryStart: UInt
    let memoryEnd: UInt
    let kernelSATP: Word
    var kernel: Kernel?
    var scene = 0
    var result = SceneResult.none
    var floorInstructions: Word = 0
    var failures = 0

    init(memoryStart: UInt, memoryEnd: UInt) {
        self.memoryStart = memoryStart
        self.memoryEnd = memoryEnd
        // The kernel's window: RAM's gigabyte (0x8000_0000), identity-mapped, global, for
        // supervisor mode only. Every VSpace gets this entry when it is given an ASID.
        let table = UnsafeMutablePointer<Word>(bitPattern: kernelRootTable())!
        for i in 0..<512 { table[i] = 0 }
        table[2] = PTE.table(0x8000_0000) | PTE.read | PTE.write | PTE.execute | PTE.global | PTE.accessed | PTE.dirty
        kernelSATP = RISCV.satpSv39 | Word(kernelRootTable() >> 12)
        writeSATP(UInt(kernelSATP))
        flushTLB()
        trapState.kernelSATP = kernelSATP
        trapState.activeSATP = kernelSATP
    }

    /// A fresh kernel over the platform's memory, with its root task's loader. The kernel's
    /// own root table is made current first, and the TLB flushed: the memory about to be
    /// reused may hold the last scene's page tables, and the new kernel hands out the same
    /// ASIDs again.
    func bootKernel(fastpath: Bool = true) -> Loader {
        switchAddressSpace(kernelSATP)
        flushTLB()
        var configuration = KernelConfiguration()
        configuration.rootCNodeSizeBits = 10
        configuration.maxUntypedBits = 22
        configuration.globalPageTable = Word(kernelRootTable())
        let kernel = Kernel.boot(configuration: configuration, memory: UnsafeMutableRawPointer(bitPattern: memoryStart)!,
                                 bytes: Int(memoryEnd - memoryStart))
        kernel.observer = Console()
        kernel.fastpathEnabled = fastpath
        self.kernel = kernel
        trapState.kernel = Unmanaged.passUnretained(kernel)
        trapState.seenGeneration = kernel.translationGeneration
        return Loader(kernel: kernel)
    }

    func switchAddressSpace(_ satp: Word) {
        if satp != trapState.activeSATP {
            writeSATP(UInt(satp))
            trapState.activeSATP = satp
        }
    }

    func activate(_ thread: Thread) {
        if let kernel { activateVSpace(kernel, thread) }
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
        default:
            print("SwiftL4: all scenes done; shutting down")
            shutdown(failures == 0 ? 0 : 1)
        }
        // Every scene enters user mode and never comes back here.
        while true {}
    }

    func report() {
        guard case .measured(let what, let thread) = result, let kernel else { return }
        let instructions = thread.messageRegister(0), count = thread.messageRegister(1)
        let errors = thread.messageRegister(2)
        let perRoundTrip = count == 0 ? 0 : (instructions + count / 2) / count
        if errors != 0 { failures += 1 }
        if floorInstructions == 0 {
            floorInstructions = perRoundTrip
            print("measure: floor, two threads swapping 4 words through two bare traps: \(perRoundTrip) instructions per round trip (\(count) round trips, \(errors) errors)")
        } else {
            let counters = kernel.pathCounters
            print("measure: Call/ReplyRecv between two address spaces, \(what): \(perRoundTrip) instructions per round trip, \(decimal(perRoundTrip, over: floorInstructions))x the floor (\(count) round trips, \(errors) errors; fastpath calls \(counters.fastpathCalls), slowpath calls \(counters.slowpathCalls))")
        }
    }

    func enter(_ kernel: Kernel) -> Never {
        guard let first = kernel.currentThread else { panic("scene \(scene): no thread to run") }
        activate(first)
        enterUser(UnsafeMutableRawPointer(first.registers))
        while true {}
    }

    /// The seL4 IPC tutorial, as three isolated programs, beside a monitor that receives the
    /// faults of five misbehaving programs (badges as monitor.c names them).
    func tutorialScene() {
        print("the seL4 IPC tutorial, as three programs in their own address spaces:")
        var loader = bootKernel()
        let endpoint = loader.retype(ObjectType.endpoint)
        let faults = loader.retype(ObjectType.endpoint)
        let readOnly: CapRights = [.read]
        let monitorSpace = loader.addressSpace()
        let monitorImage = loader.loadELF(.monitor, into: monitorSpace)
        let monitorCSpace = loader.cspace(endpoint: faults, endpointRights: readOnly, faultEndpoint: nil, faultBadge: 0, result: nil)
        let monitor = loader.thread(in: monitorSpace, entry: monitorImage.entry, cspace: monitorCSpace, argument: 0, priority: 101)

        var serverData: Word = 0
        func program(_ which: Program, badge: Word, argument: Word = 0) -> Word {
            let space = loader.addressSpace()
            let image = loader.loadELF(which, into: space)
            if which == .server { serverData = image.data }
            let rwg: CapRights = [.read, .write, .grant]
            let cspace = loader.cspace(endpoint: endpoint, endpointRights: rwg, faultEndpoint: faults, faultBadge: badge,
                                       result: nil)
            return loader.thread(in: space, entry: image.entry, cspace: cspace,
                                 argument: which == .snoop ? serverData : argument, priority: 100)
        }
        let server = program(.server, badge: 1)
        let client1 = program(.client1, badge: 2)
        let client2 = program(.client2, badge: 3)
        let snoop = program(.snoop, badge: 4)
        let misbehaving = (1...4).map { program(.badInput, badge: 4 + $0, argument: $0) }
        loader.start([monitor, snoop] + misbehaving + [server, client1, client2])
        armTimer(true)
        enter(loader.kernel)
    }

    /// The tutorial once more, its three programs written in Embedded Swift against the SeL4
    /// module: one image, loaded into three address spaces, its role in a1.
    func swiftTutorialScene() {
        print("the seL4 IPC tutorial in Embedded Swift, against the SeL4 module:")
        var loader = bootKernel()
        let endpoint = loader.retype(ObjectType.endpoint)
        let threads = (0..<3).map { (role: Word) -> Word in
            let space = loader.addressSpace()
            let image = loader.loadELF(.swiftTutorial, into: space)
            let cspace = loader.cspace(endpoint: endpoint, endpointRights: [.read, .write, .grant], faultEndpoint: nil,
                                       faultBadge: 0, result: nil)
            return loader.thread(in: space, entry: image.entry, cspace: cspace, argument: role, priority: 100)
        }
        loader.start(threads)
        armTimer(true)
        enter(loader.kernel)
    }

    /// Two programs at one priority: a spinner that never enters the kernel, then a witness.
    func preemptionScene() {
        print("timer preemption: a witness beside a spinner at the same priority")
        var loader = bootKernel()
        let endpoint = loader.retype(ObjectType.endpoint)
        func program(_ argument: Word) -> (tcb: Word, cspace: Word) {
            let space = loader.addressSpace()
            let image = loader.loadELF(.preempt, into: space)
            let cspace = loader.cspace(endpoint: endpoint, endpointRights: .all, faultEndpoint: nil, faultBadge: 0, result: nil)
            return (loader.thread(in: space, entry: image.entry, cspace: cspace, argument: argument, priority: 100), cspace)
        }
        let spinner = program(0), witness = program(1)
        loader.giveCap(spinner.tcb, to: witness.cspace, at: 6)
        loader.start([spinner.tcb, witness.tcb])
        armTimer(true)
        enter(loader.kernel)
    }

    /// The floor: two threads of floor.c in one address space, switched by the bare trap path.
    func floorScene() {
        print("measuring (instructions retired, QEMU -icount):")
        var loader = bootKernel()
        let result = loader.retype(ObjectType.endpoint)
        let space = loader.addressSpace()
        let image = loader.loadELF(.floor, into: space)
        let count: Word = 10_000
        let cspace = loader.cspace(endpoint: result, endpointRights: .all, faultEndpoint: nil, faultBadge: 0, result: result)
        let a = loader.thread(in: space, entry: image.entry, cspace: cspace, argument: count << 16, priority: 100)
        let b = loader.thread(in: space, entry: image.entry, cspace: cspace, argument: 1 | count << 16, priority: 100,
                              mapStack: false)
        let threadA = loader.threadObject(a), threadB = loader.threadObject(b)
        // B has its own stack just below A's: the loader mapped four pages for A only.
        for page in 5...8 {
            _ = loader.mapNewFrame(into: space, at: UserLayout.stackTop - Word(page) * 0x1000, rights: [.read, .write],
                                   executable: false)
        }
        threadB[register: RegisterFile.sp] = UserLayout.stackTop - 4 * 0x1000
        // Each register file names its partner in the word 512 bytes on (the TCB's platform area).
        (UnsafeMutableRawPointer(threadA.registers) + 512).storeBytes(of: UInt(bitPattern: threadB.registers), as: UInt.self)
        (UnsafeMutableRawPointer(threadB.registers) + 512).storeBytes(of: UInt(bitPattern: threadA.registers), as: UInt.self)
        loader.start([a])
        self.result = .measured("floor", threadA)
        activate(threadA)
        enterFloor(UnsafeMutableRawPointer(threadA.registers))
    }

    /// Call/ReplyRecv between pingpong.c's server and client, each in its own address space.
    func roundTripScene(_ what: String, words: Word, fastpath: Bool) {
        var loader = bootKernel(fastpath: fastpath)
        let endpoint = loader.retype(ObjectType.endpoint)
        let result = loader.retype(ObjectType.endpoint)
        let count: Word = 10_000
        func program(_ role: Word) -> Word {
            let space = loader.addressSpace()
            let image = loader.loadELF(.pingpong, into: space)
            let cspace = loader.cspace(endpoint: endpoint, endpointRights: .all, faultEndpoint: nil, faultBadge: 0, result: result)
            return loader.thread(in: space, entry: image.entry, cspace: cspace, argument: role | words << 8 | count << 16,
                                 priority: 100)
        }
        let server = program(0), client = program(1)
        loader.start([server, client])
        self.result = .measured(what, loader.threadObject(client))
        enter(loader.kernel)
    }
}

nonisolated(unsafe) var platform: Platform?

/// What every trap needs, in words of a C global (support.c, `swiftl4_trap_state`) that the
/// trap entry passes in: no class field access (reference counting) and no lazy global
/// initialisation on the hot path. The kernel reference is not counted: `Platform.kernel`
/// keeps the kernel alive for its scene.
struct TrapState {
    let words: UnsafeMutablePointer<Word>

    var kernel: Unmanaged<Kernel>? {
        get { words[0] == 0 ? nil : Unmanaged.fromOpaque(UnsafeRawPointer(bitPattern: UInt(words[0]))!) }
        nonmutating set { words[0] = newValue.map { Word(UInt(bitPattern: $0.toOpaque())) } ?? 0 }
    }
    var activeSATP: Word {
        get { words[1] }
        nonmutating set { words[1] = newValue }
    }
    var kernelSATP: Word {
        get { words[2] }
        nonmutating set { words[2] = newValue }
    }
    var seenGeneration: Word {
        get { words[3] }
        nonmutating set { words[3] = newValue }
    }
    var timerOn: Bool {
        get { words[4] != 0 }
        nonmutating set { words[4] = newValue ? 1 : 0 }
    }
}
@_silgen_name("swiftl4_trap_state_words") func trapStateWords() -> UnsafeMutablePointer<Word>
/// The platform's (not the trap path's) way to the trap state.
var trapState: TrapState { TrapState(words: trapStateWords()) }

/// `setVMRoot` for the thread about to run: its VSpace, or the kernel's alone if it has none
/// valid (then every user access faults). The satp value is cached in the TCB's platform area
/// (words 1 and 2: satp, generation + 1) for as long as the kernel's translation generation
/// does not move; a new generation also flushes the TLB.
@inline(__always)
func activateVSpace(_ kernel: Kernel, _ thread: Thread, _ state: TrapState = trapState) {
    let generation = kernel.translationGeneration
    let cache = (thread.base + Thread.platformAreaOffset).assumingMemoryBound(to: Word.self)
    var satp = cache[1]
    if cache[2] != generation &+ 1 {
        if let (root, asid) = kernel.vspace(of: thread) {
            satp = RISCV.satpSv39 | asid << 44 | root >> 12
        } else {
            satp = state.kernelSATP
        }
        cache[1] = satp
        cache[2] = generation &+ 1
    }
    if satp != state.activeSATP {
        writeSATP(UInt(satp))
        state.activeSATP = satp
    }
    if generation != state.seenGeneration {
        state.seenGeneration = generation
        flushTLB()
    }
}

@_cdecl("swiftl4_riscv_trap")
func kernelTrap(_ cause: UInt, _ pc: UInt, _ value: UInt) {
    print("SwiftL4 kernel trap: scause \(hex(Word(cause))) sepc \(hex(Word(pc))) stval \(hex(Word(value)))")
    shutdown(1)
}

/// A trap from user mode (the trap entry has saved the registers in the current thread's
/// register file): a system call, a timer interrupt, or a fault. Returns the register file of
/// the thread to run next, in whose address space the platform has switched.
/// Called by the trap entry (start.S) with the trap state's words and, from their first word,
/// the kernel: a Swift function under its own symbol, so that the kernel arrives as a
/// parameter, which the callee uses without retaining it (the platform keeps it alive).
@_silgen_name("swiftl4_riscv_user_trap")
func userTrap(_ cause: UInt, _ value: UInt, _ words: UnsafeMutablePointer<Word>, _ kernel: Kernel) -> UnsafeMutableRawPointer {
    handleUserTrap(kernel, cause, value, TrapState(words: words))
}

@inline(__always)
func handleUserTrap(_ kernel: Kernel, _ cause: UInt, _ value: UInt, _ state: TrapState) -> UnsafeMutableRawPointer {
    guard let thread = kernel.currentThread else { panic("user trap with no current thread") }
    let next: Thread?
    if cause == 8 {
        // ecall from U-mode (ABI-2): FaultIP is the ecall, the thread goes on after it (TS-3).
        thread[register: RegisterFile.faultIP] = thread[register: RegisterFile.pc]
        thread[register: RegisterFile.pc] &+= 4
        next = kernel.handleSyscall(Int(Int64(bitPattern: thread[register: RegisterFile.argumentRegister(7)])))
    } else if cause >> 63 != 0 {
        // Interrupts: only the supervisor timer (cause 5) is enabled. Charge a tick (SCHED-2).
        if cause & 0xFF == 5 && state.timerOn {
            setTimer(readTime() + timerTicksPerTimeslice)
            next = kernel.handleTimerTick()
        } else {
            next = thread
        }
    } else {
        // Page faults, illegal instructions and the rest: seL4's fault, to the thread's handler.
        next = kernel.handleUserFault(.riscvException(cause: Word(cause), value: Word(value)))
    }
    guard let next else { platform!.nextScene() }
    activateVSpace(kernel, next, state)
    return UnsafeMutableRawPointer(next.registers)
}

@_cdecl("swiftl4_riscv_main")
func riscvMain(_ hart: UInt, _ deviceTree: UInt) {
    print("SwiftL4 on riscv64 (hart \(hart)): booting the kernel core")
    let start = kernelMemoryStart()
    // OpenSBI puts the device tree at the top of RAM: the kernel's memory stops below it.
    let end = deviceTree > start && deviceTree < ramEnd ? deviceTree & ~0xFFFF : ramEnd
    let machine = Platform(memoryStart: start, memoryEnd: end)
    platform = machine
    allowUserCounters()
    print("Sv39 on: the kernel's window is mapped in every address space")
    kernelRoundTrip(machine)
    machine.nextScene()
}

/// Scene 0: a Call/ReplyRecv round trip driven from the kernel side, as on the test platform.
func kernelRoundTrip(_ machine: Platform) {
    var loader = machine.bootKernel()
    let kernel = loader.kernel, root = loader.root
    let facts = kernel.bootInfo
    print("untyped caps in slots \(facts.untypedStart)..<\(facts.untypedEnd), empty from \(facts.emptyStart)")
    let ep = loader.retype(ObjectType.endpoint)
    var threads: [Thread] = []
    for _ in 0..<2 {
        let tcb = loader.retype(ObjectType.thread)
        let frame = loader.retype(ObjectType.smallPage)
        loader.call(tcb, .tcbConfigure, [0, 0, 0, 0], [Word(InitialSlot.cnode), Word(InitialSlot.vspace), frame])
        loader.call(tcb, .tcbSetPriority, [100], [Word(InitialSlot.thread)])
        loader.call(tcb, .tcbResume, [])
        threads.append(loader.threadObject(tcb))
    }
    let server = threads[0], client = threads[1]
    loader.call(Word(InitialSlot.thread), .tcbSuspend, [])
    _ = root

    func syscall(_ thread: Thread, _ number: Syscall, cap: Word, label: Word, words: [Word]) {
        _ = kernel.preempt(to: thread)
        thread[register: RegisterFile.capRegister] = cap
        thread[register: RegisterFile.msgInfoRegister] = MessageInfo(label: label, length: Word(words.count)).rawValue
        for (i, word) in words.enumerated() { thread.setMessageRegister(i, word) }
        _ = kernel.handleSyscall(number.rawValue)
    }
    syscall(server, .recv, cap: ep, label: 0, words: [])
    syscall(client, .call, cap: ep, label: 42, words: [0x5357_4c34])
    let got = MessageInfo(rawValue: server[register: RegisterFile.msgInfoRegister])
    let received = server.messageRegister(0)
    print("server got label \(got.label), MR0 \(hex(received))")
    syscall(server, .replyRecv, cap: ep, label: 7, words: [0xaced])
    let reply = MessageInfo(rawValue: client[register: RegisterFile.msgInfoRegister])
    print("client got reply label \(reply.label), MR0 \(hex(client.messageRegister(0)))")
    let counters = kernel.pathCounters
    print("fastpath calls \(counters.fastpathCalls), replyRecvs \(counters.fastpathReplyRecvs)")
    let ok = got.label == 42 && received == 0x5357_4c34 && reply.label == 7 && client.messageRegister(0) == 0xaced
    print(ok ? "riscv64 round trip PASS" : "riscv64 round trip FAIL")
    if !ok { shutdown(1) }
}
