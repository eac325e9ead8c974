/* untyped_errors: seL4_Untyped_Retype's errors, with the detail words read by seL4_GetMR after
 * the failed call.
 * Clauses: ERR-1, ERR-2 (NotEnoughMemory: MR0 = bytes available; InvalidArgument: MR0 = argument
 *          index; RangeError: MR0 = min, MR1 = max; DeleteFirst and IllegalOperation: no words),
 *          CALL-3, CNODE-11. The checks follow seL4's decodeUntypedInvocation (src/object/untyped.c):
 *          object type >= seL4_ObjectTypeCount -> InvalidArgument 0; size too big -> RangeError
 *          (0, seL4_MaxUntypedBits); CapTable of size 0 or Untyped below seL4_MinUntypedBits ->
 *          InvalidArgument 1; node_offset past the CNode -> RangeError (0, slots-1); num_objects 0
 *          -> RangeError (1, CONFIG_RETYPE_FAN_OUT_LIMIT); occupied destination -> DeleteFirst;
 *          not enough free bytes -> NotEnoughMemory (free bytes); non-frame object from device
 *          untyped -> InvalidArgument 1; UntypedRetype on a TCB cap -> IllegalOperation.
 * The root CNode has 4096 slots (initThreadCNodeSizeBits 12 on this runtime; the program prints
 * values derived from the boot info). TCBs are 2^11 bytes on x86_64 (seL4_TCBBits 11).
 *
 * EXPECTED-STDOUT-BEGIN
 * retype 4K untyped -> 0
 * three TCBs from 4K -> 10 available=4096
 * five endpoints from 4K -> 0
 * a 4K frame after them -> 10 available=4016
 * into an occupied slot -> 8
 * object type 100 -> 1 arg=0
 * untyped of size 64 -> 4 min=0 max=47
 * cnode of size 0 -> 1 arg=1
 * untyped of size 3 -> 1 arg=1
 * node_offset 4096 -> 4 min=0 max=4095
 * num_objects 0 -> 4 min=1 max=256
 * num_objects 2 at the last slot -> 4 min=1 max=1
 * TCB from device untyped -> 1 arg=1
 * frame from device untyped -> 0
 * retype invoked on a TCB cap -> 3
 * untyped_errors PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static seL4_Error retype(seL4_CPtr from, seL4_Word type, seL4_Word size_bits, seL4_Word offset, seL4_Word n)
{
    return seL4_Untyped_Retype(from, type, size_bits, seL4_CapInitThreadCNode, 0, 0, offset, n);
}

int main(void)
{
    boot();
    seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_Word slots = 1ul << bi->initThreadCNodeSizeBits;
    seL4_CPtr dev_ut = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        if (bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits >= 12) {
            dev_ut = bi->untyped.start + i;
            break;
        }
    }
    seL4_Error err;

    seL4_CPtr small = free_slot++;
    err = retype(ut, seL4_UntypedObject, 12, small, 1);
    printf("retype 4K untyped -> %d\n", (int)err);
    CHECK(err == seL4_NoError);

    seL4_CPtr tcbs = free_slot;
    free_slot += 3;
    err = retype(small, seL4_TCBObject, 0, tcbs, 3);
    printf("three TCBs from 4K -> %d available=%lu\n", (int)err, (unsigned long)seL4_GetMR(0));
    CHECK(err == seL4_NotEnoughMemory && seL4_GetMR(0) == 4096);

    seL4_CPtr eps = free_slot;
    free_slot += 5;
    err = retype(small, seL4_EndpointObject, 0, eps, 5);
    printf("five endpoints from 4K -> %d\n", (int)err);
    CHECK(err == seL4_NoError);

    seL4_CPtr frame = free_slot++;
    err = retype(small, seL4_X86_4K, 0, frame, 1);
    printf("a 4K frame after them -> %d available=%lu\n", (int)err, (unsigned long)seL4_GetMR(0));
    CHECK(err == seL4_NotEnoughMemory && seL4_GetMR(0) == 4096 - 5 * 16);

    err = retype(ut, seL4_EndpointObject, 0, eps + 2, 1);
    printf("into an occupied slot -> %d\n", (int)err);
    CHECK(err == seL4_DeleteFirst);

    seL4_CPtr dest = free_slot++;
    err = retype(ut, 100, 0, dest, 1);
    printf("object type 100 -> %d arg=%lu\n", (int)err, (unsigned long)seL4_GetMR(0));
    CHECK(err == seL4_InvalidArgument && seL4_GetMR(0) == 0);

    err = retype(ut, seL4_UntypedObject, 64, dest, 1);
    printf("untyped of size 64 -> %d min=%lu max=%lu\n", (int)err, (unsigned long)seL4_GetMR(0),
           (unsigned long)seL4_GetMR(1));
    CHECK(err == seL4_RangeError && seL4_GetMR(0) == 0 && seL4_GetMR(1) == seL4_MaxUntypedBits);

    err = retype(ut, seL4_CapTableObject, 0, dest, 1);
    printf("cnode of size 0 -> %d arg=%lu\n", (int)err, (unsigned long)seL4_GetMR(0));
    CHECK(err == seL4_InvalidArgument && seL4_GetMR(0) == 1);

    err = retype(ut, seL4_UntypedObject, 3, dest, 1);
    printf("untyped of size 3 -> %d arg=%lu\n", (int)err, (unsigned long)seL4_GetMR(0));
    CHECK(err == seL4_InvalidArgument && seL4_GetMR(0) == 1);

    err = retype(ut, seL4_EndpointObject, 0, slots, 1);
    printf("node_offset %lu -> %d min=%lu max=%lu\n", (unsigned long)slots, (int)err, (unsigned long)seL4_GetMR(0),
           (unsigned long)seL4_GetMR(1));
    CHECK(err == seL4_RangeError && seL4_GetMR(0) == 0 && seL4_GetMR(1) == slots - 1);

    err = retype(ut, seL4_EndpointObject, 0, dest, 0);
    printf("num_objects 0 -> %d min=%lu max=%lu\n", (int)err, (unsigned long)seL4_GetMR(0),
           (unsigned long)seL4_GetMR(1));
    CHECK(err == seL4_RangeError && seL4_GetMR(0) == 1 && seL4_GetMR(1) == CONFIG_RETYPE_FAN_OUT_LIMIT);

    err = retype(ut, seL4_EndpointObject, 0, slots - 1, 2);
    printf("num_objects 2 at the last slot -> %d min=%lu max=%lu\n", (int)err, (unsigned long)seL4_GetMR(0),
           (unsigned long)seL4_GetMR(1));
    CHECK(err == seL4_RangeError && seL4_GetMR(0) == 1 && seL4_GetMR(1) == 1);

    CHECK(dev_ut != 0);
    err = retype(dev_ut, seL4_TCBObject, 0, dest, 1);
    printf("TCB from device untyped -> %d arg=%lu\n", (int)err, (unsigned long)seL4_GetMR(0));
    CHECK(err == seL4_InvalidArgument && seL4_GetMR(0) == 1);
    err = retype(dev_ut, seL4_X86_4K, 0, dest, 1);
    printf("frame from device untyped -> %d\n", (int)err);
    CHECK(err == seL4_NoError);

    err = retype(seL4_CapInitThreadTCB, seL4_EndpointObject, 0, free_slot, 1);
    printf("retype invoked on a TCB cap -> %d\n", (int)err);
    CHECK(err == seL4_IllegalOperation);
    return finish("untyped_errors");
}
