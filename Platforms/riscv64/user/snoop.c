/* A client that tries to read the server's memory: the loader passes it an address mapped in
 * the server's address space (the server's data), which is not mapped in the snoop's own. The
 * load takes a page fault, delivered to the monitor as a VM fault message. */
#include "slots.h"

int main(void)
{
    volatile seL4_Word *server_data = (volatile seL4_Word *)swl4_argument;
    return (int)*server_data;
}
