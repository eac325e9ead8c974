/* cnode_errors: CNode invocation errors and their detail words, read with seL4_GetMR after the
 * failed call (libsel4 copies the reply's MR0..MR3 into the IPC buffer on an error).
 * Clauses: CNODE-1 (check order; source empty -> FailedLookup with source flag 1 and
 *          MissingCapability(src depth); occupied destination -> DeleteFirst; too few words ->
 *          TruncatedMessage; non-CNode label -> IllegalOperation), CNODE-2 (depth outside 1..64 ->
 *          RangeError 1..64; root not a CNode -> InvalidRoot; resolution stopping at a non-CNode
 *          slot with bits left -> DepthMismatch(bitsFound 0)), CNODE-3 (CNode guard too large ->
 *          IllegalOperation), CNODE-5, CNODE-7, CNODE-8, CNODE-9, LOOKUP-1, LOOKUP-3, LOOKUP-5,
 *          LOOKUP-6 (o = 1), ERR-1, ERR-2.
 * The root CNode has radix R = 12 and guard size 52 (values derived from the boot info). "sub" is
 * a 16-slot CNode (radix 4, no guard) invoked directly.
 *
 * EXPECTED-STDOUT-BEGIN
 * copy from an empty slot -> 6 source=1 type=2 bitsLeft=64
 * copy into an occupied slot -> 8
 * depth 0 -> 4 min=1 max=64
 * depth 65 -> 4 min=1 max=64
 * guard mismatch at depth 64 -> 6 source=0 type=4 bitsLeft=64 guardFound=0 bitsFound=52
 * depth 32 is shorter than the guard -> 6 source=0 type=4 bitsLeft=32 guardFound=0 bitsFound=52
 * depth 53 -> 6 source=0 type=3 bitsLeft=53 bitsFound=64
 * source root is an endpoint -> 6 source=1 type=1
 * sub: depth 8 stops at a slot with 4 bits left -> 6 source=0 type=3 bitsLeft=4 bitsFound=0
 * delete an empty slot -> 0
 * revoke an empty slot -> 0
 * move onto itself -> 8
 * rotate endpoint caps -> 3
 * mint root cnode cap with guard size 53 -> 3
 * copy with 1 message word -> 7
 * TCB_Suspend label on a cnode -> 3
 * cnode_errors PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

#define ROOT seL4_CapInitThreadCNode

static void print_lookup(const char *what, seL4_Error err)
{
    printf("%s -> %d", what, (int)err);
    if (err == seL4_FailedLookup) {
        seL4_Word type = seL4_GetMR(1);
        printf(" source=%lu type=%lu", (unsigned long)seL4_GetMR(0), (unsigned long)type);
        if (type == seL4_MissingCapability) {
            printf(" bitsLeft=%lu", (unsigned long)seL4_GetMR(2));
        } else if (type == seL4_DepthMismatch) {
            printf(" bitsLeft=%lu bitsFound=%lu", (unsigned long)seL4_GetMR(2), (unsigned long)seL4_GetMR(3));
        } else if (type == seL4_GuardMismatch) {
            printf(" bitsLeft=%lu guardFound=%lu bitsFound=%lu", (unsigned long)seL4_GetMR(2),
                   (unsigned long)seL4_GetMR(3), (unsigned long)seL4_GetMR(4));
        }
    } else if (err == seL4_RangeError) {
        printf(" min=%lu max=%lu", (unsigned long)seL4_GetMR(0), (unsigned long)seL4_GetMR(1));
    }
    printf("\n");
}

int main(void)
{
    boot();
    seL4_Word radix = seL4_GetBootInfo()->initThreadCNodeSizeBits;
    seL4_CPtr ep = make(seL4_EndpointObject);
    seL4_CPtr ep2 = make(seL4_EndpointObject);
    seL4_CPtr empty = free_slot++;
    seL4_CPtr empty2 = free_slot++;
    seL4_Error err;

    err = seL4_CNode_Copy(ROOT, empty2, 64, ROOT, empty, 64, seL4_AllRights);
    print_lookup("copy from an empty slot", err);
    CHECK(err == seL4_FailedLookup && seL4_GetMR(0) == 1 && seL4_GetMR(1) == seL4_MissingCapability &&
          seL4_GetMR(2) == 64);

    err = seL4_CNode_Copy(ROOT, ep2, 64, ROOT, ep, 64, seL4_AllRights);
    print_lookup("copy into an occupied slot", err);
    CHECK(err == seL4_DeleteFirst);

    err = seL4_CNode_Copy(ROOT, empty, 0, ROOT, ep, 64, seL4_AllRights);
    print_lookup("depth 0", err);
    CHECK(err == seL4_RangeError && seL4_GetMR(0) == 1 && seL4_GetMR(1) == 64);
    err = seL4_CNode_Copy(ROOT, empty, 65, ROOT, ep, 64, seL4_AllRights);
    print_lookup("depth 65", err);
    CHECK(err == seL4_RangeError && seL4_GetMR(0) == 1 && seL4_GetMR(1) == 64);

    err = seL4_CNode_Copy(ROOT, (1ul << 63) | empty, 64, ROOT, ep, 64, seL4_AllRights);
    print_lookup("guard mismatch at depth 64", err);
    CHECK(err == seL4_FailedLookup && seL4_GetMR(0) == 0 && seL4_GetMR(1) == seL4_GuardMismatch &&
          seL4_GetMR(2) == 64 && seL4_GetMR(3) == 0 && seL4_GetMR(4) == 64 - radix);

    err = seL4_CNode_Copy(ROOT, empty, 32, ROOT, ep, 64, seL4_AllRights);
    print_lookup("depth 32 is shorter than the guard", err);
    CHECK(err == seL4_FailedLookup && seL4_GetMR(0) == 0 && seL4_GetMR(1) == seL4_GuardMismatch &&
          seL4_GetMR(2) == 32 && seL4_GetMR(3) == 0 && seL4_GetMR(4) == 64 - radix);

    err = seL4_CNode_Copy(ROOT, 0, 64 - radix + 1, ROOT, ep, 64, seL4_AllRights);
    print_lookup("depth 53", err);
    CHECK(err == seL4_FailedLookup && seL4_GetMR(0) == 0 && seL4_GetMR(1) == seL4_DepthMismatch &&
          seL4_GetMR(2) == 64 - radix + 1 && seL4_GetMR(3) == 64);

    err = seL4_CNode_Copy(ROOT, empty, 64, ep, ep2, 64, seL4_AllRights);
    print_lookup("source root is an endpoint", err);
    CHECK(err == seL4_FailedLookup && seL4_GetMR(0) == 1 && seL4_GetMR(1) == seL4_InvalidRoot);

    seL4_CPtr sub = free_slot++;
    CHECK(seL4_Untyped_Retype(ut, seL4_CapTableObject, 4, ROOT, 0, 0, sub, 1) == seL4_NoError);
    err = seL4_CNode_Copy(sub, 0x35, 8, ROOT, ep, 64, seL4_AllRights);
    print_lookup("sub: depth 8 stops at a slot with 4 bits left", err);
    CHECK(err == seL4_FailedLookup && seL4_GetMR(0) == 0 && seL4_GetMR(1) == seL4_DepthMismatch &&
          seL4_GetMR(2) == 4 && seL4_GetMR(3) == 0);

    err = seL4_CNode_Delete(ROOT, empty, 64);
    print_lookup("delete an empty slot", err);
    CHECK(err == seL4_NoError);
    err = seL4_CNode_Revoke(ROOT, empty, 64);
    print_lookup("revoke an empty slot", err);
    CHECK(err == seL4_NoError);
    err = seL4_CNode_Move(ROOT, ep, 64, ROOT, ep, 64);
    print_lookup("move onto itself", err);
    CHECK(err == seL4_DeleteFirst);
    err = seL4_CNode_Rotate(ROOT, empty, 64, 0, ROOT, ep, 64, 0, ROOT, ep2, 64);
    print_lookup("rotate endpoint caps", err);
    CHECK(err == seL4_IllegalOperation);

    err = seL4_CNode_Mint(ROOT, empty, 64, ROOT, ROOT, 64, seL4_AllRights,
                          seL4_CNode_CapData_new(0, 64 - radix + 1).words[0]);
    print_lookup("mint root cnode cap with guard size 53", err);
    CHECK(err == seL4_IllegalOperation);

    seL4_SetMR(0, empty);
    seL4_MessageInfo_t r = seL4_Call(ROOT, seL4_MessageInfo_new(CNodeCopy, 0, 0, 1));
    print_lookup("copy with 1 message word", (seL4_Error)seL4_MessageInfo_get_label(r));
    CHECK(seL4_MessageInfo_get_label(r) == seL4_TruncatedMessage);

    err = seL4_TCB_Suspend(ROOT);
    print_lookup("TCB_Suspend label on a cnode", err);
    CHECK(err == seL4_IllegalOperation);
    return finish("cnode_errors");
}
