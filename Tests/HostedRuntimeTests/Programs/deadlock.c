/* deadlock: must NOT pass. The root task Recvs on an endpoint nobody sends to, while its only
 * helper waits on a notification nobody signals. Every thread is blocked and main has not
 * returned: swiftl4 run must print a deadlock report on stderr (each thread by the name given
 * with seL4_DebugNameThread, its state, what it waits on) and exit with status 86.
 * Clauses: RECV-5, NTFN-3, SCHED-4; hosted contract (architecture.md section 3, deadlock report).
 * The stderr report's exact wording is the runtime's; a test should only look for the names and
 * states below.
 * EXPECTED-STDERR-CONTAINS: deadlock
 * EXPECTED-STDERR-CONTAINS: dl-root
 * EXPECTED-STDERR-CONTAINS: dl-waiter
 *
 * EXPECTED-STDOUT-BEGIN
 * waiter: waiting on a notification nobody signals
 * root: receiving on an endpoint nobody sends to
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 86
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char stack_w[65536] __attribute__((aligned(16)));

static void waiter(seL4_Word ntfn, seL4_Word unused)
{
    (void)unused;
    printf("waiter: waiting on a notification nobody signals\n");
    seL4_Wait(ntfn, seL4_Null);
    printf("waiter: woken (unexpected)\n");
}

int main(void)
{
    boot();
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "dl-root");
    seL4_CPtr ep = make(seL4_EndpointObject);
    seL4_CPtr ntfn = make(seL4_NotificationObject);
    start_thread("dl-waiter", waiter, stack_w + sizeof stack_w, seL4_MaxPrio, 0, ntfn, 0);
    seL4_Yield(); /* the waiter (equal priority) runs and blocks */
    printf("root: receiving on an endpoint nobody sends to\n");
    seL4_Recv(ep, seL4_Null);
    printf("root: recv returned (unexpected)\n");
    return finish("deadlock");
}
