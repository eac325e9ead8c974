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
#include "suite.h"

static char stack[65536] __attribute__((aligned(16)));
static seL4_CPtr ep;

static void server(seL4_Word a, seL4_Word b)
{
    (void)a;
    (void)b;
    printf("server: waiting\n");
    seL4_Word badge;
    seL4_Recv(ep, &badge);
    printf("server: message (unexpected)\n");
}

int main(void)
{
    boot();
    ep = make(seL4_EndpointObject);
    start_thread("server", server, stack + sizeof stack, 255, 0, 0, 0);
    seL4_Yield(); /* the server, at the same priority, runs and waits */
    printf("root: suspending\n");
    seL4_TCB_Suspend(seL4_CapInitThreadTCB);
    printf("root: resumed (unexpected)\n");
    return 1;
}
