/* bad_input: invalid arguments from user code must produce seL4's errors (or seL4's silence), never
 * crash the runtime.
 * Clauses: SEND-3, SEND-5, SYS-2, SYS-3 (empty slot -> seL4_InvalidCapability, MR0 0; silent for
 *          Send/NBSend), SEND-6 (NBSend on an unresolvable CPtr is silent), ERR-2, ERR-3, MSG-3
 *          (a kernel invocation with length 127 is decoded as 120 words), IPCBUF-3 (misaligned
 *          buffer -> seL4_AlignmentError; non-frame cap -> seL4_IllegalOperation), SCHED-1
 *          (priority above the MCP -> seL4_RangeError 0..mcp), REPLY-1 (Reply with no caller is a
 *          no-op; bad extra caps in a Reply are ignored), XFER-4 (an unresolvable receive path
 *          means no receive slot, no error), CNODE-8 (Call on a deleted endpoint), CNODE-1.
 * The root task has no fault handler, so it never makes a blocking call on an unresolvable CPtr
 * (that would be a double fault, FAULT-1).
 *
 * EXPECTED-STDOUT-BEGIN
 * nbsend to an unresolvable cptr returned
 * nbsend and send to an empty slot returned
 * call on an empty slot -> label=2 len=1 mr0=0
 * call on cptr 0 -> label=2 len=1 mr0=0
 * reply with no caller returned
 * reply with bogus extra caps returned
 * cnode delete with length 127 -> label=0
 * set ipc buffer at paddr+8 -> 5
 * set ipc buffer at paddr+1024 -> 0
 * configure with ipc buffer at paddr+4 -> 5
 * set ipc buffer with an endpoint as frame -> 3
 * set priority 256 -> 4 min=0 max=255
 * unknown label 9999 on a TCB -> 3
 * receiver: extraCaps=0 label=6 with an unresolvable receive path
 * call on a deleted endpoint -> label=2 len=1 mr0=0
 * bad_input PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char stack_r[65536] __attribute__((aligned(16)));
#define BAD_CPTR ((1ul << 63) | 5)

static void receiver(seL4_Word ep, seL4_Word unused)
{
    (void)unused;
    seL4_SetCapReceivePath(BAD_CPTR, BAD_CPTR, 64);
    seL4_MessageInfo_t m = seL4_Recv(ep, seL4_Null);
    printf("receiver: extraCaps=%lu label=%lu with an unresolvable receive path\n",
           (unsigned long)seL4_MessageInfo_get_extraCaps(m), (unsigned long)seL4_MessageInfo_get_label(m));
    CHECK(seL4_MessageInfo_get_extraCaps(m) == 0 && seL4_MessageInfo_get_label(m) == 6);
}

static void call_expect_invalid(const char *what, seL4_CPtr cap)
{
    seL4_SetMR(0, 0xffff);
    seL4_MessageInfo_t r = seL4_Call(cap, seL4_MessageInfo_new(1, 0, 0, 1));
    printf("call on %s -> label=%lu len=%lu mr0=%lu\n", what, (unsigned long)seL4_MessageInfo_get_label(r),
           (unsigned long)seL4_MessageInfo_get_length(r), (unsigned long)seL4_GetMR(0));
    CHECK(seL4_MessageInfo_get_label(r) == seL4_InvalidCapability && seL4_MessageInfo_get_length(r) == 1 &&
          seL4_GetMR(0) == 0);
}

int main(void)
{
    boot();
    seL4_CPtr ep = make(seL4_EndpointObject);
    seL4_CPtr n = make(seL4_NotificationObject);
    seL4_CPtr empty = free_slot++;
    seL4_CPtr tcb = make(seL4_TCBObject);
    seL4_CPtr frame = make(seL4_X86_4K);
    seL4_X86_Page_GetAddress_t ga = seL4_X86_Page_GetAddress(frame);
    CHECK(ga.error == seL4_NoError);
    seL4_Error err;

    seL4_NBSend(BAD_CPTR, seL4_MessageInfo_new(1, 0, 0, 0));
    printf("nbsend to an unresolvable cptr returned\n");
    seL4_NBSend(empty, seL4_MessageInfo_new(1, 0, 0, 0));
    seL4_Send(empty, seL4_MessageInfo_new(1, 0, 0, 0));
    printf("nbsend and send to an empty slot returned\n");
    call_expect_invalid("an empty slot", empty);
    call_expect_invalid("cptr 0", 0);

    seL4_Reply(seL4_MessageInfo_new(1, 0, 0, 3));
    printf("reply with no caller returned\n");
    seL4_SetCap(0, BAD_CPTR);
    seL4_SetCap(1, BAD_CPTR);
    seL4_Reply(seL4_MessageInfo_new(1, 0, 2, 0));
    printf("reply with bogus extra caps returned\n");

    seL4_SetMR(0, empty);
    seL4_SetMR(1, 64);
    seL4_MessageInfo_t r = seL4_Call(seL4_CapInitThreadCNode, seL4_MessageInfo_new(CNodeDelete, 0, 0, 127));
    printf("cnode delete with length 127 -> label=%lu\n", (unsigned long)seL4_MessageInfo_get_label(r));
    CHECK(seL4_MessageInfo_get_label(r) == seL4_NoError);

    err = seL4_TCB_SetIPCBuffer(tcb, ga.paddr + 8, frame);
    printf("set ipc buffer at paddr+8 -> %d\n", (int)err);
    CHECK(err == seL4_AlignmentError);
    err = seL4_TCB_SetIPCBuffer(tcb, ga.paddr + 1024, frame);
    printf("set ipc buffer at paddr+1024 -> %d\n", (int)err);
    CHECK(err == seL4_NoError);
    err = seL4_TCB_Configure(tcb, 0, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0, ga.paddr + 4, frame);
    printf("configure with ipc buffer at paddr+4 -> %d\n", (int)err);
    CHECK(err == seL4_AlignmentError);
    err = seL4_TCB_SetIPCBuffer(tcb, ga.paddr, ep);
    printf("set ipc buffer with an endpoint as frame -> %d\n", (int)err);
    CHECK(err == seL4_IllegalOperation);

    err = seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, 256);
    printf("set priority 256 -> %d min=%lu max=%lu\n", (int)err, (unsigned long)seL4_GetMR(0),
           (unsigned long)seL4_GetMR(1));
    CHECK(err == seL4_RangeError && seL4_GetMR(0) == 0 && seL4_GetMR(1) == 255);

    r = seL4_Call(tcb, seL4_MessageInfo_new(9999, 0, 0, 0));
    printf("unknown label 9999 on a TCB -> %lu\n", (unsigned long)seL4_MessageInfo_get_label(r));
    CHECK(seL4_MessageInfo_get_label(r) == seL4_IllegalOperation);

    /* A receiver whose receive path does not resolve: the cap is not transferred, no fault. */
    start_thread("receiver", receiver, stack_r + sizeof stack_r, seL4_MaxPrio, 0, ep, 0);
    seL4_Yield(); /* equal priority: the receiver runs and blocks in Recv */
    seL4_SetCap(0, n);
    seL4_Send(ep, seL4_MessageInfo_new(6, 0, 1, 0));
    seL4_Yield(); /* let it print */

    err = seL4_CNode_Delete(seL4_CapInitThreadCNode, ep, 64);
    CHECK(err == seL4_NoError);
    call_expect_invalid("a deleted endpoint", ep);
    return finish("bad_input");
}
