/* The bare-metal IPC measurement: a server and a client in two address spaces exchange
 * Call/ReplyRecv round trips of `words` words on one endpoint. The client counts retired
 * instructions (QEMU -icount makes the count exact) over `count` round trips after a warm-up,
 * then reports through a Send on the result endpoint that nobody receives: it blocks there
 * with the figures in its message registers, where the platform reads them.
 * Argument: role (bits 0-7: 0 server, 1 client), words (8-15), count (16-). */
#include "slots.h"

int main(void)
{
    seL4_Word role = swl4_argument & 0xff, words = (swl4_argument >> 8) & 0xff, count = swl4_argument >> 16;
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
