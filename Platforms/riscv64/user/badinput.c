/* Bad input from user mode (issue 9): each instance misbehaves in one way, chosen by the
 * loader's argument, and the kernel answers with seL4's fault, delivered to the monitor.
 *   1 jumper:    jumps into the kernel's code (mapped in every VSpace, but not for user mode)
 *   2 scribbler: writes over the kernel's memory
 *   3 illegal:   executes an instruction user mode may not (reads sstatus)
 *   4 garbage:   invokes caps with the wrong labels and garbage arguments (errors, not
 *                faults: a CNode told to resume, a label seL4 does not have, a CNode asked to
 *                map a page at the kernel's address), then makes a system call with a number
 *                seL4 does not have and garbage in the registers */
#include <stdio.h>
#include "slots.h"

#define KERNEL_ADDRESS 0x80200000ul

int main(void)
{
    switch (swl4_argument) {
    case 1:
        ((void (*)(void))KERNEL_ADDRESS)();
        break;
    case 2:
        *(volatile seL4_Word *)(KERNEL_ADDRESS + 0x1000) = 0xbad;
        break;
    case 3: {
        seL4_Word status;
        __asm__ volatile("csrr %0, sstatus" : "=r"(status));
        break;
    }
    case 4: {
        seL4_Error a = seL4_CNode_Copy(SLOT_CNODE, 0xdead, 64, SLOT_CNODE, 0xbeef, 64, seL4_AllRights);
        seL4_Error b = seL4_TCB_Resume(SLOT_CNODE);
        seL4_MessageInfo_t c = seL4_Call(SLOT_CNODE, seL4_MessageInfo_new(0xfff, 3, 3, 120));
        seL4_Error d = seL4_RISCV_Page_Map(SLOT_CNODE, SLOT_ENDPOINT, KERNEL_ADDRESS, seL4_AllRights, 0);
        printf("garbage: errors %d %d %lu %d, as seL4 answers; now a syscall that does not exist\n", a, b,
               seL4_MessageInfo_get_label(c), d);
        register seL4_Word a0 __asm__("a0") = 0xdeadbeef, a1 __asm__("a1") = ~0ul;
        register seL4_Word a7 __asm__("a7") = 12345;
        __asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a7) : "memory");
        break;
    }
    }
    return 0;
}
