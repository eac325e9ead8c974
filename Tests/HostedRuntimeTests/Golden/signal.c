/* Golden trace scenario: a helper signals a notification twice (NTFN-2, badges OR'ed while
 * active) and sends on an endpoint; the root waits for both. */
#include <sel4/sel4.h>
#include <stdio.h>

static char stack[65536] __attribute__((aligned(16)));
static seL4_CPtr ntfn, ep;

static void signaller(void)
{
    seL4_Signal(ntfn);
    seL4_SetMR(0, 'h');
    seL4_SetMR(1, 'i');
    seL4_Send(ep, seL4_MessageInfo_new(5, 0, 0, 2));
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
    seL4_CPtr raw = slot++, tcb = slot++, frame = slot++;
    ntfn = slot++;
    seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0, ep, 1);
    seL4_Untyped_Retype(ut, seL4_NotificationObject, 0, seL4_CapInitThreadCNode, 0, 0, raw, 1);
    seL4_CNode_Mint(seL4_CapInitThreadCNode, ntfn, seL4_WordBits, seL4_CapInitThreadCNode, raw, seL4_WordBits,
                    seL4_AllRights, 0x4);
    seL4_Untyped_Retype(ut, seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, tcb, 1);
    seL4_Untyped_Retype(ut, seL4_X86_4K, 0, seL4_CapInitThreadCNode, 0, 0, frame, 1);
    seL4_TCB_Configure(tcb, 0, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0,
                       seL4_X86_Page_GetAddress(frame).paddr, frame);
    seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, 254);
    seL4_DebugNameThread(tcb, "signaller");
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "root");
    seL4_UserContext ctx = {0};
    ctx.rip = (seL4_Word)signaller;
    ctx.rsp = (seL4_Word)(stack + sizeof stack);
    seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof ctx / sizeof(seL4_Word), &ctx);

    seL4_Word badge;
    seL4_Wait(raw, &badge);
    printf("signalled with badge %lu\n", (unsigned long)badge);
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    printf("message label %lu: %c%c\n", (unsigned long)seL4_MessageInfo_get_label(info),
           (char)seL4_GetMR(0), (char)seL4_GetMR(1));
    return 0;
}
