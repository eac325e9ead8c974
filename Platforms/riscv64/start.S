/* SwiftL4 on QEMU `virt` (riscv64): OpenSBI enters here at 0x80200000 in S-mode with
 * a0 = hart id, a1 = device tree. stvec is set first: OpenSBI leaves it pointing at this entry,
 * so an early trap would silently restart the kernel (swift-platform-notes.md, section 2).
 * Offsets into register files, TCBs and the trap state: trap_state.h. */
#include "trap_state.h"

    .section .text.entry
    .globl _start
_start:
    la t0, early_trap
    csrw stvec, t0
    la sp, kernel_stack_top
    call swiftl4_riscv_main
1:  wfi
    j 1b

    .align 4
early_trap:
    la sp, kernel_stack_top
    csrr a0, scause
    csrr a1, sepc
    csrr a2, stval
    call swiftl4_riscv_trap
2:  wfi
    j 2b


/* Traps from user mode. sscratch holds the running thread's register file (seL4_UserContext
 * order: pc ra sp gp s0-s11 a0-a7 t0-t6 tp, then FaultIP): the trap saves every register there,
 * runs the kernel on the kernel stack, and resumes whichever thread's register file the kernel
 * returns. There is one kernel stack: the kernel is event-driven and never blocks. */
    .macro SAVE_USER_REGISTERS
    sd x1, SWIFTL4_UC_RA(t6)
    sd x2, SWIFTL4_UC_SP(t6)
    sd x3, SWIFTL4_UC_GP(t6)
    sd x4, SWIFTL4_UC_TP(t6)
    sd x5, SWIFTL4_UC_T0(t6)
    sd x6, SWIFTL4_UC_T1(t6)
    sd x7, SWIFTL4_UC_T2(t6)
    sd x8, SWIFTL4_UC_S0(t6)
    sd x9, SWIFTL4_UC_S1(t6)
    sd x10, SWIFTL4_UC_A0(t6)
    sd x11, SWIFTL4_UC_A1(t6)
    sd x12, SWIFTL4_UC_A2(t6)
    sd x13, SWIFTL4_UC_A3(t6)
    sd x14, SWIFTL4_UC_A4(t6)
    sd x15, SWIFTL4_UC_A5(t6)
    sd x16, SWIFTL4_UC_A6(t6)
    sd x17, SWIFTL4_UC_A7(t6)
    sd x18, SWIFTL4_UC_S2(t6)
    sd x19, SWIFTL4_UC_S3(t6)
    sd x20, SWIFTL4_UC_S4(t6)
    sd x21, SWIFTL4_UC_S5(t6)
    sd x22, SWIFTL4_UC_S6(t6)
    sd x23, SWIFTL4_UC_S7(t6)
    sd x24, SWIFTL4_UC_S8(t6)
    sd x25, SWIFTL4_UC_S9(t6)
    sd x26, SWIFTL4_UC_S10(t6)
    sd x27, SWIFTL4_UC_S11(t6)
    sd x28, SWIFTL4_UC_T3(t6)
    sd x29, SWIFTL4_UC_T4(t6)
    sd x30, SWIFTL4_UC_T5(t6)
    csrrw t0, sscratch, zero   /* the user's t6; sscratch is 0 while the kernel runs */
    sd t0, SWIFTL4_UC_T6(t6)
    csrr t0, sepc
    sd t0, SWIFTL4_UC_PC(t6)
    .endm

    /* switch_satp: the address space too, from the satp the kernel cached in the thread's TCB
     * (VSpace.swift, `cacheSATP`), written on every return as seL4's fastpath writes it: one
     * load and one CSR write cost less than telling whether it changed. The floor's threads
     * share one address space and skip it. */
    .macro RESTORE_USER_REGISTERS_AND_SRET switch_satp=1
    .if \switch_satp
    ld t0, SWIFTL4_SATP(t6)
    csrw satp, t0
    .endif
    csrw sscratch, t6
    ld t0, SWIFTL4_UC_PC(t6)
    csrw sepc, t0
    ld x1, SWIFTL4_UC_RA(t6)
    ld x2, SWIFTL4_UC_SP(t6)
    ld x3, SWIFTL4_UC_GP(t6)
    ld x4, SWIFTL4_UC_TP(t6)
    ld x5, SWIFTL4_UC_T0(t6)
    ld x6, SWIFTL4_UC_T1(t6)
    ld x7, SWIFTL4_UC_T2(t6)
    ld x8, SWIFTL4_UC_S0(t6)
    ld x9, SWIFTL4_UC_S1(t6)
    ld x10, SWIFTL4_UC_A0(t6)
    ld x11, SWIFTL4_UC_A1(t6)
    ld x12, SWIFTL4_UC_A2(t6)
    ld x13, SWIFTL4_UC_A3(t6)
    ld x14, SWIFTL4_UC_A4(t6)
    ld x15, SWIFTL4_UC_A5(t6)
    ld x16, SWIFTL4_UC_A6(t6)
    ld x17, SWIFTL4_UC_A7(t6)
    ld x18, SWIFTL4_UC_S2(t6)
    ld x19, SWIFTL4_UC_S3(t6)
    ld x20, SWIFTL4_UC_S4(t6)
    ld x21, SWIFTL4_UC_S5(t6)
    ld x22, SWIFTL4_UC_S6(t6)
    ld x23, SWIFTL4_UC_S7(t6)
    ld x24, SWIFTL4_UC_S8(t6)
    ld x25, SWIFTL4_UC_S9(t6)
    ld x26, SWIFTL4_UC_S10(t6)
    ld x27, SWIFTL4_UC_S11(t6)
    ld x28, SWIFTL4_UC_T3(t6)
    ld x29, SWIFTL4_UC_T4(t6)
    ld x30, SWIFTL4_UC_T5(t6)
    ld t6, SWIFTL4_UC_T6(t6)
    sret
    .endm

    .text
    .align 4
    .globl swiftl4_user_trap_entry
swiftl4_user_trap_entry:
    csrrw t6, sscratch, t6
    /* sscratch is 0 while the kernel runs: a trap taken in supervisor mode is a kernel bug
     * (a Swift runtime trap is an illegal instruction). Report it and stop. */
    beqz t6, early_trap
    SAVE_USER_REGISTERS
kernel_entry:
    la sp, kernel_stack_top
    csrr a0, scause
    addi a1, t6, -SWIFTL4_TCB_TO_REGISTERS  /* the current thread: its TCB */
    la a2, swiftl4_trap_state
    ld a3, SWIFTL4_TRAP_STATE_KERNEL(a2)  /* the kernel (Trap.swift, TrapState) */
    /* Call (a7 = -1) and ReplyRecv (-2) have handlers of their own, as seL4's entry sends them
     * to its fastpath functions; every other trap goes to the general one. None returns here:
     * each ends in swiftl4_resume_user (so that a Swift handler, which cannot return, keeps no
     * frame to unwind). The two are declared returning, so that their common case ends in a
     * jump to it (Trap.swift, `fastSystemCall`): they are called, and stop the kernel with an
     * illegal instruction, reported as a kernel trap, if one ever did return. a7 is still the
     * user's: the save above used only t0 and t6. */
    li t0, 8                  /* scause: ecall from U-mode */
    bne a0, t0, 1f
    li t0, -1                 /* seL4_SysCall */
    beq a7, t0, 2f
    li t0, -2                 /* seL4_SysReplyRecv */
    beq a7, t0, 3f
1:  tail swiftl4_riscv_user_trap
2:  call swiftl4_riscv_call_trap
    unimp
3:  call swiftl4_riscv_replyrecv_trap
    unimp

/* Resume the thread (a TCB) the kernel chose, with sstatus.FS for user mode as the kernel's
 * FPU decision says (Trap.swift, `resume`): off, on, or left as it is. stvec and the rest of
 * sstatus need no setting: the trap came from user mode (SPP is 0) with interrupts enabled
 * there (SPIE is 1). */
    .globl swiftl4_resume_user_fpu_off
swiftl4_resume_user_fpu_off:
    li t0, SWIFTL4_SSTATUS_FS_MASK
    csrrc t1, sstatus, t0
    and t1, t1, t0
    bne t1, t0, swiftl4_resume_user
    /* It was Dirty: the owner's registers differ from their saved copy (trap_state.h). */
    li t1, 1
    la t0, swiftl4_fpu_owner_dirty
    sw t1, 0(t0)
    j swiftl4_resume_user

    .globl swiftl4_resume_user_fpu_on
swiftl4_resume_user_fpu_on:
    /* FS's high bit: Off becomes Clean; Clean and Dirty stay as they are. */
    li t0, SWIFTL4_SSTATUS_FS_CLEAN
    csrs sstatus, t0

    .globl swiftl4_resume_user
swiftl4_resume_user:
    addi t6, a0, SWIFTL4_TCB_TO_REGISTERS
    RESTORE_USER_REGISTERS_AND_SRET

/* Before the first entry to user mode of a scene (then a swiftl4_resume_user*): the trap vector
 * and the return mode. */
    .globl swiftl4_prepare_user_entry
swiftl4_prepare_user_entry:
    la t0, swiftl4_user_trap_entry
    csrw stvec, t0
    li t0, 0x100          /* sstatus.SPP = 0: return to user mode */
    csrc sstatus, t0
    li t0, 0x20           /* SPIE */
    csrs sstatus, t0
    ret

/* The floor of the bare-metal measurement (docs/performance.md): two threads swap a 4-word
 * message through two traps, with no capability lookup, no queue, no scheduler and no address-
 * space switch. An `ecall` with a7 = 0 copies a2-a5 into the partner thread's register file
 * (its address is the floor-partner word of the TCB's platform area, trap_state.h) and resumes
 * the partner; any other trap goes to the kernel as usual. */
    .align 4
    .globl swiftl4_floor_trap_entry
swiftl4_floor_trap_entry:
    csrrw t6, sscratch, t6
    SAVE_USER_REGISTERS
    csrr t0, scause
    li t1, 8
    bne t0, t1, kernel_entry
    bnez a7, kernel_entry
    ld t0, SWIFTL4_UC_PC(t6)
    addi t0, t0, 4
    sd t0, SWIFTL4_UC_PC(t6)
    ld t0, SWIFTL4_FLOOR_PARTNER(t6)
    ld t1, SWIFTL4_UC_A2(t6)
    sd t1, SWIFTL4_UC_A2(t0)
    ld t1, SWIFTL4_UC_A3(t6)
    sd t1, SWIFTL4_UC_A3(t0)
    ld t1, SWIFTL4_UC_A4(t6)
    sd t1, SWIFTL4_UC_A4(t0)
    ld t1, SWIFTL4_UC_A5(t6)
    sd t1, SWIFTL4_UC_A5(t0)
    mv t6, t0
    RESTORE_USER_REGISTERS_AND_SRET switch_satp=0

    .globl swiftl4_enter_floor
swiftl4_enter_floor:
    mv t6, a0
    la t0, swiftl4_floor_trap_entry
    csrw stvec, t0
    li t0, 0x100
    csrc sstatus, t0
    li t0, 0x20
    csrs sstatus, t0
    RESTORE_USER_REGISTERS_AND_SRET switch_satp=0

    .section .bss
    .align 16
kernel_stack:
    .space 65536
kernel_stack_top:
