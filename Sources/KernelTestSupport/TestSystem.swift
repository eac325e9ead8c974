import KernelCore

/// The deterministic test platform: a kernel booted over ordinary host memory, stepped one
/// system call at a time. Each call is made by a named thread with explicit register values,
/// and `checkObjects()` (object integrity, then `checkInvariants()`) runs after every one; failures are collected in
/// `invariantFailures`, which tests expect to stay empty.
///
/// Setup (creating endpoints, threads, minting caps) goes through the same invocations a
/// root task would make, as the root thread.
public final class TestSystem: KernelObserver {
    public let kernel: Kernel
    public let root: Thread
    public private(set) var output: [UInt8] = []
    public private(set) var events: [KernelEvent] = []
    public private(set) var invariantFailures: [String] = []
    /// The next free slot of the root CNode that `allocateSlot()` hands out.
    public var nextFreeSlot: Word { rootTask.nextSlot }
    /// The root task's invocations, each made through `invoke` (so checked like any other
    /// syscall).
    public private(set) lazy var rootTask = RootTask(kernel: kernel) { [unowned self] cptr, label, arguments, caps in
        let reply = self.invoke(cptr, label: label, args: arguments, extraCaps: caps)
        return InvocationReply(label: reply.info.label, words: reply.mr)
    }
    private let memory: UnsafeMutableRawPointer
    private let memoryBytes: Int
    private let deviceMemory: UnsafeMutableRawPointer?
    private let deviceBytes: Int
    public let untyped: Word
    /// Whether `checkObjects()` runs after every syscall (on by default). Tests that build
    /// very large structures may switch it off for the setup and check once at the end with
    /// `checkInvariantsNow()`.
    public var checksInvariantsAfterSyscalls = true

    /// A register value the test platform uses as "the address of the syscall instruction".
    public static let syscallAddress: Word = 0x5C5C_0000

    /// A root server booted the way seL4 boots one (`Kernel.boot(configuration:rootServer:...)`):
    /// its image is the first `imagePages` pages of the test memory, page k filled with the
    /// byte k + 1, seen by user space from `virtualStart`; `devices` are physical ranges
    /// reported as device untypeds (never touched).
    public struct RootServer {
        public var imagePages: Int
        public var virtualStart: Word
        public var entry: Word
        public var deviceTree: [UInt8]
        public var devices: [MemoryRegion]
        public init(imagePages: Int, virtualStart: Word, entry: Word, deviceTree: [UInt8], devices: [MemoryRegion] = []) {
            self.imagePages = imagePages
            self.virtualStart = virtualStart
            self.entry = entry
            self.deviceTree = deviceTree
            self.devices = devices
        }
    }
    private var deviceTreeCopy: UnsafeMutableRawBufferPointer?

    /// `deviceBytes` > 0 adds a device region, reported as device untyped after the others.
    /// `maxUntypedBits` bounds the size of each boot untyped (`retype` uses the largest).
    /// `kernelWindowOffset` sets `KernelConfiguration.kernelWindowOffset` (physical addresses
    /// are then the host's minus it); `rootServer` boots a root server image (Sv39 only).
    public init(memoryBytes: Int = 8 << 20, rootCNodeBits: Int = 10, fastpath: Bool = true, tracing: Bool = false,
                deviceBytes: Int = 0, maxUntypedBits: Int = 22, paging: PagingModel = .native,
                kernelWindowOffset: Word = 0, rootServer: RootServer? = nil, objectRegistryCapacity: Int = 1 << 16) {
        memory = UnsafeMutableRawPointer.allocate(byteCount: memoryBytes, alignment: 1 << maxUntypedBits)
        self.memoryBytes = memoryBytes
        self.deviceBytes = deviceBytes
        deviceMemory = deviceBytes > 0 ? UnsafeMutableRawPointer.allocate(byteCount: deviceBytes, alignment: 1 << 16) : nil
        var configuration = KernelConfiguration()
        configuration.rootCNodeSizeBits = rootCNodeBits
        configuration.maxUntypedBits = maxUntypedBits
        configuration.objectRegistryCapacity = objectRegistryCapacity
        configuration.paging = paging
        configuration.kernelWindowOffset = kernelWindowOffset
        if let rootServer {
            let start = Word(UInt(bitPattern: memory)), imageEnd = start + Word(rootServer.imagePages) * 4096
            for page in 0..<rootServer.imagePages {
                (memory + page * 4096).initializeMemory(as: UInt8.self, repeating: UInt8(truncatingIfNeeded: page + 1), count: 4096)
            }
            let tree = UnsafeMutableRawBufferPointer.allocate(byteCount: rootServer.deviceTree.count, alignment: 8)
            tree.copyBytes(from: rootServer.deviceTree)
            deviceTreeCopy = tree
            let image = RootServerImage(region: MemoryRegion(start: start, end: imageEnd), virtualStart: rootServer.virtualStart,
                                        entry: rootServer.entry,
                                        deviceTree: rootServer.deviceTree.isEmpty ? nil : UnsafeRawBufferPointer(tree))
            guard let booted = Kernel.boot(configuration: configuration, rootServer: image,
                                           memory: [MemoryRegion(start: imageEnd, end: start + Word(memoryBytes))],
                                           devices: rootServer.devices) else {
                fatalError("the root server's boot failed")
            }
            kernel = booted
        } else {
            kernel = Kernel.boot(configuration: configuration, memory: memory, bytes: memoryBytes,
                                 deviceMemory: deviceMemory, deviceBytes: deviceBytes)
        }
        root = kernel.bootInfo.rootThread!
        // The largest untyped, for `retype`.
        untyped = RootTask(kernel: kernel).memoryUntypeds.first ?? kernel.bootInfo.untypedStart
        kernel.fastpathEnabled = fastpath
        kernel.tracing = tracing
        kernel.observer = self
    }

    deinit {
        memory.deallocate()
        deviceMemory?.deallocate()
        deviceTreeCopy?.deallocate()
    }

    /// Runs `checkObjects()` now, recording a violation like the per-syscall check does.
    public func checkInvariantsNow(_ context: String = "explicit check") {
        if let violation = kernel.checkObjects() { invariantFailures.append("\(context): \(violation)") }
    }

    public func debugPutChar(_ character: UInt8) { output.append(character) }
    public func kernelEvent(_ event: KernelEvent) { events.append(event) }

    public func allocateSlot() -> Word { rootTask.allocateSlot() }

    // MARK: System calls

    /// What a thread's registers (and IPC buffer) hold after a syscall returns to it.
    public struct Registers: Equatable, CustomStringConvertible {
        public var badge: Word
        public var info: MessageInfo
        public var mr: [Word]
        public var description: String {
            "badge=\(badge) label=\(info.label) len=\(info.length) extraCaps=\(info.extraCaps) unwrapped=\(info.capsUnwrapped) mr=\(mr)"
        }
    }

    /// Makes `thread` the current thread if it is not (as a timer preemption would), then
    /// performs system call `syscall` with the given registers; message words beyond four go
    /// in its IPC buffer. Returns the thread the kernel chose to run next.
    @discardableResult
    public func syscall(_ call: Syscall, by thread: Thread, cap: Word = 0, info: MessageInfo = MessageInfo(label: 0, length: 0),
                        mrs: [Word] = [], extraCaps: [Word] = []) -> Thread? {
        syscall(number: call.rawValue, by: thread, cap: cap, info: info, mrs: mrs, extraCaps: extraCaps)
    }

    @discardableResult
    public func syscall(number: Int, by thread: Thread, cap: Word = 0, info: MessageInfo = MessageInfo(label: 0, length: 0),
                        mrs: [Word] = [], extraCaps: [Word] = []) -> Thread? {
        guard loadSyscallRegisters(by: thread, cap: cap, info: info, mrs: mrs, extraCaps: extraCaps) else {
            return kernel.currentThread
        }
        let next = kernel.handleSyscall(number)
        if checksInvariantsAfterSyscalls, let violation = kernel.checkObjects() {
            invariantFailures.append("after syscall \(number): \(violation)")
        }
        return next
    }

    /// Makes `thread` current if it is not (as a timer preemption would) and loads its
    /// registers and IPC buffer as user code does before a syscall instruction. False (and an
    /// invariant failure recorded) if the thread cannot run.
    @discardableResult
    public func loadSyscallRegisters(by thread: Thread, cap: Word, info: MessageInfo, mrs: [Word], extraCaps: [Word]) -> Bool {
        if kernel.currentThread != thread {
            guard kernel.preempt(to: thread) else {
                invariantFailures.append("syscall by a thread that cannot run (state \(thread.state))")
                return false
            }
        }
        thread[register: RegisterFile.capRegister] = cap
        thread[register: RegisterFile.msgInfoRegister] = info.rawValue
        for (i, word) in mrs.enumerated() {
            if i < 4 { thread.setMessageRegister(i, word) } else { bufferWords(of: thread)?[i + 1] = word }
        }
        for (i, cptr) in extraCaps.enumerated() { bufferWords(of: thread)?[Constants.ipcBufferCapsOrBadges + i] = cptr }
        thread[register: RegisterFile.faultIP] = Self.syscallAddress
        thread[register: RegisterFile.pc] = Self.syscallAddress + RegisterFile.syscallInstructionBytes
        return true
    }

    /// Every byte of the memory the kernel was booted over (its tables and every object),
    /// then the device region: equal snapshots mean no kernel object, slot, CDT link or queue
    /// changed.
    public func memorySnapshot() -> [UInt8] {
        var bytes = Array(UnsafeRawBufferPointer(start: memory, count: memoryBytes))
        if let deviceMemory { bytes += UnsafeRawBufferPointer(start: deviceMemory, count: deviceBytes) }
        return bytes
    }

    /// The registers a thread sees now (badge, tag, MR0..MR(n-1), from its buffer beyond 4).
    public func registers(of thread: Thread, words: Int? = nil) -> Registers {
        let info = MessageInfo(rawValue: thread[register: RegisterFile.msgInfoRegister])
        let count = words ?? Int(info.length)
        var mrs: [Word] = []
        for i in 0..<count {
            if i < 4 { mrs.append(thread.messageRegister(i)) } else { mrs.append(bufferWords(of: thread)?[i + 1] ?? 0) }
        }
        return Registers(badge: thread[register: RegisterFile.badgeRegister], info: info, mr: mrs)
    }

    /// Whether the thread is back from its syscall (rather than restarting it).
    public func isRestarting(_ thread: Thread) -> Bool {
        thread[register: RegisterFile.pc] == thread[register: RegisterFile.faultIP]
    }

    /// The thread's IPC buffer words, if it has a buffer at its configured address.
    public func bufferWords(of thread: Thread) -> UnsafeMutablePointer<Word>? {
        guard thread.ipcBufferAddress != 0, thread.slot(.ipcBuffer).cap.type == .frame else { return nil }
        return UnsafeMutablePointer(bitPattern: UInt(thread.ipcBufferKernelAddress))
    }

    // MARK: Root-task helpers (real invocations, checked)

    /// Calls a kernel object as the root thread and returns the reply.
    @discardableResult
    public func invoke(_ cap: Word, label: InvocationLabel, args: [Word], extraCaps: [Word] = [], by thread: Thread? = nil) -> Registers {
        invoke(cap, label: label.rawValue, args: args, extraCaps: extraCaps, by: thread)
    }

    @discardableResult
    public func invoke(_ cap: Word, label: Word, args: [Word], extraCaps: [Word] = [], by thread: Thread? = nil) -> Registers {
        let caller = thread ?? root
        syscall(.call, by: caller, cap: cap,
                info: MessageInfo(label: label, extraCaps: Word(extraCaps.count), length: Word(args.count)),
                mrs: args, extraCaps: extraCaps)
        return registers(of: caller)
    }

    /// `seL4_Untyped_Retype` into the root CNode; returns the first slot.
    @discardableResult
    public func retype(_ type: Word, size: Word = 0, count: Word = 1, into slot: Word? = nil) -> (error: Word, slot: Word) {
        let dest = slot ?? nextFreeSlot
        if slot == nil { rootTask.nextSlot += count }
        return (rootTask.retype(type, size: size, count: count, from: untyped, at: dest).label, dest)
    }

    public func make(_ type: Word, size: Word = 0) -> Word {
        let (error, slot) = retype(type, size: size)
        if error != 0 { invariantFailures.append("retype of type \(type) failed with \(error)") }
        return slot
    }

    /// `seL4_CNode_Mint` within the root CNode.
    @discardableResult
    public func mint(_ source: Word, rights: CapRights = .all, badge: Word, into dest: Word? = nil) -> (error: Word, slot: Word) {
        let slot = dest ?? allocateSlot()
        return (rootTask.mint(slot, from: source, rights: rights, data: badge).label, slot)
    }

    @discardableResult
    public func copy(_ source: Word, rights: CapRights = .all, into dest: Word? = nil) -> (error: Word, slot: Word) {
        let slot = dest ?? allocateSlot()
        return (rootTask.copy(slot, from: source, rights: rights).label, slot)
    }

    /// The cap in a root-CNode slot.
    public func capability(at slot: Word) -> Capability { rootTask.capability(at: slot) }

    public func thread(at slot: Word) -> Thread { rootTask.thread(at: slot)! }

    /// A new thread sharing the root CSpace, with its own IPC buffer (unless `ipcBuffer` is
    /// false), at `priority`, resumed (runnable). Returns its TCB slot and thread.
    public func spawn(priority: Int = 100, ipcBuffer: Bool = true, faultHandler: Word = 0, name: String? = nil,
                      cspaceRoot: Word = Word(InitialSlot.cnode), cspaceData: Word = 0) -> (slot: Word, thread: Thread) {
        let tcb = make(ObjectType.thread)
        var bufferAddress: Word = 0
        var frame: Word = Word(InitialSlot.ipcBuffer)
        if ipcBuffer {
            frame = make(ObjectType.smallPage)
            bufferAddress = capability(at: frame).address
        }
        let r = rootTask.configure(tcb, faultHandler: faultHandler, cspace: cspaceRoot, cspaceData: cspaceData,
                                   bufferAddress: bufferAddress, bufferFrame: frame)
        if r.error != nil { invariantFailures.append("Configure failed: \(r)") }
        let p = rootTask.setPriority(tcb, Word(priority))
        if p.error != nil { invariantFailures.append("SetPriority failed: \(p)") }
        let thread = self.thread(at: tcb)
        rootTask.resume(tcb)
        if let name {
            let bytes = Array(name.utf8)
            bytes.withUnsafeBufferPointer { thread.setName($0) }
        }
        return (tcb, thread)
    }
}

// MARK: - IPC, reply and fault test helpers

extension TestSystem {
    /// Stops the root task (`seL4_TCB_Suspend` on its own TCB): it stops and another thread is
    /// chosen. After this, root-task helpers (`invoke` without `by:`, `mint`, `spawn`...) can no
    /// longer be used, so do all setup first.
    public func suspendRootTask() {
        invoke(Word(InitialSlot.thread), label: .tcbSuspend, args: [])
    }

    /// `seL4_SetCapReceivePath`: words 125..127 of `thread`'s IPC buffer (IPCBUF-1).
    public func setCapReceivePath(of thread: Thread, cnode: Word = Word(InitialSlot.cnode), index: Word, depth: Word = 64) {
        guard let words = bufferWords(of: thread) else { return }
        words[Constants.ipcBufferReceiveCNode] = cnode
        words[Constants.ipcBufferReceiveIndex] = index
        words[Constants.ipcBufferReceiveDepth] = depth
    }

    /// `seL4_CNode_SaveCaller` made by `thread` on the root CNode; returns the reply's label.
    @discardableResult
    public func saveCaller(by thread: Thread, into slot: Word) -> Word {
        invoke(Word(InitialSlot.cnode), label: .cnodeSaveCaller, args: [slot, 64], by: thread).info.label
    }

    /// `seL4_CNode_Delete` of a root-CNode slot, made by `thread` (default: the root task).
    @discardableResult
    public func deleteSlot(_ slot: Word, by thread: Thread? = nil) -> Word {
        invoke(Word(InitialSlot.cnode), label: .cnodeDelete, args: [slot, 64], by: thread).info.label
    }

    /// `seL4_TCB_Suspend` / `seL4_TCB_Resume` on the TCB cap in `tcb`, made by `thread`.
    @discardableResult
    public func suspendThread(_ tcb: Word, by thread: Thread? = nil) -> Word {
        invoke(tcb, label: .tcbSuspend, args: [], by: thread).info.label
    }

    @discardableResult
    public func resumeThread(_ tcb: Word, by thread: Thread? = nil) -> Word {
        invoke(tcb, label: .tcbResume, args: [], by: thread).info.label
    }

    /// `seL4_TCB_BindNotification(tcb, ntfn)`; returns the reply's label.
    @discardableResult
    public func bindNotification(_ tcb: Word, _ notification: Word, by thread: Thread? = nil) -> Word {
        invoke(tcb, label: .tcbBindNotification, args: [], extraCaps: [notification], by: thread).info.label
    }

    /// A user-level fault (exception, VM fault) taken by `thread`: makes it current as a timer
    /// preemption would, then `Kernel.handleUserFault`; invariants are checked afterwards.
    @discardableResult
    public func userFault(_ fault: Fault, by thread: Thread) -> Thread? {
        if kernel.currentThread != thread {
            guard kernel.preempt(to: thread) else {
                invariantFailures.append("fault by a thread that cannot run (state \(thread.state))")
                return kernel.currentThread
            }
        }
        let next = kernel.handleUserFault(fault)
        if let violation = kernel.checkObjects() {
            invariantFailures.append("after user fault: \(violation)")
        }
        return next
    }
}

extension TestSystem.Registers {
    /// Expected register contents, for comparing with `registers(of:)`.
    public init(badge: Word, info: MessageInfo, words: [Word]) {
        self.badge = badge
        self.info = info
        self.mr = words
    }
}
