import SeL4ABI

/// The root task's side of building a system, as seL4's capDL loader does it: real invocations
/// made as the root thread, through the path a user's `seL4_Call` takes, with the root CNode's
/// empty slots handed out in order. The hosted system loader, the RISC-V loader, the test
/// platform and the fuzzer all build their systems with it; none computes a slot address.
///
/// Every method returns the kernel's reply; what a failure means (a loader error, a test
/// failure, an expected fuzz outcome) is the caller's to decide.
public struct RootTask {
    /// How an invocation reaches the kernel: `cptr`, label, message words, extra-cap CPtrs.
    public typealias Invoker = (_ cptr: Word, _ label: Word, _ arguments: [Word], _ extraCaps: [Word]) -> InvocationReply

    public let kernel: Kernel
    /// The root thread, which must be the current thread whenever an invocation is made.
    public let root: Thread
    /// The next empty root-CNode slot `allocateSlot()` hands out.
    public var nextSlot: Word
    let invoker: Invoker

    public static let rootCNode = Word(InitialSlot.cnode)
    public static let rootTCB = Word(InitialSlot.thread)
    public static let rootVSpace = Word(InitialSlot.vspace)
    /// Every slot is addressed at full depth: the root CNode's guard covers the other bits.
    public static let fullDepth = Word(Constants.wordBits)

    /// Invocations through `Kernel.invoke(as:)`, restarting at `syscallAddress`.
    public init(kernel: Kernel, syscallAddress: Word = 0) {
        let root = kernel.bootInfo.rootThread!
        self.init(kernel: kernel) { cptr, label, arguments, extraCaps in
            kernel.invoke(as: root, cptr, label: label, arguments: arguments, extraCaps: extraCaps,
                          syscallAddress: syscallAddress)
        }
    }

    /// Invocations through `invoker` (the test platform's checks invariants after each).
    public init(kernel: Kernel, invoker: @escaping Invoker) {
        self.kernel = kernel
        root = kernel.bootInfo.rootThread!
        nextSlot = kernel.bootInfo.emptyStart
        self.invoker = invoker
    }

    // MARK: Invocations and slots

    @discardableResult
    public func invoke(_ cptr: Word, _ label: InvocationLabel, _ arguments: [Word], caps: [Word] = []) -> InvocationReply {
        invoker(cptr, label.rawValue, arguments, caps)
    }

    @discardableResult
    public func invoke(_ cptr: Word, label: Word, _ arguments: [Word], caps: [Word] = []) -> InvocationReply {
        invoker(cptr, label, arguments, caps)
    }

    public mutating func allocateSlot() -> Word {
        nextSlot += 1
        return nextSlot - 1
    }

    /// The cap in slot `slot` of the root CNode (null past its end).
    public func capability(at slot: Word) -> Capability {
        root.slot(.cspace).cap.cnodeSlot(slot)?.cap ?? .null
    }

    /// The thread a TCB cap in the root CNode names.
    public func thread(at slot: Word) -> Thread? {
        let cap = capability(at: slot)
        return cap.type == .thread ? Thread(address: cap.address) : nil
    }

    /// The boot untypeds that are not device memory, largest first (slot order among equals).
    public var memoryUntypeds: [Word] {
        let facts = kernel.bootInfo
        var slots: [Word] = []
        for slot in facts.untypedStart..<facts.untypedEnd where !capability(at: slot).untypedIsDevice { slots.append(slot) }
        // An insertion sort: stable, so equal sizes stay in slot order (Swift's sort is not).
        var i = 1
        while i < slots.count {
            var j = i
            while j > 0 && capability(at: slots[j - 1]).untypedSizeBits < capability(at: slots[j]).untypedSizeBits {
                slots.swapAt(j - 1, j)
                j -= 1
            }
            i += 1
        }
        return slots
    }

    // MARK: Objects

    /// `seL4_Untyped_Retype(untyped, type, size, cnode, 0, 0, slot, count)`: `count` objects
    /// into `cnode` (a root-CNode slot holding a CNode cap, at depth 0) from index `slot`.
    @discardableResult
    public func retype(_ type: Word, size: Word = 0, count: Word = 1, from untyped: Word,
                       into cnode: Word = RootTask.rootCNode, at slot: Word) -> InvocationReply {
        invoke(untyped, .untypedRetype, [type, size, 0, 0, slot, count], caps: [cnode])
    }

    /// One object of `type` in the next root slot, from the first memory untyped with room.
    /// On failure, the reply of the first untyped that refused for a reason other than
    /// NotEnoughMemory, else the last NotEnoughMemory.
    public mutating func make(_ type: Word, size: Word = 0) -> Result<Word, InvocationFailureReply> {
        make(type, size: size, count: 1)
    }

    /// `count` objects of `type` from one untyped, so contiguous in memory, in consecutive
    /// root slots; returns the first slot.
    public mutating func make(_ type: Word, size: Word = 0, count: Word) -> Result<Word, InvocationFailureReply> {
        var last = InvocationReply(label: ErrorCode.notEnoughMemory.rawValue, words: [0])
        for untyped in memoryUntypeds {
            let reply = retype(type, size: size, count: count, from: untyped, at: nextSlot)
            if reply.error == nil {
                let first = nextSlot
                nextSlot += count
                return .success(first)
            }
            last = reply
            if reply.error != .notEnoughMemory { break }
        }
        return .failure(InvocationFailureReply(reply: last))
    }

    // MARK: Caps

    /// `seL4_CNode_Mint` into slot `index` of `cnode` (a root-CNode slot) at `depth`, from a
    /// root-CNode slot.
    @discardableResult
    public func mint(into cnode: Word = RootTask.rootCNode, _ index: Word, depth: Word = RootTask.fullDepth,
                     from source: Word, rights: CapRights = .all, data: Word) -> InvocationReply {
        invoke(cnode, .cnodeMint, [index, depth, source, RootTask.fullDepth, rights.rawValue, data], caps: [RootTask.rootCNode])
    }

    /// `seL4_CNode_Copy` into slot `index` of `cnode` at `depth`, from a root-CNode slot.
    @discardableResult
    public func copy(into cnode: Word = RootTask.rootCNode, _ index: Word, depth: Word = RootTask.fullDepth,
                     from source: Word, rights: CapRights = .all) -> InvocationReply {
        invoke(cnode, .cnodeCopy, [index, depth, source, RootTask.fullDepth, rights.rawValue], caps: [RootTask.rootCNode])
    }

    /// A root-CNode copy of `source` minted with `data` (a badge or CNode guard) into the next
    /// slot; returns the slot.
    public mutating func mint(_ source: Word, rights: CapRights = .all, data: Word) -> Result<Word, InvocationFailureReply> {
        let reply = mint(nextSlot, from: source, rights: rights, data: data)
        if reply.error != nil { return .failure(InvocationFailureReply(reply: reply)) }
        return .success(allocateSlot())
    }

    // MARK: Threads

    /// `seL4_TCB_Configure(tcb, faultHandler, cspace, cspaceData, vspace, 0, bufferAddress, bufferFrame)`.
    @discardableResult
    public func configure(_ tcb: Word, faultHandler: Word = 0, cspace: Word, cspaceData: Word = 0,
                          vspace: Word = RootTask.rootVSpace, bufferAddress: Word, bufferFrame: Word) -> InvocationReply {
        invoke(tcb, .tcbConfigure, [faultHandler, cspaceData, 0, bufferAddress], caps: [cspace, vspace, bufferFrame])
    }

    /// `seL4_TCB_SetPriority(tcb, authority, priority)`.
    @discardableResult
    public func setPriority(_ tcb: Word, _ priority: Word, authority: Word = RootTask.rootTCB) -> InvocationReply {
        invoke(tcb, .tcbSetPriority, [priority], caps: [authority])
    }

    /// `seL4_TCB_WriteRegisters(tcb, resume, 0, count, context)`.
    @discardableResult
    public func writeRegisters(_ tcb: Word, resume: Bool = false, _ context: [Word]) -> InvocationReply {
        invoke(tcb, .tcbWriteRegisters, [resume ? 1 : 0, Word(context.count)] + context)
    }

    /// A user context (`seL4_UserContext`) with pc, sp and the first argument registers set.
    public static func context(pc: Word, sp: Word, arguments: [Word] = []) -> [Word] {
        var context = [Word](repeating: 0, count: RegisterFile.userContextWords)
        context[RegisterFile.pc] = pc
        context[RegisterFile.sp] = sp
        for (i, value) in arguments.enumerated() { context[RegisterFile.argumentRegister(i)] = value }
        return context
    }

    @discardableResult
    public func resume(_ tcb: Word) -> InvocationReply { invoke(tcb, .tcbResume, []) }

    @discardableResult
    public func suspend(_ tcb: Word) -> InvocationReply { invoke(tcb, .tcbSuspend, []) }

    /// `seL4_TCB_BindNotification(tcb, notification)`.
    @discardableResult
    public func bindNotification(_ tcb: Word, _ notification: Word) -> InvocationReply {
        invoke(tcb, .tcbBindNotification, [], caps: [notification])
    }

    /// Resumes `tcbs` so that they first run in the given order (a resumed thread goes to the
    /// head of its ready queue, SCHED-5), then suspends the root task, which stops here.
    public func start(_ tcbs: [Word]) {
        for tcb in tcbs.reversed() { resume(tcb) }
        suspend(RootTask.rootTCB)
    }
}

/// A refused root-task invocation's reply, as an `Error` for typed throws.
public struct InvocationFailureReply: Error {
    public let reply: InvocationReply
}

extension Capability {
    /// Slot `index` of the CNode this cap names; nil if it is not a CNode cap or the index is
    /// past the CNode's end.
    public func cnodeSlot(_ index: Word) -> Slot? {
        guard type == .cnode, index < (Word(1) << Word(cnodeRadix)) else { return nil }
        return Slot.at(base: address, index: Int(index))
    }
}
