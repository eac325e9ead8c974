/* SwiftL4 hosted runtime internals (not part of libsel4's API). */
#ifndef SWIFTL4_HOSTED_H
#define SWIFTL4_HOSTED_H

/* Points seL4_GetIPCBuffer() at the running thread's IPC buffer (called on every switch). */
void swl4_set_ipc_buffer(void *buffer);

#endif
