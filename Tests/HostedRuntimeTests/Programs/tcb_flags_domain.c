/* tcb_flags_domain: seL4_TCB_SetFlags and seL4_DomainSet_Set through libsel4's stubs, with the
 * detail words of the errors read by seL4_GetMR.
 * Clauses: TCB-FLAGS-1 (clear first, then set masked by seL4_TCBFlag_MASK; the new flags come
 *          back), DOMAIN-1 (one domain: domain 1 is InvalidArgument 0, a non-TCB extra cap
 *          InvalidArgument 1), ERR-2 (docs/spec/sel4-ipc-semantics.md, appendix R).
 *
 * EXPECTED-STDOUT-BEGIN
 * set fpuDisabled -> 0 flags=1
 * clear and set every bit -> 0 flags=1
 * clear fpuDisabled -> 0 flags=0
 * domain 0 for a TCB -> 0
 * domain 1 -> 1 arg=0
 * domain 0 for an endpoint -> 1 arg=1
 * tcb_flags_domain PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include "suite.h"

int main(void)
{
    boot();
    seL4_CPtr tcb = make(seL4_TCBObject);
    seL4_CPtr ep = make(seL4_EndpointObject);

    seL4_TCB_SetFlags_t r = seL4_TCB_SetFlags(tcb, 0, seL4_TCBFlag_fpuDisabled);
    printf("set fpuDisabled -> %d flags=%lu\n", r.error, (unsigned long)r.flags);
    CHECK(r.error == seL4_NoError && r.flags == seL4_TCBFlag_fpuDisabled);
    r = seL4_TCB_SetFlags(tcb, ~(seL4_Word)0, ~(seL4_Word)0);
    printf("clear and set every bit -> %d flags=%lu\n", r.error, (unsigned long)r.flags);
    CHECK(r.error == seL4_NoError && r.flags == seL4_TCBFlag_MASK);
    r = seL4_TCB_SetFlags(tcb, seL4_TCBFlag_fpuDisabled, 0);
    printf("clear fpuDisabled -> %d flags=%lu\n", r.error, (unsigned long)r.flags);
    CHECK(r.error == seL4_NoError && r.flags == 0);

    seL4_Error err = seL4_DomainSet_Set(seL4_CapDomain, 0, tcb);
    printf("domain 0 for a TCB -> %d\n", err);
    CHECK(err == seL4_NoError);
    err = seL4_DomainSet_Set(seL4_CapDomain, 1, tcb);
    printf("domain 1 -> %d arg=%lu\n", err, (unsigned long)seL4_GetMR(0));
    CHECK(err == seL4_InvalidArgument && seL4_GetMR(0) == 0);
    err = seL4_DomainSet_Set(seL4_CapDomain, 0, ep);
    printf("domain 0 for an endpoint -> %d arg=%lu\n", err, (unsigned long)seL4_GetMR(0));
    CHECK(err == seL4_InvalidArgument && seL4_GetMR(0) == 1);
    return finish("tcb_flags_domain");
}
