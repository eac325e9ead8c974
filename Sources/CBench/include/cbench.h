/* Host baselines for `swiftl4 bench`: the raw context-switch floor and OS-thread ping-pong
 * over futex, eventfd, pipe and a UNIX socketpair, with both threads pinned to one CPU.
 * Each returns nanoseconds per round trip (one message there and one back). */
#ifndef SWIFTL4_CBENCH_H
#define SWIFTL4_CBENCH_H

#include <stdint.h>

double swl4_bench_switch_floor(uint64_t round_trips);
double swl4_bench_futex(uint64_t round_trips, int cpu);
double swl4_bench_eventfd(uint64_t round_trips, int cpu);
double swl4_bench_pipe(uint64_t round_trips, int cpu);
double swl4_bench_socketpair(uint64_t round_trips, int cpu);
uint64_t swl4_bench_now_ns(void);
/* Pins the calling thread to `cpu`; returns 0 on success. */
int swl4_bench_pin(int cpu);

#endif
