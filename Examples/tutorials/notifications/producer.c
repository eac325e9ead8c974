/* The producer (README.md): writes a line for each consumer into the shared page, signals each
 * consumer's notification, then waits until both have acknowledged on its own notification. */
#include <sel4/sel4.h>
#include <stdio.h>
#include <string.h>
#include "shared.h"

extern seL4_CPtr consumer_1, consumer_2, acks;

int main(void)
{
    struct shared_page *page = (struct shared_page *)buffer;
    strcpy(page->line[0], "first line, for consumer 1");
    strcpy(page->line[1], "second line, for consumer 2");
    printf("producer: wrote both lines; signalling consumer 1\n");
    seL4_Signal(consumer_1);
#ifdef SIGNAL_BOTH
    printf("producer: signalling consumer 2\n");
    seL4_Signal(consumer_2);
#endif
    seL4_Word acknowledged = 0;
    while (acknowledged != 3) {
        seL4_Word badge;
        seL4_Wait(acks, &badge);
        printf("producer: woken with badge %lu\n", (unsigned long)badge);
        acknowledged |= badge;
    }
    printf("producer: both consumers have read their lines\n");
    return 0;
}
