/* yield: seL4_Yield with no timer preemption.
 * Clauses: YIELD-1 (the yielder goes to the tail of its own priority's ready queue; alone at the
 *          top priority it continues), SCHED-1, SCHED-2, SCHED-4, SCHED-7.
 * A lower-priority thread (100) never runs because the root (255) yields; two equal-priority
 * threads (255) and the root take turns in ready-queue order. p2 was resumed after p1 and so
 * starts at the head of the queue (restart() enqueues at the head, SCHED-7).
 *
 * EXPECTED-STDOUT-BEGIN
 * root: yield x3 with only a lower-priority thread ready
 * root: low ran=0
 * p2: turn 0
 * p1: turn 0
 * root: turn 0
 * p2: turn 1
 * p1: turn 1
 * root: turn 1
 * p2: done
 * p1: done
 * root: turn 2
 * root: low ran=0
 * yield PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char stacks[3][65536] __attribute__((aligned(16)));
static int low_ran;

static void low(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    low_ran = 1;
    printf("low: ran\n");
}

static void peer(seL4_Word id, seL4_Word unused)
{
    (void)unused;
    for (int i = 0; i < 2; i++) {
        printf("p%lu: turn %d\n", (unsigned long)id, i);
        seL4_Yield();
    }
    printf("p%lu: done\n", (unsigned long)id);
}

int main(void)
{
    boot();
    start_thread("low", low, stacks[0] + sizeof stacks[0], 100, 0, 0, 0);
    printf("root: yield x3 with only a lower-priority thread ready\n");
    seL4_Yield();
    seL4_Yield();
    seL4_Yield();
    printf("root: low ran=%d\n", low_ran);
    CHECK(low_ran == 0);

    start_thread("p1", peer, stacks[1] + sizeof stacks[1], seL4_MaxPrio, 0, 1, 0);
    start_thread("p2", peer, stacks[2] + sizeof stacks[2], seL4_MaxPrio, 0, 2, 0);
    for (int i = 0; i < 3; i++) {
        seL4_Yield();
        printf("root: turn %d\n", i);
    }
    printf("root: low ran=%d\n", low_ran);
    CHECK(low_ran == 0);
    return finish("yield");
}
