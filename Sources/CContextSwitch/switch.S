/* Context switch routines for SwiftL4's hosted user threads (see ccontextswitch.h).
 * x86_64 System V: callee-saved rbx rbp r12-r15, plus MXCSR and the x87 control word.
 * aarch64 AAPCS64: callee-saved x19-x28, fp, lr, d8-d15, plus FPCR. */

#include "ccontextswitch.h"

#if defined(__APPLE__)
#define SYMBOL(name) _##name
#else
#define SYMBOL(name) name
#endif

#if defined(__x86_64__)

    .text
    .globl SYMBOL(swl4_switch)
    .globl SYMBOL(swl4_kernel_entry)
    .globl SYMBOL(swl4_thread_trampoline)

/* Pushes the callee-saved registers and the FPU control words, and stores the stack pointer
 * in *context: the context the restore path below pops. */
.macro SAVE_CONTEXT context=%rdi
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    subq $8, %rsp
    stmxcsr (%rsp)
    fnstcw 4(%rsp)
    movq %rsp, (\context)
.endm

/* void swl4_switch(swl4_context *from (rdi), swl4_context *to (rsi)) */
SYMBOL(swl4_switch):
    SAVE_CONTEXT
    movq %rsi, %rax
    jmp .Lrestore

/* intptr_t swl4_kernel_entry(from (rdi), kernel_stack_top (rsi), handler (rdx), arg (rcx)) */
SYMBOL(swl4_kernel_entry):
    SAVE_CONTEXT
    movq %rsi, %rsp
    movq %rcx, %rdi
    callq *%rdx
/* Resumes the context at rax; its `result` word is what its swl4_kernel_entry returns. */
.Lrestore:
    movq (%rax), %rsp
    movq 8(%rax), %rax
    ldmxcsr (%rsp)
    fldcw 4(%rsp)
    addq $8, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    retq

#if defined(__ELF__)
/* void swl4_sysenter(uintptr_t sysno (rdi)): the hosted "syscall instruction" (context.c
 * describes it; this is its x86_64 form, without a C frame). */
    .globl SYMBOL(swl4_sysenter)
SYMBOL(swl4_sysenter):
    movq swl4_runner_mark@gottpoff(%rip), %rax
    cmpl $1, %fs:(%rax)
    jne swl4_foreign_syscall
    movq (%rsp), %rax                   /* the NextIP */
    /* With the number in rdi and the NextIP in rax: the entry goes into the caller's TCB, and
     * the caller's context is saved on its own stack, over its return address (the NextIP),
     * so that resuming it returns straight into the libsel4 stub: the call completes. */
.Lsysenter_save:
    movq swl4_hot_state+SWL4_HOT_CURRENT_CONTEXT(%rip), %rsi
    movq %rax, SWL4_CONTEXT_NEXT_IP(%rsi)
    movq %rdi, SWL4_CONTEXT_SYSCALL_NUMBER(%rsi)
    movq %rax, SWL4_CONTEXT_PC(%rsi)
    subq $SWL4_CALL_INSTRUCTION_BYTES, %rax
    movq %rax, SWL4_CONTEXT_FAULT_IP(%rsi)
    SAVE_CONTEXT %rsi
    movq swl4_hot_state+SWL4_HOT_KERNEL_STACK_TOP(%rip), %rsp
    callq *swl4_hot_state+SWL4_HOT_SYSCALL_HANDLER(%rip)  /* handler(number) */
    jmp .Lrestore

/* A call to re-issue (TS-3, restart): the runtime replaced the parked context's return address
 * with this label, so the resumed context comes here with the stack as the stub left it after
 * the return; pushing the NextIP again makes it the stack swl4_sysenter was entered with. The
 * number and the NextIP are the ones its TCB kept from the entry. */
    .globl SYMBOL(swl4_sysenter_restart)
SYMBOL(swl4_sysenter_restart):
    movq swl4_hot_state+SWL4_HOT_CURRENT_CONTEXT(%rip), %rsi
    movq SWL4_CONTEXT_SYSCALL_NUMBER(%rsi), %rdi
    movq SWL4_CONTEXT_NEXT_IP(%rsi), %rax
    pushq %rax
    jmp .Lsysenter_save
#endif

/* First code of a new thread: r12 = entry, r13/r14/r15 = arguments, rbx = exit function. */
SYMBOL(swl4_thread_trampoline):
    movq %r13, %rdi
    movq %r14, %rsi
    movq %r15, %rdx
    callq *%r12
    callq *%rbx
    ud2

#elif defined(__aarch64__)

    .text
    .globl SYMBOL(swl4_switch)
    .globl SYMBOL(swl4_kernel_entry)
    .globl SYMBOL(swl4_thread_trampoline)
    .p2align 2

#define SAVE_CONTEXT \
    sub sp, sp, #176; \
    stp x19, x20, [sp, #0]; \
    stp x21, x22, [sp, #16]; \
    stp x23, x24, [sp, #32]; \
    stp x25, x26, [sp, #48]; \
    stp x27, x28, [sp, #64]; \
    stp x29, x30, [sp, #80]; \
    stp d8, d9, [sp, #96]; \
    stp d10, d11, [sp, #112]; \
    stp d12, d13, [sp, #128]; \
    stp d14, d15, [sp, #144]; \
    mrs x9, fpcr; \
    str x9, [sp, #160]; \
    mov x9, sp; \
    str x9, [x0]

/* void swl4_switch(swl4_context *from (x0), swl4_context *to (x1)) */
SYMBOL(swl4_switch):
    SAVE_CONTEXT
    mov x0, x1
    b 1f

/* intptr_t swl4_kernel_entry(from (x0), kernel_stack_top (x1), handler (x2), arg (x3)) */
SYMBOL(swl4_kernel_entry):
    SAVE_CONTEXT
    mov sp, x1
    mov x0, x3
    blr x2
/* Resumes the context at x0; its `result` word is what its swl4_kernel_entry returns. */
1:
    ldr x9, [x0]
    mov sp, x9
    ldr x0, [x0, #8]
    ldr x9, [sp, #160]
    msr fpcr, x9
    ldp x19, x20, [sp, #0]
    ldp x21, x22, [sp, #16]
    ldp x23, x24, [sp, #32]
    ldp x25, x26, [sp, #48]
    ldp x27, x28, [sp, #64]
    ldp x29, x30, [sp, #80]
    ldp d8, d9, [sp, #96]
    ldp d10, d11, [sp, #112]
    ldp d12, d13, [sp, #128]
    ldp d14, d15, [sp, #144]
    add sp, sp, #176
    ret

/* First code of a new thread: x19 = entry, x20-x22 = arguments, x23 = exit function. */
SYMBOL(swl4_thread_trampoline):
    mov x0, x20
    mov x1, x21
    mov x2, x22
    blr x19
    blr x23
    brk #0

#else
#error "SwiftL4's hosted runtime supports x86_64 and aarch64"
#endif

#if defined(__linux__) && defined(__ELF__)
    .section .note.GNU-stack,"",%progbits
#endif
