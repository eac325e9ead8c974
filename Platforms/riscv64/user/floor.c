/* The floor the bare-metal IPC is measured against (docs/performance.md): two threads in one
 * address space swap a 4-word message through two traps, handled by a few instructions of
 * assembly (start.S, swiftl4_floor_trap_entry) with no capability lookup, queue, scheduler or
 * address-space switch. Thread A (role 0) counts retired instructions over `count` exchanges
 * and reports like pingpong.c; thread B (role 1) answers each message with its words + 1.
 * Argument: role (bits 0-7), count (16-). */
#include "slots.h"

struct message {
    seL4_Word w[4];
};

static inline struct message exchange(struct message m)
{
    register seL4_Word a2 __asm__("a2") = m.w[0], a3 __asm__("a3") = m.w[1];
    register seL4_Word a4 __asm__("a4") = m.w[2], a5 __asm__("a5") = m.w[3];
    register seL4_Word a7 __asm__("a7") = 0;
    __asm__ volatile("ecall" : "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5) : "r"(a7) : "memory");
    return (struct message){{a2, a3, a4, a5}};
}

int main(void)
{
    seL4_Word role = swl4_argument & 0xff, count = swl4_argument >> 16;
    struct message m = {{0, 1, 2, 3}};
    if (role == 1) {
        for (;;) {
            for (int i = 0; i < 4; i++) m.w[i] += 1;
            m = exchange(m);
        }
    }
    seL4_Word errors = 0, start = 0;
    m = exchange(m); /* B starts from its entry point: this first exchange only wakes it */
    for (seL4_Word i = 0; i < count + 100; i++) {
        if (i == 100) start = instructions_retired();
        m.w[0] = i;
        struct message answer = exchange(m);
        if (answer.w[0] != i + 1) errors++;
    }
    report_measurement(start, count, errors);
    return 0;
}
