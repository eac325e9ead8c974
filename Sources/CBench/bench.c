#define _GNU_SOURCE
#include "cbench.h"
#include "ccontextswitch.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <linux/futex.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#endif

uint64_t swl4_bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int swl4_bench_pin(int cpu)
{
#if defined(__linux__)
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof set, &set);
#else
    (void)cpu;
    return -1;
#endif
}

/* The floor: A -> B -> A with the same assembly switch the runtime uses. */
static swl4_context floor_a, floor_b;
static volatile uint64_t floor_remaining;

static void floor_partner(uintptr_t a0, uintptr_t a1, uintptr_t a2)
{
    (void)a0; (void)a1; (void)a2;
    for (;;) {
        swl4_switch(&floor_b, &floor_a);
    }
}

static void floor_never_exits(void) { abort(); }

double swl4_bench_switch_floor(uint64_t round_trips)
{
    static char stack[64 * 1024] __attribute__((aligned(16)));
    swl4_context_init(&floor_b, stack + sizeof stack, (uintptr_t)floor_partner, 0, 0, 0, floor_never_exits);
    swl4_switch(&floor_a, &floor_b); /* warm up */
    uint64_t start = swl4_bench_now_ns();
    for (uint64_t i = 0; i < round_trips; i++) {
        swl4_switch(&floor_a, &floor_b);
    }
    return (double)(swl4_bench_now_ns() - start) / (double)round_trips;
}

#if defined(__linux__)
struct pingpong {
    int kind;            /* 0 futex, 1 eventfd, 2 pipe, 3 socketpair */
    int cpu;
    uint64_t round_trips;
    _Atomic int turn;    /* futex word */
    int fds_ab[2];
    int fds_ba[2];
};

static void futex_wait(_Atomic int *word, int value)
{
    while (__atomic_load_n((int *)word, __ATOMIC_ACQUIRE) == value) {
        syscall(SYS_futex, (int *)word, FUTEX_WAIT_PRIVATE, value, NULL, NULL, 0);
    }
}

static void futex_wake(_Atomic int *word, int value)
{
    __atomic_store_n((int *)word, value, __ATOMIC_RELEASE);
    syscall(SYS_futex, (int *)word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void send_byte(int fd)
{
    uint64_t one = 1;
    ssize_t r = write(fd, &one, 8);
    (void)r;
}

static void receive_byte(int fd)
{
    uint64_t value;
    ssize_t r = read(fd, &value, 8);
    (void)r;
}

static void *pong(void *arg)
{
    struct pingpong *p = arg;
    swl4_bench_pin(p->cpu);
    for (uint64_t i = 0; i < p->round_trips; i++) {
        if (p->kind == 0) {
            futex_wait(&p->turn, 0);
            futex_wake(&p->turn, 0);
        } else {
            receive_byte(p->fds_ab[0]);
            send_byte(p->fds_ba[1]);
        }
    }
    return NULL;
}

static double pingpong(int kind, uint64_t round_trips, int cpu)
{
    struct pingpong p = {.kind = kind, .cpu = cpu, .round_trips = round_trips, .turn = 0};
    if (kind == 1) {
        p.fds_ab[0] = p.fds_ab[1] = eventfd(0, 0);
        p.fds_ba[0] = p.fds_ba[1] = eventfd(0, 0);
    } else if (kind == 2) {
        if (pipe(p.fds_ab) || pipe(p.fds_ba)) return -1;
    } else if (kind == 3) {
        int ab[2], ba[2];
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, ab) || socketpair(AF_UNIX, SOCK_STREAM, 0, ba)) return -1;
        p.fds_ab[0] = ab[1]; p.fds_ab[1] = ab[0];
        p.fds_ba[0] = ba[1]; p.fds_ba[1] = ba[0];
    }
    cpu_set_t saved;
    sched_getaffinity(0, sizeof saved, &saved);
    swl4_bench_pin(cpu);
    pthread_t thread;
    pthread_create(&thread, NULL, pong, &p);
    uint64_t start = swl4_bench_now_ns();
    for (uint64_t i = 0; i < round_trips; i++) {
        if (kind == 0) {
            futex_wake(&p.turn, 1);
            futex_wait(&p.turn, 1);
        } else {
            send_byte(p.fds_ab[1]);
            receive_byte(p.fds_ba[0]);
        }
    }
    double ns = (double)(swl4_bench_now_ns() - start) / (double)round_trips;
    pthread_join(thread, NULL);
    sched_setaffinity(0, sizeof saved, &saved);
    if (kind >= 1) {
        close(p.fds_ab[0]);
        if (p.fds_ab[1] != p.fds_ab[0]) close(p.fds_ab[1]);
        close(p.fds_ba[0]);
        if (p.fds_ba[1] != p.fds_ba[0]) close(p.fds_ba[1]);
    }
    return ns;
}

double swl4_bench_futex(uint64_t n, int cpu) { return pingpong(0, n, cpu); }
double swl4_bench_eventfd(uint64_t n, int cpu) { return pingpong(1, n, cpu); }
double swl4_bench_pipe(uint64_t n, int cpu) { return pingpong(2, n, cpu); }
double swl4_bench_socketpair(uint64_t n, int cpu) { return pingpong(3, n, cpu); }
#else
double swl4_bench_futex(uint64_t n, int cpu) { (void)n; (void)cpu; return -1; }
double swl4_bench_eventfd(uint64_t n, int cpu) { (void)n; (void)cpu; return -1; }
double swl4_bench_pipe(uint64_t n, int cpu) { (void)n; (void)cpu; return -1; }
double swl4_bench_socketpair(uint64_t n, int cpu) { (void)n; (void)cpu; return -1; }
#endif
