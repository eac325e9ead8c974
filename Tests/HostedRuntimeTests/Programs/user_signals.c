/* user_signals: every fatal signal user code raises is that thread's fault, as seL4 would see the
 * same instruction (issue 15, item 1; docs/libsel4.md, "Signals and faults"). A helper with no
 * fault handler that calls abort() is named on stderr and stops (FAULT-1) while the root goes
 * on; with a fault endpoint, the handler receives a UserException (FAULT-3 label 3, FAULT-4
 * length 5, MR3 the x86_64 vector): abort() and a signal the program sends itself (raise) are
 * #GP 13, __builtin_debugtrap (int3) is #BP 3, an integer division by zero is #DE 0 and
 * __builtin_trap (ud2) is #UD 6. The fault IP (MR0) of an instruction the thread executed lies
 * inside the function that executed it; the stack pointer (MR1) lies inside the thread's stack.
 * Clauses: FAULT-1, FAULT-2, FAULT-3, FAULT-4.
 *
 * EXPECTED-STDOUT-BEGIN
 * quiet: aborting with no fault handler
 * root: the root goes on after quiet's abort
 * loud: aborting
 * root: loud: label 3 len 5 number 13 code 0
 * root: raiser: label 3 len 5 number 13 code 0
 * root: breaker: label 3 len 5 number 3 code 0
 * root: divider: label 3 len 5 number 0 code 0
 * root: trapper: label 3 len 5 number 6 code 0
 * user_signals PASS
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 0
 * EXPECTED-STDERR-CONTAINS: swiftl4: thread 'quiet' faulted: abort (SIGABRT)
 * EXPECTED-STDERR-CONTAINS: it takes a user exception (number 13, code 0)
 * EXPECTED-STDERR-CONTAINS: swiftl4: thread 'breaker' faulted: breakpoint trap (SIGTRAP)
 * EXPECTED-STDERR-CONTAINS: swiftl4: thread 'divider' faulted: arithmetic exception
 * EXPECTED-STDERR-CONTAINS: swiftl4: thread 'trapper' faulted: illegal instruction
 * EXPECTED-STDERR-CONTAINS: swiftl4: thread 'raiser' faulted: segmentation fault sent by the program itself
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>

#include "suite.h"

#define STACK_BYTES 65536
static char stacks[6][STACK_BYTES] __attribute__((aligned(16)));
static volatile int zero;
static volatile int sink;

static void quiet(seL4_Word a, seL4_Word b)
{
    (void)a, (void)b;
    printf("quiet: aborting with no fault handler\n");
    abort();
}

static void loud(seL4_Word a, seL4_Word b)
{
    (void)a, (void)b;
    printf("loud: aborting\n");
    abort();
}

static void raiser(seL4_Word a, seL4_Word b)
{
    (void)a, (void)b;
    raise(SIGSEGV);
}

__attribute__((noinline)) static void breaker(seL4_Word a, seL4_Word b)
{
    (void)a, (void)b;
    __builtin_debugtrap();
    sink = 1;
}

__attribute__((noinline)) static void divider(seL4_Word a, seL4_Word b)
{
    (void)a, (void)b;
    sink = 5 / zero;
}

__attribute__((noinline)) static void trapper(seL4_Word a, seL4_Word b)
{
    (void)a, (void)b;
    __builtin_trap();
}

/* Receives one UserException and prints its words; `own` says whether the fault IP must lie in
 * `entry` (an instruction of the thread's own function, not of the C library). */
static void expect(seL4_CPtr ep, const char *name, void (*entry)(seL4_Word, seL4_Word), int own, int index,
                   seL4_Word number)
{
    seL4_Word badge;
    seL4_MessageInfo_t m = seL4_Recv(ep, &badge);
    printf("root: %s: label %lu len %lu number %lu code %lu\n", name, (unsigned long)seL4_MessageInfo_get_label(m),
           (unsigned long)seL4_MessageInfo_get_length(m), (unsigned long)seL4_GetMR(seL4_UserException_Number),
           (unsigned long)seL4_GetMR(seL4_UserException_Code));
    CHECK(seL4_MessageInfo_get_label(m) == seL4_Fault_UserException);
    CHECK(seL4_GetMR(seL4_UserException_Number) == number);
    seL4_Word ip = seL4_GetMR(seL4_UserException_FaultIP);
    seL4_Word sp = seL4_GetMR(seL4_UserException_SP);
    if (own) {
        CHECK(ip >= (seL4_Word)entry && ip < (seL4_Word)entry + 64);
    } else {
        CHECK(ip != 0);
    }
    CHECK(sp > (seL4_Word)stacks[index] && sp <= (seL4_Word)stacks[index] + STACK_BYTES);
}

int main(void)
{
    boot();
    seL4_CPtr ep = make(seL4_EndpointObject);
    start_thread("quiet", quiet, stacks[0] + STACK_BYTES, 255, 0, 0, 0);
    seL4_Yield();
    printf("root: the root goes on after quiet's abort\n");
    start_thread("loud", loud, stacks[1] + STACK_BYTES, 255, ep, 0, 0);
    expect(ep, "loud", loud, 0, 1, 13);
    start_thread("raiser", raiser, stacks[2] + STACK_BYTES, 255, ep, 0, 0);
    expect(ep, "raiser", raiser, 0, 2, 13);
    start_thread("breaker", breaker, stacks[3] + STACK_BYTES, 255, ep, 0, 0);
    expect(ep, "breaker", breaker, 1, 3, 3);
    start_thread("divider", divider, stacks[4] + STACK_BYTES, 255, ep, 0, 0);
    expect(ep, "divider", divider, 1, 4, 0);
    start_thread("trapper", trapper, stacks[5] + STACK_BYTES, 255, ep, 0, 0);
    expect(ep, "trapper", trapper, 1, 5, 6);
    return finish("user_signals");
}
