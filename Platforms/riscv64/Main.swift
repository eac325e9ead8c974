// SwiftL4's RISC-V platform, first step: the kernel core, unmodified, compiled as Embedded
// Swift and booted on QEMU `virt` over physical memory; a Call/ReplyRecv round trip between two
// threads runs through `Kernel.handleSyscall`, as on the hosted and test platforms. User mode,
// Sv39 address spaces and traps into the kernel come next (issue 9).

@_silgen_name("swiftl4_shutdown")
func shutdown(_ failure: Int32)

@_silgen_name("swiftl4_kernel_memory_start")
func kernelMemoryStart() -> UInt

/// The end of RAM on QEMU `virt` with its default 128 MiB.
let ramEnd: UInt = 0x8800_0000

final class Console: KernelObserver {
    func debugPutChar(_ character: UInt8) { putchar(Int32(character)) }
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
    var next = facts.emptyStart
    func retype(_ type: Word) -> Word {
        for untyped in facts.untypedStart..<facts.untypedEnd {
            let reply = kernel.invoke(as: root, untyped, label: InvocationLabel.untypedRetype.rawValue,
                                      arguments: [type, 0, 0, 0, next, 1], extraCaps: [Word(InitialSlot.cnode)])
            if reply.error == nil {
                next += 1
                return next - 1
            }
        }
        print("retype failed")
        shutdown(1)
        return 0
    }
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
    shutdown(ok ? 0 : 1)
}
