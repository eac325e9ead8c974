#include <sel4/sel4.h>
#include <stdio.h>

static char stack[65536] __attribute__((aligned(16)));
static seL4_CPtr ep;

/* The helper thread: arguments arrive as WriteRegisters set them (rdi, rsi). */
static void helper(seL4_Word a, seL4_Word b)
{
    seL4_SetMR(0, a + b);
    seL4_Call(ep, seL4_MessageInfo_new(1, 0, 0, 1));
    seL4_SetMR(0, seL4_GetMR(0) * 2);
    seL4_Send(ep, seL4_MessageInfo_new(2, 0, 0, 1));
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
    seL4_Word buffer = seL4_X86_Page_GetAddress(frame).paddr; /* frames are identity-mapped */
    seL4_TCB_Configure(tcb, 0, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0, buffer, frame);
    seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, 254);
    seL4_UserContext ctx = {0};
    ctx.rip = (seL4_Word)helper;
    ctx.rsp = (seL4_Word)(stack + sizeof stack);
    ctx.rdi = 40;
    ctx.rsi = 2;
    seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof ctx / sizeof(seL4_Word), &ctx);

    seL4_Word badge;
    seL4_MessageInfo_t msg = seL4_Recv(ep, &badge); /* blocks: the helper runs and calls */
    printf("root: call with label %lu, MR0 %lu\n", (unsigned long)seL4_MessageInfo_get_label(msg),
           (unsigned long)seL4_GetMR(0));
    seL4_SetMR(0, seL4_GetMR(0) + 1);
    msg = seL4_ReplyRecv(ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge);
    printf("root: send with label %lu, MR0 %lu\n", (unsigned long)seL4_MessageInfo_get_label(msg),
           (unsigned long)seL4_GetMR(0));
    return 0;
}
