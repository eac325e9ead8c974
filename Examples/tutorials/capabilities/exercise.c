/* capabilities, the exercise (README.md): the root task tries to make a copy of its own TCB
 * cap, and both attempts fail, each with the error seL4 gives for the mistake. Fix the slot
 * and the depth so that the copy succeeds. */
#include "../tutorial.h"

int main(void)
{
    seL4_BootInfo *info = seL4_GetBootInfo();
    seL4_Word slots = 1ul << info->initThreadCNodeSizeBits;
    printf("the root CNode has %lu slots; slots %lu to %lu are empty\n", slots,
           (unsigned long)info->empty.start, (unsigned long)info->empty.end - 1);
    printf("the TCB cap in slot %d identifies as cap type %lu\n", seL4_CapInitThreadTCB,
           (unsigned long)seL4_DebugCapIdentify(seL4_CapInitThreadTCB));

    /* Mistake 1: the last slot before the empty range holds a cap already. */
    seL4_CPtr copy = info->empty.start - 1;
    seL4_Error error = seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, seL4_WordBits,
                                       seL4_CapInitThreadCNode, seL4_CapInitThreadTCB, seL4_WordBits, seL4_AllRights);
    printf("copy into slot %lu: %s\n", (unsigned long)copy, error_name(error));

    /* Mistake 2: the depth must cover all of the CPtr's bits, guard included. */
    copy = info->empty.start;
    error = seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, 32,
                            seL4_CapInitThreadCNode, seL4_CapInitThreadTCB, seL4_WordBits, seL4_AllRights);
    printf("copy into slot %lu at depth 32: %s\n", (unsigned long)copy, error_name(error));
    return error == seL4_NoError ? 0 : 1;
}
