/* host_thread_crash: a host thread the program made with pthread_create dereferences NULL. No
 * seL4 thread executed that instruction, so no seL4 thread is charged with a fault: the report
 * names the host thread and the function, and the process ends as it would without SwiftL4,
 * 128 + SIGSEGV (issue 15, items 1 and 6; docs/libsel4.md, "Trust model").
 *
 * EXPECTED-STDOUT-BEGIN
 * host thread: dereferencing NULL
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 139
 * EXPECTED-STDERR-CONTAINS: swiftl4: host thread 0x
 * EXPECTED-STDERR-CONTAINS: which is not a SwiftL4 thread (pthread_create made it), crashed: segmentation fault at address 0x0 at pc 0x
 * EXPECTED-STDERR-CONTAINS: no seL4 thread ran that code, so none takes the fault, and the run stops
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <pthread.h>

#include "suite.h"

static int *volatile nowhere;

static void *host_thread(void *unused)
{
    (void)unused;
    printf("host thread: dereferencing NULL\n");
    fflush(stdout);
    return (void *)(long)*nowhere;
}

int main(void)
{
    boot();
    pthread_t thread;
    pthread_create(&thread, NULL, host_thread, NULL);
    pthread_join(thread, NULL);
    printf("root: FAILED: the host thread's crash went unnoticed\n");
    return 1;
}
