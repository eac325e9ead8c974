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
