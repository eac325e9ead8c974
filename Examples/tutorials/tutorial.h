/* What the tutorial chapters share: seL4's error names, and the boot info's first free slot
 * and first large untyped. Written for SwiftL4's tutorials; every call is plain libsel4. */
#ifndef SWIFTL4_TUTORIAL_H
#define SWIFTL4_TUTORIAL_H

#include <sel4/sel4.h>
#include <stdio.h>

/* seL4_Error's names (libsel4's sel4/errors.h), for printing what a call returned. */
static const char *error_name(seL4_Error error)
{
    static const char *names[] = {
        "seL4_NoError", "seL4_InvalidArgument", "seL4_InvalidCapability", "seL4_IllegalOperation",
        "seL4_RangeError", "seL4_AlignmentError", "seL4_FailedLookup", "seL4_TruncatedMessage",
        "seL4_DeleteFirst", "seL4_RevokeFirst", "seL4_NotEnoughMemory",
    };
    return error >= 0 && error < (int)(sizeof names / sizeof names[0]) ? names[error] : "(not a seL4_Error)";
}

/* The first untyped of at least 2^min_bits bytes that is RAM, not a device. */
static seL4_CPtr find_untyped(seL4_BootInfo *info, seL4_Word min_bits)
{
    for (seL4_Word i = 0; i < info->untyped.end - info->untyped.start; i++) {
        if (!info->untypedList[i].isDevice && info->untypedList[i].sizeBits >= min_bits) {
            return info->untyped.start + i;
        }
    }
    return seL4_CapNull;
}

#endif
