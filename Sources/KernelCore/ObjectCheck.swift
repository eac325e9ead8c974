import SeL4ABI

/// The integrity check of kernel objects against the debug registry (issue 15: the hosted
/// runtime's `--check-objects`). Where user code shares the kernel's address space it can
/// overwrite an endpoint, a TCB or a CNode slot; this check finds such damage before the
/// kernel follows a damaged link, so that it is reported as corruption rather than as a crash
/// at a strange address.
///
/// Invariant the check relies on: it dereferences only registered object addresses (memory
/// the kernel owns) and reads every field as raw bytes or words before any typed access, so it
/// cannot itself fault or read an invalid enum however the objects were overwritten.
extension Kernel {
    /// `checkObjectIntegrity`, then, if the objects are sound, the semantic `checkInvariants`.
    /// Meant between system calls (the semantic invariants hold only there).
    public func checkObjects() -> InvariantViolation? {
        if let violation = checkObjectIntegrity() { return violation }
        return checkInvariants()
    }

    /// Bytes that kernel code never writes: every registered TCB's state and flags, every
    /// endpoint's and notification's state bits, every capability's type tag, a CNode cap's
    /// radix; and every link a walk would follow names a registered object of the right kind
    /// (queue, ready-queue, thread-list and binding links; derivation links name a slot of a
    /// registered CNode or TCB). Holds at any instant, even in the middle of a system call, so
    /// a crash report may run it too. Without a registry there is nothing to check against.
    public func checkObjectIntegrity() -> InvariantViolation? {
        guard let registry else { return nil }
        for p in 0..<Constants.numPriorities {
            if !isThreadOrNull(readyHeads[p]) || !isThreadOrNull(readyTails[p]) {
                return InvariantViolation(message: "ready queue names no TCB", address: Word(p))
            }
        }
        if let current = currentThread, !isRegistered(current.address, .thread) {
            return InvariantViolation(message: "current thread names no TCB", address: current.address)
        }
        for i in 0..<registryCount {
            let object = registry[i]
            let violation: InvariantViolation?
            switch object.kind {
            case .thread:
                violation = checkThreadBytes(object.address)
            case .endpoint:
                violation = checkQueueWords(object.address, queueAt: 0, object: object.address)
            case .notification:
                let words = UnsafePointer<Word>(bitPattern: UInt(object.address)).unsafelyUnwrapped
                violation = !isThreadOrNull(words[0])
                    ? InvariantViolation(message: "notification bound to no TCB", address: object.address)
                    : checkQueueWords(object.address, queueAt: 2, object: object.address)
            case .cnode:
                violation = checkSlots(object.address, count: 1 << (object.sizeBits - Constants.slotBits))
            default:
                violation = nil
            }
            if let violation { return violation }
        }
        return nil
    }

    /// The registered object whose memory holds `address`, with its kind's name, for reports.
    public func registeredObject(named address: Word) -> (address: Word, kind: StaticString)? {
        guard let object = registeredObject(containing: address) else { return nil }
        let kind: StaticString = switch object.kind {
        case .thread: "TCB"
        case .endpoint: "endpoint"
        case .notification: "notification"
        case .cnode: "CNode"
        case .frame: "frame"
        case .pageTable: "paging structure"
        case .asidPool: "ASID pool"
        default: "kernel object"
        }
        return (object.address, kind)
    }

    private func isThreadOrNull(_ address: Word) -> Bool { address == 0 || isRegistered(address, .thread) }

    /// A queue stored as head, then tail with a 2-bit state (`ThreadQueue`): the state is one
    /// of the three an endpoint or notification has, and both ends name TCBs.
    private func checkQueueWords(_ address: Word, queueAt index: Int, object: Word) -> InvariantViolation? {
        let words = UnsafePointer<Word>(bitPattern: UInt(address)).unsafelyUnwrapped + index
        if words[1] & 3 == 3 { return InvariantViolation(message: "object state is none of idle, send/waiting, receive/active", address: object) }
        if !isThreadOrNull(words[0]) || !isThreadOrNull(words[1] & ~3) {
            return InvariantViolation(message: "queue names no TCB", address: object)
        }
        return nil
    }

    /// Byte offsets in `ThreadFields` of the one-byte fields with fewer valid values than a
    /// byte has: the state, then the Bools `isInReadyQueue`, `hasFault` and the three blocking
    /// flags (`ObjectCheckTests` pins them to the struct's layout).
    static let threadStateOffset = 0
    static let threadFlagOffsets: (Int, Int, Int, Int, Int) = (3, 5, 6, 7, 8)

    private func checkThreadBytes(_ address: Word) -> InvariantViolation? {
        guard let thread = Thread(address: address) else { return nil }
        let bytes = UnsafeRawPointer(thread.fields).assumingMemoryBound(to: UInt8.self)
        if bytes[Kernel.threadStateOffset] > ThreadState.idle.rawValue {
            return InvariantViolation(message: "TCB thread state is not a thread state", address: address)
        }
        let flags = Kernel.threadFlagOffsets
        if bytes[flags.0] | bytes[flags.1] | bytes[flags.2] | bytes[flags.3] | bytes[flags.4] > 1 {
            return InvariantViolation(message: "TCB flag is neither true nor false", address: address)
        }
        // The state and flags are valid values now: typed reads are sound.
        let fields = thread.fields
        switch fields.pointee.state {
        case .blockedOnSend, .blockedOnReceive:
            if !isRegistered(fields.pointee.blockingObject, .endpoint) {
                return InvariantViolation(message: "TCB blocked on no endpoint", address: address)
            }
        case .blockedOnNotification:
            if !isRegistered(fields.pointee.blockingObject, .notification) {
                return InvariantViolation(message: "TCB blocked on no notification", address: address)
            }
        default:
            break
        }
        let f = fields.pointee
        if !isThreadOrNull(f.queuePrev) || !isThreadOrNull(f.queueNext) || !isThreadOrNull(f.schedulePrev)
            || !isThreadOrNull(f.scheduleNext) || !isThreadOrNull(f.threadListPrev) || !isThreadOrNull(f.threadListNext) {
            return InvariantViolation(message: "TCB queue link names no TCB", address: address)
        }
        let bound = fields.pointee.boundNotification
        if bound != 0 && !isRegistered(bound, .notification) {
            return InvariantViolation(message: "TCB bound to no notification", address: address)
        }
        return checkSlots(address, count: ThreadSlot.count)
    }

    /// Each slot's cap has a valid type tag (a null cap is all zero), a CNode cap's radix is
    /// its CNode's, and the derivation links name slots.
    private func checkSlots(_ base: Word, count: Int) -> InvariantViolation? {
        for index in 0..<count {
            let slot = Slot.at(base: base, index: index)
            let storage = slot.pointer.pointee
            let tag = (storage.cap.word0 >> 48) & 0x1F
            if tag > Word(CapType.domain.rawValue) || (tag == 0 && storage.cap.word0 != 0) {
                return InvariantViolation(message: "slot holds no valid capability type", address: slot.address)
            }
            if tag == Word(CapType.cnode.rawValue) {
                let cap = storage.cap
                guard let object = registeredObject(containing: cap.address), object.address == cap.address,
                      object.kind == .cnode, cap.sizeField + Constants.slotBits == object.sizeBits
                else { return InvariantViolation(message: "CNode cap's radix or object is not a CNode's", address: slot.address) }
            }
            if !isSlotOrNull(storage.prevAndFlags & ~Slot.flagMask) || !isSlotOrNull(storage.next) {
                return InvariantViolation(message: "derivation link names no slot", address: slot.address)
            }
        }
        return nil
    }

    /// 0, or the address of a slot: slot-aligned inside a registered CNode, or one of a
    /// registered TCB's slots.
    private func isSlotOrNull(_ address: Word) -> Bool {
        if address == 0 { return true }
        guard let object = registeredObject(containing: address) else { return false }
        let offset = address - object.address
        guard offset & (Word(1) << Word(Constants.slotBits) - 1) == 0 else { return false }
        switch object.kind {
        case .cnode: return true
        case .thread: return offset >> Word(Constants.slotBits) < Word(ThreadSlot.count)
        default: return false
        }
    }
}
