/* The memory layout the trap entry (start.S), support.c and the Swift platform share, defined
 * once: the trap state, the platform's words in a TCB, and the register file's offsets.
 *
 * start.S uses the byte offsets below (the assembler sees only the #defines); C checks them
 * against the structs with _Static_assert; Swift imports the structs themselves (module
 * CRISCVPlatform, platform.modulemap) and checks, at boot, the facts the kernel core defines on
 * its own side (Layout.swift, `checkTrapLayout`): the TCB's layout and RegisterFile's numbering. */
#pragma once

/* The kernel's addresses. Physical memory is reached through the kernel window at seL4's
 * PPTR_BASE (kernel pointer = physical + SWIFTL4_PPTR_BASE), above seL4_UserTop as in seL4.
 * The kernel image itself stays where OpenSBI loads it, identity-mapped in its gigabyte
 * (0x80000000, root entry 2): Swift's String and enum layouts keep flags in a pointer's top
 * bits, so Swift code and data cannot live in the upper half (docs/architecture.md). That
 * gigabyte is the one part of the user range a VSpace cannot map. VSpace.swift builds the
 * table; support.c's shutdown reaches a device through the window. */
#define SWIFTL4_PPTR_BASE 0xffffffc000000000
#define SWIFTL4_KERNEL_PHYSICAL_GIGABYTE 0x80000000
/* Root-table entries: the window's first (PPTR_BASE's) and its count (254 GiB, as in seL4:
 * the top 2 GiB of the address space are seL4's kernel image and devices). */
#define SWIFTL4_WINDOW_FIRST_ENTRY 256
#define SWIFTL4_WINDOW_ENTRIES 254

/* sstatus.FS (bits 13-14): Off 00, Clean 10, Dirty 11 (the kernel never leaves it Initial,
 * 01). The return to user mode (start.S) turns it on or off; fpu.c saves and loads. */
#define SWIFTL4_SSTATUS_FS_MASK 0x6000
#define SWIFTL4_SSTATUS_FS_CLEAN 0x4000
#define SWIFTL4_SSTATUS_FS_DIRTY 0x6000

/* The trap state's kernel word, which the trap entry loads into the Swift handler's argument. */
#define SWIFTL4_TRAP_STATE_KERNEL 0

/* From a TCB's base to its register file, and from the register file to the TCB's platform
 * area (KernelCore's `Thread`: registers at 512, platform area at 1024), and the floor's
 * partner word in that area. */
#define SWIFTL4_TCB_TO_REGISTERS 512
#define SWIFTL4_REGISTERS_TO_PLATFORM_AREA 512
#define SWIFTL4_PLATFORM_FLOOR_PARTNER 0
#define SWIFTL4_FLOOR_PARTNER (SWIFTL4_REGISTERS_TO_PLATFORM_AREA + SWIFTL4_PLATFORM_FLOOR_PARTNER)
/* The thread's cached satp in that area, which the return to user mode writes. */
#define SWIFTL4_PLATFORM_SATP 8
#define SWIFTL4_SATP (SWIFTL4_REGISTERS_TO_PLATFORM_AREA + SWIFTL4_PLATFORM_SATP)

/* A register file: seL4_UserContext (riscv64) in libsel4's order, which is KernelCore's
 * RegisterFile numbering (the word index times 8). */
#define SWIFTL4_UC_PC 0
#define SWIFTL4_UC_RA 8
#define SWIFTL4_UC_SP 16
#define SWIFTL4_UC_GP 24
#define SWIFTL4_UC_S0 32
#define SWIFTL4_UC_S1 40
#define SWIFTL4_UC_S2 48
#define SWIFTL4_UC_S3 56
#define SWIFTL4_UC_S4 64
#define SWIFTL4_UC_S5 72
#define SWIFTL4_UC_S6 80
#define SWIFTL4_UC_S7 88
#define SWIFTL4_UC_S8 96
#define SWIFTL4_UC_S9 104
#define SWIFTL4_UC_S10 112
#define SWIFTL4_UC_S11 120
#define SWIFTL4_UC_A0 128
#define SWIFTL4_UC_A1 136
#define SWIFTL4_UC_A2 144
#define SWIFTL4_UC_A3 152
#define SWIFTL4_UC_A4 160
#define SWIFTL4_UC_A5 168
#define SWIFTL4_UC_A6 176
#define SWIFTL4_UC_A7 184
#define SWIFTL4_UC_T0 192
#define SWIFTL4_UC_T1 200
#define SWIFTL4_UC_T2 208
#define SWIFTL4_UC_T3 216
#define SWIFTL4_UC_T4 224
#define SWIFTL4_UC_T5 232
#define SWIFTL4_UC_T6 240
#define SWIFTL4_UC_TP 248

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>
#include <sel4/sel4.h>

/* What every trap from user mode needs (Trap.swift, `TrapState`): a plain C global
 * (support.c, `swiftl4_trap_state`), so that reaching it costs no lazy-initialisation check. */
typedef struct {
    /* The scene's kernel, an object reference that is not counted (`Platform.kernel` keeps the
     * kernel alive for its scene); NULL before the first boot. */
    void *kernel;
    /* The satp of the kernel's window alone. */
    uint64_t kernel_satp;
    /* The kernel's translation generation the TLB was last flushed for. */
    uint64_t seen_generation;
    /* Whether timer interrupts drive the scheduler (nonzero) or are ignored. */
    uint64_t timer_on;
} swiftl4_trap_state_t;

_Static_assert(offsetof(swiftl4_trap_state_t, kernel) == SWIFTL4_TRAP_STATE_KERNEL, "trap state: kernel");

/* Whether the FPU owner's registers may differ from its saved copy although sstatus.FS cannot
 * say so: they were Dirty when the return to user mode turned the unit off for a thread
 * without it (start.S sets it). With the unit on, FS itself says (the hardware sets Dirty on
 * any write to an F register or fcsr; the kernel leaves it Clean after every save and load).
 * Cleared when the registers are saved or loaded (fpu.c). */
extern int swiftl4_fpu_owner_dirty;

/* The platform's words at the start of each TCB's platform area (KernelCore's
 * `Thread.platformArea`, `Thread.platformAreaBytes`). */
typedef struct {
    /* The floor's partner: the register file the floor's bare trap path switches to (start.S). */
    uint64_t floor_partner;
    /* The thread's satp (VSpace.swift, `cacheSATP`), which the return to user mode writes
     * (start.S); valid while `satp_generation` is the kernel's translation generation + 1
     * (0: never cached; zeroed TCB memory is not valid). */
    uint64_t satp;
    uint64_t satp_generation;
    /* The thread's floating-point state while another thread owns the unit (fpu.c; the
     * kernel core decides when, FPU.swift): f0-f31, then fcsr. Zero in a new TCB. */
    uint64_t fpu_registers[32];
    uint64_t fcsr;
} swiftl4_thread_platform_t;

_Static_assert(offsetof(swiftl4_thread_platform_t, floor_partner) == SWIFTL4_PLATFORM_FLOOR_PARTNER,
               "thread platform area: floor partner");
_Static_assert(offsetof(swiftl4_thread_platform_t, satp) == SWIFTL4_PLATFORM_SATP, "thread platform area: satp");

#define SWIFTL4_CHECK_UC(field, offset) \
    _Static_assert(offsetof(seL4_UserContext, field) == (offset), "seL4_UserContext: " #field)
SWIFTL4_CHECK_UC(pc, SWIFTL4_UC_PC);
SWIFTL4_CHECK_UC(ra, SWIFTL4_UC_RA);
SWIFTL4_CHECK_UC(sp, SWIFTL4_UC_SP);
SWIFTL4_CHECK_UC(gp, SWIFTL4_UC_GP);
SWIFTL4_CHECK_UC(s0, SWIFTL4_UC_S0);
SWIFTL4_CHECK_UC(s1, SWIFTL4_UC_S1);
SWIFTL4_CHECK_UC(s2, SWIFTL4_UC_S2);
SWIFTL4_CHECK_UC(s3, SWIFTL4_UC_S3);
SWIFTL4_CHECK_UC(s4, SWIFTL4_UC_S4);
SWIFTL4_CHECK_UC(s5, SWIFTL4_UC_S5);
SWIFTL4_CHECK_UC(s6, SWIFTL4_UC_S6);
SWIFTL4_CHECK_UC(s7, SWIFTL4_UC_S7);
SWIFTL4_CHECK_UC(s8, SWIFTL4_UC_S8);
SWIFTL4_CHECK_UC(s9, SWIFTL4_UC_S9);
SWIFTL4_CHECK_UC(s10, SWIFTL4_UC_S10);
SWIFTL4_CHECK_UC(s11, SWIFTL4_UC_S11);
SWIFTL4_CHECK_UC(a0, SWIFTL4_UC_A0);
SWIFTL4_CHECK_UC(a1, SWIFTL4_UC_A1);
SWIFTL4_CHECK_UC(a2, SWIFTL4_UC_A2);
SWIFTL4_CHECK_UC(a3, SWIFTL4_UC_A3);
SWIFTL4_CHECK_UC(a4, SWIFTL4_UC_A4);
SWIFTL4_CHECK_UC(a5, SWIFTL4_UC_A5);
SWIFTL4_CHECK_UC(a6, SWIFTL4_UC_A6);
SWIFTL4_CHECK_UC(a7, SWIFTL4_UC_A7);
SWIFTL4_CHECK_UC(t0, SWIFTL4_UC_T0);
SWIFTL4_CHECK_UC(t1, SWIFTL4_UC_T1);
SWIFTL4_CHECK_UC(t2, SWIFTL4_UC_T2);
SWIFTL4_CHECK_UC(t3, SWIFTL4_UC_T3);
SWIFTL4_CHECK_UC(t4, SWIFTL4_UC_T4);
SWIFTL4_CHECK_UC(t5, SWIFTL4_UC_T5);
SWIFTL4_CHECK_UC(t6, SWIFTL4_UC_T6);
SWIFTL4_CHECK_UC(tp, SWIFTL4_UC_TP);
#undef SWIFTL4_CHECK_UC
#endif
