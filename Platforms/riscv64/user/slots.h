/* The CSpace every program gets from SwiftL4's bare-metal loader (Platforms/riscv64/Loader.swift,
 * which reads these numbers from this header through platform.modulemap):
 * slot 1 the scene's endpoint, 2 the program's own CNode, 3 an empty slot (the tutorial's
 * badged-endpoint slot), 4 its fault endpoint (badged with the program's number; the monitor
 * receives on it), 5 the result endpoint of the measurements, 6 another thread's TCB (the
 * preemption witness's spinner), 7 the program's own TCB. `swl4_argument` is the word the
 * loader passes in a1. */
#pragma once
#include <sel4/sel4.h>

enum {
    SLOT_ENDPOINT = 1,
    SLOT_CNODE = 2,
    SLOT_FREE = 3,
    SLOT_FAULT_ENDPOINT = 4,
    SLOT_RESULT = 5,
    SLOT_OTHER_TCB = 6,
    SLOT_SELF_TCB = 7,
};

extern seL4_Word swl4_argument;

static inline seL4_Word instructions_retired(void)
{
    seL4_Word count;
    __asm__ volatile("rdinstret %0" : "=r"(count));
    return count;
}

/* The end of a measurement (pingpong.c, floor.c): the figures go in MR0-MR2 of a Send on the
 * result endpoint, which nobody receives; the thread blocks there and the platform reads them
 * from its registers. */
static inline void report_measurement(seL4_Word start, seL4_Word count, seL4_Word errors)
{
    seL4_Word spent = instructions_retired() - start;
    seL4_SetMR(0, spent);
    seL4_SetMR(1, count);
    seL4_SetMR(2, errors);
    seL4_Send(SLOT_RESULT, seL4_MessageInfo_new(0, 0, 0, 3));
}
