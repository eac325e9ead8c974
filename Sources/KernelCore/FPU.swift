import SeL4ABI

/// The floating-point unit's state, switched by owner as seL4 does with `CONFIG_HAVE_FPU`
/// (seL4 14+'s `lazyFPURestore`, clause FPU-1 of docs/spec): one thread at a time owns the
/// registers; a thread about to run that is not the owner takes them over (the owner's state
/// saved, its own loaded), unless its `seL4_TCBFlag_fpuDisabled` flag is set, and then the
/// unit is off and its floating-point instructions fault. The kernel core decides; the
/// platform moves the registers (`FloatingPointUnit`) and applies `fpuEnabled` on the way back
/// to user mode. A platform without one (hosted) leaves `Kernel.fpu` nil.
public protocol FloatingPointUnit: AnyObject {
    /// Stores the unit's registers into `thread`'s saved FPU state.
    func save(into thread: Thread)
    /// Loads the unit's registers from `thread`'s saved FPU state (zero for a new thread).
    func load(from thread: Thread)
}

extension Kernel {
    /// `ksCurFPUOwner`: the thread whose state the unit holds.
    public var fpuOwner: Thread? { Thread(address: state.pointee.fpuOwner) }
    /// `isFPUEnabled`: whether the running thread may use the unit.
    public var fpuEnabled: Bool { state.pointee.fpuEnabled }

    /// `switchLocalFpuOwner`: saves the owner's state, loads the new owner's (nil: the unit
    /// is off and owned by nobody).
    func switchFPUOwner(to newOwner: Thread?) {
        guard let fpu else { return }
        if let owner = fpuOwner { fpu.save(into: owner) }
        if let newOwner { fpu.load(from: newOwner) }
        state.pointee.fpuEnabled = newOwner != nil
        state.pointee.fpuOwner = newOwner?.address ?? 0
    }

    /// `lazyFPURestore` for the thread about to run: off if its FPU is disabled, on if it
    /// owns the unit, else it becomes the owner. The platform calls it for the thread it
    /// returns to (seL4 calls it in `switchToThread` and when the current thread's flags
    /// change; for the thread that runs the outcome is the same).
    @inline(__always)
    public func lazyFPURestore(_ thread: Thread) {
        guard let fpu else { return }
        let handover = fpuHandover(for: thread)
        guard handover.load else { return }
        if let owner = handover.previousOwner { fpu.save(into: owner) }
        fpu.load(from: thread)
    }

    /// `lazyFPURestore`'s decision, with the unit's state updated, for a platform that moves
    /// the registers itself on its hot path (without the `FloatingPointUnit` handle, whose
    /// reference counting costs more than the check): whether `thread` takes the unit over
    /// (`load`), and from whom (`previousOwner`, whose registers to save first). The platform
    /// must then save and load exactly as `lazyFPURestore` would.
    @inline(__always)
    public func fpuHandover(for thread: Thread) -> (load: Bool, previousOwner: Thread?) {
        if thread.flags & ThreadFlag.fpuDisabled != 0 {
            state.pointee.fpuEnabled = false
            return (false, nil)
        }
        let owner = state.pointee.fpuOwner
        state.pointee.fpuEnabled = true
        if owner == thread.address { return (false, nil) }
        state.pointee.fpuOwner = thread.address
        return (true, Thread(address: owner))
    }

    /// `fpuRelease`: a thread that is deleted or has its FPU disabled gives the unit up (its
    /// state saved), so the owner never names a dead or disabled thread.
    func fpuRelease(_ thread: Thread) {
        if state.pointee.fpuOwner == thread.address { switchFPUOwner(to: nil) }
    }
}
