#include "sel4/sel4.h"

seL4_IPCBuffer *__sel4_ipc_buffer;
