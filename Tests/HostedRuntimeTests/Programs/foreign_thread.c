/* foreign_thread: a host thread the program made with pthread_create calls seL4_Yield. It is not
 * a SwiftL4 thread (no TCB, the kernel does not schedule it), so the call is refused before the
 * kernel reads it: the report names the call and the reason, the kernel's state is untouched,
 * and the run stops with status 88 (issue 15, item 6; docs/libsel4.md, "Trust model").
 * The root's own calls before it work as usual.
 *
 * EXPECTED-STDOUT-BEGIN
 * root: an endpoint retyped before the host thread runs
 * host thread: calling seL4_Yield
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 88
 * EXPECTED-STDERR-CONTAINS: swiftl4: refused seL4_SysYield from host thread 0x
 * EXPECTED-STDERR-CONTAINS: which is not a SwiftL4 thread
 * EXPECTED-STDERR-CONTAINS: the kernel's state is untouched and the run stops
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <pthread.h>

#include "suite.h"

static void *host_thread(void *unused)
{
    (void)unused;
    printf("host thread: calling seL4_Yield\n");
    fflush(stdout);
    seL4_Yield();
    printf("host thread: FAILED: seL4_Yield returned\n");
    return NULL;
}

int main(void)
{
    boot();
    make(seL4_EndpointObject);
    printf("root: an endpoint retyped before the host thread runs\n");
    fflush(stdout);
    pthread_t thread;
    pthread_create(&thread, NULL, host_thread, NULL);
    pthread_join(thread, NULL);
    printf("root: FAILED: the host thread's call was not refused\n");
    return 1;
}
