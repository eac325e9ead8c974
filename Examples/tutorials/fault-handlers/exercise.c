/* fault-handlers, the exercise (README.md): a thread with a CSpace of its own waits on an
 * endpoint it was never given. Its receive is a cap fault, which seL4 sends to its fault
 * handler, the root task. The handler reads the fault and replies, which restarts the faulting
 * call, but it repairs nothing, so the thread faults again. Make the handler give the thread
 * the cap it lacks before replying. */
#include "../tutorial.h"

#define RADIX 4        /* the faulter's CNode: 16 slots */
#define FAULT_SLOT 1   /* in it: the badged fault endpoint */
#define SERVICE_SLOT 2 /* in it: empty, where the faulter expects its service endpoint */

static char stack[16384] __attribute__((aligned(16)));

static void faulter(void)
{
    printf("faulter: waiting on the endpoint in my slot %d\n", SERVICE_SLOT);
    fflush(stdout);
    for (;;) {
        seL4_Recv(SERVICE_SLOT, NULL);
        printf("faulter: received %lu\n", (unsigned long)seL4_GetMR(0));
        seL4_SetMR(0, seL4_GetMR(0) + 1);
        seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 1));
    }
}

/* The fault message from the fault endpoint, read with libsel4's accessors. */
static seL4_Fault_t receive_fault(seL4_CPtr fault_endpoint)
{
    seL4_Word badge;
    seL4_MessageInfo_t tag = seL4_Recv(fault_endpoint, &badge);
    seL4_Fault_t fault = seL4_getFault(tag);
    if (seL4_Fault_get_seL4_FaultType(fault) == seL4_Fault_CapFault) {
        printf("handler: cap fault from badge %lu: CPtr %lu, in its receive phase %lu, lookup failure %lu\n",
               (unsigned long)badge, (unsigned long)seL4_Fault_CapFault_get_Addr(fault),
               (unsigned long)seL4_Fault_CapFault_get_InRecvPhase(fault),
               (unsigned long)seL4_Fault_CapFault_get_LookupFailureType(fault));
    }
    return fault;
}

int main(void)
{
    seL4_BootInfo *info = seL4_GetBootInfo();
    seL4_CPtr untyped = find_untyped(info, 16), slot = info->empty.start;
    seL4_CPtr fault_endpoint = slot++, service = slot++, cnode = slot++, guarded = slot++, tcb = slot++, buffer = slot++;
    seL4_Untyped_Retype(untyped, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0, fault_endpoint, 2);
    seL4_Untyped_Retype(untyped, seL4_CapTableObject, RADIX, seL4_CapInitThreadCNode, 0, 0, cnode, 1);
    seL4_Untyped_Retype(untyped, seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, tcb, 1);
    seL4_Untyped_Retype(untyped, seL4_X86_4K, 0, seL4_CapInitThreadCNode, 0, 0, buffer, 1);

    /* The faulter's CSpace: its CNode with a guard, so that its CPtrs resolve at depth 64, and
     * in slot 1 its fault endpoint, badged 1. (Non-MCS seL4 looks the fault endpoint up in the
     * faulting thread's CSpace when the fault happens.) */
    seL4_CNode_Mint(seL4_CapInitThreadCNode, guarded, seL4_WordBits, seL4_CapInitThreadCNode, cnode, seL4_WordBits,
                    seL4_AllRights, seL4_CNode_CapData_new(0, seL4_WordBits - RADIX).words[0]);
    seL4_CNode_Mint(cnode, FAULT_SLOT, RADIX, seL4_CapInitThreadCNode, fault_endpoint, seL4_WordBits,
                    seL4_AllRights, 1);
    seL4_TCB_Configure(tcb, FAULT_SLOT, guarded, 0, seL4_CapInitThreadVSpace, 0,
                       seL4_X86_Page_GetAddress(buffer).paddr, buffer);
    seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, 254);
    seL4_DebugNameThread(tcb, "faulter");
    seL4_UserContext registers = {0};
    registers.rip = (seL4_Word)faulter;
    registers.rsp = (seL4_Word)(stack + sizeof stack);
    seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof registers / sizeof(seL4_Word), &registers);

    receive_fault(fault_endpoint);
    /* TODO: give the faulter what it lacks (seL4_CNode_Copy of `service` into its CNode). */
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));
    printf("handler: replied; the faulter's receive runs again\n");

    receive_fault(fault_endpoint);
    printf("handler: it faulted again, the same way: nothing was repaired\n");
    return 1;
}
