/* User programs for SwiftL4's first RISC-V step: two threads in U-mode (no paging yet) that
 * make seL4 system calls with `ecall` and seL4's RISC-V register ABI (ABI-1, ABI-2): a0 the cap
 * and the badge, a1 the msgInfo, a2-a5 MR0-MR3, a7 the syscall number. */
#include <stdint.h>

typedef unsigned long word_t;

struct regs {
    word_t cap_or_badge, info, mr[4];
};

static inline void syscall6(long number, struct regs *r)
{
    register word_t a0 __asm__("a0") = r->cap_or_badge;
    register word_t a1 __asm__("a1") = r->info;
    register word_t a2 __asm__("a2") = r->mr[0];
    register word_t a3 __asm__("a3") = r->mr[1];
    register word_t a4 __asm__("a4") = r->mr[2];
    register word_t a5 __asm__("a5") = r->mr[3];
    register long a7 __asm__("a7") = number;
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5) : "r"(a7) : "memory");
    r->cap_or_badge = a0;
    r->info = a1;
    r->mr[0] = a2;
    r->mr[1] = a3;
    r->mr[2] = a4;
    r->mr[3] = a5;
}

enum { SysCall = -1, SysReplyRecv = -2, SysRecv = -5, SysDebugPutChar = -9 };
static word_t info(word_t label, word_t length) { return label << 12 | length; }

static void put(const char *s)
{
    for (; *s; s++) {
        struct regs r = {(word_t)*s, 0, {0, 0, 0, 0}};
        syscall6(SysDebugPutChar, &r);
    }
}

/* The server: answers every Call with MR0 + 1, through ReplyRecv. */
void user_server(word_t ep)
{
    struct regs r = {ep, 0, {0, 0, 0, 0}};
    syscall6(SysRecv, &r);
    for (;;) {
        r.mr[0] += 1;
        r.cap_or_badge = ep;
        r.info = info(0, 1);
        syscall6(SysReplyRecv, &r);
    }
}

/* The client: `count` Calls, each checked; then it waits on `idle`, which nobody signals. */
void user_client(word_t ep, word_t count, word_t idle)
{
    int ok = 1;
    for (word_t i = 0; i < count; i++) {
        struct regs r = {ep, info(1, 1), {i, 0, 0, 0}};
        syscall6(SysCall, &r);
        if (r.mr[0] != i + 1 || (r.info & 0x7f) != 1) ok = 0;
    }
    put(ok ? "user: 1000 Call/ReplyRecv round trips in U-mode PASS\n" : "user: round trips FAIL\n");
    struct regs r = {idle, 0, {0, 0, 0, 0}};
    syscall6(SysRecv, &r);
}

static char stacks[2][16384] __attribute__((aligned(16)));

uintptr_t swiftl4_user_entry(int which) { return which == 0 ? (uintptr_t)user_server : (uintptr_t)user_client; }
uintptr_t swiftl4_user_stack(int which) { return (uintptr_t)(stacks[which] + sizeof stacks[which]); }
