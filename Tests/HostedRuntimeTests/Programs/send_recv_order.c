/* send_recv_order: blocking seL4_Send / seL4_Recv in both orders, and FIFO order of two senders.
 * Clauses: SEND-1, SEND-2, SEND-4, RECV-4, RECV-5, RECV-7, EP-2 (strict FIFO, priorities do not
 *          reorder the queue), SCHED-4 (b) (a woken higher-priority sender runs at once).
 * The root lowers itself to 100. Senders s1 (priority 200) and s2 (priority 254) each run at once
 * when started, Send and block: the queue is [s1, s2] although s2 has the higher priority.
 * The root's two Recvs get s1 then s2; each woken sender is higher priority and runs at once.
 * Then the root Recvs first on another endpoint; s3 (priority 50) sends; the root preempts it.
 *
 * EXPECTED-STDOUT-BEGIN
 * s1: send
 * s2: send
 * s1: sent
 * root: recv label=11 badge=0x1 mr0=0x111 len=1
 * s2: sent
 * root: recv label=22 badge=0x2 mr0=0x222 len=1
 * s3: send
 * root: recv label=33 badge=0x3 mr0=0x333 len=2 mr1=0x334
 * s3: sent
 * root: s3 finished
 * send_recv_order PASS
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
static char stack3[65536] __attribute__((aligned(16)));
static seL4_CPtr done_ntfn;

static void sender(seL4_Word ep, seL4_Word id)
{
    printf("s%lu: send\n", (unsigned long)id);
    seL4_SetMR(0, 0x111 * id);
    seL4_SetMR(1, 0x111 * id + 1);
    seL4_Send(ep, seL4_MessageInfo_new(11 * id, 0, 0, id == 3 ? 2 : 1));
    printf("s%lu: sent\n", (unsigned long)id);
    if (id == 3) {
        seL4_Signal(done_ntfn);
    }
}

static void recv_and_print(seL4_CPtr ep, seL4_Word want_label, seL4_Word want_badge)
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_Recv(ep, &badge);
    seL4_Word len = seL4_MessageInfo_get_length(m);
    printf("root: recv label=%lu badge=0x%lx mr0=0x%lx len=%lu", (unsigned long)seL4_MessageInfo_get_label(m),
           (unsigned long)badge, (unsigned long)seL4_GetMR(0), (unsigned long)len);
    if (len > 1) {
        printf(" mr1=0x%lx", (unsigned long)seL4_GetMR(1));
    }
    printf("\n");
    CHECK(seL4_MessageInfo_get_label(m) == want_label);
    CHECK(badge == want_badge);
    CHECK(seL4_GetMR(0) == 0x111 * want_badge);
}

int main(void)
{
    boot();
    seL4_CPtr ep = make(seL4_EndpointObject);
    seL4_CPtr ep2 = make(seL4_EndpointObject);
    done_ntfn = make(seL4_NotificationObject);
    seL4_CPtr b1 = mint(ep, seL4_AllRights, 1);
    seL4_CPtr b2 = mint(ep, seL4_AllRights, 2);
    seL4_CPtr b3 = mint(ep2, seL4_AllRights, 3);
    CHECK(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 100) == seL4_NoError);

    start_thread("s1", sender, stack1 + sizeof stack1, 200, 0, b1, 1); /* runs now, blocks in Send */
    start_thread("s2", sender, stack2 + sizeof stack2, 254, 0, b2, 2); /* runs now, blocks in Send */
    recv_and_print(ep, 11, 1);
    recv_and_print(ep, 22, 2);

    start_thread("s3", sender, stack3 + sizeof stack3, 50, 0, b3, 3); /* lower: does not run yet */
    recv_and_print(ep2, 33, 3);
    seL4_Wait(done_ntfn, seL4_Null);
    printf("root: s3 finished\n");
    return finish("send_recv_order");
}
