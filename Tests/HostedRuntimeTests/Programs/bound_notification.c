/* bound_notification: a notification bound to the root task's TCB, received through seL4_Recv on
 * an endpoint; IPC and notifications told apart by badge.
 * Clauses: BIND-1, BIND-2 (a)(b), BIND-3, RECV-3, RECV-4, NTFN-2 (bound thread blocked in Recv is
 *          woken and the notification stays Idle; otherwise the signal is latched), SCHED-4 (b).
 * Endpoint badges use bit 0, notification badges bits 8 and up (BIND-3). The root runs at 50; the
 * sender at 200, the signaller at 20.
 *
 * EXPECTED-STDOUT-BEGIN
 * sender: send label=7
 * root: recv -> notification 0x100
 * sender: sent
 * root: recv -> ipc label=7 badge=0x1 mr0=0x70
 * root: recv -> notification 0x200
 * signaller: signal 0x400
 * root: recv -> notification 0x400
 * root: poll after wake-up -> 0x0
 * root: bind again -> 3
 * root: bind an endpoint -> 3
 * root: unbind -> 0
 * root: unbind again -> 3
 * bound_notification PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char stack_s[65536] __attribute__((aligned(16)));
static char stack_t[65536] __attribute__((aligned(16)));
static seL4_CPtr n200, n400;

static void sender(seL4_Word ep, seL4_Word unused)
{
    (void)unused;
    printf("sender: send label=7\n");
    seL4_SetMR(0, 0x70);
    seL4_Send(ep, seL4_MessageInfo_new(7, 0, 0, 1));
    printf("sender: sent\n");
    seL4_Signal(n200); /* the root is running, not receiving: latched */
}

static void signaller(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    printf("signaller: signal 0x400\n");
    seL4_Signal(n400);
}

static seL4_Word recv_and_classify(seL4_CPtr ep)
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_Recv(ep, &badge);
    if (badge & ~0xfful) {
        printf("root: recv -> notification 0x%lx\n", (unsigned long)badge);
    } else {
        printf("root: recv -> ipc label=%lu badge=0x%lx mr0=0x%lx\n", (unsigned long)seL4_MessageInfo_get_label(m),
               (unsigned long)badge, (unsigned long)seL4_GetMR(0));
    }
    return badge;
}

int main(void)
{
    boot();
    seL4_CPtr ep = make(seL4_EndpointObject);
    seL4_CPtr ep1 = mint(ep, seL4_AllRights, 0x1);
    seL4_CPtr n = make(seL4_NotificationObject);
    seL4_CPtr n100 = mint(n, seL4_CanWrite, 0x100);
    n200 = mint(n, seL4_CanWrite, 0x200);
    n400 = mint(n, seL4_CanWrite, 0x400);
    CHECK(seL4_TCB_BindNotification(seL4_CapInitThreadTCB, n) == seL4_NoError);
    CHECK(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50) == seL4_NoError);

    start_thread("sender", sender, stack_s + sizeof stack_s, 200, 0, ep1, 0); /* queues its Send */
    seL4_Signal(n100);
    CHECK(recv_and_classify(ep) == 0x100); /* pending signal first, the sender stays queued */
    CHECK(recv_and_classify(ep) == 0x1);   /* now the queued sender */
    CHECK(seL4_GetMR(0) == 0x70);
    CHECK(recv_and_classify(ep) == 0x200); /* latched while the root was running */

    start_thread("signaller", signaller, stack_t + sizeof stack_t, 20, 0, 0, 0);
    CHECK(recv_and_classify(ep) == 0x400); /* blocked in Recv, woken by the signal */
    seL4_Word badge = 0x99;
    seL4_Poll(n, &badge);
    printf("root: poll after wake-up -> 0x%lx\n", (unsigned long)badge);
    CHECK(badge == 0);

    seL4_Error err = seL4_TCB_BindNotification(seL4_CapInitThreadTCB, n);
    printf("root: bind again -> %d\n", (int)err);
    CHECK(err == seL4_IllegalOperation);
    seL4_CPtr t = make(seL4_TCBObject);
    err = seL4_TCB_BindNotification(t, ep);
    printf("root: bind an endpoint -> %d\n", (int)err);
    CHECK(err == seL4_IllegalOperation);
    err = seL4_TCB_UnbindNotification(seL4_CapInitThreadTCB);
    printf("root: unbind -> %d\n", (int)err);
    CHECK(err == seL4_NoError);
    err = seL4_TCB_UnbindNotification(seL4_CapInitThreadTCB);
    printf("root: unbind again -> %d\n", (int)err);
    CHECK(err == seL4_IllegalOperation);
    return finish("bound_notification");
}
