import SeL4ABI

/// `notification_state` (NTFN-0).
public enum NotificationState: Word, Sendable {
    case idle = 0
    case waiting = 1
    case active = 2
}

/// A handle on a notification object: 32 bytes (`seL4_NotificationBits = 5`): the bound TCB,
/// the notification word, and the waiter queue with the state in the tail's low bits.
/// Invariant: waiting iff the queue is non-empty; the word is meaningful only when active.
public struct Notification: Hashable, @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Word>

    init?(address: Word) {
        guard let raw = UnsafeMutableRawPointer(bitPattern: UInt(address)) else { return nil }
        pointer = raw.assumingMemoryBound(to: Word.self)
    }
    public var address: Word { Word(UInt(bitPattern: pointer)) }

    public var boundThread: Thread? {
        get { Thread(address: pointer[0]) }
        nonmutating set { pointer[0] = newValue?.address ?? 0 }
    }
    /// `ntfnMsgIdentifier`: the accumulated badge bits while active.
    public var word: Word {
        get { pointer[1] }
        nonmutating set { pointer[1] = newValue }
    }
    public var state: NotificationState {
        get { NotificationState(rawValue: pointer[3] & 3) ?? .idle }
        nonmutating set { pointer[3] = (pointer[3] & ~3) | newValue.rawValue }
    }
    var queue: ThreadQueue {
        get { ThreadQueue(loadingFrom: pointer + 2) }
        nonmutating set { newValue.store(to: pointer + 2) }
    }
    public var head: Thread? { Thread(address: pointer[2]) }
}

extension Kernel {
    /// `sendSignal` (NTFN-2).
    func signal(_ notification: Notification, badge: Word) {
        switch notification.state {
        case .idle:
            if let bound = notification.boundThread, bound.state == .blockedOnReceive,
               let endpoint = Endpoint(address: bound.blockingObject) {
                // BIND-2 (b): the bound thread leaves its endpoint receive with the badge; the
                // notification stays idle and its word is not stored.
                dequeue(bound, from: endpoint)
                bound.state = .running
                bound[register: RegisterFile.badgeRegister] = badge
                observe(.woken(thread: bound, object: notification.address, reason: .signalled))
                possibleSwitchTo(bound)
            } else {
                notification.state = .active
                notification.word = badge
            }
        case .waiting:
            var queue = notification.queue
            guard let waiter = queue.head else { return }
            queue.remove(waiter)
            notification.queue = queue
            if queue.isEmpty { notification.state = .idle }
            waiter.state = .running
            waiter[register: RegisterFile.badgeRegister] = badge
            observe(.woken(thread: waiter, object: notification.address, reason: .signalled))
            possibleSwitchTo(waiter)
        case .active:
            notification.word |= badge
        }
    }

    /// `receiveSignal` (NTFN-3): Wait (blocking) or Poll. Only the badge register is written.
    func receiveSignal(_ thread: Thread, on notification: Notification, blocking: Bool) {
        switch notification.state {
        case .active:
            thread[register: RegisterFile.badgeRegister] = notification.word
            notification.state = .idle
            notification.word = 0
        case .idle, .waiting:
            if blocking {
                setState(thread, .blockedOnNotification)
                thread.fields.pointee.blockingObject = notification.address
                var queue = notification.queue
                queue.append(thread)
                notification.queue = queue
                notification.state = .waiting
                observe(.blocked(thread: thread, object: notification.address, state: .blockedOnNotification))
            } else {
                thread[register: RegisterFile.badgeRegister] = 0
            }
        }
    }

    /// `cancelSignal`: takes a waiter out of the queue (suspend, delete).
    func cancelSignal(_ thread: Thread, _ notification: Notification) {
        var queue = notification.queue
        queue.remove(thread)
        notification.queue = queue
        if queue.isEmpty { notification.state = .idle }
        setState(thread, .inactive)
    }

    /// `cancelAllSignals` (NTFN-4): waiters restart and re-issue their Wait.
    func cancelAllSignals(_ notification: Notification) {
        guard notification.state == .waiting else { return }
        let queue = notification.queue
        notification.queue = ThreadQueue()
        notification.state = .idle
        restartAll(queue, object: notification.address)
    }

    /// `completeSignal` for a bound notification found active at receive time (RECV-3).
    func completeSignal(_ notification: Notification, to thread: Thread) {
        thread[register: RegisterFile.badgeRegister] = notification.word
        notification.state = .idle
        notification.word = 0
    }

    func bind(_ notification: Notification, to thread: Thread) {
        notification.boundThread = thread
        thread.boundNotification = notification
    }

    func unbind(_ thread: Thread) {
        guard let notification = thread.boundNotification else { return }
        notification.boundThread = nil
        thread.boundNotification = nil
    }

    func unbind(_ notification: Notification) {
        guard let thread = notification.boundThread else { return }
        notification.boundThread = nil
        thread.boundNotification = nil
    }
}
