/* A client that breaks the tutorial's protocol. Its endpoint cap has Write only, so its Call
 * creates no reply cap (CALL-1): it is left Inactive after the server receives its message,
 * and the server's Reply to it is a no-op (REPLY-1). */
#include <sel4/sel4.h>
#include <stdio.h>

extern seL4_CPtr endpoint;
extern seL4_CPtr badged_endpoint;

int main(void)
{
    printf("rogue: calling without grant rights\n");
    seL4_SetMR(0, 99);
    seL4_Call(endpoint, seL4_MessageInfo_new(0, 0, 0, 1));
    printf("rogue: never printed, the caller is left inactive\n");
    return 0;
}
