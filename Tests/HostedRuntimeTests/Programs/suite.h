/* What every program of this suite shares: a CHECK macro that counts failures, boot-time
 * lookup of an untyped, retype and mint helpers, a thread starter (TCB + IPC-buffer frame,
 * Configure, SetPriority, DebugNameThread, WriteRegisters with resume) and the final verdict.
 * Included by each program (`swiftl4 run X.c` compiles the program's own directory's header). */
#ifndef SWIFTL4_TEST_SUITE_H
#define SWIFTL4_TEST_SUITE_H

#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

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

#endif
