/* thread_lifecycle: threads that return, TCB_Suspend / TCB_Resume, TCB_WriteRegisters to start a
 * thread at a new entry, TCB_ReadRegisters, seL4_DebugNameThread.
 * Clauses: SCHED-7 (Suspend leaves the notification queue and makes the thread Inactive; Resume of
 *          a stopped thread -> Restart, it re-issues its system call), TS-1, TS-3, NTFN-2 (a signal
 *          with no waiter is latched), NTFN-3, YIELD-1; hosted contract (architecture.md section
 *          3: a thread whose entry function returns stops).
 * The root lets lower-priority helpers run until they all block with settle(): a Call/ReplyRecv
 * rendezvous with an "idle" helper of priority 1, which only gets the CPU when every other helper
 * is blocked or stopped. a and b run at 100, the idle helper at 1; b, resumed after a, runs first
 * (restart() enqueues at the head of the ready queue, see sched_order.c).
 *
 * EXPECTED-STDOUT-BEGIN
 * b: waiting
 * a: running, returning
 * root: settled
 * root: suspend b -> 0
 * root: resume b -> 0
 * b: woken 0x2
 * b: waiting
 * root: settled
 * root: wrote b's registers without resuming
 * root: settled
 * root: read back rip ok=1 rsp ok=1 rdi=0x77 rsi=0x88
 * root: resume b -> 0
 * c: started in b's TCB arg=0x77,0x88
 * root: settled
 * a2: restarted at a new entry arg=0x5
 * root: settled
 * thread_lifecycle PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char stack_a[65536] __attribute__((aligned(16)));
static char stack_b[65536] __attribute__((aligned(16)));
static char stack_c[65536] __attribute__((aligned(16)));
static char stack_i[65536] __attribute__((aligned(16)));
static seL4_CPtr idle_ep;
static int settled_once;

static void idle_thread(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    for (;;) {
        seL4_Call(idle_ep, seL4_MessageInfo_new(0, 0, 0, 0));
    }
}

/* Returns once every helper above priority 1 has blocked or stopped. */
static void settle(void)
{
    if (settled_once) {
        seL4_ReplyRecv(idle_ep, seL4_MessageInfo_new(0, 0, 0, 0), seL4_Null);
    } else {
        seL4_Recv(idle_ep, seL4_Null);
        settled_once = 1;
    }
    printf("root: settled\n");
}

static void a_entry(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    printf("a: running, returning\n");
}

static void a2_entry(seL4_Word arg, seL4_Word unused)
{
    (void)unused;
    printf("a2: restarted at a new entry arg=0x%lx\n", (unsigned long)arg);
}

static void b_entry(seL4_Word ntfn, seL4_Word unused)
{
    (void)unused;
    for (;;) {
        seL4_Word badge = 0;
        printf("b: waiting\n");
        seL4_Wait(ntfn, &badge);
        printf("b: woken 0x%lx\n", (unsigned long)badge);
    }
}

static void c_entry(seL4_Word a, seL4_Word b)
{
    printf("c: started in b's TCB arg=0x%lx,0x%lx\n", (unsigned long)a, (unsigned long)b);
}

int main(void)
{
    boot();
    idle_ep = make(seL4_EndpointObject);
    seL4_CPtr nb = make(seL4_NotificationObject);
    seL4_CPtr nb2 = mint(nb, seL4_CanWrite, 0x2);
    seL4_Error err;

    seL4_CPtr a = start_thread("a", a_entry, stack_a + sizeof stack_a, 100, 0, 0, 0);
    seL4_CPtr b = start_thread("b", b_entry, stack_b + sizeof stack_b, 100, 0, nb, 0);
    start_thread("idle", idle_thread, stack_i + sizeof stack_i, 1, 0, 0, 0);
    settle();

    err = seL4_TCB_Suspend(b);
    printf("root: suspend b -> %d\n", (int)err);
    CHECK(err == seL4_NoError);
    seL4_Signal(nb2); /* b is no longer waiting: the signal is latched */
    err = seL4_TCB_Resume(b);
    printf("root: resume b -> %d\n", (int)err);
    CHECK(err == seL4_NoError);
    settle(); /* b re-issues its Wait and gets the latched signal */

    CHECK(seL4_TCB_Suspend(b) == seL4_NoError);
    seL4_UserContext ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.rip = (seL4_Word)c_entry;
    ctx.rsp = (seL4_Word)(stack_c + sizeof stack_c);
    ctx.rdi = 0x77;
    ctx.rsi = 0x88;
    err = seL4_TCB_WriteRegisters(b, 0, 0, sizeof(ctx) / sizeof(seL4_Word), &ctx);
    CHECK(err == seL4_NoError);
    printf("root: wrote b's registers without resuming\n");
    settle(); /* b stays suspended */

    seL4_UserContext back;
    memset(&back, 0, sizeof back);
    err = seL4_TCB_ReadRegisters(b, 0, 0, sizeof(back) / sizeof(seL4_Word), &back);
    CHECK(err == seL4_NoError);
    printf("root: read back rip ok=%d rsp ok=%d rdi=0x%lx rsi=0x%lx\n", back.rip == ctx.rip, back.rsp == ctx.rsp,
           (unsigned long)back.rdi, (unsigned long)back.rsi);
    CHECK(back.rip == ctx.rip && back.rsp == ctx.rsp && back.rdi == 0x77 && back.rsi == 0x88);

    err = seL4_TCB_Resume(b);
    printf("root: resume b -> %d\n", (int)err);
    CHECK(err == seL4_NoError);
    settle();

    /* a returned earlier (stopped): start it again at another entry. */
    memset(&ctx, 0, sizeof ctx);
    ctx.rip = (seL4_Word)a2_entry;
    ctx.rsp = (seL4_Word)(stack_a + sizeof stack_a);
    ctx.rdi = 0x5;
    CHECK(seL4_TCB_WriteRegisters(a, 1, 0, sizeof(ctx) / sizeof(seL4_Word), &ctx) == seL4_NoError);
    settle();
    return finish("thread_lifecycle");
}
