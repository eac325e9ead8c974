/* fault_double: a fault with no usable fault handler is a double fault: the thread becomes
 * Inactive and never continues; nothing is sent anywhere and the rest of the system goes on.
 * Clauses: FAULT-1 (the handler CPtr must name an endpoint cap with Write and Grant or GrantReply;
 *          otherwise double fault -> Inactive), SEND-6, PIT-10, TS-1, RECV-6.
 * d1 has fault_ep CPtr 0 (a null slot); d2's handler cap is an endpoint cap with Read+Write only;
 * d3's handler CPtr names a notification. They run (priorities 100, 90, 80) when the root blocks;
 * then e (priority 10) signals the root. seL4 debug builds print the double faults on the console;
 * SwiftL4 reports each on stderr, naming the thread (issue 15, item 3).
 * EXPECTED-STDERR-CONTAINS: swiftl4: thread 'd1' took a cap fault on CPtr 0x8000000000000005 in its send phase
 * EXPECTED-STDERR-CONTAINS: swiftl4: thread 'd2' took a cap fault on CPtr 0x8000000000000005 in its send phase
 * EXPECTED-STDERR-CONTAINS: swiftl4: thread 'd3' took a cap fault on CPtr 0x8000000000000005 in its send phase
 *
 * EXPECTED-STDOUT-BEGIN
 * d1: calling the bad cptr
 * d2: calling the bad cptr
 * d3: calling the bad cptr
 * e: signalling the root
 * root: woken, badge=0x1
 * root: nbrecv on the read-write handler endpoint badge=0x0
 * fault_double PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char stacks[4][65536] __attribute__((aligned(16)));
#define BAD_CPTR ((1ul << 63) | 5)
static int continued;

static void d_thread(seL4_Word id, seL4_Word unused)
{
    (void)unused;
    printf("d%lu: calling the bad cptr\n", (unsigned long)id);
    seL4_Call(BAD_CPTR, seL4_MessageInfo_new(0, 0, 0, 0));
    continued++;
    printf("d%lu: continued\n", (unsigned long)id);
}

static void e_thread(seL4_Word ntfn, seL4_Word unused)
{
    (void)unused;
    printf("e: signalling the root\n");
    seL4_Signal(ntfn);
}

int main(void)
{
    boot();
    seL4_CPtr ep = make(seL4_EndpointObject);
    seL4_CPtr ep_rw = mint(ep, seL4_ReadWrite, 0xd);
    seL4_CPtr ntfn = make(seL4_NotificationObject);
    seL4_CPtr ntfn1 = mint(ntfn, seL4_AllRights, 0x1);

    start_thread("d1", d_thread, stacks[0] + sizeof stacks[0], 100, 0, 1, 0);
    start_thread("d2", d_thread, stacks[1] + sizeof stacks[1], 90, ep_rw, 2, 0);
    start_thread("d3", d_thread, stacks[2] + sizeof stacks[2], 80, ntfn1, 3, 0);
    start_thread("e", e_thread, stacks[3] + sizeof stacks[3], 10, 0, ntfn1, 0);

    seL4_Word badge = 0;
    seL4_Wait(ntfn, &badge);
    printf("root: woken, badge=0x%lx\n", (unsigned long)badge);
    CHECK(badge == 0x1);
    CHECK(continued == 0);
    badge = 0x99;
    seL4_NBRecv(ep, &badge);
    printf("root: nbrecv on the read-write handler endpoint badge=0x%lx\n", (unsigned long)badge);
    CHECK(badge == 0);
    return finish("fault_double");
}
