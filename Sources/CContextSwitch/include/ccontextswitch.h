/* Hand-switched user threads for SwiftL4's hosted runtime.
 *
 * A context is a saved stack pointer; the callee-saved registers (and the FPU control words)
 * live on the thread's own stack below it. A thread that is not running is always parked
 * inside swl4_switch or swl4_kernel_entry. */
#ifndef SWIFTL4_CCONTEXTSWITCH_H
#define SWIFTL4_CCONTEXTSWITCH_H

/* What swl4_sysenter stores, on entry, into the calling thread's TCB, at these byte offsets
 * from its context (the TCB's platform area, which the context opens): the call's NextIP (its
 * return address) twice, as HostedThreadState.syscallReturn and as the PC of the register file,
 * the FaultIP (the call instruction's address, SWL4_CALL_INSTRUCTION_BYTES before) and the
 * call's number. HostedSystem checks them against the Swift layouts before a run. */
#define SWL4_CONTEXT_NEXT_IP 16
#define SWL4_CONTEXT_SYSCALL_NUMBER 24
#define SWL4_CONTEXT_PC (-512)
/* FaultIP is the register after the architecture's seL4_UserContext words (20 on x86_64, 36 on
 * aarch64; RegisterFile.faultIP). A direct call's length: `call rel32` on x86_64 (what clang
 * emits, through the PLT too), `bl` on aarch64. */
#if defined(__x86_64__)
#define SWL4_CONTEXT_FAULT_IP (-352)
#define SWL4_CALL_INSTRUCTION_BYTES 5
#else
#define SWL4_CONTEXT_FAULT_IP (-224)
#define SWL4_CALL_INSTRUCTION_BYTES 4
#endif
/* Offsets into struct swl4_hot that switch.S reads (checked in context.c). */
#define SWL4_HOT_KERNEL_STACK_TOP 16
#define SWL4_HOT_CURRENT_CONTEXT 64
#define SWL4_HOT_SYSCALL_HANDLER 72

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>

typedef struct swl4_context {
    void *sp;
    /* What swl4_kernel_entry returns in this context when it is resumed (the hosted system
     * call path: nonzero means "re-issue the call", TS-3). */
    intptr_t result;
} swl4_context;

/* Saves the running context into *from and resumes *to. */
void swl4_switch(swl4_context *from, swl4_context *to);

/* Saves the running context into *from, moves to the kernel stack (kernel_stack_top, 16-byte
 * aligned), calls handler(arg) there, and resumes the context it returns. This is the hosted
 * "syscall instruction": one save and one restore, with the kernel running on its own stack.
 * Returns, when *from is resumed, from->result as it is then. */
intptr_t swl4_kernel_entry(swl4_context *from, void *kernel_stack_top,
                           swl4_context *(*handler)(uintptr_t arg), uintptr_t arg);

/* Prepares *ctx so that resuming it calls entry(a0, a1, a2) on the stack below stack_top and,
 * if entry returns, calls exit_fn (which must not return). */
void swl4_context_init(swl4_context *ctx, void *stack_top, uintptr_t entry,
                       uintptr_t a0, uintptr_t a1, uintptr_t a2, void (*exit_fn)(void));

/* Runs a C main(argc, argv) (argv NULL-terminated) and stores its return value in *status
 * (an int): the first code of a program's thread. */
void swl4_run_main(uintptr_t main_fn, uintptr_t argv, uintptr_t status);

/* Installs a handler on an alternate stack for the signals a program's own code raises:
 * SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS, SIGXCPU and SIGXFSZ. It calls
 * report(signal, address, pc, code, detail): the faulting data address, the interrupted
 * instruction's address, the hardware error code (x86_64 page-fault error code; for a SIGSYS
 * from seccomp, the refused system call's number; 0 elsewhere) and the signal's si_code (0 or
 * less when the program sent the signal itself: raise, kill, abort). The report
 * function may switch to another context and never return: the signal is not blocked while it
 * runs (SA_NODEFER), so a later fault is handled the same way. */
void swl4_install_fault_handler(void (*report)(int signal, uintptr_t address, uintptr_t pc, uintptr_t code, int detail));

/* Which host thread makes a seL4 call: the runner (the OS thread every SwiftL4 user thread
 * runs on, marked by swl4_mark_runner_thread), a forked child's copy of it, or another. */
enum { SWL4_OTHER_HOST_THREAD = 0, SWL4_RUNNER = 1, SWL4_FORKED_CHILD = 2 };
void swl4_mark_runner_thread(void);
void swl4_clear_runner_mark(void);
extern __thread int swl4_runner_mark __attribute__((tls_model("initial-exec")));
static inline int swl4_runner_thread_mark(void) { return swl4_runner_mark; }

/* The symbol containing pc, demangled if it is a Swift name, and pc's offset from it; or NULL
 * when the dynamic symbol table has none (a static function), and then pc's offset from the
 * image's base, for addr2line. `image` is the executable or shared object pc lies in (NULL if
 * none). */
const char *swl4_symbol_name(uintptr_t pc, uintptr_t *offset, const char **image);

/* x86_64 ELF: where a context parked by swl4_sysenter resumes to re-issue its call (TS-3):
 * the runtime writes it over the parked context's return address, at
 * SWL4_PARKED_RETURN_SLOT words above the saved stack pointer (the FPU control words and six
 * callee-saved registers below it). Elsewhere a restart is the context's nonzero result. */
#if defined(__x86_64__) && defined(__ELF__)
void swl4_sysenter_restart(void);
#define SWL4_SYSENTER_RESTARTS_BY_RETURN_ADDRESS 1
enum { SWL4_PARKED_RETURN_SLOT = 7 };
#endif

/* The memory file that backs the kernel's memory, so that one frame can be mapped at several
 * host addresses: an anonymous memfd (MFD_CLOEXEC) of `bytes` bytes, or -1 with errno. */
int swl4_memory_file(size_t bytes);
/* mmap(at, bytes, prot, flags | MAP_FIXED_NOREPLACE, file, offset) for a shared mapping of the
 * memory file at exactly `at`: `at` on success; otherwise NULL with errno (EEXIST: the host
 * already uses part of the range; a kernel too old for MAP_FIXED_NOREPLACE that placed the
 * mapping elsewhere counts as EEXIST too). With `replace`, MAP_FIXED instead: the identity
 * mapping of the kernel's memory over the runtime's own reservation. */
void *swl4_map_file(void *at, size_t bytes, int writable, int file, size_t offset, int replace);

/* The hosted runtime's hot state, kept in C so that the syscall path reads it without Swift's
 * global initialisation checks, exclusivity checks or reference counting. */
struct swl4_hot {
    void *kernel;            /* the Kernel (unretained) */
    void *system;            /* the HostedSystem (unretained) */
    void *kernel_stack_top;
    /* The lowest address of the kernel stack and its guard: a fault with the stack pointer in
     * (kernel_stack_limit, kernel_stack_top] struck the kernel, in a system call (where the
     * running thread's context, current_context, is the caller's). */
    void *kernel_stack_limit;
    /* The kernel runs off the kernel stack: handling a user fault from the signal handler or
     * a thread's exit. */
    int in_kernel;
    int check_objects;       /* --check-objects: check every kernel object at each system call */
    void **ipc_buffer_slot;  /* &__sel4_ipc_buffer, written on every switch without a call */
    int checking_objects;    /* a check is running (a crash report does not start another) */
    void **registers_slot;   /* &__swl4_registers (sel4.h), written on every switch */
    /* The running thread's saved context (where swl4_sysenter saves it), and the kernel's
     * handler of system calls, both set by the runtime: swl4_sysenter calls it with the call's
     * number as its argument. */
    struct swl4_context *current_context;
    struct swl4_context *(*syscall_handler)(uintptr_t number);
    /* Set by the fault handler: the faulting stack pointer was on the kernel stack. */
    int faulted_on_kernel_stack;
};
extern struct swl4_hot swl4_hot_state;
static inline struct swl4_hot *swl4_hot(void) { return &swl4_hot_state; }

#endif /* __ASSEMBLER__ */
#endif
