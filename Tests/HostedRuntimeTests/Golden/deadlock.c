/* Trace scenario: the root waits on an endpoint nobody sends to. */
#include <sel4/sel4.h>

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
    seL4_CPtr ep = bi->empty.start;
    seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0, ep, 1);
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "lonely");
    seL4_Word badge;
    seL4_Recv(ep, &badge);
    return 0;
}
