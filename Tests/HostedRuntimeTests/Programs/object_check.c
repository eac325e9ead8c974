/* object_check: with `--check-objects` every kernel object is checked at each system call. The
 * root task first uses an endpoint soundly (a helper blocks receiving on it, the root sends it a
 * word and the helper waits again), then overwrites the endpoint's state bits with a value no endpoint has, and makes an
 * unrelated call (seL4_Yield). The check at that call's entry finds the damage before the
 * kernel runs: the run stops with status 89, naming the endpoint and the last thread to run
 * (issue 15, trust model). Without the flag the damage would go unnoticed until the kernel
 * used the endpoint.
 *
 * RUN-ARGS: --check-objects
 * EXPECTED-STDOUT-BEGIN
 * receiver: got 42
 * root: the receiver waits on the endpoint again: state 2
 * root: overwriting its state, then yielding
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 89
 * EXPECTED-STDERR-CONTAINS: (endpoint) corrupted by user code (last thread to run: 'rootserver'): object state is none of idle, send/waiting, receive/active
 */
#include "suite.h"

static char stack_r[65536] __attribute__((aligned(16)));
static seL4_CPtr ep;

static void receiver(seL4_Word a, seL4_Word b)
{
    (void)a;
    (void)b;
    seL4_Recv(ep, NULL);
    printf("receiver: got %lu\n", (unsigned long)seL4_GetMR(0));
    fflush(stdout);
    for (;;) seL4_Recv(ep, NULL);
}

int main(void)
{
    boot();
    seL4_CPtr frame = make(seL4_X86_4K);
    ep = make(seL4_EndpointObject);
    seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_Word frame_address = seL4_X86_Page_GetAddress(frame).paddr;
    assert(frame_address == bi->untypedList[ut - bi->untyped.start].paddr);
    volatile seL4_Word *endpoint = (volatile seL4_Word *)(frame_address + 4096);
    start_thread("receiver", receiver, stack_r + sizeof stack_r, 255, 0, 0, 0);
    seL4_SetMR(0, 42);
    seL4_Send(ep, seL4_MessageInfo_new(0, 0, 0, 1));
    seL4_Yield();
    printf("root: the receiver waits on the endpoint again: state %lu\n", (unsigned long)(endpoint[1] & 3));
    printf("root: overwriting its state, then yielding\n");
    fflush(stdout);
    endpoint[1] |= 3;
    seL4_Yield();
    printf("root: the yield returned (unexpected)\n");
    return 1;
}
