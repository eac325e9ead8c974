#include <sel4/sel4.h>
seL4_CPtr endpoint = 1;
seL4_CPtr cnode = 2;
seL4_CPtr badged_endpoint = 3;
