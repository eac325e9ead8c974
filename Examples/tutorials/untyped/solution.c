/* untyped, solved (README.md): an 8 KiB child untyped holds a TCB, an endpoint and two more
 * TCBs; a fourth does not fit; revoking the child deletes its objects and resets its
 * watermark, so the same memory is retyped again, as four TCBs. */
#include "../tutorial.h"

static seL4_Error retype(seL4_CPtr untyped, seL4_Word type, seL4_Word size_bits, seL4_CPtr slot, seL4_Word count)
{
    return seL4_Untyped_Retype(untyped, type, size_bits, seL4_CapInitThreadCNode, 0, 0, slot, count);
}

int main(void)
{
    seL4_BootInfo *info = seL4_GetBootInfo();
    seL4_CPtr parent = find_untyped(info, 16), slot = info->empty.start;
    printf("%lu untypeds; using slot %lu, %lu bytes\n", (unsigned long)(info->untyped.end - info->untyped.start),
           (unsigned long)parent, 1ul << info->untypedList[parent - info->untyped.start].sizeBits);

    seL4_CPtr child = slot++;
    printf("an 8 KiB untyped: %s\n", error_name(retype(parent, seL4_UntypedObject, 13, child, 1)));
    printf("a TCB (2 KiB): %s\n", error_name(retype(child, seL4_TCBObject, 0, slot++, 1)));
    printf("an endpoint (16 bytes): %s\n", error_name(retype(child, seL4_EndpointObject, 0, slot++, 1)));
    printf("a second TCB, at 4 KiB: %s\n", error_name(retype(child, seL4_TCBObject, 0, slot++, 1)));
    printf("a third TCB, at 6 KiB: %s\n", error_name(retype(child, seL4_TCBObject, 0, slot++, 1)));
    printf("a fourth TCB: %s\n", error_name(retype(child, seL4_TCBObject, 0, slot, 1)));
    printf("an object of a size it cannot have (a 2^70-byte untyped): %s\n",
           error_name(retype(child, seL4_UntypedObject, 70, slot, 1)));

    /* Revoke deletes every object retyped from the child; its memory is free again. */
    printf("revoke the 8 KiB untyped: %s\n", error_name(seL4_CNode_Revoke(seL4_CapInitThreadCNode, child, seL4_WordBits)));
    printf("the first TCB's slot now identifies as cap type %lu\n",
           (unsigned long)seL4_DebugCapIdentify(child + 1));
    printf("four TCBs in one call: %s\n", error_name(retype(child, seL4_TCBObject, 0, child + 1, 4)));
    printf("the fourth identifies as cap type %lu\n", (unsigned long)seL4_DebugCapIdentify(child + 4));
    return 0;
}
