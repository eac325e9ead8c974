/* hello-world, the exercise (README.md): the root task starts, looks at its boot info, and
 * ends without greeting anyone. Step 1 of the chapter: make it print "Hello, World!" and end
 * the run successfully. */
#include "../tutorial.h"

int main(void)
{
    seL4_BootInfo *info = seL4_GetBootInfo();
    printf("root task: running, with a CNode of %lu slots\n", 1ul << info->initThreadCNodeSizeBits);
    /* TODO: greet the world here, then return 0. */
    return 1;
}
