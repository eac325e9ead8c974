import SeL4ABI

/// The uniprocessor priority scheduler of SCHED-1..5: 256 FIFO ready queues with a bitmap,
/// seL4's candidate logic for threads woken by IPC, and round-robin time slices charged by the
/// platform's timer (`handleTimerTick`: the RISC-V kernel has one; the hosted contract has no
/// preemption, so there slices never expire).
extension Kernel {
    private func markReady(_ priority: Int) {
        readyBitmap[priority >> 6] |= 1 << Word(priority & 63)
        readyBitmapTop |= 1 << Word(priority >> 6)
    }

    private func markEmpty(_ priority: Int) {
        readyBitmap[priority >> 6] &= ~(1 << Word(priority & 63))
        if readyBitmap[priority >> 6] == 0 { readyBitmapTop &= ~(1 << Word(priority >> 6)) }
    }

    /// The highest priority with a ready thread, or nil.
    public var highestReadyPriority: Int? {
        guard readyBitmapTop != 0 else { return nil }
        let group = 63 - readyBitmapTop.leadingZeroBitCount
        return group * 64 + 63 - readyBitmap[group].leadingZeroBitCount
    }

    /// `isHighestPrio`: no ready thread has a higher priority. Where counting leading zeros is
    /// one instruction (x86_64, aarch64) the highest ready priority is found and compared; on
    /// riscv64 (rv64imac, no Zbb) that count is a long sequence, which also takes registers
    /// from the fastpaths that ask this, so there the bitmap is tested (`noReadyPriorityAbove`).
    @inline(__always)
    func isHighestPriority(_ priority: Int) -> Bool {
        #if arch(riscv64)
        return noReadyPriorityAbove(priority)
        #else
        guard let top = highestReadyPriority else { return true }
        return priority >= top
        #endif
    }

    /// No bit above `priority`'s is set in the ready bitmap: none in the groups above its own,
    /// none above it in its own group's word (each shift split in two, as the bit's position
    /// plus one may be 64). The same answer as comparing with `highestReadyPriority`
    /// (SchedulerTests), without finding it.
    @inline(__always)
    public func noReadyPriorityAbove(_ priority: Int) -> Bool {
        if readyBitmapTop == 0 { return true }
        let group = priority >> 6
        guard (readyBitmapTop >> Word(group)) >> 1 == 0 else { return false }
        return (readyBitmap[group] >> Word(priority & 63)) >> 1 == 0
    }

    /// `tcbSchedEnqueue`: put a runnable thread at the head of its ready queue.
    func scheduleEnqueue(_ thread: Thread) {
        guard !thread.fields.pointee.isInReadyQueue else { return }
        let p = thread.priority
        let oldHead = readyHeads[p]
        thread.fields.pointee.schedulePrev = 0
        thread.fields.pointee.scheduleNext = oldHead
        if let head = Thread(address: oldHead) {
            head.fields.pointee.schedulePrev = thread.address
        } else {
            readyTails[p] = thread.address
            markReady(p)
        }
        readyHeads[p] = thread.address
        thread.fields.pointee.isInReadyQueue = true
    }

    /// `tcbSchedAppend`: put a runnable thread at the tail of its ready queue.
    func scheduleAppend(_ thread: Thread) {
        guard !thread.fields.pointee.isInReadyQueue else { return }
        let p = thread.priority
        let oldTail = readyTails[p]
        thread.fields.pointee.scheduleNext = 0
        thread.fields.pointee.schedulePrev = oldTail
        if let tail = Thread(address: oldTail) {
            tail.fields.pointee.scheduleNext = thread.address
        } else {
            readyHeads[p] = thread.address
            markReady(p)
        }
        readyTails[p] = thread.address
        thread.fields.pointee.isInReadyQueue = true
    }

    /// `tcbSchedDequeue`.
    func scheduleDequeue(_ thread: Thread) {
        guard thread.fields.pointee.isInReadyQueue else { return }
        let p = thread.priority
        let prev = thread.fields.pointee.schedulePrev, next = thread.fields.pointee.scheduleNext
        if let before = Thread(address: prev) { before.fields.pointee.scheduleNext = next } else { readyHeads[p] = next }
        if let after = Thread(address: next) { after.fields.pointee.schedulePrev = prev } else { readyTails[p] = prev }
        if readyHeads[p] == 0 { markEmpty(p) }
        thread.fields.pointee.schedulePrev = 0
        thread.fields.pointee.scheduleNext = 0
        thread.fields.pointee.isInReadyQueue = false
    }

    /// `rescheduleRequired`: a pending candidate goes back to its ready queue (head) and the
    /// scheduler will choose afresh.
    func rescheduleRequired() {
        if case .switchTo(let candidate) = schedulerAction {
            scheduleEnqueue(candidate)
        }
        schedulerAction = .chooseNew
    }

    /// `possibleSwitchTo` (SCHED-3): nominate a thread woken by IPC.
    func possibleSwitchTo(_ thread: Thread) {
        if schedulerAction != .resumeCurrent {
            rescheduleRequired()
            scheduleEnqueue(thread)
        } else {
            schedulerAction = .switchTo(thread)
        }
    }

    /// `switchToThread`.
    @inline(__always)
    func switchTo(_ thread: Thread) {
        if thread.fields.pointee.isInReadyQueue { scheduleDequeue(thread) }
        if currentThread != thread { observe(.switched(from: currentThread, to: thread)) }
        currentThread = thread
    }

    /// `chooseThread`: the head of the highest non-empty ready queue, or idle.
    func chooseThread() {
        if let p = highestReadyPriority, let thread = Thread(address: readyHeads[p]) {
            switchTo(thread)
        } else {
            if currentThread != nil { observe(.switched(from: currentThread, to: nil)) }
            currentThread = nil
        }
    }

    /// `schedule` (SCHED-4).
    func schedule() {
        guard schedulerAction != .resumeCurrent else { return }
        let current = currentThread
        let wasRunnable = current.map { $0.state.isRunnable } ?? false
        if wasRunnable, let current { scheduleEnqueue(current) }
        switch schedulerAction {
        case .resumeCurrent:
            break
        case .chooseNew:
            chooseThread()
        case .switchTo(let candidate):
            let currentPriority = current?.priority ?? -1
            let fastFail = current == nil || candidate.priority < currentPriority
            if fastFail && !isHighestPriority(candidate.priority) {
                scheduleEnqueue(candidate)
                schedulerAction = .chooseNew
                chooseThread()
            } else if wasRunnable && candidate.priority == currentPriority {
                scheduleAppend(candidate)
                chooseThread()
            } else {
                switchTo(candidate)
            }
        }
        schedulerAction = .resumeCurrent
    }

    /// `activateThread` (TS-3): a thread chosen in `Restart` resumes at its restart address,
    /// so it re-issues the system call it was in.
    func activateCurrentThread() {
        guard let thread = currentThread else { return }
        if thread.state == .restart {
            thread[register: RegisterFile.pc] = thread[register: RegisterFile.faultIP]
            thread.state = .running
        }
    }

    /// `setThreadState` with `scheduleTCB`: when the running thread stops being runnable and
    /// no switch is pending, the scheduler must choose another.
    func setState(_ thread: Thread, _ state: ThreadState) {
        thread.state = state
        scheduleTCB(thread)
    }

    func scheduleTCB(_ thread: Thread) {
        if thread == currentThread && schedulerAction == .resumeCurrent && !thread.state.isRunnable {
            rescheduleRequired()
        }
    }

    /// A timer interrupt (SCHED-2; seL4 `timerTick`, then `schedule`): the running thread is
    /// charged one tick; when its turn is used up it gets a fresh slice and goes to the tail
    /// of its priority's ready queue, so threads of equal priority take turns. Idle and
    /// blocked threads are not charged. Returns the thread to run next.
    public func handleTimerTick() -> Thread? {
        if let thread = currentThread, thread.state == .running {
            if thread.fields.pointee.timeSlice > 1 {
                thread.fields.pointee.timeSlice -= 1
            } else {
                thread.fields.pointee.timeSlice = UInt8(Constants.timeSlice)
                scheduleAppend(thread)
                rescheduleRequired()
            }
        }
        schedule()
        activateCurrentThread()
        return currentThread
    }

    /// Ticks left in a thread's turn (for tests and traces).
    public func timeSliceLeft(of thread: Thread) -> Int { Int(thread.fields.pointee.timeSlice) }

    /// `handleYield` (YIELD-1): to the tail of its own ready queue, then choose.
    func yield(_ thread: Thread) {
        scheduleDequeue(thread)
        scheduleAppend(thread)
        rescheduleRequired()
    }

    /// `setPriority` (non-MCS): the thread leaves its ready queue, takes the new priority and,
    /// if runnable, is rescheduled (itself) or nominated (another thread).
    func setPriority(_ thread: Thread, _ priority: Int) {
        scheduleDequeue(thread)
        thread.priority = priority
        if thread.state.isRunnable {
            if thread == currentThread { rescheduleRequired() } else { possibleSwitchTo(thread) }
        }
    }
}

extension Kernel {
    /// Runs `thread` now, as a timer preemption would: the current thread goes to the tail of
    /// its ready queue. Used by platforms that model preemption and by the deterministic test
    /// platform to pick which thread makes the next system call. Returns false if `thread`
    /// cannot run.
    public func preempt(to thread: Thread) -> Bool {
        guard thread.state.isRunnable else { return false }
        if thread == currentThread { return true }
        if let current = currentThread, current.state.isRunnable { scheduleAppend(current) }
        switchTo(thread)
        activateCurrentThread()
        return true
    }
}
