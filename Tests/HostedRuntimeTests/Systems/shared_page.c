/* Both programs of shared_page.system: the writer fills the region's two pages and signals; the
 * reader, woken, reads both at its own address, then tries to write to its read-only mapping. */
#include <sel4/sel4.h>
#include <stdint.h>
#include <stdio.h>

extern uintptr_t page;
extern seL4_CPtr written_cap;

int main(void)
{
    volatile unsigned long *words = (volatile unsigned long *)page;
#ifdef WRITER
    words[0] = 0x1234;
    words[512] = 0x5678;
    printf("writer: wrote at 0x%lx\n", (unsigned long)page);
    seL4_Signal(written_cap);
#else
    seL4_Word badge;
    seL4_Wait(written_cap, &badge);
    printf("reader: at 0x%lx: 0x%lx and 0x%lx\n", (unsigned long)page, words[0], words[512]);
    printf("reader: writing\n");
    fflush(stdout);
    words[0] = 0;
    printf("reader: wrote (it should not have)\n");
#endif
    return 0;
}
