/* root_capfault: the root task, which has no fault handler, calls a CPtr whose guard does not
 * match. On seL4 the root thread takes a cap fault, finds no handler (FAULT-1: a double fault)
 * and becomes Inactive; nothing else runs. SwiftL4 names the thread, the fault and its pc, and
 * the run ends with status 87, not as a root task that stopped itself (issue 15, item 2).
 * Clauses: SEND-6, SYS-2 (step 2), FAULT-1, FAULT-2, LOOKUP-5.
 *
 * EXPECTED-STDOUT-BEGIN
 * root: calling a CPtr whose guard does not match
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 87
 * EXPECTED-STDERR-CONTAINS: took a cap fault on CPtr 0x8000000000000005 in its send phase
 * EXPECTED-STDERR-CONTAINS: with no fault handler to receive it; it stops
 * EXPECTED-STDERR-CONTAINS: swiftl4: the root task died of a fault (it has no fault handler)
 */
#include <sel4/sel4.h>
#include <stdio.h>

int main(void)
{
    printf("root: calling a CPtr whose guard does not match\n");
    fflush(stdout);
    seL4_Call((1ul << 63) | 5, seL4_MessageInfo_new(0, 0, 0, 0));
    printf("root: FAILED: the faulting Call returned\n");
    return 1;
}
