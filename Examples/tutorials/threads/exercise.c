/* threads, the exercise (README.md): the root task makes a second thread (a TCB, an IPC
 * buffer, its CSpace and VSpace, a priority, registers with an entry point, a stack and an
 * argument) and waits for its message. The thread never runs: nothing made it runnable, so
 * every thread is blocked and the run ends in a deadlock report. Start the thread. */
#include "../tutorial.h"
#include <string.h>

static char stack[16384] __attribute__((aligned(16)));
static seL4_CPtr endpoint;

static void worker(seL4_Word argument)
{
    printf("worker: running, with argument %lu\n", (unsigned long)argument);
    seL4_SetMR(0, argument * 2);
    seL4_Send(endpoint, seL4_MessageInfo_new(0, 0, 0, 1));
}

int main(void)
{
    seL4_BootInfo *info = seL4_GetBootInfo();
    seL4_CPtr untyped = find_untyped(info, 16), tcb = info->empty.start, buffer = tcb + 1;
    endpoint = tcb + 2;
    seL4_Untyped_Retype(untyped, seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, tcb, 1);
    seL4_Untyped_Retype(untyped, seL4_X86_4K, 0, seL4_CapInitThreadCNode, 0, 0, buffer, 1);
    seL4_Untyped_Retype(untyped, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0, endpoint, 1);

    seL4_Word buffer_address = seL4_X86_Page_GetAddress(buffer).paddr;
    seL4_Error error = seL4_TCB_Configure(tcb, seL4_CapNull, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0,
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

    /* TODO: make the worker runnable. */
    printf("root: waiting for the worker\n");
    fflush(stdout);
    seL4_Recv(endpoint, NULL);
    printf("root: the worker sent %lu\n", (unsigned long)seL4_GetMR(0));
    return 0;
}
