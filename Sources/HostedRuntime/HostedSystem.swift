import CContextSwitch
import CSeL4
import KernelCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Choices for a hosted run.
public struct HostedConfiguration: Sendable {
    /// Bytes of host memory handed to the kernel; what the kernel's boot objects do not use
    /// becomes the root task's untyped memory.
    public var memoryBytes = 64 << 20
    /// Host memory reported as device untyped (frames only).
    public var deviceMemoryBytes = 1 << 20
    public var rootCNodeSizeBits = 12
    public var rootStackBytes = 1 << 20
    public var fastpath = true
    /// Check every kernel object's integrity and the kernel's invariants at each system call
    /// and user fault (`Kernel.checkObjects`): slow, for finding which program overwrites
    /// kernel memory.
    public var checkObjects = false
    public init() {}
}

/// How a hosted run ended.
public enum RunOutcome: Equatable, Sendable {
    /// The root task's `main` returned this value.
    case mainReturned(Int32)
    /// No thread can run (every thread is blocked or stopped) and the root task's `main`
    /// has not returned.
    case idle
}

/// How a run ended, as `swiftl4` reports it and exits: decided in one place
/// (`HostedSystem.runEnd`) for root-task runs and for system files.
public enum RunEnd: Equatable, Sendable {
    /// The root task's `main` returned this value.
    case mainReturned(Int32)
    /// No thread can run and none is stuck: the system is at rest. The status is 0, or for a
    /// system file the first non-zero `main` return value in description order.
    case atRest(status: Int32)
    /// A thread of a system file's programs was stopped by a host fault (a bad access, a stack
    /// overflow): the run fails as the process would have, 128 + the signal.
    case hostFault(signal: Int32)
    /// A thread waits for something that can no longer come (`ThreadState.isStuckWhenIdle`),
    /// or the root task blocked before finishing.
    case deadlocked
    /// The root task stopped on a fault no handler receives (it has none): a cap fault, an
    /// unknown system call, a user exception or a VM fault.
    case rootFaulted

    public var exitStatus: Int32 {
        switch self {
        case .mainReturned(let status), .atRest(let status): status
        case .hostFault(let signal): 128 + signal
        case .deadlocked: HostedSystem.deadlockExitStatus
        case .rootFaulted: HostedSystem.rootFaultExitStatus
        }
    }
}

/// What ran: a root task (C files), or a system file's domains with the `main` return values
/// of those whose `main` returned, in description order.
public enum RunKind: Sendable {
    case rootTask
    case system(mainStatuses: [Int32])
}

/// Per-thread state the hosted platform keeps in the TCB's platform area: the saved machine
/// context, and whether the thread's code has been started on its stack.
struct HostedThreadState {
    var context: swl4_context
    /// Where the thread's current system call returns to in its code (its NextIP); the call
    /// instruction before it is its FaultIP (`HostedSystem.callInstructionBytes`). Nonzero
    /// only while `started` (zero in a fresh TCB and a fresh start, cleared with `started`).
    /// `swl4_sysenter` stores it, and the number, on entry (`SWL4_CONTEXT_NEXT_IP`).
    var syscallReturn: Word = 0
    /// The number of the thread's current system call, for re-issuing it (TS-3).
    var syscallNumber: Int = 0
    var started: Bool
    /// The thread's code took a host fault (a bad access, a stack overflow, abort()) at
    /// `faultPC`: its stack cannot be resumed. Restarted at `faultPC` it faults again, as
    /// re-executing the instruction would; started at another PC (WriteRegisters) it runs afresh.
    var hostFaulted = false
    var faultPC: Word = 0
    var faultAddress: Word = 0
    var faultCode: Word = 0
    var faultSignal: Int32 = 0
    var faultDetail: Int32 = 0
    /// The fault being delivered was already reported when its signal arrived.
    var faultReported = false

    /// Whether the offsets `swl4_sysenter` stores the entry at (ccontextswitch.h) are this
    /// layout's and the TCB's.
    static var layoutMatchesSysenter: Bool {
        MemoryLayout<HostedThreadState>.offset(of: \.context) == 0
            && MemoryLayout<HostedThreadState>.offset(of: \.syscallReturn) == Int(SWL4_CONTEXT_NEXT_IP)
            && MemoryLayout<HostedThreadState>.offset(of: \.syscallNumber) == Int(SWL4_CONTEXT_SYSCALL_NUMBER)
            && Thread.registerByteOffset(RegisterFile.pc) - Thread.platformAreaOffset == Int(SWL4_CONTEXT_PC)
            && Thread.registerByteOffset(RegisterFile.faultIP) - Thread.platformAreaOffset == Int(SWL4_CONTEXT_FAULT_IP)
            && HostedSystem.callInstructionBytes == Word(SWL4_CALL_INSTRUCTION_BYTES)
    }

    /// Whether a PC of `pc` means the thread is parked in its system call: at NextIP (the
    /// call completes) or at FaultIP (TS-3: it is restarted and re-issues the call).
    @inline(__always)
    func isInSyscall(pc: Word) -> Bool {
        syscallReturn != 0 && (pc == syscallReturn || pc == syscallReturn &- HostedSystem.callInstructionBytes)
    }
}

/// The hosted platform: SwiftL4's kernel core running user threads on hand-switched stacks
/// inside one OS thread (hosted contract, architecture.md section 3).
///
/// A system call is `swl4_sysenter`: the libsel4 stub has put the call's registers in the TCB
/// (`__swl4_registers`), the calling thread's context is saved, the kernel core runs on its own
/// stack and returns the thread to run next, whose context is restored. The
/// kernel is never re-entered and only user code ever parks, so no Swift access is open
/// across a switch.
public final class HostedSystem: KernelObserver {
    /// The system whose threads are running (one per process): the runtime's one handle on
    /// it is `swl4_hot_state`, which the syscall path reads; this reads the same field.
    static var active: HostedSystem? {
        hotState().pointee.system.map { Unmanaged<HostedSystem>.fromOpaque($0).takeUnretainedValue() }
    }

    /// The hosted "syscall instruction" is the call to `swl4_sysenter` in a libsel4 stub (inlined
    /// into the caller, C or Swift): a thread in a system call has FaultIP = that call's address
    /// and NextIP (its PC) = the call's return address, both in the caller's code (FAULT-3,
    /// FAULT-4: MR0 of a cap fault, an unknown system call and a user exception). Direct calls
    /// are 5 bytes on x86_64 (`call rel32`, what clang emits through the PLT) and 4 on aarch64
    /// (`bl`): `SWL4_CALL_INSTRUCTION_BYTES`, which `swl4_sysenter` subtracts too.
    static let callInstructionBytes = Word(SWL4_CALL_INSTRUCTION_BYTES)
    /// The syscall address of the loader's invocations (it is no user thread), and the exit
    /// path of a thread whose entry function returned: values of the PC that mean "inside the
    /// runtime" rather than a user address.
    static let syscallIP: Word = 0x5357_4C34_0000
    static let exitIP: Word = syscallIP + 0x10
    /// The exit status of a run stopped because a host thread that is not a SwiftL4 thread
    /// made a seL4 call (or a forked child did).
    public static let foreignCallExitStatus: Int32 = 88
    /// The exit status of a run stopped because a kernel object was found overwritten by user
    /// code (`--check-objects`, or the check a kernel crash report makes).
    public static let corruptedObjectExitStatus: Int32 = 89

    /// The exit status of a run that ends in deadlock.
    public static let deadlockExitStatus: Int32 = 86
    /// The exit status of a run whose root task died of a fault no handler received.
    public static let rootFaultExitStatus: Int32 = 87
    /// Whether the root task stopped on a fault no handler received (`faultNotHandled`).
    public private(set) var rootFaultedWithoutHandler = false

    public let kernel: Kernel
    let configuration: HostedConfiguration
    let kernelStackTop: UnsafeMutableRawPointer
    /// Stacks mapped for this system so far (`mapStack`).
    private var stacksMapped: Int
    let runner: UnsafeMutablePointer<swl4_context>
    private(set) var outcome: RunOutcome?
    let rootStatus = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    /// Called for every kernel event when tracing is on.
    public var eventSink: ((KernelEvent) -> Void)?
    /// A trace to record during `run` and write when it ends (however it ends).
    public var trace: (recorder: TraceRecorder, outputs: TraceOutputs)?
    /// Names reports give kernel objects (a system file's object names, by address).
    var objectNames: [Word: String] = [:]
    /// Frames mapped at their virtual addresses in the host process (nil: the host gave no
    /// memory file, and mapped frames are reachable at their identity addresses only).
    let hostMappings: HostMappings?
    /// The loader of a system file (the root task, stopped once the system is built), which
    /// reports leave out: the user wrote no such thread.
    var systemLoader: KernelCore.Thread?

    deinit {
        // The hot state holds this system unretained: forget it with the system.
        let hot = hotState()
        if hot.pointee.system == Unmanaged.passUnretained(self).toOpaque() {
            hot.pointee.system = nil
            hot.pointee.kernel = nil
        }
    }

    public init(configuration: HostedConfiguration = HostedConfiguration()) {
        self.configuration = configuration
        // The kernel's memory lives in a memory file so that mapped frames can be mapped
        // again at their virtual addresses (HostMappings); anonymous memory if the host has
        // no memory files.
        var mirror = HostMappings.memoryFile(bytes: configuration.memoryBytes + configuration.deviceMemoryBytes)
            .map(HostMappings.init(file:))
        let memory = HostedSystem.mapAligned(bytes: configuration.memoryBytes, alignment: 1 << 24)
        let device = HostedSystem.mapAligned(bytes: configuration.deviceMemoryBytes, alignment: 1 << 20)
        if let backing = mirror, !(backing.back(memory, bytes: configuration.memoryBytes, fileOffset: 0)
            && backing.back(device, bytes: configuration.deviceMemoryBytes, fileOffset: configuration.memoryBytes)) {
            mirror = nil
        }
        hostMappings = mirror
        var kernelConfiguration = KernelConfiguration()
        kernelConfiguration.rootCNodeSizeBits = configuration.rootCNodeSizeBits
        kernelConfiguration.objectRegistryCapacity = 1 << 16
        kernel = Kernel.boot(configuration: kernelConfiguration, memory: memory, bytes: configuration.memoryBytes,
                             deviceMemory: device, deviceBytes: configuration.deviceMemoryBytes)
        kernel.fastpathEnabled = configuration.fastpath
        var stacks = 0
        kernelStackTop = HostedSystem.mapStack(bytes: HostedSystem.kernelStackBytes, count: &stacks)
        stacksMapped = stacks
        runner = UnsafeMutablePointer<swl4_context>.allocate(capacity: 1)
        runner.initialize(to: swl4_context(sp: nil, result: 0))
        kernel.observer = self
    }

    // MARK: KernelObserver

    public func debugPutChar(_ character: UInt8) { putchar(Int32(character)) }

    public func kernelEvent(_ event: KernelEvent) { eventSink?(event) }

    public func translationsChanged() {
        guard let hostMappings else { return }
        hostMappings.update(from: kernel) { line in
            fflush(nil)
            _ = line.withCString { write(2, $0, strlen($0)) }
        }
    }

    /// FAULT-2: a thread stopped on a fault no handler receives. VM faults were reported when
    /// the host signal arrived; the others (cap faults, unknown system calls, user
    /// exceptions) are reported here, naming the thread, as seL4's debug kernel prints them.
    public func faultNotHandled(thread: Thread, fault: Fault) {
        if thread.platformArea.assumingMemoryBound(to: HostedThreadState.self).pointee.faultReported { return }
        let description: String
        switch fault {
        case .none, .vmFault: return
        case .capFault(let address, let inReceivePhase, let failure):
            description = "a cap fault on CPtr 0x\(String(address, radix: 16)) in its \(inReceivePhase ? "receive" : "send") phase (\(failure))"
        case .unknownSyscall(let number):
            description = "an unknown system call \(Int64(bitPattern: number))"
        case .userException(let number, let code):
            description = "a user exception (number \(number), code \(code))"
        }
        if thread == kernel.bootInfo.rootThread { rootFaultedWithoutHandler = true }
        let pc = thread[register: RegisterFile.pc]
        let message = "swiftl4: thread '\(threadName(thread))' took \(description) at pc 0x\(String(pc, radix: 16)) with no fault handler to receive it; it stops\n"
        fflush(nil)
        _ = message.withCString { write(2, $0, strlen($0)) }
    }

    // MARK: Running

    /// Runs `main` (a C `int main(int, char **)`) as the root task until it returns or every
    /// thread is blocked.
    public func runRootTask(main: UnsafeRawPointer, arguments: [String] = ["roottask"]) -> RunOutcome {
        guard let root = kernel.bootInfo.rootThread else { return .idle }
        let entry = HostedSystem.mainEntry(main: main, arguments: arguments, status: rootStatus)
        root[register: RegisterFile.faultIP] = entry.pc
        root[register: RegisterFile.pc] = entry.pc
        root[register: RegisterFile.sp] = Word(UInt(bitPattern: mapStack(bytes: configuration.rootStackBytes)))
        for i in 0..<3 { root[register: RegisterFile.argumentRegister(i)] = entry.arguments[i] }
        return run(first: root, firstExit: rootExit)
    }

    /// Switches from the OS thread to `first` and returns when the root task's main returns
    /// or no thread can run.
    func run(first: Thread?, firstExit: @convention(c) () -> Void = threadExit) -> RunOutcome {
        // A build of mismatched halves (switch.S and these layouts), not anything a program does.
        precondition(HostedThreadState.layoutMatchesSysenter, "swl4_sysenter's TCB offsets (ccontextswitch.h) are not the TCB's")
        let hot = hotState()
        hot.pointee.kernel = Unmanaged.passUnretained(kernel).toOpaque()
        hot.pointee.system = Unmanaged.passUnretained(self).toOpaque()
        hot.pointee.kernel_stack_top = kernelStackTop
        hot.pointee.kernel_stack_limit = kernelStackTop - HostedSystem.kernelStackBytes - HostedSystem.stackGuardBytes
        hot.pointee.check_objects = configuration.checkObjects ? 1 : 0
        hot.pointee.ipc_buffer_slot = swl4_ipc_buffer_slot()
        hot.pointee.registers_slot = swl4_registers_slot()
        if configuration.checkObjects {
            hot.pointee.syscall_handler = checkingSyscallHandler
        } else {
            hot.pointee.syscall_handler = kernelSyscallHandler
        }
        swl4_install_fault_handler(reportUserFault)
        swl4_mark_runner_thread()
        defer { swl4_clear_runner_mark() }
        if let trace {
            eventSink = trace.recorder.record
            kernel.tracing = true
        }
        outcome = nil
        swl4_switch(runner, resume(first, exit: firstExit))
        fflush(nil)
        let result = outcome ?? .idle
        kernel.tracing = false
        if let trace {
            switch result {
            case .mainReturned(let status): trace.recorder.end("main returned \(status)")
            case .idle: trace.recorder.end(idleDescription())
            }
            trace.outputs.write(trace.recorder)
        }
        return result
    }

    /// How a run with no runnable thread ended: at rest (servers waiting in Recv, others
    /// stopped) or deadlocked (a thread stuck sending or awaiting a reply or signal).
    func idleDescription() -> String {
        var stuck: [String] = []
        kernel.forEachThread { thread in
            // A root task waiting in Recv never got to finish its main.
            if thread.state.isStuckWhenIdle || (thread.state == .blockedOnReceive && thread == kernel.bootInfo.rootThread) {
                stuck.append(threadName(thread))
            }
        }
        return stuck.isEmpty ? "no thread can run: at rest" : "deadlock: " + stuck.joined(separator: ", ") + " blocked"
    }

    /// Register values that start a thread in `main(argc, argv)` with its return value stored
    /// at `status`: the PC (`swl4_run_main`) and its three arguments.
    static func mainEntry(main: UnsafeRawPointer, arguments: [String], status: UnsafeMutablePointer<Int32>)
        -> (pc: Word, arguments: [Word]) {
        let argv = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: arguments.count + 1)
        for (i, argument) in arguments.enumerated() { argv[i] = strdup(argument) }
        argv[arguments.count] = nil
        let runMain: @convention(c) (UInt, UInt, UInt) -> Void = swl4_run_main
        return (Word(UInt(bitPattern: unsafeBitCast(runMain, to: Int.self))),
                [Word(UInt(bitPattern: main)), Word(UInt(bitPattern: argv)), Word(UInt(bitPattern: status))])
    }

    /// The context to switch to for `next`: its saved context, or a fresh one when its
    /// registers say it starts at a new PC (the first run, or after WriteRegisters).
    /// No thread to run means the run is over (deadlock): back to the runner.
    func resume(_ next: Thread?, exit: @convention(c) () -> Void = threadExit) -> UnsafeMutablePointer<swl4_context> {
        guard let thread = next else {
            outcome = .idle
            return runner
        }
        swl4_set_ipc_buffer(kernel.userIPCBuffer(of: thread))
        let state = thread.platformArea.assumingMemoryBound(to: HostedThreadState.self)
        let pc = thread[register: RegisterFile.pc]
        if state.pointee.started && state.pointee.isInSyscall(pc: pc) {
            return syscallReturnContext(thread, state: state, completes: pc == state.pointee.syscallReturn)
        }
        if state.pointee.started && pc == HostedSystem.exitIP {
            return running(thread)
        }
        if state.pointee.started && state.pointee.hostFaulted && pc == state.pointee.faultPC {
            state.pointee.faultReported = false
            return resume(kernel.handleUserFault(HostedSystem.fault(of: state.pointee)))
        }
        let stackTop = thread[register: RegisterFile.sp]
        if let fault = HostedSystem.startFault(pc: pc, stackTop: stackTop) {
            // A thread started with no code or no usable stack faults at once, as on seL4.
            state.pointee.started = false
            state.pointee.syscallReturn = 0
            return resume(kernel.handleUserFault(fault))
        }
        let top = UnsafeMutableRawPointer(bitPattern: UInt(stackTop))!
        state.initialize(to: HostedThreadState(context: swl4_context(sp: nil, result: 0), started: true))
        if kernel.tracing { trace?.recorder.threadStarted(thread, entry: pc) }
        swl4_context_init(&state.pointee.context, top, UInt(pc),
                          UInt(thread[register: RegisterFile.argumentRegister(0)]),
                          UInt(thread[register: RegisterFile.argumentRegister(1)]),
                          UInt(thread[register: RegisterFile.argumentRegister(2)]), exit)
        return running(thread)
    }

    /// `thread`'s context, as the one about to run: where its next system call saves it, and
    /// its register file where the libsel4 stubs put their registers.
    private func running(_ thread: Thread) -> UnsafeMutablePointer<swl4_context> {
        let hot = hotState()
        hot.pointee.current_context = context(of: thread)
        hot.pointee.registers_slot.unsafelyUnwrapped.pointee = UnsafeMutableRawPointer(thread.registers)
        return context(of: thread)
    }

    /// The fault a host signal in user code becomes, as seL4 would see the same instruction
    /// (x86_64 exception vectors; aarch64 has no vector numbers, its user exceptions are
    /// number 0 with the signal as the code):
    /// - SIGSEGV, SIGBUS: a VM fault (FAULT-5); x86_64's page-fault error code is the status,
    ///   and its bit 4 says whether an instruction fetch faulted.
    /// - SIGILL: a user exception (FAULT-4), #UD, vector 6 (`ud2`, `__builtin_trap`).
    /// - SIGFPE: #DE, vector 0, for an integer division; #XM, vector 19, for an SSE
    ///   floating-point exception.
    /// - SIGTRAP: #BP, vector 3 (`int3`, `__builtin_debugtrap`).
    /// - SIGABRT (abort()), SIGXCPU, SIGXFSZ: #GP, vector 13, code 0, which is what abort()
    ///   ends in on seL4: musl's abort executes `hlt` in user mode.
    /// - SIGSYS from seccomp: an unknown system call (FAULT-3) with the refused host call's
    ///   number.
    /// - Any signal the program sent itself (`raise`, `kill`, `pthread_kill`; si_code <= 0)
    ///   names no faulting instruction: it is treated as abort() is, vector 13, code 0.
    static func fault(of state: HostedThreadState) -> Fault {
        let sentByProgram = state.faultDetail <= 0
        switch state.faultSignal {
        case SIGSEGV where !sentByProgram, SIGBUS where !sentByProgram:
            return .vmFault(address: state.faultAddress, isInstructionFetch: state.faultCode & 0x10 != 0, status: state.faultCode)
        case SIGSYS where !sentByProgram:
            return .unknownSyscall(number: state.faultCode)
        default:
            #if arch(x86_64)
            let vector: Word
            switch sentByProgram ? SIGABRT : state.faultSignal {
            case SIGILL: vector = 6
            case SIGTRAP: vector = 3
            case SIGFPE: vector = state.faultDetail == FPE_INTDIV || state.faultDetail == FPE_INTOVF ? 0 : 19
            default: vector = 13
            }
            return .userException(number: vector, code: 0)
            #else
            return .userException(number: 0, code: Word(state.faultSignal))
            #endif
        }
    }

    /// The fault a thread started at `pc` with stack top `stackTop` takes before its first
    /// instruction completes, or nil if it can start (the runtime builds its first frame just
    /// below `stackTop`). An instruction fetch at 0 is a VM fault with x86_64's error code
    /// 0x14 (user, instruction fetch); a stack the runtime cannot write is the fault of the
    /// entry's first push: a write at `stackTop - 8` (wrapping below 0 to the top of the address
    /// space), status 7 (present, write, user) for a kernel-half or mapped address, 6 for an
    /// unmapped one. The hosted runtime cannot know what the entry's first instruction does; it
    /// reports the push every compiled function starts with.
    static func startFault(pc: Word, stackTop: Word) -> Fault? {
        if pc == 0 {
            #if arch(x86_64)
            return .vmFault(address: 0, isInstructionFetch: true, status: 0x14)
            #else
            return .vmFault(address: 0, isInstructionFetch: true, status: 0)
            #endif
        }
        let frameBytes = 256
        let push = stackTop &- 8
        guard stackTop >= Word(frameBytes), stackTop < 1 << 47, stackIsWritable(below: stackTop, bytes: frameBytes) else {
            let mapped = stackTop >= 1 << 47 || stackTop < Word(frameBytes) || isMapped(push)
            return .vmFault(address: push, isInstructionFetch: false, status: mapped ? 7 : 6)
        }
        return nil
    }

    /// Whether `bytes` below `top` can be written: reading /dev/zero into them fails with
    /// EFAULT if they cannot (they are below the stack pointer, so nothing lives there yet).
    private static func stackIsWritable(below top: Word, bytes: Int) -> Bool {
        guard let start = UnsafeMutableRawPointer(bitPattern: UInt(top) - UInt(bytes)) else { return false }
        let zero = open("/dev/zero", O_RDONLY)
        guard zero >= 0 else { return true }
        defer { close(zero) }
        return read(zero, start, bytes) == bytes
    }

    /// Whether the page holding `address` is mapped in the host process.
    private static func isMapped(_ address: Word) -> Bool {
        let page = UInt(address) & ~UInt(getpagesize() - 1)
        guard let start = UnsafeMutableRawPointer(bitPattern: page) else { return false }
        var resident: UInt8 = 0
        return mincore(start, Int(getpagesize()), &resident) == 0
    }

    /// The first host fault of the run (its signal), and how many threads took one.
    public internal(set) var firstHostFaultSignal: Int32 = 0
    public internal(set) var hostFaultCount = 0

    /// Whether the root task is Inactive without having faulted (it suspended itself, or was
    /// suspended).
    public var rootStoppedItself: Bool {
        guard let root = kernel.bootInfo.rootThread else { return false }
        return root.state == .inactive && !rootTookHostFault && !rootFaultedWithoutHandler
    }

    /// How a run that returned `outcome` ended. A root task is judged first by its own fate
    /// (a host fault of the root, the root having stopped itself); a system file by its
    /// domains (any stuck, then any host fault, then their return values).
    public func runEnd(_ outcome: RunOutcome, of kind: RunKind) -> RunEnd {
        if case .mainReturned(let status) = outcome { return .mainReturned(status) }
        switch kind {
        case .rootTask:
            // The root task's own fault (a VM fault, a user exception) with no handler: the
            // failure is the root task's, as for a cap fault, not a crash of the process.
            if rootTookHostFault || rootFaultedWithoutHandler { return .rootFaulted }
            if rootStoppedItself && !anyThreadStuck { return .atRest(status: 0) }
            return .deadlocked
        case .system(let statuses):
            if anyThreadStuck { return .deadlocked }
            if hostFaultCount > 0 { return .hostFault(signal: firstHostFaultSignal) }
            return .atRest(status: statuses.first { $0 != 0 } ?? 0)
        }
    }

    /// Whether some thread waits for something that can no longer come: blocked sending,
    /// awaiting a reply, or waiting on a notification.
    public var anyThreadStuck: Bool {
        var stuck = false
        kernel.forEachThread { thread in stuck = stuck || thread.state.isStuckWhenIdle }
        return stuck
    }

    /// Whether the root task was stopped by a host fault.
    public var rootTookHostFault: Bool {
        guard let root = kernel.bootInfo.rootThread else { return false }
        return root.platformArea.assumingMemoryBound(to: HostedThreadState.self).pointee.hostFaulted
    }

    /// The saved context: the first field of the thread's `HostedThreadState`.
    func context(of thread: Thread) -> UnsafeMutablePointer<swl4_context> {
        thread.platformArea.assumingMemoryBound(to: swl4_context.self)
    }

    func rootReturned() {
        outcome = .mainReturned(rootStatus.pointee)
    }

    // MARK: Memory

    /// The kernel stack's size, and the guard below every stack.
    static let kernelStackBytes = 512 << 10
    static let stackGuardBytes = 64 << 10

    /// Whether the host can give the kernel `bytes` of memory (`swiftl4 run --memory` asks
    /// before booting, so a refusal is a message, not a crash).
    public static func hostCanMap(bytes: Int) -> Bool {
        let probe = mmap(nil, bytes + (1 << 24), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let probe, probe != MAP_FAILED else { return false }
        munmap(probe, bytes + (1 << 24))
        return true
    }

    /// Memory is reserved lazily (MAP_NORESERVE): the kernel's untyped memory is touched only as
    /// objects are made in it, so a large `--memory` costs what the program uses.
    static func mapAligned(bytes: Int, alignment: Int) -> UnsafeMutableRawPointer {
        let raw = mmap(nil, bytes + alignment, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)!
        let aligned = (UInt(bitPattern: raw) + UInt(alignment) - 1) & ~(UInt(alignment) - 1)
        return UnsafeMutableRawPointer(bitPattern: aligned)!
    }

    /// A stack with a 64 KiB guard below it (a frame larger than a 4 KiB guard could jump
    /// over it, swift-platform-notes.md pitfall 2). Returns its top.
    ///
    /// Each stack's top is moved down by a different multiple of 1 KiB (within a page), so
    /// that the hot frames of threads that switch to each other do not share their address
    /// bits below 4 KiB: on x86 such stores and loads falsely depend on each other ("4K
    /// aliasing"), which made the same round trip run at two speeds depending on placement.
    /// `count` is this system's number of stacks so far (placement restarts with every
    /// system, so runs of one system are comparable).
    static func mapStack(bytes: Int, count: inout Int) -> UnsafeMutableRawPointer {
        let guardBytes = stackGuardBytes
        let raw = mmap(nil, bytes + guardBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)!
        mprotect(raw, guardBytes, PROT_NONE)
        count += 1
        return raw + bytes + guardBytes - (count % 4) * 1024
    }

    /// A new stack for one of this system's threads.
    func mapStack(bytes: Int) -> UnsafeMutableRawPointer { HostedSystem.mapStack(bytes: bytes, count: &stacksMapped) }
}

// MARK: - Kernel entries (C calling convention; they run on the kernel stack)

/// The runtime's hot state (`swl4_hot_state` in CContextSwitch).
@inline(__always)
func hotState() -> UnsafeMutablePointer<swl4_hot> { swl4_hot().unsafelyUnwrapped }

/// The kernel of the running system, without reference counting (the system outlives its run).
@inline(__always)
private func withHotKernel<R>(_ body: (Kernel) -> R) -> R {
    Unmanaged<Kernel>.fromOpaque(hotState().pointee.kernel.unsafelyUnwrapped)._withUnsafeGuaranteedRef(body)
}

@inline(__always)
private func withHotSystem<R>(_ body: (HostedSystem) -> R) -> R {
    Unmanaged<HostedSystem>.fromOpaque(hotState().pointee.system.unsafelyUnwrapped)._withUnsafeGuaranteedRef(body)
}

/// The context to resume for `next`: the common case (a started thread back from a syscall)
/// inline, anything else (a fresh start, the end of the run) through `HostedSystem.resume`.
@inline(__always)
private func resumeContext(_ next: Thread?, _ kernel: Kernel) -> UnsafeMutablePointer<swl4_context> {
    if let thread = next {
        let pc = thread[register: RegisterFile.pc]
        let state = thread.platformArea.assumingMemoryBound(to: HostedThreadState.self)
        // The common case first, tested first: the call completes at its NextIP. A nonzero
        // NextIP means the thread is started (`syscallReturn`), so two compares say it.
        if _fastPath(pc == state.pointee.syscallReturn) && _fastPath(pc != 0) {
            hotState().pointee.ipc_buffer_slot.unsafelyUnwrapped.pointee = kernel.userIPCBuffer(of: thread)
            return syscallReturnContext(thread, state: state, completes: true)
        }
        if state.pointee.started && pc != 0 && state.pointee.isInSyscall(pc: pc) {
            hotState().pointee.ipc_buffer_slot.unsafelyUnwrapped.pointee = kernel.userIPCBuffer(of: thread)
            return syscallReturnContext(thread, state: state, completes: false)
        }
    }
    return withHotSystem { $0.resume(next) }
}

/// The context of `thread`, parked in its system call, made ready to resume: at NextIP
/// (`completes`) the call completes, the stub reading its results from the TCB; at FaultIP
/// (TS-3) the context's result tells `swl4_sysenter` to issue the call again with the
/// registers the TCB holds.
@inline(__always)
func syscallReturnContext(_ thread: Thread, state: UnsafeMutablePointer<HostedThreadState>, completes: Bool)
    -> UnsafeMutablePointer<swl4_context> {
    let context = thread.platformArea.assumingMemoryBound(to: swl4_context.self)
    let hot = hotState()
    #if arch(x86_64) && os(Linux)
    // x86_64 (switch.S): a parked context resumed as it is returns into the stub, completing
    // the call; a restart resumes at `swl4_sysenter_restart` instead, which enters again with
    // what the hot state says, this call's.
    if !completes {
        let restart = unsafeBitCast(swl4_sysenter_restart as @convention(c) () -> Void, to: UInt.self)
        context.pointee.sp.unsafelyUnwrapped.assumingMemoryBound(to: UInt.self)[SWL4_PARKED_RETURN_SLOT] = restart
    }
    #else
    if completes {
        context.pointee.result = 0
    } else {
        // Restarted: `swl4_sysenter` enters again with this call's number and NextIP.
        context.pointee.result = 1
    }
    #endif
    hot.pointee.current_context = context
    hot.pointee.registers_slot.unsafelyUnwrapped.pointee = UnsafeMutableRawPointer(thread.registers)
    return context
}

/// The kernel's side of `swl4_sysenter`, on the kernel stack: the current thread's system call
/// `number` (its registers, NextIP and FaultIP in its TCB) handled; returns the context to
/// resume.
@inline(__always)
private func kernelSyscallHandler(_ number: UInt) -> UnsafeMutablePointer<swl4_context>? {
    withHotKernel { kernel in
        guard let thread = kernel.currentThread else { return hotState().pointee.current_context }
        // The stub wrote the call's registers into the TCB (`__swl4_registers`, sel4.h), and
        // swl4_sysenter its PC = NextIP and FaultIP (TS-3: a thread restarted while blocked
        // resumes with PC = FaultIP and re-issues the same system call with the registers it had).
        // A crash from here on is the kernel's: the fault handler tells by the stack pointer,
        // on the kernel stack (`faulted_on_kernel_stack`), so this path stores no marker.
        let next = kernel.handleSyscall(Int(bitPattern: number), by: thread)
        return resumeContext(next, kernel)
    }
}

/// `kernelSyscallHandler` after `checkObjectsBetweenCalls` (`--check-objects`): a handler of
/// its own, so that runs without the flag do not test it on every call.
private func checkingSyscallHandler(_ number: UInt) -> UnsafeMutablePointer<swl4_context>? {
    checkObjectsBetweenCalls()
    return kernelSyscallHandler(number)
}

private func kernelExitHandler(_: UInt) -> UnsafeMutablePointer<swl4_context>? {
    let hot = hotState()
    hot.pointee.in_kernel = 1
    return withHotKernel { kernel in
        let next = kernel.stopCurrentThread()
        hot.pointee.in_kernel = 0
        return resumeContext(next, kernel)
    }
}

/// Where a thread goes when its entry function returns: it stops (Inactive), as the hosted
/// contract says, and never comes back unless its registers are rewritten and it is resumed.
func threadExit() {
    withHotKernel { kernel in
        guard let thread = kernel.currentThread else { return }
        while true {
            thread[register: RegisterFile.faultIP] = HostedSystem.exitIP
            thread[register: RegisterFile.pc] = HostedSystem.exitIP
            swl4_kernel_entry(thread.platformArea.assumingMemoryBound(to: swl4_context.self),
                              hotState().pointee.kernel_stack_top, kernelExitHandler, 0)
        }
    }
}

/// Where the root task goes when `main` returns: the run ends with its value.
func rootExit() {
    withHotSystem { system in
        system.rootReturned()
        let root = system.kernel.bootInfo.rootThread!
        swl4_switch(system.context(of: root), system.runner)
    }
}

/// A seL4 call from a host thread that is not the runner, which `swl4_sysenter` tells by its
/// thread-local mark before it calls `swl4_kernel_syscall`: refused while a system runs.
@_cdecl("swl4_foreign_syscall")
public func swl4_foreign_syscall(_ sysno: seL4_Word) {
    guard hotState().pointee.kernel != nil else { return }
    refuseForeignCall(sysno)
}

/// `seL4_GetBootInfo`: the boot-info frame the kernel wrote at boot.
@_cdecl("seL4_GetBootInfo")
public func seL4_GetBootInfo() -> UnsafeMutablePointer<seL4_BootInfo>? {
    guard let system = HostedSystem.active else { return nil }
    return UnsafeMutablePointer(bitPattern: UInt(system.kernel.bootInfo.bootInfoFrameAddress))
}

/// A signal raised by code running on the runner thread (`swl4_install_fault_handler`). In user
/// code it is what seL4 would make of the same instruction (`HostedSystem.fault(of:)`): a fault
/// of the current thread, sent to its fault handler, or stopping it if it has none (FAULT-1);
/// it is reported with the thread's name and the other threads go on. The handler runs on the
/// alternate signal stack and does not return: it switches to the thread the kernel chooses.
/// In the kernel's own code it is a kernel crash: reported with the kernel function, the
/// system call and its caller, and the run ends.
func reportUserFault(_ signal: Int32, _ address: UInt, _ pc: UInt, _ code: UInt, _ detail: Int32) {
    let system = HostedSystem.active
    let kind = signalDescription(signal)
    guard swl4_runner_thread_mark() == Int32(SWL4_RUNNER) else {
        reportHostThreadCrash(kind: kind, signal: signal, address: address, pc: pc)
    }
    guard let system, hotState().pointee.in_kernel == 0, hotState().pointee.faulted_on_kernel_stack == 0,
          let thread = system.kernel.currentThread else {
        reportKernelCrash(system, kind: kind, signal: signal, address: address, pc: pc)
    }
    if hotState().pointee.check_objects != 0 { checkObjectsBetweenCalls() }
    let state = thread.platformArea.assumingMemoryBound(to: HostedThreadState.self)
    state.pointee.hostFaulted = true
    state.pointee.faultPC = Word(pc)
    state.pointee.faultAddress = Word(address)
    state.pointee.faultCode = Word(code)
    state.pointee.faultSignal = signal
    state.pointee.faultDetail = detail
    state.pointee.faultReported = true
    thread[register: RegisterFile.pc] = Word(pc)
    if system.hostFaultCount == 0 { system.firstHostFaultSignal = signal }
    system.hostFaultCount += 1
    let fault = HostedSystem.fault(of: state.pointee)
    let taken: String
    switch fault {
    case .userException(let number, let code): taken = "a user exception (number \(number), code \(code))"
    case .unknownSyscall(let number): taken = "an unknown system call \(number)"
    default: taken = "a VM fault"
    }
    // A signal the program sent itself (si_code <= 0) carries the sender's pid, not an address.
    let place = detail <= 0 && signal != SIGABRT ? " sent by the program itself"
        : signal == SIGSEGV || signal == SIGBUS ? " at address 0x\(String(address, radix: 16))" : ""
    let message = "swiftl4: thread '\(threadName(thread))' faulted: \(kind)\(place) (pc 0x\(String(pc, radix: 16))); it takes \(taken)\n"
    fflush(nil)
    _ = message.withCString { write(2, $0, strlen($0)) }
    hotState().pointee.in_kernel = 1
    let next = system.kernel.handleUserFault(fault)
    state.pointee.faultReported = false
    hotState().pointee.in_kernel = 0
    let context = system.resume(next)
    // This frame, on the signal stack, is abandoned: nothing in it is needed again.
    var abandoned = swl4_context(sp: nil, result: 0)
    swl4_switch(&abandoned, context)
}

func signalDescription(_ signal: Int32) -> String {
    switch signal {
    case SIGSEGV: "segmentation fault"
    case SIGBUS: "bus error"
    case SIGILL: "illegal instruction"
    case SIGFPE: "arithmetic exception"
    case SIGABRT: "abort (SIGABRT)"
    case SIGTRAP: "breakpoint trap (SIGTRAP)"
    case SIGSYS: "bad system call (SIGSYS)"
    case SIGXCPU: "CPU time limit exceeded (SIGXCPU)"
    case SIGXFSZ: "file size limit exceeded (SIGXFSZ)"
    default: "signal \(signal)"
    }
}

/// A signal in the kernel's own code (or with no system running): the report names the
/// kernel function it struck, the system call being handled and the thread that made it, then
/// the run ends as the process would have (128 + the signal).
private func reportKernelCrash(_ system: HostedSystem?, kind: String, signal: Int32, address: UInt, pc: UInt) -> Never {
    let where_ = codeDescription(pc)
    var during = ""
    // The thread the kernel was working for: the one whose context is current (a system call
    // saves the caller's there; the fault and exit paths run for the current thread).
    let caller = hotState().pointee.current_context.map { Thread(base: UnsafeMutableRawPointer($0) - Thread.platformAreaOffset) }
    if system != nil, hotState().pointee.faulted_on_kernel_stack != 0 {
        let number = caller.map { $0.platformArea.assumingMemoryBound(to: HostedThreadState.self).pointee.syscallNumber } ?? 0
        let name = Syscall(rawValue: Int(number)).map { $0.cName } ?? "system call \(number)"
        during = ", handling \(name) for thread '\(caller.map(threadName) ?? "the loader")'"
    }
    // A crash after user code overwrote a kernel object is that corruption's doing: say so.
    // The integrity check holds even in the middle of a system call; it does not run twice.
    if let system, hotState().pointee.checking_objects == 0 {
        hotState().pointee.checking_objects = 1
        if let violation = system.kernel.checkObjectIntegrity() {
            reportCorruption(violation, in: system, lastThread: caller ?? system.kernel.currentThread,
                             kernelCrash: "\(kind) at address 0x\(String(address, radix: 16)) \(where_)\(during)")
        }
    }
    let message = "swiftl4: the kernel crashed: \(kind) at address 0x\(String(address, radix: 16)) \(where_)\(during)\n"
        + "swiftl4: in the hosted runtime user code shares the kernel's address space and can overwrite kernel objects (docs/libsel4.md, \"Trust model\"): a pointer bug in user code is the likeliest cause; `swiftl4 run --check-objects` checks every kernel object at each system call and names the one damaged\n"
    fflush(nil)
    if let system, let trace = system.trace {
        trace.recorder.end(String(message.split(separator: "\n")[0].dropFirst("swiftl4: ".count)))
        trace.outputs.write(trace.recorder)
    }
    _ = message.withCString { write(2, $0, strlen($0)) }
    _exit(128 + signal)
}

/// `--check-objects`, between system calls: every kernel object sound and the kernel's
/// invariants holding, or the run stops with the first damage found.
private func checkObjectsBetweenCalls() {
    guard let system = HostedSystem.active else { return }
    hotState().pointee.checking_objects = 1
    if let violation = system.kernel.checkObjects() {
        reportCorruption(violation, in: system, lastThread: system.kernel.currentThread)
    }
    hotState().pointee.checking_objects = 0
}

/// A kernel object user code overwrote: which object, what is wrong with it and which thread
/// ran last (the likeliest culprit; any earlier one could have written it), then the run
/// stops with `corruptedObjectExitStatus`.
private func reportCorruption(_ violation: InvariantViolation, in system: HostedSystem, lastThread: Thread?,
                              kernelCrash: String? = nil) -> Never {
    let who = lastThread.map { "'\(threadName($0))'" } ?? "none"
    let what: String
    if let object = system.kernel.registeredObject(named: violation.address) {
        // A slot names its place in the CNode or TCB; an object's own damage needs no address twice.
        let place = object.address == violation.address ? "" : " (at 0x\(String(violation.address, radix: 16)))"
        what = "kernel object at 0x\(String(object.address, radix: 16)) (\(object.kind)) corrupted by user code (last thread to run: \(who)): \(violation.message)\(place)"
    } else {
        what = "kernel state corrupted by user code (last thread to run: \(who)): \(violation)"
    }
    let consequence = kernelCrash.map { "the kernel crashed on it (\($0))" } ?? "the run stops before the kernel uses the damaged object"
    let message = "swiftl4: \(what)\n"
        + "swiftl4: in the hosted runtime user code shares the kernel's address space (docs/libsel4.md, \"Trust model\"); \(consequence)\n"
    fflush(nil)
    if let trace = system.trace {
        trace.recorder.end(what)
        trace.outputs.write(trace.recorder)
    }
    _ = message.withCString { write(2, $0, strlen($0)) }
    _exit(HostedSystem.corruptedObjectExitStatus)
}

/// Where `pc` is, for a crash report: "in FUNCTION (+0xOFFSET, pc 0x…)" when the dynamic
/// symbol table names the function, else "at pc 0x… (IMAGE+0xOFFSET)" for addr2line.
private func codeDescription(_ pc: UInt) -> String {
    var offset: UInt = 0
    var image: UnsafePointer<CChar>?
    let symbol = swl4_symbol_name(pc, &offset, &image)
    let hexPC = "0x\(String(pc, radix: 16))"
    if let symbol { return "in \(String(cString: symbol)) (+0x\(String(offset, radix: 16)), pc \(hexPC))" }
    if let image { return "at pc \(hexPC) (\(String(cString: image))+0x\(String(offset, radix: 16)))" }
    return "at pc \(hexPC)"
}

/// A signal in a host thread user code made with pthread_create (or in a forked child): no
/// seL4 thread executed the instruction, so none is charged with the fault; the process ends
/// as it would without SwiftL4 (128 + the signal).
private func reportHostThreadCrash(kind: String, signal: Int32, address: UInt, pc: UInt) -> Never {
    let where_ = codeDescription(pc)
    let who = swl4_runner_thread_mark() == Int32(SWL4_FORKED_CHILD)
        ? "a forked child process"
        : "host thread 0x\(String(UInt(bitPattern: Int(bitPattern: UInt(pthread_self()))), radix: 16)), which is not a SwiftL4 thread (pthread_create made it),"
    let place = signal == SIGSEGV || signal == SIGBUS ? " at address 0x\(String(address, radix: 16))" : ""
    let message = "swiftl4: \(who) crashed: \(kind)\(place) \(where_); no seL4 thread ran that code, so none takes the fault, and the run stops\n"
    fflush(nil)
    _ = message.withCString { write(2, $0, strlen($0)) }
    _exit(128 + signal)
}

/// A seL4 call from a host thread that is not the runner (user code made it with
/// pthread_create), or from a forked child: refused before the kernel looks at it, so its state
/// is untouched, and the run stops with `foreignCallExitStatus`.
private func refuseForeignCall(_ sysno: seL4_Word) -> Never {
    let number = Int(Int64(bitPattern: UInt64(sysno)))
    let name = Syscall(rawValue: number).map { $0.cName } ?? "system call \(number)"
    let who = swl4_runner_thread_mark() == Int32(SWL4_FORKED_CHILD)
        ? "a forked child process (fork() copies the whole hosted system; its calls would act on a copy of the kernel)"
        : "host thread 0x\(String(UInt(bitPattern: Int(bitPattern: UInt(pthread_self()))), radix: 16)), which is not a SwiftL4 thread (it was not made with seL4_TCB_* calls; pthread_create makes host threads the kernel does not schedule)"
    let message = "swiftl4: refused \(name) from \(who); the kernel's state is untouched and the run stops\n"
    fflush(nil)
    _ = message.withCString { write(2, $0, strlen($0)) }
    _exit(HostedSystem.foreignCallExitStatus)
}

/// A thread's name for reports: its `seL4_DebugNameThread` name, or its TCB address.
public func threadName(_ thread: Thread) -> String {
    let length = thread.nameLength
    if length == 0 { return "tcb@0x\(String(thread.address, radix: 16))" }
    return String(decoding: UnsafeBufferPointer(start: thread.nameBytes, count: length), as: UTF8.self)
}
