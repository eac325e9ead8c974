/* stack_overflow: a thread's recursion runs off the bottom of its stack into the program's own
 * static data and zeroes a function pointer there, then calls through it. The jump to 0 is an
 * instruction fetch at 0 in user code: a user VM fault (FAULT-5: address 0, prefetch 1, FSR 0x14)
 * delivered to the thread's handler, not a kernel crash (issue 15, item 7). Only a fault whose pc
 * is in the kernel's own code is a kernel crash.
 * Clauses: FAULT-1, FAULT-2, FAULT-5.
 *
 * EXPECTED-STDOUT-BEGIN
 * deep: recursing until the stack reaches the hook
 * root: label 5 len 4 ip 0x0 addr 0x0 prefetch 1 fsr 0x14
 * stack_overflow PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 * EXPECTED-STDERR-CONTAINS: swiftl4: thread 'deep' faulted: segmentation fault at address 0x0 (pc 0x0); it takes a VM fault
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <string.h>

#include "suite.h"

/* The hook sits just below the stack, as static data does below a static stack. */
static struct {
    char below[4096];
    void (*volatile hook)(void);
    char stack[16384];
} data __attribute__((aligned(16)));

static void hello(void)
{
    printf("deep: FAILED: the hook survived\n");
}

static int depth(int n)
{
    volatile char frame[512];
    memset((char *)frame, 0, sizeof frame);
    if ((char *)frame <= (char *)&data.hook) {
        data.hook();
        return 0;
    }
    return depth(n + 1) + frame[3];
}

static void deep(seL4_Word a, seL4_Word b)
{
    (void)a, (void)b;
    printf("deep: recursing until the stack reaches the hook\n");
    fflush(stdout);
    depth(0);
}

int main(void)
{
    boot();
    data.hook = hello;
    seL4_CPtr ep = make(seL4_EndpointObject);
    start_thread("deep", deep, data.stack + sizeof data.stack, 255, ep, 0, 0);
    seL4_Word badge;
    seL4_MessageInfo_t m = seL4_Recv(ep, &badge);
    printf("root: label %lu len %lu ip 0x%lx addr 0x%lx prefetch %lu fsr 0x%lx\n",
           (unsigned long)seL4_MessageInfo_get_label(m), (unsigned long)seL4_MessageInfo_get_length(m),
           (unsigned long)seL4_GetMR(seL4_VMFault_IP), (unsigned long)seL4_GetMR(seL4_VMFault_Addr),
           (unsigned long)seL4_GetMR(seL4_VMFault_PrefetchFault), (unsigned long)seL4_GetMR(seL4_VMFault_FSR));
    CHECK(seL4_MessageInfo_get_label(m) == seL4_Fault_VMFault);
    CHECK(seL4_GetMR(seL4_VMFault_Addr) == 0 && seL4_GetMR(seL4_VMFault_FSR) == 0x14);
    return finish("stack_overflow");
}
