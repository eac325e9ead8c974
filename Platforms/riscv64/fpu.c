/* The F and D registers, saved into and loaded from a thread's platform words (trap_state.h)
 * when the kernel core switches the unit's owner (KernelCore's FPU.swift, FPU-1), and
 * sstatus.FS, which makes the unit usable in user mode or makes every FP instruction an
 * illegal-instruction trap. Compiled with the D extension; the kernel's own code never uses
 * FP registers (it is built for rv64imac). */
#include "trap_state.h"

#define SSTATUS_FS_MASK (3ul << 13)
#define SSTATUS_FS_CLEAN (2ul << 13)

/* The unit must be on (FS not Off) for the kernel to touch its registers. */
static void fpu_on_for_kernel(void) { __asm__ volatile("csrs sstatus, %0" ::"r"(SSTATUS_FS_MASK)); }

#define FP_REGISTERS(op)                                                                           \
    op(0) op(1) op(2) op(3) op(4) op(5) op(6) op(7) op(8) op(9) op(10) op(11) op(12) op(13) op(14) \
    op(15) op(16) op(17) op(18) op(19) op(20) op(21) op(22) op(23) op(24) op(25) op(26) op(27)     \
    op(28) op(29) op(30) op(31)

void swiftl4_fpu_save(swiftl4_thread_platform_t *thread) {
    fpu_on_for_kernel();
#define SAVE(n) __asm__ volatile("fsd f" #n ", %0" : "=m"(thread->fpu_registers[n]));
    FP_REGISTERS(SAVE)
#undef SAVE
    uint64_t fcsr;
    __asm__ volatile("frcsr %0" : "=r"(fcsr));
    thread->fcsr = fcsr;
}

void swiftl4_fpu_load(const swiftl4_thread_platform_t *thread) {
    fpu_on_for_kernel();
#define LOAD(n) __asm__ volatile("fld f" #n ", %0" ::"m"(thread->fpu_registers[n]));
    FP_REGISTERS(LOAD)
#undef LOAD
    __asm__ volatile("fscsr %0" ::"r"(thread->fcsr));
}

/* sstatus.FS for the return to user mode: Clean (usable) or Off (FP instructions trap). */
void swiftl4_fpu_set_user_access(int on) {
    __asm__ volatile("csrc sstatus, %0" ::"r"(SSTATUS_FS_MASK));
    if (on) __asm__ volatile("csrs sstatus, %0" ::"r"(SSTATUS_FS_CLEAN));
}
