/* A consumer (README.md; CONSUMER_ID is 1 or 2): waits on its notification, reads its line from
 * the shared page, and acknowledges on the producer's notification (its cap's badge says who). */
#include <sel4/sel4.h>
#include <stdio.h>
#include "shared.h"

extern seL4_CPtr ready, ack;

int main(void)
{
    struct shared_page *page = (struct shared_page *)buffer;
    seL4_Word badge;
    seL4_Wait(ready, &badge);
    printf("consumer %d: woken with badge 0x%lx; the page says \"%s\"\n", CONSUMER_ID, (unsigned long)badge,
           page->line[CONSUMER_ID - 1]);
    seL4_Signal(ack);
    return 0;
}
