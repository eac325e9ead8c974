#include <sel4/sel4.h>
seL4_CPtr endpoint = 1;
seL4_CPtr cnode = 2;
seL4_CPtr free_slot = 3;
