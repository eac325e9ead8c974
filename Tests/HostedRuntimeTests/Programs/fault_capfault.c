/* fault_capfault: a helper thread with a fault endpoint invokes a CPtr whose guard does not match;
 * the root task receives the CapFault message, replies, and the helper re-executes its Call and
 * faults again. Send also faults; NBSend on the same CPtr is silent.
 * Clauses: SEND-6, SYS-2 (step 2), FAULT-1, FAULT-2 (fault IPC is a Call with the handler cap's
 *          badge; the faulting thread waits for the reply), FAULT-3 (label seL4_Fault_CapFault = 1),
 *          FAULT-4 (MR0 IP, MR1 Addr, MR2 InRecvPhase, MR3 type, MR4.. lookup failure; length 7
 *          for GuardMismatch), LOOKUP-1, LOOKUP-5, LOOKUP-6, FAULT-7 (a reply to a CapFault
 *          restarts the thread whatever its label), TS-3, REPLY-5, ERR-3, PIT-12.
 * The root CNode has radix R and guard size 64 - R (guard 0), so CPtr 2^63 + 5 fails the guard
 * with bitsLeft 64, guardFound 0, bitsFound 64 - R (52 here: initThreadCNodeSizeBits is 12 on this
 * runtime; the program derives the value from the boot info). The fault IP (MR0) is the address of
 * the faulting system call in the faulter's code, as seL4 reports its syscall instruction: in the
 * hosted runtime the call instruction into the libsel4 stub (x86_64 `call rel32`, opcode 0xe8;
 * issue 15, item 4), identical on the re-executed Call.
 *
 * EXPECTED-STDOUT-BEGIN
 * f: calling the bad cptr
 * root: fault label=1 len=7 badge=0xf addr=0x8000000000000005 inRecv=0 type=4 bitsLeft=64 guardFound=0 bitsFound=52
 * root: replying to the fault
 * root: fault label=1 len=7 badge=0xf addr=0x8000000000000005 inRecv=0 type=4 bitsLeft=64 guardFound=0 bitsFound=52
 * root: same fault IP after restart=1
 * s: nbsend on the bad cptr returned
 * root: fault label=1 len=7 badge=0xf addr=0x8000000000000005 inRecv=0 type=4 bitsLeft=64 guardFound=0 bitsFound=52
 * fault_capfault PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char stack_f[65536] __attribute__((aligned(16)));
static char stack_s[65536] __attribute__((aligned(16)));
#define BAD_CPTR ((1ul << 63) | 5)
static int f_returned;

static void faulter(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    printf("f: calling the bad cptr\n");
    seL4_SetMR(0, 0x1234);
    seL4_Call(BAD_CPTR, seL4_MessageInfo_new(3, 0, 0, 1));
    f_returned = 1; /* never: every restart faults again */
    printf("f: call returned\n");
}

static void sender(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    seL4_NBSend(BAD_CPTR, seL4_MessageInfo_new(3, 0, 0, 0));
    printf("s: nbsend on the bad cptr returned\n");
    seL4_Send(BAD_CPTR, seL4_MessageInfo_new(3, 0, 0, 0));
    printf("s: send returned\n");
}

static seL4_Word expect_cap_fault(seL4_CPtr ep, seL4_Word bits_found)
{
    seL4_Word badge = 0;
    seL4_MessageInfo_t m = seL4_Recv(ep, &badge);
    printf("root: fault label=%lu len=%lu badge=0x%lx addr=0x%lx inRecv=%lu type=%lu bitsLeft=%lu guardFound=%lu "
           "bitsFound=%lu\n",
           (unsigned long)seL4_MessageInfo_get_label(m), (unsigned long)seL4_MessageInfo_get_length(m),
           (unsigned long)badge, (unsigned long)seL4_GetMR(seL4_CapFault_Addr),
           (unsigned long)seL4_GetMR(seL4_CapFault_InRecvPhase), (unsigned long)seL4_GetMR(seL4_CapFault_LookupFailureType),
           (unsigned long)seL4_GetMR(seL4_CapFault_BitsLeft),
           (unsigned long)seL4_GetMR(seL4_CapFault_GuardMismatch_GuardFound),
           (unsigned long)seL4_GetMR(seL4_CapFault_GuardMismatch_BitsFound));
    CHECK(seL4_MessageInfo_get_label(m) == seL4_Fault_CapFault);
    CHECK(seL4_MessageInfo_get_length(m) == 7);
    CHECK(seL4_MessageInfo_get_extraCaps(m) == 0 && seL4_MessageInfo_get_capsUnwrapped(m) == 0);
    CHECK(badge == 0xf);
    CHECK(seL4_GetMR(seL4_CapFault_IP) != 0);
    CHECK(seL4_GetMR(seL4_CapFault_Addr) == BAD_CPTR);
    CHECK(seL4_GetMR(seL4_CapFault_InRecvPhase) == 0);
    CHECK(seL4_GetMR(seL4_CapFault_LookupFailureType) == seL4_GuardMismatch);
    CHECK(seL4_GetMR(seL4_CapFault_BitsLeft) == 64);
    CHECK(seL4_GetMR(seL4_CapFault_GuardMismatch_GuardFound) == 0);
    CHECK(seL4_GetMR(seL4_CapFault_GuardMismatch_BitsFound) == bits_found);
    return seL4_GetMR(seL4_CapFault_IP);
}

int main(void)
{
    boot();
    seL4_Word radix = seL4_GetBootInfo()->initThreadCNodeSizeBits;
    seL4_CPtr fault_ep = make(seL4_EndpointObject);
    seL4_CPtr fault_ep_b = mint(fault_ep, seL4_AllRights, 0xf);

    start_thread("f", faulter, stack_f + sizeof stack_f, 100, fault_ep_b, 0, 0);
    seL4_Word ip1 = expect_cap_fault(fault_ep, 64 - radix);
    printf("root: replying to the fault\n");
    /* Any label: a CapFault reply always restarts the thread (FAULT-7). */
    seL4_Reply(seL4_MessageInfo_new(1, 0, 0, 0));
    seL4_Word ip2 = expect_cap_fault(fault_ep, 64 - radix);
    printf("root: same fault IP after restart=%d\n", ip1 == ip2);
    CHECK(ip1 == ip2);
    CHECK(ip1 > (seL4_Word)faulter && ip1 < (seL4_Word)faulter + 256);
    CHECK(*(const unsigned char *)ip1 == 0xe8);
    CHECK(!f_returned);

    start_thread("s", sender, stack_s + sizeof stack_s, 100, fault_ep_b, 0, 0);
    expect_cap_fault(fault_ep, 64 - radix);
    return finish("fault_capfault");
}
