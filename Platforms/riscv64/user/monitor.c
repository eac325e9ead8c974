/* The fault handler of the bare-metal tutorial scene: every other program's TCB names a badged
 * cap to the monitor's endpoint as its fault handler, so a fault arrives here as a fault message
 * (FAULT-1..6). The monitor reports it and does not reply: the faulting thread stays blocked,
 * the others go on. */
#include <stdio.h>
#include "slots.h"

static const char *program_name(seL4_Word badge)
{
    static const char *const names[] = {"?", "server", "client 1", "client 2", "snoop", "jumper",
                                        "scribbler", "illegal", "garbage"};
    return badge < sizeof names / sizeof names[0] ? names[badge] : "?";
}

int main(void)
{
    for (;;) {
        seL4_Word badge;
        seL4_MessageInfo_t info = seL4_Recv(SLOT_ENDPOINT, &badge);
        const char *who = program_name(badge);
        switch (seL4_MessageInfo_get_label(info)) {
        case seL4_Fault_VMFault: {
            seL4_Word fsr = seL4_GetMR(seL4_VMFault_FSR);
            const char *access = seL4_GetMR(seL4_VMFault_PrefetchFault) ? "instruction fetch"
                                 : fsr == 7                               ? "write"
                                                                          : "read";
            printf("monitor: %s took a VM fault: %s at 0x%lx, pc 0x%lx, FSR %lu; it stays stopped\n", who,
                   access, seL4_GetMR(seL4_VMFault_Addr), seL4_GetMR(seL4_VMFault_IP), fsr);
            break;
        }
        case seL4_Fault_UserException:
            printf("monitor: %s raised a user exception: cause %lu at pc 0x%lx; it stays stopped\n", who,
                   seL4_GetMR(seL4_UserException_Number), seL4_GetMR(seL4_UserException_FaultIP));
            break;
        case seL4_Fault_UnknownSyscall:
            printf("monitor: %s made unknown system call %ld at pc 0x%lx; it stays stopped\n", who,
                   (long)seL4_GetMR(seL4_UnknownSyscall_Syscall), seL4_GetMR(seL4_UnknownSyscall_FaultIP));
            break;
        case seL4_Fault_CapFault:
            printf("monitor: %s took a cap fault on cptr 0x%lx; it stays stopped\n", who,
                   seL4_GetMR(seL4_CapFault_Addr));
            break;
        default:
            printf("monitor: unexpected message, label %lu\n", seL4_MessageInfo_get_label(info));
        }
    }
}
