/* endpoint_delete: CancelBadgedSends and deleting an endpoint with queued senders.
 * Clauses: CNODE-10 (CancelBadgedSends removes the queued senders with that badge, sets them
 *          Restart; the others keep their order), CNODE-8 (deleting the last cap of an endpoint
 *          restarts every queued thread; the endpoint is gone), SCHED-5 (restarted threads are
 *          enqueued at the head one by one, so they run in reverse queue order), TS-3 (a restarted
 *          sender re-issues its Send: again on the endpoint, or on the now-empty slot, which is
 *          silent, SEND-5), EP-2.
 * Senders run at 200, the root at 50, so restarted senders run before the root's invocation
 * returns (the kernel requests a reschedule). s1 and s3 send with badge 3, s2 with badge 4.
 *
 * EXPECTED-STDOUT-BEGIN
 * s1: send badge 3
 * s2: send badge 4
 * s3: send badge 3
 * root: cancel badged sends (3) -> 0
 * s2: sent
 * root: got id=2 badge=4
 * s3: sent
 * root: got id=3 badge=3
 * s1: sent
 * root: got id=1 badge=3
 * t1: send
 * t2: send
 * t2: send returned
 * t1: send returned
 * root: delete the endpoint -> 0
 * endpoint_delete PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char stacks[5][65536] __attribute__((aligned(16)));
static seL4_CPtr ep2;

static void sender(seL4_Word cap, seL4_Word id)
{
    printf("s%lu: send badge %d\n", (unsigned long)id, id == 2 ? 4 : 3);
    seL4_SetMR(0, id);
    seL4_Send(cap, seL4_MessageInfo_new(0, 0, 0, 1));
    printf("s%lu: sent\n", (unsigned long)id);
}

static void t_sender(seL4_Word id, seL4_Word unused)
{
    (void)unused;
    printf("t%lu: send\n", (unsigned long)id);
    seL4_Send(ep2, seL4_MessageInfo_new(0, 0, 0, 0));
    printf("t%lu: send returned\n", (unsigned long)id);
}

int main(void)
{
    boot();
    seL4_CPtr ep = make(seL4_EndpointObject);
    seL4_CPtr ep3 = mint(ep, seL4_AllRights, 3);
    seL4_CPtr ep4 = mint(ep, seL4_AllRights, 4);
    ep2 = make(seL4_EndpointObject);
    CHECK(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50) == seL4_NoError);

    start_thread("s1", sender, stacks[0] + sizeof stacks[0], 200, 0, ep3, 1);
    start_thread("s2", sender, stacks[1] + sizeof stacks[1], 200, 0, ep4, 2);
    start_thread("s3", sender, stacks[2] + sizeof stacks[2], 200, 0, ep3, 3);
    seL4_Error err = seL4_CNode_CancelBadgedSends(seL4_CapInitThreadCNode, ep3, 64);
    /* s3 then s1 have re-issued their Sends by now: the queue is [s2, s3, s1] */
    printf("root: cancel badged sends (3) -> %d\n", (int)err);
    CHECK(err == seL4_NoError);
    seL4_Word want[3] = {2, 3, 1};
    for (int i = 0; i < 3; i++) {
        seL4_Word badge = 0;
        seL4_Recv(ep, &badge);
        printf("root: got id=%lu badge=%lu\n", (unsigned long)seL4_GetMR(0), (unsigned long)badge);
        CHECK(seL4_GetMR(0) == want[i] && badge == (want[i] == 2 ? 4 : 3));
    }

    start_thread("t1", t_sender, stacks[3] + sizeof stacks[3], 200, 0, 1, 0);
    start_thread("t2", t_sender, stacks[4] + sizeof stacks[4], 200, 0, 2, 0);
    err = seL4_CNode_Delete(seL4_CapInitThreadCNode, ep2, 64);
    printf("root: delete the endpoint -> %d\n", (int)err);
    CHECK(err == seL4_NoError);
    return finish("endpoint_delete");
}
