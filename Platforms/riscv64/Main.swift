// SwiftL4's RISC-V platform, first steps: the kernel core, unmodified, compiled as Embedded
// Swift and booted on QEMU `virt` over physical memory. First a Call/ReplyRecv round trip driven
// from the kernel side, as on the test platform; then two threads in U-mode that trap into the
// kernel with `ecall` (seL4's RISC-V ABI), their registers saved in and restored from their
// TCBs by the trap entry in start.S. Still to come (issue 9): Sv39 address spaces, separate ELF
// images, timer interrupts, the tutorial's programs.

@_silgen_name("swiftl4_shutdown")
func shutdown(_ failure: Int32)

@_silgen_name("swiftl4_kernel_memory_start")
func kernelMemoryStart() -> UInt

/// The end of RAM on QEMU `virt` with its default 128 MiB.
let ramEnd: UInt = 0x8800_0000

final class Console: KernelObserver {
    func debugPutChar(_ character: UInt8) { _ = putchar(Int32(character)) }
    func kernelEvent(_ event: KernelEvent) {}
}

@_silgen_name("putchar")
func putchar(_ c: Int32) -> Int32

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

/// Objects made as the root task, into the next empty slots of its CNode.
struct RootAllocator {
    let kernel: Kernel
    let root: Thread
    var next: Word

    init(kernel: Kernel, root: Thread) {
        self.kernel = kernel
        self.root = root
        next = kernel.bootInfo.emptyStart
    }

    mutating func retype(_ type: Word) -> Word { retypeSized(type, size: 0) }

    /// `seL4_Untyped_Retype` of one object from the first untyped with room; stops the
    /// machine if none has.
    mutating func retypeSized(_ type: Word, size: Word) -> Word {
        let facts = kernel.bootInfo
        for untyped in facts.untypedStart..<facts.untypedEnd {
            let reply = kernel.invoke(as: root, untyped, label: InvocationLabel.untypedRetype.rawValue,
                                      arguments: [type, size, 0, 0, next, 1], extraCaps: [Word(InitialSlot.cnode)])
            if reply.error == nil {
                next += 1
                return next - 1
            }
        }
        print("retype failed: no untyped has room")
        shutdown(1)
        return 0
    }
}

@_cdecl("swiftl4_riscv_trap")
func kernelTrap(_ cause: UInt, _ pc: UInt, _ value: UInt) {
    print("SwiftL4 kernel trap: scause \(hex(Word(cause))) sepc \(hex(Word(pc))) stval \(hex(Word(value)))")
    shutdown(1)
}

@_cdecl("swiftl4_riscv_main")
func riscvMain(_ hart: UInt, _ deviceTree: UInt) {
    print("SwiftL4 on riscv64 (hart \(hart)): booting the kernel core")
    let start = kernelMemoryStart()
    var configuration = KernelConfiguration()
    configuration.rootCNodeSizeBits = 10
    configuration.maxUntypedBits = 22
    configuration.objectRegistryCapacity = 1024
    // OpenSBI puts the device tree at the top of RAM: the kernel's memory stops below it.
    let end = deviceTree > start && deviceTree < ramEnd ? deviceTree & ~0xFFFF : ramEnd
    let kernel = Kernel.boot(configuration: configuration, memory: UnsafeMutableRawPointer(bitPattern: start)!,
                             bytes: Int(end - start))
    let console = Console()
    kernel.observer = console
    let facts = kernel.bootInfo
    print("untyped caps in slots \(facts.untypedStart)..<\(facts.untypedEnd), empty from \(facts.emptyStart)")
    guard let root = facts.rootThread else { return shutdown(1) }

    // As the root task: an endpoint, two threads with IPC buffers, all in the root CSpace.
    var allocator = RootAllocator(kernel: kernel, root: root)
    func retype(_ type: Word) -> Word { allocator.retype(type) }
    let ep = retype(ObjectType.endpoint)
    var threads: [Thread] = []
    for _ in 0..<2 {
        let tcb = retype(ObjectType.thread)
        let frame = retype(ObjectType.smallPage)
        let address = kernel.invoke(as: root, frame, label: Kernel.pageGetAddressLabel, arguments: []).words[0]
        _ = kernel.invoke(as: root, tcb, label: InvocationLabel.tcbConfigure.rawValue, arguments: [0, 0, 0, address],
                          extraCaps: [Word(InitialSlot.cnode), Word(InitialSlot.vspace), frame])
        _ = kernel.invoke(as: root, tcb, label: InvocationLabel.tcbSetPriority.rawValue, arguments: [100],
                          extraCaps: [Word(InitialSlot.thread)])
        _ = kernel.invoke(as: root, tcb, label: InvocationLabel.tcbResume.rawValue, arguments: [])
        let cnode = root.slot(.cspace).cap
        let cap = UnsafeMutablePointer<Capability>(bitPattern: UInt(cnode.address + tcb * 32))!.pointee
        threads.append(Thread(base: UnsafeMutableRawPointer(bitPattern: UInt(cap.address))!))
    }
    let server = threads[0], client = threads[1]
    _ = kernel.invoke(as: root, Word(InitialSlot.thread), label: InvocationLabel.tcbSuspend.rawValue, arguments: [])

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
    if let violation = kernel.checkInvariants() {
        print("invariant violated: \(violation.message)")
        return shutdown(1)
    }
    let ok = got.label == 42 && received == 0x5357_4c34 && reply.label == 7 && client.messageRegister(0) == 0xaced
    print(ok ? "riscv64 round trip PASS" : "riscv64 round trip FAIL")
    if !ok { return shutdown(1) }
    runUserPrograms()
}

@_silgen_name("swiftl4_user_entry")
func userEntry(_ which: Int32) -> UInt

@_silgen_name("swiftl4_user_stack")
func userStack(_ which: Int32) -> UInt

@_silgen_name("swiftl4_enter_user")
func enterUser(_ registers: UnsafeMutableRawPointer)

nonisolated(unsafe) var userKernel: Kernel?

/// Second part: a server and a client in U-mode, trapping into the kernel with `ecall`.
func runUserPrograms() {
    let start = kernelMemoryStart()
    var configuration = KernelConfiguration()
    configuration.rootCNodeSizeBits = 10
    configuration.maxUntypedBits = 22
    // A fresh kernel over the same memory: the first one is done with it.
    let kernel = Kernel.boot(configuration: configuration, memory: UnsafeMutableRawPointer(bitPattern: start)!,
                             bytes: 32 << 20)
    kernel.observer = Console()
    userKernel = kernel
    let facts = kernel.bootInfo
    guard let root = facts.rootThread else { return shutdown(1) }
    var allocator = RootAllocator(kernel: kernel, root: root)
    func retype(_ type: Word) -> Word { allocator.retype(type) }
    let ep = retype(ObjectType.endpoint)
    let idle = retype(ObjectType.endpoint)
    for which: Int32 in [0, 1] {
        let tcb = retype(ObjectType.thread)
        let frame = retype(ObjectType.smallPage)
        let address = kernel.invoke(as: root, frame, label: Kernel.pageGetAddressLabel, arguments: []).words[0]
        _ = kernel.invoke(as: root, tcb, label: InvocationLabel.tcbConfigure.rawValue, arguments: [0, 0, 0, address],
                          extraCaps: [Word(InitialSlot.cnode), Word(InitialSlot.vspace), frame])
        _ = kernel.invoke(as: root, tcb, label: InvocationLabel.tcbSetPriority.rawValue, arguments: [100],
                          extraCaps: [Word(InitialSlot.thread)])
        // seL4_TCB_WriteRegisters with resume: pc, sp and a0-a2 in seL4_UserContext order.
        var context = [Word](repeating: 0, count: RegisterFile.userContextWords)
        context[RegisterFile.pc] = Word(userEntry(which))
        context[RegisterFile.sp] = Word(userStack(which))
        context[RegisterFile.argumentRegister(0)] = ep
        context[RegisterFile.argumentRegister(1)] = 1000
        context[RegisterFile.argumentRegister(2)] = idle
        _ = kernel.invoke(as: root, tcb, label: InvocationLabel.tcbWriteRegisters.rawValue,
                          arguments: [1, Word(context.count)] + context)
    }
    _ = kernel.invoke(as: root, Word(InitialSlot.thread), label: InvocationLabel.tcbSuspend.rawValue, arguments: [])
    guard let first = kernel.currentThread else { return shutdown(1) }
    print("entering user mode")
    enterUser(UnsafeMutableRawPointer(first.registers))
}

/// A trap from user mode (`swiftl4_user_trap_entry` has saved the registers): a system call
/// (`ecall`), or a fault. Returns the register file of the thread to run next.
@_cdecl("swiftl4_riscv_user_trap")
func userTrap(_ cause: UInt, _ value: UInt) -> UnsafeMutableRawPointer {
    guard let kernel = userKernel, let thread = kernel.currentThread else {
        print("user trap with no current thread")
        shutdown(1)
        return UnsafeMutableRawPointer(bitPattern: 0x1000)!
    }
    let next: Thread?
    if cause == 8 {
        // ecall from U-mode: FaultIP is the ecall, the thread goes on after it (TS-3).
        thread[register: RegisterFile.faultIP] = thread[register: RegisterFile.pc]
        thread[register: RegisterFile.pc] += 4
        next = kernel.handleSyscall(Int(Int64(bitPattern: thread[register: 23])))
    } else {
        print("user fault: scause \(hex(Word(cause))) stval \(hex(Word(value)))")
        next = kernel.handleUserFault(.vmFault(address: Word(value), isInstructionFetch: cause == 12, status: Word(cause)))
    }
    guard let next else {
        if phase == 1 {
            phase = 2
            runTutorial()
        }
        print("SwiftL4: no thread can run; shutting down")
        shutdown(0)
        return UnsafeMutableRawPointer(bitPattern: 0x1000)!
    }
    return UnsafeMutableRawPointer(next.registers)
}

nonisolated(unsafe) var phase = 1

@_silgen_name("swiftl4_program_image")
func programImage(_ which: Int32, _ size: UnsafeMutablePointer<UInt>) -> UnsafeRawPointer

/// Copies an ELF image's loadable segments to their addresses (there is no paging yet: virtual
/// is physical) and returns its entry point.
func loadELF(_ image: UnsafeRawPointer) -> Word {
    func read<T>(_ offset: Int, _ type: T.Type) -> T { image.loadUnaligned(fromByteOffset: offset, as: T.self) }
    let entry = read(24, UInt64.self)
    let headers = Int(read(32, UInt64.self))
    let size = Int(read(54, UInt16.self)), count = Int(read(56, UInt16.self))
    for i in 0..<count {
        let header = headers + i * size
        guard read(header, UInt32.self) == 1 else { continue }  // PT_LOAD
        let offset = Int(read(header + 8, UInt64.self)), address = UInt(read(header + 16, UInt64.self))
        let fileBytes = Int(read(header + 32, UInt64.self)), memoryBytes = Int(read(header + 40, UInt64.self))
        let destination = UnsafeMutableRawPointer(bitPattern: address)!
        destination.copyMemory(from: image + offset, byteCount: fileBytes)
        (destination + fileBytes).initializeMemory(as: UInt8.self, repeating: 0, count: memoryBytes - fileBytes)
    }
    return entry
}

/// The seL4 IPC tutorial on bare metal: the same server.c and client.c as the hosted
/// tutorial, compiled for riscv64 as three ELF images, loaded, and given their own CSpaces as
/// the hosted system loader does (caps at slots 1-3: the endpoint, the program's CNode, an
/// empty slot). Programs share physical memory for now (no Sv39 yet).
func runTutorial() {
    print("the seL4 IPC tutorial, as three programs in U-mode:")
    let memoryStart: UInt = 0x84C0_0000
    var configuration = KernelConfiguration()
    configuration.rootCNodeSizeBits = 10
    configuration.maxUntypedBits = 22
    let kernel = Kernel.boot(configuration: configuration, memory: UnsafeMutableRawPointer(bitPattern: memoryStart)!,
                             bytes: 32 << 20)
    kernel.observer = Console()
    userKernel = kernel
    guard let root = kernel.bootInfo.rootThread else { return shutdown(1) }
    var allocator = RootAllocator(kernel: kernel, root: root)
    let cnodeSlot = Word(InitialSlot.cnode)
    func call(_ cap: Word, _ label: InvocationLabel, _ arguments: [Word], _ caps: [Word] = []) {
        let reply = kernel.invoke(as: root, cap, label: label.rawValue, arguments: arguments, extraCaps: caps)
        if reply.error != nil {
            print("loader: invocation \(label.rawValue) failed with \(reply.label)")
            shutdown(1)
        }
    }
    let ep = allocator.retype(ObjectType.endpoint)
    var threads: [Word] = []
    for which: Int32 in 0..<3 {
        var size: UInt = 0
        let entry = loadELF(programImage(which, &size))
        let radix: Word = 8
        let cnode = allocator.retypeSized(ObjectType.cnode, size: radix)
        let guarded = allocator.next
        allocator.next += 1
        call(cnodeSlot, .cnodeMint, [guarded, 64, cnode, 64, CapRights.all.rawValue,
                                     CNodeCapData(guard: 0, guardSize: 64 - radix).rawValue], [cnodeSlot])
        let rwg: CapRights = [.read, .write, .grant]
        call(cnode, .cnodeMint, [1, radix, ep, 64, rwg.rawValue, 0], [cnodeSlot])
        call(cnode, .cnodeCopy, [2, radix, guarded, 64, CapRights.all.rawValue], [cnodeSlot])
        let tcb = allocator.retype(ObjectType.thread)
        let frame = allocator.retype(ObjectType.smallPage)
        let buffer = kernel.invoke(as: root, frame, label: Kernel.pageGetAddressLabel, arguments: []).words[0]
        call(tcb, .tcbConfigure, [0, 0, 0, buffer], [guarded, Word(InitialSlot.vspace), frame])
        call(tcb, .tcbSetPriority, [100], [Word(InitialSlot.thread)])
        var context = [Word](repeating: 0, count: RegisterFile.userContextWords)
        context[RegisterFile.pc] = entry
        // Each program's stack: the top of its 4 MiB window.
        context[RegisterFile.sp] = 0x8400_0000 + Word(which) * 0x40_0000 + 0x3F_F000
        context[RegisterFile.argumentRegister(0)] = buffer
        call(tcb, .tcbWriteRegisters, [0, Word(context.count)] + context)
        threads.append(tcb)
    }
    // Resumed threads go to the head of the ready queue: resume in reverse so that the server
    // runs first, then client 1, then client 2, as in the hosted tutorial.
    for tcb in threads.reversed() { call(tcb, .tcbResume, []) }
    _ = kernel.invoke(as: root, Word(InitialSlot.thread), label: InvocationLabel.tcbSuspend.rawValue, arguments: [])
    guard let first = kernel.currentThread else { return shutdown(1) }
    enterUser(UnsafeMutableRawPointer(first.registers))
}
