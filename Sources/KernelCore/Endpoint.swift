import SeL4ABI

/// `endpoint_state` (EP-1).
public enum EndpointState: Word, Sendable {
    case idle = 0
    case send = 1
    case receive = 2
}

/// A handle on an endpoint object: 16 bytes (`seL4_EndpointBits = 4`) holding the queue head
/// and the queue tail with the state in its low two bits (TCBs are 2 KiB aligned).
/// Invariant: the queue is empty iff the state is idle, and never mixes senders and receivers.
public struct Endpoint: Hashable, @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Word>

    init?(address: Word) {
        guard let raw = UnsafeMutableRawPointer(bitPattern: UInt(address)) else { return nil }
        pointer = raw.assumingMemoryBound(to: Word.self)
    }
    public var address: Word { Word(UInt(bitPattern: pointer)) }

    public var state: EndpointState {
        get { EndpointState(rawValue: pointer[1] & 3) ?? .idle }
        nonmutating set { pointer[1] = (pointer[1] & ~3) | newValue.rawValue }
    }
    var queue: ThreadQueue {
        get { ThreadQueue(loadingFrom: pointer) }
        nonmutating set { newValue.store(to: pointer) }
    }
    /// The first queued thread (the next partner, EP-2).
    public var head: Thread? { Thread(address: pointer[0]) }
}

/// A FIFO of threads linked through their `queuePrev`/`queueNext` fields (EP-2: append at
/// the tail, take from the head). Used by endpoints and notifications alike.
struct ThreadQueue {
    var head: Thread?
    var tail: Thread?

    init(head: Thread? = nil, tail: Thread? = nil) {
        self.head = head
        self.tail = tail
    }

    /// The queue stored as two words, head then tail with the object's 2-bit state in the
    /// tail's low bits (TCBs are 2 KiB aligned), as endpoints and notifications keep it.
    init(loadingFrom words: UnsafeMutablePointer<Word>) {
        head = Thread(address: words[0])
        tail = Thread(address: words[1] & ~3)
    }

    func store(to words: UnsafeMutablePointer<Word>) {
        words[0] = head?.address ?? 0
        words[1] = (tail?.address ?? 0) | (words[1] & 3)
    }

    var isEmpty: Bool { head == nil }

    @inline(__always)
    mutating func append(_ thread: Thread) {
        thread.queueNext = nil
        thread.queuePrev = tail
        if let last = tail { last.queueNext = thread } else { head = thread }
        tail = thread
    }

    @inline(__always)
    mutating func remove(_ thread: Thread) {
        let before = thread.queuePrev, after = thread.queueNext
        if let before { before.queueNext = after } else { head = after }
        if let after { after.queuePrev = before } else { tail = before }
        thread.queuePrev = nil
        thread.queueNext = nil
    }
}

extension Kernel {
    /// Removes `thread` from `endpoint`'s queue, keeping state and queue in agreement.
    @inline(__always)
    func dequeue(_ thread: Thread, from endpoint: Endpoint) {
        var queue = endpoint.queue
        queue.remove(thread)
        endpoint.queue = queue
        if queue.isEmpty { endpoint.state = .idle }
    }

    @inline(__always)
    func enqueue(_ thread: Thread, on endpoint: Endpoint, as state: EndpointState) {
        var queue = endpoint.queue
        queue.append(thread)
        endpoint.queue = queue
        endpoint.state = state
    }

    /// `cancelAllIPC` (CNODE-8): every queued thread is restarted (it will re-issue its
    /// syscall), head first, each put at the head of its ready queue (SCHED-5).
    func cancelAllIPC(_ endpoint: Endpoint) {
        guard endpoint.state != .idle else { return }
        let queue = endpoint.queue
        endpoint.queue = ThreadQueue()
        endpoint.state = .idle
        restartAll(queue, object: endpoint.address)
    }

    /// Restarts every thread of a queue detached from a deleted object (CNODE-8, NTFN-4).
    func restartAll(_ queue: ThreadQueue, object: Word) {
        var next = queue.head
        while let thread = next {
            next = thread.queueNext
            thread.queuePrev = nil
            thread.queueNext = nil
            thread.state = .restart
            scheduleEnqueue(thread)
            observe(.woken(thread: thread, object: object, reason: .objectDeleted))
        }
        rescheduleRequired()
    }

    /// `cancelBadgedSends` (CNODE-10): restarts exactly the queued senders whose recorded
    /// badge is `badge`; the others keep their order. Receivers are never affected.
    func cancelBadgedSends(_ endpoint: Endpoint, badge: Word) {
        guard endpoint.state == .send else { return }
        var queue = endpoint.queue
        var next = queue.head
        while let thread = next {
            next = thread.queueNext
            if thread.blockingBadge == badge {
                queue.remove(thread)
                thread.state = .restart
                scheduleEnqueue(thread)
                observe(.woken(thread: thread, object: endpoint.address, reason: .cancelled))
            }
        }
        endpoint.queue = queue
        if queue.isEmpty { endpoint.state = .idle }
        rescheduleRequired()
    }
}
