import KernelCore
import KernelTestSupport

/// What the reference model allows after a step (the caller's side).
enum Expectation {
    /// The CPtr (or an extra cap's) does not resolve on a blocking call: a cap fault, or an
    /// unknown-syscall fault (FAULT-1..3, ERR-3).
    case fault
    /// Nothing visible happens to the caller: it stays Running.
    case running
    /// A Call to a kernel object: Running with an `seL4_Error` or success reply (ERR-2), or, for
    /// the invocations that can stop their own caller, Inactive.
    case kernelReply(cap: Capability, label: Word, args: [Word], mayStop: Bool)
    /// A Call answered by the kernel with an empty success reply (Signal, reply-cap invocation).
    case emptySuccess
    /// A Call's error reply decided by the reference: code and MR0.
    case error(ErrorCode, mr0: Word?)
    /// The caller ends in one of these states.
    case states([ThreadState])
    /// DebugCapIdentify: the cap register holds a non-zero tag iff the CPtr names a cap.
    case capTag(nonZero: Bool)
}

extension FuzzRun {
    // MARK: Reference lookup (LOOKUP-1, LOOKUP-2), written from the spec

    /// `resolveAddressBits` from `root` over the low `bits` bits of `cptr`: the slot's cap, or
    /// nil if the lookup fails.
    func referenceResolve(_ root: Capability, _ cptr: Word, bits: Int) -> Capability? {
        guard root.type == .cnode else { return nil }
        var node = root
        var left = bits
        while true {
            let guardBits = node.cnodeGuardSize, radix = node.cnodeRadix
            if guardBits > left { return nil }
            let guardValue: Word = guardBits == 0 ? 0 : (cptr >> Word(left - guardBits)) & mask(guardBits)
            if guardValue != node.cnodeGuard { return nil }
            if guardBits + radix > left { return nil }
            let index = (cptr >> Word(left - guardBits - radix)) & mask(radix)
            let cap = node.cnodeSlot(index)?.cap ?? .null
            left -= guardBits + radix
            if left == 0 || cap.type != .cnode { return cap }
            node = cap
        }
    }

    func mask(_ bits: Int) -> Word { bits >= 64 ? ~0 : (1 << Word(bits)) - 1 }

    /// `lookupSlot` in `thread`'s CSpace at depth 64; nil: lookup failure.
    func referenceLookup(_ thread: Thread, _ cptr: Word) -> Capability? {
        referenceResolve(thread.slot(.cspace).cap, cptr, bits: 64)
    }

    // MARK: Random values

    /// CPtrs that name a non-empty slot in `thread`'s CSpace, among the shapes the systems
    /// are built with; recomputed every 32 steps.
    func resolvingCPtrs(_ thread: Thread) -> [Word] {
        if let i = cptrCache.firstIndex(where: { $0.thread == thread }), step - cptrCache[i].step < 32 {
            return cptrCache[i].cptrs
        }
        var list: [Word] = []
        var shapes: [Word] = (0..<256).map { Word($0) }
        for i in 0..<16 { for j in 0..<4 { shapes.append(Word(i) << 8 | Word(j)) } }
        for i in 0..<8 { for j in 0..<4 { shapes.append(Self.bGuard << 59 | Word(i) << 56 | Word(j)) } }
        for c in shapes {
            if let cap = referenceLookup(thread, c), !cap.isNull { list.append(c) }
        }
        cptrCache.removeAll { $0.thread == thread }
        cptrCache.append((thread, step, list))
        return list
    }

    /// A CPtr naming a cap of one of `types` in the current thread's CSpace, if there is one.
    func typedCPtr(_ types: [CapType], rights: CapRights = []) -> Word? {
        guard let thread = cptrThread else { return nil }
        let list = resolvingCPtrs(thread).filter { c in
            referenceLookup(thread, c).map { types.contains($0.type) && ($0.type == .reply || $0.rights.contains(rights)) } ?? false
        }
        return list.isEmpty ? nil : rng.pick(list)
    }

    func randomCPtr() -> Word {
        if let thread = cptrThread, rng.chance(75) {
            let list = resolvingCPtrs(thread)
            if !list.isEmpty { return rng.pick(list) }
        }
        switch rng.below(11) {
        case 0, 1, 2: return Word(rng.below(24))
        case 3: return Word(rng.below(16)) << 8 | Word(rng.below(4))
        case 4: return Self.bGuard << 59 | Word(rng.below(8)) << 56 | Word(rng.below(4))
        case 5, 6: return objectSlots.isEmpty ? 0 : rng.pick(objectSlots)
        case 7: return rng.next()
        case 8: return Word(rng.below(32)) << 59 | Word(rng.below(8)) << 56 | Word(rng.below(4))
        case 9: return Word(rng.below(24)) | Word(1) << Word(rng.below(64))
        default: return Word(rng.below(256))
        }
    }

    func randomDepth() -> Word {
        switch rng.below(8) {
        case 0: return Word(rng.inRange(0...70))
        case 1: return Word(rng.pick([0, 1, 2, 3, 4, 5, 6, 8]))
        case 2: return Word(rng.pick([52, 56, 58, 59, 60, 61, 62, 63]))
        case 3: return Word(rng.pick([2, 3, 4, 8]))
        default: return 64
        }
    }

    /// An index/depth pair for a CNode operation on a CNode cap named by `randomCPtr`.
    func randomIndexAndDepth() -> (Word, Word) {
        let depth = randomDepth()
        let index: Word
        switch rng.below(4) {
        case 0: index = rng.next()
        case 1: index = randomCPtr()
        default: index = Word(rng.below(20))
        }
        return (index, depth)
    }

    func randomPriority() -> Word { Word(rng.chance(80) ? rng.inRange(0...255) : rng.inRange(0...300)) }

    func randomWord() -> Word {
        switch rng.below(4) {
        case 0: return Word(rng.below(8))
        case 1: return rng.next()
        case 2: return objectSlots.isEmpty ? 0 : rng.pick(objectSlots)
        default: return Word(rng.below(300))
        }
    }

    /// A virtual address for the Map invocations: aligned and misaligned user addresses
    /// at every level, the top of user space and beyond, and anything.
    func randomVirtualAddress() -> Word {
        switch rng.below(6) {
        case 0: return Word(rng.below(4)) << 30 | Word(rng.below(4)) << 21 | Word(rng.below(4)) << 12
        case 1: return rng.pick([0x40_0000, 0x40_1000, 0x60_0000, 0x4000_0000, 0x20_0000, 0])
        case 2 where paging == .x86_64:
            // Around x86_64's USER_TOP, across PML4 entries, and the top of the address space.
            return rng.pick([0xA0_0000_0000, 0xA0_0020_0000, 0x7FFF_FFFF_F000, 0x7FFF_FFFF_E000, 0x8000_0000_0000,
                             0x80_0000_0000 | Word(rng.below(4)) << 30, ~0xFFF])
        case 2: return rng.pick([0x40_0800, 0x3F_FFFF_F000, 0x3F_FFFF_E000, 0x40_0000_0000, 0x8000_0000])
        case 3: return Word(rng.below(1 << 20)) << 12
        default: return rng.chance(50) ? rng.next() : Word(rng.below(1 << 12)) << 21
        }
    }

    /// The frame GetAddress label of the kernel's paging model.
    var getAddressLabel: Word {
        switch paging {
        case .sv39: Sv39Label.pageGetAddress
        case .x86_64: X86Label.pageGetAddress
        case .identity: Kernel.pageGetAddressLabel
        }
    }

    /// The paging labels the kernel's model decodes (none for identity paging).
    var pagingLabels: ClosedRange<Word>? {
        switch paging {
        case .sv39: Sv39Label.all
        case .x86_64: X86Label.all
        case .identity: nil
        }
    }

    func isPagingLabel(_ label: Word) -> Bool { pagingLabels?.contains(label) ?? false }

    /// The kind of cap a paging label invokes.
    func pagingTarget(_ label: Word) -> CapType {
        switch (paging, label) {
        case (.sv39, Sv39Label.pageTableMap), (.sv39, Sv39Label.pageTableUnmap): .pageTable
        case (.sv39, Sv39Label.asidControlMakePool): .asidControl
        case (.sv39, Sv39Label.asidPoolAssign): .asidPool
        case (.x86_64, X86Label.pdptMap...X86Label.pageTableUnmap): .pageTable
        case (.x86_64, X86Label.asidControlMakePool): .asidControl
        case (.x86_64, X86Label.asidPoolAssign): .asidPool
        default: .frame
        }
    }

    func randomObjectType() -> Word {
        rng.chance(85) ? Word(rng.pick([0, 1, 2, 3, 4, Int(ObjectType.smallPage), Int(ObjectType.smallPage), rng.below(Int(ObjectType.count))]))
            : Word(rng.inRange(0...Int(ObjectType.count) + 3))
    }

    func randomObjectSize(_ type: Word) -> Word {
        switch rng.below(10) {
        case 0: return Word(rng.inRange(0...70))
        case 1: return Word(rng.inRange(7...20))
        default: return type == ObjectType.untyped ? Word(rng.inRange(4...12)) : Word(rng.inRange(0...6))
        }
    }

    /// A frame address a thread's buffer could use: a frame's address plus a (mis)aligned
    /// offset, or 0; never an address outside a frame the cap names.
    func randomBufferAddress(frameCPtr: Word, thread: Thread) -> Word {
        if rng.chance(10) { return 0 }
        guard let cap = referenceLookup(thread, frameCPtr), cap.type == .frame else {
            return Word(rng.below(4)) << 10
        }
        let offset = Word(rng.below(4)) << 10 + (rng.chance(10) ? 8 : 0)
        return cap.address + offset
    }

    // MARK: One operation

    func randomOperation(by thread: Thread) {
        events.removeAll(keepingCapacity: true)
        cptrThread = thread
        // seL4_SetCapReceivePath (IPCBUF-1): words 125..127 of the buffer.
        if let words = userBuffer(of: thread), rng.chance(40) {
            let (index, depth) = randomIndexAndDepth()
            words[Constants.ipcBufferReceiveCNode] = randomCPtr()
            words[Constants.ipcBufferReceiveIndex] = index
            words[Constants.ipcBufferReceiveDepth] = depth
        }
        let number: Int
        switch rng.below(100) {
        case 0..<32: number = Syscall.call.rawValue
        case 32..<44: number = Syscall.send.rawValue
        case 44..<50: number = Syscall.nbSend.rawValue
        case 50..<63: number = Syscall.recv.rawValue
        case 63..<69: number = Syscall.nbRecv.rawValue
        case 69..<75: number = Syscall.reply.rawValue
        case 75..<88: number = Syscall.replyRecv.rawValue
        case 88..<92: number = Syscall.yield.rawValue
        case 92..<95: number = rng.pick([-20, 7, 0, -15, 1, 100, Int(Int32.min), Int.max])
        default: number = rng.pick([-9, -10, -11, -12, -12, -13, -14])
        }
        var cptr = randomCPtr()
        var label: Word
        var args: [Word] = []
        var caps: [Word] = []
        if number == Syscall.call.rawValue || number == Syscall.send.rawValue || number == Syscall.nbSend.rawValue,
           rng.chance(55) {
            (label, args, caps) = randomInvocation(thread)
            if rng.chance(70), let objectCPtr = objectCPtr(for: label, thread) { cptr = objectCPtr }
        } else {
            if rng.chance(88) {
                let types: [CapType] = number == Syscall.call.rawValue || number == Syscall.send.rawValue || number == Syscall.nbSend.rawValue
                    ? [.endpoint, .endpoint, .notification, .reply] : [.endpoint, .endpoint, .notification]
                let isSend = types.contains(.reply)
                if let c = typedCPtr(types, rights: rng.chance(90) ? (isSend ? .write : .read) : []) { cptr = c }
            }
            label = rng.chance(50) ? Word(rng.below(30)) : rng.next() & MessageInfo.labelMask
            let length = rng.chance(80) ? rng.below(10) : rng.below(128)
            args = (0..<min(length, Constants.msgMaxLength)).map { _ in randomWord() }
            caps = rng.chance(50) ? [] : (0..<rng.inRange(1...3)).map { _ in randomCPtr() }
        }
        var length = Word(args.count)
        var extraCount = Word(caps.count)
        if rng.chance(10) { length = Word(rng.below(128)) }
        if rng.chance(5) { extraCount = Word(rng.below(4)) }
        let info = MessageInfo(label: label, capsUnwrapped: rng.chance(5) ? Word(rng.below(8)) : 0,
                               extraCaps: extraCount, length: length)
        step(number, by: thread, cptr: cptr, info: info, args: args, caps: caps)
    }

    /// A CPtr likely to name the kind of object `label` invokes, in `thread`'s CSpace.
    func objectCPtr(for label: Word, _ thread: Thread) -> Word? {
        let wanted: CapType
        switch InvocationLabel(rawValue: label) {
        case .untypedRetype: wanted = .untyped
        case .some(let l) where l.rawValue >= 2 && l.rawValue <= 16: wanted = .thread
        case .some(let l) where l.rawValue >= InvocationLabel.cnodeRevoke.rawValue
                                && l.rawValue <= InvocationLabel.cnodeSaveCaller.rawValue: wanted = .cnode
        default:
            if label == getAddressLabel {
                wanted = .frame
            } else if isPagingLabel(label) {
                wanted = pagingTarget(label)
            } else {
                return nil
            }
        }
        // Try a few random CPtrs for one that names such a cap.
        for _ in 0..<12 {
            let c = randomCPtr()
            if let cap = referenceLookup(thread, c), cap.type == wanted { return c }
        }
        return nil
    }

    func randomInvocation(_ thread: Thread) -> (Word, [Word], [Word]) {
        var labels: [Word] = (1...25).map { Word($0) } + [getAddressLabel, getAddressLabel, 0,
                                                          Word(rng.inRange(26...60)), rng.next() & MessageInfo.labelMask]
        if let paging = pagingLabels {
            labels += Array(paging) + Array(paging)
            labels += self.paging == .sv39 ? [Sv39Label.pageMap, Sv39Label.pageTableMap]
                : [X86Label.pageMap, X86Label.pageMap, X86Label.pdptMap, X86Label.pageDirectoryMap, X86Label.pageTableMap]
        }
        let label = rng.pick(labels)
        var args: [Word] = []
        var caps: [Word] = []
        if isPagingLabel(label) {
            let vspace = rng.chance(75) && !vspaceSlots.isEmpty ? rng.pick(vspaceSlots) : randomCPtr()
            let attributes = rng.chance(80) ? Word(rng.below(paging == .x86_64 ? 8 : 2)) : rng.next()
            switch (paging, label) {
            case (.sv39, Sv39Label.pageTableMap), (.x86_64, X86Label.pdptMap), (.x86_64, X86Label.pageDirectoryMap),
                 (.x86_64, X86Label.pageTableMap):
                args = [randomVirtualAddress(), attributes]
                caps = [vspace]
            case (.sv39, Sv39Label.pageMap), (.x86_64, X86Label.pageMap):
                args = [randomVirtualAddress(), randomRights().rawValue, attributes]
                caps = [vspace]
            case (.sv39, Sv39Label.asidControlMakePool), (.x86_64, X86Label.asidControlMakePool):
                let (index, depth) = randomIndexAndDepth()
                args = [index, depth]
                caps = [randomCPtr(), rng.chance(60) ? Word(InitialSlot.cnode) : randomCPtr()]
            case (.sv39, Sv39Label.asidPoolAssign), (.x86_64, X86Label.asidPoolAssign):
                caps = [randomCPtr()]
            default:
                break
            }
            if rng.chance(8), !args.isEmpty { args.removeLast(rng.inRange(1...args.count)) }
            if rng.chance(5), !caps.isEmpty { caps.removeLast() }
            return (label, args, caps)
        }
        switch InvocationLabel(rawValue: label) {
        case .untypedRetype:
            let type = randomObjectType()
            let (index, depth) = rng.chance(60) ? (0, 0) : randomIndexAndDepth()
            let window = rng.chance(80) ? Word(rng.inRange(1...3)) : Word(rng.pick([0, 4, 16, 256, 257, 300]))
            args = [type, randomObjectSize(type), index, depth, Word(rng.below(20)), window]
            caps = [randomCPtr()]
        case .cnodeCopy, .cnodeMint, .cnodeMove, .cnodeMutate:
            let (di, dd) = randomIndexAndDepth(), (si, sd) = randomIndexAndDepth()
            var data = randomBadge()
            if rng.chance(40) { data = CNodeCapData(guard: Word(rng.below(4)), guardSize: Word(rng.below(64))).rawValue }
            args = [di, dd, si, sd, randomRights().rawValue, data]
            caps = [randomCPtr()]
        case .cnodeRotate:
            let (di, dd) = randomIndexAndDepth(), (pi, pd) = randomIndexAndDepth(), (si, sd) = randomIndexAndDepth()
            args = [di, dd, randomBadge(), pi, pd, randomBadge(), si, sd]
            caps = [randomCPtr(), randomCPtr()]
        case .cnodeRevoke, .cnodeDelete, .cnodeSaveCaller, .cnodeCancelBadgedSends:
            let (i, d) = randomIndexAndDepth()
            args = [i, d]
        case .tcbConfigure:
            let frame = randomCPtr()
            args = [randomCPtr(), rng.chance(50) ? 0 : CNodeCapData(guard: 0, guardSize: Word(rng.pick([52, 56, 60, rng.below(64)]))).rawValue,
                    0, randomBufferAddress(frameCPtr: frame, thread: thread)]
            caps = [randomCPtr(), rng.chance(70) ? Word(InitialSlot.vspace) : randomCPtr(), frame]
        case .tcbSetSpace:
            args = [randomCPtr(), rng.chance(50) ? 0 : CNodeCapData(guard: 0, guardSize: Word(rng.pick([52, 56, 60, rng.below(64)]))).rawValue, 0]
            caps = [randomCPtr(), rng.chance(70) ? Word(InitialSlot.vspace) : randomCPtr()]
        case .tcbSetIPCBuffer:
            let frame = randomCPtr()
            args = [randomBufferAddress(frameCPtr: frame, thread: thread)]
            caps = [frame]
        case .tcbSetPriority, .tcbSetMCPriority:
            args = [randomPriority()]
            caps = [randomCPtr()]
        case .tcbSetSchedParams:
            args = [randomPriority(), randomPriority()]
            caps = [randomCPtr()]
        case .tcbReadRegisters:
            args = [Word(rng.below(2)), Word(rng.inRange(0...24))]
        case .tcbWriteRegisters:
            let count = rng.inRange(0...24)
            args = [Word(rng.below(2)), Word(count)] + (0..<count).map { _ in rng.chance(30) ? TestSystem.syscallAddress : randomWord() }
        case .tcbCopyRegisters:
            args = [Word(rng.below(16))]
            caps = [randomCPtr()]
        case .tcbBindNotification:
            caps = [randomCPtr()]
        case .tcbSetTLSBase:
            args = [rng.next()]
        default:
            if rng.chance(50) { args = (0..<rng.below(6)).map { _ in randomWord() } }
        }
        if rng.chance(8), !args.isEmpty { args.removeLast(rng.inRange(1...args.count)) }
        if rng.chance(5), !caps.isEmpty { caps.removeLast() }
        return (label, args, caps)
    }

    // MARK: The step and its checks

    func snapshot(_ thread: Thread) -> MessageSnapshot {
        let info = MessageInfo.decodedFromRegister(thread[register: RegisterFile.msgInfoRegister])
        let buffer = buffer(of: thread, receiving: false)
        var words: [Word] = []
        words.reserveCapacity(Int(info.length))
        for i in 0..<Int(info.length) {
            if i < Constants.fastMessageRegisters { words.append(thread.messageRegister(i)) } else if let buffer { words.append(buffer[i + 1]) } else { break }
        }
        let faulted: Bool
        if case .none = thread.fault { faulted = false } else { faulted = true }
        return MessageSnapshot(thread: thread, info: info, words: words, hasSendBuffer: buffer != nil,
                               bufferAddress: buffer.map { Word(UInt(bitPattern: $0)) } ?? 0, faulted: faulted)
    }

    func step(_ number: Int, by thread: Thread, cptr: Word, info: MessageInfo, args: [Word], caps: [Word]) {
        histogram.syscalls[(1...14).contains(-number) ? -number - 1 : 14] += 1
        guard prepareSyscall(by: thread, cap: cptr, info: info, mrs: args, extraCaps: caps) else { return }

        let expectation = expect(number, thread)
        // Senders whose words a delivery in this step may carry: the caller, blocked senders.
        var senders = [snapshot(thread)]
        // Callers waiting on a fault reply get a fault reply (FAULT-7), not a message.
        var faultedCallers: [Thread] = []
        kernel.forEachThread { t in
            if t.state == .blockedOnSend && t != thread { senders.append(snapshot(t)) }
            if t.state == .blockedOnReply, t.fault != .none { faultedCallers.append(t) }
        }

        _ = kernel.handleSyscall(number)
        invariantChecks += 1
        if let problem = kernel.checkObjects() {
            fail("invariant after syscall \(number): \(problem)")
            return
        }
        checkCaller(thread, number, expectation)
        checkEvents(senders, faultedCallers)
    }

    /// The reference model's verdict on the caller, from the state before the call.
    func expect(_ number: Int, _ thread: Thread) -> Expectation {
        let cptr = thread[register: RegisterFile.capRegister]
        let info = MessageInfo.decodedFromRegister(thread[register: RegisterFile.msgInfoRegister])
        let faultStates: Expectation = .fault
        switch Syscall(rawValue: number) {
        case .call, .send, .nbSend:
            let blocking = number != Syscall.nbSend.rawValue
            let isCall = number == Syscall.call.rawValue
            guard let cap = referenceLookup(thread, cptr) else { return blocking ? faultStates : .running }
            // Extra caps (SYS-2 step 4): looked up only with a send buffer.
            let sendBuffer = buffer(of: thread, receiving: false)
            if let sendBuffer {
                for i in 0..<Int(info.extraCaps) where referenceLookup(thread, sendBuffer[Constants.ipcBufferCapsOrBadges + i]) == nil {
                    return blocking ? faultStates : .running
                }
            }
            switch cap.type {
            case .null:
                return isCall ? .error(.invalidCapability, mr0: 0) : .running
            case .endpoint:
                guard cap.rights.contains(.write) else { return isCall ? .error(.invalidCapability, mr0: 0) : .running }
                if isCall { return .states([.blockedOnSend, .blockedOnReply, .inactive]) }
                return blocking ? .states([.blockedOnSend, .running]) : .running
            case .notification:
                guard cap.rights.contains(.write) else { return isCall ? .error(.invalidCapability, mr0: 0) : .running }
                return isCall ? .emptySuccess : .running
            case .reply:
                // A reply cap: the reply is sent and the Call answered with an empty success; a
                // master reply cap (never reachable by CPtr, as it cannot be derived) would be an
                // InvalidCapability error.
                return isCall ? .emptySuccess : .running
            default:
                var length = Int(info.length)
                if length > 4 && sendBuffer == nil { length = 4 }
                var args: [Word] = []
                for i in 0..<length { args.append(i < 4 ? thread.messageRegister(i) : sendBuffer![i + 1]) }
                let l = InvocationLabel(rawValue: info.label)
                let mayStop = (cap.type == .thread && (l == .tcbSuspend || l == .tcbCopyRegisters))
                    || (cap.type == .cnode && (l == .cnodeDelete || l == .cnodeRevoke))
                if isCall { return .kernelReply(cap: cap, label: info.label, args: args, mayStop: mayStop) }
                return mayStop ? .states([.running, .inactive]) : .running
            }
        case .recv, .nbRecv, .replyRecv:
            let blocking = number != Syscall.nbRecv.rawValue
            guard let cap = referenceLookup(thread, cptr) else { return faultStates }
            switch cap.type {
            case .endpoint where cap.rights.contains(.read):
                return blocking ? .states([.blockedOnReceive, .running]) : .running
            case .notification where cap.rights.contains(.read):
                if let bound = system.notificationBoundThread(atAddress: cap.address), bound != thread { return faultStates }
                return blocking ? .states([.blockedOnNotification, .running]) : .running
            default:
                return faultStates
            }
        case .reply, .yield, .debugPutChar, .debugDumpScheduler, .debugHalt, .debugSnapshot, .debugNameThread:
            return .running
        case .debugCapIdentify:
            let cap = referenceLookup(thread, cptr)
            return .capTag(nonZero: cap.map { !$0.isNull } ?? false)
        case .none:
            return faultStates
        }
    }

    func checkCaller(_ thread: Thread, _ number: Int, _ expectation: Expectation) {
        let state = thread.state
        let info = MessageInfo(rawValue: thread[register: RegisterFile.msgInfoRegister])
        let restarting = thread[register: RegisterFile.pc] == thread[register: RegisterFile.faultIP]
        switch expectation {
        case .fault:
            guard state == .inactive || state == .blockedOnSend || state == .blockedOnReply else {
                return fail("syscall \(number): a fault was due but the caller is \(state)")
            }
            if case .none = thread.fault { return fail("syscall \(number): a fault was due but none is recorded") }
        case .running:
            guard state == .running else { return fail("syscall \(number): the caller should still run, but is \(state)") }
        case .states(let allowed):
            guard allowed.contains(state) else { return fail("syscall \(number): the caller is \(state), allowed: \(allowed)") }
        case .emptySuccess:
            guard state == .running, !restarting else { return fail("syscall \(number): the caller should get a reply, but is \(state)") }
            guard info.rawValue == 0, thread[register: RegisterFile.badgeRegister] == 0 else {
                return fail("syscall \(number): expected an empty success reply (ERR-2), got label \(info.label) length \(info.length)")
            }
            histogram.successReplies += 1
        case .error(let code, let mr0):
            guard state == .running, !restarting else { return fail("syscall \(number): the caller should get an error reply, but is \(state)") }
            guard info.label == code.rawValue else {
                return fail("syscall \(number): expected error \(code) (ERR-3), got label \(info.label) length \(info.length)")
            }
            checkErrorReply(thread, info, number)
            if let mr0, info.length >= 1, thread.messageRegister(0) != mr0 {
                fail("syscall \(number): error \(code) with MR0 \(thread.messageRegister(0)), expected \(mr0)")
            }
        case .kernelReply(let cap, let label, let args, let mayStop):
            if state == .inactive && mayStop { return }
            // CopyRegisters into the caller itself gives it the source's restart PC.
            let copiedIntoSelf = cap.type == .thread && cap.address == thread.address
                && label == InvocationLabel.tcbCopyRegisters.rawValue
            guard state == .running, !restarting || copiedIntoSelf else {
                return fail("syscall \(number): a Call to a \(cap.type) cap (label \(label)) left the caller \(state)\(restarting ? " restarting" : "")")
            }
            if info.label == 0 {
                checkSuccessReply(thread, info, cap: cap, label: label, args: args)
            } else {
                checkErrorReply(thread, info, number)
                checkDecodeError(info, cap: cap, label: label, args: args)
            }
        case .capTag(let nonZero):
            guard state == .running else { return fail("DebugCapIdentify left the caller \(state)") }
            if (thread[register: RegisterFile.capRegister] != 0) != nonZero {
                fail("DebugCapIdentify returned tag \(thread[register: RegisterFile.capRegister]), reference says \(nonZero ? "a cap" : "no cap")")
            }
        }
    }

    /// ERR-2: an error reply's shape for its code.
    func checkErrorReply(_ thread: Thread, _ info: MessageInfo, _ number: Int) {
        guard let code = ErrorCode(rawValue: info.label), code != .noError else {
            return fail("syscall \(number): reply label \(info.label) is not an seL4_Error")
        }
        histogram.errors[Int(code.rawValue)] += 1
        if info.extraCaps != 0 || info.capsUnwrapped != 0 || thread[register: RegisterFile.badgeRegister] != 0 {
            return fail("error reply \(code) with caps or a badge (ERR-2)")
        }
        let limit = buffer(of: thread, receiving: true) == nil ? 4 : 120
        let expected: Int
        switch code {
        case .invalidArgument, .invalidCapability, .notEnoughMemory: expected = 1
        case .rangeError: expected = 2
        case .failedLookup:
            let kind = thread.messageRegister(1)
            guard thread.messageRegister(0) <= 1, (1...4).contains(kind) else {
                return fail("FailedLookup reply with MR0 \(thread.messageRegister(0)) MR1 \(kind) (ERR-2, LOOKUP-6)")
            }
            expected = 2 + [0, 1, 2, 3][Int(kind) - 1]
        default: expected = 0
        }
        if Int(info.length) != min(expected, limit) {
            fail("error reply \(code) has length \(info.length), ERR-2 says \(min(expected, limit))")
        }
        if code == .rangeError, thread.messageRegister(0) > thread.messageRegister(1) {
            fail("RangeError reply with min \(thread.messageRegister(0)) > max \(thread.messageRegister(1))")
        }
    }

    func checkSuccessReply(_ thread: Thread, _ info: MessageInfo, cap: Capability, label: Word, args: [Word]) {
        histogram.successReplies += 1
        if thread[register: RegisterFile.badgeRegister] != 0 || info.extraCaps != 0 || info.capsUnwrapped != 0 {
            return fail("success reply with caps or a badge")
        }
        let limit = buffer(of: thread, receiving: true) == nil ? 4 : 120
        var expected = 0
        if cap.type == .frame && label == getAddressLabel {
            expected = 1
            if thread.messageRegister(0) != cap.address {
                fail("GetAddress replied 0x\(String(thread.messageRegister(0), radix: 16)), the frame is at 0x\(String(cap.address, radix: 16))")
            }
        } else if cap.type == .thread && label == InvocationLabel.tcbReadRegisters.rawValue && args.count >= 2 {
            expected = min(Int(args[1]), limit)
        } else if cap.type == .thread && label == InvocationLabel.tcbSetFlags.rawValue {
            // seL4 `invokeSetFlags` replies with the thread's new flags.
            expected = 1
        }
        if Int(info.length) != expected {
            fail("success reply to label \(label) on a \(cap.type) cap has length \(info.length), expected \(expected)")
        }
        switch cap.type {
        case .untyped, .thread, .cnode, .frame, .domain: break
        case .pageTable, .asidPool, .asidControl:
            if paging == .identity { fail("a \(cap.type) cap answered label \(label) with success") }
        default: fail("a \(cap.type) cap answered label \(label) with success")
        }
        if isPagingLabel(label) { histogram.pagingSuccesses += 1 }
    }

    /// Decode errors the reference can predict from the label, the length and the cap type
    /// alone (SYS-3, CNODE-1, ERR-1).
    func checkDecodeError(_ info: MessageInfo, cap: Capability, label: Word, args: [Word]) {
        let got = ErrorCode(rawValue: info.label)
        let l = InvocationLabel(rawValue: label)
        var expected: ErrorCode? = nil
        switch cap.type {
        case .cnode:
            if l == nil || label < InvocationLabel.cnodeRevoke.rawValue || label > InvocationLabel.cnodeSaveCaller.rawValue {
                expected = .illegalOperation
            } else if args.count < 2 {
                expected = .truncatedMessage
            }
        case .untyped:
            if label != InvocationLabel.untypedRetype.rawValue { expected = .illegalOperation }
            else if args.count < 6 { expected = .truncatedMessage }
        case .frame where paging == .sv39:
            if !(Sv39Label.pageMap...Sv39Label.pageGetAddress).contains(label) { expected = .illegalOperation }
            else if label == Sv39Label.pageMap && args.count < 3 { expected = .truncatedMessage }
        case .pageTable where paging == .sv39:
            if label != Sv39Label.pageTableMap && label != Sv39Label.pageTableUnmap { expected = .illegalOperation }
            else if label == Sv39Label.pageTableMap && args.count < 2 { expected = .truncatedMessage }
        case .asidControl where paging == .sv39:
            if label != Sv39Label.asidControlMakePool { expected = .illegalOperation }
            else if args.count < 2 { expected = .truncatedMessage }
        case .asidPool where paging == .sv39:
            if label != Sv39Label.asidPoolAssign { expected = .illegalOperation }
        case .frame where paging == .x86_64:
            if !(X86Label.pageMap...X86Label.pageGetAddress).contains(label) { expected = .illegalOperation }
            else if label == X86Label.pageMap && args.count < 3 { expected = .truncatedMessage }
        case .pageTable where paging == .x86_64:
            // X86VS-1: a PML4 has no invocations; a structure at level n only its own Map/Unmap.
            let level = cap.pageTableLevel
            let map = X86Label.pdptMap + 2 * Word(max(level, 1) - 1)
            if level == 0 || (label != map && label != map + 1) { expected = .illegalOperation }
            else if label == map && args.count < 2 { expected = .truncatedMessage }
        case .asidControl where paging == .x86_64:
            if label != X86Label.asidControlMakePool { expected = .illegalOperation }
            else if args.count < 2 { expected = .truncatedMessage }
        case .asidPool where paging == .x86_64:
            if label != X86Label.asidPoolAssign { expected = .illegalOperation }
        case .frame:
            if label != Kernel.pageGetAddressLabel { expected = .illegalOperation }
        case .thread:
            if l == nil || label < InvocationLabel.tcbReadRegisters.rawValue || label > InvocationLabel.tcbSetFlags.rawValue {
                expected = .illegalOperation
            }
        case .domain:
            switch InvocationLabel(rawValue: label) {
            case .domainSetSet, .domainScheduleSetStart: if args.count < 1 { expected = .truncatedMessage }
            case .domainScheduleConfigure: if args.count < 3 { expected = .truncatedMessage }
            default: expected = .illegalOperation
            }
        case .reply:
            expected = .invalidCapability
        case .pageTable, .irqControl, .asidControl, .asidPool, .ioPortControl:
            expected = .illegalOperation
        default:
            break
        }
        if let expected, got != expected {
            fail("label \(label) on a \(cap.type) cap (\(args.count) words) replied \(got.map { "\($0)" } ?? "\(info.label)"), expected \(expected)")
        }
    }

    var debugEnvironment: Bool { false }

    func checkEvents(_ senders: [MessageSnapshot], _ faultedCallers: [Thread]) {
        // Every delivery's receiver and receive buffer: a receiver (or buffer) written twice in
        // one step, or a sender's buffer written before it is read, is not compared (threads
        // may share a buffer frame).
        var receivers: [(Thread, Word)] = []
        for event in events {
            if case .delivered(_, let receiver, _, _, _) = event {
                receivers.append((receiver, buffer(of: receiver, receiving: true).map { Word(UInt(bitPattern: $0)) } ?? 0))
            }
        }
        var k = -1
        var faultedNow: [Thread] = []
        for event in events {
            switch event {
            case .faulted(let thread, _, let handled):
                faultedNow.append(thread)
                histogram.faults += 1
                if handled { histogram.handledFaults += 1 }
            case .blocked:
                histogram.blocks += 1
            case .woken(_, _, let reason):
                if reason == .signalled { histogram.signals += 1 }
            case .delivered(let sender, let receiver, let badge, _, let isReply):
                histogram.deliveries += 1
                k += 1
                if isReply && faultedCallers.contains(receiver) { continue }
                if faultedNow.contains(sender) { continue }  // a fault message (FAULT-4..6)
                let receiverBuffer = buffer(of: receiver, receiving: true)
                let mine = receivers[k].1
                var shared = false
                for (j, (other, otherBuffer)) in receivers.enumerated() where j != k {
                    if other == receiver || (mine != 0 && otherBuffer == mine) { shared = true }
                }
                guard !shared, let snapshot = senders.first(where: { $0.thread == sender }), !snapshot.faulted,
                      snapshot.bufferAddress == 0 || !receivers[..<k].contains(where: { $0.1 == snapshot.bufferAddress })
                else { continue }
                histogram.deliveriesChecked += 1
                let n = Int(snapshot.info.length)
                let expectedLength = snapshot.hasSendBuffer && receiverBuffer != nil ? n : min(n, 4)
                let got = MessageInfo(rawValue: receiver[register: RegisterFile.msgInfoRegister])
                guard Int(got.length) == expectedLength, got.label == snapshot.info.label else {
                    if debugEnvironment { print(events.map { "\($0)" }.joined(separator: "\n")) }
                    return fail("delivery: receiver has label \(got.label) length \(got.length), sender sent label \(snapshot.info.label) length \(n) (XFER-2, MSG-5)")
                }
                guard receiver[register: RegisterFile.badgeRegister] == badge else {
                    return fail("delivery: receiver's badge register is \(receiver[register: RegisterFile.badgeRegister]), the message carried \(badge)")
                }
                for i in 0..<expectedLength {
                    let word = i < 4 ? receiver.messageRegister(i) : receiverBuffer![i + 1]
                    if word != snapshot.words[i] {
                        if debugEnvironment {
                            print(events.map { "\($0)" }.joined(separator: "\n"))
                            print("sender buffer \(snapshot.bufferAddress) receiver buffer \(receiverBuffer.map { Word(UInt(bitPattern: $0)) } ?? 0) senders \(senders.map { $0.thread })")
                        }
                        return fail("delivery: MR\(i) is \(word), the sender sent \(snapshot.words[i]) (XFER-2)")
                    }
                }
            default:
                break
            }
        }
    }
}

