import SeL4ABI

/// The domain cap (`seL4_CapDomain`): `seL4_DomainSet_Set` and, since seL4 15.0.0, the runtime
/// domain schedule. This kernel is built with one scheduling domain (seL4's
/// `CONFIG_NUM_DOMAINS` = 1, the configuration sel4test runs in), so domain 0 is the only valid
/// one and every thread is in it; setting it still requeues the thread as seL4's `setDomain`
/// does.
public enum Domains {
    /// `CONFIG_NUM_DOMAINS`.
    public static let count: Word = 1
}

/// seL4's domain schedule with one domain: `CONFIG_NUM_DOMAIN_SCHEDULES` is 2 when
/// `CONFIG_NUM_DOMAINS` is 1 (the option's `DEFAULT_DISABLED`), the first entry the one that
/// runs and the second the end marker that Configure may never overwrite (DOMAIN-2).
enum DomainSchedule {
    /// `domScheduleLength`.
    static let length: Word = 2
    /// `DSCHED_MAX_DURATION`: durations fit in the low 56 bits.
    static let maxDuration: Word = Word.max >> 8

    /// `dschedule_make`.
    static func entry(domain: Word, duration: Word) -> Word { domain << 56 | duration }
}

/// A decoded domain invocation.
enum DomainOperation {
    /// `invokeDomainSetSet` (`setDomain`): the thread leaves its ready queue, takes the
    /// domain and, if runnable, goes back to the head of its queue.
    case setDomain(Thread, domain: Word)
    /// `invokeDomainScheduleConfigure`: the entry at `index` takes the domain and duration.
    case configureSchedule(index: Word, domain: Word, duration: Word)
    /// `invokeDomainScheduleSetStart`: the schedule restarts from `index` at once.
    case setScheduleStart(index: Word)
}

extension Kernel {
    /// `decodeDomainInvocation`: the label picks DOMAIN-1 or DOMAIN-2; any other label is
    /// IllegalOperation.
    func decodeDomainInvocation(_ invocation: Invocation) throws(SyscallError) -> DomainOperation {
        switch invocation.label {
        case InvocationLabel.domainSetSet.rawValue: return try decodeDomainSetSet(invocation)
        case InvocationLabel.domainScheduleConfigure.rawValue: return try decodeDomainScheduleConfigure(invocation)
        case InvocationLabel.domainScheduleSetStart.rawValue: return try decodeDomainScheduleSetStart(invocation)
        default: throw .illegalOperation
        }
    }

    /// DOMAIN-1: the message length, the domain, the extra cap and its type, in seL4's order.
    private func decodeDomainSetSet(_ invocation: Invocation) throws(SyscallError) -> DomainOperation {
        guard invocation.length >= 1 else { throw .truncatedMessage }
        let domain = invocation.argument(0)
        guard domain < Domains.count else { throw .invalidArgument(index: 0) }
        guard let threadSlot = invocation.extraCap(0) else { throw .truncatedMessage }
        let cap = threadSlot.cap
        guard cap.type == .thread, let target = Thread(address: cap.address) else { throw .invalidArgument(index: 1) }
        return .setDomain(target, domain: domain)
    }

    /// DOMAIN-2 `seL4_DomainSet_ScheduleConfigure(index, domain, duration)`: three words, then
    /// the index (the last entry stays an end marker), the domain, the duration's 56 bits, an
    /// end marker's zero domain, and the starting entry's non-zero duration, in seL4's order.
    private func decodeDomainScheduleConfigure(_ invocation: Invocation) throws(SyscallError) -> DomainOperation {
        guard invocation.length >= 3 else { throw .truncatedMessage }
        let index = invocation.argument(0)
        // The whole word, as seL4 reads it (`dom_t` is a word; libsel4's stub sends 8 bits).
        let domain = invocation.argument(1)
        let duration = invocation.argument(2)
        guard index < DomainSchedule.length - 1 else { throw .rangeError(min: 0, max: DomainSchedule.length - 2) }
        guard domain < Domains.count else { throw .rangeError(min: 0, max: Domains.count - 1) }
        guard duration <= DomainSchedule.maxDuration else { throw .invalidArgument(index: 2) }
        guard duration != 0 || domain == 0 else { throw .invalidArgument(index: 1) }
        guard index != state.pointee.domainScheduleStart || duration != 0 else { throw .invalidArgument(index: 2) }
        return .configureSchedule(index: index, domain: domain, duration: duration)
    }

    /// DOMAIN-2 `seL4_DomainSet_ScheduleSetStart(index)`: one word, the index within the
    /// schedule, and not an end marker.
    private func decodeDomainScheduleSetStart(_ invocation: Invocation) throws(SyscallError) -> DomainOperation {
        guard invocation.length >= 1 else { throw .truncatedMessage }
        let index = invocation.argument(0)
        guard index < DomainSchedule.length else { throw .rangeError(min: 0, max: DomainSchedule.length - 1) }
        guard domainScheduleEntry(index) != 0 else { throw .invalidArgument(index: 0) }
        return .setScheduleStart(index: index)
    }

    /// `ksDomSchedule[index]` for an index below `DomainSchedule.length`.
    public func domainScheduleEntry(_ index: Word) -> Word {
        index == 0 ? state.pointee.domainSchedule.0 : state.pointee.domainSchedule.1
    }

    func perform(_ operation: DomainOperation) -> InvocationResult {
        switch operation {
        case .setDomain(let target, _):
            scheduleDequeue(target)
            if target.state.isRunnable { scheduleEnqueue(target) }
            if target == currentThread { rescheduleRequired() }
        case .configureSchedule(let index, let domain, let duration):
            // Decode allowed only index 0: entry 1 is the end marker.
            if index == 0 { state.pointee.domainSchedule.0 = DomainSchedule.entry(domain: domain, duration: duration) }
        case .setScheduleStart(let index):
            // End the running schedule entry so the next tick moves to `index`; with one domain
            // the ticks never count domain time down, so only the reschedule shows.
            state.pointee.domainScheduleStart = index
            state.pointee.domainTime = 0
            state.pointee.domainScheduleIndex = DomainSchedule.length - 2
            rescheduleRequired()
        }
        return .empty
    }
}
