// The scenes that run programs: the kernel-side round trip, the tutorial (C and Embedded Swift)
// with the bad-input programs, and timer preemption. The measurements are in Measurements.swift.

import CRISCVPlatform
import KernelCore

/// Scene 0: a Call/ReplyRecv round trip driven from the kernel side, as on the test platform.
func kernelRoundTrip(_ machine: Platform) {
    var loader = machine.bootKernel()
    let kernel = loader.kernel
    let facts = kernel.bootInfo
    print("untyped caps in slots \(facts.untypedStart)..<\(facts.untypedEnd), empty from \(facts.emptyStart)")
    let ep = loader.retype(ObjectType.endpoint)
    var threads: [Thread] = []
    for _ in 0..<2 {
        let tcb = loader.retype(ObjectType.thread)
        let frame = loader.retype(ObjectType.smallPage)
        loader.checked(loader.task.configure(tcb, cspace: RootTask.rootCNode, bufferAddress: 0, bufferFrame: frame),
                       "TCB_Configure")
        loader.checked(loader.task.setPriority(tcb, 100), "TCB_SetPriority")
        loader.checked(loader.task.resume(tcb), "TCB_Resume")
        threads.append(loader.threadObject(tcb))
    }
    let server = threads[0], client = threads[1]
    loader.task.suspend(RootTask.rootTCB)

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

extension Platform {
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
        loader.giveCap(spinner.tcb, to: witness.cspace, at: Word(SLOT_OTHER_TCB))
        loader.start([spinner.tcb, witness.tcb])
        armTimer(true)
        enter(loader.kernel)
    }
}
