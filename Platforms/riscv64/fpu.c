/* The F and D registers, saved into and loaded from a thread's platform words (trap_state.h)
 * when the kernel core switches the unit's owner (KernelCore's FPU.swift, FPU-1). sstatus.FS,
 * which makes the unit usable in user mode or makes every FP instruction an illegal-instruction
 * trap, is set for user mode by the return to it (start.S). Compiled with the D extension; the
 * kernel's own code never uses FP registers (it is built for rv64imac). */
#include "trap_state.h"

#define SSTATUS_FS_MASK ((unsigned long)SWIFTL4_SSTATUS_FS_MASK)
#define SSTATUS_FS_DIRTY ((unsigned long)SWIFTL4_SSTATUS_FS_DIRTY)
/* The bit that tells Dirty (11) from Clean (10). */
#define SSTATUS_FS_DIRTY_BIT (SSTATUS_FS_DIRTY & ~(unsigned long)SWIFTL4_SSTATUS_FS_CLEAN)

int swiftl4_fpu_owner_dirty;

static unsigned long fs(void)
{
    unsigned long sstatus;
    __asm__ volatile("csrr %0, sstatus" : "=r"(sstatus));
    return sstatus & SSTATUS_FS_MASK;
}

/* The unit must be on (FS not Off) for the kernel to touch its registers. */
static void fpu_on_for_kernel(void) { __asm__ volatile("csrs sstatus, %0" ::"r"(SSTATUS_FS_MASK)); }

#define FP_REGISTERS(op)                                                                           \
    op(0) op(1) op(2) op(3) op(4) op(5) op(6) op(7) op(8) op(9) op(10) op(11) op(12) op(13) op(14) \
    op(15) op(16) op(17) op(18) op(19) op(20) op(21) op(22) op(23) op(24) op(25) op(26) op(27)     \
    op(28) op(29) op(30) op(31)

/* The owner's registers into its saved copy, unless they are the copy it loaded (FS Clean or
 * Off, and not marked dirty): then the copy stands and nothing is touched. FS is left as it
 * was for user mode: Off stays Off, on becomes Clean. */
void swiftl4_fpu_save(swiftl4_thread_platform_t *thread) {
    unsigned long before = fs();
    if (before != SSTATUS_FS_DIRTY && !swiftl4_fpu_owner_dirty) return;
    fpu_on_for_kernel();
#define SAVE(n) __asm__ volatile("fsd f" #n ", %0" : "=m"(thread->fpu_registers[n]));
    FP_REGISTERS(SAVE)
#undef SAVE
    uint64_t fcsr;
    __asm__ volatile("frcsr %0" : "=r"(fcsr));
    thread->fcsr = fcsr;
    swiftl4_fpu_owner_dirty = 0;
    if (before == 0) {
        __asm__ volatile("csrc sstatus, %0" ::"r"(SSTATUS_FS_MASK));
    } else {
        __asm__ volatile("csrc sstatus, %0" ::"r"(SSTATUS_FS_DIRTY_BIT));
    }
}

/* A new owner's registers from its saved copy; FS is then Clean (the registers match it). */
void swiftl4_fpu_load(const swiftl4_thread_platform_t *thread) {
    fpu_on_for_kernel();
#define LOAD(n) __asm__ volatile("fld f" #n ", %0" ::"m"(thread->fpu_registers[n]));
    FP_REGISTERS(LOAD)
#undef LOAD
    __asm__ volatile("fscsr %0" ::"r"(thread->fcsr));
    swiftl4_fpu_owner_dirty = 0;
    __asm__ volatile("csrc sstatus, %0" ::"r"(SSTATUS_FS_DIRTY_BIT));
}
