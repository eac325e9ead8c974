/* capabilities, solved (README.md): a copy of the root task's TCB cap in the first empty slot
 * at full depth, a copy of that copy, revoke (of a copy, then of the original) and delete. */
#include "../tutorial.h"

static void identify(const char *what, seL4_CPtr slot)
{
    printf("%s (slot %lu) identifies as cap type %lu\n", what, (unsigned long)slot,
           (unsigned long)seL4_DebugCapIdentify(slot));
}

int main(void)
{
    seL4_BootInfo *info = seL4_GetBootInfo();
    seL4_Word slots = 1ul << info->initThreadCNodeSizeBits;
    printf("the root CNode has %lu slots; slots %lu to %lu are empty\n", slots,
           (unsigned long)info->empty.start, (unsigned long)info->empty.end - 1);
    identify("the TCB cap", seL4_CapInitThreadTCB);

    seL4_CPtr copy = info->empty.start, copy_of_copy = info->empty.start + 1;
    seL4_Error error = seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, seL4_WordBits,
                                       seL4_CapInitThreadCNode, seL4_CapInitThreadTCB, seL4_WordBits, seL4_AllRights);
    printf("copy into slot %lu: %s\n", (unsigned long)copy, error_name(error));
    identify("the copy", copy);
    error = seL4_CNode_Copy(seL4_CapInitThreadCNode, copy_of_copy, seL4_WordBits,
                            seL4_CapInitThreadCNode, copy, seL4_WordBits, seL4_AllRights);
    printf("copy of the copy into slot %lu: %s\n", (unsigned long)copy_of_copy, error_name(error));

    /* A copy of a TCB cap is not a revocable parent (seL4's isCapRevocable): revoking it
     * deletes nothing. Revoking the original deletes every copy derived from it. */
    error = seL4_CNode_Revoke(seL4_CapInitThreadCNode, copy, seL4_WordBits);
    printf("revoke the copy: %s\n", error_name(error));
    identify("the copy of the copy", copy_of_copy);
    error = seL4_CNode_Revoke(seL4_CapInitThreadCNode, seL4_CapInitThreadTCB, seL4_WordBits);
    printf("revoke the original: %s\n", error_name(error));
    identify("the copy", copy);
    identify("the copy of the copy", copy_of_copy);
    identify("the TCB cap", seL4_CapInitThreadTCB);

    /* Delete empties one slot; deleting an empty slot is no error. */
    error = seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, seL4_WordBits,
                            seL4_CapInitThreadCNode, seL4_CapInitThreadTCB, seL4_WordBits, seL4_AllRights);
    printf("copy again: %s\n", error_name(error));
    error = seL4_CNode_Delete(seL4_CapInitThreadCNode, copy, seL4_WordBits);
    printf("delete the copy: %s\n", error_name(error));
    identify("the copy", copy);
    error = seL4_CNode_Delete(seL4_CapInitThreadCNode, copy, seL4_WordBits);
    printf("delete it again: %s\n", error_name(error));
    return 0;
}
