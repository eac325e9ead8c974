/* hello-world, solved (README.md): the root task greets the world and ends the run with 0. */
#include "../tutorial.h"

int main(void)
{
    seL4_BootInfo *info = seL4_GetBootInfo();
    printf("root task: running, with a CNode of %lu slots\n", 1ul << info->initThreadCNodeSizeBits);
    printf("Hello, World!\n");
    return 0;
}
