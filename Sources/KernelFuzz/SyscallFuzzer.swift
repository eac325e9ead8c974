import KernelCore
import KernelTestSupport

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast PRNG whose whole state is one word, so a
/// printed seed replays a run exactly.
public struct SplitMix64 {
    public private(set) var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<bound (bound > 0), by rejection (no modulo bias).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        let limit = UInt64.max - UInt64.max % b
        while true {
            let x = next()
            if x < limit { return Int(x % b) }
        }
    }

    public mutating func inRange(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }
    /// True with probability `percent`/100.
    public mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// What a fuzz run saw, by kind. Two runs of one seed give equal histograms.
public struct FuzzHistogram: Equatable, Sendable, CustomStringConvertible {
    /// Error replies to Call, by `seL4_Error` (index 1...10; 0 unused).
    public var errors = [Int](repeating: 0, count: 11)
    /// Successful replies from kernel objects (label 0) to Call.
    public var successReplies = 0
    /// Faults raised (`faulted` events), and how many of them reached a handler.
    public var faults = 0
    public var handledFaults = 0
    /// Threads that blocked (`blocked` events).
    public var blocks = 0
    /// Messages delivered (`delivered` events), and how many had their words compared.
    public var deliveries = 0
    public var deliveriesChecked = 0
    /// Threads woken by a signal.
    public var signals = 0
    /// Steps per system call class.
    public var syscalls = [Int](repeating: 0, count: 16)
    /// Fresh systems built (the first and every later one), and resumptions by the root task.
    public var systems = 0
    public var resumes = 0
    /// Paging invocations (Sv39 labels 33–39, x86_64 33–43) a kernel object answered with success.
    public var pagingSuccesses = 0

    public init() {}

    /// The name of `syscalls[index]`'s class: the system call numbered `-(index + 1)` (seL4's
    /// name, `Syscall.name`), or "unknown" for the class of every other number (index 14).
    static func syscallName(_ index: Int) -> String {
        guard let syscall = Syscall(rawValue: -(index + 1)) else { return "unknown" }
        return "\(syscall.name)"
    }

    public var description: String {
        var lines: [String] = []
        lines.append("  syscalls: " + (0..<15).filter { syscalls[$0] > 0 }
            .map { "\(Self.syscallName($0)) \(syscalls[$0])" }.joined(separator: ", "))
        lines.append("  replies: success \(successReplies), errors \(errors.reduce(0, +))"
                     + (errors.reduce(0, +) > 0 ? " (" + (1...10).filter { errors[$0] > 0 }
                        .map { "\(ErrorCode(rawValue: Word($0))!.name) \($0): \(errors[$0])" }.joined(separator: ", ") + ")" : ""))
        lines.append("  faults: \(faults) (\(handledFaults) to a handler), blocks: \(blocks), deliveries: \(deliveries) (\(deliveriesChecked) words compared), signals woken: \(signals)")
        lines.append("  systems built: \(systems), resumes by the root task: \(resumes)"
                     + (pagingSuccesses > 0 ? ", paging invocations succeeded: \(pagingSuccesses)" : ""))
        return lines.joined(separator: "\n")
    }
}

/// A behaviour the kernel must not show, with the step that showed it.
public struct FuzzViolation: Error, Equatable, CustomStringConvertible {
    public var seed: UInt64
    public var step: Int
    public var message: String
    public var description: String { "violation at step \(step) of seed \(seed): \(message)" }
}

public struct FuzzReport: Equatable {
    public var seed: UInt64
    /// Random operations (system calls by a random runnable thread) run.
    public var operations: Int
    /// `checkObjects()` runs: after every system call, setup and resumptions included.
    public var invariantChecks: Int
    public var histogram: FuzzHistogram
    public var violation: FuzzViolation?
}

/// The syscall fuzzer: from a seed, builds small systems (threads in several CSpaces,
/// endpoints, notifications, untyped memory, frames) and makes random system calls and
/// invocations as random runnable threads, checking the kernel's invariants and a reference
/// model of the allowed outcome after every one.
public struct SyscallFuzzer {
    public let seed: UInt64
    /// Random operations per system before a fresh one is built (bounds the object registry).
    public var operationsPerSystem: ClosedRange<Int> = 500...12000
    /// The kernel's paging model: `.sv39` adds page tables, VSpace roots, ASID pools and
    /// seL4's riscv64 paging invocations (labels 33–39) to the systems and the operations;
    /// `.x86_64` PML4s, PDPTs, page directories, page tables and seL4's x86_64 paging
    /// invocations (labels 33–43; x86_64 hosts, whose object types these are).
    public var paging: PagingModel = .identity

    public init(seed: UInt64) { self.seed = seed }

    public func run(operations: Int) -> FuzzReport {
        let run = FuzzRun(seed: seed, operationsPerSystem: operationsPerSystem, paging: paging)
        return run.run(operations: operations)
    }
}

// MARK: - The run

/// libsel4's riscv64 paging labels, which an Sv39 kernel decodes.
typealias Sv39Label = RISCVInvocationLabel
/// libsel4's x86_64 paging labels, which a four-level x86_64 kernel decodes.
typealias X86Label = X86InvocationLabel

/// One thread's message as it stood before a step: tag and words (for delivery checks).
struct MessageSnapshot {
    var thread: Thread
    var info: MessageInfo
    var words: [Word]
    var hasSendBuffer: Bool
    var bufferAddress: Word
    var faulted: Bool
}

final class FuzzRun: KernelObserver {
    let seed: UInt64
    var rng: SplitMix64
    let operationsPerSystem: ClosedRange<Int>
    var histogram = FuzzHistogram()
    var invariantChecks = 0
    var step = 0
    var violation: FuzzViolation?

    var system: TestSystem!
    var kernel: Kernel { system.kernel }
    var root: Thread { system.root }
    var events: [KernelEvent] = []
    /// Root-CNode slots the system was built with (so setup and the resumer know them).
    var rootTask: RootTask!
    var rootTCBSlots: [Word] = []
    var objectSlots: [Word] = []
    var cnodeSlots: [Word] = []
    /// CPtr shapes that resolve in the threads' CSpaces (see `buildSystem`).
    static let bGuard: Word = 22
    /// The thread whose CSpace `randomCPtr` favours, and cached resolving CPtrs per thread.
    var cptrThread: Thread?
    var cptrCache: [(thread: Thread, step: Int, cptrs: [Word])] = []

    let paging: PagingModel
    /// VSpace roots given ASIDs in an Sv39 system (for Map invocations' extra cap).
    var vspaceSlots: [Word] = []

    init(seed: UInt64, operationsPerSystem: ClosedRange<Int>, paging: PagingModel) {
        self.seed = seed
        rng = SplitMix64(seed: seed)
        self.operationsPerSystem = operationsPerSystem
        self.paging = paging
        events.reserveCapacity(64)
    }

    func debugPutChar(_ character: UInt8) {}
    func kernelEvent(_ event: KernelEvent) { events.append(event) }

    func fail(_ message: String) {
        if violation == nil { violation = FuzzViolation(seed: seed, step: step, message: message) }
    }

    func run(operations: Int) -> FuzzReport {
        var left = 0
        var idle = 0
        while step < operations && violation == nil {
            if left == 0 || system == nil || idle > 3 {
                buildSystem()
                left = rng.inRange(operationsPerSystem)
                idle = 0
                if violation != nil { break }
            }
            let runnable = candidates()
            if runnable.isEmpty {
                idle += 1
                resumeSomeone()
                continue
            }
            idle = 0
            step += 1
            left -= 1
            // Now and then the root task itself acts (its CSpace holds every boot cap).
            randomOperation(by: root.state.isRunnable && rng.below(200) == 0 ? root : rng.pick(runnable))
        }
        system?.kernel.observer = nil
        return FuzzReport(seed: seed, operations: step, invariantChecks: invariantChecks,
                          histogram: histogram, violation: violation)
    }

    /// Registered, runnable threads other than the root task, in registry (creation) order.
    func candidates() -> [Thread] {
        var list: [Thread] = []
        let rootThread = root
        kernel.forEachThread { thread in
            if thread != rootThread && thread.state.isRunnable { list.append(thread) }
        }
        return list
    }

    // MARK: System calls

    /// The thread's IPC buffer words as the kernel reaches them (IPCBUF-2), for sending
    /// (`receiving` false: read or read-write frame) or receiving (read-write only); nil if none.
    func buffer(of thread: Thread, receiving: Bool) -> UnsafeMutablePointer<Word>? {
        let cap = thread.slot(.ipcBuffer).cap
        guard cap.type == .frame, !cap.frameIsDevice else { return nil }
        switch cap.frameRights {
        case .readWrite: break
        case .readOnly: if receiving { return nil }
        case .kernelOnly: return nil
        }
        let offset = thread.ipcBufferAddress & (cap.frameSizeBits >= 64 ? ~0 : (1 << Word(cap.frameSizeBits)) - 1)
        return UnsafeMutablePointer(bitPattern: UInt(cap.address + offset))
    }

    /// The memory user code writes its buffer through (any rights: the user mapping).
    func userBuffer(of thread: Thread) -> UnsafeMutablePointer<Word>? {
        let cap = thread.slot(.ipcBuffer).cap
        guard cap.type == .frame, !cap.frameIsDevice else { return nil }
        let offset = thread.ipcBufferAddress & ((1 << Word(cap.frameSizeBits)) - 1)
        return UnsafeMutablePointer(bitPattern: UInt(cap.address + offset))
    }

    /// Makes `thread` current (as a preemption would) and loads its syscall registers and
    /// buffer as user code would before the syscall instruction; false if it cannot run.
    func prepareSyscall(by thread: Thread, cap: Word, info: MessageInfo, mrs: [Word], extraCaps: [Word]) -> Bool {
        guard kernel.preempt(to: thread) else {
            fail("preempt to a runnable thread failed")
            return false
        }
        thread[register: RegisterFile.capRegister] = cap
        thread[register: RegisterFile.msgInfoRegister] = info.rawValue
        let buffer = userBuffer(of: thread)
        for (i, word) in mrs.enumerated() {
            if i < Constants.fastMessageRegisters { thread.setMessageRegister(i, word) } else { buffer?[i + 1] = word }
        }
        for (i, cptr) in extraCaps.enumerated() { buffer?[Constants.ipcBufferCapsOrBadges + i] = cptr }
        thread[register: RegisterFile.faultIP] = TestSystem.syscallAddress
        thread[register: RegisterFile.pc] = TestSystem.syscallAddress + RegisterFile.syscallInstructionBytes
        return true
    }

    /// `prepareSyscall`, system call `number`, then the invariants.
    func syscall(_ number: Int, by thread: Thread, cap: Word, info: MessageInfo, mrs: [Word], extraCaps: [Word]) {
        guard prepareSyscall(by: thread, cap: cap, info: info, mrs: mrs, extraCaps: extraCaps) else { return }
        _ = kernel.handleSyscall(number)
        invariantChecks += 1
        if let problem = kernel.checkObjects() { fail("invariant: \(problem)") }
    }

    /// A Call to a kernel object by `thread`; returns the reply's label and words.
    @discardableResult
    func invoke(_ cptr: Word, _ label: InvocationLabel, _ args: [Word], caps: [Word] = [], by thread: Thread? = nil) -> (Word, [Word]) {
        invoke(cptr, label: label.rawValue, args, caps: caps, by: thread)
    }

    @discardableResult
    func invoke(_ cptr: Word, label: Word, _ args: [Word], caps: [Word] = [], by thread: Thread? = nil) -> (Word, [Word]) {
        let caller = thread ?? root
        guard caller.state.isRunnable else { return (~0, []) }
        syscall(Syscall.call.rawValue, by: caller, cap: cptr,
                info: MessageInfo(label: label, extraCaps: Word(caps.count), length: Word(args.count)),
                mrs: args, extraCaps: caps)
        let info = MessageInfo(rawValue: caller[register: RegisterFile.msgInfoRegister])
        return (info.label, readWords(of: caller, count: Int(info.length)))
    }

    func readWords(of thread: Thread, count: Int) -> [Word] {
        let buffer = buffer(of: thread, receiving: true)
        var words: [Word] = []
        for i in 0..<min(count, Constants.msgMaxLength) {
            if i < Constants.fastMessageRegisters { words.append(thread.messageRegister(i)) } else { words.append(buffer?[i + 1] ?? 0) }
        }
        return words
    }

    // MARK: Building a system

    func allocate() -> Word { rootTask.allocateSlot() }

    /// The system's root task, its invocations made through `invoke` (checked after each).
    func makeRootTask() -> RootTask {
        RootTask(kernel: kernel) { [unowned self] cptr, label, arguments, caps in
            let (replyLabel, words) = self.invoke(cptr, label: label, arguments, caps: caps)
            return InvocationReply(label: replyLabel, words: words)
        }
    }

    func retype(_ type: Word, size: Word, into cnodeCap: Word = Word(InitialSlot.cnode), offset: Word? = nil, from untyped: Word? = nil) -> Word {
        let slot = offset ?? allocate()
        rootTask.retype(type, size: size, from: untyped ?? system.untyped, into: cnodeCap, at: slot)
        return slot
    }

    func mint(into cnode: Word, _ index: Word, depth: Word, from source: Word, rights: CapRights, data: Word) {
        rootTask.mint(into: cnode, index, depth: depth, from: source, rights: rights, data: data)
    }

    func randomRights() -> CapRights {
        rng.chance(40) ? .all : CapRights(rawValue: Word(rng.below(16)))
    }

    func randomBadge() -> Word {
        switch rng.below(4) {
        case 0: 0
        case 1: Word(rng.inRange(1...15))
        case 2: rng.next()
        default: Word(1) << Word(rng.below(64))
        }
    }

    /// A fresh system: the root task at priority 255 keeps TCB caps to every worker (it is the
    /// resumer); workers live in four CSpaces: the root CNode; CNode A (radix 4) seen with a
    /// 60-bit guard (CPtr = slot) or a 52-bit guard (CPtr = slot << 8 | index in the nested
    /// CNode C in A's slot 15, which has a 6-bit guard); CNode B (radix 3, 5-bit guard 22, so
    /// CPtr = 22 << 59 | slot << 56, with C in slot 7 below a 54-bit guard).
    func buildSystem() {
        histogram.systems += 1
        system = TestSystem(memoryBytes: 2 << 20, rootCNodeBits: 8, fastpath: rng.chance(70), tracing: true,
                            maxUntypedBits: 19, paging: paging)
        system.checksInvariantsAfterSyscalls = false
        kernel.observer = self
        rootTask = makeRootTask()
        rootTCBSlots = []
        cptrCache = []
        cptrThread = nil
        objectSlots = []
        cnodeSlots = []
        vspaceSlots = []
        let rootCNode = Word(InitialSlot.cnode)

        let endpoints = (0..<3).map { _ in retype(ObjectType.endpoint, size: 0) }
        let notifications = (0..<2).map { _ in retype(ObjectType.notification, size: 0) }
        let cnodeA = retype(ObjectType.cnode, size: 4)
        let cnodeB = retype(ObjectType.cnode, size: 3)
        let cnodeC = retype(ObjectType.cnode, size: 2)
        cnodeSlots = [rootCNode, cnodeA, cnodeB, cnodeC]
        let smallUntyped = retype(ObjectType.untyped, size: 14)
        let frames = (0..<3).map { _ in retype(ObjectType.smallPage, size: 0) }
        // C inside A (slot 15, 6-bit guard) and inside B (slot 7, 54-bit guard).
        mint(into: cnodeA, 15, depth: 4, from: cnodeC, rights: .all, data: CNodeCapData(guard: 0, guardSize: 6).rawValue)
        mint(into: cnodeB, 7, depth: 3, from: cnodeC, rights: .all, data: CNodeCapData(guard: 0, guardSize: 54).rawValue)
        // Untyped memory in A, B and C of their own.
        _ = retype(ObjectType.untyped, size: 13, into: cnodeA, offset: 14, from: smallUntyped)
        _ = retype(ObjectType.untyped, size: 12, into: cnodeB, offset: 6, from: smallUntyped)
        _ = retype(ObjectType.untyped, size: 12, into: cnodeC, offset: 3, from: smallUntyped)

        // Workers: (CSpace root, guard data) per thread.
        let a60 = CNodeCapData(guard: 0, guardSize: 60).rawValue
        let a52 = CNodeCapData(guard: 0, guardSize: 52).rawValue
        let b5 = CNodeCapData(guard: Self.bGuard, guardSize: 5).rawValue
        let spaces: [(Word, Word)] = [(rootCNode, 0), (rootCNode, 0), (cnodeA, a60), (cnodeA, a52), (cnodeB, b5), (cnodeA, a60)]
        var workers: [Word] = []
        for (cspace, data) in spaces {
            let tcb = retype(ObjectType.thread, size: 0)
            let frame = retype(ObjectType.smallPage, size: 0)
            let frameAddress = system.capability(at: frame).address
            // Fault handlers: a granting endpoint cap, or nothing, or a CPtr that does not resolve.
            let handler: Word = cspace == rootCNode ? (rng.chance(70) ? rng.pick(endpoints) : 0)
                : data == a52 ? Word(rng.below(4)) << 8 : data == b5 ? Self.bGuard << 59 | Word(rng.below(6)) << 56 : Word(rng.below(4))
            invoke(tcb, .tcbConfigure, [handler, data, 0, frameAddress], caps: [cspace, Word(InitialSlot.vspace), frame])
            invoke(tcb, .tcbSetMCPriority, [Word(rng.below(256))], caps: [Word(InitialSlot.thread)])
            invoke(tcb, .tcbSetPriority, [Word(rng.inRange(1...254))], caps: [Word(InitialSlot.thread)])
            workers.append(tcb)
            rootTCBSlots.append(tcb)
        }
        objectSlots = endpoints + notifications + frames + workers + [cnodeA, cnodeB, cnodeC, smallUntyped, rootCNode,
                                                                       Word(InitialSlot.thread), system.untyped]
        if paging != .identity { objectSlots += buildPagingObjects(workers: workers, cspaces: spaces.map { $0.0 }) }
        // Caps with assorted rights and badges in A (slots 0...13), B (0...5) and C (0...2);
        // more in the root CNode.
        let places: [(Word, Word, Word)] = (0..<14).map { (cnodeA, $0, 4) } + (0..<6).map { (cnodeB, $0, 3) }
            + (0..<3).map { (cnodeC, $0, 2) } + (0..<12).map { _ in (rootCNode, 0, 64) }
        for (cnode, index, depth) in places {
            let source = rng.pick(objectSlots)
            let type = system.capability(at: source).type
            var data = randomBadge()
            if type == .cnode {
                data = rng.chance(50) ? 0 : CNodeCapData(guard: Word(rng.below(4)), guardSize: Word(rng.below(61))).rawValue
            }
            if cnode == rootCNode {
                mint(into: rootCNode, allocate(), depth: 64, from: source, rights: randomRights(), data: data)
            } else if rng.chance(85) {
                mint(into: cnode, index, depth: depth, from: source, rights: randomRights(), data: data)
            }
        }
        for (i, tcb) in workers.enumerated() {
            if i % 2 == 0, rng.chance(50) {
                invoke(tcb, .tcbBindNotification, [], caps: [notifications[i / 2 % 2]])
            }
            invoke(tcb, .tcbResume, [])
        }
        events.removeAll(keepingCapacity: true)
    }

    /// Paging objects of the kernel's model: two VSpace roots with ASIDs (workers on the root
    /// CNode run in them), paging structures mapped or not (Sv39: four page tables, the kernel
    /// choosing their level; x86_64: two each of PDPT, page directory and page table), frames
    /// mapped or not (x86_64 sometimes a 2 MiB one), a 4 KiB untyped for MakePool, and the ASID
    /// control and initial pool caps. Returns their slots.
    func buildPagingObjects(workers: [Word], cspaces: [Word]) -> [Word] {
        let x86 = paging == .x86_64
        // On an x86_64 host object type 6 is the PML4; for Sv39 it serves as riscv64's page
        // table does, at level 0.
        let roots = (0..<2).map { _ in retype(ObjectType.X86_64.pml4, size: 0) }
        for root in roots {
            invoke(Word(InitialSlot.asidPool), label: x86 ? X86Label.asidPoolAssign : Sv39Label.asidPoolAssign, [], caps: [root])
        }
        vspaceSlots = roots + [Word(InitialSlot.vspace)]
        let levels: [(type: Word, label: Word, count: Int)] = x86
            ? [(ObjectType.X86_64.pdpt, X86Label.pdptMap, 2), (ObjectType.X86_64.pageDirectory, X86Label.pageDirectoryMap, 2),
               (ObjectType.X86_64.pageTable, X86Label.pageTableMap, 2)]
            : [(ObjectType.X86_64.pml4, Sv39Label.pageTableMap, 4)]
        var structures: [Word] = []
        for level in levels {
            let made = (0..<level.count).map { _ in retype(level.type, size: 0) }
            structures += made
            for structure in made where rng.chance(x86 ? 75 : 70) {
                invoke(structure, label: level.label, [randomVirtualAddress(), 0], caps: [rng.pick(x86 ? vspaceSlots : roots)])
            }
        }
        let frames = (0..<3).map { _ in retype(ObjectType.smallPage, size: 0) }
            + (x86 && rng.chance(30) ? [retype(ObjectType.X86_64.largePage, size: 0)] : [])
        for frame in frames where rng.chance(70) {
            invoke(frame, label: x86 ? X86Label.pageMap : Sv39Label.pageMap,
                   [randomVirtualAddress(), randomRights().rawValue, Word(rng.below(x86 ? 8 : 2))],
                   caps: [rng.pick(x86 ? vspaceSlots : roots)])
        }
        for (tcb, cspace) in zip(workers, cspaces) where cspace == Word(InitialSlot.cnode) && rng.chance(60) {
            invoke(tcb, .tcbSetSpace, [0, 0, 0], caps: [cspace, rng.pick(roots)])
        }
        let poolUntyped = retype(ObjectType.untyped, size: 12)
        return roots + structures + frames + [poolUntyped, Word(InitialSlot.asidPool), Word(InitialSlot.asidControl)]
    }

    /// When no worker can run: the root task resumes one through a TCB cap it kept.
    func resumeSomeone() {
        guard root.state.isRunnable, !rootTCBSlots.isEmpty else {
            system = nil
            return
        }
        histogram.resumes += 1
        invoke(rng.pick(rootTCBSlots), .tcbResume, [])
        events.removeAll(keepingCapacity: true)
    }
}
