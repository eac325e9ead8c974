/* x86_paging: x86_64 four-level paging in the hosted runtime, as seL4's x86 VSpace code decides
 * it (docs/notes/x86-vspace-facts.md, clauses X86VS-n), with the frames mapped for real:
 * - a Page_Map without the structures above it is seL4_FailedLookup, and the lookup fault names
 *   the missing level: 39 (no PDPT), 30 (no page directory), 21 (no page table) (X86VS-2);
 * - structure maps: a structure already mapped is InvalidCapability 0, an occupied entry
 *   DeleteFirst; the address is rounded down to what the linking entry covers (X86VS-3);
 * - Page_Map's checks in order: a VSpace that is no root, an address past USER_TOP or a page
 *   that would end past it, misalignment (X86VS-4); a mapped cap only remaps at its own
 *   address (X86VS-5); a 4 KiB frame replaces whatever entry is there (X86VS-6);
 * - a write through the mapped address is read back through the frame's own address, and back;
 *   Unmap of a cap whose entry was replaced leaves the entry alone (X86VS-7);
 * - deleting the page table under mapped frames unlinks them, in the host too (a read there is
 *   a VM fault): a frame cap that still says "mapped" unmaps without error and its next Map
 *   fails with level 21 (X86VS-8);
 * - a read-only mapping makes a write a VM fault (FSR 7: present, write, user) (X86VS-9).
 *
 * EXPECTED-STDOUT-BEGIN
 * map without a PDPT: seL4_FailedLookup, level 39
 * page table map without a PDPT: seL4_FailedLookup, level 39
 * PDPT map: seL4_NoError
 * PDPT map again: seL4_InvalidCapability
 * a second PDPT there: seL4_DeleteFirst
 * map without a page directory: seL4_FailedLookup, level 30
 * page directory map (unaligned address): seL4_NoError
 * map without a page table: seL4_FailedLookup, level 21
 * page table map: seL4_NoError
 * map into a frame cap: seL4_InvalidCapability
 * map past USER_TOP: seL4_InvalidArgument
 * map the last page below USER_TOP: seL4_InvalidArgument
 * map unaligned: seL4_AlignmentError
 * map: seL4_NoError
 * wrote 42 at the mapped address; the frame holds 42
 * wrote 43 in the frame; the mapped address reads 43
 * map the mapped cap elsewhere: seL4_InvalidArgument
 * a second frame over the first: seL4_NoError
 * the mapped address now reads 7
 * unmap the first frame: seL4_NoError; the address still reads 7
 * a copy of the first frame's cap maps elsewhere: seL4_NoError, reads 43
 * delete the page table: seL4_NoError
 * prober: reading 0xa000002000
 * root: the read after the delete: VM fault at 0xa000002000, FSR 4
 * unmap the second frame (its table is gone): seL4_NoError
 * map it again: seL4_FailedLookup, level 21
 * new page table, frame read-only: seL4_NoError, seL4_NoError
 * reader: read 7
 * reader: writing
 * root: VM fault at 0xa000000000, FSR 7
 * x86_paging PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

#define VADDR 0xA000000000ul

static const char *names[] = {
    "seL4_NoError", "seL4_InvalidArgument", "seL4_InvalidCapability", "seL4_IllegalOperation",
    "seL4_RangeError", "seL4_AlignmentError", "seL4_FailedLookup", "seL4_TruncatedMessage",
    "seL4_DeleteFirst", "seL4_RevokeFirst", "seL4_NotEnoughMemory",
};

static void report_lookup(const char *what, seL4_Error err, seL4_Word level)
{
    printf("%s: %s, level %lu\n", what, names[err], (unsigned long)seL4_MappingFailedLookupLevel());
    CHECK(err == seL4_FailedLookup);
    CHECK(seL4_MappingFailedLookupLevel() == level);
    /* The lookup fault: not the source, a missing capability (type 1, encoded + 1). */
    CHECK(seL4_GetMR(0) == 0 && seL4_GetMR(1) == 2);
}

static void report(const char *what, seL4_Error err, seL4_Error expected)
{
    printf("%s: %s\n", what, names[err]);
    CHECK(err == expected);
}

static char stack_r[65536] __attribute__((aligned(16)));
static char stack_p[65536] __attribute__((aligned(16)));

static void prober(seL4_Word addr, seL4_Word unused)
{
    (void)unused;
    printf("prober: reading 0x%lx\n", (unsigned long)addr);
    fflush(stdout);
    printf("prober: read %d (unexpected)\n", *(volatile int *)addr);
}

static void reader(seL4_Word addr, seL4_Word unused)
{
    (void)unused;
    volatile int *p = (volatile int *)addr;
    printf("reader: read %d\n", *p);
    printf("reader: writing\n");
    fflush(stdout);
    *p = 8;
    printf("reader: wrote (unexpected)\n");
}

int main(void)
{
    boot();
    seL4_CPtr vspace = seL4_CapInitThreadVSpace;
    seL4_CPtr frame = make(seL4_X86_4K), frame2 = make(seL4_X86_4K);
    seL4_CPtr pdpt = make(seL4_X86_PDPTObject), pdpt2 = make(seL4_X86_PDPTObject);
    seL4_CPtr pd = make(seL4_X86_PageDirectoryObject), pt = make(seL4_X86_PageTableObject);
    seL4_X86_VMAttributes attr = seL4_X86_Default_VMAttributes;

    report_lookup("map without a PDPT", seL4_X86_Page_Map(frame, vspace, VADDR, seL4_ReadWrite, attr), 39);
    report_lookup("page table map without a PDPT", seL4_X86_PageTable_Map(pt, vspace, VADDR, attr), 39);
    report("PDPT map", seL4_X86_PDPT_Map(pdpt, vspace, VADDR, attr), seL4_NoError);
    report("PDPT map again", seL4_X86_PDPT_Map(pdpt, vspace, VADDR, attr), seL4_InvalidCapability);
    CHECK(seL4_GetMR(0) == 0);
    report("a second PDPT there", seL4_X86_PDPT_Map(pdpt2, vspace, VADDR + 0x1000, attr), seL4_DeleteFirst);
    report_lookup("map without a page directory", seL4_X86_Page_Map(frame, vspace, VADDR, seL4_ReadWrite, attr), 30);
    report("page directory map (unaligned address)", seL4_X86_PageDirectory_Map(pd, vspace, VADDR + 0x123456, attr),
           seL4_NoError);
    report_lookup("map without a page table", seL4_X86_Page_Map(frame, vspace, VADDR, seL4_ReadWrite, attr), 21);
    report("page table map", seL4_X86_PageTable_Map(pt, vspace, VADDR, attr), seL4_NoError);

    report("map into a frame cap", seL4_X86_Page_Map(frame, frame2, VADDR, seL4_ReadWrite, attr), seL4_InvalidCapability);
    CHECK(seL4_GetMR(0) == 1);
    report("map past USER_TOP", seL4_X86_Page_Map(frame, vspace, 0x800000000000ul, seL4_ReadWrite, attr),
           seL4_InvalidArgument);
    report("map the last page below USER_TOP", seL4_X86_Page_Map(frame, vspace, 0x7ffffffff000ul, seL4_ReadWrite, attr),
           seL4_InvalidArgument);
    report("map unaligned", seL4_X86_Page_Map(frame, vspace, VADDR + 8, seL4_ReadWrite, attr), seL4_AlignmentError);
    report("map", seL4_X86_Page_Map(frame, vspace, VADDR, seL4_ReadWrite, attr), seL4_NoError);

    volatile int *mapped = (volatile int *)VADDR;
    seL4_X86_Page_GetAddress_t ga = seL4_X86_Page_GetAddress(frame);
    volatile int *own = (volatile int *)ga.paddr;
    *mapped = 42;
    printf("wrote 42 at the mapped address; the frame holds %d\n", *own);
    CHECK(*own == 42);
    *own = 43;
    printf("wrote 43 in the frame; the mapped address reads %d\n", *mapped);
    CHECK(*mapped == 43);

    report("map the mapped cap elsewhere", seL4_X86_Page_Map(frame, vspace, VADDR + 0x1000, seL4_ReadWrite, attr),
           seL4_InvalidArgument);
    *(volatile int *)seL4_X86_Page_GetAddress(frame2).paddr = 7;
    report("a second frame over the first", seL4_X86_Page_Map(frame2, vspace, VADDR, seL4_ReadWrite, attr), seL4_NoError);
    printf("the mapped address now reads %d\n", *mapped);
    CHECK(*mapped == 7);
    seL4_Error err = seL4_X86_Page_Unmap(frame);
    printf("unmap the first frame: %s; the address still reads %d\n", names[err], *mapped);
    CHECK(err == seL4_NoError && *mapped == 7);

    seL4_CPtr copy = free_slot++;
    CHECK(seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, seL4_WordBits, seL4_CapInitThreadCNode, frame, seL4_WordBits,
                          seL4_AllRights) == seL4_NoError);
    err = seL4_X86_Page_Map(copy, vspace, VADDR + 0x2000, seL4_ReadWrite, attr);
    printf("a copy of the first frame's cap maps elsewhere: %s, reads %d\n", names[err],
           err == seL4_NoError ? *(volatile int *)(VADDR + 0x2000) : -1);
    CHECK(err == seL4_NoError);

    report("delete the page table", seL4_CNode_Delete(seL4_CapInitThreadCNode, pt, seL4_WordBits), seL4_NoError);
    /* The host mapping went with the table: a read there is a VM fault (FSR 4: user read, not
     * present). */
    seL4_CPtr probe_ep = make(seL4_EndpointObject);
    seL4_CPtr probe = start_thread("prober", prober, stack_p + sizeof stack_p, 100, probe_ep, VADDR + 0x2000, 0);
    seL4_Word probe_badge = 0;
    seL4_MessageInfo_t probed = seL4_Recv(probe_ep, &probe_badge);
    printf("root: the read after the delete: VM fault at 0x%lx, FSR %lu\n", (unsigned long)seL4_GetMR(seL4_VMFault_Addr),
           (unsigned long)seL4_GetMR(seL4_VMFault_FSR));
    CHECK(seL4_MessageInfo_get_label(probed) == seL4_Fault_VMFault);
    CHECK(seL4_GetMR(seL4_VMFault_Addr) == VADDR + 0x2000 && seL4_GetMR(seL4_VMFault_FSR) == 4);
    CHECK(seL4_TCB_Suspend(probe) == seL4_NoError);
    report("unmap the second frame (its table is gone)", seL4_X86_Page_Unmap(frame2), seL4_NoError);
    report_lookup("map it again", seL4_X86_Page_Map(frame2, vspace, VADDR, seL4_ReadWrite, attr), 21);

    seL4_CPtr pt2 = make(seL4_X86_PageTableObject);
    seL4_Error e1 = seL4_X86_PageTable_Map(pt2, vspace, VADDR, attr);
    seL4_Error e2 = seL4_X86_Page_Map(frame2, vspace, VADDR, seL4_CanRead, attr);
    printf("new page table, frame read-only: %s, %s\n", names[e1], names[e2]);
    CHECK(e1 == seL4_NoError && e2 == seL4_NoError);

    seL4_CPtr ep = make(seL4_EndpointObject);
    seL4_CPtr tcb = start_thread("reader", reader, stack_r + sizeof stack_r, 100, ep, VADDR, 0);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(ep, &badge);
    printf("root: VM fault at 0x%lx, FSR %lu\n", (unsigned long)seL4_GetMR(seL4_VMFault_Addr),
           (unsigned long)seL4_GetMR(seL4_VMFault_FSR));
    CHECK(seL4_MessageInfo_get_label(info) == seL4_Fault_VMFault);
    CHECK(seL4_GetMR(seL4_VMFault_Addr) == VADDR && seL4_GetMR(seL4_VMFault_FSR) == 7);
    CHECK(seL4_TCB_Suspend(tcb) == seL4_NoError);
    return finish("x86_paging");
}
