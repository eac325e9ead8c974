/* mapping, the exercise (README.md): the root task maps a 4 KiB frame into its own address space
 * at 0xA000000000 and writes through it. The map fails: on x86_64 a page can only be mapped once
 * the PDPT, page directory and page table that translate its address are in place, and the
 * failure says which level is missing. Map each structure the failure asks for, then the frame. */
#include "../tutorial.h"

#define TEST_VADDR 0xA000000000ul

int main(void)
{
    seL4_BootInfo *info = seL4_GetBootInfo();
    seL4_CPtr untyped = find_untyped(info, 16), slot = info->empty.start;

    seL4_CPtr frame = slot++;
    seL4_Error error = seL4_Untyped_Retype(untyped, seL4_X86_4K, 0, seL4_CapInitThreadCNode, 0, 0, frame, 1);
    printf("a 4 KiB frame: %s\n", error_name(error));

    error = seL4_X86_Page_Map(frame, seL4_CapInitThreadVSpace, TEST_VADDR, seL4_ReadWrite, seL4_X86_Default_VMAttributes);
    printf("map it at 0x%lx: %s", TEST_VADDR, error_name(error));
    if (error == seL4_FailedLookup) {
        printf(" (the missing level's entry covers %lu bits)", (unsigned long)seL4_MappingFailedLookupLevel());
    }
    printf("\n");
    if (error != seL4_NoError) {
        return 1;
    }

    volatile seL4_Word *page = (volatile seL4_Word *)TEST_VADDR;
    *page = 0x5e14;
    printf("wrote 0x%lx through the mapping\n", (unsigned long)*page);
    return 0;
}
