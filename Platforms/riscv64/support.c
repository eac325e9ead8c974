/* The runtime symbols an Embedded Swift image needs (swift-platform-notes.md, section 2), and
 * the SBI calls SwiftL4's RISC-V platform uses: console output and shutdown. */
#include <stddef.h>
#include <stdint.h>
#include "trap_state.h"

void *memset(void *d, int c, size_t n); /* memory.c */

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

/* Shutdown. Success: SBI SRST (shutdown, no reason), and QEMU exits with status 0. Failure:
 * this OpenSBI reports SRST's "system failure" reason to QEMU as a clean exit, so the kernel
 * writes the failure code to QEMU virt's test device (the SiFive finisher at physical
 * 0x100000, the same device OpenSBI's SRST drives), through the kernel window: QEMU exits with
 * status 1. */
void swiftl4_shutdown(int failure)
{
    if (failure) *(volatile uint32_t *)(SWIFTL4_PPTR_BASE + 0x100000) = 0x3333 | (1u << 16);
    sbi_call(0x53525354, 0, 0, failure ? 1 : 0);
    for (;;) {
        __asm__ volatile("wfi");
    }
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

/* The user programs' ELF images (build.sh generates the table). */
extern const uintptr_t swiftl4_program_table[];
extern const uintptr_t swiftl4_program_count;

const char *swiftl4_program_image(int which, uintptr_t *size)
{
    if (which < 0 || (uintptr_t)which >= swiftl4_program_count) {
        *size = 0;
        return 0;
    }
    *size = swiftl4_program_table[2 * which + 1] - swiftl4_program_table[2 * which];
    return (const char *)swiftl4_program_table[2 * which];
}

/* Address translation: satp (Sv39 mode 8, ASID, root page number) and the TLB. */
void swiftl4_write_satp(uintptr_t satp) { __asm__ volatile("csrw satp, %0" : : "r"(satp) : "memory"); }
void swiftl4_flush_tlb(void) { __asm__ volatile("sfence.vma zero, zero" : : : "memory"); }

/* The faulting address or instruction of the trap being handled. */
uintptr_t swiftl4_read_stval(void) {
    uintptr_t value;
    __asm__ volatile("csrr %0, stval" : "=r"(value));
    return value;
}

/* Counters user mode may read (cycle, time, instret), and the clock. */
void swiftl4_allow_user_counters(void) { __asm__ volatile("csrw scounteren, %0" : : "r"(7ul)); }
uint64_t swiftl4_time(void)
{
    uint64_t t;
    __asm__ volatile("rdtime %0" : "=r"(t));
    return t;
}

/* The supervisor timer: SBI set_timer (legacy extension 0) and the timer-interrupt enable. */
void swiftl4_set_timer(uint64_t when) { sbi_call(0, 0, (long)when, 0); }
void swiftl4_enable_timer_interrupt(int on)
{
    if (on)
        __asm__ volatile("csrs sie, %0" : : "r"(1ul << 5));
    else
        __asm__ volatile("csrc sie, %0" : : "r"(1ul << 5));
}

/* The kernel's own root page table: the kernel window alone (VSpace.swift fills it). */
static uint64_t kernel_root_table[512] __attribute__((aligned(4096)));
uintptr_t swiftl4_kernel_root_table(void) { return (uintptr_t)kernel_root_table; }

/* What every trap from user mode needs (trap_state.h; Trap.swift, `TrapState`). */
swiftl4_trap_state_t swiftl4_trap_state;
swiftl4_trap_state_t *swiftl4_trap_state_pointer(void) { return &swiftl4_trap_state; }
