#include "sel4/sel4.h"

seL4_IPCBuffer *__sel4_ipc_buffer;
#if !(defined(__riscv) && __riscv_xlen == 64)
seL4_UserContext *__swl4_registers;
#endif
