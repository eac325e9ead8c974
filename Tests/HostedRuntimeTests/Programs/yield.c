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

/* ---- boilerplate shared by the suite (each program is self-contained) ---- */
static int failures;
#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            printf("CHECK FAILED line %d: %s\n", __LINE__, #cond);           \
            failures++;                                                      \
        }                                                                    \
    } while (0)

static seL4_CPtr free_slot, ut;

static void boot(void)
{
    seL4_BootInfo *bi = seL4_GetBootInfo();
    free_slot = bi->empty.start;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        if (!bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits >= 20) {
            ut = bi->untyped.start + i;
            break;
        }
    }
    assert(ut != 0);
}

static seL4_CPtr make(seL4_Word type)
{
    seL4_CPtr slot = free_slot++;
    seL4_Error err = seL4_Untyped_Retype(ut, type, 0, seL4_CapInitThreadCNode, 0, 0, slot, 1);
    assert(err == seL4_NoError);
    return slot;
}

static seL4_CPtr mint(seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_CPtr slot = free_slot++;
    seL4_Error err = seL4_CNode_Mint(seL4_CapInitThreadCNode, slot, seL4_WordBits, seL4_CapInitThreadCNode, src,
                                     seL4_WordBits, rights, badge);
    assert(err == seL4_NoError);
    return slot;
}

/* Retypes a TCB and an IPC-buffer frame, configures, names and starts a thread at entry(a, b). */
static seL4_CPtr start_thread(const char *name, void (*entry)(seL4_Word, seL4_Word), char *stack_top,
                              seL4_Word prio, seL4_CPtr fault_ep, seL4_Word a, seL4_Word b)
{
    seL4_CPtr tcb = make(seL4_TCBObject);
    seL4_CPtr frame = make(seL4_X86_4K);
    seL4_X86_Page_GetAddress_t ga = seL4_X86_Page_GetAddress(frame);
    assert(ga.error == seL4_NoError);
    seL4_Error err = seL4_TCB_Configure(tcb, fault_ep, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0,
                                        ga.paddr, frame);
    assert(err == seL4_NoError);
    err = seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, prio);
    assert(err == seL4_NoError);
    seL4_DebugNameThread(tcb, name);
    seL4_UserContext ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.rip = (seL4_Word)entry;
    ctx.rsp = (seL4_Word)stack_top;
    ctx.rdi = a;
    ctx.rsi = b;
    err = seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof(ctx) / sizeof(seL4_Word), &ctx);
    assert(err == seL4_NoError);
    return tcb;
}

static int finish(const char *name)
{
    if (failures) {
        printf("%s FAIL (%d failed checks)\n", name, failures);
        return 1;
    }
    printf("%s PASS\n", name);
    return 0;
}
/* ---- end of boilerplate ---- */

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
