/* nbsend_nbrecv: seL4_NBSend with no receiver is silently dropped; seL4_NBRecv with nothing
 * pending returns at once with badge 0.
 * Clauses: SEND-3, SEND-1 (NBSend to a waiting receiver delivers), RECV-6, PIT-7, TUT-9 (c),
 *          SCHED-4 (b).
 * The message tag and MR0..3 returned by an NBRecv that found nothing are unspecified (RECV-6);
 * only the badge (0) is checked. The receiver (priority 200, above the root's 100) never sees
 * label 1, which was sent before anyone waited.
 *
 * EXPECTED-STDOUT-BEGIN
 * root: nbsend label=1 to nobody returned
 * root: nbrecv badge=0x0
 * receiver: waiting
 * root: nbsend label=2
 * receiver: got label=2 mr0=0x22 badge=0x9
 * receiver: waiting
 * root: nbrecv while a receiver waits badge=0x0
 * root: nbsend label=3
 * receiver: got label=3 mr0=0x33 badge=0x9
 * receiver: waiting
 * nbsend_nbrecv PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char stack1[65536] __attribute__((aligned(16)));
static seL4_Word labels_seen[8];
static int nseen;

static void receiver(seL4_Word ep, seL4_Word unused)
{
    (void)unused;
    for (;;) {
        printf("receiver: waiting\n");
        seL4_Word badge = 0;
        seL4_MessageInfo_t m = seL4_Recv(ep, &badge);
        printf("receiver: got label=%lu mr0=0x%lx badge=0x%lx\n", (unsigned long)seL4_MessageInfo_get_label(m),
               (unsigned long)seL4_GetMR(0), (unsigned long)badge);
        if (nseen < 8) {
            labels_seen[nseen++] = seL4_MessageInfo_get_label(m);
        }
    }
}

int main(void)
{
    boot();
    seL4_CPtr ep = make(seL4_EndpointObject);
    seL4_CPtr ep_b = mint(ep, seL4_AllRights, 0x9);
    CHECK(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 100) == seL4_NoError);

    seL4_SetMR(0, 0x11);
    seL4_NBSend(ep_b, seL4_MessageInfo_new(1, 0, 0, 1));
    printf("root: nbsend label=1 to nobody returned\n");

    seL4_Word badge = 0x1234;
    seL4_NBRecv(ep, &badge);
    printf("root: nbrecv badge=0x%lx\n", (unsigned long)badge);
    CHECK(badge == 0);

    start_thread("receiver", receiver, stack1 + sizeof stack1, 200, 0, ep, 0);

    printf("root: nbsend label=2\n");
    seL4_SetMR(0, 0x22);
    seL4_NBSend(ep_b, seL4_MessageInfo_new(2, 0, 0, 1));

    badge = 0x1234;
    seL4_NBRecv(ep, &badge);
    printf("root: nbrecv while a receiver waits badge=0x%lx\n", (unsigned long)badge);
    CHECK(badge == 0);

    printf("root: nbsend label=3\n");
    seL4_SetMR(0, 0x33);
    seL4_NBSend(ep_b, seL4_MessageInfo_new(3, 0, 0, 1));

    CHECK(nseen == 2 && labels_seen[0] == 2 && labels_seen[1] == 3);
    return finish("nbsend_nbrecv");
}
