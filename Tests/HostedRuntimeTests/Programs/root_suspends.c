/* root_suspends: a root task that starts a server thread, then suspends itself, as seL4 root
 * tasks often do once the system is set up (SCHED-7: Suspend makes it Inactive). The server
 * waits in Recv; nothing can run. That is a system at rest, not a deadlock: the run exits 0
 * and says why on stderr.
 * EXPECTED-STDERR-CONTAINS: the root task stopped itself and no thread can run
 *
 * EXPECTED-STDOUT-BEGIN
 * server: waiting
 * root: suspending
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>

static char stack[65536] __attribute__((aligned(16)));
static seL4_CPtr ep;

static void server(void)
{
    printf("server: waiting\n");
    seL4_Word badge;
    seL4_Recv(ep, &badge);
    printf("server: message (unexpected)\n");
}

int main(void)
{
    seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_CPtr ut = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        if (!bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits >= 16) {
            ut = bi->untyped.start + i;
            break;
        }
    }
    seL4_CPtr slot = bi->empty.start;
    ep = slot++;
    seL4_CPtr tcb = slot++, frame = slot++;
    seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0, ep, 1);
    seL4_Untyped_Retype(ut, seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, tcb, 1);
    seL4_Untyped_Retype(ut, seL4_X86_4K, 0, seL4_CapInitThreadCNode, 0, 0, frame, 1);
    seL4_TCB_Configure(tcb, 0, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0,
                       seL4_X86_Page_GetAddress(frame).paddr, frame);
    seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, 255);
    seL4_UserContext ctx = {0};
    ctx.rip = (seL4_Word)server;
    ctx.rsp = (seL4_Word)(stack + sizeof stack);
    seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof ctx / sizeof(seL4_Word), &ctx);
    seL4_Yield(); /* the server, at the same priority, runs and waits */
    printf("root: suspending\n");
    seL4_TCB_Suspend(seL4_CapInitThreadTCB);
    printf("root: resumed (unexpected)\n");
    return 1;
}
