// Traps: the state the trap entry (start.S) hands in, and their dispatch to the kernel.

import CRISCVPlatform
import KernelCore

/// What every trap needs, in a C global (trap_state.h, `swiftl4_trap_state_t`; support.c) that
/// the trap entry passes in: no class field access (reference counting) and no lazy global
/// initialisation on the hot path. The kernel reference is not counted: `Platform.kernel`
/// keeps the kernel alive for its scene.
struct TrapState {
    let pointer: UnsafeMutablePointer<swiftl4_trap_state_t>

    var kernel: Unmanaged<Kernel>? {
        get { pointer.pointee.kernel.map { Unmanaged.fromOpaque($0) } }
        nonmutating set { pointer.pointee.kernel = newValue?.toOpaque() }
    }
    var kernelSATP: Word {
        get { pointer.pointee.kernel_satp }
        nonmutating set { pointer.pointee.kernel_satp = newValue }
    }
    var seenGeneration: Word {
        get { pointer.pointee.seen_generation }
        nonmutating set { pointer.pointee.seen_generation = newValue }
    }
    var timerOn: Bool {
        get { pointer.pointee.timer_on != 0 }
        nonmutating set { pointer.pointee.timer_on = newValue ? 1 : 0 }
    }
}

/// The F/D unit for the kernel core's owner switching (FPU-1): registers kept in each TCB's
/// platform words (trap_state.h, fpu.c).
final class RISCVFPU: FloatingPointUnit {
    func save(into thread: Thread) { fpuSave(thread.platformWords) }
    func load(from thread: Thread) { fpuLoad(thread.platformWords) }
}

/// What the return to user mode does with sstatus.FS (start.S, `swiftl4_resume_user*`).
enum UserFPUAccess {
    /// The kernel has no FPU: FS stays as it is (off).
    case unchanged
    case on
    case off
}

/// On the way back to user mode: the core's `lazyFPURestore` for the thread that runs, its
/// registers moved here without the unit's handle (`fpuHandover`); returns what FS must be,
/// which the return writes every time as seL4's `enableFpu`/`disableFpu` are (one CSR
/// instruction costs less than remembering what was written last and testing it).
@inline(__always)
func restoreFPU(_ kernel: Kernel, _ thread: Thread) -> UserFPUAccess {
    switch fpuDecision(kernel, thread) {
    case .ready(let access): return access
    case .load(let previousOwner):
        takeFPU(thread, from: previousOwner)
        return .on
    }
}

/// What the return to user mode of a thread needs of the FPU (FPU-1).
enum FPUDecision {
    /// FS set as `access` says, nothing moved.
    case ready(UserFPUAccess)
    /// The thread takes the unit over: `previousOwner`'s registers saved, its own loaded
    /// (`takeFPU`), then FS on.
    case load(previousOwner: Thread?)
}

/// `restoreFPU`'s decision, made (the handover recorded in the core) but not carried out, for
/// `fastSystemCall`, which carries out a load in a function of its own.
@inline(__always)
func fpuDecision(_ kernel: Kernel, _ thread: Thread) -> FPUDecision {
    guard kernel.fpu != nil else { return .ready(.unchanged) }
    let handover = kernel.fpuHandover(for: thread)
    if handover.load { return .load(previousOwner: handover.previousOwner) }
    return .ready(kernel.fpuEnabled ? .on : .off)
}

/// The handover's moves: the previous owner's registers saved, `thread`'s loaded.
@inline(__always)
func takeFPU(_ thread: Thread, from previousOwner: Thread?) {
    if let owner = previousOwner { fpuSave(owner.platformWords) }
    fpuLoad(thread.platformWords)
}

/// The return to user mode of `thread`, with FS set as `access` says.
@inline(__always)
func resume(_ thread: Thread, _ access: UserFPUAccess) -> Never {
    returnToUser(thread, access)
    fatalError("the return to user mode returned")
}

/// `resume` as a handler's last call, a tail call: the handler keeps no frame.
@inline(__always)
func returnToUser(_ thread: Thread, _ access: UserFPUAccess) {
    switch access {
    case .unchanged: resumeUser(thread.base)
    case .on: resumeUserFPUOn(thread.base)
    case .off: resumeUserFPUOff(thread.base)
    }
}

/// The platform's (not the trap path's) way to the trap state.
var trapState: TrapState { TrapState(pointer: trapStatePointer()) }

@_cdecl("swiftl4_riscv_trap")
func kernelTrap(_ cause: UInt, _ pc: UInt, _ value: UInt) {
    print("SwiftL4 kernel trap: scause \(hex(Word(cause))) sepc \(hex(Word(pc))) stval \(hex(Word(value)))")
    shutdown(1)
}

/// A trap from user mode by `thread`, the current thread (the trap entry has saved its registers
/// in its register file): a system call, a timer interrupt, or a fault. Ends in the return to
/// user mode of the thread to run next (start.S, `swiftl4_resume_user`), in its address space.
/// Called by the trap entry with the trap state and, from its kernel word, the kernel: a Swift
/// function under its own symbol, so that the kernel arrives as a parameter, which the callee
/// uses without retaining it (the platform keeps it alive).
@_silgen_name("swiftl4_riscv_user_trap")
func userTrap(_ cause: UInt, _ thread: UnsafeMutableRawPointer, _ state: UnsafeMutablePointer<swiftl4_trap_state_t>,
              _ kernel: Kernel) -> Never {
    let caller = Thread(base: thread), trapState = TrapState(pointer: state)
    let next: Thread?
    if cause == 8 {
        next = handleSystemCall(kernel, Int(Int64(bitPattern: caller[register: RegisterFile.argumentRegister(7)])), by: caller)
    } else {
        next = handleInterruptOrFault(kernel, cause, caller, trapState)
    }
    switchTo(kernel, next)
}

/// Call and ReplyRecv, which the trap entry sends here by a7 (as seL4's trap entry sends them
/// to `fastpath_call` and `fastpath_reply_recv`): one handler each, so that each inlines its
/// own fastpath with the system call number a constant. Otherwise as `userTrap` (the trap
/// state is the same argument; these handlers reach it only on the cold paths, through
/// `trapState`).
@_silgen_name("swiftl4_riscv_call_trap")
func callTrap(_ cause: UInt, _ thread: UnsafeMutableRawPointer, _: UnsafeMutablePointer<swiftl4_trap_state_t>,
              _ kernel: Kernel) {
    fastSystemCall(kernel, Syscall.call.rawValue, by: Thread(base: thread))
}

@_silgen_name("swiftl4_riscv_replyrecv_trap")
func replyRecvTrap(_ cause: UInt, _ thread: UnsafeMutableRawPointer, _: UnsafeMutablePointer<swiftl4_trap_state_t>,
                   _ kernel: Kernel) {
    fastSystemCall(kernel, Syscall.replyRecv.rawValue, by: Thread(base: thread))
}

/// Call or ReplyRecv (`number`) by `thread`: the fastpath and the return to user mode, the
/// common case, with no call but the last, a jump (the handler then keeps no stack frame and
/// saves no register: it never returns), as seL4's fastpath ends in its restore; everything
/// else (the slowpath, a stale address-space cache, an FPU handover) in functions of its own,
/// jumped to as well. They and the handlers are declared returning, for those jumps; none
/// returns (each ends in `resume`; start.S stops if a handler did).
@inline(__always)
func fastSystemCall(_ kernel: Kernel, _ number: Int, by thread: Thread) {
    enterSystemCall(thread)
    guard let next = kernel.completeOnFastpath(number, by: thread) else { return slowSystemCall(kernel, number, by: thread) }
    guard hasCachedSATP(kernel, next) else { return switchToSlowly(kernel, next) }
    switch fpuDecision(kernel, next) {
    case .ready(let access): returnToUser(next, access)
    case .load(let previousOwner): handOverFPUAndResume(next, from: previousOwner)
    }
}

/// The slowpath of a Call or ReplyRecv the fastpath did not complete (nothing changed).
@inline(never)
func slowSystemCall(_ kernel: Kernel, _ number: Int, by thread: Thread) {
    switchTo(kernel, kernel.handleSyscallAfterFastpath(number, by: thread))
}

/// `switchTo` for a thread whose satp cache is stale (the first return after a translation
/// changed): it recomputes the cache, then makes the FPU handover itself.
@inline(never)
func switchToSlowly(_ kernel: Kernel, _ next: Thread) { switchTo(kernel, next) }

/// `restoreFPU`'s load, for `fastSystemCall`, which has made the decision.
@inline(never)
func handOverFPUAndResume(_ thread: Thread, from previousOwner: Thread?) {
    takeFPU(thread, from: previousOwner)
    resume(thread, .on)
}

/// An `ecall` from U-mode (ABI-2): FaultIP is the ecall, the thread goes on after it (TS-3).
@inline(__always)
func handleSystemCall(_ kernel: Kernel, _ number: Int, by thread: Thread) -> Thread? {
    enterSystemCall(thread)
    return kernel.handleSyscall(number, by: thread)
}

@inline(__always)
func enterSystemCall(_ thread: Thread) {
    thread[register: RegisterFile.faultIP] = thread[register: RegisterFile.pc]
    thread[register: RegisterFile.pc] &+= 4
}

/// The return to user mode of the thread to run next, its address space chosen and its FPU
/// access set; none: the scene is over or the system at rest.
@inline(__always)
func switchTo(_ kernel: Kernel, _ next: Thread?) -> Never {
    guard let next else { platform!.atRest() }
    cacheSATP(kernel, next)
    resume(next, restoreFPU(kernel, next))
}

/// The traps that are not system calls, out of the system call's way.
@inline(never)
func handleInterruptOrFault(_ kernel: Kernel, _ cause: UInt, _ thread: Thread, _ state: TrapState) -> Thread? {
    if cause >> 63 != 0 {
        // Interrupts: only the supervisor timer (cause 5) is enabled. Charge a tick (SCHED-2).
        guard cause & 0xFF == 5 && state.timerOn else { return thread }
        setTimer(readTime() + timerTicksPerTimeslice)
        return kernel.handleTimerTick()
    }
    // Page faults, illegal instructions and the rest: seL4's fault, to the thread's handler.
    return kernel.handleUserFault(.riscvException(cause: Word(cause), value: Word(readSTVAL())))
}
