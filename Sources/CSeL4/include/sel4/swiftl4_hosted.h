/* SwiftL4 hosted runtime internals (not part of libsel4's API). */
#ifndef SWIFTL4_HOSTED_H
#define SWIFTL4_HOSTED_H

#include "sel4.h"

/* Points seL4_GetIPCBuffer() at the running thread's IPC buffer (called on every switch). */
static inline void swl4_set_ipc_buffer(void *buffer) { __sel4_ipc_buffer = (seL4_IPCBuffer *)buffer; }
/* Where __sel4_ipc_buffer lives, for the hosted runtime's system-call path to write it directly. */
static inline void **swl4_ipc_buffer_slot(void) { return (void **)&__sel4_ipc_buffer; }
/* Where __swl4_registers lives (the running thread's register file, sel4.h). */
static inline void **swl4_registers_slot(void) { return (void **)&__swl4_registers; }

#endif
