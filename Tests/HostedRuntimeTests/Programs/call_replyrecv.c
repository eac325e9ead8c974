/* call_replyrecv: the root task Calls a helper server that answers with seL4_ReplyRecv, first a
 * lower-priority server, then an equal-priority one.
 * Clauses: CALL-1, REPLY-2, REPLY-4, RR-1, RECV-4, SEND-1, SEND-2, SEND-4, SCHED-4 (a)(d),
 *          FAST-3/FAST-4 (results must equal the slowpath's).
 * - Server 1 (priority 100, below the root's 255) has not run when the root Calls: the root queues
 *   as a sender (SEND-2), the server's Recv takes the Call (RECV-4), its ReplyRecv wakes the
 *   root, which runs at once (higher priority). The second Call finds the server waiting (SEND-1).
 * - Server 2 (priority 255, equal): WriteRegisters(resume) does not switch to it (SCHED-4 3);
 *   Call hands the CPU over (SCHED-4 (a)); ReplyRecv hands it back (SCHED-4 (d)).
 * The server sees the badge of the root's cap (SEND-4); replies carry label+1 and MR0*2.
 *
 * EXPECTED-STDOUT-BEGIN
 * server1: label=1 mr0=21 badge=0x10
 * root: reply label=2 len=1 mr0=42
 * server1: label=5 mr0=100 badge=0x10
 * root: reply label=6 len=1 mr0=200
 * root: server2 started, ran=0
 * server2: label=7 mr0=3 badge=0x20
 * root: reply label=8 len=1 mr0=6
 * server2: label=9 mr0=4 badge=0x20
 * root: reply label=10 len=1 mr0=8
 * call_replyrecv PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char stack1[65536] __attribute__((aligned(16)));
static char stack2[65536] __attribute__((aligned(16)));
static int server2_ran;

/* A doubling server: replies label+1 and MR0*2. */
static void server(seL4_Word ep, seL4_Word id)
{
    if (id == 2) {
        server2_ran = 1;
    }
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    for (;;) {
        printf("server%lu: label=%lu mr0=%lu badge=0x%lx\n", (unsigned long)id,
               (unsigned long)seL4_MessageInfo_get_label(info), (unsigned long)seL4_GetMR(0),
               (unsigned long)badge);
        seL4_SetMR(0, seL4_GetMR(0) * 2);
        info = seL4_ReplyRecv(ep, seL4_MessageInfo_new(seL4_MessageInfo_get_label(info) + 1, 0, 0, 1), &badge);
    }
}

static void call(seL4_CPtr cap, seL4_Word label, seL4_Word mr0, seL4_Word want_mr0)
{
    seL4_SetMR(0, mr0);
    seL4_MessageInfo_t r = seL4_Call(cap, seL4_MessageInfo_new(label, 0, 0, 1));
    printf("root: reply label=%lu len=%lu mr0=%lu\n", (unsigned long)seL4_MessageInfo_get_label(r),
           (unsigned long)seL4_MessageInfo_get_length(r), (unsigned long)seL4_GetMR(0));
    CHECK(seL4_MessageInfo_get_label(r) == label + 1);
    CHECK(seL4_MessageInfo_get_length(r) == 1);
    CHECK(seL4_GetMR(0) == want_mr0);
}

int main(void)
{
    boot();
    seL4_CPtr ep1 = make(seL4_EndpointObject);
    seL4_CPtr ep2 = make(seL4_EndpointObject);
    seL4_CPtr ep1_b = mint(ep1, seL4_AllRights, 0x10);
    seL4_CPtr ep2_b = mint(ep2, seL4_AllRights, 0x20);

    start_thread("server1", server, stack1 + sizeof stack1, 100, 0, ep1, 1);
    call(ep1_b, 1, 21, 42);  /* the root queues first (SEND-2) */
    call(ep1_b, 5, 100, 200); /* the server is already waiting (SEND-1) */

    start_thread("server2", server, stack2 + sizeof stack2, seL4_MaxPrio, 0, ep2, 2);
    printf("root: server2 started, ran=%d\n", server2_ran);
    CHECK(server2_ran == 0);
    call(ep2_b, 7, 3, 6);
    call(ep2_b, 9, 4, 8);
    return finish("call_replyrecv");
}
