/* Golden trace scenario: a thread with a fault endpoint calls an empty slot through a CPtr
 * that does not resolve (guard mismatch): the root receives the CapFault (FAULT-4) and
 * replies, which restarts the thread (FAULT-7); the thread then stops itself on its own. */
#include <sel4/sel4.h>
#include <stdio.h>

static char stack[65536] __attribute__((aligned(16)));
static seL4_CPtr ep;

static void faulter(void)
{
    seL4_Call(0x1ul << 40, seL4_MessageInfo_new(0, 0, 0, 0));
}

int main(void)
{
    seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_CPtr ut = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        if (!bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits >= 16) {
            ut = bi->untyped.start + i;
            break;
        }
    }
    seL4_CPtr slot = bi->empty.start;
    ep = slot++;
    seL4_CPtr tcb = slot++, frame = slot++;
    seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0, ep, 1);
    seL4_Untyped_Retype(ut, seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, tcb, 1);
    seL4_Untyped_Retype(ut, seL4_X86_4K, 0, seL4_CapInitThreadCNode, 0, 0, frame, 1);
    seL4_TCB_Configure(tcb, ep, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0,
                       seL4_X86_Page_GetAddress(frame).paddr, frame);
    seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, 254);
    seL4_DebugNameThread(tcb, "faulter");
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "handler");
    seL4_UserContext ctx = {0};
    ctx.rip = (seL4_Word)faulter;
    ctx.rsp = (seL4_Word)(stack + sizeof stack);
    seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof ctx / sizeof(seL4_Word), &ctx);

    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    printf("fault label %lu, addr 0x%lx, lookup failure %lu\n", (unsigned long)seL4_MessageInfo_get_label(info),
           (unsigned long)seL4_GetMR(1), (unsigned long)seL4_GetMR(3));
    seL4_TCB_Suspend(tcb);
    return 0;
}
