/* call_sched_edge: Call to a waiting lower-priority server while a thread of intermediate priority
 * is ready: the server is not the highest ready thread, so it does not run first. Also: a reply
 * cap offered as an extra cap stops the cap transfer.
 * Clauses: SCHED-4 step 2 / corollary (a), FAST-3 condition 5 (the fastpath must not switch
 *          directly to the server), FAST-5, CALL-1, REPLY-7 / XFER-7 (deriving a reply cap gives a
 *          null cap: transfer stops, extraCaps 0), XFER-5.
 * Priorities: root 255, c 200, x 100, server 50. The reply cap comes from c's Call to the root,
 * saved with SaveCaller; the root sends [that reply cap, a notification] with extraCaps 2.
 *
 * EXPECTED-STDOUT-BEGIN
 * server: waiting
 * root: calling the server with x ready
 * x: run
 * server: got label=1
 * root: reply label=2
 * server: got label=3 extraCaps=0
 * root: server done
 * call_sched_edge PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char stack_s[65536] __attribute__((aligned(16)));
static char stack_x[65536] __attribute__((aligned(16)));
static char stack_c[65536] __attribute__((aligned(16)));
static seL4_CPtr recv_slot, done;

static void client(seL4_Word ep, seL4_Word unused)
{
    (void)unused;
    seL4_Call(ep, seL4_MessageInfo_new(9, 0, 0, 0));
}

static void server(seL4_Word ep, seL4_Word saved)
{
    printf("server: waiting\n");
    seL4_MessageInfo_t m = seL4_Recv(ep, seL4_Null);
    printf("server: got label=%lu\n", (unsigned long)seL4_MessageInfo_get_label(m));
    /* keep the root's reply cap in a slot, and let the root send it back to us */
    CHECK(seL4_CNode_SaveCaller(seL4_CapInitThreadCNode, saved, 64) == seL4_NoError);
    seL4_SetCapReceivePath(seL4_CapInitThreadCNode, recv_slot, 64);
    seL4_Send(saved, seL4_MessageInfo_new(2, 0, 0, 0));
    m = seL4_Recv(ep, seL4_Null);
    printf("server: got label=%lu extraCaps=%lu\n", (unsigned long)seL4_MessageInfo_get_label(m),
           (unsigned long)seL4_MessageInfo_get_extraCaps(m));
    CHECK(seL4_MessageInfo_get_extraCaps(m) == 0);
    seL4_Signal(done);
}

static void x_thread(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    printf("x: run\n");
}

int main(void)
{
    boot();
    seL4_CPtr ep = make(seL4_EndpointObject);
    seL4_CPtr saved = free_slot++;
    seL4_CPtr ep_c = make(seL4_EndpointObject);
    done = make(seL4_NotificationObject);
    recv_slot = free_slot++;
    start_thread("server", server, stack_s + sizeof stack_s, 50, 0, ep, saved);
    /* let the server block in Recv, then take the CPU back */
    CHECK(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 10) == seL4_NoError);
    CHECK(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255) == seL4_NoError);
    start_thread("x", x_thread, stack_x + sizeof stack_x, 100, 0, 0, 0);
    printf("root: calling the server with x ready\n");
    seL4_MessageInfo_t r = seL4_Call(ep, seL4_MessageInfo_new(1, 0, 0, 0));
    printf("root: reply label=%lu\n", (unsigned long)seL4_MessageInfo_get_label(r));
    CHECK(seL4_MessageInfo_get_label(r) == 2);

    /* A reply cap offered as extra cap 0: the client c Calls the root on ep_c; the root saves the
     * reply cap and sends [reply cap, notification] to the server through a Grant cap. */
    start_thread("c", client, stack_c + sizeof stack_c, 200, 0, ep_c, 0);
    seL4_Recv(ep_c, seL4_Null);
    seL4_CPtr rc = free_slot++;
    CHECK(seL4_CNode_SaveCaller(seL4_CapInitThreadCNode, rc, 64) == seL4_NoError);
    seL4_SetCap(0, rc);
    seL4_SetCap(1, done);
    seL4_Send(ep, seL4_MessageInfo_new(3, 0, 2, 0));
    seL4_Wait(done, seL4_Null);
    printf("root: server done\n");
    return finish("call_sched_edge");
}
