/* The runtime symbols an Embedded Swift image needs (swift-platform-notes.md, section 2), and
 * the SBI calls SwiftL4's RISC-V platform uses: console output and shutdown. */
#include <stddef.h>
#include <stdint.h>

static long sbi_call(long extension, long function, long a0, long a1)
{
    register long r_a0 __asm__("a0") = a0;
    register long r_a1 __asm__("a1") = a1;
    register long r_a6 __asm__("a6") = function;
    register long r_a7 __asm__("a7") = extension;
    __asm__ volatile("ecall" : "+r"(r_a0), "+r"(r_a1) : "r"(r_a6), "r"(r_a7) : "memory");
    return r_a0;
}

int putchar(int c)
{
    sbi_call(1, 0, c, 0); /* legacy console putchar */
    return c;
}

/* SBI SRST: shut down; QEMU exits with the reason (0 shutdown, 1 cold reboot). */
void swiftl4_shutdown(int failure)
{
    sbi_call(0x53525354, 0, 0, failure ? 1 : 0);
    for (;;) {
        __asm__ volatile("wfi");
    }
}

void *memset(void *d, int c, size_t n)
{
    unsigned char *p = d;
    while (n--) *p++ = (unsigned char)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--) *p++ = *q++;
    return d;
}

void *memmove(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    if (p < q) {
        while (n--) *p++ = *q++;
    } else {
        p += n;
        q += n;
        while (n--) *--p = *--q;
    }
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    for (; n; n--, p++, q++) {
        if (*p != *q) return *p - *q;
    }
    return 0;
}

/* A bump allocator for the few allocations Swift makes at boot (the kernel allocates nothing
 * after boot). */
extern char heap_start[], heap_end[];
static uintptr_t heap_next;

int posix_memalign(void **out, size_t alignment, size_t size)
{
    if (!heap_next) heap_next = (uintptr_t)heap_start;
    if (alignment < 16) alignment = 16;
    uintptr_t p = (heap_next + alignment - 1) & ~(uintptr_t)(alignment - 1);
    if (p + size > (uintptr_t)heap_end) return 12;
    heap_next = p + size;
    *out = (void *)p;
    return 0;
}

void free(void *p) { (void)p; }

void arc4random_buf(void *buf, size_t n) { memset(buf, 0x5a, n); }

uintptr_t __stack_chk_guard = 0x5357494654;
void __stack_chk_fail(void) { swiftl4_shutdown(1); }

extern char kernel_memory_start[];
uintptr_t swiftl4_kernel_memory_start(void) { return (uintptr_t)kernel_memory_start; }

extern char program0_start[], program0_end[], program1_start[], program1_end[], program2_start[], program2_end[];

/* The ELF image of tutorial program `which` (0 server, 1 and 2 the clients). */
const char *swiftl4_program_image(int which, uintptr_t *size)
{
    const char *start = which == 0 ? program0_start : which == 1 ? program1_start : program2_start;
    const char *end = which == 0 ? program0_end : which == 1 ? program1_end : program2_end;
    *size = (uintptr_t)(end - start);
    return start;
}
