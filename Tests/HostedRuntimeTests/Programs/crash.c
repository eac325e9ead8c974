/* crash: a helper thread named with seL4_DebugNameThread dereferences NULL and has no fault
 * handler. As on seL4, that is a VM fault (FAULT-5) with no handler: a double fault that leaves
 * the helper Inactive (FAULT-1) while the root task goes on. swiftl4 names the thread on stderr.
 * The helper runs at the root's priority: Resume does not preempt the root (SCHED-4), the root's
 * Yield lets the helper run, and the root continues after the helper has stopped.
 * EXPECTED-STDERR-CONTAINS: thread 'crasher' faulted: segmentation fault at address 0x0
 *
 * EXPECTED-STDOUT-BEGIN
 * root: starting the crasher
 * crasher: about to dereference NULL
 * root: the crasher is stopped: ReadRegisters still works on it
 * crash PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char stack_c[65536] __attribute__((aligned(16)));

static void crasher(seL4_Word addr, seL4_Word unused)
{
    (void)unused;
    printf("crasher: about to dereference NULL\n");
    volatile int *p = (volatile int *)addr;
    *p = 42;
    printf("crasher: survived (unexpected)\n");
}

int main(void)
{
    boot();
    printf("root: starting the crasher\n");
    seL4_CPtr tcb = start_thread("crasher", crasher, stack_c + sizeof stack_c, 255, 0, 0, 0);
    seL4_Yield(); /* the crasher runs, faults, and stops */
    seL4_UserContext ctx;
    CHECK(seL4_TCB_ReadRegisters(tcb, 0, 0, 2, &ctx) == seL4_NoError);
    printf("root: the crasher is stopped: ReadRegisters still works on it\n");
    return finish("crash");
}
