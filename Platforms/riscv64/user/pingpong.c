/* The bare-metal IPC measurement: a server and a client in two address spaces exchange
 * Call/ReplyRecv round trips of `words` words on one endpoint. The client counts retired
 * instructions (QEMU -icount makes the count exact) over `count` round trips after a warm-up,
 * then reports through a Send on the result endpoint that nobody receives: it blocks there
 * with the figures in its message registers, where the platform reads them.
 *
 * Roles 2 and 3 count one way, as sel4bench's IPC benchmark does: the client reads the counter
 * just before seL4_Call and the server just after its seL4_ReplyRecv returns with the message
 * (the Call's cost), then the server just before seL4_ReplyRecv and the client just after its
 * seL4_Call returns (the ReplyRecv's). The two address spaces share no memory, so each side sums
 * its own readings and the server hands its sums over in one exchange after the timed ones;
 * the differences of the sums are the totals, and the message of each timed exchange is the
 * same as the round trip's.
 * Argument: role (bits 0-7: 0 server, 1 client, 2 one-way server, 3 one-way client, 4 and 5
 * the same in registers only), words
 * (8-15), count (16-). */
#include "slots.h"

enum { LABEL_WARM_UP = 1, LABEL_TIMED = 3, LABEL_REPORT = 4 };

/* Roles 4 and 5 count one way too, exactly as sel4bench's IPC benchmark measures seL4: the
 * message in registers only (seL4_CallWithMRs / seL4_ReplyRecvWithMRs with no MR pointers, the
 * kernel's registers only, as sel4bench's DO_CALL / DO_REPLY_RECV macros), `words` 0, and the
 * overhead of a counter read (the least of 16 back-to-back pairs) subtracted, which sel4bench
 * also does. `registers_only` is a constant at each call, so each role is its own loop. */
static inline __attribute__((always_inline)) void one_way_server_loop(seL4_Word words, int registers_only)
{
    seL4_Word badge, received_sum = 0, reply_start_sum = 0;
    seL4_MessageInfo_t info = seL4_Recv(SLOT_ENDPOINT, &badge);
    for (;;) {
        seL4_Word received = instructions_retired();
        seL4_Word label = seL4_MessageInfo_get_label(info);
        seL4_MessageInfo_t reply = seL4_MessageInfo_new(0, 0, 0, words);
        if (label == LABEL_REPORT) {
            seL4_SetMR(0, received_sum);
            seL4_SetMR(1, reply_start_sum);
            info = seL4_ReplyRecv(SLOT_ENDPOINT, seL4_MessageInfo_new(0, 0, 0, 2), &badge);
            continue;
        }
        if (!registers_only) seL4_SetMR(0, seL4_GetMR(0) + 1);
        if (label == LABEL_TIMED) {
            received_sum += received;
            reply_start_sum += instructions_retired();
        }
        info = registers_only ? seL4_ReplyRecvWithMRs(SLOT_ENDPOINT, reply, &badge, seL4_Null, seL4_Null, seL4_Null, seL4_Null)
                              : seL4_ReplyRecv(SLOT_ENDPOINT, reply, &badge);
    }
}

static inline __attribute__((always_inline)) void one_way_client_loop(seL4_Word words, seL4_Word count, int registers_only)
{
    seL4_Word errors = 0, call_start_sum = 0, reply_end_sum = 0, overhead = ~0ul;
    if (registers_only) {
        for (int i = 0; i < 16; i++) {
            seL4_Word a = instructions_retired(), b = instructions_retired();
            if (b - a < overhead) overhead = b - a;
        }
    } else {
        overhead = 0;
    }
    for (seL4_Word i = 0; i < count + 100; i++) {
        if (!registers_only) seL4_SetMR(0, i);
        seL4_MessageInfo_t info = seL4_MessageInfo_new(i < 100 ? LABEL_WARM_UP : LABEL_TIMED, 0, 0, words);
        seL4_Word start = instructions_retired();
        seL4_MessageInfo_t reply = registers_only
            ? seL4_CallWithMRs(SLOT_ENDPOINT, info, seL4_Null, seL4_Null, seL4_Null, seL4_Null)
            : seL4_Call(SLOT_ENDPOINT, info);
        seL4_Word end = instructions_retired();
        if (i >= 100) {
            call_start_sum += start;
            reply_end_sum += end;
        }
        if ((!registers_only && seL4_GetMR(0) != i + 1) || seL4_MessageInfo_get_length(reply) != words) errors++;
    }
    seL4_MessageInfo_t sums = seL4_Call(SLOT_ENDPOINT, seL4_MessageInfo_new(LABEL_REPORT, 0, 0, 0));
    if (seL4_MessageInfo_get_length(sums) != 2) errors++;
    seL4_Word received_sum = seL4_GetMR(0), reply_start_sum = seL4_GetMR(1);
    seL4_SetMR(0, received_sum - call_start_sum - count * overhead);
    seL4_SetMR(1, count);
    seL4_SetMR(2, errors);
    seL4_SetMR(3, reply_end_sum - reply_start_sum - count * overhead);
    /* The overhead subtracted travels as the report's label (MR0-MR3 are the platform's). */
    seL4_Send(SLOT_RESULT, seL4_MessageInfo_new(overhead, 0, 0, 4));
}

static void one_way_server(seL4_Word words) { one_way_server_loop(words, 0); }
static void one_way_client(seL4_Word words, seL4_Word count) { one_way_client_loop(words, count, 0); }
static void registers_server(seL4_Word words) { one_way_server_loop(words, 1); }
static void registers_client(seL4_Word words, seL4_Word count) { one_way_client_loop(words, count, 1); }

int main(void)
{
    seL4_Word role = swl4_argument & 0xff, words = (swl4_argument >> 8) & 0xff, count = swl4_argument >> 16;
    if (role == 2) one_way_server(words);
    if (role == 3) one_way_client(words, count);
    if (role == 4) registers_server(words);
    if (role == 5) registers_client(words, count);
    if (role == 0) {
        seL4_Word badge;
        seL4_MessageInfo_t info = seL4_Recv(SLOT_ENDPOINT, &badge);
        for (;;) {
            seL4_SetMR(0, seL4_GetMR(0) + 1);
            info = seL4_ReplyRecv(SLOT_ENDPOINT, seL4_MessageInfo_new(0, 0, 0, words), &badge);
        }
    }
    seL4_Word errors = 0, start = 0;
    for (seL4_Word i = 0; i < count + 100; i++) {
        if (i == 100) start = instructions_retired();
        seL4_SetMR(0, i);
        seL4_MessageInfo_t reply = seL4_Call(SLOT_ENDPOINT, seL4_MessageInfo_new(1, 0, 0, words));
        if (seL4_GetMR(0) != i + 1 || seL4_MessageInfo_get_length(reply) != words) errors++;
    }
    report_measurement(start, count, errors);
    return 0;
}
