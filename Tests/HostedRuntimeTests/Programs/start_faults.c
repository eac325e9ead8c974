/* start_faults: threads started where no instruction can run take the VM fault seL4 reports for
 * their first instruction (issue 15, item 5). FAULT-5: label seL4_Fault_VMFault (5), length 4,
 * MR0 IP, MR1 address, MR2 prefetch (1 for an instruction fetch), MR3 the x86_64 page-fault error
 * code as FSR.
 * - rip 0: the fetch at 0 faults: address 0, prefetch 1, FSR 0x14 (user | instruction fetch).
 * - rsp 0 at a real entry: the entry's first push writes 8 bytes below 0, at the top of the
 *   address space, which is the kernel's: FSR 7 (present | write | user), IP the entry.
 * Clauses: FAULT-1, FAULT-2, FAULT-3, FAULT-5.
 *
 * EXPECTED-STDOUT-BEGIN
 * root: rip 0: label 5 len 4 ip 0x0 addr 0x0 prefetch 1 fsr 0x14
 * root: rsp 0: label 5 len 4 ip=entry 1 addr 0xfffffffffffffff8 prefetch 0 fsr 0x7
 * start_faults PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>

#include "suite.h"

static char stack[65536] __attribute__((aligned(16)));
static int entry_ran;

static void entry(seL4_Word a, seL4_Word b)
{
    (void)a, (void)b;
    entry_ran = 1;
}

static seL4_MessageInfo_t receive_fault(seL4_CPtr ep)
{
    seL4_Word badge;
    seL4_MessageInfo_t m = seL4_Recv(ep, &badge);
    CHECK(seL4_MessageInfo_get_label(m) == seL4_Fault_VMFault);
    CHECK(seL4_MessageInfo_get_length(m) == seL4_VMFault_Length);
    return m;
}

int main(void)
{
    boot();
    seL4_CPtr ep = make(seL4_EndpointObject);

    start_thread("nowhere", NULL, stack + sizeof stack, 255, ep, 0, 0);
    seL4_MessageInfo_t m = receive_fault(ep);
    printf("root: rip 0: label %lu len %lu ip 0x%lx addr 0x%lx prefetch %lu fsr 0x%lx\n",
           (unsigned long)seL4_MessageInfo_get_label(m), (unsigned long)seL4_MessageInfo_get_length(m),
           (unsigned long)seL4_GetMR(seL4_VMFault_IP), (unsigned long)seL4_GetMR(seL4_VMFault_Addr),
           (unsigned long)seL4_GetMR(seL4_VMFault_PrefetchFault), (unsigned long)seL4_GetMR(seL4_VMFault_FSR));
    CHECK(seL4_GetMR(seL4_VMFault_IP) == 0 && seL4_GetMR(seL4_VMFault_Addr) == 0);
    CHECK(seL4_GetMR(seL4_VMFault_PrefetchFault) == 1 && seL4_GetMR(seL4_VMFault_FSR) == 0x14);

    start_thread("stackless", entry, NULL, 255, ep, 0, 0);
    m = receive_fault(ep);
    printf("root: rsp 0: label %lu len %lu ip=entry %d addr 0x%lx prefetch %lu fsr 0x%lx\n",
           (unsigned long)seL4_MessageInfo_get_label(m), (unsigned long)seL4_MessageInfo_get_length(m),
           seL4_GetMR(seL4_VMFault_IP) == (seL4_Word)entry, (unsigned long)seL4_GetMR(seL4_VMFault_Addr),
           (unsigned long)seL4_GetMR(seL4_VMFault_PrefetchFault), (unsigned long)seL4_GetMR(seL4_VMFault_FSR));
    CHECK(seL4_GetMR(seL4_VMFault_Addr) == (seL4_Word)-8);
    CHECK(seL4_GetMR(seL4_VMFault_PrefetchFault) == 0 && seL4_GetMR(seL4_VMFault_FSR) == 7);
    CHECK(!entry_ran);
    return finish("start_faults");
}
