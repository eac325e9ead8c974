/* threads, solved (README.md): the worker is resumed, runs when the root task blocks (it has a
 * lower priority), sends its result and then faults; its fault handler, a badged copy of the
 * endpoint, delivers the fault to the root task as a message. */
#include "../tutorial.h"
#include <string.h>

static char stack[16384] __attribute__((aligned(16)));
static seL4_CPtr endpoint;

static void worker(seL4_Word argument)
{
    printf("worker: running, with argument %lu\n", (unsigned long)argument);
    seL4_SetMR(0, argument * 2);
    seL4_Send(endpoint, seL4_MessageInfo_new(0, 0, 0, 1));
    printf("worker: now writing to address 0\n");
    fflush(stdout);
    *(volatile int *)0 = 1;
}

int main(void)
{
    seL4_BootInfo *info = seL4_GetBootInfo();
    seL4_CPtr untyped = find_untyped(info, 16), tcb = info->empty.start, buffer = tcb + 1, fault_endpoint = tcb + 3;
    endpoint = tcb + 2;
    seL4_Untyped_Retype(untyped, seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, tcb, 1);
    seL4_Untyped_Retype(untyped, seL4_X86_4K, 0, seL4_CapInitThreadCNode, 0, 0, buffer, 1);
    seL4_Untyped_Retype(untyped, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0, endpoint, 1);
    /* Faults arrive on the endpoint too, told apart by this copy's badge. */
    seL4_CNode_Mint(seL4_CapInitThreadCNode, fault_endpoint, seL4_WordBits, seL4_CapInitThreadCNode, endpoint,
                    seL4_WordBits, seL4_AllRights, 7);

    seL4_Word buffer_address = seL4_X86_Page_GetAddress(buffer).paddr;
    seL4_Error error = seL4_TCB_Configure(tcb, fault_endpoint, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0,
                                          buffer_address, buffer);
    printf("configure: %s\n", error_name(error));
    error = seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, 254);
    printf("priority 254: %s\n", error_name(error));
    seL4_DebugNameThread(tcb, "worker");

    seL4_UserContext registers;
    memset(&registers, 0, sizeof registers);
    registers.rip = (seL4_Word)worker;
    registers.rsp = (seL4_Word)(stack + sizeof stack);
    registers.rdi = 21; /* the first argument, as the C calling convention passes it */
    error = seL4_TCB_WriteRegisters(tcb, 0, 0, sizeof registers / sizeof(seL4_Word), &registers);
    printf("registers: %s\n", error_name(error));

    /* Resume makes it runnable; it runs once the root task (priority 255) blocks. */
    printf("resume: %s\n", error_name(seL4_TCB_Resume(tcb)));
    printf("root: waiting for the worker\n");
    fflush(stdout);
    seL4_Word badge;
    seL4_Recv(endpoint, &badge);
    printf("root: the worker sent %lu (badge %lu)\n", (unsigned long)seL4_GetMR(0), (unsigned long)badge);
    seL4_MessageInfo_t fault = seL4_Recv(endpoint, &badge);
    if (seL4_MessageInfo_get_label(fault) == seL4_Fault_VMFault) {
        printf("root: the worker took a VM fault at address 0x%lx (badge %lu); it waits for a reply that will not come\n",
               (unsigned long)seL4_GetMR(seL4_VMFault_Addr), (unsigned long)badge);
    }
    return 0;
}
