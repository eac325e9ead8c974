/* A program whose recursion overflows its stack into the guard page below it. */
#include <sel4/sel4.h>
#include <stdio.h>

static int depth(int n)
{
    volatile char frame[512];
    frame[0] = (char)n;
    return depth(n + 1) + frame[0];
}

int main(void)
{
    printf("overflower: recursing\n");
    fflush(stdout);
    return depth(0);
}
