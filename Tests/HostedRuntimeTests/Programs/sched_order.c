/* sched_order: who runs next after Resume, Signal, Send and Yield (no timer preemption).
 * Clauses: SCHED-2, SCHED-3, SCHED-4 (steps 1-4 and corollary (b)), SCHED-7, YIELD-1, PIT-14,
 *          NTFN-2, SEND-1.
 * Resume (here WriteRegisters with resume_target) is seL4's restart(): the thread is enqueued at
 * the HEAD of its ready queue (SCHED_ENQUEUE, SCHED-7) and then nominated with possibleSwitchTo;
 * schedule()'s later tcbSchedEnqueue/tcbSchedAppend of an already-queued thread is a no-op.
 * A: two lower-priority threads resumed in the order l1, l2 while the root keeps running: l2 runs
 *    first.
 * B: equal-priority threads resumed in the order e1, e2: the root keeps the CPU (SCHED-4 step 3)
 *    until it yields (YIELD-1: root to the tail), then e2 runs before e1.
 * C: Signal waking an equal-priority waiter does not switch (PIT-14); the woken thread runs after
 *    the root yields.
 * D: Send to an equal-priority waiting receiver: the sender keeps the CPU (scenario 40).
 *
 * EXPECTED-STDOUT-BEGIN
 * l2: run
 * root: woken by 0x2
 * l1: run
 * root: woken by 0x1
 * root: e1 and e2 started
 * e2: run
 * e1: run
 * root: after yield 1
 * e3: wait
 * root: signal
 * root: after signal
 * e3: woken by 0x8
 * root: after yield 2
 * e4: recv
 * root: sent
 * e4: got label=44
 * root: after yield 3
 * sched_order PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char stacks[6][65536] __attribute__((aligned(16)));
static seL4_CPtr ntfn, ntfn_b1, ntfn_b2, ntfn2, ntfn2_b8, ep;

static void lower(seL4_Word id, seL4_Word cap)
{
    printf("l%lu: run\n", (unsigned long)id);
    seL4_Signal(cap);
}

static void equal(seL4_Word id, seL4_Word unused)
{
    (void)unused;
    printf("e%lu: run\n", (unsigned long)id);
}

static void waiter(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    seL4_Word badge = 0;
    printf("e3: wait\n");
    seL4_Wait(ntfn2, &badge);
    printf("e3: woken by 0x%lx\n", (unsigned long)badge);
}

static void receiver(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    printf("e4: recv\n");
    seL4_MessageInfo_t m = seL4_Recv(ep, seL4_Null);
    printf("e4: got label=%lu\n", (unsigned long)seL4_MessageInfo_get_label(m));
}

int main(void)
{
    boot();
    ntfn = make(seL4_NotificationObject);
    ntfn_b1 = mint(ntfn, seL4_AllRights, 0x1);
    ntfn_b2 = mint(ntfn, seL4_AllRights, 0x2);
    ntfn2 = make(seL4_NotificationObject);
    ntfn2_b8 = mint(ntfn2, seL4_AllRights, 0x8);
    ep = make(seL4_EndpointObject);
    seL4_Word badge = 0;

    /* A */
    start_thread("l1", lower, stacks[0] + sizeof stacks[0], 100, 0, 1, ntfn_b1);
    start_thread("l2", lower, stacks[1] + sizeof stacks[1], 100, 0, 2, ntfn_b2);
    seL4_Wait(ntfn, &badge);
    printf("root: woken by 0x%lx\n", (unsigned long)badge);
    CHECK(badge == 0x2);
    seL4_Wait(ntfn, &badge);
    printf("root: woken by 0x%lx\n", (unsigned long)badge);
    CHECK(badge == 0x1);

    /* B */
    start_thread("e1", equal, stacks[2] + sizeof stacks[2], seL4_MaxPrio, 0, 1, 0);
    start_thread("e2", equal, stacks[3] + sizeof stacks[3], seL4_MaxPrio, 0, 2, 0);
    printf("root: e1 and e2 started\n");
    seL4_Yield();
    printf("root: after yield 1\n");

    /* C */
    start_thread("e3", waiter, stacks[4] + sizeof stacks[4], seL4_MaxPrio, 0, 0, 0);
    seL4_Yield(); /* e3 runs and blocks in Wait */
    printf("root: signal\n");
    seL4_Signal(ntfn2_b8);
    printf("root: after signal\n");
    seL4_Yield();
    printf("root: after yield 2\n");

    /* D */
    start_thread("e4", receiver, stacks[5] + sizeof stacks[5], seL4_MaxPrio, 0, 0, 0);
    seL4_Yield(); /* e4 runs and blocks in Recv */
    seL4_Send(ep, seL4_MessageInfo_new(44, 0, 0, 0));
    printf("root: sent\n");
    seL4_Yield();
    printf("root: after yield 3\n");
    return finish("sched_order");
}
