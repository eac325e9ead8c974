import SeL4ABI

/// A kernel object the debug registry knows about (see `checkInvariants`).
struct RegisteredObject {
    var address: Word
    var kind: CapType
    var sizeBits: Int
}

/// What `checkInvariants` found wrong: a description and the address of the object.
public struct InvariantViolation: Error, CustomStringConvertible {
    public let message: StaticString
    public let address: Word
    public var description: String { "\(message) at 0x\(String(address, radix: 16))" }
}

/// The debug-only object registry and invariant checks (architecture.md, habit 2). With a
/// registry capacity of 0 (the default) nothing is recorded and the checks cover only what is
/// reachable from the ready queues.
extension Kernel {
    func register(_ address: Word, _ kind: CapType, sizeBits: Int) {
        guard var entries = registry else { return }
        if registryCount == registryCapacity {
            let grown = UnsafeMutablePointer<RegisteredObject>.allocate(capacity: 2 * registryCapacity)
            grown.moveInitialize(from: entries, count: registryCount)
            entries.deallocate()
            entries = grown
            registry = grown
            registryCapacity *= 2
        }
        if registryCount > 0 && entries[registryCount - 1].address >= address { registryIsSorted = false }
        entries[registryCount] = RegisteredObject(address: address, kind: kind, sizeBits: sizeBits)
        registryCount += 1
    }

    /// Forgets objects inside a region whose memory is being reused (an untyped reset).
    func forgetObjects(in start: Word, bytes: Word) {
        guard let registry else { return }
        var kept = 0
        for i in 0..<registryCount where !(registry[i].address >= start && registry[i].address < start + bytes) {
            registry[kept] = registry[i]
            kept += 1
        }
        registryCount = kept
    }


    /// Whether a `kind` object starts at `address` (true without a registry: nothing to say).
    func isRegistered(_ address: Word, _ kind: CapType) -> Bool {
        guard registry != nil else { return true }
        guard let object = registeredObject(containing: address) else { return false }
        return object.address == address && object.kind == kind
    }

    /// The registered object whose memory holds `address`, if any. Sorts the registry first
    /// when a retype has appended out of order (objects never overlap: memory is reused only
    /// after `forgetObjects`).
    func registeredObject(containing address: Word) -> RegisteredObject? {
        guard let registry, registryCount > 0 else { return nil }
        if !registryIsSorted {
            var entries = UnsafeMutableBufferPointer(start: registry, count: registryCount)
            entries.sort { $0.address < $1.address }
            registryIsSorted = true
        }
        // The last object starting at or below `address`.
        var low = 0, high = registryCount
        while low < high {
            let middle = (low + high) / 2
            if registry[middle].address <= address { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let object = registry[low - 1]
        return address - object.address < Word(1) << Word(object.sizeBits) ? object : nil
    }

    /// Checks the kernel's invariants: each thread's state agrees with the queue it is in;
    /// endpoint and notification states match their queues; ready queues and their bitmap
    /// agree; CDT links are well formed; no cap names an object that does not exist; untyped
    /// watermarks lie inside their untyped. Returns the first violation found.
    public func checkInvariants() -> InvariantViolation? {
        // Ready queues.
        var queuedCount = 0
        for p in 0..<Constants.numPriorities {
            let head = readyHeads[p]
            let bit = readyBitmap[p >> 6] & (1 << Word(p & 63)) != 0
            if (head != 0) != bit { return InvariantViolation(message: "ready bitmap disagrees with queue", address: Word(p)) }
            if (readyBitmap[p >> 6] != 0) != (readyBitmapTop & (1 << Word(p >> 6)) != 0) {
                return InvariantViolation(message: "ready bitmap top level disagrees", address: Word(p))
            }
            var previous: Word = 0
            var cursor = head
            while let thread = Thread(address: cursor) {
                let f = thread.fields.pointee
                if !f.isInReadyQueue || thread.priority != p || !f.state.isRunnable {
                    return InvariantViolation(message: "ready-queue thread not runnable at that priority", address: cursor)
                }
                if f.schedulePrev != previous { return InvariantViolation(message: "ready-queue back link broken", address: cursor) }
                if thread == currentThread { return InvariantViolation(message: "current thread is in a ready queue", address: cursor) }
                queuedCount += 1
                previous = cursor
                cursor = f.scheduleNext
            }
            if readyTails[p] != previous { return InvariantViolation(message: "ready-queue tail wrong", address: Word(p)) }
        }
        if schedulerAction != .resumeCurrent {
            return InvariantViolation(message: "scheduler decision pending after a syscall", address: 0)
        }
        if let current = currentThread, !current.state.isRunnable {
            return InvariantViolation(message: "current thread is not runnable", address: current.address)
        }
        guard let registry else { return nil }

        var registeredQueued = 0
        for i in 0..<registryCount {
            let object = registry[i]
            switch object.kind {
            case .thread:
                let thread = Thread(address: object.address)!
                if let violation = checkThread(thread) { return violation }
                if thread.fields.pointee.isInReadyQueue { registeredQueued += 1 }
                for s in 0..<ThreadSlot.count {
                    if let violation = checkSlot(Slot.at(base: object.address, index: s)) { return violation }
                }
            case .endpoint:
                if let violation = checkEndpoint(Endpoint(address: object.address)!) { return violation }
            case .notification:
                if let violation = checkNotification(Notification(address: object.address)!) { return violation }
            case .cnode:
                for s in 0..<(1 << (object.sizeBits - Constants.slotBits)) {
                    if let violation = checkSlot(Slot.at(base: object.address, index: s)) { return violation }
                }
            default:
                break
            }
        }
        if registeredQueued != queuedCount {
            return InvariantViolation(message: "ready-queue membership flags disagree with the queues", address: 0)
        }
        return nil
    }

    private func checkThread(_ thread: Thread) -> InvariantViolation? {
        let f = thread.fields.pointee
        switch f.state {
        case .blockedOnSend, .blockedOnReceive:
            guard let endpoint = Endpoint(address: f.blockingObject), isRegistered(endpoint.address, .endpoint) else {
                return InvariantViolation(message: "thread blocked on a missing endpoint", address: thread.address)
            }
            let expected: EndpointState = f.state == .blockedOnSend ? .send : .receive
            if endpoint.state != expected || !contains(endpoint.queue, thread) {
                return InvariantViolation(message: "blocked thread not in its endpoint's queue", address: thread.address)
            }
        case .blockedOnNotification:
            guard let notification = Notification(address: f.blockingObject),
                  isRegistered(notification.address, .notification),
                  notification.state == .waiting, contains(notification.queue, thread)
            else { return InvariantViolation(message: "thread not in its notification's queue", address: thread.address) }
        case .running, .restart:
            if thread != currentThread && !f.isInReadyQueue {
                return InvariantViolation(message: "runnable thread neither current nor ready", address: thread.address)
            }
        case .inactive, .blockedOnReply, .idle:
            if f.isInReadyQueue { return InvariantViolation(message: "stopped thread in a ready queue", address: thread.address) }
        }
        if let bound = thread.boundNotification, bound.boundThread != thread {
            return InvariantViolation(message: "notification binding is one-sided", address: thread.address)
        }
        return nil
    }

    /// Whether `thread` is in `queue`; a walk longer than there are threads (a cycle) says no.
    private func contains(_ queue: ThreadQueue, _ thread: Thread) -> Bool {
        var cursor = queue.head
        var steps = 0
        while let t = cursor, steps <= registryCount {
            if t == thread { return true }
            cursor = t.queueNext
            steps += 1
        }
        return false
    }

    /// A queue's links agree both ways and end at its tail; its members all wait on `object`
    /// in `state`.
    private func checkQueue(_ queue: ThreadQueue, object: Word, state: ThreadState) -> InvariantViolation? {
        var previous: Thread? = nil
        var cursor = queue.head
        var steps = 0
        while let thread = cursor {
            if thread.queuePrev != previous { return InvariantViolation(message: "queue back link broken", address: thread.address) }
            if thread.state != state || thread.blockingObject != object {
                return InvariantViolation(message: "queued thread's state disagrees with its queue", address: thread.address)
            }
            steps += 1
            if registry != nil && steps > registryCount { return InvariantViolation(message: "queue has a cycle", address: object) }
            previous = thread
            cursor = thread.queueNext
        }
        if queue.tail != previous { return InvariantViolation(message: "queue tail wrong", address: object) }
        return nil
    }

    private func checkEndpoint(_ endpoint: Endpoint) -> InvariantViolation? {
        let queue = endpoint.queue
        switch endpoint.state {
        case .idle:
            if !queue.isEmpty { return InvariantViolation(message: "idle endpoint has a queue", address: endpoint.address) }
            return nil
        case .send:
            if queue.isEmpty { return InvariantViolation(message: "sending endpoint has no queue", address: endpoint.address) }
            return checkQueue(queue, object: endpoint.address, state: .blockedOnSend)
        case .receive:
            if queue.isEmpty { return InvariantViolation(message: "receiving endpoint has no queue", address: endpoint.address) }
            return checkQueue(queue, object: endpoint.address, state: .blockedOnReceive)
        }
    }

    private func checkNotification(_ notification: Notification) -> InvariantViolation? {
        let queue = notification.queue
        if (notification.state == .waiting) == queue.isEmpty {
            return InvariantViolation(message: "notification state disagrees with its queue", address: notification.address)
        }
        if let bound = notification.boundThread, bound.boundNotification != notification {
            return InvariantViolation(message: "notification binding is one-sided", address: notification.address)
        }
        return checkQueue(queue, object: notification.address, state: .blockedOnNotification)
    }

    private func checkSlot(_ slot: Slot) -> InvariantViolation? {
        let cap = slot.cap
        if cap.isNull {
            if slot.pointer.pointee.prevAndFlags & ~Slot.flagMask != 0 || slot.pointer.pointee.next != 0 || slot.isBeingDeleted {
                return InvariantViolation(message: "empty slot has derivation links", address: slot.address)
            }
            return nil
        }
        if slot.isBeingDeleted { return InvariantViolation(message: "slot left half-deleted", address: slot.address) }
        if let prev = slot.prev, prev.next != slot { return InvariantViolation(message: "CDT back link broken", address: slot.address) }
        if let next = slot.next, next.prev != slot { return InvariantViolation(message: "CDT forward link broken", address: slot.address) }
        switch cap.type {
        case .endpoint, .notification, .cnode, .thread:
            if !isRegistered(cap.address, cap.type) {
                return InvariantViolation(message: "cap names an object that does not exist", address: slot.address)
            }
        case .reply:
            if !isRegistered(cap.address, .thread) {
                return InvariantViolation(message: "reply cap names a thread that does not exist", address: slot.address)
            }
        case .untyped:
            if cap.untypedFreeIndex > Word(1) << Word(cap.untypedSizeBits) {
                return InvariantViolation(message: "untyped watermark beyond its end", address: slot.address)
            }
        default:
            break
        }
        return nil
    }
}
