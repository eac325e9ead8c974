/* Timer preemption (SCHED-2): the spinner (role 0) loops forever without a system call; the
 * witness (role 1), at the same priority and resumed after it, can only run if the timer takes
 * the processor from the spinner when its time slice ends. The witness then stops the spinner
 * (its TCB cap is in slot 6) and itself. */
#include <stdio.h>
#include "slots.h"

int main(void)
{
    if (swl4_argument == 0) {
        for (;;) {
        }
    }
    printf("witness: running beside a spinner that never yields: the timer preempted it\n");
    seL4_Error error = seL4_TCB_Suspend(SLOT_OTHER_TCB);
    printf("witness: suspended the spinner (error %d); stopping\n", error);
    seL4_TCB_Suspend(SLOT_SELF_TCB);
    return 0;
}
