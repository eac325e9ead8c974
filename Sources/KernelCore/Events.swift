import SeL4ABI

/// Why a blocked thread became runnable.
public enum WakeReason: Sendable {
    case message
    case reply
    case signalled
    case objectDeleted
    case cancelled
    case resumed
}

/// What the kernel reports to an observer when tracing is on.
public enum KernelEvent {
    case syscallEntry(thread: Thread, syscall: Int, cptr: Word, info: MessageInfo)
    case syscallExit(thread: Thread, next: Thread?)
    /// Which path a Call or ReplyRecv took; for the slowpath, the number of the first
    /// FAST-3/FAST-4 condition that failed (0 when the fastpath is off).
    case path(thread: Thread, syscall: Int, fast: Bool, failedCondition: Int)
    case blocked(thread: Thread, object: Word, state: ThreadState)
    case woken(thread: Thread, object: Word, reason: WakeReason)
    case delivered(sender: Thread, receiver: Thread, badge: Word, info: MessageInfo, isReply: Bool)
    case replyCapCreated(caller: Thread, holder: Thread)
    case replyCapDeleted(holder: Thread)
    case faulted(thread: Thread, fault: Fault, handled: Bool)
    case switched(from: Thread?, to: Thread?)
    case threadStopped(thread: Thread)
}
