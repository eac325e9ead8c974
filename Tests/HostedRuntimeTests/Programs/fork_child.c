/* fork_child: fork() in user code copies the whole hosted system, kernel included; a seL4 call
 * in the child would act on the copy, so it is refused and the child ends with status 88, while
 * the parent's kernel, untouched, goes on (issue 15, item 6; docs/libsel4.md, "Trust model").
 * The parent then retypes an endpoint and copies its cap as usual.
 *
 * EXPECTED-STDOUT-BEGIN
 * child: calling seL4_Yield
 * root: the child exited with status 88
 * root: copying a fresh endpoint's cap: error 0
 * fork_child PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 * EXPECTED-STDERR-CONTAINS: swiftl4: refused seL4_SysYield from a forked child process
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

#include "suite.h"

int main(void)
{
    boot();
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        printf("child: calling seL4_Yield\n");
        fflush(stdout);
        seL4_Yield();
        printf("child: FAILED: seL4_Yield returned\n");
        fflush(stdout);
        _exit(1);
    }
    int status = 0;
    CHECK(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    printf("root: the child exited with status %d\n", WEXITSTATUS(status));
    CHECK(WEXITSTATUS(status) == 88);
    seL4_CPtr ep = make(seL4_EndpointObject);
    seL4_Error err = seL4_CNode_Copy(seL4_CapInitThreadCNode, free_slot++, seL4_WordBits, seL4_CapInitThreadCNode, ep,
                                     seL4_WordBits, seL4_AllRights);
    printf("root: copying a fresh endpoint's cap: error %d\n", (int)err);
    CHECK(err == seL4_NoError);
    return finish("fork_child");
}
