/* cap_unwrap: a cap to the very endpoint a message travels through is unwrapped (its badge is
 * delivered in caps_or_badges, read with seL4_GetBadge) instead of being transferred.
 * Clauses: XFER-5, XFER-6 (manual example: extraCaps 2, capsUnwrapped 0b10), XFER-9 (replies never
 *          unwrap), MSG-5, PIT-4 (only one cap is received per message; unwrapped caps need no
 *          slot), TUT-9.
 * Receiver at priority 200, root at 50, root sends through the unbadged endpoint cap with all
 * rights. "ep7" is a cap to the same endpoint with badge 7, "ep9" with badge 9, "n" a notification.
 *
 * EXPECTED-STDOUT-BEGIN
 * receiver: [ep7, n] extraCaps=2 capsUnwrapped=0x1 badge0=7
 * receiver: [n, ep9] extraCaps=2 capsUnwrapped=0x2 badge1=9
 * receiver: [n, n] extraCaps=1 capsUnwrapped=0x0
 * receiver: [ep7] without a receive slot extraCaps=1 capsUnwrapped=0x1 badge0=7
 * receiver: [ep, ep9] unbadged extraCaps=2 capsUnwrapped=0x3 badge0=0 badge1=9
 * receiver: reply [ep7] extraCaps=1 capsUnwrapped=0x0
 * cap_unwrap PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char stack_r[65536] __attribute__((aligned(16)));
static seL4_CPtr ep, slots[6];
static int receiver_done;

static seL4_MessageInfo_t recv_into(int i)
{
    if (i < 0) {
        seL4_SetCapReceivePath(0, 0, 0);
    } else {
        seL4_SetCapReceivePath(seL4_CapInitThreadCNode, slots[i], seL4_WordBits);
    }
    seL4_GetIPCBuffer()->caps_or_badges[0] = 0xdead;
    seL4_GetIPCBuffer()->caps_or_badges[1] = 0xdead;
    return seL4_Recv(ep, seL4_Null);
}

static void receiver(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    seL4_MessageInfo_t m = recv_into(0);
    printf("receiver: [ep7, n] extraCaps=%lu capsUnwrapped=0x%lx badge0=%lu\n",
           (unsigned long)seL4_MessageInfo_get_extraCaps(m), (unsigned long)seL4_MessageInfo_get_capsUnwrapped(m),
           (unsigned long)seL4_GetBadge(0));
    CHECK(seL4_MessageInfo_get_extraCaps(m) == 2 && seL4_MessageInfo_get_capsUnwrapped(m) == 1 &&
          seL4_GetBadge(0) == 7);

    m = recv_into(1);
    printf("receiver: [n, ep9] extraCaps=%lu capsUnwrapped=0x%lx badge1=%lu\n",
           (unsigned long)seL4_MessageInfo_get_extraCaps(m), (unsigned long)seL4_MessageInfo_get_capsUnwrapped(m),
           (unsigned long)seL4_GetBadge(1));
    CHECK(seL4_MessageInfo_get_extraCaps(m) == 2 && seL4_MessageInfo_get_capsUnwrapped(m) == 2 &&
          seL4_GetBadge(1) == 9);

    m = recv_into(2);
    printf("receiver: [n, n] extraCaps=%lu capsUnwrapped=0x%lx\n", (unsigned long)seL4_MessageInfo_get_extraCaps(m),
           (unsigned long)seL4_MessageInfo_get_capsUnwrapped(m));
    CHECK(seL4_MessageInfo_get_extraCaps(m) == 1 && seL4_MessageInfo_get_capsUnwrapped(m) == 0);

    m = recv_into(-1);
    printf("receiver: [ep7] without a receive slot extraCaps=%lu capsUnwrapped=0x%lx badge0=%lu\n",
           (unsigned long)seL4_MessageInfo_get_extraCaps(m), (unsigned long)seL4_MessageInfo_get_capsUnwrapped(m),
           (unsigned long)seL4_GetBadge(0));
    CHECK(seL4_MessageInfo_get_extraCaps(m) == 1 && seL4_MessageInfo_get_capsUnwrapped(m) == 1 &&
          seL4_GetBadge(0) == 7);

    m = recv_into(3);
    printf("receiver: [ep, ep9] unbadged extraCaps=%lu capsUnwrapped=0x%lx badge0=%lu badge1=%lu\n",
           (unsigned long)seL4_MessageInfo_get_extraCaps(m), (unsigned long)seL4_MessageInfo_get_capsUnwrapped(m),
           (unsigned long)seL4_GetBadge(0), (unsigned long)seL4_GetBadge(1));
    CHECK(seL4_MessageInfo_get_extraCaps(m) == 2 && seL4_MessageInfo_get_capsUnwrapped(m) == 3 &&
          seL4_GetBadge(0) == 0 && seL4_GetBadge(1) == 9);

    seL4_SetCapReceivePath(seL4_CapInitThreadCNode, slots[4], seL4_WordBits);
    m = seL4_Call(ep, seL4_MessageInfo_new(1, 0, 0, 0));
    printf("receiver: reply [ep7] extraCaps=%lu capsUnwrapped=0x%lx\n",
           (unsigned long)seL4_MessageInfo_get_extraCaps(m), (unsigned long)seL4_MessageInfo_get_capsUnwrapped(m));
    CHECK(seL4_MessageInfo_get_extraCaps(m) == 1 && seL4_MessageInfo_get_capsUnwrapped(m) == 0);
    receiver_done = 1;
}

static void send_caps(seL4_CPtr c0, seL4_CPtr c1)
{
    seL4_SetCap(0, c0);
    seL4_SetCap(1, c1);
    seL4_Send(ep, seL4_MessageInfo_new(0, 0, c1 ? 2 : 1, 0));
}

int main(void)
{
    boot();
    ep = make(seL4_EndpointObject);
    seL4_CPtr ep7 = mint(ep, seL4_AllRights, 7);
    seL4_CPtr ep9 = mint(ep, seL4_CanRead, 9); /* the unwrapped cap's own rights are irrelevant */
    seL4_CPtr n = make(seL4_NotificationObject);
    for (int i = 0; i < 6; i++) {
        slots[i] = free_slot++;
    }
    CHECK(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50) == seL4_NoError);
    start_thread("receiver", receiver, stack_r + sizeof stack_r, 200, 0, 0, 0);

    send_caps(ep7, n);
    send_caps(n, ep9);
    send_caps(n, n);
    send_caps(ep7, 0);
    send_caps(ep, ep9);

    seL4_Word badge;
    seL4_Recv(ep, &badge);
    seL4_SetCap(0, ep7);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 1, 0));
    CHECK(receiver_done);
    return finish("cap_unwrap");
}
