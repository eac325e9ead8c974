/* A root task written against sel4.h and booted the way seL4 boots one (`swiftl4 qemu boot`):
 * it starts at its ELF entry with a0 = the boot-info frame, no stack and no IPC buffer set up,
 * and checks what sel4test relies on: the boot info's layout and the device tree in the extra
 * boot info, mapping memory (page tables first), a process in a new VSpace, the FPU in two
 * threads, a thread whose FPU is disabled, TLS, and faults delivered in libsel4's riscv64
 * layouts. Each check prints one line; CI compares them (.ci/run). Compiled for lp64d, as
 * sel4test's programs are, so any function may use FP registers. */
#include <sel4/sel4.h>
#include <stddef.h>

int printf(const char *format, ...);
extern seL4_IPCBuffer *__sel4_ipc_buffer;
extern char _end[];

static seL4_BootInfo *bootinfo;
static seL4_Word next_slot;
static seL4_Word fault_endpoint;
/* Nobody sends on it: a thread that is done waits here for ever, so that when the root task
 * is done too, no thread can run and the kernel stops the machine. */
static seL4_Word park_endpoint;

static void park(void)
{
    for (;;) seL4_Recv(park_endpoint, NULL);
}

#define CHECK(condition, ...)                                                                      \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            printf("roottask: FAILED: %s (line %d)\n", #condition, __LINE__);                    \
            seL4_TCB_Suspend(seL4_CapInitThreadTCB);                                               \
        }                                                                                          \
    } while (0)

/* Stacks for the root task and the threads it starts (16-byte aligned, in .bss). */
char root_stack[16384] __attribute__((aligned(16)));
static char thread_stacks[3][8192] __attribute__((aligned(16)));
/* IPC buffers of the threads in the root's VSpace: one page each, page aligned. */
static seL4_IPCBuffer thread_buffers[3] __attribute__((aligned(4096)));

static seL4_Word alloc_slot(void)
{
    CHECK(next_slot < bootinfo->empty.end);
    return next_slot++;
}

/* One object from the first RAM untyped that has room, into a new slot. */
static seL4_Word make(seL4_Word type, seL4_Word size_bits)
{
    seL4_Word slot = alloc_slot();
    for (seL4_Word i = 0; i < bootinfo->untyped.end - bootinfo->untyped.start; i++) {
        if (bootinfo->untypedList[i].isDevice || bootinfo->untypedList[i].sizeBits < 16) continue;
        if (seL4_Untyped_Retype(bootinfo->untyped.start + i, type, size_bits, seL4_CapInitThreadCNode, 0, 0, slot, 1) ==
            seL4_NoError)
            return slot;
    }
    CHECK(!"an untyped with room");
    return 0;
}

/* seL4_RISCV_Page_Map, with the page tables the walk lacks made on the way (FailedLookup). */
static int map_frame(seL4_Word frame, seL4_Word vspace, seL4_Word vaddr, seL4_CapRights_t rights)
{
    int tables = 0;
    for (;;) {
        seL4_Error error = seL4_RISCV_Page_Map(frame, vspace, vaddr, rights, seL4_RISCV_Default_VMAttributes);
        if (error == seL4_NoError) return tables;
        CHECK(error == seL4_FailedLookup);
        seL4_Word table = make(seL4_RISCV_PageTableObject, 0);
        CHECK(seL4_RISCV_PageTable_Map(table, vspace, vaddr, seL4_RISCV_Default_VMAttributes) == seL4_NoError);
        tables++;
    }
}

/* A thread running `entry(argument)` on stack `stack`, with the fault endpoint as its fault
 * handler; not resumed. */
static seL4_Word make_thread(void (*entry)(seL4_Word), seL4_Word argument, seL4_Word vspace, seL4_Word stack_top,
                             seL4_Word buffer_vaddr, seL4_Word buffer_frame)
{
    seL4_Word tcb = make(seL4_TCBObject, 0);
    CHECK(seL4_TCB_Configure(tcb, fault_endpoint, seL4_CapInitThreadCNode, 0, vspace, 0, buffer_vaddr, buffer_frame) ==
          seL4_NoError);
    CHECK(seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, 254) == seL4_NoError);
    seL4_UserContext regs = {0};
    regs.pc = (seL4_Word)entry;
    regs.sp = stack_top;
    regs.a0 = argument;
    regs.a1 = buffer_vaddr;
    CHECK(seL4_TCB_WriteRegisters(tcb, 0, 0, sizeof(regs) / sizeof(seL4_Word), &regs) == seL4_NoError);
    return tcb;
}

/* The image's first page: the frames of userImageFrames end where the IPC buffer starts. */
static seL4_Word image_start(void)
{
    return (seL4_Word)bootinfo->ipcBuffer - (bootinfo->userImageFrames.end - bootinfo->userImageFrames.start) * 4096;
}

/* The user-image frame cap that backs `address` (the threads in the root's VSpace take their
 * IPC buffers from the image's .bss). */
static seL4_Word image_frame_of(void *address)
{
    return bootinfo->userImageFrames.start + ((seL4_Word)address - image_start()) / 4096;
}

/* The threads share the root's image, and with it libsel4's IPC-buffer pointer (a plain
 * global here, not sel4runtime's thread-local one): they pass their messages in registers
 * only (the *WithMRs calls), and never touch the buffer. */

/* The FPU in two threads (FPU-1): each runs its own sum of doubles, yielding between steps, so
 * the unit changes owner every step; the sums come out exact only if each keeps its state. */
static volatile double sums[2];
static void fpu_worker(seL4_Word which)
{
    double x = which ? 0.5 : 0.25, sum = 0;
    for (int i = 1; i <= 64; i++) {
        sum += x * i;
        seL4_Yield();
    }
    sums[which] = sum;
    seL4_SendWithMRs(fault_endpoint, seL4_MessageInfo_new(0, 0, 0, 0), NULL, NULL, NULL, NULL);
    park();
}

/* A thread with the FPU disabled first disables it for the root task, which owns the unit (it
 * compared the workers' sums last): the kernel saves the root's registers while this thread
 * runs with the unit off, and must leave it off (FPU-1), so this thread's FP instruction still
 * traps. The root task enables its own FPU again afterwards. */
static void fpu_user(seL4_Word ignored)
{
    (void)ignored;
    seL4_TCB_SetFlags(seL4_CapInitThreadTCB, 0, seL4_TCBFlag_fpuDisabled);
    volatile double a = 1.5;
    a = a * 3.0; /* with the FPU disabled: an illegal instruction, a user exception */
    printf("roottask: FAILED: an FP instruction ran with the FPU disabled (%d)\n", (int)a);
    park();
}

static void tls_reader(seL4_Word ignored)
{
    (void)ignored;
    seL4_Word tp;
    __asm__ volatile("mv %0, tp" : "=r"(tp));
    seL4_SendWithMRs(fault_endpoint, seL4_MessageInfo_new(0, 0, 0, 1), &tp, NULL, NULL, NULL);
    park();
}

/* In a VSpace of its own, sharing the root's code: a Call, then a write to an unmapped page. */
static void child(seL4_Word ignored)
{
    (void)ignored;
    seL4_Word mr0 = 41;
    seL4_MessageInfo_t reply = seL4_CallWithMRs(fault_endpoint, seL4_MessageInfo_new(7, 0, 0, 1), &mr0, NULL, NULL, NULL);
    volatile seL4_Word *nowhere = (seL4_Word *)0x30000000;
    *nowhere = mr0 + seL4_MessageInfo_get_length(reply);
    park();
}

static void unknown_syscall(seL4_Word ignored)
{
    (void)ignored;
    register seL4_Word a7 __asm__("a7") = (seL4_Word)-0x41;
    __asm__ volatile("ecall" ::"r"(a7));
    park();
}

static seL4_MessageInfo_t wait_fault(seL4_Word *badge) { return seL4_Recv(fault_endpoint, badge); }

void root_main(seL4_BootInfo *bi)
{
    bootinfo = bi;
    __sel4_ipc_buffer = bi->ipcBuffer;
    next_slot = bi->empty.start;

    /* 1. The boot info: the IPC buffer in the page after the image, the boot-info frame after
     * it (a0), the device tree behind an FDT header in the extra boot info. */
    seL4_Word image_end = ((seL4_Word)_end + 4095) & ~4095ul;
    CHECK((seL4_Word)bi->ipcBuffer == image_end && (seL4_Word)bi == image_end + 4096);
    CHECK(bi->nodeID == 0 && bi->numNodes == 1 && bi->initThreadCNodeSizeBits == 13 && bi->initThreadDomain == 0);
    CHECK(bi->userImagePaging.start == seL4_NumInitialCaps && bi->extraBIPages.start == bi->userImagePaging.end);
    CHECK(bi->userImageFrames.start == bi->extraBIPages.end && bi->untyped.start == bi->userImageFrames.end);
    seL4_BootInfoHeader *header = (seL4_BootInfoHeader *)((char *)bi + 4096);
    unsigned char *tree = (unsigned char *)(header + 1);
    CHECK(bi->extraLen == header->len && header->id == SEL4_BOOTINFO_HEADER_FDT);
    CHECK(tree[0] == 0xd0 && tree[1] == 0x0d && tree[2] == 0xfe && tree[3] == 0xed);
    int devices = 0, ram = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        if (bi->untypedList[i].isDevice) {
            CHECK(ram == 0);
            devices++;
        } else {
            ram++;
        }
    }
    CHECK(devices > 0 && ram > 0 && bi->untypedList[0].paddr == 0);
    CHECK(seL4_DebugCapIdentify(seL4_CapInitThreadVSpace) == 3 && seL4_DebugCapIdentify(bi->userImageFrames.start) == 1);
    /* (Counts that depend on QEMU's device tree and memory map are checked, not printed.) */
    CHECK(header->len - sizeof(*header) > 40 && bi->extraBIPages.end - bi->extraBIPages.start ==
          (header->len + 4095) / 4096);
    printf("roottask: boot info: %lu image frames, %lu page tables, the device tree in extra boot info, "
           "device untypeds before RAM ones\n",
           bi->userImageFrames.end - bi->userImageFrames.start, bi->userImagePaging.end - bi->userImagePaging.start);

    fault_endpoint = make(seL4_EndpointObject, 0);
    park_endpoint = make(seL4_EndpointObject, 0);
#ifdef SWL4_ROOT_TASK_DIES
    /* The variant that dies: a root task has no fault handler, so a fault stops it, and the
     * kernel says so. */
    printf("roottask: writing to an unmapped page\n");
    *(volatile seL4_Word *)0x40000000 = 1;
#endif

    /* 2. Memory: a new frame where no page table reaches yet. */
    seL4_Word frame = make(seL4_RISCV_4K_Page, 0);
    CHECK(seL4_RISCV_Page_Map(frame, seL4_CapInitThreadVSpace, 0x10000000, seL4_ReadWrite, 0) == seL4_FailedLookup);
    int tables = map_frame(frame, seL4_CapInitThreadVSpace, 0x10000000, seL4_ReadWrite);
    volatile seL4_Word *mapped = (seL4_Word *)0x10000000;
    *mapped = 0x5eed;
    CHECK(*mapped == 0x5eed && seL4_RISCV_Page_GetAddress(frame).paddr != 0);
    printf("roottask: mapped a frame at 0x10000000 after %d page table: wrote and read 0x%lx\n", tables, *mapped);

    /* 3. Two threads using the FPU, then one with it disabled. */
    seL4_Word workers[2];
    for (int i = 0; i < 2; i++) {
        workers[i] = make_thread(fpu_worker, i, seL4_CapInitThreadVSpace, (seL4_Word)thread_stacks[i + 1],
                                 (seL4_Word)&thread_buffers[i], image_frame_of(&thread_buffers[i]));
        CHECK(seL4_TCB_Resume(workers[i]) == seL4_NoError);
    }
    seL4_Word badge;
    for (int i = 0; i < 2; i++) wait_fault(&badge);
    double expected0 = 0.25 * 64 * 65 / 2, expected1 = 0.5 * 64 * 65 / 2;
    CHECK(sums[0] == expected0 && sums[1] == expected1);
    printf("roottask: FPU: two threads kept their own registers across 128 switches (%d, %d)\n", (int)sums[0],
           (int)sums[1]);
    seL4_Word disabled = make_thread(fpu_user, 0, seL4_CapInitThreadVSpace, (seL4_Word)thread_stacks[0] + 8192,
                                     (seL4_Word)&thread_buffers[2], image_frame_of(&thread_buffers[2]));
    seL4_TCB_SetFlags_t flags = seL4_TCB_SetFlags(disabled, 0, seL4_TCBFlag_fpuDisabled);
    CHECK(flags.error == seL4_NoError && flags.flags == seL4_TCBFlag_fpuDisabled);
    CHECK(seL4_TCB_Resume(disabled) == seL4_NoError);
    seL4_MessageInfo_t fault = wait_fault(&badge);
    CHECK(seL4_TCB_SetFlags(seL4_CapInitThreadTCB, seL4_TCBFlag_fpuDisabled, 0).error == seL4_NoError);
    CHECK(seL4_MessageInfo_get_label(fault) == seL4_Fault_UserException);
    CHECK(seL4_GetMR(seL4_UserException_FaultIP) > (seL4_Word)fpu_user);
    printf("roottask: FPU disabled: an FP instruction is a user exception, cause %lu\n",
           seL4_GetMR(seL4_UserException_Number));
    seL4_TCB_Suspend(disabled);

    /* 4. TLS: the base set by seL4_TCB_SetTLSBase is tp when the thread runs. */
    seL4_Word reader = make_thread(tls_reader, 0, seL4_CapInitThreadVSpace,
                                   (seL4_Word)thread_stacks[0] + 8192, (seL4_Word)&thread_buffers[0],
                                   image_frame_of(&thread_buffers[0]));
    CHECK(seL4_TCB_SetTLSBase(reader, 0x7150000) == seL4_NoError);
    CHECK(seL4_TCB_Resume(reader) == seL4_NoError);
    wait_fault(&badge);
    printf("roottask: TLS: the thread saw tp = 0x%lx\n", seL4_GetMR(0));

    /* 5. A process in a new VSpace: its own root page table and ASID, the root's image frames
     * mapped again by copies of their caps, its own stack and IPC buffer. */
    seL4_Word vspace = make(seL4_RISCV_PageTableObject, 0);
    CHECK(seL4_RISCV_ASIDPool_Assign(seL4_CapInitThreadASIDPool, vspace) == seL4_NoError);
    for (seL4_Word slot = bi->userImageFrames.start; slot < bi->userImageFrames.end; slot++) {
        seL4_Word copy = alloc_slot();
        CHECK(seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, 64, seL4_CapInitThreadCNode, slot, 64, seL4_AllRights) ==
              seL4_NoError);
        map_frame(copy, vspace, image_start() + (slot - bi->userImageFrames.start) * 4096, seL4_ReadWrite);
    }
    seL4_Word stack = make(seL4_RISCV_4K_Page, 0), buffer = make(seL4_RISCV_4K_Page, 0);
    map_frame(stack, vspace, 0x20000000, seL4_ReadWrite);
    map_frame(buffer, vspace, 0x20001000, seL4_ReadWrite);
    seL4_Word process = make_thread(child, 0x20001000, vspace, 0x20001000, 0x20001000, buffer);
    CHECK(seL4_TCB_Resume(process) == seL4_NoError);
    seL4_MessageInfo_t call = wait_fault(&badge);
    CHECK(seL4_MessageInfo_get_label(call) == 7 && seL4_GetMR(0) == 41);
    printf("roottask: a process in its own VSpace called with label %lu and %lu\n", seL4_MessageInfo_get_label(call),
           seL4_GetMR(0));
    seL4_SetMR(0, 1);
    seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 1));
    fault = wait_fault(&badge);
    CHECK(seL4_MessageInfo_get_label(fault) == seL4_Fault_VMFault);
    printf("roottask: the process wrote to an unmapped page: VM fault at 0x%lx, FSR %lu\n", seL4_GetMR(seL4_VMFault_Addr),
           seL4_GetMR(seL4_VMFault_FSR));
    CHECK(*mapped == 0x5eed);

    /* 6. An unknown system call: the fault message carries the number in libsel4's layout. */
    seL4_Word stranger = make_thread(unknown_syscall, 0, seL4_CapInitThreadVSpace, (seL4_Word)thread_stacks[0] + 8192,
                                     (seL4_Word)&thread_buffers[0], image_frame_of(&thread_buffers[0]));
    CHECK(seL4_TCB_Resume(stranger) == seL4_NoError);
    fault = wait_fault(&badge);
    CHECK(seL4_MessageInfo_get_label(fault) == seL4_Fault_UnknownSyscall &&
          seL4_MessageInfo_get_length(fault) == seL4_UnknownSyscall_Length);
    printf("roottask: unknown system call %ld, fault message of %lu words\n",
           (long)seL4_GetMR(seL4_UnknownSyscall_Syscall), seL4_MessageInfo_get_length(fault));

    printf("roottask: all checks passed\n");
    seL4_TCB_Suspend(seL4_CapInitThreadTCB);
}

/* The ELF entry: seL4 starts the root task with a0 = the boot-info frame and no stack. */
__asm__(".section .text.entry, \"ax\"\n"
        ".globl _start\n"
        "_start:\n"
        "    la sp, root_stack + 16384\n"
        "    j root_main\n"
        ".previous\n");
