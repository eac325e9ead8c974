/* call_higher_client: a helper client of higher priority than the root task Calls the root, which
 * serves with seL4_Recv / seL4_ReplyRecv / seL4_Reply.
 * Clauses: SCHED-1, SCHED-3, SCHED-4 (a)(c)(d), SCHED-7 (Resume via WriteRegisters runs a
 *          higher-priority thread at once), CALL-1, RECV-4, SEND-1, SEND-2, REPLY-1, REPLY-4,
 *          SEND-4.
 * The root lowers itself to priority 50 and starts the client at 200: the client runs inside the
 * root's WriteRegisters, Calls, blocks (no receiver, SEND-2), and the root resumes. Each reply
 * makes the client run at once (strictly higher priority, SCHED-4 (c)/(d)).
 *
 * EXPECTED-STDOUT-BEGIN
 * client: call 1
 * root: client started
 * root: got label=1 mr0=5 badge=0x30
 * client: reply label=2 mr0=10
 * client: call 2
 * root: got label=3 mr0=7 badge=0x30
 * client: reply label=4 mr0=14
 * client: done
 * root: after reply
 * call_higher_client PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char client_stack[65536] __attribute__((aligned(16)));

static void client(seL4_Word ep, seL4_Word unused)
{
    (void)unused;
    printf("client: call 1\n");
    seL4_SetMR(0, 5);
    seL4_MessageInfo_t r = seL4_Call(ep, seL4_MessageInfo_new(1, 0, 0, 1));
    printf("client: reply label=%lu mr0=%lu\n", (unsigned long)seL4_MessageInfo_get_label(r),
           (unsigned long)seL4_GetMR(0));
    CHECK(seL4_MessageInfo_get_label(r) == 2 && seL4_GetMR(0) == 10);
    printf("client: call 2\n");
    seL4_SetMR(0, 7);
    r = seL4_Call(ep, seL4_MessageInfo_new(3, 0, 0, 1));
    printf("client: reply label=%lu mr0=%lu\n", (unsigned long)seL4_MessageInfo_get_label(r),
           (unsigned long)seL4_GetMR(0));
    CHECK(seL4_MessageInfo_get_label(r) == 4 && seL4_GetMR(0) == 14);
    printf("client: done\n");
}

int main(void)
{
    boot();
    seL4_CPtr ep = make(seL4_EndpointObject);
    seL4_CPtr ep_b = mint(ep, seL4_AllRights, 0x30);
    CHECK(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50) == seL4_NoError);

    start_thread("client", client, client_stack + sizeof client_stack, 200, 0, ep_b, 0);
    printf("root: client started\n");

    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_Recv(ep, &badge);
    printf("root: got label=%lu mr0=%lu badge=0x%lx\n", (unsigned long)seL4_MessageInfo_get_label(m),
           (unsigned long)seL4_GetMR(0), (unsigned long)badge);
    CHECK(seL4_MessageInfo_get_label(m) == 1 && seL4_GetMR(0) == 5 && badge == 0x30);

    seL4_SetMR(0, 10);
    m = seL4_ReplyRecv(ep, seL4_MessageInfo_new(2, 0, 0, 1), &badge);
    printf("root: got label=%lu mr0=%lu badge=0x%lx\n", (unsigned long)seL4_MessageInfo_get_label(m),
           (unsigned long)seL4_GetMR(0), (unsigned long)badge);
    CHECK(seL4_MessageInfo_get_label(m) == 3 && seL4_GetMR(0) == 7 && badge == 0x30);

    seL4_SetMR(0, 14);
    seL4_Reply(seL4_MessageInfo_new(4, 0, 0, 1));
    printf("root: after reply\n");
    return finish("call_higher_client");
}
