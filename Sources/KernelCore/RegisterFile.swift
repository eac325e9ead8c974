import SeL4ABI

/// The register file of a thread: the architecture's `seL4_UserContext` words in libsel4's
/// order (what Read/WriteRegisters transfer), followed by `faultIP`, the address of the
/// instruction that entered the kernel (a thread in `Restart` resumes there, TS-3).
///
/// Each architecture defines the same names (as Hubris's `arch` modules do); the kernel core
/// uses only these.
public enum RegisterFile {
    /// Words reserved for the register file in every TCB.
    public static let capacity = 48

    #if arch(x86_64)
    // seL4_UserContext (x86_64): rip rsp rflags rax rbx rcx rdx rsi rdi rbp r8..r15 fs_base gs_base.
    public static let userContextWords = 20
    /// `n_frameRegisters`: the first words of `seL4_UserContext`, the rest are
    /// `gpRegisters` (CopyRegisters' "transfer frame" and "transfer integer" halves).
    public static let frameRegisterCount = 18
    public static let pc = 0, sp = 1, flags = 2
    static let rax = 3, rbx = 4, rcx = 5, rdx = 6, rsi = 7, rdi = 8, rbp = 9
    static let r8 = 10, r9 = 11, r10 = 12, r15 = 17
    /// ABI-1: RDI carries the cap in and the badge out, RSI the msgInfo, R10 R8 R9 R15 MR0..3.
    public static let capRegister = rdi
    public static let badgeRegister = rdi
    public static let msgInfoRegister = rsi
    /// `seL4_TCB_SetTLSBase` writes fs_base.
    public static let tlsBase = 18
    /// The `syscall` instruction's length: a thread returns past it.
    public static let syscallInstructionBytes: Word = 2
    @inlinable public static func messageRegisters(_ i: Int) -> Int {
        switch i { case 0: 12; case 1: 10; case 2: 11; default: 17 }
    }
    /// FAULT-6: RAX RBX RCX RDX RSI RDI RBP R8..R15, FaultIP, SP, FLAGS, then the syscall number.
    static func unknownSyscallMessageRegister(_ i: Int) -> Int {
        switch i {
        case 0...6: 3 + i          // rax rbx rcx rdx rsi rdi rbp
        case 7...14: 10 + (i - 7)  // r8..r15
        case 15: faultIP
        case 16: sp
        default: flags
        }
    }
    #elseif arch(arm64)
    // seL4_UserContext (aarch64): pc sp spsr x0..x8 x16 x17 x18 x29 x30 x9..x15 x19..x28
    // tpidr_el0 tpidrro_el0 (libsel4's order: the frame registers first).
    public static let userContextWords = 36
    public static let frameRegisterCount = 17
    public static let pc = 0, sp = 1, flags = 2
    static func x(_ n: Int) -> Int { 3 + n }
    public static let capRegister = 3
    public static let badgeRegister = 3
    public static let msgInfoRegister = 4
    /// `seL4_TCB_SetTLSBase` writes tpidr_el0.
    public static let tlsBase = 34
    /// `svc #0` is one 4-byte instruction.
    public static let syscallInstructionBytes: Word = 4
    @inlinable public static func messageRegisters(_ i: Int) -> Int { 5 + i }
    /// FAULT-6: X0..X7, FaultIP, SP, LR (x30, word 16), SPSR, then the syscall number.
    static func unknownSyscallMessageRegister(_ i: Int) -> Int {
        switch i {
        case 0...7: 3 + i
        case 8: faultIP
        case 9: sp
        case 10: 16
        default: flags
        }
    }
    #elseif arch(riscv64)
    // seL4_UserContext (riscv64): pc ra sp gp s0..s11 a0..a7 t0..t6 tp.
    public static let userContextWords = 32
    public static let frameRegisterCount = 31
    public static let pc = 0, sp = 2, flags = 0
    static let ra = 1
    static func a(_ n: Int) -> Int { 16 + n }
    public static let capRegister = 16
    public static let badgeRegister = 16
    public static let msgInfoRegister = 17
    /// `seL4_TCB_SetTLSBase` writes tp.
    public static let tlsBase = 31
    /// `ecall` is one 4-byte instruction.
    public static let syscallInstructionBytes: Word = 4
    @inlinable public static func messageRegisters(_ i: Int) -> Int { 18 + i }
    /// FAULT-6: FaultIP, SP, RA, A0..A6, then the syscall number.
    static func unknownSyscallMessageRegister(_ i: Int) -> Int {
        switch i {
        case 0: faultIP
        case 1: sp
        case 2: ra
        default: 16 + (i - 3)
        }
    }
    #else
    #error("SwiftL4 supports x86_64, aarch64 and riscv64")
    #endif

    /// FAULT-6: the registers of an UnknownSyscall message (all but its last word, the syscall
    /// number) and of a UserException message (all but Number and Code).
    static let unknownSyscallRegisterCount = FaultMessage.UnknownSyscall.length - 1
    static let userExceptionRegisterCount = FaultMessage.UserException.length - 2

    /// FAULT-6: a UserException message starts with FaultIP, SP (and FLAGS where the
    /// architecture has one), then Number and Code.
    static func userExceptionRegister(_ i: Int) -> Int {
        switch i { case 0: faultIP; case 1: sp; default: flags }
    }

    /// The registers holding a new thread's first three arguments (hosted contract: rdi, rsi,
    /// rdx on x86_64; x0..x2 on aarch64; a0..a2 on riscv64).
    public static func argumentRegister(_ i: Int) -> Int {
        #if arch(x86_64)
        switch i { case 0: 8; case 1: 7; default: 6 }
        #elseif arch(arm64)
        3 + i
        #else
        16 + i
        #endif
    }

    /// The register holding word `i` of `seL4_UserContext`: the context's PC is the restart
    /// address (seL4 reports and sets FaultIP there).
    @inlinable public static func userContextRegister(_ i: Int) -> Int { i == pc ? faultIP : i }

    /// The restart address of the last kernel entry (TS-3).
    public static let faultIP = userContextWords
}
