/* cap_transfer: capability transfer in messages and replies, with and without Grant.
 * Clauses: XFER-3 (caps only with the sending cap's Grant, else extraCaps 0), XFER-4 (receive
 *          slot from seL4_SetCapReceivePath; occupied slot -> no cap, message still delivered),
 *          XFER-5, XFER-6, XFER-7 (the received cap keeps the sender's badge), MSG-5, REPLY-2
 *          (a reply can carry caps only if the replier's endpoint cap used for Recv had Grant),
 *          REPLY-4, TUT-3, CNODE-1 (source slot empty -> seL4_FailedLookup).
 * The receiver (priority 200) shares the root's CSpace; the root runs at 50. The transferred cap
 * is a notification cap with badge 0x42; the receiver signals through its received copy and the
 * root polls the notification.
 *
 * EXPECTED-STDOUT-BEGIN
 * receiver: label=1 extraCaps=1 capsUnwrapped=0 mr0=0x11
 * receiver: signalled through the received cap
 * root: poll -> 0x42
 * receiver: label=2 extraCaps=0 mr0=0x22
 * receiver: move from the receive slot -> 6
 * receiver: label=3 extraCaps=0 mr0=0x33 (slot occupied)
 * root: got call label=4
 * receiver: reply label=5 extraCaps=1
 * root: poll -> 0x42
 * root: got call label=6
 * receiver: reply label=7 extraCaps=0
 * receiver: move from the receive slot -> 6
 * cap_transfer PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char stack_r[65536] __attribute__((aligned(16)));
static seL4_CPtr ep, slot1, slot2, slot3, slot4, scratch;
static int receiver_done;

static void print_recv(const char *who, seL4_MessageInfo_t m, const char *extra)
{
    printf("%s: label=%lu extraCaps=%lu", who, (unsigned long)seL4_MessageInfo_get_label(m),
           (unsigned long)seL4_MessageInfo_get_extraCaps(m));
    if (seL4_MessageInfo_get_label(m) == 1) {
        printf(" capsUnwrapped=%lu", (unsigned long)seL4_MessageInfo_get_capsUnwrapped(m));
    }
    printf(" mr0=0x%lx%s\n", (unsigned long)seL4_GetMR(0), extra);
}

static void receiver(seL4_Word unused0, seL4_Word unused1)
{
    (void)unused0;
    (void)unused1;
    seL4_Error err;
    /* 1: with Grant, into an empty slot */
    seL4_SetCapReceivePath(seL4_CapInitThreadCNode, slot1, seL4_WordBits);
    seL4_MessageInfo_t m = seL4_Recv(ep, seL4_Null);
    print_recv("receiver", m, "");
    CHECK(seL4_MessageInfo_get_extraCaps(m) == 1 && seL4_MessageInfo_get_capsUnwrapped(m) == 0);
    seL4_Signal(slot1);
    printf("receiver: signalled through the received cap\n");

    /* 2: the sending cap has no Grant */
    seL4_SetCapReceivePath(seL4_CapInitThreadCNode, slot2, seL4_WordBits);
    m = seL4_Recv(ep, seL4_Null);
    print_recv("receiver", m, "");
    CHECK(seL4_MessageInfo_get_label(m) == 2 && seL4_MessageInfo_get_extraCaps(m) == 0);
    err = seL4_CNode_Move(seL4_CapInitThreadCNode, scratch, seL4_WordBits, seL4_CapInitThreadCNode, slot2,
                          seL4_WordBits);
    printf("receiver: move from the receive slot -> %d\n", (int)err);
    CHECK(err == seL4_FailedLookup);

    /* 3: the receive slot is occupied */
    seL4_SetCapReceivePath(seL4_CapInitThreadCNode, slot1, seL4_WordBits);
    m = seL4_Recv(ep, seL4_Null);
    print_recv("receiver", m, " (slot occupied)");
    CHECK(seL4_MessageInfo_get_label(m) == 3 && seL4_MessageInfo_get_extraCaps(m) == 0 && seL4_GetMR(0) == 0x33);

    /* 4: a cap in a reply; the root received with a Grant cap */
    seL4_SetCapReceivePath(seL4_CapInitThreadCNode, slot3, seL4_WordBits);
    m = seL4_Call(ep, seL4_MessageInfo_new(4, 0, 0, 0));
    printf("receiver: reply label=%lu extraCaps=%lu\n", (unsigned long)seL4_MessageInfo_get_label(m),
           (unsigned long)seL4_MessageInfo_get_extraCaps(m));
    CHECK(seL4_MessageInfo_get_label(m) == 5 && seL4_MessageInfo_get_extraCaps(m) == 1);
    seL4_Signal(slot3);

    /* 5: the root received with a cap lacking Grant: the reply carries no cap */
    seL4_SetCapReceivePath(seL4_CapInitThreadCNode, slot4, seL4_WordBits);
    m = seL4_Call(ep, seL4_MessageInfo_new(6, 0, 0, 0));
    printf("receiver: reply label=%lu extraCaps=%lu\n", (unsigned long)seL4_MessageInfo_get_label(m),
           (unsigned long)seL4_MessageInfo_get_extraCaps(m));
    CHECK(seL4_MessageInfo_get_label(m) == 7 && seL4_MessageInfo_get_extraCaps(m) == 0);
    err = seL4_CNode_Move(seL4_CapInitThreadCNode, scratch, seL4_WordBits, seL4_CapInitThreadCNode, slot4,
                          seL4_WordBits);
    printf("receiver: move from the receive slot -> %d\n", (int)err);
    CHECK(err == seL4_FailedLookup);
    receiver_done = 1;
}

static void send_with_cap(seL4_CPtr cap, seL4_Word label, seL4_CPtr extra)
{
    seL4_SetMR(0, 0x11 * label);
    seL4_SetCap(0, extra);
    seL4_Send(cap, seL4_MessageInfo_new(label, 0, 1, 1));
}

int main(void)
{
    boot();
    ep = make(seL4_EndpointObject);
    seL4_CPtr ep_nogrant = mint(ep, seL4_ReadWrite, 0);
    seL4_CPtr ep_ro = mint(ep, seL4_CanRead, 0);
    seL4_CPtr n = make(seL4_NotificationObject);
    seL4_CPtr n42 = mint(n, seL4_CanWrite, 0x42);
    slot1 = free_slot++;
    slot2 = free_slot++;
    slot3 = free_slot++;
    slot4 = free_slot++;
    scratch = free_slot++;
    seL4_Word badge;
    CHECK(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50) == seL4_NoError);
    start_thread("receiver", receiver, stack_r + sizeof stack_r, 200, 0, 0, 0);

    send_with_cap(ep, 1, n42);
    badge = 0;
    seL4_Poll(n, &badge);
    printf("root: poll -> 0x%lx\n", (unsigned long)badge);
    CHECK(badge == 0x42);

    send_with_cap(ep_nogrant, 2, n42);
    send_with_cap(ep, 3, n42);

    seL4_MessageInfo_t m = seL4_Recv(ep, &badge);
    printf("root: got call label=%lu\n", (unsigned long)seL4_MessageInfo_get_label(m));
    seL4_SetCap(0, n42);
    seL4_Reply(seL4_MessageInfo_new(5, 0, 1, 0));
    badge = 0;
    seL4_Poll(n, &badge);
    printf("root: poll -> 0x%lx\n", (unsigned long)badge);
    CHECK(badge == 0x42);

    m = seL4_Recv(ep_ro, &badge);
    printf("root: got call label=%lu\n", (unsigned long)seL4_MessageInfo_get_label(m));
    seL4_SetCap(0, n42);
    seL4_Reply(seL4_MessageInfo_new(7, 0, 1, 0));
    CHECK(receiver_done);
    return finish("cap_transfer");
}
