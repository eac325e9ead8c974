/* mapping, solved (README.md): each failed map names the level that is missing (its entry covers
 * 39 bits: no PDPT; 30: no page directory; 21: no page table); the root task retypes and maps that
 * structure and tries again. Then it writes through the mapping, reads the frame back at the
 * frame's own address, and maps the frame read-only: the last write is a VM fault. */
#include "../tutorial.h"

#define TEST_VADDR 0xA000000000ul

static seL4_CPtr slot;

/* Retypes one object of `type` from `untyped` into the next free slot. */
static seL4_CPtr retype(seL4_CPtr untyped, seL4_Word type)
{
    seL4_CPtr cap = slot++;
    seL4_Error error = seL4_Untyped_Retype(untyped, type, 0, seL4_CapInitThreadCNode, 0, 0, cap, 1);
    if (error != seL4_NoError) {
        printf("retype %lu: %s\n", (unsigned long)type, error_name(error));
    }
    return cap;
}

/* Maps the structure a failed map asked for (by the bits its entry covers). */
static seL4_Error map_missing_level(seL4_CPtr untyped, seL4_Word bits)
{
    seL4_CPtr vspace = seL4_CapInitThreadVSpace;
    seL4_X86_VMAttributes attributes = seL4_X86_Default_VMAttributes;
    switch (bits) {
    case 39:
        printf("  no PDPT: mapping one\n");
        return seL4_X86_PDPT_Map(retype(untyped, seL4_X86_PDPTObject), vspace, TEST_VADDR, attributes);
    case 30:
        printf("  no page directory: mapping one\n");
        return seL4_X86_PageDirectory_Map(retype(untyped, seL4_X86_PageDirectoryObject), vspace, TEST_VADDR, attributes);
    case 21:
        printf("  no page table: mapping one\n");
        return seL4_X86_PageTable_Map(retype(untyped, seL4_X86_PageTableObject), vspace, TEST_VADDR, attributes);
    default:
        return seL4_InvalidArgument;
    }
}

int main(void)
{
    seL4_BootInfo *info = seL4_GetBootInfo();
    seL4_CPtr untyped = find_untyped(info, 16);
    slot = info->empty.start;

    seL4_CPtr frame = retype(untyped, seL4_X86_4K);
    seL4_Error error;
    while ((error = seL4_X86_Page_Map(frame, seL4_CapInitThreadVSpace, TEST_VADDR, seL4_ReadWrite,
                                      seL4_X86_Default_VMAttributes)) == seL4_FailedLookup) {
        seL4_Word bits = seL4_MappingFailedLookupLevel();
        printf("map at 0x%lx: %s, missing level %lu\n", TEST_VADDR, error_name(error), (unsigned long)bits);
        seL4_Error mapped = map_missing_level(untyped, bits);
        if (mapped != seL4_NoError) {
            printf("  that failed: %s\n", error_name(mapped));
            return 1;
        }
    }
    printf("map at 0x%lx: %s\n", TEST_VADDR, error_name(error));
    if (error != seL4_NoError) {
        return 1;
    }

    volatile seL4_Word *page = (volatile seL4_Word *)TEST_VADDR;
    *page = 0x5e14;
    seL4_X86_Page_GetAddress_t address = seL4_X86_Page_GetAddress(frame);
    printf("wrote 0x%lx through the mapping; the frame, read at its own address, holds 0x%lx\n",
           (unsigned long)*page, (unsigned long)*(volatile seL4_Word *)address.paddr);

    /* Map it again, read-only: a mapped frame cap can only be remapped where it is. */
    error = seL4_X86_Page_Map(frame, seL4_CapInitThreadVSpace, TEST_VADDR + 0x1000, seL4_CanRead,
                              seL4_X86_Default_VMAttributes);
    printf("remap the frame one page higher: %s\n", error_name(error));
    error = seL4_X86_Page_Map(frame, seL4_CapInitThreadVSpace, TEST_VADDR, seL4_CanRead, seL4_X86_Default_VMAttributes);
    printf("remap it read-only where it is: %s; it still reads 0x%lx\n", error_name(error), (unsigned long)*page);
    printf("writing to the read-only page...\n");
    fflush(stdout);
    *page = 0;
    printf("the write went through (it should not have)\n");
    return 1;
}
