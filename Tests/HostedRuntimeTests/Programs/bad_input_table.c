/* bad_input_table: the bad-input table (Tests/KernelCoreTests/BadInputTableTests.swift) through the
 * C API. Each row makes one invocation or system call with one class of bad argument and checks
 * the exact seL4 outcome: the error code and its detail words (seL4_GetMR after the failed call,
 * ERR-2), or silence (ERR-3); after every row the cap types in the watched slots must be as
 * before (nothing else changed). The root task has no fault handler, so rows whose outcome is
 * a fault are covered only by the Swift table.
 * Row clauses:
 *   row 1: Call on an empty slot [SEND-5, SYS-3]
 *   row 2: Send on an empty slot [SYS-3, ERR-3]
 *   row 3: NBSend on an empty slot [SYS-3, ERR-3]
 *   row 4: NBSend on an unresolvable CPtr [SEND-6, ERR-3]
 *   row 5: Call on an endpoint cap without Write [SEND-5]
 *   row 6: Send on an endpoint cap without Write [SEND-5]
 *   row 7: Call on a notification cap without Write [SYS-3, ERR-3]
 *   row 8: NBSend with an unresolvable extra cap [SYS-2, ERR-3]
 *   row 9: Reply with no caller [REPLY-1]
 *   row 10: Reply with bogus extra caps [REPLY-1]
 *   row 11: Yield [YIELD-1]
 *   row 12: Call on an empty slot, tag length 127 [MSG-3, SYS-3]
 *   row 13: CNode with a non-CNode label [CNODE-1]
 *   row 14: CNode_Delete with one word [CNODE-1]
 *   row 15: CNode_Delete depth 65 [CNODE-2]
 *   row 16: CNode_Revoke depth 0 [CNODE-2]
 *   row 17: CNode_Revoke of an unresolvable index [CNODE-2, LOOKUP-6]
 *   row 18: CNode_Delete depth 10 (guard longer than depth) [CNODE-2, LOOKUP-1]
 *   row 19: CNode_Copy dest depth 0 [CNODE-2]
 *   row 20: CNode_Copy source depth 65 [CNODE-2]
 *   row 21: CNode_Copy into an occupied slot [CNODE-1]
 *   row 22: CNode_Copy from an empty slot [CNODE-1, ERR-2]
 *   row 23: CNode_Copy to an unresolvable index [CNODE-2]
 *   row 24: CNode_Copy with a source root that is not a CNode [CNODE-2]
 *   row 25: CNode_Copy without the source-root cap [CNODE-1]
 *   row 26: CNode_Copy with 4 words (no rights) [CNODE-1]
 *   row 27: CNode_Mint from a badged cap [CNODE-3, PIT-3]
 *   row 28: CNode_Mint of a CNode cap with guard size + radix > 64 [CNODE-3, BADGE-2]
 *   row 29: CNode_Mint of an untyped with children [CNODE-3, XFER-7]
 *   row 30: CNode_Move into an occupied slot [CNODE-1]
 *   row 31: CNode_Move onto itself [CNODE-5]
 *   row 32: CNode_Move from an empty slot [CNODE-1]
 *   row 33: CNode_Mutate of an endpoint cap [CNODE-6]
 *   row 34: CNode_Rotate with pivot = source [CNODE-7]
 *   row 35: CNode_Rotate of endpoint/notification caps [CNODE-7]
 *   row 36: CNode_Rotate with an empty pivot [CNODE-7]
 *   row 37: CNode_CancelBadgedSends without all rights [CNODE-10]
 *   row 38: CNode_CancelBadgedSends on a notification [CNODE-10]
 *   row 39: CNode_SaveCaller into an occupied slot [REPLY-6]
 *   row 40: CNode_SaveCaller with no caller [REPLY-6]
 *   row 41: CNode_Copy with tag length 127 into an occupied slot [MSG-3, CNODE-1]
 *   row 42: Untyped with a non-Retype label [untyped decode 1]
 *   row 43: Untyped_Retype with 5 words [untyped decode 2]
 *   row 44: Untyped_Retype of an out-of-range type [untyped decode 4]
 *   row 45: Untyped_Retype size 64 [untyped decode 6]
 *   row 46: Untyped_Retype of a CNode of size 0 [untyped decode 7]
 *   row 47: Untyped_Retype of a 3-bit untyped [untyped decode 8]
 *   row 48: Untyped_Retype, depth 0 and a root that is not a CNode [untyped decode 10]
 *   row 49: Untyped_Retype into an unresolvable CNode index [untyped decode 9]
 *   row 50: Untyped_Retype offset past the CNode [untyped decode 11]
 *   row 51: Untyped_Retype count 0 [untyped decode 12]
 *   row 52: Untyped_Retype count 257 [untyped decode 12]
 *   row 53: Untyped_Retype window past the CNode's end [untyped decode 13]
 *   row 54: Untyped_Retype into an occupied slot [untyped decode 14]
 *   row 55: Untyped_Retype larger than the untyped [untyped decode 16]
 *   row 56: TCB_ReadRegisters count 0 [TCB decode 3.1]
 *   row 57: TCB_ReadRegisters count 21 [TCB decode 3.1]
 *   row 58: TCB_ReadRegisters of the caller itself [TCB decode 3.16]
 *   row 59: TCB_WriteRegisters of the caller itself [TCB decode 3.16]
 *   row 60: TCB_WriteRegisters count larger than the message [TCB decode 3.2]
 *   row 61: TCB_CopyRegisters from a non-TCB [TCB decode 3.3]
 *   row 62: TCB_Configure with a misaligned IPC buffer [IPCBUF-3]
 *   row 63: TCB_Configure with an endpoint as buffer frame [IPCBUF-3]
 *   row 64: TCB_Configure with a CSpace root that is not a CNode [TCB decode 3.4]
 *   row 65: TCB_Configure with 3 words [TCB decode 3.4]
 *   row 66: TCB_SetPriority 256 [SCHED-1]
 *   row 67: TCB_SetPriority above the authority's MCP 0 [SCHED-1]
 *   row 68: TCB_SetPriority with a non-TCB authority [TCB decode 3.5]
 *   row 69: TCB_SetPriority without the authority cap [TCB decode 3.5]
 *   row 70: TCB_SetMCPriority 300 [SCHED-1]
 *   row 71: TCB_SetSchedParams priority 256 [TCB decode 3.7]
 *   row 72: TCB_SetIPCBuffer misaligned [IPCBUF-3]
 *   row 73: TCB_SetIPCBuffer with a notification as frame [IPCBUF-3]
 *   row 74: TCB_SetSpace with a CSpace root that is not a CNode [TCB decode 3.9]
 *   row 75: TCB_BindNotification with an endpoint [BIND-1]
 *   row 76: TCB_BindNotification without Read [BIND-1]
 *   row 77: TCB_BindNotification of a bound TCB [BIND-1]
 *   row 78: TCB_BindNotification of a bound notification [BIND-1]
 *   row 79: TCB_UnbindNotification with nothing bound [BIND-1]
 *   row 80: TCB_SetTLSBase with no words [TCB decode 3.13]
 *   row 81: TCB with label 9999 [TCB decode 3]
 *
 * EXPECTED-STDOUT-BEGIN
 * row 1 ok
 * row 2 ok
 * row 3 ok
 * row 4 ok
 * row 5 ok
 * row 6 ok
 * row 7 ok
 * row 8 ok
 * row 9 ok
 * row 10 ok
 * row 11 ok
 * row 12 ok
 * row 13 ok
 * row 14 ok
 * row 15 ok
 * row 16 ok
 * row 17 ok
 * row 18 ok
 * row 19 ok
 * row 20 ok
 * row 21 ok
 * row 22 ok
 * row 23 ok
 * row 24 ok
 * row 25 ok
 * row 26 ok
 * row 27 ok
 * row 28 ok
 * row 29 ok
 * row 30 ok
 * row 31 ok
 * row 32 ok
 * row 33 ok
 * row 34 ok
 * row 35 ok
 * row 36 ok
 * row 37 ok
 * row 38 ok
 * row 39 ok
 * row 40 ok
 * row 41 ok
 * row 42 ok
 * row 43 ok
 * row 44 ok
 * row 45 ok
 * row 46 ok
 * row 47 ok
 * row 48 ok
 * row 49 ok
 * row 50 ok
 * row 51 ok
 * row 52 ok
 * row 53 ok
 * row 54 ok
 * row 55 ok
 * row 56 ok
 * row 57 ok
 * row 58 ok
 * row 59 ok
 * row 60 ok
 * row 61 ok
 * row 62 ok
 * row 63 ok
 * row 64 ok
 * row 65 ok
 * row 66 ok
 * row 67 ok
 * row 68 ok
 * row 69 ok
 * row 70 ok
 * row 71 ok
 * row 72 ok
 * row 73 ok
 * row 74 ok
 * row 75 ok
 * row 76 ok
 * row 77 ok
 * row 78 ok
 * row 79 ok
 * row 80 ok
 * row 81 ok
 * bad_input_table PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <string.h>

#define CN seL4_CapInitThreadCNode
#define BAD ((1ul << 40) | 5) /* breaks the root CNode's zero guard (LOOKUP-1) */

static seL4_CPtr free_slot, big_ut;
static seL4_Word GUARD; /* guard size of the root CNode: 64 - radix */
static int row_no, failed;
static seL4_Word w[8];
static seL4_MessageInfo_t last;
static seL4_CPtr watch[16];
static seL4_Word watch_type[16];
static int n_watch;

static seL4_CPtr make(seL4_Word type, seL4_Word size)
{
    seL4_CPtr slot = free_slot++;
    if (seL4_Untyped_Retype(big_ut, type, size, CN, 0, 0, slot, 1) != seL4_NoError) {
        printf("setup: retype of %lu failed\n", (unsigned long)type);
    }
    return slot;
}

static seL4_CPtr mint(seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_CPtr slot = free_slot++;
    if (seL4_CNode_Mint(CN, slot, seL4_WordBits, CN, src, seL4_WordBits, rights, badge) != seL4_NoError) {
        printf("setup: mint failed\n");
    }
    return slot;
}

/* A raw Call with MRs w[0..min(len,8)), optional extra cap 0 (caps 1, 2 set by the row). */
static void rawcall(seL4_CPtr cap, seL4_Word label, seL4_Word len, seL4_Word ncaps, seL4_CPtr cap0)
{
    for (int i = 0; i < 8; i++) seL4_SetMR(i, w[i]);
    if (ncaps) seL4_SetCap(0, cap0);
    last = seL4_Call(cap, seL4_MessageInfo_new(label, 0, ncaps, len));
    memset(w, 0, sizeof w);
}

static void report(int ok, const char *why)
{
    row_no++;
    for (int i = 0; i < n_watch && ok; i++) {
        if (seL4_DebugCapIdentify(watch[i]) != watch_type[i]) {
            ok = 0;
            why = "a watched slot changed";
        }
    }
    if (ok) {
        printf("row %d ok\n", row_no);
    } else {
        printf("row %d FAILED %s\n", row_no, why);
        failed++;
    }
}

/* A rawcall's reply: label `code`, length n, MR0.. = the n words. */
static void want_raw(seL4_Error code, int n, const seL4_Word *words)
{
    char why[200];
    int ok = seL4_MessageInfo_get_label(last) == (seL4_Word)code && seL4_MessageInfo_get_length(last) == (seL4_Word)n;
    for (int i = 0; i < n; i++) ok = ok && seL4_GetMR(i) == words[i];
    snprintf(why, sizeof why, "label=%lu len=%lu mr0=%lu mr1=%lu (want %d)", (unsigned long)seL4_MessageInfo_get_label(last),
             (unsigned long)seL4_MessageInfo_get_length(last), (unsigned long)seL4_GetMR(0), (unsigned long)seL4_GetMR(1), code);
    report(ok, why);
}

/* Two forms: want(code, n, words...) after rawcall, and want(stub_result, code, n, words...). */
static void want_words(seL4_Error got, seL4_Error code, int n, const seL4_Word *words)
{
    char why[200];
    int ok = got == code;
    for (int i = 0; i < n; i++) ok = ok && seL4_GetMR(i) == words[i];
    snprintf(why, sizeof why, "error=%d mr0=%lu mr1=%lu mr2=%lu (want %d)", got, (unsigned long)seL4_GetMR(0),
             (unsigned long)seL4_GetMR(1), (unsigned long)seL4_GetMR(2), code);
    report(ok, why);
}

static void silent(void) { report(1, ""); }

int main(void)
{
    seL4_BootInfo *bi = seL4_GetBootInfo();
    free_slot = bi->empty.start;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        if (!bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits >= 20) {
            big_ut = bi->untyped.start + i;
            break;
        }
    }
    seL4_Word slots = 1ul << bi->initThreadCNodeSizeBits;
    GUARD = 64 - bi->initThreadCNodeSizeBits;
    seL4_CPtr ep = make(seL4_EndpointObject, 0);
    seL4_CPtr ep_r = mint(ep, seL4_CanRead, 0);
    seL4_CPtr ep_w = mint(ep, seL4_CanWrite, 0);
    seL4_CPtr ep_b = mint(ep, seL4_AllRights, 7);
    seL4_CPtr ntfn = make(seL4_NotificationObject, 0);
    seL4_CPtr ntfn_r = mint(ntfn, seL4_CanRead, 0);
    seL4_CPtr ntfn_w = mint(ntfn, seL4_CanWrite, 0);
    seL4_CPtr ntfn2 = make(seL4_NotificationObject, 0);
    seL4_CPtr empty = free_slot++;
    seL4_CPtr empty2 = free_slot++;
    seL4_CPtr frame = make(seL4_X86_4K, 0);
    seL4_Word frame_paddr = seL4_X86_Page_GetAddress(frame).paddr;
    seL4_CPtr ut16 = make(seL4_UntypedObject, 16);
    seL4_CPtr ut = big_ut;
    seL4_CPtr cn2 = make(seL4_CapTableObject, 4);
    seL4_CPtr target = make(seL4_TCBObject, 0);
    seL4_CPtr bound = make(seL4_TCBObject, 0);
    if (seL4_TCB_BindNotification(bound, ntfn2) != seL4_NoError) printf("setup: bind failed\n");
    seL4_CPtr free_base = free_slot + 16;
    seL4_UserContext ctx;
    memset(&ctx, 0, sizeof ctx);
    seL4_CPtr watched[] = {ep, ep_r, ep_w, ep_b, ntfn, ntfn_r, ntfn_w, ntfn2, empty, empty2, frame, ut16, cn2, target, bound, free_base};
    for (n_watch = 0; n_watch < 16; n_watch++) {
        watch[n_watch] = watched[n_watch];
        watch_type[n_watch] = seL4_DebugCapIdentify(watched[n_watch]);
    }
    (void)ut; (void)slots;

    /* row 1: Call on an empty slot [SEND-5, SYS-3] */
    {
        rawcall(empty, 1, 0, 0, 0);
        { const seL4_Word ws[] = {0}; want_raw(seL4_InvalidCapability, 1, ws); }
    }
    /* row 2: Send on an empty slot [SYS-3, ERR-3] */
    {
        seL4_Send(empty, seL4_MessageInfo_new(1, 0, 0, 0));
        silent();
    }
    /* row 3: NBSend on an empty slot [SYS-3, ERR-3] */
    {
        seL4_NBSend(empty, seL4_MessageInfo_new(1, 0, 0, 0));
        silent();
    }
    /* row 4: NBSend on an unresolvable CPtr [SEND-6, ERR-3] */
    {
        seL4_NBSend(BAD, seL4_MessageInfo_new(1, 0, 0, 0));
        silent();
    }
    /* row 5: Call on an endpoint cap without Write [SEND-5] */
    {
        rawcall(ep_r, 1, 0, 0, 0);
        { const seL4_Word ws[] = {0}; want_raw(seL4_InvalidCapability, 1, ws); }
    }
    /* row 6: Send on an endpoint cap without Write [SEND-5] */
    {
        seL4_Send(ep_r, seL4_MessageInfo_new(1, 0, 0, 0));
        silent();
    }
    /* row 7: Call on a notification cap without Write [SYS-3, ERR-3] */
    {
        rawcall(ntfn_r, 1, 0, 0, 0);
        { const seL4_Word ws[] = {0}; want_raw(seL4_InvalidCapability, 1, ws); }
    }
    /* row 8: NBSend with an unresolvable extra cap [SYS-2, ERR-3] */
    {
        seL4_SetCap(0, BAD);
        seL4_NBSend(ep, seL4_MessageInfo_new(1, 0, 1, 0));
        silent();
    }
    /* row 9: Reply with no caller [REPLY-1] */
    {
        seL4_Reply(seL4_MessageInfo_new(1, 0, 0, 0));
        silent();
    }
    /* row 10: Reply with bogus extra caps [REPLY-1] */
    {
        seL4_SetCap(0, BAD);
        seL4_SetCap(1, BAD);
        seL4_Reply(seL4_MessageInfo_new(1, 0, 2, 0));
        silent();
    }
    /* row 11: Yield [YIELD-1] */
    {
        seL4_Yield();
        silent();
    }
    /* row 12: Call on an empty slot, tag length 127 [MSG-3, SYS-3] */
    {
        rawcall(empty, 1, 127, 0, 0);
        { const seL4_Word ws[] = {0}; want_raw(seL4_InvalidCapability, 1, ws); }
    }
    /* row 13: CNode with a non-CNode label [CNODE-1] */
    {
        w[0] = empty;
        w[1] = 64;
        rawcall(CN, TCBSuspend, 2, 0, 0);
        { const seL4_Word ws[] = {0}; want_raw(seL4_IllegalOperation, 0, ws); }
    }
    /* row 14: CNode_Delete with one word [CNODE-1] */
    {
        w[0] = ep;
        rawcall(CN, CNodeDelete, 1, 0, 0);
        { const seL4_Word ws[] = {0}; want_raw(seL4_TruncatedMessage, 0, ws); }
    }
    /* row 15: CNode_Delete depth 65 [CNODE-2] */
    {
        { seL4_Error got = seL4_CNode_Delete(CN, ep, 65); const seL4_Word ws[] = {1, 64}; want_words(got, seL4_RangeError, 2, ws); }
    }
    /* row 16: CNode_Revoke depth 0 [CNODE-2] */
    {
        { seL4_Error got = seL4_CNode_Revoke(CN, ep, 0); const seL4_Word ws[] = {1, 64}; want_words(got, seL4_RangeError, 2, ws); }
    }
    /* row 17: CNode_Revoke of an unresolvable index [CNODE-2, LOOKUP-6] */
    {
        { seL4_Error got = seL4_CNode_Revoke(CN, BAD, 64); const seL4_Word ws[] = {0, 4, 64, 0, GUARD}; want_words(got, seL4_FailedLookup, 5, ws); }
    }
    /* row 18: CNode_Delete depth 10 (guard longer than depth) [CNODE-2, LOOKUP-1] */
    {
        { seL4_Error got = seL4_CNode_Delete(CN, ep, 10); const seL4_Word ws[] = {0, 4, 10, 0, GUARD}; want_words(got, seL4_FailedLookup, 5, ws); }
    }
    /* row 19: CNode_Copy dest depth 0 [CNODE-2] */
    {
        { seL4_Error got = seL4_CNode_Copy(CN, empty, 0, CN, ep, 64, seL4_AllRights); const seL4_Word ws[] = {1, 64}; want_words(got, seL4_RangeError, 2, ws); }
    }
    /* row 20: CNode_Copy source depth 65 [CNODE-2] */
    {
        { seL4_Error got = seL4_CNode_Copy(CN, empty, 64, CN, ep, 65, seL4_AllRights); const seL4_Word ws[] = {1, 64}; want_words(got, seL4_RangeError, 2, ws); }
    }
    /* row 21: CNode_Copy into an occupied slot [CNODE-1] */
    {
        { seL4_Error got = seL4_CNode_Copy(CN, ntfn, 64, CN, ep, 64, seL4_AllRights); const seL4_Word ws[] = {0}; want_words(got, seL4_DeleteFirst, 0, ws); }
    }
    /* row 22: CNode_Copy from an empty slot [CNODE-1, ERR-2] */
    {
        { seL4_Error got = seL4_CNode_Copy(CN, empty, 64, CN, empty2, 64, seL4_AllRights); const seL4_Word ws[] = {1, 2, 64}; want_words(got, seL4_FailedLookup, 3, ws); }
    }
    /* row 23: CNode_Copy to an unresolvable index [CNODE-2] */
    {
        { seL4_Error got = seL4_CNode_Copy(CN, BAD, 64, CN, ep, 64, seL4_AllRights); const seL4_Word ws[] = {0, 4, 64, 0, GUARD}; want_words(got, seL4_FailedLookup, 5, ws); }
    }
    /* row 24: CNode_Copy with a source root that is not a CNode [CNODE-2] */
    {
        { seL4_Error got = seL4_CNode_Copy(CN, empty, 64, ep, ep, 64, seL4_AllRights); const seL4_Word ws[] = {1, 1}; want_words(got, seL4_FailedLookup, 2, ws); }
    }
    /* row 25: CNode_Copy without the source-root cap [CNODE-1] */
    {
        w[0] = empty;
        w[1] = 64;
        w[2] = ep;
        w[3] = 64;
        w[4] = seL4_AllRights.words[0];
        rawcall(CN, CNodeCopy, 5, 0, 0);
        { const seL4_Word ws[] = {0}; want_raw(seL4_TruncatedMessage, 0, ws); }
    }
    /* row 26: CNode_Copy with 4 words (no rights) [CNODE-1] */
    {
        w[0] = empty;
        w[1] = 64;
        w[2] = ep;
        w[3] = 64;
        rawcall(CN, CNodeCopy, 4, 1, CN);
        { const seL4_Word ws[] = {0}; want_raw(seL4_TruncatedMessage, 0, ws); }
    }
    /* row 27: CNode_Mint from a badged cap [CNODE-3, PIT-3] */
    {
        { seL4_Error got = seL4_CNode_Mint(CN, empty, 64, CN, ep_b, 64, seL4_AllRights, 0); const seL4_Word ws[] = {0}; want_words(got, seL4_IllegalOperation, 0, ws); }
    }
    /* row 28: CNode_Mint of a CNode cap with guard size + radix > 64 [CNODE-3, BADGE-2] */
    {
        { seL4_Error got = seL4_CNode_Mint(CN, empty, 64, CN, cn2, 64, seL4_AllRights, 61); const seL4_Word ws[] = {0}; want_words(got, seL4_IllegalOperation, 0, ws); }
    }
    /* row 29: CNode_Mint of an untyped with children [CNODE-3, XFER-7] */
    {
        { seL4_Error got = seL4_CNode_Mint(CN, empty, 64, CN, ut, 64, seL4_AllRights, 0); const seL4_Word ws[] = {0}; want_words(got, seL4_RevokeFirst, 0, ws); }
    }
    /* row 30: CNode_Move into an occupied slot [CNODE-1] */
    {
        { seL4_Error got = seL4_CNode_Move(CN, ntfn, 64, CN, ep, 64); const seL4_Word ws[] = {0}; want_words(got, seL4_DeleteFirst, 0, ws); }
    }
    /* row 31: CNode_Move onto itself [CNODE-5] */
    {
        { seL4_Error got = seL4_CNode_Move(CN, ep, 64, CN, ep, 64); const seL4_Word ws[] = {0}; want_words(got, seL4_DeleteFirst, 0, ws); }
    }
    /* row 32: CNode_Move from an empty slot [CNODE-1] */
    {
        { seL4_Error got = seL4_CNode_Move(CN, empty, 64, CN, empty2, 64); const seL4_Word ws[] = {1, 2, 64}; want_words(got, seL4_FailedLookup, 3, ws); }
    }
    /* row 33: CNode_Mutate of an endpoint cap [CNODE-6] */
    {
        { seL4_Error got = seL4_CNode_Mutate(CN, empty, 64, CN, ep, 64, 5); const seL4_Word ws[] = {0}; want_words(got, seL4_IllegalOperation, 0, ws); }
    }
    /* row 34: CNode_Rotate with pivot = source [CNODE-7] */
    {
        { seL4_Error got = seL4_CNode_Rotate(CN, empty, 64, 0, CN, frame, 64, 0, CN, frame, 64); const seL4_Word ws[] = {0}; want_words(got, seL4_IllegalOperation, 0, ws); }
    }
    /* row 35: CNode_Rotate of endpoint/notification caps [CNODE-7] */
    {
        { seL4_Error got = seL4_CNode_Rotate(CN, empty, 64, 0, CN, ep, 64, 0, CN, ntfn, 64); const seL4_Word ws[] = {0}; want_words(got, seL4_IllegalOperation, 0, ws); }
    }
    /* row 36: CNode_Rotate with an empty pivot [CNODE-7] */
    {
        { seL4_Error got = seL4_CNode_Rotate(CN, empty, 64, 0, CN, empty2, 64, 0, CN, frame, 64); const seL4_Word ws[] = {0, 2, 64}; want_words(got, seL4_FailedLookup, 3, ws); }
    }
    /* row 37: CNode_CancelBadgedSends without all rights [CNODE-10] */
    {
        { seL4_Error got = seL4_CNode_CancelBadgedSends(CN, ep_w, 64); const seL4_Word ws[] = {0}; want_words(got, seL4_IllegalOperation, 0, ws); }
    }
    /* row 38: CNode_CancelBadgedSends on a notification [CNODE-10] */
    {
        { seL4_Error got = seL4_CNode_CancelBadgedSends(CN, ntfn, 64); const seL4_Word ws[] = {0}; want_words(got, seL4_IllegalOperation, 0, ws); }
    }
    /* row 39: CNode_SaveCaller into an occupied slot [REPLY-6] */
    {
        { seL4_Error got = seL4_CNode_SaveCaller(CN, ep, 64); const seL4_Word ws[] = {0}; want_words(got, seL4_DeleteFirst, 0, ws); }
    }
    /* row 40: CNode_SaveCaller with no caller [REPLY-6] */
    {
        { seL4_Error got = seL4_CNode_SaveCaller(CN, empty, 64); const seL4_Word ws[] = {0}; want_words(got, seL4_NoError, 0, ws); }
    }
    /* row 41: CNode_Copy with tag length 127 into an occupied slot [MSG-3, CNODE-1] */
    {
        w[0] = ntfn;
        w[1] = 64;
        w[2] = ep;
        w[3] = 64;
        w[4] = seL4_AllRights.words[0];
        rawcall(CN, CNodeCopy, 127, 1, CN);
        { const seL4_Word ws[] = {0}; want_raw(seL4_DeleteFirst, 0, ws); }
    }
    /* row 42: Untyped with a non-Retype label [untyped decode 1] */
    {
        w[0] = seL4_EndpointObject;
        w[5] = 1;
        rawcall(ut16, CNodeCopy, 6, 1, CN);
        { const seL4_Word ws[] = {0}; want_raw(seL4_IllegalOperation, 0, ws); }
    }
    /* row 43: Untyped_Retype with 5 words [untyped decode 2] */
    {
        w[0] = seL4_EndpointObject;
        w[4] = free_base;
        rawcall(ut16, UntypedRetype, 5, 1, CN);
        { const seL4_Word ws[] = {0}; want_raw(seL4_TruncatedMessage, 0, ws); }
    }
    /* row 44: Untyped_Retype of an out-of-range type [untyped decode 4] */
    {
        { seL4_Error got = seL4_Untyped_Retype(ut16, seL4_ObjectTypeCount, 0, CN, 0, 0, free_base, 1); const seL4_Word ws[] = {0}; want_words(got, seL4_InvalidArgument, 1, ws); }
    }
    /* row 45: Untyped_Retype size 64 [untyped decode 6] */
    {
        { seL4_Error got = seL4_Untyped_Retype(ut16, seL4_UntypedObject, 64, CN, 0, 0, free_base, 1); const seL4_Word ws[] = {0, 47}; want_words(got, seL4_RangeError, 2, ws); }
    }
    /* row 46: Untyped_Retype of a CNode of size 0 [untyped decode 7] */
    {
        { seL4_Error got = seL4_Untyped_Retype(ut16, seL4_CapTableObject, 0, CN, 0, 0, free_base, 1); const seL4_Word ws[] = {1}; want_words(got, seL4_InvalidArgument, 1, ws); }
    }
    /* row 47: Untyped_Retype of a 3-bit untyped [untyped decode 8] */
    {
        { seL4_Error got = seL4_Untyped_Retype(ut16, seL4_UntypedObject, 3, CN, 0, 0, free_base, 1); const seL4_Word ws[] = {1}; want_words(got, seL4_InvalidArgument, 1, ws); }
    }
    /* row 48: Untyped_Retype, depth 0 and a root that is not a CNode [untyped decode 10] */
    {
        { seL4_Error got = seL4_Untyped_Retype(ut16, seL4_EndpointObject, 0, ep, 0, 0, 0, 1); const seL4_Word ws[] = {0, 2, 0}; want_words(got, seL4_FailedLookup, 3, ws); }
    }
    /* row 49: Untyped_Retype into an unresolvable CNode index [untyped decode 9] */
    {
        { seL4_Error got = seL4_Untyped_Retype(ut16, seL4_EndpointObject, 0, CN, BAD, 64, 0, 1); const seL4_Word ws[] = {0, 4, 64, 0, GUARD}; want_words(got, seL4_FailedLookup, 5, ws); }
    }
    /* row 50: Untyped_Retype offset past the CNode [untyped decode 11] */
    {
        { seL4_Error got = seL4_Untyped_Retype(ut16, seL4_EndpointObject, 0, CN, 0, 0, slots, 1); const seL4_Word ws[] = {0, slots - 1}; want_words(got, seL4_RangeError, 2, ws); }
    }
    /* row 51: Untyped_Retype count 0 [untyped decode 12] */
    {
        { seL4_Error got = seL4_Untyped_Retype(ut16, seL4_EndpointObject, 0, CN, 0, 0, free_base, 0); const seL4_Word ws[] = {1, 256}; want_words(got, seL4_RangeError, 2, ws); }
    }
    /* row 52: Untyped_Retype count 257 [untyped decode 12] */
    {
        { seL4_Error got = seL4_Untyped_Retype(ut16, seL4_EndpointObject, 0, CN, 0, 0, free_base, 257); const seL4_Word ws[] = {1, 256}; want_words(got, seL4_RangeError, 2, ws); }
    }
    /* row 53: Untyped_Retype window past the CNode's end [untyped decode 13] */
    {
        { seL4_Error got = seL4_Untyped_Retype(ut16, seL4_EndpointObject, 0, CN, 0, 0, slots - 4, 10); const seL4_Word ws[] = {1, 4}; want_words(got, seL4_RangeError, 2, ws); }
    }
    /* row 54: Untyped_Retype into an occupied slot [untyped decode 14] */
    {
        { seL4_Error got = seL4_Untyped_Retype(ut16, seL4_EndpointObject, 0, CN, 0, 0, ep, 2); const seL4_Word ws[] = {0}; want_words(got, seL4_DeleteFirst, 0, ws); }
    }
    /* row 55: Untyped_Retype larger than the untyped [untyped decode 16] */
    {
        { seL4_Error got = seL4_Untyped_Retype(ut16, seL4_CapTableObject, 12, CN, 0, 0, free_base, 1); const seL4_Word ws[] = {65536}; want_words(got, seL4_NotEnoughMemory, 1, ws); }
    }
    /* row 56: TCB_ReadRegisters count 0 [TCB decode 3.1] */
    {
        { seL4_Error got = seL4_TCB_ReadRegisters(target, 0, 0, 0, &ctx); const seL4_Word ws[] = {1, 20}; want_words(got, seL4_RangeError, 2, ws); }
    }
    /* row 57: TCB_ReadRegisters count 21 [TCB decode 3.1] */
    {
        { seL4_Error got = seL4_TCB_ReadRegisters(target, 0, 0, 21, &ctx); const seL4_Word ws[] = {1, 20}; want_words(got, seL4_RangeError, 2, ws); }
    }
    /* row 58: TCB_ReadRegisters of the caller itself [TCB decode 3.16] */
    {
        { seL4_Error got = seL4_TCB_ReadRegisters(seL4_CapInitThreadTCB, 0, 0, 4, &ctx); const seL4_Word ws[] = {0}; want_words(got, seL4_IllegalOperation, 0, ws); }
    }
    /* row 59: TCB_WriteRegisters of the caller itself [TCB decode 3.16] */
    {
        { seL4_Error got = seL4_TCB_WriteRegisters(seL4_CapInitThreadTCB, 0, 0, 1, &ctx); const seL4_Word ws[] = {0}; want_words(got, seL4_IllegalOperation, 0, ws); }
    }
    /* row 60: TCB_WriteRegisters count larger than the message [TCB decode 3.2] */
    {
        w[0] = 0;
        w[1] = 3;
        w[2] = 1;
        w[3] = 2;
        rawcall(target, TCBWriteRegisters, 4, 0, 0);
        { const seL4_Word ws[] = {0}; want_raw(seL4_TruncatedMessage, 0, ws); }
    }
    /* row 61: TCB_CopyRegisters from a non-TCB [TCB decode 3.3] */
    {
        { seL4_Error got = seL4_TCB_CopyRegisters(target, ep, 0, 0, 1, 1, 0); const seL4_Word ws[] = {1}; want_words(got, seL4_InvalidCapability, 1, ws); }
    }
    /* row 62: TCB_Configure with a misaligned IPC buffer [IPCBUF-3] */
    {
        { seL4_Error got = seL4_TCB_Configure(target, 0, CN, 0, seL4_CapInitThreadVSpace, 0, frame_paddr + 4, frame); const seL4_Word ws[] = {0}; want_words(got, seL4_AlignmentError, 0, ws); }
    }
    /* row 63: TCB_Configure with an endpoint as buffer frame [IPCBUF-3] */
    {
        { seL4_Error got = seL4_TCB_Configure(target, 0, CN, 0, seL4_CapInitThreadVSpace, 0, frame_paddr, ep); const seL4_Word ws[] = {0}; want_words(got, seL4_IllegalOperation, 0, ws); }
    }
    /* row 64: TCB_Configure with a CSpace root that is not a CNode [TCB decode 3.4] */
    {
        { seL4_Error got = seL4_TCB_Configure(target, 0, ep, 0, seL4_CapInitThreadVSpace, 0, 0, frame); const seL4_Word ws[] = {0}; want_words(got, seL4_IllegalOperation, 0, ws); }
    }
    /* row 65: TCB_Configure with 3 words [TCB decode 3.4] */
    {
        seL4_SetCap(1, seL4_CapInitThreadVSpace);
        seL4_SetCap(2, frame);
        rawcall(target, TCBConfigure, 3, 3, CN);
        { const seL4_Word ws[] = {0}; want_raw(seL4_TruncatedMessage, 0, ws); }
    }
    /* row 66: TCB_SetPriority 256 [SCHED-1] */
    {
        { seL4_Error got = seL4_TCB_SetPriority(target, seL4_CapInitThreadTCB, 256); const seL4_Word ws[] = {0, 255}; want_words(got, seL4_RangeError, 2, ws); }
    }
    /* row 67: TCB_SetPriority above the authority's MCP 0 [SCHED-1] */
    {
        { seL4_Error got = seL4_TCB_SetPriority(target, target, 1); const seL4_Word ws[] = {0, 0}; want_words(got, seL4_RangeError, 2, ws); }
    }
    /* row 68: TCB_SetPriority with a non-TCB authority [TCB decode 3.5] */
    {
        { seL4_Error got = seL4_TCB_SetPriority(target, ep, 10); const seL4_Word ws[] = {1}; want_words(got, seL4_InvalidCapability, 1, ws); }
    }
    /* row 69: TCB_SetPriority without the authority cap [TCB decode 3.5] */
    {
        w[0] = 10;
        rawcall(target, TCBSetPriority, 1, 0, 0);
        { const seL4_Word ws[] = {0}; want_raw(seL4_TruncatedMessage, 0, ws); }
    }
    /* row 70: TCB_SetMCPriority 300 [SCHED-1] */
    {
        { seL4_Error got = seL4_TCB_SetMCPriority(target, seL4_CapInitThreadTCB, 300); const seL4_Word ws[] = {0, 255}; want_words(got, seL4_RangeError, 2, ws); }
    }
    /* row 71: TCB_SetSchedParams priority 256 [TCB decode 3.7] */
    {
        { seL4_Error got = seL4_TCB_SetSchedParams(target, seL4_CapInitThreadTCB, 255, 256); const seL4_Word ws[] = {0, 255}; want_words(got, seL4_RangeError, 2, ws); }
    }
    /* row 72: TCB_SetIPCBuffer misaligned [IPCBUF-3] */
    {
        { seL4_Error got = seL4_TCB_SetIPCBuffer(target, frame_paddr + 8, frame); const seL4_Word ws[] = {0}; want_words(got, seL4_AlignmentError, 0, ws); }
    }
    /* row 73: TCB_SetIPCBuffer with a notification as frame [IPCBUF-3] */
    {
        { seL4_Error got = seL4_TCB_SetIPCBuffer(target, frame_paddr, ntfn); const seL4_Word ws[] = {0}; want_words(got, seL4_IllegalOperation, 0, ws); }
    }
    /* row 74: TCB_SetSpace with a CSpace root that is not a CNode [TCB decode 3.9] */
    {
        { seL4_Error got = seL4_TCB_SetSpace(target, 0, ep, 0, seL4_CapInitThreadVSpace, 0); const seL4_Word ws[] = {0}; want_words(got, seL4_IllegalOperation, 0, ws); }
    }
    /* row 75: TCB_BindNotification with an endpoint [BIND-1] */
    {
        { seL4_Error got = seL4_TCB_BindNotification(target, ep); const seL4_Word ws[] = {0}; want_words(got, seL4_IllegalOperation, 0, ws); }
    }
    /* row 76: TCB_BindNotification without Read [BIND-1] */
    {
        { seL4_Error got = seL4_TCB_BindNotification(target, ntfn_w); const seL4_Word ws[] = {0}; want_words(got, seL4_IllegalOperation, 0, ws); }
    }
    /* row 77: TCB_BindNotification of a bound TCB [BIND-1] */
    {
        { seL4_Error got = seL4_TCB_BindNotification(bound, ntfn); const seL4_Word ws[] = {0}; want_words(got, seL4_IllegalOperation, 0, ws); }
    }
    /* row 78: TCB_BindNotification of a bound notification [BIND-1] */
    {
        { seL4_Error got = seL4_TCB_BindNotification(target, ntfn2); const seL4_Word ws[] = {0}; want_words(got, seL4_IllegalOperation, 0, ws); }
    }
    /* row 79: TCB_UnbindNotification with nothing bound [BIND-1] */
    {
        { seL4_Error got = seL4_TCB_UnbindNotification(target); const seL4_Word ws[] = {0}; want_words(got, seL4_IllegalOperation, 0, ws); }
    }
    /* row 80: TCB_SetTLSBase with no words [TCB decode 3.13] */
    {
        rawcall(target, TCBSetTLSBase, 0, 0, 0);
        { const seL4_Word ws[] = {0}; want_raw(seL4_TruncatedMessage, 0, ws); }
    }
    /* row 81: TCB with label 9999 [TCB decode 3] */
    {
        rawcall(target, 9999, 0, 0, 0);
        { const seL4_Word ws[] = {0}; want_raw(seL4_IllegalOperation, 0, ws); }
    }

    if (failed) {
        printf("bad_input_table FAIL (%d rows)\n", failed);
        return 1;
    }
    printf("bad_input_table PASS\n");
    return 0;
}
