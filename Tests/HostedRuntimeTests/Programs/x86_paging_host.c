/* x86_paging_host: where the hosted runtime cannot mirror a mapping, the invocation still gets
 * seL4's answer and swiftl4 says why on one line (docs/notes/x86-vspace-facts.md, "Hosted
 * mapping"):
 * - a frame mapped over an address the host process uses (this program's own data page) maps
 *   in the kernel, but the host keeps its page there;
 * - two VSpaces mapping different frames at one address: the host process has one address space,
 *   so the address shows the first VSpace's frame.
 * And a frame mapped at its own identity address needs no host mapping and says nothing.
 *
 * EXPECTED-STDOUT-BEGIN
 * map over the program's own data: seL4_NoError; the data is still 1234
 * a second VSpace: seL4_NoError
 * map frame A here, frame B there at the same address: seL4_NoError, seL4_NoError
 * the address reads A's 11
 * map a frame at its own address: seL4_NoError
 * x86_paging_host PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 * EXPECTED-STDERR-CONTAINS: at 0xb000000000 in the host process: another VSpace maps a different frame there, and the host process has one address space for all of them; the kernel's answer stands
 * EXPECTED-STDERR-CONTAINS: in the host process: the host process already uses that address; the kernel's answer stands, but the program cannot reach the frame there
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static volatile int data[4096 / sizeof(int) * 2] __attribute__((aligned(4096))) = {1234};

static const char *names[] = {
    "seL4_NoError", "seL4_InvalidArgument", "seL4_InvalidCapability", "seL4_IllegalOperation",
    "seL4_RangeError", "seL4_AlignmentError", "seL4_FailedLookup", "seL4_TruncatedMessage",
    "seL4_DeleteFirst", "seL4_RevokeFirst", "seL4_NotEnoughMemory",
};

/* A PDPT, page directory and page table covering vaddr in vspace, where there are none yet
 * (an entry already there is DeleteFirst: X86VS-3). */
static void structures(seL4_CPtr vspace, seL4_Word vaddr)
{
    seL4_X86_VMAttributes attr = seL4_X86_Default_VMAttributes;
    seL4_Error err = seL4_X86_PDPT_Map(make(seL4_X86_PDPTObject), vspace, vaddr, attr);
    CHECK(err == seL4_NoError || err == seL4_DeleteFirst);
    err = seL4_X86_PageDirectory_Map(make(seL4_X86_PageDirectoryObject), vspace, vaddr, attr);
    CHECK(err == seL4_NoError || err == seL4_DeleteFirst);
    err = seL4_X86_PageTable_Map(make(seL4_X86_PageTableObject), vspace, vaddr, attr);
    CHECK(err == seL4_NoError || err == seL4_DeleteFirst);
}

int main(void)
{
    boot();
    seL4_X86_VMAttributes attr = seL4_X86_Default_VMAttributes;
    seL4_CPtr root = seL4_CapInitThreadVSpace;

    seL4_Word own = (seL4_Word)data;
    structures(root, own);
    seL4_Error err = seL4_X86_Page_Map(make(seL4_X86_4K), root, own, seL4_ReadWrite, attr);
    printf("map over the program's own data: %s; the data is still %d\n", names[err], data[0]);
    CHECK(err == seL4_NoError && data[0] == 1234);

    seL4_CPtr pml4 = make(seL4_X64_PML4Object);
    err = seL4_X86_ASIDPool_Assign(seL4_CapInitThreadASIDPool, pml4);
    printf("a second VSpace: %s\n", names[err]);
    CHECK(err == seL4_NoError);
    seL4_Word shared = 0xB000000000ul;
    structures(root, shared);
    structures(pml4, shared);
    seL4_CPtr a = make(seL4_X86_4K), b = make(seL4_X86_4K);
    *(volatile int *)seL4_X86_Page_GetAddress(a).paddr = 11;
    *(volatile int *)seL4_X86_Page_GetAddress(b).paddr = 22;
    seL4_Error ea = seL4_X86_Page_Map(a, root, shared, seL4_ReadWrite, attr);
    seL4_Error eb = seL4_X86_Page_Map(b, pml4, shared, seL4_ReadWrite, attr);
    printf("map frame A here, frame B there at the same address: %s, %s\n", names[ea], names[eb]);
    CHECK(ea == seL4_NoError && eb == seL4_NoError);
    printf("the address reads A's %d\n", *(volatile int *)shared);
    CHECK(*(volatile int *)shared == 11);

    seL4_CPtr c = make(seL4_X86_4K);
    seL4_Word identity = seL4_X86_Page_GetAddress(c).paddr;
    structures(root, identity);
    err = seL4_X86_Page_Map(c, root, identity, seL4_ReadWrite, attr);
    printf("map a frame at its own address: %s\n", names[err]);
    CHECK(err == seL4_NoError);
    return finish("x86_paging_host");
}
