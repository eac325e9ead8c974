/* savecaller: seL4_CNode_SaveCaller keeps a client's reply cap while the server receives from
 * another client; seL4_Send on the saved cap replies to the first client (seL4 IPC tutorial,
 * ipc-order task).
 * Clauses: REPLY-6 (SaveCaller moves the reply cap; Send on it replies with badge 0 and deletes
 *          it; SaveCaller without a caller succeeds and does nothing; occupied destination ->
 *          seL4_DeleteFirst), REPLY-1, REPLY-4, RECV-2, SEND-5 (Send on the now-empty slot is
 *          silent, Call gives seL4_InvalidCapability), TUT-3, TUT-8, EP-2, SCHED-4 (b)(c).
 * Clients (priority 200) both Call before the root (priority 50) receives.
 *
 * EXPECTED-STDOUT-BEGIN
 * c1: call
 * c2: call
 * root: got label=1 badge=1
 * root: saved caller -> 0
 * root: got label=2 badge=2
 * c1: reply label=10 mr0=0x100
 * root: send on the used saved slot returned
 * root: call on the used saved slot -> label=2 len=1
 * c2: reply label=20 mr0=0x200
 * root: save caller without a caller -> 0
 * root: move from that slot -> 6
 * root: save caller into an occupied slot -> 8
 * savecaller PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char stack1[65536] __attribute__((aligned(16)));
static char stack2[65536] __attribute__((aligned(16)));
static int replies;

static void client(seL4_Word ep, seL4_Word id)
{
    printf("c%lu: call\n", (unsigned long)id);
    seL4_SetMR(0, id);
    seL4_MessageInfo_t r = seL4_Call(ep, seL4_MessageInfo_new(id, 0, 0, 1));
    printf("c%lu: reply label=%lu mr0=0x%lx\n", (unsigned long)id, (unsigned long)seL4_MessageInfo_get_label(r),
           (unsigned long)seL4_GetMR(0));
    CHECK(seL4_MessageInfo_get_label(r) == 10 * id && seL4_GetMR(0) == 0x100 * id);
    replies++;
}

int main(void)
{
    boot();
    seL4_CPtr ep = make(seL4_EndpointObject);
    seL4_CPtr ep1 = mint(ep, seL4_AllRights, 1);
    seL4_CPtr ep2 = mint(ep, seL4_AllRights, 2);
    seL4_CPtr saved = free_slot++;
    seL4_CPtr scratch = free_slot++;
    seL4_Word badge;
    seL4_Error err;
    CHECK(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50) == seL4_NoError);
    start_thread("c1", client, stack1 + sizeof stack1, 200, 0, ep1, 1);
    start_thread("c2", client, stack2 + sizeof stack2, 200, 0, ep2, 2);

    seL4_MessageInfo_t m = seL4_Recv(ep, &badge);
    printf("root: got label=%lu badge=%lu\n", (unsigned long)seL4_MessageInfo_get_label(m), (unsigned long)badge);
    CHECK(badge == 1);
    err = seL4_CNode_SaveCaller(seL4_CapInitThreadCNode, saved, seL4_WordBits);
    printf("root: saved caller -> %d\n", (int)err);
    CHECK(err == seL4_NoError);

    m = seL4_Recv(ep, &badge);
    printf("root: got label=%lu badge=%lu\n", (unsigned long)seL4_MessageInfo_get_label(m), (unsigned long)badge);
    CHECK(badge == 2);

    seL4_SetMR(0, 0x100);
    seL4_Send(saved, seL4_MessageInfo_new(10, 0, 0, 1));
    CHECK(replies == 1);
    seL4_Send(saved, seL4_MessageInfo_new(11, 0, 0, 0));
    printf("root: send on the used saved slot returned\n");
    m = seL4_Call(saved, seL4_MessageInfo_new(12, 0, 0, 0));
    printf("root: call on the used saved slot -> label=%lu len=%lu\n", (unsigned long)seL4_MessageInfo_get_label(m),
           (unsigned long)seL4_MessageInfo_get_length(m));
    CHECK(seL4_MessageInfo_get_label(m) == seL4_InvalidCapability);

    seL4_SetMR(0, 0x200);
    seL4_Reply(seL4_MessageInfo_new(20, 0, 0, 1)); /* c2's reply cap is still in the caller slot */
    CHECK(replies == 2);

    err = seL4_CNode_SaveCaller(seL4_CapInitThreadCNode, saved, seL4_WordBits);
    printf("root: save caller without a caller -> %d\n", (int)err);
    CHECK(err == seL4_NoError);
    err = seL4_CNode_Move(seL4_CapInitThreadCNode, scratch, seL4_WordBits, seL4_CapInitThreadCNode, saved,
                          seL4_WordBits);
    printf("root: move from that slot -> %d\n", (int)err);
    CHECK(err == seL4_FailedLookup);
    err = seL4_CNode_SaveCaller(seL4_CapInitThreadCNode, ep1, seL4_WordBits);
    printf("root: save caller into an occupied slot -> %d\n", (int)err);
    CHECK(err == seL4_DeleteFirst);
    return finish("savecaller");
}
