/* SwiftL4 on QEMU `virt` (riscv64): OpenSBI enters here at 0x80200000 in S-mode with
 * a0 = hart id, a1 = device tree. stvec is set first: OpenSBI leaves it pointing at this entry,
 * so an early trap would silently restart the kernel (swift-platform-notes.md, section 2). */
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
    sd x1, 8(t6)
    sd x2, 16(t6)
    sd x3, 24(t6)
    sd x4, 248(t6)
    sd x5, 192(t6)
    sd x6, 200(t6)
    sd x7, 208(t6)
    sd x8, 32(t6)
    sd x9, 40(t6)
    sd x10, 128(t6)
    sd x11, 136(t6)
    sd x12, 144(t6)
    sd x13, 152(t6)
    sd x14, 160(t6)
    sd x15, 168(t6)
    sd x16, 176(t6)
    sd x17, 184(t6)
    sd x18, 48(t6)
    sd x19, 56(t6)
    sd x20, 64(t6)
    sd x21, 72(t6)
    sd x22, 80(t6)
    sd x23, 88(t6)
    sd x24, 96(t6)
    sd x25, 104(t6)
    sd x26, 112(t6)
    sd x27, 120(t6)
    sd x28, 216(t6)
    sd x29, 224(t6)
    sd x30, 232(t6)
    csrrw t0, sscratch, zero   /* the user's t6; sscratch is 0 while the kernel runs */
    sd t0, 240(t6)
    csrr t0, sepc
    sd t0, 0(t6)
    .endm

    .macro RESTORE_USER_REGISTERS_AND_SRET
    csrw sscratch, t6
    ld t0, 0(t6)
    csrw sepc, t0
    ld x1, 8(t6)
    ld x2, 16(t6)
    ld x3, 24(t6)
    ld x4, 248(t6)
    ld x5, 192(t6)
    ld x6, 200(t6)
    ld x7, 208(t6)
    ld x8, 32(t6)
    ld x9, 40(t6)
    ld x10, 128(t6)
    ld x11, 136(t6)
    ld x12, 144(t6)
    ld x13, 152(t6)
    ld x14, 160(t6)
    ld x15, 168(t6)
    ld x16, 176(t6)
    ld x17, 184(t6)
    ld x18, 48(t6)
    ld x19, 56(t6)
    ld x20, 64(t6)
    ld x21, 72(t6)
    ld x22, 80(t6)
    ld x23, 88(t6)
    ld x24, 96(t6)
    ld x25, 104(t6)
    ld x26, 112(t6)
    ld x27, 120(t6)
    ld x28, 216(t6)
    ld x29, 224(t6)
    ld x30, 232(t6)
    ld t6, 240(t6)
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
    csrr a1, stval
    la a2, swiftl4_trap_state
    ld a3, 0(a2)           /* the kernel (Main.swift, TrapState) */
    call swiftl4_riscv_user_trap
    /* Resume the register file the kernel returned. stvec and sstatus need no setting: the
     * trap came from user mode (SPP is 0) with interrupts enabled there (SPIE is 1). */
    mv t6, a0
    RESTORE_USER_REGISTERS_AND_SRET

/* The first entry to user mode of a scene: the trap vector and the return mode set up. */
    .globl swiftl4_enter_user
swiftl4_enter_user:
    mv t6, a0
    la t0, swiftl4_user_trap_entry
    csrw stvec, t0
    li t0, 0x100          /* sstatus.SPP = 0: return to user mode */
    csrc sstatus, t0
    li t0, 0x20           /* SPIE */
    csrs sstatus, t0
    RESTORE_USER_REGISTERS_AND_SRET

/* The floor of the bare-metal measurement (docs/performance.md): two threads swap a 4-word
 * message through two traps, with no capability lookup, no queue, no scheduler and no address-
 * space switch. An `ecall` with a7 = 0 copies a2-a5 into the partner thread's register file
 * (its address is the word after the register file's platform gap, 512 bytes on) and resumes
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
    ld t0, 0(t6)
    addi t0, t0, 4
    sd t0, 0(t6)
    ld t0, 512(t6)
    ld t1, 144(t6)
    sd t1, 144(t0)
    ld t1, 152(t6)
    sd t1, 152(t0)
    ld t1, 160(t6)
    sd t1, 160(t0)
    ld t1, 168(t6)
    sd t1, 168(t0)
    mv t6, t0
    RESTORE_USER_REGISTERS_AND_SRET

    .globl swiftl4_enter_floor
swiftl4_enter_floor:
    mv t6, a0
    la t0, swiftl4_floor_trap_entry
    csrw stvec, t0
    li t0, 0x100
    csrc sstatus, t0
    li t0, 0x20
    csrs sstatus, t0
    RESTORE_USER_REGISTERS_AND_SRET

    .section .bss
    .align 16
kernel_stack:
    .space 65536
kernel_stack_top:
