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

    .section .bss
    .align 16
kernel_stack:
    .space 65536
kernel_stack_top:
