/* The F and D registers, saved into and loaded from a thread's platform words (trap_state.h)
 * when the kernel core switches the unit's owner (KernelCore's FPU.swift, FPU-1), and
 * sstatus.FS, which makes the unit usable in user mode or makes every FP instruction an
 * illegal-instruction trap. Compiled with the D extension; the kernel's own code never uses
 * FP registers (it is built for rv64imac). */
#include "trap_state.h"

#define SSTATUS_FS_MASK (3ul << 13)
#define SSTATUS_FS_CLEAN (2ul << 13)
#define SSTATUS_FS_DIRTY (3ul << 13)
/* The bit that tells Dirty (11) from Clean (10). */
#define SSTATUS_FS_DIRTY_BIT (1ul << 13)

/* Whether the owner's registers may differ from its saved copy although sstatus.FS cannot say
 * so: they were Dirty when the unit was turned off for a thread without it. With the unit on,
 * FS itself says (the hardware sets Dirty on any write to an F register or fcsr; the kernel
 * leaves it Clean after every save and load). Cleared when the registers are saved or loaded. */
static int owner_dirty;

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
    if (before != SSTATUS_FS_DIRTY && !owner_dirty) return;
    fpu_on_for_kernel();
#define SAVE(n) __asm__ volatile("fsd f" #n ", %0" : "=m"(thread->fpu_registers[n]));
    FP_REGISTERS(SAVE)
#undef SAVE
    uint64_t fcsr;
    __asm__ volatile("frcsr %0" : "=r"(fcsr));
    thread->fcsr = fcsr;
    owner_dirty = 0;
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
    owner_dirty = 0;
    __asm__ volatile("csrc sstatus, %0" ::"r"(SSTATUS_FS_DIRTY_BIT));
}

/* sstatus.FS for the return to user mode, written on every return: usable or Off (FP
 * instructions trap). */
void swiftl4_fpu_user_on(void) {
    /* Setting the high bit makes Off (00) Clean (10) and leaves Clean and Dirty (11) as they
     * are (the kernel never leaves FS Initial, 01). */
    __asm__ volatile("csrs sstatus, %0" ::"r"(SSTATUS_FS_CLEAN));
}

/* Turning it off remembers whether the owner's registers were Dirty (from Off, nothing). */
void swiftl4_fpu_user_off(void) {
    unsigned long before;
    __asm__ volatile("csrrc %0, sstatus, %1" : "=r"(before) : "r"(SSTATUS_FS_MASK));
    if ((before & SSTATUS_FS_MASK) == SSTATUS_FS_DIRTY) owner_dirty = 1;
}
