import Testing
@testable import KernelCore
import KernelTestSupport

// Section 9: faults delivered over IPC (FAULT-1..8).
@Suite struct FaultTests {
    // FAULT-1: the handler CPtr is resolved in the faulting thread's CSpace at fault time.
    @Test func fault1_handlerLookedUpAtFaultTime() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let handlerSlot = sys.allocateSlot()
        let t = sys.spawn(faultHandler: handlerSlot).thread
        let handler = sys.spawn().thread
        sys.syscall(.recv, by: handler, cap: ep)
        sys.mint(ep, rights: [.write, .grantReply], badge: 0x5, into: handlerSlot)
        sys.syscall(.recv, by: t, cap: 0)
        #expect(t.state == .blockedOnReply)
        #expect(sys.registers(of: handler).badge == 0x5 && sys.registers(of: handler).info.label == 1)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // FAULT-1 (scenario 38): no usable handler means a double fault: the thread becomes Inactive.
    @Test func fault1_doubleFaultStopsThread() {
        let sys = TestSystem(tracing: true)
        let ep = sys.make(ObjectType.endpoint)
        let ntfn = sys.make(ObjectType.notification)
        let handler = sys.spawn().thread
        sys.syscall(.recv, by: handler, cap: ep)
        let unusable: [Word] = [
            sys.allocateSlot(),                                        // empty
            ipcBadCPtr,                                                // does not resolve
            sys.mint(ep, rights: [.write], badge: 1).slot,             // no Grant, no GrantReply
            sys.mint(ep, rights: [.read, .grant, .grantReply], badge: 2).slot,  // no Write
            ntfn,                                                      // not an endpoint
        ]
        for cptr in unusable {
            let t = sys.spawn(faultHandler: cptr).thread
            sys.syscall(.send, by: t, cap: ipcBadCPtr)
            #expect(t.state == .inactive, "\(cptr)")
            #expect(!sys.ipcReady(100).contains(t) && sys.kernel.currentThread != t)
        }
        #expect(handler.state == .blockedOnReceive)
        let unhandled = sys.events.filter { if case .faulted(_, _, false) = $0 { true } else { false } }
        #expect(unhandled.count == unusable.count)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // FAULT-2: the fault IPC is a blocking Call on the handler endpoint.
    @Test func fault2_faultIPCIsBlockingCall() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let handlerCap = sys.mint(ep, rights: [.write, .grantReply], badge: 0x77).slot
        let t = sys.spawn(faultHandler: handlerCap).thread
        sys.syscall(.nbRecv, by: t, cap: sys.allocateSlot())
        #expect(t.state == .blockedOnSend)
        #expect(sys.ipcQueue(sys.ipcEndpoint(ep)) == [t])
        let handler = sys.spawn().thread
        sys.setCapReceivePath(of: handler, index: sys.allocateSlot())
        sys.syscall(.recv, by: handler, cap: ep)
        #expect(t.state == .blockedOnReply)
        #expect(handler.slot(.caller).cap.address == t.address)
        let got = sys.registers(of: handler)
        #expect(got.badge == 0x77 && got.info.label == 1 && got.info.extraCaps == 0 && got.info.capsUnwrapped == 0)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // FAULT-3: the fault labels.
    @Test func fault3_labels() {
        #expect(Fault.capFault(address: 0, inReceivePhase: false, failure: .invalidRoot).label == 1)
        #expect(Fault.unknownSyscall(number: 0).label == 2)
        #expect(Fault.userException(number: 0, code: 0).label == 3)
        #expect(Fault.vmFault(address: 0, isInstructionFetch: false, status: 0).label == 5)
        let sys = TestSystem()
        let (fep, handlerCap, handler) = sys.ipcFaultHandler()
        let faults: [(Fault?, Int?, Word)] = [(nil, nil, 1), (nil, -99, 2),
                                             (.userException(number: 6, code: 0), nil, 3),
                                             (.vmFault(address: 8, isInstructionFetch: false, status: 0), nil, 5)]
        for (fault, number, label) in faults {
            let t = sys.spawn(faultHandler: handlerCap).thread
            if let fault { sys.userFault(fault, by: t) } else if let number { sys.syscall(number: number, by: t) } else {
                sys.syscall(.send, by: t, cap: ipcBadCPtr)
            }
            #expect(sys.registers(of: handler).info.label == label && sys.registers(of: handler).badge == 0x99)
            sys.syscall(.replyRecv, by: handler, cap: fep, info: MessageInfo(label: 1, length: 0))
        }
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // FAULT-4 (scenario 14): CapFault layouts for guard mismatch (7 words), missing capability
    // (5), depth mismatch (6); invalid root reported with the fault.
    @Test func fault4_capFaultLayouts() {
        let sys = TestSystem(tracing: true)
        let (fep, handlerCap, handler) = sys.ipcFaultHandler()
        let t = sys.spawn(faultHandler: handlerCap).thread
        sys.syscall(.call, by: t, cap: ipcBadCPtr)
        #expect(sys.registers(of: handler) == TestSystem.Registers(badge: 0x99, info: MessageInfo(label: 1, length: 7),
                                                                    words: [TestSystem.syscallAddress, ipcBadCPtr, 0, 4, 64, 0, 54]))
        sys.syscall(.replyRecv, by: handler, cap: fep)
        let empty = sys.allocateSlot()
        sys.syscall(.recv, by: t, cap: empty)
        #expect(sys.registers(of: handler) == TestSystem.Registers(badge: 0x99, info: MessageInfo(label: 1, length: 5),
                                                                    words: [TestSystem.syscallAddress, empty, 1, 2, 0]))
        sys.syscall(.replyRecv, by: handler, cap: fep)
        // A CSpace of one radix-5 CNode that holds itself in slot 0: CPtr 0 walks 12 levels
        // (60 bits) and then 4 bits remain for a 5-bit level: DepthMismatch(found 5, left 4).
        let node = sys.make(ObjectType.cnode, size: 5)
        let all = CapRights.all.rawValue
        #expect(sys.invoke(node, label: .cnodeCopy, args: [0, 5, node, 64, all], extraCaps: [Word(InitialSlot.cnode)]).info.label == 0)
        #expect(sys.invoke(node, label: .cnodeCopy, args: [1, 5, handlerCap, 64, all], extraCaps: [Word(InitialSlot.cnode)]).info.label == 0)
        let tcb = sys.make(ObjectType.thread)
        let frame = sys.make(ObjectType.smallPage)
        let configured = sys.invoke(tcb, label: .tcbConfigure, args: [1 << 59, 0, 0, sys.capability(at: frame).address],
                                    extraCaps: [node, Word(InitialSlot.vspace), frame])
        #expect(configured.info.label == 0)
        sys.invoke(tcb, label: .tcbSetPriority, args: [100], extraCaps: [Word(InitialSlot.thread)])
        sys.resumeThread(tcb)
        let deep = sys.thread(at: tcb)
        sys.syscall(.send, by: deep, cap: 0)
        #expect(deep.state == .blockedOnReply)
        #expect(sys.registers(of: handler) == TestSystem.Registers(badge: 0x99, info: MessageInfo(label: 1, length: 6),
                                                                    words: [TestSystem.syscallAddress, 0, 0, 3, 4, 5]))
        sys.syscall(.replyRecv, by: handler, cap: fep)
        // InvalidRoot: revoking the CNode removes the thread's CSpace root; the handler cannot
        // be found either, so the fault is reported (unhandled) and the thread stops.
        #expect(sys.invoke(Word(InitialSlot.cnode), label: .cnodeRevoke, args: [node, 64]).info.label == 0)
        #expect(deep.slot(.cspace).cap.isNull)
        sys.syscall(.send, by: deep, cap: 3)
        #expect(deep.state == .inactive)
        let invalidRoot = sys.events.contains {
            if case .faulted(let th, .capFault(3, false, .invalidRoot), false) = $0 { th == deep } else { false }
        }
        #expect(invalidRoot)
        var words = MessageWords()
        LookupFailure.invalidRoot.encode(into: &words)
        #expect(words.count == 1 && words[0] == 1)  // 3 + 1 = length 4
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // FAULT-5: VMFault message.
    @Test func fault5_vmFaultMessage() {
        let sys = TestSystem()
        let (_, handlerCap, handler) = sys.ipcFaultHandler()
        let t = sys.spawn(faultHandler: handlerCap).thread
        #expect(sys.kernel.preempt(to: t))
        t[register: RegisterFile.pc] = 0x40_1000
        sys.userFault(.vmFault(address: 0xDEAD_0000, isInstructionFetch: true, status: 0x15), by: t)
        #expect(sys.registers(of: handler) == TestSystem.Registers(badge: 0x99, info: MessageInfo(label: 5, length: 4),
                                                                    words: [0x40_1000, 0xDEAD_0000, 1, 0x15]))
        #expect(t.state == .blockedOnReply)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // FAULT-6: UnknownSyscall (register dump then the number) and UserException messages.
    @Test func fault6_unknownSyscallAndUserExceptionMessages() {
        let sys = TestSystem()
        let (fep, handlerCap, handler) = sys.ipcFaultHandler()
        let t = sys.spawn(faultHandler: handlerCap).thread
        for i in 0..<RegisterFile.userContextWords { t[register: i] = 0x1000 + Word(i) }
        sys.syscall(number: -99, by: t, cap: 0xCA, info: MessageInfo(label: 0, length: 0), mrs: [0xA0, 0xA1, 0xA2, 0xA3])
        let n = RegisterFile.unknownSyscallRegisterCount
        let got = sys.registers(of: handler)
        #expect(got.info == MessageInfo(label: 2, length: Word(n + 1)))
        let expected = (0..<n).map { t[register: RegisterFile.unknownSyscallMessageRegister($0)] } + [Word(bitPattern: -99)]
        #expect(got.mr == expected)
        #if arch(x86_64)
        #expect(n + 1 == 19)
        #expect(got.mr[5] == 0xCA)                          // RDI: the cap register
        #expect(got.mr[4] == 0)                             // RSI: the msgInfo register
        #expect(got.mr[9] == 0xA0 && got.mr[7] == 0xA1)     // R10 = MR0, R8 = MR1
        #expect(got.mr[0] == 0x1003 && got.mr[6] == 0x1009) // RAX, RBP
        #expect(got.mr[15] == TestSystem.syscallAddress && got.mr[16] == 0x1001 && got.mr[17] == 0x1002)
        #expect(got.mr[18] == Word(bitPattern: -99))
        #endif
        sys.syscall(.replyRecv, by: handler, cap: fep, info: MessageInfo(label: 1, length: 0))
        // UserException: FaultIP, SP, FLAGS (x86_64), Number, Code.
        let u = sys.spawn(faultHandler: handlerCap).thread
        #expect(sys.kernel.preempt(to: u))
        u[register: RegisterFile.pc] = 0x7000
        u[register: RegisterFile.sp] = 0x8000
        sys.userFault(.userException(number: 13, code: 0x42), by: u)
        let ue = sys.registers(of: handler)
        #if arch(x86_64)
        #expect(ue.info == MessageInfo(label: 3, length: 5))
        #expect(ue.mr == [0x7000, 0x8000, u[register: RegisterFile.flags], 13, 0x42])
        #endif
        #expect(ue.mr.suffix(2) == [13, 0x42] && ue.mr[0] == 0x7000 && ue.mr[1] == 0x8000)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // FAULT-7: cap and VM faults always restart, whatever the reply says.
    @Test func fault7_capAndVMFaultRepliesRestart() {
        let sys = TestSystem()
        let (fep, handlerCap, handler) = sys.ipcFaultHandler()
        let t = sys.spawn(faultHandler: handlerCap).thread
        sys.syscall(.send, by: t, cap: ipcBadCPtr, info: MessageInfo(label: 0, length: 1), mrs: [0x11])
        sys.syscall(.replyRecv, by: handler, cap: fep, info: MessageInfo(label: 1, length: 2), mrs: [0xEE, 0xEE])
        // Restarted (and, being the highest ready thread, already activated at its syscall).
        #expect(t.state.isRunnable && t.fault == .none)
        #expect(t.messageRegister(0) == 0x11)  // reply not copied
        #expect(sys.kernel.preempt(to: t) && sys.isRestarting(t))
        t[register: RegisterFile.pc] = 0x3000
        sys.userFault(.vmFault(address: 0, isInstructionFetch: false, status: 0), by: t)
        #expect(t.state == .blockedOnReply)
        sys.syscall(.replyRecv, by: handler, cap: fep, info: MessageInfo(label: 7, length: 0))
        #expect(t.state.isRunnable && sys.kernel.preempt(to: t) && t[register: RegisterFile.pc] == 0x3000)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // FAULT-7 (scenario 39): UnknownSyscall replies write registers; label 0 restarts, any
    // other label leaves the thread Inactive.
    @Test(arguments: [Word(0), 1])
    func fault7_unknownSyscallReply(label: Word) {
        let sys = TestSystem()
        let (fep, handlerCap, handler) = sys.ipcFaultHandler()
        let t = sys.spawn(faultHandler: handlerCap).thread
        sys.syscall(number: -99, by: t)
        let n = RegisterFile.unknownSyscallRegisterCount
        let words = (0..<n).map { 0x9000 + Word($0) }
        sys.syscall(.replyRecv, by: handler, cap: fep, info: MessageInfo(label: label, length: Word(n)), mrs: words)
        for i in 0..<n where RegisterFile.unknownSyscallMessageRegister(i) != RegisterFile.flags {
            #expect(t[register: RegisterFile.unknownSyscallMessageRegister(i)] == words[i], "word \(i)")
        }
        #if arch(x86_64)
        #expect(t[register: RegisterFile.flags] == (words[17] & 0xDD5) | 0x202)  // sanitised
        #endif
        if label == 0 {
            // Restarted at the FaultIP the reply supplied (word 15 on x86_64).
            #expect(t.state.isRunnable && sys.kernel.preempt(to: t))
            #expect(t[register: RegisterFile.pc] == t[register: RegisterFile.faultIP])
        } else {
            #expect(t.state == .inactive)
        }
        #expect(t.fault == .none)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // FAULT-7: UserException replies write FaultIP, SP (and FLAGS) then restart on label 0.
    @Test func fault7_userExceptionReply() {
        let sys = TestSystem()
        let (fep, handlerCap, handler) = sys.ipcFaultHandler()
        let t = sys.spawn(faultHandler: handlerCap).thread
        sys.userFault(.userException(number: 6, code: 0), by: t)
        sys.syscall(.replyRecv, by: handler, cap: fep, info: MessageInfo(label: 0, length: 5), mrs: [0x6000, 0x6800, 0x202, 99, 99])
        #expect(t.state.isRunnable)
        #expect(t[register: RegisterFile.faultIP] == 0x6000 && t[register: RegisterFile.sp] == 0x6800)
        #expect(sys.kernel.preempt(to: t) && t[register: RegisterFile.pc] == 0x6000)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // FAULT-7: a fault reply from a handler without an IPC buffer: only the words in
    // registers (4) are written; the rest of the thread's registers are left alone
    // (seL4 copyMRsFaultReply copies buffer words only if the sender has a buffer).
    @Test func fault7_replyWithoutBufferWritesOnlyRegisterWords() {
        let sys = TestSystem()
        let (fep, handlerCap, handler) = sys.ipcFaultHandler(handlerBuffer: false)
        let t = sys.spawn(faultHandler: handlerCap).thread
        sys.syscall(number: -99, by: t, cap: 0xC0FFEE)
        let before = (4..<8).map { t[register: RegisterFile.unknownSyscallMessageRegister($0)] }
        sys.syscall(.replyRecv, by: handler, cap: fep, info: MessageInfo(label: 1, length: 8), mrs: [1, 2, 3, 4, 5, 6, 7, 8])
        #expect((0..<4).map { t[register: RegisterFile.unknownSyscallMessageRegister($0)] } == [1, 2, 3, 4])
        #expect((4..<8).map { t[register: RegisterFile.unknownSyscallMessageRegister($0)] } == before)
        #expect(t.state == .inactive)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    // FAULT-8: a handler without an IPC buffer gets at most 4 fault words.
    @Test func fault8_truncatedWithoutHandlerBuffer() {
        let sys = TestSystem()
        let (_, handlerCap, handler) = sys.ipcFaultHandler(handlerBuffer: false)
        let t = sys.spawn(faultHandler: handlerCap).thread
        sys.syscall(number: -99, by: t)
        #expect(sys.registers(of: handler).info == MessageInfo(label: 2, length: 4))
        let u = sys.spawn(faultHandler: handlerCap).thread
        sys.syscall(.send, by: u, cap: ipcBadCPtr)  // queued behind: handler busy
        #expect(u.state == .blockedOnSend)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
}
