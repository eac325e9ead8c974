#include "sel4/sel4.h"

seL4_IPCBuffer *__sel4_ipc_buffer;

#include "sel4/swiftl4_hosted.h"

void swl4_set_ipc_buffer(void *buffer) { __sel4_ipc_buffer = (seL4_IPCBuffer *)buffer; }
