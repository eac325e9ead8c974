/* vmfault: a thread with a fault endpoint dereferences a bad pointer; its handler (the root)
 * receives the VM fault (FAULT-5: label seL4_Fault_VMFault, MR1 the address, length 4) with the
 * handler cap's badge, then suspends the faulting thread and goes on. Replying instead would
 * restart the faulting access, which faults again (FAULT-7).
 * EXPECTED-STDERR-CONTAINS: thread 'wild' faulted: segmentation fault at address 0x10
 *
 * EXPECTED-STDOUT-BEGIN
 * wild: reading 0x10
 * root: VM fault from badge 9: label 5, length 4, address 0x10
 * root: replied; the access faults again: address 0x10
 * vmfault PASS
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

static char stack_w[65536] __attribute__((aligned(16)));

static void wild(seL4_Word addr, seL4_Word unused)
{
    (void)unused;
    printf("wild: reading 0x%lx\n", (unsigned long)addr);
    volatile int *p = (volatile int *)addr;
    printf("wild: read %d (unexpected)\n", *p);
}

int main(void)
{
    boot();
    seL4_CPtr ep = make(seL4_EndpointObject);
    seL4_CPtr handler = mint(ep, seL4_AllRights, 9);
    seL4_CPtr tcb = start_thread("wild", wild, stack_w + sizeof stack_w, 100, handler, 0x10, 0);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    printf("root: VM fault from badge %lu: label %lu, length %lu, address 0x%lx\n", (unsigned long)badge,
           (unsigned long)seL4_MessageInfo_get_label(info), (unsigned long)seL4_MessageInfo_get_length(info),
           (unsigned long)seL4_GetMR(seL4_VMFault_Addr));
    CHECK(seL4_MessageInfo_get_label(info) == seL4_Fault_VMFault);
    CHECK(seL4_GetMR(seL4_VMFault_Addr) == 0x10);
    /* Reply (restart): the thread re-executes the access and faults again. */
    info = seL4_ReplyRecv(ep, seL4_MessageInfo_new(0, 0, 0, 0), &badge);
    printf("root: replied; the access faults again: address 0x%lx\n", (unsigned long)seL4_GetMR(seL4_VMFault_Addr));
    CHECK(seL4_MessageInfo_get_label(info) == seL4_Fault_VMFault && badge == 9);
    CHECK(seL4_TCB_Suspend(tcb) == seL4_NoError);
    return finish("vmfault");
}
