/* The C library's memory functions, for the kernel image and for the Embedded Swift user
 * programs alike (both are freestanding; Swift's runtime and clang's code call these). */
#include <stddef.h>
#include <stdint.h>

/* Word-wise where both ends allow it: untyped retypes zero whole objects (up to gigabytes in
 * sel4test's allocator) and the loaders copy images. -fno-builtin keeps clang from turning
 * these loops back into calls to themselves. */
void *memset(void *d, int c, size_t n)
{
    unsigned char *p = d;
    while (n && ((uintptr_t)p & 7)) {
        *p++ = (unsigned char)c;
        n--;
    }
    uint64_t word = 0x0101010101010101ull * (unsigned char)c;
    uint64_t *w = (uint64_t *)p;
    for (; n >= 32; n -= 32, w += 4) {
        w[0] = word;
        w[1] = word;
        w[2] = word;
        w[3] = word;
    }
    for (; n >= 8; n -= 8) *w++ = word;
    p = (unsigned char *)w;
    while (n--) *p++ = (unsigned char)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    if ((((uintptr_t)p ^ (uintptr_t)q) & 7) == 0) {
        while (n && ((uintptr_t)p & 7)) {
            *p++ = *q++;
            n--;
        }
        uint64_t *w = (uint64_t *)p;
        const uint64_t *v = (const uint64_t *)q;
        for (; n >= 8; n -= 8) *w++ = *v++;
        p = (unsigned char *)w;
        q = (const unsigned char *)v;
    }
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
