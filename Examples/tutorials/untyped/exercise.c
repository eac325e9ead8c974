/* untyped, the exercise (README.md): the root task carves a 4 KiB untyped out of a large one
 * and retypes a TCB, an endpoint and a second TCB from it. The second TCB does not fit: the
 * endpoint moved the watermark past the TCB's 2 KiB alignment. Make the child untyped big
 * enough, then reuse its memory after a revoke. */
#include "../tutorial.h"

int main(void)
{
    seL4_BootInfo *info = seL4_GetBootInfo();
    seL4_CPtr parent = find_untyped(info, 16), slot = info->empty.start;
    printf("%lu untypeds; using slot %lu, %lu bytes\n", (unsigned long)(info->untyped.end - info->untyped.start),
           (unsigned long)parent, 1ul << info->untypedList[parent - info->untyped.start].sizeBits);

    seL4_CPtr child = slot++;
    seL4_Error error = seL4_Untyped_Retype(parent, seL4_UntypedObject, 12, seL4_CapInitThreadCNode, 0, 0, child, 1);
    printf("a 4 KiB untyped: %s\n", error_name(error));
    error = seL4_Untyped_Retype(child, seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, slot++, 1);
    printf("a TCB (2 KiB): %s\n", error_name(error));
    error = seL4_Untyped_Retype(child, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0, 0, slot++, 1);
    printf("an endpoint (16 bytes): %s\n", error_name(error));
    error = seL4_Untyped_Retype(child, seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, slot++, 1);
    printf("a second TCB: %s\n", error_name(error));
    return error == seL4_NoError ? 0 : 1;
}
