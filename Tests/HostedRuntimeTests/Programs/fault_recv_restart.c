/* fault_recv_restart: receive-phase capability faults. A helper Recvs on an empty slot; the root
 * (its fault handler) puts an endpoint cap into that slot and replies, and the helper's restarted
 * Recv then works. Recv through an endpoint cap without Read and Wait on another thread's bound
 * notification also fault.
 * Clauses: RECV-1 (empty slot, missing Read right, notification bound to another TCB ->
 *          CapFault, InRecvPhase 1, MissingCapability with bitsLeft 0, length 5), FAULT-1,
 *          FAULT-2, FAULT-4, FAULT-7 (reply restarts), TS-3 (the thread re-issues its Recv),
 *          REPLY-5, BIND-2 (c), LOOKUP-2, ERR-3.
 * Helpers run at priority 100, below the root.
 *
 * EXPECTED-STDOUT-BEGIN
 * g: recv on an empty slot
 * root: fault label=1 len=5 badge=0xe inRecv=1 type=2 bitsLeft=0 addr=slot
 * root: copied an endpoint cap into the slot, replying
 * root: sent label=99
 * g: got label=99 mr0=0x99
 * g: recv through a cap without Read
 * root: fault label=1 len=5 badge=0xe inRecv=1 type=2 bitsLeft=0 addr=write-only cap
 * w: wait on the root's bound notification
 * root: fault label=1 len=5 badge=0xe inRecv=1 type=2 bitsLeft=0 addr=bound notification
 * fault_recv_restart PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char stack_g[65536] __attribute__((aligned(16)));
static char stack_w[65536] __attribute__((aligned(16)));
static seL4_CPtr empty_slot, ep2_w, bound_ntfn;

static void g_thread(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    printf("g: recv on an empty slot\n");
    seL4_MessageInfo_t m = seL4_Recv(empty_slot, seL4_Null); /* faults once, then restarts */
    printf("g: got label=%lu mr0=0x%lx\n", (unsigned long)seL4_MessageInfo_get_label(m),
           (unsigned long)seL4_GetMR(0));
    CHECK(seL4_MessageInfo_get_label(m) == 99 && seL4_GetMR(0) == 0x99);
    printf("g: recv through a cap without Read\n");
    seL4_Recv(ep2_w, seL4_Null);
    printf("g: recv without Read returned\n");
}

static void w_thread(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    printf("w: wait on the root's bound notification\n");
    seL4_Wait(bound_ntfn, seL4_Null);
    printf("w: wait returned\n");
}

static void expect_recv_fault(seL4_CPtr fault_ep, seL4_CPtr addr, const char *what)
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_Recv(fault_ep, &badge);
    printf("root: fault label=%lu len=%lu badge=0x%lx inRecv=%lu type=%lu bitsLeft=%lu addr=%s\n",
           (unsigned long)seL4_MessageInfo_get_label(m), (unsigned long)seL4_MessageInfo_get_length(m),
           (unsigned long)badge, (unsigned long)seL4_GetMR(seL4_CapFault_InRecvPhase),
           (unsigned long)seL4_GetMR(seL4_CapFault_LookupFailureType), (unsigned long)seL4_GetMR(seL4_CapFault_BitsLeft),
           seL4_GetMR(seL4_CapFault_Addr) == addr ? what : "WRONG");
    CHECK(seL4_MessageInfo_get_label(m) == seL4_Fault_CapFault);
    CHECK(seL4_MessageInfo_get_length(m) == 5);
    CHECK(badge == 0xe);
    CHECK(seL4_GetMR(seL4_CapFault_Addr) == addr);
    CHECK(seL4_GetMR(seL4_CapFault_InRecvPhase) == 1);
    CHECK(seL4_GetMR(seL4_CapFault_LookupFailureType) == seL4_MissingCapability);
    CHECK(seL4_GetMR(seL4_CapFault_BitsLeft) == 0);
}

int main(void)
{
    boot();
    seL4_CPtr fault_ep = make(seL4_EndpointObject);
    seL4_CPtr fault_ep_b = mint(fault_ep, seL4_AllRights, 0xe);
    seL4_CPtr ep2 = make(seL4_EndpointObject);
    ep2_w = mint(ep2, seL4_CanWrite, 0);
    bound_ntfn = make(seL4_NotificationObject);
    CHECK(seL4_TCB_BindNotification(seL4_CapInitThreadTCB, bound_ntfn) == seL4_NoError);
    empty_slot = free_slot++;

    start_thread("g", g_thread, stack_g + sizeof stack_g, 100, fault_ep_b, 0, 0);
    expect_recv_fault(fault_ep, empty_slot, "slot");
    CHECK(seL4_CNode_Copy(seL4_CapInitThreadCNode, empty_slot, seL4_WordBits, seL4_CapInitThreadCNode, ep2,
                          seL4_WordBits, seL4_AllRights) == seL4_NoError);
    printf("root: copied an endpoint cap into the slot, replying\n");
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    /* g is lower priority: it has not run yet, so nobody is waiting on ep2 and a Send would block
     * the root; with the root Recv-ing on fault_ep below, g runs, restarts its Recv and gets it. */
    seL4_SetMR(0, 0x99);
    seL4_NBSend(ep2, seL4_MessageInfo_new(98, 0, 0, 1)); /* nobody waits yet: dropped (SEND-3) */
    seL4_Yield();                                        /* alone at 255: the root continues */
    seL4_Send(ep2_w, seL4_MessageInfo_new(99, 0, 0, 1)); /* blocks until g has restarted its Recv */
    printf("root: sent label=99\n");
    expect_recv_fault(fault_ep, ep2_w, "write-only cap");

    start_thread("w", w_thread, stack_w + sizeof stack_w, 100, fault_ep_b, 0, 0);
    expect_recv_fault(fault_ep, bound_ntfn, "bound notification");
    return finish("fault_recv_restart");
}
