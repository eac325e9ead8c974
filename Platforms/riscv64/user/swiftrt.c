/* What an Embedded Swift user program needs from its environment (swift-platform-notes.md,
 * section 2) besides memory.c's functions: posix_memalign and free (a bump allocator over a
 * static arena: the tutorial's programs allocate a little and never need it back),
 * arc4random_buf for hashing seeds, ceil, and the stack protector's guard. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sel4/sel4.h>

static unsigned char arena[256 * 1024] __attribute__((aligned(16)));
static size_t arena_used;

int posix_memalign(void **out, size_t alignment, size_t size)
{
    if (alignment < 16) alignment = 16;
    size_t start = (arena_used + alignment - 1) & ~(alignment - 1);
    if (start + size > sizeof arena) return 12; /* ENOMEM */
    arena_used = start + size;
    *out = arena + start;
    return 0;
}

void free(void *p) { (void)p; }

void arc4random_buf(void *buf, size_t n) { memset(buf, 0x5a, n); }

uintptr_t __stack_chk_guard = 0x5357494654;
void __stack_chk_fail(void)
{
    seL4_TCB_Suspend(7);
    for (;;) seL4_Recv(0, NULL);
}

/* Dictionary's capacity arithmetic rounds up with ceil (soft-float, from libgcc's helpers). */
double ceil(double x)
{
    if (!(x == x) || x >= 4503599627370496.0 || x <= -4503599627370496.0) return x; /* NaN, or integral */
    double truncated = (double)(long long)x;
    return truncated < x ? truncated + 1.0 : truncated;
}
