/* A program that runs after its neighbour has overflowed its stack and been stopped. */
#include <sel4/sel4.h>
#include <stdio.h>

int main(void)
{
    printf("survivor: still running\n");
    return 0;
}
