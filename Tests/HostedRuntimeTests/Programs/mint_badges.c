/* mint_badges: badging endpoint caps with seL4_CNode_Mint, and what Mint, Copy, Mutate and Revoke
 * do with badges and rights.
 * Clauses: CNODE-3 (Mint badges an unbadged cap; rights are ANDed; Mint from a badged cap fails
 *          with seL4_IllegalOperation even with badge 0), CNODE-4 (Copy keeps the badge),
 *          CNODE-6 (Mutate of an endpoint or notification cap -> seL4_IllegalOperation), CNODE-9
 *          (Revoke of the unbadged original deletes the badged children), SEND-4, SEND-5 (Call
 *          through a cap without Write -> label seL4_InvalidCapability, length 1, MR0 0), SYS-3,
 *          CALL-1 (a cap with Write + GrantReply suffices for Call), PIT-3, TUT-9 (a).
 * An echo server (priority 100) replies with the badge it received in MR0.
 *
 * EXPECTED-STDOUT-BEGIN
 * root: call via minted badge 5 -> server saw badge 5
 * root: mint from badged cap (badge 6) -> 3
 * root: mint from badged cap (badge 0) -> 3
 * root: copy of badged cap -> server saw badge 5
 * root: mutate unbadged ep cap -> 3
 * root: mutate badged ep cap -> 3
 * root: mutate notification cap -> 3
 * root: call via read-only minted cap -> label=2 len=1 mr0=0
 * root: call via cap minted AllRights from read-only -> label=2 len=1 mr0=0
 * root: call via unbadged cap -> server saw badge 0
 * root: revoke original -> 0
 * root: call via revoked badged cap -> label=2 len=1 mr0=0
 * mint_badges PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char stack_s[65536] __attribute__((aligned(16)));

static void echo_server(seL4_Word ep, seL4_Word unused)
{
    (void)unused;
    seL4_Word badge = 0;
    seL4_Recv(ep, &badge);
    for (;;) {
        seL4_SetMR(0, badge);
        seL4_ReplyRecv(ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge);
    }
}

static seL4_Word call_badge(seL4_CPtr cap)
{
    seL4_SetMR(0, 0xffff);
    seL4_MessageInfo_t r = seL4_Call(cap, seL4_MessageInfo_new(1, 0, 0, 0));
    CHECK(seL4_MessageInfo_get_label(r) == 0);
    return seL4_GetMR(0);
}

static void call_expect_invalid(const char *what, seL4_CPtr cap)
{
    seL4_SetMR(0, 0xffff);
    seL4_MessageInfo_t r = seL4_Call(cap, seL4_MessageInfo_new(1, 0, 0, 0));
    printf("root: call via %s -> label=%lu len=%lu mr0=%lu\n", what, (unsigned long)seL4_MessageInfo_get_label(r),
           (unsigned long)seL4_MessageInfo_get_length(r), (unsigned long)seL4_GetMR(0));
    CHECK(seL4_MessageInfo_get_label(r) == seL4_InvalidCapability && seL4_MessageInfo_get_length(r) == 1 &&
          seL4_GetMR(0) == 0);
}

static seL4_Error mint_err(seL4_CPtr dest, seL4_CPtr src, seL4_CapRights_t rights, seL4_Word badge)
{
    return seL4_CNode_Mint(seL4_CapInitThreadCNode, dest, seL4_WordBits, seL4_CapInitThreadCNode, src,
                           seL4_WordBits, rights, badge);
}

int main(void)
{
    boot();
    seL4_CPtr ep = make(seL4_EndpointObject);
    seL4_CPtr n = make(seL4_NotificationObject);
    start_thread("echo", echo_server, stack_s + sizeof stack_s, 100, 0, ep, 0);
    seL4_Error err;
    seL4_Word b;

    seL4_CPtr ep5 = mint(ep, seL4_CapRights_new(1, 0, 0, 1), 5); /* GrantReply + Write */
    b = call_badge(ep5);
    printf("root: call via minted badge 5 -> server saw badge %lu\n", (unsigned long)b);
    CHECK(b == 5);

    seL4_CPtr dest = free_slot++;
    err = mint_err(dest, ep5, seL4_AllRights, 6);
    printf("root: mint from badged cap (badge 6) -> %d\n", (int)err);
    CHECK(err == seL4_IllegalOperation);
    err = mint_err(dest, ep5, seL4_AllRights, 0);
    printf("root: mint from badged cap (badge 0) -> %d\n", (int)err);
    CHECK(err == seL4_IllegalOperation);

    err = seL4_CNode_Copy(seL4_CapInitThreadCNode, dest, seL4_WordBits, seL4_CapInitThreadCNode, ep5, seL4_WordBits,
                          seL4_AllRights);
    CHECK(err == seL4_NoError);
    b = call_badge(dest);
    printf("root: copy of badged cap -> server saw badge %lu\n", (unsigned long)b);
    CHECK(b == 5);

    seL4_CPtr dest2 = free_slot++;
    err = seL4_CNode_Mutate(seL4_CapInitThreadCNode, dest2, seL4_WordBits, seL4_CapInitThreadCNode, ep,
                            seL4_WordBits, 9);
    printf("root: mutate unbadged ep cap -> %d\n", (int)err);
    CHECK(err == seL4_IllegalOperation);
    err = seL4_CNode_Mutate(seL4_CapInitThreadCNode, dest2, seL4_WordBits, seL4_CapInitThreadCNode, ep5,
                            seL4_WordBits, 0);
    printf("root: mutate badged ep cap -> %d\n", (int)err);
    CHECK(err == seL4_IllegalOperation);
    err = seL4_CNode_Mutate(seL4_CapInitThreadCNode, dest2, seL4_WordBits, seL4_CapInitThreadCNode, n,
                            seL4_WordBits, 3);
    printf("root: mutate notification cap -> %d\n", (int)err);
    CHECK(err == seL4_IllegalOperation);

    seL4_CPtr ep_r = mint(ep, seL4_CanRead, 0x8);
    call_expect_invalid("read-only minted cap", ep_r);
    seL4_CPtr ep_r0 = mint(ep, seL4_CanRead, 0);    /* unbadged, read only */
    seL4_CPtr ep_x = mint(ep_r0, seL4_AllRights, 12); /* rights are ANDed: still read only */
    call_expect_invalid("cap minted AllRights from read-only", ep_x);

    b = call_badge(ep);
    printf("root: call via unbadged cap -> server saw badge %lu\n", (unsigned long)b);
    CHECK(b == 0);

    err = seL4_CNode_Revoke(seL4_CapInitThreadCNode, ep, seL4_WordBits);
    printf("root: revoke original -> %d\n", (int)err);
    CHECK(err == seL4_NoError);
    call_expect_invalid("revoked badged cap", ep5);
    return finish("mint_badges");
}
