/* The little C library a seL4 program needs on SwiftL4's bare-metal RISC-V port: the IPC
 * buffer pointer, console output through seL4_DebugPutChar, printf for %c %s %d %u %lu %lx,
 * assert, and the entry point that calls main. */
#include <sel4/sel4.h>
#include <stdarg.h>
#include <stddef.h>

seL4_IPCBuffer *__sel4_ipc_buffer;

int putchar(int c)
{
    seL4_DebugPutChar((char)c);
    return c;
}

static void put_unsigned(unsigned long v, unsigned base)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (n) putchar(digits[--n]);
}

int printf(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    for (const char *p = format; *p; p++) {
        if (*p != '%') {
            putchar(*p);
            continue;
        }
        p++;
        int is_long = 0;
        while (*p == 'l') {
            is_long = 1;
            p++;
        }
        switch (*p) {
        case 'c': putchar(va_arg(args, int)); break;
        case 's': for (const char *s = va_arg(args, const char *); *s; s++) putchar(*s); break;
        case 'd': {
            long v = is_long ? va_arg(args, long) : va_arg(args, int);
            if (v < 0) { putchar('-'); v = -v; }
            put_unsigned((unsigned long)v, 10);
            break;
        }
        case 'u': put_unsigned(is_long ? va_arg(args, unsigned long) : va_arg(args, unsigned), 10); break;
        case 'x': put_unsigned(is_long ? va_arg(args, unsigned long) : va_arg(args, unsigned), 16); break;
        case '%': putchar('%'); break;
        default: putchar('?'); break;
        }
    }
    va_end(args);
    return 0;
}

size_t strcspn(const char *s, const char *reject)
{
    size_t n = 0;
    for (; s[n]; n++) {
        for (const char *r = reject; *r; r++) {
            if (s[n] == *r) return n;
        }
    }
    return n;
}

void __assert_fail(const char *expression, const char *file, unsigned line, const char *function)
{
    printf("Assertion failed: %s (%s: %s: %u)\n", expression, file, function, line);
    seL4_TCB_Suspend(7); /* the thread stops */
    for (;;) seL4_Recv(0, NULL);
}

#ifndef SWL4_ROOT_TASK
int main(void);

seL4_Word swl4_argument;

/* The loader's argument, for programs that cannot reach a C global (Swift). */
seL4_Word swl4_start_argument(void) { return swl4_argument; }

/* The thread starts here with a0 = its IPC buffer and a1 = the loader's argument; when main
 * returns the thread stops, as the hosted contract says: it suspends itself through its own
 * TCB cap, which the loader puts in slot 7 (user/slots.h). */
void _start(seL4_IPCBuffer *buffer, seL4_Word argument)
{
    __sel4_ipc_buffer = buffer;
    swl4_argument = argument;
    main();
    seL4_TCB_Suspend(7);
    for (;;) seL4_Recv(0, NULL);
}
#endif /* SWL4_ROOT_TASK: a root task has its own entry (roottask.c) */
