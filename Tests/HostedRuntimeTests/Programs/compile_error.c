/* compile_error: must NOT pass. A deliberate C error (an undeclared identifier and a call with the
 * wrong number of arguments to a libsel4 function). swiftl4 run must not run anything: it must
 * show clang's diagnostics on stderr and exit non-zero (the contract only says non-zero; swiftl4
 * run exits 2 for "the program did not compile", which is what EXPECTED-EXIT records).
 * EXPECTED-STDERR-CONTAINS: compile_error.c
 * EXPECTED-STDERR-CONTAINS: error:
 * EXPECTED-STDERR-CONTAINS: undeclared identifier 'no_such_endpoint'
 *
 * EXPECTED-STDOUT-BEGIN
 * EXPECTED-STDOUT-END
 * EXPECTED-EXIT: 2
 */
#include <sel4/sel4.h>
#include <stdio.h>
#include <assert.h>
#include <string.h>

int main(void)
{
    printf("compile_error: this must never run\n");
    seL4_Word badge = 0;
    seL4_Recv(no_such_endpoint, &badge);
    seL4_Signal(seL4_CapInitThreadTCB, 1);
    printf("compile_error PASS\n");
    return 0;
}
