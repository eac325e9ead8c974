import SeL4ABI

/// The domain cap (`seL4_CapDomain`) and `seL4_DomainSet_Set`. This kernel is built with one
/// scheduling domain (seL4's `CONFIG_NUM_DOMAINS` = 1, the configuration sel4test runs in), so
/// domain 0 is the only valid one and every thread is in it; setting it still requeues the
/// thread as seL4's `setDomain` does.
public enum Domains {
    /// `CONFIG_NUM_DOMAINS`.
    public static let count: Word = 1
}

/// A decoded domain invocation.
enum DomainOperation {
    /// `invokeDomainSetSet` (`setDomain`): the thread leaves its ready queue, takes the
    /// domain and, if runnable, goes back to the head of its queue.
    case setDomain(Thread, domain: Word)
}

extension Kernel {
    /// `decodeDomainInvocation` (DOMAIN-1): the label, then the message length, the domain, the extra
    /// cap and its type, in seL4's order. seL4's runtime domain-schedule labels are refused:
    /// with one domain there is no schedule to configure.
    func decodeDomainInvocation(_ invocation: Invocation) throws(SyscallError) -> DomainOperation {
        guard invocation.label == InvocationLabel.domainSetSet.rawValue else { throw .illegalOperation }
        guard invocation.length >= 1 else { throw .truncatedMessage }
        let domain = invocation.argument(0)
        guard domain < Domains.count else { throw .invalidArgument(index: 0) }
        guard let threadSlot = invocation.extraCap(0) else { throw .truncatedMessage }
        let cap = threadSlot.cap
        guard cap.type == .thread, let target = Thread(address: cap.address) else { throw .invalidArgument(index: 1) }
        return .setDomain(target, domain: domain)
    }

    /// `invokeDomainSetSet`.
    func perform(_ operation: DomainOperation) -> InvocationResult {
        switch operation {
        case .setDomain(let target, _):
            scheduleDequeue(target)
            if target.state.isRunnable { scheduleEnqueue(target) }
            if target == currentThread { rescheduleRequired() }
        }
        return .empty
    }
}
