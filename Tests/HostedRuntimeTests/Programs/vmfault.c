/* vmfault: a thread with a fault endpoint dereferences a bad pointer; its handler (the root)
 * receives the VM fault (FAULT-5: label seL4_Fault_VMFault, MR1 the address, length 4) with the
 * handler cap's badge, then suspends the faulting thread and goes on. Replying instead would
 * restart the faulting access, which faults again (FAULT-7).
 * EXPECTED-STDERR-CONTAINS: thread 'wild' faulted: segmentation fault at address 0x10
 *
 * EXPECTED-STDOUT-BEGIN
 * wild: reading 0x10
 * root: VM fault from badge 9: label 5, length 4, address 0x10
 * root: replied; the access faults again: address 0x10
 * vmfault PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char stack_w[65536] __attribute__((aligned(16)));

static void wild(seL4_Word addr, seL4_Word unused)
{
    (void)unused;
    printf("wild: reading 0x%lx\n", (unsigned long)addr);
    volatile int *p = (volatile int *)addr;
    printf("wild: read %d (unexpected)\n", *p);
}

int main(void)
{
    boot();
    seL4_CPtr ep = make(seL4_EndpointObject);
    seL4_CPtr handler = mint(ep, seL4_AllRights, 9);
    seL4_CPtr tcb = start_thread("wild", wild, stack_w + sizeof stack_w, 100, handler, 0x10, 0);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    printf("root: VM fault from badge %lu: label %lu, length %lu, address 0x%lx\n", (unsigned long)badge,
           (unsigned long)seL4_MessageInfo_get_label(info), (unsigned long)seL4_MessageInfo_get_length(info),
           (unsigned long)seL4_GetMR(seL4_VMFault_Addr));
    CHECK(seL4_MessageInfo_get_label(info) == seL4_Fault_VMFault);
    CHECK(seL4_GetMR(seL4_VMFault_Addr) == 0x10);
    /* Reply (restart): the thread re-executes the access and faults again. */
    info = seL4_ReplyRecv(ep, seL4_MessageInfo_new(0, 0, 0, 0), &badge);
    printf("root: replied; the access faults again: address 0x%lx\n", (unsigned long)seL4_GetMR(seL4_VMFault_Addr));
    CHECK(seL4_MessageInfo_get_label(info) == seL4_Fault_VMFault && badge == 9);
    CHECK(seL4_TCB_Suspend(tcb) == seL4_NoError);
    return finish("vmfault");
}
