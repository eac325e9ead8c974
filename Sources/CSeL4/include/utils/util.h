/*
 * SwiftL4: a small stand-in for seL4's libutils <utils/util.h>.
 *
 * Only the handful of helpers seL4 example and tutorial code commonly reaches for: array and bit
 * arithmetic, branch hints, and the ZF_LOG* logging macros (printed to stderr, as libutils does
 * at its default level; ZF_LOGF aborts). Written for SwiftL4; not a copy of libutils.
 */
#ifndef SWIFTL4_UTILS_UTIL_H
#define SWIFTL4_UTILS_UTIL_H
#pragma once

#include <stdio.h>
#include <stdlib.h>

/* Attributes */
#ifndef UNUSED
#define UNUSED __attribute__((__unused__))
#endif
#ifndef PACKED
#define PACKED __attribute__((__packed__))
#endif
#ifndef NORETURN
#define NORETURN __attribute__((__noreturn__))
#endif
#ifndef ALIGN
#define ALIGN(n) __attribute__((__aligned__(n)))
#endif
#ifndef WEAK
#define WEAK __attribute__((__weak__))
#endif

/* Branch hints */
#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

/* Arithmetic */
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#ifndef BIT
#define BIT(n) (1ul << (n))
#endif
#ifndef MASK
#define MASK(n) (BIT(n) - 1ul)
#endif
#ifndef MIN
/* Spelled exactly as glibc's <sys/param.h>, so including both is not a redefinition. */
#define MIN(a,b) (((a)<(b))?(a):(b))
#endif
#ifndef MAX
#define MAX(a,b) (((a)>(b))?(a):(b))
#endif
#ifndef ROUND_DOWN
#define ROUND_DOWN(n, b) (((n) / (b)) * (b))
#endif
#ifndef ROUND_UP
#define ROUND_UP(n, b) ((((n) + (b) - 1) / (b)) * (b))
#endif
#ifndef DIV_ROUND_UP
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#endif
#ifndef IS_ALIGNED
#define IS_ALIGNED(n, b) (!((n) & MASK(b)))
#endif
#ifndef IS_POWER_OF_2
#define IS_POWER_OF_2(x) ((x) != 0 && (((x) & ((x) - 1)) == 0))
#endif

/* Logging, in the spirit of libutils' zf_log: one line per message on stderr. */
#define SWL4_LOG_LINE(level, ...)                                              \
    do {                                                                       \
        fprintf(stderr, "%s %s@%s:%d ", level, __func__, __FILE__, __LINE__);  \
        fprintf(stderr, __VA_ARGS__);                                          \
        fputc('\n', stderr);                                                   \
    } while (0)

#define ZF_LOGV(...) do { } while (0)
#define ZF_LOGD(...) do { } while (0)
#define ZF_LOGI(...) SWL4_LOG_LINE("I", __VA_ARGS__)
#define ZF_LOGW(...) SWL4_LOG_LINE("W", __VA_ARGS__)
#define ZF_LOGE(...) SWL4_LOG_LINE("E", __VA_ARGS__)
#define ZF_LOGF(...)                       \
    do {                                   \
        SWL4_LOG_LINE("F", __VA_ARGS__);   \
        abort();                           \
    } while (0)

#define ZF_LOGI_IF(cond, ...) do { if (cond) { ZF_LOGI(__VA_ARGS__); } } while (0)
#define ZF_LOGW_IF(cond, ...) do { if (cond) { ZF_LOGW(__VA_ARGS__); } } while (0)
#define ZF_LOGE_IF(cond, ...) do { if (cond) { ZF_LOGE(__VA_ARGS__); } } while (0)
#define ZF_LOGF_IF(cond, ...) do { if (cond) { ZF_LOGF(__VA_ARGS__); } } while (0)

#endif /* SWIFTL4_UTILS_UTIL_H */
