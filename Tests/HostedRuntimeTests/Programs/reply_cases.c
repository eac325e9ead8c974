/* reply_cases: what happens to reply capabilities in the corner cases.
 * Clauses: CALL-1 / PIT-2 (Call through a cap with Write only: the message is delivered, no reply
 *          cap, the caller is left Inactive), REPLY-1 (Reply with an empty caller slot is a
 *          no-op), RECV-2 / PIT-1 / REPLY-8 (an endpoint Recv deletes the pending reply cap; the
 *          caller stays BlockedOnReply), SCHED-7 / TS-3 (Suspend + Resume of that caller makes it
 *          re-issue its Call: only the system call is re-executed, so c2 prints
 *          nothing new), XFER-3 (a GrantReply-only cap carries no caps; extraCaps 0 at the
 *          receiver), REPLY-9 (suspending a BlockedOnReply caller deletes its saved reply cap),
 *          REPLY-6.
 * Clients (priority 200) run at once when started and Call before the root (priority 50)
 * receives. "No reply cap" is observed with SaveCaller followed by a Move from the save slot.
 *
 * EXPECTED-STDOUT-BEGIN
 * c1: call through a write-only cap
 * root: got label=1 badge=1
 * root: reply to c1 returned
 * root: caller slot was empty (move -> 6)
 * c2: call
 * root: got label=2 badge=2
 * root: nbrecv badge=0x0 deleted the reply cap (move -> 6)
 * root: suspend and resume c2
 * root: got label=2 badge=2
 * c2: reply label=20
 * c3: call with a cap through a GrantReply cap
 * root: got label=3 badge=3 extraCaps=0 (move -> 6)
 * c3: reply label=30
 * c4: call
 * root: got label=4 badge=4, saved the caller
 * root: suspended c4: saved reply cap gone (move -> 6)
 * reply_cases PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char stacks[4][65536] __attribute__((aligned(16)));
static seL4_CPtr ntfn;
static int c1_replied;

static void client(seL4_Word cap, seL4_Word id)
{
    if (id == 1) {
        printf("c1: call through a write-only cap\n");
    } else if (id == 3) {
        printf("c3: call with a cap through a GrantReply cap\n");
    } else {
        printf("c%lu: call\n", (unsigned long)id);
    }
    seL4_SetCap(0, ntfn);
    seL4_MessageInfo_t r = seL4_Call(cap, seL4_MessageInfo_new(id, 0, id == 3 ? 1 : 0, 0));
    if (id == 1) {
        c1_replied = 1;
    }
    printf("c%lu: reply label=%lu\n", (unsigned long)id, (unsigned long)seL4_MessageInfo_get_label(r));
}

static seL4_CPtr save_slot, scratch;

/* SaveCaller into save_slot, then move it away: returns the Move's error (6 = nothing saved). */
static seL4_Error probe_caller(void)
{
    CHECK(seL4_CNode_SaveCaller(seL4_CapInitThreadCNode, save_slot, 64) == seL4_NoError);
    seL4_Error err = seL4_CNode_Move(seL4_CapInitThreadCNode, scratch, 64, seL4_CapInitThreadCNode, save_slot, 64);
    if (err == seL4_NoError) {
        CHECK(seL4_CNode_Delete(seL4_CapInitThreadCNode, scratch, 64) == seL4_NoError);
    }
    return err;
}

static seL4_MessageInfo_t recv_print(seL4_CPtr ep, seL4_Word want)
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_Recv(ep, &badge);
    CHECK(seL4_MessageInfo_get_label(m) == want && badge == want);
    return m;
}

int main(void)
{
    boot();
    seL4_CPtr ep = make(seL4_EndpointObject);
    ntfn = make(seL4_NotificationObject);
    seL4_CPtr ep1 = mint(ep, seL4_CanWrite, 1);
    seL4_CPtr ep2 = mint(ep, seL4_AllRights, 2);
    seL4_CPtr ep3 = mint(ep, seL4_CapRights_new(1, 0, 0, 1), 3);
    seL4_CPtr ep4 = mint(ep, seL4_AllRights, 4);
    save_slot = free_slot++;
    scratch = free_slot++;
    seL4_CPtr recv_slot = free_slot++;
    seL4_Error err;
    seL4_Word badge;
    CHECK(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50) == seL4_NoError);

    /* 1: Write-only cap */
    start_thread("c1", client, stacks[0] + sizeof stacks[0], 200, 0, ep1, 1);
    recv_print(ep, 1);
    printf("root: got label=1 badge=1\n");
    seL4_Reply(seL4_MessageInfo_new(10, 0, 0, 0));
    printf("root: reply to c1 returned\n");
    err = probe_caller();
    printf("root: caller slot was empty (move -> %d)\n", (int)err);
    CHECK(err == seL4_FailedLookup && !c1_replied);

    /* 2: Recv drops the reply cap; Suspend + Resume makes the client call again */
    seL4_CPtr c2 = start_thread("c2", client, stacks[1] + sizeof stacks[1], 200, 0, ep2, 2);
    recv_print(ep, 2);
    printf("root: got label=2 badge=2\n");
    badge = 0x99;
    seL4_NBRecv(ep, &badge);
    err = probe_caller();
    printf("root: nbrecv badge=0x%lx deleted the reply cap (move -> %d)\n", (unsigned long)badge, (int)err);
    CHECK(badge == 0 && err == seL4_FailedLookup);
    printf("root: suspend and resume c2\n");
    CHECK(seL4_TCB_Suspend(c2) == seL4_NoError);
    CHECK(seL4_TCB_Resume(c2) == seL4_NoError); /* c2 (higher priority) re-issues its Call now */
    recv_print(ep, 2);
    printf("root: got label=2 badge=2\n");
    seL4_Reply(seL4_MessageInfo_new(20, 0, 0, 0));

    /* 3: GrantReply without Grant: no cap transferred, but a reply cap exists */
    start_thread("c3", client, stacks[2] + sizeof stacks[2], 200, 0, ep3, 3);
    seL4_SetCapReceivePath(seL4_CapInitThreadCNode, recv_slot, 64);
    seL4_MessageInfo_t m = recv_print(ep, 3);
    err = seL4_CNode_Move(seL4_CapInitThreadCNode, scratch, 64, seL4_CapInitThreadCNode, recv_slot, 64);
    printf("root: got label=3 badge=3 extraCaps=%lu (move -> %d)\n", (unsigned long)seL4_MessageInfo_get_extraCaps(m),
           (int)err);
    CHECK(seL4_MessageInfo_get_extraCaps(m) == 0 && err == seL4_FailedLookup);
    seL4_Reply(seL4_MessageInfo_new(30, 0, 0, 0));

    /* 4: suspending a BlockedOnReply caller deletes the saved reply cap */
    seL4_CPtr c4 = start_thread("c4", client, stacks[3] + sizeof stacks[3], 200, 0, ep4, 4);
    recv_print(ep, 4);
    CHECK(seL4_CNode_SaveCaller(seL4_CapInitThreadCNode, save_slot, 64) == seL4_NoError);
    printf("root: got label=4 badge=4, saved the caller\n");
    CHECK(seL4_TCB_Suspend(c4) == seL4_NoError);
    seL4_Send(save_slot, seL4_MessageInfo_new(40, 0, 0, 0)); /* empty slot now: silent */
    err = seL4_CNode_Move(seL4_CapInitThreadCNode, scratch, 64, seL4_CapInitThreadCNode, save_slot, 64);
    printf("root: suspended c4: saved reply cap gone (move -> %d)\n", (int)err);
    CHECK(err == seL4_FailedLookup);
    return finish("reply_cases");
}
