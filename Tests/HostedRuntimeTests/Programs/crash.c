/* crash: a helper thread named with seL4_DebugNameThread dereferences NULL and has no fault
 * handler. As on seL4, that is a VM fault (FAULT-5) with no handler: a double fault that leaves
 * the helper Inactive (FAULT-1) while the root task goes on. swiftl4 names the thread on stderr.
 * The helper runs at the root's priority: Resume does not preempt the root (SCHED-4), the root's
 * Yield lets the helper run, and the root continues after the helper has stopped.
 * EXPECTED-STDERR-CONTAINS: thread 'crasher' faulted: segmentation fault at address 0x0
 *
 * EXPECTED-STDOUT-BEGIN
 * root: starting the crasher
 * crasher: about to dereference NULL
 * root: the crasher is stopped: ReadRegisters still works on it
 * crash PASS
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

static char stack_c[65536] __attribute__((aligned(16)));

static void crasher(seL4_Word addr, seL4_Word unused)
{
    (void)unused;
    printf("crasher: about to dereference NULL\n");
    volatile int *p = (volatile int *)addr;
    *p = 42;
    printf("crasher: survived (unexpected)\n");
}

int main(void)
{
    boot();
    printf("root: starting the crasher\n");
    seL4_CPtr tcb = start_thread("crasher", crasher, stack_c + sizeof stack_c, 255, 0, 0, 0);
    seL4_Yield(); /* the crasher runs, faults, and stops */
    seL4_UserContext ctx;
    CHECK(seL4_TCB_ReadRegisters(tcb, 0, 0, 2, &ctx) == seL4_NoError);
    printf("root: the crasher is stopped: ReadRegisters still works on it\n");
    return finish("crash");
}
