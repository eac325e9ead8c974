/* endpoint_scribble: the root task overwrites an endpoint through a pointer (in the hosted
 * runtime user code shares the kernel's address space) so that it reads as a receive queue
 * headed by a TCB that does not exist, then sends on it. The kernel follows the queue head and
 * crashes; the crash report checks the kernel's objects, finds the endpoint damaged and says
 * so, naming the object and the last thread to run, instead of a segmentation fault at a
 * strange address (issue 15, trust model). On seL4 the write itself would fault: the kernel's
 * memory is not mapped for user code.
 *
 * Where the endpoint is: the suite's untyped is fresh at boot, so its first retype, a 4 KiB
 * frame, is at the untyped's start, and the endpoint retyped next follows it (UNTYPED-3).
 *
 * EXPECTED-STDOUT-BEGIN
 * root: the endpoint is idle: head 0, tail|state 0
 * root: sending on the endpoint it overwrote
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 89
 * EXPECTED-STDERR-CONTAINS: (endpoint) corrupted by user code (last thread to run: 'rootserver'): queue names no TCB
 * EXPECTED-STDERR-CONTAINS: the kernel crashed on it (segmentation fault at address 0x10
 * EXPECTED-STDERR-CONTAINS: handling seL4_SysSend for thread 'rootserver'
 */
#include "suite.h"

int main(void)
{
    boot();
    seL4_CPtr frame = make(seL4_X86_4K);
    seL4_CPtr ep = make(seL4_EndpointObject);
    seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_Word frame_address = seL4_X86_Page_GetAddress(frame).paddr;
    assert(frame_address == bi->untypedList[ut - bi->untyped.start].paddr);
    volatile seL4_Word *endpoint = (volatile seL4_Word *)(frame_address + 4096);
    printf("root: the endpoint is idle: head %lu, tail|state %lu\n", (unsigned long)endpoint[0],
           (unsigned long)endpoint[1]);
    fflush(stdout);
    endpoint[0] = 0x1000;     /* a "TCB" in the host's unmapped first pages */
    endpoint[1] = 0x1000 | 2; /* state: receive */
    printf("root: sending on the endpoint it overwrote\n");
    fflush(stdout);
    seL4_Send(ep, seL4_MessageInfo_new(0, 0, 0, 0));
    printf("root: the send returned (unexpected)\n");
    return 1;
}
