/* notifications: seL4_Signal, seL4_Wait, seL4_Poll, seL4_Call on a notification.
 * Clauses: NTFN-1, NTFN-2 (Idle -> Active, Active ORs the badge, Waiting releases the head waiter
 *          only), NTFN-3, PIT-7, PIT-8 (signal with badge 0 still makes the notification active),
 *          CALL-2, ABI-3, SCHED-4 (b).
 *
 * EXPECTED-STDOUT-BEGIN
 * root: poll idle badge=0x0
 * root: wait after signals 0x1,0x4 -> 0x5
 * root: poll after wait badge=0x0
 * root: poll after signal 0x10 -> 0x10
 * root: poll again badge=0x0
 * root: wait after badge-0 signal -> 0x0
 * signaller: signal 0x40
 * root: blocking wait -> 0x40
 * root: call on notification label=0 len=0 mr0=0x77
 * root: poll after call -> 0x1
 * w1: waiting
 * w2: waiting
 * w1: woken 0x100
 * root: first signal released one waiter
 * w2: woken 0x200
 * notifications PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char stack_s[65536] __attribute__((aligned(16)));
static char stack_w1[65536] __attribute__((aligned(16)));
static char stack_w2[65536] __attribute__((aligned(16)));
static int woken;

static void signaller(seL4_Word cap, seL4_Word unused)
{
    (void)unused;
    printf("signaller: signal 0x40\n");
    seL4_Signal(cap);
}

static void waiter(seL4_Word ntfn, seL4_Word id)
{
    seL4_Word badge = 0;
    printf("w%lu: waiting\n", (unsigned long)id);
    seL4_Wait(ntfn, &badge);
    woken++;
    printf("w%lu: woken 0x%lx\n", (unsigned long)id, (unsigned long)badge);
}

int main(void)
{
    boot();
    seL4_CPtr n = make(seL4_NotificationObject);
    seL4_CPtr n1 = mint(n, seL4_AllRights, 0x1);
    seL4_CPtr n4 = mint(n, seL4_AllRights, 0x4);
    seL4_CPtr n10 = mint(n, seL4_AllRights, 0x10);
    seL4_CPtr n40 = mint(n, seL4_CanWrite, 0x40);
    seL4_Word badge;

    badge = 0x99;
    seL4_Poll(n, &badge);
    printf("root: poll idle badge=0x%lx\n", (unsigned long)badge);
    CHECK(badge == 0);

    seL4_Signal(n1);
    seL4_Signal(n4);
    badge = 0;
    seL4_Wait(n, &badge);
    printf("root: wait after signals 0x1,0x4 -> 0x%lx\n", (unsigned long)badge);
    CHECK(badge == 0x5);
    badge = 0x99;
    seL4_Poll(n, &badge);
    printf("root: poll after wait badge=0x%lx\n", (unsigned long)badge);
    CHECK(badge == 0);

    seL4_Signal(n10);
    badge = 0;
    seL4_Poll(n, &badge);
    printf("root: poll after signal 0x10 -> 0x%lx\n", (unsigned long)badge);
    CHECK(badge == 0x10);
    badge = 0x99;
    seL4_Poll(n, &badge);
    printf("root: poll again badge=0x%lx\n", (unsigned long)badge);
    CHECK(badge == 0);

    /* The signaller (lower priority) only runs if the root blocks: a correct kernel returns
     * from this Wait at once with 0 (PIT-8); a wrong one would block and see 0x40 here. */
    start_thread("signaller", signaller, stack_s + sizeof stack_s, 100, 0, n40, 0);
    seL4_Signal(n); /* unbadged cap: badge 0 */
    badge = 0x99;
    seL4_Wait(n, &badge);
    printf("root: wait after badge-0 signal -> 0x%lx\n", (unsigned long)badge);
    CHECK(badge == 0);

    badge = 0;
    seL4_Wait(n, &badge); /* blocks; the signaller runs and wakes the root at once */
    printf("root: blocking wait -> 0x%lx\n", (unsigned long)badge);
    CHECK(badge == 0x40);

    seL4_SetMR(0, 0x77);
    seL4_MessageInfo_t r = seL4_Call(n1, seL4_MessageInfo_new(5, 0, 0, 2));
    printf("root: call on notification label=%lu len=%lu mr0=0x%lx\n", (unsigned long)seL4_MessageInfo_get_label(r),
           (unsigned long)seL4_MessageInfo_get_length(r), (unsigned long)seL4_GetMR(0));
    CHECK(seL4_MessageInfo_get_label(r) == 0 && seL4_MessageInfo_get_length(r) == 0 && seL4_GetMR(0) == 0x77);
    badge = 0;
    seL4_Poll(n, &badge);
    printf("root: poll after call -> 0x%lx\n", (unsigned long)badge);
    CHECK(badge == 0x1);

    /* Two waiters above the root: one Signal releases only the head waiter. */
    seL4_CPtr m = make(seL4_NotificationObject);
    seL4_CPtr m100 = mint(m, seL4_AllRights, 0x100);
    seL4_CPtr m200 = mint(m, seL4_AllRights, 0x200);
    CHECK(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50) == seL4_NoError);
    start_thread("w1", waiter, stack_w1 + sizeof stack_w1, 200, 0, m, 1);
    start_thread("w2", waiter, stack_w2 + sizeof stack_w2, 200, 0, m, 2);
    seL4_Signal(m100);
    printf("root: first signal released one waiter\n");
    CHECK(woken == 1);
    seL4_Signal(m200);
    CHECK(woken == 2);
    return finish("notifications");
}
