// Traps: the state the trap entry (start.S) hands in, and their dispatch to the kernel.

import KernelCore

/// What every trap needs, in words of a C global (support.c, `swiftl4_trap_state`) that the
/// trap entry passes in: no class field access (reference counting) and no lazy global
/// initialisation on the hot path. The kernel reference is not counted: `Platform.kernel`
/// keeps the kernel alive for its scene.
struct TrapState {
    let words: UnsafeMutablePointer<Word>

    var kernel: Unmanaged<Kernel>? {
        get { words[0] == 0 ? nil : Unmanaged.fromOpaque(UnsafeRawPointer(bitPattern: UInt(words[0]))!) }
        nonmutating set { words[0] = newValue.map { Word(UInt(bitPattern: $0.toOpaque())) } ?? 0 }
    }
    var activeSATP: Word {
        get { words[1] }
        nonmutating set { words[1] = newValue }
    }
    var kernelSATP: Word {
        get { words[2] }
        nonmutating set { words[2] = newValue }
    }
    var seenGeneration: Word {
        get { words[3] }
        nonmutating set { words[3] = newValue }
    }
    var timerOn: Bool {
        get { words[4] != 0 }
        nonmutating set { words[4] = newValue ? 1 : 0 }
    }
}

/// The platform's (not the trap path's) way to the trap state.
var trapState: TrapState { TrapState(words: trapStateWords()) }

@_cdecl("swiftl4_riscv_trap")
func kernelTrap(_ cause: UInt, _ pc: UInt, _ value: UInt) {
    print("SwiftL4 kernel trap: scause \(hex(Word(cause))) sepc \(hex(Word(pc))) stval \(hex(Word(value)))")
    shutdown(1)
}

/// A trap from user mode (the trap entry has saved the registers in the current thread's
/// register file): a system call, a timer interrupt, or a fault. Returns the register file of
/// the thread to run next, in whose address space the platform has switched.
/// Called by the trap entry (start.S) with the trap state's words and, from their first word,
/// the kernel: a Swift function under its own symbol, so that the kernel arrives as a
/// parameter, which the callee uses without retaining it (the platform keeps it alive).
@_silgen_name("swiftl4_riscv_user_trap")
func userTrap(_ cause: UInt, _ value: UInt, _ words: UnsafeMutablePointer<Word>, _ kernel: Kernel) -> UnsafeMutableRawPointer {
    handleUserTrap(kernel, cause, value, TrapState(words: words))
}

@inline(__always)
func handleUserTrap(_ kernel: Kernel, _ cause: UInt, _ value: UInt, _ state: TrapState) -> UnsafeMutableRawPointer {
    guard let thread = kernel.currentThread else { panic("user trap with no current thread") }
    let next: Thread?
    if cause == 8 {
        // ecall from U-mode (ABI-2): FaultIP is the ecall, the thread goes on after it (TS-3).
        thread[register: RegisterFile.faultIP] = thread[register: RegisterFile.pc]
        thread[register: RegisterFile.pc] &+= 4
        next = kernel.handleSyscall(Int(Int64(bitPattern: thread[register: RegisterFile.argumentRegister(7)])))
    } else if cause >> 63 != 0 {
        // Interrupts: only the supervisor timer (cause 5) is enabled. Charge a tick (SCHED-2).
        if cause & 0xFF == 5 && state.timerOn {
            setTimer(readTime() + timerTicksPerTimeslice)
            next = kernel.handleTimerTick()
        } else {
            next = thread
        }
    } else {
        // Page faults, illegal instructions and the rest: seL4's fault, to the thread's handler.
        next = kernel.handleUserFault(.riscvException(cause: Word(cause), value: Word(value)))
    }
    guard let next else { platform!.nextScene() }
    activateVSpace(kernel, next, state)
    return UnsafeMutableRawPointer(next.registers)
}
