#define _GNU_SOURCE
#include "ccontextswitch.h"

#include <signal.h>
#include <ucontext.h>
#include <stdlib.h>
#include <string.h>
#include <dlfcn.h>
#include <pthread.h>

extern void swl4_thread_trampoline(void);

struct swl4_hot swl4_hot_state;

void swl4_context_init(swl4_context *ctx, void *stack_top, uintptr_t entry,
                       uintptr_t a0, uintptr_t a1, uintptr_t a2, void (*exit_fn)(void))
{
    /* The frame swl4_switch's restore path pops, built so that the trampoline calls entry
     * with the stack 16-byte aligned at the call, as the ABI requires. */
    uintptr_t top = (uintptr_t)stack_top & ~(uintptr_t)15;
#if defined(__x86_64__)
    uint64_t *frame = (uint64_t *)top - 8;
    uint32_t mxcsr = 0x1F80;
    uint16_t fpucw = 0x037F;
    memcpy((char *)&frame[0], &mxcsr, 4);
    memcpy((char *)&frame[0] + 4, &fpucw, 2);
    frame[1] = a2;                       /* r15 */
    frame[2] = a1;                       /* r14 */
    frame[3] = a0;                       /* r13 */
    frame[4] = entry;                    /* r12 */
    frame[5] = (uintptr_t)exit_fn;       /* rbx */
    frame[6] = 0;                        /* rbp */
    frame[7] = (uintptr_t)swl4_thread_trampoline;
    ctx->sp = frame;
#elif defined(__aarch64__)
    uint64_t *frame = (uint64_t *)(top - 176);
    memset(frame, 0, 176);
    frame[0] = entry;                    /* x19 */
    frame[1] = a0;                       /* x20 */
    frame[2] = a1;                       /* x21 */
    frame[3] = a2;                       /* x22 */
    frame[4] = (uintptr_t)exit_fn;       /* x23 */
    frame[10] = 0;                       /* x29 */
    frame[11] = (uintptr_t)swl4_thread_trampoline; /* x30 */
    ctx->sp = frame;
#endif
}

void swl4_run_main(uintptr_t main_fn, uintptr_t argv, uintptr_t status)
{
    char **args = (char **)argv;
    int argc = 0;
    while (args && args[argc]) {
        argc++;
    }
    *(int *)status = ((int (*)(int, char **))main_fn)(argc, args);
}

static void (*fault_report)(int, uintptr_t, uintptr_t, uintptr_t, int);

static void on_fault(int signal, siginfo_t *info, void *context)
{
    uintptr_t pc = 0, code = 0, sp = 0;
    int detail = info->si_code;
#if defined(__linux__) && defined(__x86_64__)
    ucontext_t *uc = context;
    pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
    code = (uintptr_t)uc->uc_mcontext.gregs[REG_ERR];
#elif defined(__linux__) && defined(__aarch64__)
    ucontext_t *uc = context;
    pc = (uintptr_t)uc->uc_mcontext.pc;
    sp = (uintptr_t)uc->uc_mcontext.sp;
#else
    (void)context;
#endif
#if defined(__linux__) && defined(SIGSYS)
    /* A system call seccomp refused: its number stands in for the error code.
       SYS_SECCOMP (1) is defined only in the kernel's asm-generic/siginfo.h,
       which glibc's <signal.h> does not include, so its value is spelt here. */
    enum { SWL4_SYS_SECCOMP = 1 };
    if (signal == SIGSYS && info->si_code == SWL4_SYS_SECCOMP) {
        code = (uintptr_t)info->si_syscall;
    }
#endif
    /* The system-call path marks nothing: the stack it runs on says it is the kernel's. */
    swl4_hot_state.faulted_on_kernel_stack = sp > (uintptr_t)swl4_hot_state.kernel_stack_limit
                                             && sp <= (uintptr_t)swl4_hot_state.kernel_stack_top;
    fault_report(signal, (uintptr_t)info->si_addr, pc, code, detail);
}

void swl4_install_fault_handler(void (*report)(int signal, uintptr_t address, uintptr_t pc, uintptr_t code, int detail))
{
    static char alternate_stack[256 * 1024];
    stack_t ss;
    ss.ss_sp = alternate_stack;
    ss.ss_size = sizeof alternate_stack;
    ss.ss_flags = 0;
    sigaltstack(&ss, NULL);
    fault_report = report;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_fault;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    sigaction(SIGSEGV, &action, NULL);
    sigaction(SIGBUS, &action, NULL);
    sigaction(SIGILL, &action, NULL);
    sigaction(SIGFPE, &action, NULL);
    /* Fatal signals user code raises itself: abort(), a breakpoint, a system call seccomp
     * refuses, a CPU-time or file-size limit. SIGINT, SIGTERM and SIGPIPE come from outside
     * the program and keep their default action: they end the run. */
    sigaction(SIGABRT, &action, NULL);
    sigaction(SIGTRAP, &action, NULL);
    sigaction(SIGSYS, &action, NULL);
    sigaction(SIGXCPU, &action, NULL);
    sigaction(SIGXFSZ, &action, NULL);
}

/* The thread the runtime's user threads run on, marked so that a seL4 call from any other
 * host thread (one user code made with pthread_create) is refused, and a forked child's
 * calls too (pthread_atfork clears the mark in the child). */
__thread int swl4_runner_mark __attribute__((tls_model("initial-exec")));

static void forget_runner_in_child(void)
{
    if (swl4_runner_mark == SWL4_RUNNER) {
        swl4_runner_mark = SWL4_FORKED_CHILD;
    }
}

void swl4_mark_runner_thread(void)
{
    static int registered;
    swl4_runner_mark = SWL4_RUNNER;
    if (!registered) {
        registered = 1;
        pthread_atfork(NULL, NULL, forget_runner_in_child);
    }
}

void swl4_clear_runner_mark(void)
{
    swl4_runner_mark = SWL4_OTHER_HOST_THREAD;
}

/* The hosted "syscall instruction" libsel4's stubs call (sel4/sel4.h puts the call's registers
 * in the running thread's TCB first). On the runner thread it stores the call's NextIP (its own
 * return address), FaultIP and number in the caller's TCB (SWL4_CONTEXT_*), saves the caller's
 * context and enters the kernel's handler on the kernel stack with the number as its argument.
 * A thread resumed to re-issue its call (TS-3, restart) comes back with a nonzero result
 * (x86_64 ELF: at swl4_sysenter_restart, switch.S, instead of its return address, which takes
 * the number and NextIP from the TCB) and enters again. From any other host thread the call
 * goes to swl4_foreign_syscall, which refuses it. The thread-local mark is read here, where it
 * costs a load and a compare. */
extern void swl4_foreign_syscall(uintptr_t sysno);

/* x86_64 ELF has it in assembly (switch.S), with these offsets. */
_Static_assert(offsetof(struct swl4_hot, kernel_stack_top) == SWL4_HOT_KERNEL_STACK_TOP, "switch.S: the kernel stack's top");
_Static_assert(offsetof(struct swl4_hot, current_context) == SWL4_HOT_CURRENT_CONTEXT, "switch.S: the current context");
_Static_assert(offsetof(struct swl4_hot, syscall_handler) == SWL4_HOT_SYSCALL_HANDLER, "switch.S: the system-call handler");
_Static_assert(offsetof(struct swl4_context, result) == 8, "switch.S: a context's result word");

#if !(defined(__x86_64__) && defined(__ELF__))
static inline void swl4_store_entry(char *context, intptr_t offset, uintptr_t value)
{
    *(uintptr_t *)(context + offset) = value;
}

void swl4_sysenter(uintptr_t sysno)
{
    uintptr_t next_ip = (uintptr_t)__builtin_return_address(0);
    if (__builtin_expect(swl4_runner_mark != SWL4_RUNNER, 0)) {
        swl4_foreign_syscall(sysno);
        return;
    }
    /* A restart resumes this same thread, parked here: its entry is stored again, as the
     * kernel set its PC to the FaultIP. */
    do {
        char *context = (char *)swl4_hot_state.current_context;
        swl4_store_entry(context, SWL4_CONTEXT_NEXT_IP, next_ip);
        swl4_store_entry(context, SWL4_CONTEXT_SYSCALL_NUMBER, sysno);
        swl4_store_entry(context, SWL4_CONTEXT_PC, next_ip);
        swl4_store_entry(context, SWL4_CONTEXT_FAULT_IP, next_ip - SWL4_CALL_INSTRUCTION_BYTES);
    } while (swl4_kernel_entry(swl4_hot_state.current_context, swl4_hot_state.kernel_stack_top,
                               swl4_hot_state.syscall_handler, sysno));
}
#endif

const char *swl4_symbol_name(uintptr_t pc, uintptr_t *offset, const char **image)
{
    Dl_info info;
    *offset = 0;
    *image = NULL;
    if (!dladdr((void *)pc, &info)) {
        return NULL;
    }
    *image = info.dli_fname;
    if (!info.dli_sname) {
        *offset = pc - (uintptr_t)info.dli_fbase;
        return NULL;
    }
    *offset = pc - (uintptr_t)info.dli_saddr;
    /* Swift names are demangled with the runtime's own demangler, when it is there. */
    typedef char *(*demangle_fn)(const char *, size_t, char *, size_t *, uint32_t);
    static demangle_fn demangle;
    static int looked;
    if (!looked) {
        looked = 1;
        demangle = (demangle_fn)dlsym(RTLD_DEFAULT, "swift_demangle");
    }
    if (demangle) {
        char *readable = demangle(info.dli_sname, strlen(info.dli_sname), NULL, NULL, 0);
        if (readable) {
            return readable; /* malloc'd: a crash report is printed once */
        }
    }
    return info.dli_sname;
}
