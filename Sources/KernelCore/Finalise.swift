import SeL4ABI

/// `finaliseCap` (CNODE-8, NTFN-4, REPLY-8): what happens when the last cap to an object
/// goes. Memory is never freed here; it returns only through an untyped reset.
extension Kernel {
    /// Objects without slots of their own. A frame cap is one mapping, so every frame cap's
    /// deletion unmaps it; the other objects change only when their last cap goes (`final`).
    @inline(__always)
    func finaliseLeaf(_ cap: Capability, final: Bool) {
        if cap.type == .frame {
            unmapFrame(cap)
            return
        }
        // Any VSpace cap leaving a slot may be a thread's VSpace: platforms that cache a
        // thread's address space see the generation change (`vspace(of:)`).
        if cap.type == .pageTable { vspaceBindingsChanged() }
        guard final else { return }
        switch cap.type {
        case .endpoint:
            if let endpoint = Endpoint(address: cap.address) { cancelAllIPC(endpoint) }
        case .notification:
            if let notification = Notification(address: cap.address) {
                unbind(notification)
                cancelAllSignals(notification)
            }
        case .pageTable:
            finalisePageTable(cap)
        case .asidPool:
            deleteASIDPool(cap)
        default:
            // Reply caps have no side effect in non-MCS (REPLY-8); untyped memory stays as it is.
            break
        }
    }

    /// A CNode or TCB whose slots are about to be emptied. A thread is unbound and suspended
    /// first, so no queue, ready queue or pending switch still names it.
    func prepareContainerForDeletion(_ cap: Capability) {
        guard cap.type == .thread, let thread = Thread(address: cap.address) else { return }
        unbind(thread)
        suspend(thread)
        if schedulerAction == .switchTo(thread) { schedulerAction = .chooseNew }
        // `Arch_prepareThreadDelete`: the unit must not stay owned by a dead thread.
        fpuRelease(thread)
        threadListRemove(thread)
    }
}
