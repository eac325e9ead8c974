/* long_message: messages longer than the four register MRs travel through the IPC buffers;
 * length 127 is clamped to 120; a receiver without an IPC buffer gets at most 4 words.
 * Clauses: MSG-2, MSG-3 (length field 121..127 -> 120), XFER-2, XFER-8 (receiver without a buffer:
 *          length min(n, 4)), RECV-7, IPCBUF-1, ABI-4.
 * Receivers run at 200, the root at 50. r2 is configured with no IPC buffer (buffer address 0,
 * no frame) and uses only seL4_RecvWithMRs, which does not touch the IPC buffer.
 *
 * EXPECTED-STDOUT-BEGIN
 * r1: label=1 len=120 words ok=1
 * r1: label=2 len=120 words ok=1 (sent with length 127)
 * r1: label=3 len=6 mr5=0x1005 mr6 untouched=1
 * r2: label=4 len=4 mr0=0x1000 mr3=0x1003
 * long_message PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "suite.h"

static char stack1[65536] __attribute__((aligned(16)));
static char stack2[65536] __attribute__((aligned(16)));
static int done;

static int words_ok(seL4_Word n)
{
    for (seL4_Word i = 0; i < n; i++) {
        if (seL4_GetMR(i) != 0x1000 + i) {
            printf("r1: MR%lu = 0x%lx\n", (unsigned long)i, (unsigned long)seL4_GetMR(i));
            return 0;
        }
    }
    return 1;
}

static void r1(seL4_Word ep, seL4_Word unused)
{
    (void)unused;
    seL4_MessageInfo_t m = seL4_Recv(ep, seL4_Null);
    int ok = words_ok(120);
    printf("r1: label=%lu len=%lu words ok=%d\n", (unsigned long)seL4_MessageInfo_get_label(m),
           (unsigned long)seL4_MessageInfo_get_length(m), ok);
    CHECK(seL4_MessageInfo_get_length(m) == 120 && ok);

    for (int i = 0; i < seL4_MsgMaxLength; i++) {
        seL4_SetMR(i, 0);
    }
    m = seL4_Recv(ep, seL4_Null);
    ok = words_ok(120);
    printf("r1: label=%lu len=%lu words ok=%d (sent with length 127)\n", (unsigned long)seL4_MessageInfo_get_label(m),
           (unsigned long)seL4_MessageInfo_get_length(m), ok);
    CHECK(seL4_MessageInfo_get_length(m) == 120 && ok);

    seL4_SetMR(6, 0x5a5a);
    m = seL4_Recv(ep, seL4_Null);
    printf("r1: label=%lu len=%lu mr5=0x%lx mr6 untouched=%d\n", (unsigned long)seL4_MessageInfo_get_label(m),
           (unsigned long)seL4_MessageInfo_get_length(m), (unsigned long)seL4_GetMR(5), seL4_GetMR(6) == 0x5a5a);
    CHECK(seL4_MessageInfo_get_length(m) == 6 && seL4_GetMR(5) == 0x1005 && seL4_GetMR(6) == 0x5a5a);
    done++;
}

static void r2(seL4_Word ep, seL4_Word unused)
{
    (void)unused;
    seL4_Word mr0 = 0, mr1 = 0, mr2 = 0, mr3 = 0;
    seL4_MessageInfo_t m = seL4_RecvWithMRs(ep, seL4_Null, &mr0, &mr1, &mr2, &mr3);
    printf("r2: label=%lu len=%lu mr0=0x%lx mr3=0x%lx\n", (unsigned long)seL4_MessageInfo_get_label(m),
           (unsigned long)seL4_MessageInfo_get_length(m), (unsigned long)mr0, (unsigned long)mr3);
    CHECK(seL4_MessageInfo_get_length(m) == 4 && mr0 == 0x1000 && mr3 == 0x1003);
    done++;
}

int main(void)
{
    boot();
    seL4_CPtr ep = make(seL4_EndpointObject);
    seL4_CPtr ep2 = make(seL4_EndpointObject);
    CHECK(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 50) == seL4_NoError);
    start_thread("r1", r1, stack1 + sizeof stack1, 200, 0, ep, 0);

    for (int i = 0; i < seL4_MsgMaxLength; i++) {
        seL4_SetMR(i, 0x1000 + i);
    }
    seL4_Send(ep, seL4_MessageInfo_new(1, 0, 0, 120));
    seL4_Send(ep, seL4_MessageInfo_new(2, 0, 0, 127));
    seL4_Send(ep, seL4_MessageInfo_new(3, 0, 0, 6));

    /* r2: no IPC buffer at all */
    seL4_CPtr tcb = make(seL4_TCBObject);
    CHECK(seL4_TCB_Configure(tcb, 0, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0, 0, seL4_CapNull) ==
          seL4_NoError);
    CHECK(seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, 200) == seL4_NoError);
    seL4_DebugNameThread(tcb, "r2");
    seL4_UserContext ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.rip = (seL4_Word)r2;
    ctx.rsp = (seL4_Word)(stack2 + sizeof stack2);
    ctx.rdi = ep2;
    CHECK(seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof(ctx) / sizeof(seL4_Word), &ctx) == seL4_NoError);
    for (int i = 0; i < seL4_MsgMaxLength; i++) {
        seL4_SetMR(i, 0x1000 + i);
    }
    seL4_Send(ep2, seL4_MessageInfo_new(4, 0, 0, 10));
    CHECK(done == 2);
    return finish("long_message");
}
