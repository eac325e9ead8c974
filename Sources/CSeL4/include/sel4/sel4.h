/*
 * SwiftL4: the libsel4-compatible user API, in one header.
 *
 * This file is written for SwiftL4 from seL4's published interface (names, argument orders,
 * struct layouts, constant values and message marshalling of libsel4), so that C code written
 * for seL4 compiles unchanged. It is not a copy of libsel4: every system call goes through one
 * runtime entry point, swl4_syscall(), which the hosted runtime implements on x86_64 and
 * aarch64, and which this header itself defines on riscv64 (an `ecall`, for the bare-metal
 * port on QEMU virt).
 *
 * The configuration it describes (what a seL4 16.x libsel4 would be generated for):
 *   - classic scheduler (CONFIG_KERNEL_MCS off), uniprocessor, one domain;
 *   - debug build with printing (the Debug* system calls exist);
 *   - x86_64 (primary): CONFIG_HUGE_PAGE on, no IOMMU, no VT-x, FXSAVE-sized FPU state;
 *   - aarch64: no hypervisor, no SMMU, no hardware debug API.
 *   - riscv64 (bare metal, QEMU virt): Sv39 (CONFIG_PT_LEVELS 3), no hypervisor extension.
 *
 * Each group below names the libsel4 file (or generator) whose shape it mirrors.
 */
#ifndef SWIFTL4_SEL4_SEL4_H
#define SWIFTL4_SEL4_SEL4_H
#pragma once

#if !defined(__x86_64__) && !defined(__aarch64__) && !(defined(__riscv) && __riscv_xlen == 64)
#error "SwiftL4's sel4.h supports x86_64 and aarch64 hosts and bare-metal riscv64 only"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Configuration (libsel4: the generated autoconf.h / sel4/config.h).
 * Only options that are ON are defined, so `#ifdef CONFIG_X` and `#if CONFIG_X` both work.
 * ------------------------------------------------------------------------------------------- */
#ifndef CONFIG_WORD_SIZE
#define CONFIG_WORD_SIZE 64
#endif
#ifndef CONFIG_DEBUG_BUILD
#define CONFIG_DEBUG_BUILD 1
#endif
#ifndef CONFIG_PRINTING
#define CONFIG_PRINTING 1
#endif
#ifndef CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS
#define CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS 230
#endif
#ifndef CONFIG_NUM_PRIORITIES
#define CONFIG_NUM_PRIORITIES 256
#endif
#ifndef CONFIG_RETYPE_FAN_OUT_LIMIT
#define CONFIG_RETYPE_FAN_OUT_LIMIT 256
#endif
#ifndef CONFIG_MAX_NUM_NODES
#define CONFIG_MAX_NUM_NODES 1
#endif
#ifndef CONFIG_NUM_DOMAINS
#define CONFIG_NUM_DOMAINS 1
#endif
#ifndef CONFIG_LIB_SEL4_INLINE_INVOCATIONS
#define CONFIG_LIB_SEL4_INLINE_INVOCATIONS 1
#endif
#ifndef CONFIG_HAVE_FPU
#define CONFIG_HAVE_FPU 1
#endif

#if defined(__x86_64__)
#ifndef CONFIG_ARCH_X86
#define CONFIG_ARCH_X86 1
#endif
#ifndef CONFIG_ARCH_X86_64
#define CONFIG_ARCH_X86_64 1
#endif
#ifndef CONFIG_X86_64
#define CONFIG_X86_64 1
#endif
#ifndef CONFIG_HUGE_PAGE
#define CONFIG_HUGE_PAGE 1
#endif
#ifndef CONFIG_SYSCALL
#define CONFIG_SYSCALL 1
#endif
#ifndef CONFIG_XSAVE_SIZE
#define CONFIG_XSAVE_SIZE 576
#endif
#elif defined(__aarch64__)
#ifndef CONFIG_ARCH_ARM
#define CONFIG_ARCH_ARM 1
#endif
#ifndef CONFIG_ARCH_AARCH64
#define CONFIG_ARCH_AARCH64 1
#endif
#elif defined(__riscv) && __riscv_xlen == 64
#ifndef CONFIG_ARCH_RISCV
#define CONFIG_ARCH_RISCV 1
#endif
#ifndef CONFIG_ARCH_RISCV64
#define CONFIG_ARCH_RISCV64 1
#endif
/* Sv39: three page-table levels (seL4's KernelPTLevels default). */
#ifndef CONFIG_PT_LEVELS
#define CONFIG_PT_LEVELS 3
#endif
/* CONFIG_HAVE_FPU stays on (as seL4's riscv64 default, KernelRiscvExtD/F ON, has it), which
 * makes seL4_TCBBits 11: the TCB size SwiftL4's kernel core uses on every architecture. */
#endif

#if defined(CONFIG_KERNEL_MCS)
#error "SwiftL4 implements the classic (non-MCS) seL4 API: do not define CONFIG_KERNEL_MCS"
#endif

/* ---------------------------------------------------------------------------------------------
 * Compiler helpers (libsel4: sel4/macros.h).
 * ------------------------------------------------------------------------------------------- */
#ifndef CONST
#define CONST __attribute__((__const__))
#endif
#ifndef PURE
#define PURE __attribute__((__pure__))
#endif
#define SEL4_PACKED __attribute__((packed))
#define SEL4_DEPRECATED(x) __attribute__((deprecated(x)))
#define SEL4_OFFSETOF(type, member) __builtin_offsetof(type, member)
#define LIBSEL4_UNUSED __attribute__((unused))
#define LIBSEL4_WEAK __attribute__((weak))
#define LIBSEL4_NOINLINE __attribute__((noinline))
#define LIBSEL4_INLINE static inline
#define LIBSEL4_INLINE_FUNC static inline
#define LIBSEL4_BIT(n) (1ul << (n))
#define SEL4_COMPILE_ASSERT(name, expr) _Static_assert(expr, #name);
#define SEL4_SIZE_SANITY(index, entry, size) \
    SEL4_COMPILE_ASSERT(index##_##entry##_##size, (index) + (entry) == size)
/* Keeps an enum as wide as a long, as the kernel ABI expects. */
#define SEL4_FORCE_LONG_ENUM(type) _enum_pad_##type = ((1ULL << ((sizeof(long) * 8) - 1)) - 1)

/* ---------------------------------------------------------------------------------------------
 * Integer types (libsel4: sel4/simple_types.h, sel4_arch/simple_types.h). LP64 on both hosts.
 * ------------------------------------------------------------------------------------------- */
typedef signed char seL4_Int8;
typedef unsigned char seL4_Uint8;
typedef signed short int seL4_Int16;
typedef unsigned short int seL4_Uint16;
typedef signed int seL4_Int32;
typedef unsigned int seL4_Uint32;
typedef signed long int seL4_Int64;
typedef unsigned long int seL4_Uint64;

#define SEL4_PRId64 "ld"
#define SEL4_PRIi64 "li"
#define SEL4_PRIu64 "lu"
#define SEL4_PRIx64 "lx"

#define seL4_True 1
#define seL4_False 0
typedef seL4_Int8 seL4_Bool;

#ifdef __cplusplus
#define seL4_Null 0L
#else
#define seL4_Null ((void *)0)
#endif

typedef seL4_Uint64 seL4_Word;
#define SEL4_PRId_word "ld"
#define SEL4_PRIi_word "li"
#define SEL4_PRIu_word "lu"
#define SEL4_PRIx_word "lx"
#define SEL4_PRI_word SEL4_PRIu_word

typedef seL4_Word seL4_CPtr;
typedef seL4_Word seL4_Register;

_Static_assert(sizeof(seL4_Int8) == 1 && sizeof(seL4_Int16) == 2 && sizeof(seL4_Int32) == 4 &&
                   sizeof(seL4_Int64) == 8,
               "seL4 integer sizes");
_Static_assert(sizeof(seL4_Word) == 8 && sizeof(void *) == 8, "SwiftL4 hosts are LP64");

/* (libsel4: sel4/types.h) */
typedef seL4_Word seL4_NodeId;
typedef seL4_Word seL4_PAddr;
typedef seL4_Word seL4_Domain;

typedef seL4_CPtr seL4_CNode;
typedef seL4_CPtr seL4_IRQHandler;
typedef seL4_CPtr seL4_IRQControl;
typedef seL4_CPtr seL4_TCB;
typedef seL4_CPtr seL4_Untyped;
typedef seL4_CPtr seL4_DomainSet;
typedef seL4_CPtr seL4_SchedContext;
typedef seL4_CPtr seL4_SchedControl;

typedef seL4_Uint64 seL4_Time;

#define seL4_NilData 0
#define seL4_UntypedRetypeMaxObjects CONFIG_RETYPE_FAN_OUT_LIMIT

/* ---------------------------------------------------------------------------------------------
 * Object sizes and architecture constants
 * (libsel4: sel4_arch/constants.h, arch/constants.h, mode/types.h).
 * ------------------------------------------------------------------------------------------- */
#define seL4_WordBits 64
#define seL4_WordSizeBits 3
#define seL4_SlotBits 5
#define seL4_EndpointBits 4
#define seL4_NotificationBits 5
#define seL4_PageBits 12
#define seL4_LargePageBits 21
#define seL4_HugePageBits 30
#define seL4_PageTableBits 12
#define seL4_PageTableEntryBits 3
#define seL4_PageTableIndexBits 9
#if !defined(__riscv)
#define seL4_IOPageTableBits 12
#endif
#define seL4_ASIDPoolBits 12
#define seL4_MinUntypedBits 4
#if !defined(__riscv)
#define seL4_MaxUntypedBits 47
#define seL4_FastMessageRegisters 4
#endif
/* The IPC buffer is 1024 bytes. */
#define seL4_IPCBufferSizeBits 10
#if !defined(__riscv)
#define seL4_DataFault 0
#define seL4_InstructionFault 1
#endif

/* (libsel4: mode_include/64/sel4/mode/types.h) */
#define seL4_GuardSizeBits 6
#define seL4_GuardBits 58
#define seL4_BadgeBits 64

#if defined(__x86_64__)
#define TLS_GDT_ENTRY 7
#define TLS_GDT_SELECTOR ((TLS_GDT_ENTRY << 3) | 3)
#define IPCBUF_GDT_ENTRY 8
#define IPCBUF_GDT_SELECTOR ((IPCBUF_GDT_ENTRY << 3) | 3)

#if CONFIG_XSAVE_SIZE >= 832
#define seL4_TCBBits 12
#else
#define seL4_TCBBits 11
#endif
#define seL4_PageDirBits 12
#define seL4_PageDirEntryBits 3
#define seL4_PageDirIndexBits 9
#define seL4_PDPTBits 12
#define seL4_PDPTEntryBits 3
#define seL4_PDPTIndexBits 9
#define seL4_PML4Bits 12
#define seL4_PML4EntryBits 3
#define seL4_PML4IndexBits 9
#define seL4_VSpaceBits seL4_PML4Bits
#define seL4_NumASIDPoolsBits 3
#define seL4_ASIDPoolIndexBits 9
/* First address in the virtual address space that is not accessible to user level. */
#define seL4_UserTop 0x00007ffffffff000

/* (libsel4: arch_include/x86/sel4/arch/constants.h) */
#define IRQ_OFFSET (0x20 + 16)
#define VECTOR_MIN (0)
#define VECTOR_MAX (109)
#define MSI_MIN VECTOR_MIN
#define MSI_MAX VECTOR_MAX
#define seL4_VCPUBits 14
#define seL4_X86_VCPUBits seL4_VCPUBits

#elif defined(__aarch64__)
#define seL4_CHERIFault 2
#define seL4_TCBBits 11
#define seL4_ASIDPoolIndexBits 9
#define seL4_RegisterSizeBits 3
#define seL4_NumASIDPoolsBits 7
#define seL4_VSpaceEntryBits 3
#define seL4_VSpaceBits 12
#define seL4_VSpaceIndexBits 9
#define seL4_ARM_VCPUBits 12
#define seL4_VCPUBits 12
/* First address in the virtual address space that is not accessible to user level. */
#define seL4_UserTop 0x00007fffffffffff

#elif defined(__riscv) && __riscv_xlen == 64
/* (libsel4: sel4_arch_include/riscv64/sel4/sel4_arch/constants.h; arch_include/riscv's
 * constants.h is empty). libsel4 defines no seL4_FastMessageRegisters, seL4_IOPageTableBits,
 * seL4_DataFault or seL4_InstructionFault for RISC-V, so neither does this header; SwiftL4's
 * riscv64 ABI still carries MR0..MR3 in registers a2..a5, as seL4's does. */
#ifdef CONFIG_HAVE_FPU
#define seL4_TCBBits 11
#else
#define seL4_TCBBits 10
#endif
#define seL4_ASIDPoolIndexBits 9
#define seL4_RegisterSizeBits 3
#define seL4_TeraPageBits 39
#define seL4_VSpaceBits seL4_PageTableBits
#define seL4_NumASIDPoolsBits 7
#define seL4_MaxUntypedBits 38
/* First address in the virtual address space that is not accessible to user level (Sv39). */
#define seL4_UserTop 0x0000003ffffff000
#endif

/* ---------------------------------------------------------------------------------------------
 * Errors, limits, lookup failures, TCB flags (libsel4: sel4/errors.h, sel4/constants.h).
 * ------------------------------------------------------------------------------------------- */
typedef enum {
    seL4_NoError = 0,
    seL4_InvalidArgument,
    seL4_InvalidCapability,
    seL4_IllegalOperation,
    seL4_RangeError,
    seL4_AlignmentError,
    seL4_FailedLookup,
    seL4_TruncatedMessage,
    seL4_DeleteFirst,
    seL4_RevokeFirst,
    seL4_NotEnoughMemory,
    /* Always last: the number of errors. */
    seL4_NumErrors
} seL4_Error;

enum priorityConstants {
    seL4_InvalidPrio = -1,
    seL4_MinPrio = 0,
    seL4_MaxPrio = CONFIG_NUM_PRIORITIES - 1
};

enum seL4_MsgLimits {
    seL4_MsgLengthBits = 7,
    seL4_MsgExtraCapBits = 2
};

enum {
    seL4_MsgMaxLength = 120,
};
#define seL4_MsgMaxExtraCaps (LIBSEL4_BIT(seL4_MsgExtraCapBits) - 1)

#define seL4_CapRightsBits 4

typedef enum {
    seL4_NoFailure = 0,
    seL4_InvalidRoot,
    seL4_MissingCapability,
    seL4_DepthMismatch,
    seL4_GuardMismatch,
    SEL4_FORCE_LONG_ENUM(seL4_LookupFailureType),
} seL4_LookupFailureType;

typedef enum {
    seL4_TCBFlag_NoFlag = 0x0,
    seL4_TCBFlag_fpuDisabled = 0x1,
    SEL4_FORCE_LONG_ENUM(seL4_TCBFlag),
    seL4_TCBFlag_MASK = seL4_TCBFlag_NoFlag | seL4_TCBFlag_fpuDisabled
} seL4_TCBFlag;

/* ---------------------------------------------------------------------------------------------
 * Object types (libsel4: sel4/objecttype.h, sel4_arch/objecttype.h, arch/objecttype.h).
 * ------------------------------------------------------------------------------------------- */
typedef enum api_object {
    seL4_UntypedObject,          /* 0 */
    seL4_TCBObject,              /* 1 */
    seL4_EndpointObject,         /* 2 */
    seL4_NotificationObject,     /* 3 */
    seL4_CapTableObject,         /* 4 */
    seL4_NonArchObjectTypeCount, /* 5 */
} seL4_ObjectType;

typedef seL4_Word api_object_t;

#if defined(__x86_64__)
typedef enum _mode_object {
    seL4_X86_PDPTObject = seL4_NonArchObjectTypeCount, /* 5 */
    seL4_X64_PML4Object,                               /* 6 */
    seL4_X64_HugePageObject,                           /* 7 (CONFIG_HUGE_PAGE) */
    seL4_ModeObjectTypeCount                           /* 8 */
} seL4_seL4ArchObjectType;

#define seL4_IA32_PDPTObject seL4_X86_PDPTObject

typedef enum _object {
    seL4_X86_4K = seL4_ModeObjectTypeCount, /* 8 */
    seL4_X86_LargePageObject,               /* 9 */
    seL4_X86_PageTableObject,               /* 10 */
    seL4_X86_PageDirectoryObject,           /* 11 */
    seL4_ObjectTypeCount                    /* 12 */
} seL4_ArchObjectType;

/* Types that exist only with CONFIG_IOMMU / CONFIG_VTX get libsel4's placeholder values. */
#define seL4_X86_IOPageTableObject 0xffffff
#define seL4_X86_VCPUObject 0xfffffe
#define seL4_X86_EPTPML4Object 0xfffffd
#define seL4_X86_EPTPDPTObject 0xfffffc
#define seL4_X86_EPTPDObject 0xfffffb
#define seL4_X86_EPTPTObject 0xfffffa

#elif defined(__aarch64__)
typedef enum _mode_object {
    seL4_ARM_HugePageObject = seL4_NonArchObjectTypeCount, /* 5 */
    seL4_ARM_VSpaceObject,                                 /* 6 */
    seL4_ModeObjectTypeCount                               /* 7 */
} seL4_ModeObjectType;

typedef enum _object {
    seL4_ARM_SmallPageObject = seL4_ModeObjectTypeCount, /* 7 */
    seL4_ARM_LargePageObject,                            /* 8 */
    seL4_ARM_PageTableObject,                            /* 9 */
    seL4_ObjectTypeCount                                 /* 10 */
} seL4_ArchObjectType;

#define seL4_ARM_VCPUObject 0xfffe
#define seL4_ARM_IOPageTableObject 0xffff

#elif defined(__riscv) && __riscv_xlen == 64
typedef enum _mode_object {
    seL4_RISCV_Giga_Page = seL4_NonArchObjectTypeCount, /* 5 */
    seL4_ModeObjectTypeCount                            /* 6 (Tera_Page only with 4+ levels) */
} seL4_ModeObjectType;

#define seL4_RISCV_Tera_Page 0xffffffff

typedef enum _object {
    seL4_RISCV_4K_Page = seL4_ModeObjectTypeCount, /* 6 */
    seL4_RISCV_Mega_Page,                          /* 7 */
    seL4_RISCV_PageTableObject,                    /* 8 */
    seL4_ObjectTypeCount                           /* 9 */
} seL4_ArchObjectType;
_Static_assert(seL4_RISCV_PageTableObject == 8, "riscv64 object type numbering");
#endif

typedef seL4_Word object_t;

/* ---------------------------------------------------------------------------------------------
 * System call numbers (libsel4: generated sel4/syscall.h, from include/api/syscall.xml,
 * api-master list then the debug list, numbered -1, -2, ... across all entries).
 * ------------------------------------------------------------------------------------------- */
typedef enum {
    seL4_SysCall = -1,
    seL4_SysReplyRecv = -2,
    seL4_SysSend = -3,
    seL4_SysNBSend = -4,
    seL4_SysRecv = -5,
    seL4_SysReply = -6,
    seL4_SysYield = -7,
    seL4_SysNBRecv = -8,
    /* CONFIG_PRINTING */
    seL4_SysDebugPutChar = -9,
    seL4_SysDebugDumpScheduler = -10,
    /* CONFIG_DEBUG_BUILD */
    seL4_SysDebugHalt = -11,
    seL4_SysDebugCapIdentify = -12,
    seL4_SysDebugSnapshot = -13,
    seL4_SysDebugNameThread = -14,
    /* -15 DebugSendIPI (SMP), -16 DebugRun, -17..-25 benchmarks, -26/-27 x86 MSR,
     * -28 VMEnter (VT-x), -29 SetTLSBase (CONFIG_SET_TLS_BASE_SELF): not in this configuration. */
    SEL4_FORCE_LONG_ENUM(seL4_Syscall_ID)
} seL4_Syscall_ID;

/* ---------------------------------------------------------------------------------------------
 * Invocation labels (libsel4: generated sel4/invocation.h, sel4_arch/invocation.h,
 * arch/invocation.h; one label per <method> of interfaces/object-api.xml, then the sel4_arch
 * and arch object-api XML files, methods whose condition is off omitted).
 * ------------------------------------------------------------------------------------------- */
enum invocation_label {
    InvalidInvocation,      /* 0 */
    UntypedRetype,          /* 1 */
    TCBReadRegisters,       /* 2 */
    TCBWriteRegisters,      /* 3 */
    TCBCopyRegisters,       /* 4 */
    TCBConfigure,           /* 5 */
    TCBSetPriority,         /* 6 */
    TCBSetMCPriority,       /* 7 */
    TCBSetSchedParams,      /* 8 */
    TCBSetIPCBuffer,        /* 9 */
    TCBSetSpace,            /* 10 */
    TCBSuspend,             /* 11 */
    TCBResume,              /* 12 */
    TCBBindNotification,    /* 13 */
    TCBUnbindNotification,  /* 14 */
    TCBSetTLSBase,          /* 15 */
    TCBSetFlags,            /* 16 */
    CNodeRevoke,            /* 17 */
    CNodeDelete,            /* 18 */
    CNodeCancelBadgedSends, /* 19 */
    CNodeCopy,              /* 20 */
    CNodeMint,              /* 21 */
    CNodeMove,              /* 22 */
    CNodeMutate,            /* 23 */
    CNodeRotate,            /* 24 */
    CNodeSaveCaller,        /* 25 */
    IRQIssueIRQHandler,     /* 26 */
    IRQAckIRQ,              /* 27 */
    IRQSetIRQHandler,       /* 28 */
    IRQClearIRQHandler,     /* 29 */
    DomainSetSet,           /* 30 */
    DomainScheduleConfigure, /* 31, since seL4 15.0.0 */
    DomainScheduleSetStart,  /* 32, since seL4 15.0.0 */
    nInvocationLabels        /* 33 */
};

#if defined(__x86_64__)
enum sel4_arch_invocation_label {
    X86PDPTMap = nInvocationLabels, /* 33 */
    X86PDPTUnmap,                   /* 34 */
    nSeL4ArchInvocationLabels       /* 35 (the VCPU MSR labels need CONFIG_X86_64_VTX_64BIT_GUESTS) */
};

/* The labels seL4 declares under CONFIG_ARCH_IA32, CONFIG_IOMMU or CONFIG_VTX are absent, as in
 * seL4's generated header for a kernel configured without them. */
enum arch_invocation_label {
    X86PageDirectoryMap = nSeL4ArchInvocationLabels, /* 35 */
    X86PageDirectoryUnmap,                           /* 36 */
    X86PageTableMap,                                 /* 37 */
    X86PageTableUnmap,                               /* 38 */
    X86PageMap,                                      /* 39 */
    X86PageUnmap,                                    /* 40 */
    X86PageGetAddress,                               /* 41 */
    X86ASIDControlMakePool,                          /* 42 */
    X86ASIDPoolAssign,                               /* 43 */
    X86IOPortControlIssue,                           /* 44 */
    X86IOPortIn8,                                    /* 45 */
    X86IOPortIn16,                                   /* 46 */
    X86IOPortIn32,                                   /* 47 */
    X86IOPortOut8,                                   /* 48 */
    X86IOPortOut16,                                  /* 49 */
    X86IOPortOut32,                                  /* 50 */
    X86IRQIssueIRQHandlerIOAPIC,                     /* 51 */
    X86IRQIssueIRQHandlerMSI,                        /* 52 */
    nArchInvocationLabels                            /* 53 */
};
_Static_assert(X86PageGetAddress == 41, "x86_64 invocation label numbering");
#elif defined(__aarch64__)
enum sel4_arch_invocation_label {
    ARMVSpaceClean_Data = nInvocationLabels, /* 33 */
    ARMVSpaceInvalidate_Data,                /* 34 */
    ARMVSpaceCleanInvalidate_Data,           /* 35 */
    ARMVSpaceUnify_Instruction,              /* 36 */
    ARMSMCCall,                              /* 37 */
    nSeL4ArchInvocationLabels                /* 38 */
};

/* The SMMU, VCPU and SMP labels are absent, as in seL4's generated header for a one-core kernel
 * without CONFIG_TK1_SMMU, CONFIG_ARM_HYPERVISOR_SUPPORT or CONFIG_ARM_SMMU. */
enum arch_invocation_label {
    ARMPageTableMap = nSeL4ArchInvocationLabels, /* 38 */
    ARMPageTableUnmap,                           /* 39 */
    ARMPageMap,                                  /* 40 */
    ARMPageUnmap,                                /* 41 */
    ARMPageClean_Data,                           /* 42 */
    ARMPageInvalidate_Data,                      /* 43 */
    ARMPageCleanInvalidate_Data,                 /* 44 */
    ARMPageUnify_Instruction,                    /* 45 */
    ARMPageGetAddress,                           /* 46 */
    ARMASIDControlMakePool,                      /* 47 */
    ARMASIDPoolAssign,                           /* 48 */
    ARMIRQIssueIRQHandlerTrigger,                /* 49 */
    ARMIRQIssueSGISignal,                        /* 50 (not CONFIG_ENABLE_SMP_SUPPORT) */
    nArchInvocationLabels                        /* 51 */
};
_Static_assert(ARMPageGetAddress == 46, "aarch64 invocation label numbering");
#elif defined(__riscv) && __riscv_xlen == 64
/* riscv64's object-api-sel4-arch.xml declares no methods. */
enum sel4_arch_invocation_label {
    nSeL4ArchInvocationLabels = nInvocationLabels /* 33 */
};

enum arch_invocation_label {
    RISCVPageTableMap = nSeL4ArchInvocationLabels, /* 33 */
    RISCVPageTableUnmap,                           /* 34 */
    RISCVPageMap,                                  /* 35 */
    RISCVPageUnmap,                                /* 36 */
    RISCVPageGetAddress,                           /* 37 */
    RISCVASIDControlMakePool,                      /* 38 */
    RISCVASIDPoolAssign,                           /* 39 */
    RISCVIRQIssueIRQHandlerTrigger,                /* 40 */
    nArchInvocationLabels                          /* 41 */
};
_Static_assert(RISCVPageGetAddress == 37, "riscv64 invocation label numbering");
#endif
_Static_assert(nInvocationLabels == 33 && DomainSetSet == 30, "generic invocation label numbering (seL4 15.0.0 and later)");

/* ---------------------------------------------------------------------------------------------
 * Bit-packed ABI words (libsel4: shared_types_64.bf through tools/bitfield_gen.py).
 * Like the generator: _new builds a value, _get_ reads a field, _set_ returns an updated copy,
 * and the _ptr_ variants work in place. Fields are listed from the top bit down.
 * ------------------------------------------------------------------------------------------- */

/* seL4_MessageInfo: label 52 (63..12) | capsUnwrapped 3 (11..9) | extraCaps 2 (8..7) |
 * length 7 (6..0). */
struct seL4_MessageInfo {
    seL4_Uint64 words[1];
};
typedef struct seL4_MessageInfo seL4_MessageInfo_t;

#define SWL4_MI_LABEL_MASK 0xfffffffffffff000ull
#define SWL4_MI_CAPS_UNWRAPPED_MASK 0xe00ull
#define SWL4_MI_EXTRA_CAPS_MASK 0x180ull
#define SWL4_MI_LENGTH_MASK 0x7full

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t CONST seL4_MessageInfo_new(seL4_Uint64 label,
                                                                  seL4_Uint64 capsUnwrapped,
                                                                  seL4_Uint64 extraCaps,
                                                                  seL4_Uint64 length)
{
    seL4_MessageInfo_t seL4_MessageInfo;
    seL4_MessageInfo.words[0] = ((label << 12) & SWL4_MI_LABEL_MASK) |
                                ((capsUnwrapped << 9) & SWL4_MI_CAPS_UNWRAPPED_MASK) |
                                ((extraCaps << 7) & SWL4_MI_EXTRA_CAPS_MASK) |
                                (length & SWL4_MI_LENGTH_MASK);
    return seL4_MessageInfo;
}

LIBSEL4_INLINE_FUNC void seL4_MessageInfo_ptr_new(seL4_MessageInfo_t *seL4_MessageInfo_ptr,
                                                  seL4_Uint64 label, seL4_Uint64 capsUnwrapped,
                                                  seL4_Uint64 extraCaps, seL4_Uint64 length)
{
    *seL4_MessageInfo_ptr = seL4_MessageInfo_new(label, capsUnwrapped, extraCaps, length);
}

LIBSEL4_INLINE_FUNC seL4_Uint64 CONST seL4_MessageInfo_get_label(seL4_MessageInfo_t seL4_MessageInfo)
{
    return (seL4_MessageInfo.words[0] & SWL4_MI_LABEL_MASK) >> 12;
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t CONST seL4_MessageInfo_set_label(seL4_MessageInfo_t seL4_MessageInfo,
                                                                        seL4_Uint64 v64)
{
    seL4_MessageInfo.words[0] =
        (seL4_MessageInfo.words[0] & ~SWL4_MI_LABEL_MASK) | ((v64 << 12) & SWL4_MI_LABEL_MASK);
    return seL4_MessageInfo;
}

LIBSEL4_INLINE_FUNC seL4_Uint64 PURE seL4_MessageInfo_ptr_get_label(seL4_MessageInfo_t *seL4_MessageInfo_ptr)
{
    return seL4_MessageInfo_get_label(*seL4_MessageInfo_ptr);
}

LIBSEL4_INLINE_FUNC void seL4_MessageInfo_ptr_set_label(seL4_MessageInfo_t *seL4_MessageInfo_ptr,
                                                        seL4_Uint64 v64)
{
    *seL4_MessageInfo_ptr = seL4_MessageInfo_set_label(*seL4_MessageInfo_ptr, v64);
}

LIBSEL4_INLINE_FUNC seL4_Uint64 CONST seL4_MessageInfo_get_capsUnwrapped(seL4_MessageInfo_t seL4_MessageInfo)
{
    return (seL4_MessageInfo.words[0] & SWL4_MI_CAPS_UNWRAPPED_MASK) >> 9;
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t CONST
seL4_MessageInfo_set_capsUnwrapped(seL4_MessageInfo_t seL4_MessageInfo, seL4_Uint64 v64)
{
    seL4_MessageInfo.words[0] = (seL4_MessageInfo.words[0] & ~SWL4_MI_CAPS_UNWRAPPED_MASK) |
                                ((v64 << 9) & SWL4_MI_CAPS_UNWRAPPED_MASK);
    return seL4_MessageInfo;
}

LIBSEL4_INLINE_FUNC seL4_Uint64 PURE
seL4_MessageInfo_ptr_get_capsUnwrapped(seL4_MessageInfo_t *seL4_MessageInfo_ptr)
{
    return seL4_MessageInfo_get_capsUnwrapped(*seL4_MessageInfo_ptr);
}

LIBSEL4_INLINE_FUNC void seL4_MessageInfo_ptr_set_capsUnwrapped(seL4_MessageInfo_t *seL4_MessageInfo_ptr,
                                                                seL4_Uint64 v64)
{
    *seL4_MessageInfo_ptr = seL4_MessageInfo_set_capsUnwrapped(*seL4_MessageInfo_ptr, v64);
}

LIBSEL4_INLINE_FUNC seL4_Uint64 CONST seL4_MessageInfo_get_extraCaps(seL4_MessageInfo_t seL4_MessageInfo)
{
    return (seL4_MessageInfo.words[0] & SWL4_MI_EXTRA_CAPS_MASK) >> 7;
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t CONST seL4_MessageInfo_set_extraCaps(seL4_MessageInfo_t seL4_MessageInfo,
                                                                            seL4_Uint64 v64)
{
    seL4_MessageInfo.words[0] = (seL4_MessageInfo.words[0] & ~SWL4_MI_EXTRA_CAPS_MASK) |
                                ((v64 << 7) & SWL4_MI_EXTRA_CAPS_MASK);
    return seL4_MessageInfo;
}

LIBSEL4_INLINE_FUNC seL4_Uint64 PURE
seL4_MessageInfo_ptr_get_extraCaps(seL4_MessageInfo_t *seL4_MessageInfo_ptr)
{
    return seL4_MessageInfo_get_extraCaps(*seL4_MessageInfo_ptr);
}

LIBSEL4_INLINE_FUNC void seL4_MessageInfo_ptr_set_extraCaps(seL4_MessageInfo_t *seL4_MessageInfo_ptr,
                                                            seL4_Uint64 v64)
{
    *seL4_MessageInfo_ptr = seL4_MessageInfo_set_extraCaps(*seL4_MessageInfo_ptr, v64);
}

LIBSEL4_INLINE_FUNC seL4_Uint64 CONST seL4_MessageInfo_get_length(seL4_MessageInfo_t seL4_MessageInfo)
{
    return seL4_MessageInfo.words[0] & SWL4_MI_LENGTH_MASK;
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t CONST seL4_MessageInfo_set_length(seL4_MessageInfo_t seL4_MessageInfo,
                                                                         seL4_Uint64 v64)
{
    seL4_MessageInfo.words[0] =
        (seL4_MessageInfo.words[0] & ~SWL4_MI_LENGTH_MASK) | (v64 & SWL4_MI_LENGTH_MASK);
    return seL4_MessageInfo;
}

LIBSEL4_INLINE_FUNC seL4_Uint64 PURE seL4_MessageInfo_ptr_get_length(seL4_MessageInfo_t *seL4_MessageInfo_ptr)
{
    return seL4_MessageInfo_get_length(*seL4_MessageInfo_ptr);
}

LIBSEL4_INLINE_FUNC void seL4_MessageInfo_ptr_set_length(seL4_MessageInfo_t *seL4_MessageInfo_ptr,
                                                         seL4_Uint64 v64)
{
    *seL4_MessageInfo_ptr = seL4_MessageInfo_set_length(*seL4_MessageInfo_ptr, v64);
}

/* seL4_CapRights: padding 60 | capAllowGrantReply (bit 3) | capAllowGrant (bit 2) |
 * capAllowRead (bit 1) | capAllowWrite (bit 0). */
struct seL4_CapRights {
    seL4_Uint64 words[1];
};
typedef struct seL4_CapRights seL4_CapRights_t;

LIBSEL4_INLINE_FUNC seL4_CapRights_t CONST seL4_CapRights_new(seL4_Uint64 capAllowGrantReply,
                                                              seL4_Uint64 capAllowGrant,
                                                              seL4_Uint64 capAllowRead,
                                                              seL4_Uint64 capAllowWrite)
{
    seL4_CapRights_t seL4_CapRights;
    seL4_CapRights.words[0] = ((capAllowGrantReply & 0x1ull) << 3) | ((capAllowGrant & 0x1ull) << 2) |
                              ((capAllowRead & 0x1ull) << 1) | (capAllowWrite & 0x1ull);
    return seL4_CapRights;
}

LIBSEL4_INLINE_FUNC void seL4_CapRights_ptr_new(seL4_CapRights_t *seL4_CapRights_ptr,
                                                seL4_Uint64 capAllowGrantReply, seL4_Uint64 capAllowGrant,
                                                seL4_Uint64 capAllowRead, seL4_Uint64 capAllowWrite)
{
    *seL4_CapRights_ptr = seL4_CapRights_new(capAllowGrantReply, capAllowGrant, capAllowRead, capAllowWrite);
}

/* One getter/setter family per right; `shift` is the field's bit. */
#define SWL4_CAPRIGHTS_FIELD(field, shift)                                                                  \
    LIBSEL4_INLINE_FUNC seL4_Uint64 CONST seL4_CapRights_get_##field(seL4_CapRights_t seL4_CapRights)       \
    {                                                                                                       \
        return (seL4_CapRights.words[0] >> (shift)) & 0x1ull;                                              \
    }                                                                                                       \
    LIBSEL4_INLINE_FUNC seL4_CapRights_t CONST seL4_CapRights_set_##field(seL4_CapRights_t seL4_CapRights, \
                                                                          seL4_Uint64 v64)                 \
    {                                                                                                       \
        seL4_CapRights.words[0] = (seL4_CapRights.words[0] & ~(0x1ull << (shift))) |                      \
                                  ((v64 & 0x1ull) << (shift));                                             \
        return seL4_CapRights;                                                                              \
    }                                                                                                       \
    LIBSEL4_INLINE_FUNC seL4_Uint64 PURE seL4_CapRights_ptr_get_##field(seL4_CapRights_t *seL4_CapRights_ptr) \
    {                                                                                                       \
        return seL4_CapRights_get_##field(*seL4_CapRights_ptr);                                            \
    }                                                                                                       \
    LIBSEL4_INLINE_FUNC void seL4_CapRights_ptr_set_##field(seL4_CapRights_t *seL4_CapRights_ptr,          \
                                                            seL4_Uint64 v64)                               \
    {                                                                                                       \
        *seL4_CapRights_ptr = seL4_CapRights_set_##field(*seL4_CapRights_ptr, v64);                        \
    }

SWL4_CAPRIGHTS_FIELD(capAllowGrantReply, 3)
SWL4_CAPRIGHTS_FIELD(capAllowGrant, 2)
SWL4_CAPRIGHTS_FIELD(capAllowRead, 1)
SWL4_CAPRIGHTS_FIELD(capAllowWrite, 0)
#undef SWL4_CAPRIGHTS_FIELD

/* seL4_CNode_CapData: guard 58 (63..6) | guardSize 6 (5..0). */
struct seL4_CNode_CapData {
    seL4_Uint64 words[1];
};
typedef struct seL4_CNode_CapData seL4_CNode_CapData_t;

LIBSEL4_INLINE_FUNC seL4_CNode_CapData_t CONST seL4_CNode_CapData_new(seL4_Uint64 guard, seL4_Uint64 guardSize)
{
    seL4_CNode_CapData_t seL4_CNode_CapData;
    seL4_CNode_CapData.words[0] = ((guard << 6) & 0xffffffffffffffc0ull) | (guardSize & 0x3full);
    return seL4_CNode_CapData;
}

LIBSEL4_INLINE_FUNC void seL4_CNode_CapData_ptr_new(seL4_CNode_CapData_t *seL4_CNode_CapData_ptr,
                                                    seL4_Uint64 guard, seL4_Uint64 guardSize)
{
    *seL4_CNode_CapData_ptr = seL4_CNode_CapData_new(guard, guardSize);
}

LIBSEL4_INLINE_FUNC seL4_Uint64 CONST seL4_CNode_CapData_get_guard(seL4_CNode_CapData_t seL4_CNode_CapData)
{
    return (seL4_CNode_CapData.words[0] & 0xffffffffffffffc0ull) >> 6;
}

LIBSEL4_INLINE_FUNC seL4_CNode_CapData_t CONST
seL4_CNode_CapData_set_guard(seL4_CNode_CapData_t seL4_CNode_CapData, seL4_Uint64 v64)
{
    seL4_CNode_CapData.words[0] =
        (seL4_CNode_CapData.words[0] & 0x3full) | ((v64 << 6) & 0xffffffffffffffc0ull);
    return seL4_CNode_CapData;
}

LIBSEL4_INLINE_FUNC seL4_Uint64 PURE
seL4_CNode_CapData_ptr_get_guard(seL4_CNode_CapData_t *seL4_CNode_CapData_ptr)
{
    return seL4_CNode_CapData_get_guard(*seL4_CNode_CapData_ptr);
}

LIBSEL4_INLINE_FUNC void seL4_CNode_CapData_ptr_set_guard(seL4_CNode_CapData_t *seL4_CNode_CapData_ptr,
                                                          seL4_Uint64 v64)
{
    *seL4_CNode_CapData_ptr = seL4_CNode_CapData_set_guard(*seL4_CNode_CapData_ptr, v64);
}

LIBSEL4_INLINE_FUNC seL4_Uint64 CONST seL4_CNode_CapData_get_guardSize(seL4_CNode_CapData_t seL4_CNode_CapData)
{
    return seL4_CNode_CapData.words[0] & 0x3full;
}

LIBSEL4_INLINE_FUNC seL4_CNode_CapData_t CONST
seL4_CNode_CapData_set_guardSize(seL4_CNode_CapData_t seL4_CNode_CapData, seL4_Uint64 v64)
{
    seL4_CNode_CapData.words[0] = (seL4_CNode_CapData.words[0] & ~0x3full) | (v64 & 0x3full);
    return seL4_CNode_CapData;
}

LIBSEL4_INLINE_FUNC seL4_Uint64 PURE
seL4_CNode_CapData_ptr_get_guardSize(seL4_CNode_CapData_t *seL4_CNode_CapData_ptr)
{
    return seL4_CNode_CapData_get_guardSize(*seL4_CNode_CapData_ptr);
}

LIBSEL4_INLINE_FUNC void seL4_CNode_CapData_ptr_set_guardSize(seL4_CNode_CapData_t *seL4_CNode_CapData_ptr,
                                                              seL4_Uint64 v64)
{
    *seL4_CNode_CapData_ptr = seL4_CNode_CapData_set_guardSize(*seL4_CNode_CapData_ptr, v64);
}

/* Rights sets (libsel4: sel4/shared_types.h). Arguments: grantReply, grant, read, write. */
#define seL4_ReadWrite seL4_CapRights_new(0, 0, 1, 1)
#define seL4_AllRights seL4_CapRights_new(1, 1, 1, 1)
#define seL4_CanRead seL4_CapRights_new(0, 0, 1, 0)
#define seL4_CanWrite seL4_CapRights_new(0, 0, 0, 1)
#define seL4_CanGrant seL4_CapRights_new(0, 1, 0, 0)
#define seL4_CanGrantReply seL4_CapRights_new(1, 0, 0, 0)
#define seL4_NoWrite seL4_CapRights_new(1, 1, 1, 0)
#define seL4_NoRead seL4_CapRights_new(1, 1, 0, 1)
#define seL4_NoRights seL4_CapRights_new(0, 0, 0, 0)

/* ---------------------------------------------------------------------------------------------
 * Architecture capability types, VM attributes and the user context
 * (libsel4: arch/types.h, sel4_arch/types.h; member order from object-api-sel4-arch.xml).
 * ------------------------------------------------------------------------------------------- */
#if defined(__x86_64__)
typedef seL4_CPtr seL4_X64_PML4;
typedef seL4_CPtr seL4_X86_ASIDControl;
typedef seL4_CPtr seL4_X86_ASIDPool;
typedef seL4_CPtr seL4_X86_IOSpace;
typedef seL4_CPtr seL4_X86_IOPort;
typedef seL4_CPtr seL4_X86_IOPortControl;
typedef seL4_CPtr seL4_X86_Page;
typedef seL4_CPtr seL4_X86_PDPT;
typedef seL4_CPtr seL4_X86_PageDirectory;
typedef seL4_CPtr seL4_X86_PageTable;
typedef seL4_CPtr seL4_X86_IOPageTable;
typedef seL4_CPtr seL4_X86_EPTPML4;
typedef seL4_CPtr seL4_X86_EPTPDPT;
typedef seL4_CPtr seL4_X86_EPTPD;
typedef seL4_CPtr seL4_X86_EPTPT;
typedef seL4_CPtr seL4_X86_VCPU;

typedef enum {
    seL4_X86_Default_VMAttributes = 0,
    seL4_X86_WriteBack = 0,
    seL4_X86_WriteThrough = 1,
    seL4_X86_CacheDisabled = 2,
    seL4_X86_Uncacheable = 3,
    seL4_X86_WriteCombining = 4,
    SEL4_FORCE_LONG_ENUM(seL4_X86_VMAttributes),
} seL4_X86_VMAttributes;

typedef enum {
    seL4_X86_EPT_Uncached_VMAttributes = 6,
    seL4_X86_EPT_Uncacheable = 0,
    seL4_X86_EPT_WriteCombining = 1,
    seL4_X86_EPT_WriteThrough = 4,
    seL4_X86_EPT_WriteProtected = 5,
    seL4_X86_EPT_WriteBack = 6,
    seL4_X86_EPT_Default_VMAttributes = 6,
    SEL4_FORCE_LONG_ENUM(seL4_X86_EPT_VMAttributes),
} seL4_X86_EPT_VMAttributes;

/* As used by seL4_TCB_ReadRegisters / seL4_TCB_WriteRegisters: MR order is field order. */
typedef struct seL4_UserContext_ {
    seL4_Word rip, rsp, rflags, rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
    seL4_Word fs_base, gs_base;
} seL4_UserContext;
#define SWL4_USER_CONTEXT_WORDS 20

typedef struct seL4_VCPUContext_ {
    seL4_Word eax, ebx, ecx, edx, esi, edi, ebp;
} seL4_VCPUContext;

#elif defined(__aarch64__)
typedef seL4_CPtr seL4_ARM_Page;
typedef seL4_CPtr seL4_ARM_PageTable;
typedef seL4_CPtr seL4_ARM_PageDirectory;
typedef seL4_CPtr seL4_ARM_PageUpperDirectory;
typedef seL4_CPtr seL4_ARM_PageGlobalDirectory;
typedef seL4_CPtr seL4_ARM_VSpace;
typedef seL4_CPtr seL4_ARM_ASIDControl;
typedef seL4_CPtr seL4_ARM_ASIDPool;
typedef seL4_CPtr seL4_ARM_VCPU;
typedef seL4_CPtr seL4_ARM_IOSpace;
typedef seL4_CPtr seL4_ARM_IOPageTable;
typedef seL4_CPtr seL4_ARM_SMC;
typedef seL4_CPtr seL4_ARM_SIDControl;
typedef seL4_CPtr seL4_ARM_SID;
typedef seL4_CPtr seL4_ARM_CBControl;
typedef seL4_CPtr seL4_ARM_CB;

typedef enum {
    seL4_ARM_PageCacheable = 0x01,
    seL4_ARM_ParityEnabled = 0x02,
    seL4_ARM_Default_VMAttributes = 0x03,
    seL4_ARM_ExecuteNever = 0x04,
    SEL4_FORCE_LONG_ENUM(seL4_ARM_VMAttributes),
} seL4_ARM_VMAttributes;

typedef enum {
    seL4_ARM_CacheI = 1,
    seL4_ARM_CacheD = 2,
    seL4_ARM_CacheID = 3,
    SEL4_FORCE_LONG_ENUM(seL4_ARM_CacheType),
} seL4_ARM_CacheType;

/* As used by seL4_TCB_ReadRegisters / seL4_TCB_WriteRegisters: MR order is field order
 * (frame registers first, then the other integer registers, then the thread ID registers). */
typedef struct seL4_UserContext_ {
    seL4_Word pc, sp, spsr, x0, x1, x2, x3, x4, x5, x6, x7, x8, x16, x17, x18, x29, x30;
    seL4_Word x9, x10, x11, x12, x13, x14, x15, x19, x20, x21, x22, x23, x24, x25, x26, x27, x28;
    seL4_Word tpidr_el0, tpidrro_el0;
} seL4_UserContext;
#define SWL4_USER_CONTEXT_WORDS 36

typedef struct seL4_ARM_SMCContext_ {
    seL4_Word x0, x1, x2, x3, x4, x5, x6, x7;
} seL4_ARM_SMCContext;

#elif defined(__riscv) && __riscv_xlen == 64
typedef seL4_CPtr seL4_RISCV_Page;
typedef seL4_CPtr seL4_RISCV_PageTable;
typedef seL4_CPtr seL4_RISCV_ASIDControl;
typedef seL4_CPtr seL4_RISCV_ASIDPool;

typedef enum {
    seL4_RISCV_ExecuteNever = 0x1,
    seL4_RISCV_Default_VMAttributes = 0,
    SEL4_FORCE_LONG_ENUM(seL4_RISCV_VMAttributes),
} seL4_RISCV_VMAttributes;

/* As used by seL4_TCB_ReadRegisters / seL4_TCB_WriteRegisters: MR order is field order
 * (libsel4: arch_include/riscv/sel4/arch/types.h and object-api-arch.xml). */
typedef struct seL4_UserContext_ {
    seL4_Word pc, ra, sp, gp;
    seL4_Word s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
    seL4_Word a0, a1, a2, a3, a4, a5, a6, a7;
    seL4_Word t0, t1, t2, t3, t4, t5, t6;
    seL4_Word tp;
} seL4_UserContext;
#define SWL4_USER_CONTEXT_WORDS 32
#endif

_Static_assert(sizeof(seL4_UserContext) == SWL4_USER_CONTEXT_WORDS * sizeof(seL4_Word),
               "seL4_UserContext is a plain array of words");

/* ---------------------------------------------------------------------------------------------
 * The IPC buffer and the capability-fault message (libsel4: sel4/shared_types.h).
 * ------------------------------------------------------------------------------------------- */
typedef struct seL4_IPCBuffer_ {
    seL4_MessageInfo_t tag;
    seL4_Word msg[seL4_MsgMaxLength];
    seL4_Word userData;
    seL4_Word caps_or_badges[seL4_MsgMaxExtraCaps];
    seL4_CPtr receiveCNode;
    seL4_CPtr receiveIndex;
    seL4_Word receiveDepth;
} seL4_IPCBuffer __attribute__((__aligned__(sizeof(struct seL4_IPCBuffer_))));

_Static_assert(sizeof(seL4_IPCBuffer) == 1024, "seL4_IPCBuffer is 1024 bytes");
_Static_assert(_Alignof(seL4_IPCBuffer) == 1024, "seL4_IPCBuffer is 1024-byte aligned");
_Static_assert(SEL4_OFFSETOF(seL4_IPCBuffer, msg) == 8 && SEL4_OFFSETOF(seL4_IPCBuffer, userData) == 968 &&
                   SEL4_OFFSETOF(seL4_IPCBuffer, caps_or_badges) == 976 &&
                   SEL4_OFFSETOF(seL4_IPCBuffer, receiveCNode) == 1000,
               "seL4_IPCBuffer layout");

typedef enum {
    seL4_CapFault_IP,
    seL4_CapFault_Addr,
    seL4_CapFault_InRecvPhase,
    seL4_CapFault_LookupFailureType,
    seL4_CapFault_BitsLeft,
    seL4_CapFault_DepthMismatch_BitsFound,
    seL4_CapFault_GuardMismatch_GuardFound = seL4_CapFault_DepthMismatch_BitsFound,
    seL4_CapFault_GuardMismatch_BitsFound,
    SEL4_FORCE_LONG_ENUM(seL4_CapFault_Msg),
} seL4_CapFault_Msg;

/* ---------------------------------------------------------------------------------------------
 * Fault labels and fault message layouts (libsel4: arch/shared_types.bf tagged union
 * seL4_Fault, sel4_arch/constants.h).
 * ------------------------------------------------------------------------------------------- */
enum seL4_Fault_tag {
    seL4_Fault_NullFault = 0,
    seL4_Fault_CapFault = 1,
    seL4_Fault_UnknownSyscall = 2,
    seL4_Fault_UserException = 3,
    /* 4 is DebugException (CONFIG_HARDWARE_DEBUG_API), not in this configuration. */
    seL4_Fault_VMFault = 5
};
typedef enum seL4_Fault_tag seL4_Fault_tag_t;

typedef enum {
    seL4_VMFault_IP,
    seL4_VMFault_Addr,
    seL4_VMFault_PrefetchFault,
    seL4_VMFault_FSR,
    seL4_VMFault_Length,
    SEL4_FORCE_LONG_ENUM(seL4_VMFault_Msg),
} seL4_VMFault_Msg;

#if defined(__x86_64__)
typedef enum {
    seL4_UnknownSyscall_RAX,
    seL4_UnknownSyscall_RBX,
    seL4_UnknownSyscall_RCX,
    seL4_UnknownSyscall_RDX,
    seL4_UnknownSyscall_RSI,
    seL4_UnknownSyscall_RDI,
    seL4_UnknownSyscall_RBP,
    seL4_UnknownSyscall_R8,
    seL4_UnknownSyscall_R9,
    seL4_UnknownSyscall_R10,
    seL4_UnknownSyscall_R11,
    seL4_UnknownSyscall_R12,
    seL4_UnknownSyscall_R13,
    seL4_UnknownSyscall_R14,
    seL4_UnknownSyscall_R15,
    seL4_UnknownSyscall_FaultIP,
    seL4_UnknownSyscall_SP,
    seL4_UnknownSyscall_FLAGS,
    seL4_UnknownSyscall_Syscall,
    seL4_UnknownSyscall_Length, /* 19 */
    SEL4_FORCE_LONG_ENUM(seL4_UnknownSyscall_Msg)
} seL4_UnknownSyscall_Msg;

typedef enum {
    seL4_UserException_FaultIP,
    seL4_UserException_SP,
    seL4_UserException_FLAGS,
    seL4_UserException_Number,
    seL4_UserException_Code,
    seL4_UserException_Length, /* 5 */
    SEL4_FORCE_LONG_ENUM(seL4_UserException_Msg)
} seL4_UserException_Msg;

#elif defined(__aarch64__)
typedef enum {
    seL4_UnknownSyscall_X0,
    seL4_UnknownSyscall_X1,
    seL4_UnknownSyscall_X2,
    seL4_UnknownSyscall_X3,
    seL4_UnknownSyscall_X4,
    seL4_UnknownSyscall_X5,
    seL4_UnknownSyscall_X6,
    seL4_UnknownSyscall_X7,
    seL4_UnknownSyscall_FaultIP,
    seL4_UnknownSyscall_SP,
    seL4_UnknownSyscall_LR,
    seL4_UnknownSyscall_SPSR,
    seL4_UnknownSyscall_Syscall,
    seL4_UnknownSyscall_Length, /* 13 */
    SEL4_FORCE_LONG_ENUM(seL4_UnknownSyscall_Msg),
} seL4_UnknownSyscall_Msg;

typedef enum {
    seL4_UserException_FaultIP,
    seL4_UserException_SP,
    seL4_UserException_SPSR,
    seL4_UserException_Number,
    seL4_UserException_Code,
    seL4_UserException_Length, /* 5 */
    SEL4_FORCE_LONG_ENUM(seL4_UserException_Msg),
} seL4_UserException_Msg;

#elif defined(__riscv) && __riscv_xlen == 64
/* (libsel4: sel4_arch_include/riscv64/sel4/sel4_arch/constants.h, which does not force these
 * two enums to long width.) */
typedef enum {
    seL4_UnknownSyscall_FaultIP,
    seL4_UnknownSyscall_SP,
    seL4_UnknownSyscall_RA,
    seL4_UnknownSyscall_A0,
    seL4_UnknownSyscall_A1,
    seL4_UnknownSyscall_A2,
    seL4_UnknownSyscall_A3,
    seL4_UnknownSyscall_A4,
    seL4_UnknownSyscall_A5,
    seL4_UnknownSyscall_A6,
    seL4_UnknownSyscall_Syscall,
    seL4_UnknownSyscall_Length, /* 11 */
} seL4_UnknownSyscall_Msg;

typedef enum {
    seL4_UserException_FaultIP,
    seL4_UserException_SP,
    seL4_UserException_Number,
    seL4_UserException_Code,
    seL4_UserException_Length, /* 4 */
} seL4_UserException_Msg;
#endif

/* ---------------------------------------------------------------------------------------------
 * Boot information (libsel4: sel4/bootinfo_types.h, sel4/bootinfo.h).
 * ------------------------------------------------------------------------------------------- */
enum {
    seL4_CapNull = 0,                 /* null cap */
    seL4_CapInitThreadTCB = 1,        /* initial thread's TCB */
    seL4_CapInitThreadCNode = 2,      /* initial thread's root CNode */
    seL4_CapInitThreadVSpace = 3,     /* initial thread's VSpace */
    seL4_CapIRQControl = 4,           /* global IRQ controller */
    seL4_CapASIDControl = 5,          /* global ASID controller */
    seL4_CapInitThreadASIDPool = 6,   /* initial thread's ASID pool */
    seL4_CapIOPortControl = 7,        /* global I/O port control (null if unsupported) */
    seL4_CapIOSpace = 8,              /* global I/O space (null without an IOMMU) */
    seL4_CapBootInfoFrame = 9,        /* bootinfo frame */
    seL4_CapInitThreadIPCBuffer = 10, /* initial thread's IPC buffer frame */
    seL4_CapDomain = 11,              /* global domain controller */
    seL4_CapSMMUSIDControl = 12,      /* SMMU SID controller (null if unsupported) */
    seL4_CapSMMUCBControl = 13,       /* SMMU CB controller (null if unsupported) */
    seL4_CapInitThreadSC = 14,        /* initial thread's scheduling context (null without MCS) */
    seL4_CapSMC = 15,                 /* SMC cap (null if unsupported) */
    seL4_NumInitialCaps = 16
};

#define seL4_CapInitThreadPD seL4_CapInitThreadVSpace

typedef seL4_Word seL4_SlotPos;

typedef struct seL4_SlotRegion {
    seL4_SlotPos start; /* first slot of the region */
    seL4_SlotPos end;   /* first slot after the region */
} seL4_SlotRegion;

typedef struct seL4_UntypedDesc {
    seL4_Word paddr;     /* physical address of the untyped */
    seL4_Uint8 sizeBits; /* size (2^n bytes) */
    seL4_Uint8 isDevice; /* whether it is device memory */
    seL4_Uint8 padding[sizeof(seL4_Word) - 2 * sizeof(seL4_Uint8)];
} seL4_UntypedDesc;

_Static_assert(sizeof(seL4_UntypedDesc) == 2 * sizeof(seL4_Word), "seL4_UntypedDesc is two words");

typedef struct seL4_BootInfo {
    seL4_Word extraLen;              /* length of additional bootinfo after this frame */
    seL4_NodeId nodeID;              /* this node's ID (0 on a uniprocessor) */
    seL4_Word numNodes;              /* number of nodes (1 on a uniprocessor) */
    seL4_Word numIOPTLevels;         /* IOMMU page-table levels (0 without an IOMMU) */
    seL4_IPCBuffer *ipcBuffer;       /* initial thread's IPC buffer */
    seL4_SlotRegion empty;           /* empty slots */
    seL4_SlotRegion sharedFrames;    /* frames shared between nodes */
    seL4_SlotRegion userImageFrames; /* user image frames */
    seL4_SlotRegion userImagePaging; /* user image paging structures */
    seL4_SlotRegion ioSpaceCaps;     /* IOSpace caps for an ARM SMMU */
    seL4_SlotRegion extraBIPages;    /* frames backing the additional bootinfo */
    seL4_Word initThreadCNodeSizeBits; /* root CNode size (2^n slots) */
    seL4_Domain initThreadDomain;      /* initial thread's domain */
    seL4_SlotRegion untyped;           /* untyped caps */
    seL4_UntypedDesc untypedList[CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS]; /* one per untyped cap */
} seL4_BootInfo;

#define seL4_BootInfoFrameBits seL4_PageBits
#define seL4_BootInfoFrameSize LIBSEL4_BIT(seL4_BootInfoFrameBits)

_Static_assert(sizeof(seL4_BootInfo) <= seL4_BootInfoFrameSize, "seL4_BootInfo fits its frame");
_Static_assert(SEL4_OFFSETOF(seL4_BootInfo, untyped) == 19 * sizeof(seL4_Word) &&
                   SEL4_OFFSETOF(seL4_BootInfo, untypedList) == 21 * sizeof(seL4_Word),
               "seL4_BootInfo layout");

typedef enum {
    SEL4_BOOTINFO_HEADER_PADDING = 0,
    SEL4_BOOTINFO_HEADER_X86_VBE = 1,
    SEL4_BOOTINFO_HEADER_X86_MBMMAP = 2,
    SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP = 3,
    SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER = 4,
    SEL4_BOOTINFO_HEADER_X86_TSC_FREQ = 5,
    SEL4_BOOTINFO_HEADER_FDT = 6,
    SEL4_BOOTINFO_HEADER_NUM,
    SEL4_FORCE_LONG_ENUM(seL4_BootInfoID)
} seL4_BootInfoID;

typedef struct seL4_BootInfoHeader {
    seL4_Word id;  /* identifier of the chunk */
    seL4_Word len; /* length of the chunk, header included */
} seL4_BootInfoHeader;

/* Implemented by the runtime: the initial thread's boot information. */
seL4_BootInfo *seL4_GetBootInfo(void);

/* ---------------------------------------------------------------------------------------------
 * The hosted system-call entry point (SwiftL4's replacement for the syscall instruction).
 *
 * On entry *regs holds the registers the kernel reads: capOrBadge is the capability register,
 * info the message-info register, mr[0..3] the message registers MR0..MR3. On return it holds
 * the registers the kernel wrote: capOrBadge is the badge register, info the message-info
 * register, mr[0..3] MR0..MR3. The stubs read back every field a receive-type call returns, so
 * whatever the runtime leaves there (for example after an NBRecv that finds nothing) comes back.
 * x86_64 register names: capOrBadge = rdi, info = rsi, mr = r10, r8, r9, r15; sysno = rdx.
 * riscv64 register names: capOrBadge = a0, info = a1, mr = a2..a5; sysno = a7.
 * ------------------------------------------------------------------------------------------- */
typedef struct swl4_regs {
    seL4_Word capOrBadge;
    seL4_Word info;
    seL4_Word mr[4];
} swl4_regs_t;

#if defined(__riscv) && __riscv_xlen == 64
/* Bare metal: the system call itself. seL4's RISC-V ABI: a0 the cap (in) and the badge (out),
 * a1 the msgInfo, a2-a5 MR0-MR3 (both ways), a7 the syscall number; the kernel restores every
 * other register. The "memory" clobber covers the IPC buffer, which the kernel reads and
 * writes. */
static inline void swl4_syscall(seL4_Word sysno, swl4_regs_t *regs)
{
    register seL4_Word a0 __asm__("a0") = regs->capOrBadge;
    register seL4_Word a1 __asm__("a1") = regs->info;
    register seL4_Word a2 __asm__("a2") = regs->mr[0];
    register seL4_Word a3 __asm__("a3") = regs->mr[1];
    register seL4_Word a4 __asm__("a4") = regs->mr[2];
    register seL4_Word a5 __asm__("a5") = regs->mr[3];
    register seL4_Word a7 __asm__("a7") = sysno;
    __asm__ volatile("ecall"
                     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5)
                     : "r"(a7)
                     : "memory");
    regs->capOrBadge = a0;
    regs->info = a1;
    regs->mr[0] = a2;
    regs->mr[1] = a3;
    regs->mr[2] = a4;
    regs->mr[3] = a5;
}
#else
/* Hosted: the running thread's register file in its TCB, laid out as seL4_UserContext; the
 * runtime points it at each thread it resumes, as it does __sel4_ipc_buffer. A call's
 * registers go there, as they would go to the CPU's before `syscall`, the call instruction is
 * the call to swl4_sysenter (FaultIP is its address, NextIP the one after it), and the
 * results come back from there: the kernel reads and writes them in place. */
extern seL4_UserContext *__swl4_registers;
void swl4_sysenter(seL4_Word sysno);

#if defined(__x86_64__)
#define SWL4_REG_CAP rdi
#define SWL4_REG_INFO rsi
#define SWL4_REG_MR0 r10
#define SWL4_REG_MR1 r8
#define SWL4_REG_MR2 r9
#define SWL4_REG_MR3 r15
#else
#define SWL4_REG_CAP x0
#define SWL4_REG_INFO x1
#define SWL4_REG_MR0 x2
#define SWL4_REG_MR1 x3
#define SWL4_REG_MR2 x4
#define SWL4_REG_MR3 x5
#endif

static inline void swl4_syscall(seL4_Word sysno, swl4_regs_t *regs)
{
    seL4_UserContext *r = __swl4_registers;
    r->SWL4_REG_CAP = regs->capOrBadge;
    r->SWL4_REG_INFO = regs->info;
    r->SWL4_REG_MR0 = regs->mr[0];
    r->SWL4_REG_MR1 = regs->mr[1];
    r->SWL4_REG_MR2 = regs->mr[2];
    r->SWL4_REG_MR3 = regs->mr[3];
    swl4_sysenter(sysno);
    /* The same thread resumes: its TCB, and so r, has not moved. */
    regs->capOrBadge = r->SWL4_REG_CAP;
    regs->info = r->SWL4_REG_INFO;
    regs->mr[0] = r->SWL4_REG_MR0;
    regs->mr[1] = r->SWL4_REG_MR1;
    regs->mr[2] = r->SWL4_REG_MR2;
    regs->mr[3] = r->SWL4_REG_MR3;
}
#endif

/* ---------------------------------------------------------------------------------------------
 * IPC buffer access (libsel4: sel4/functions.h). The buffer pointer is a plain global, not
 * thread-local: every hosted user thread runs on one OS thread and the runtime points it at the
 * running thread's IPC buffer on each switch. On bare-metal riscv64 the program (or its start-up
 * code) defines it, one per address space, and sets it with seL4_SetIPCBuffer.
 * ------------------------------------------------------------------------------------------- */
extern seL4_IPCBuffer *__sel4_ipc_buffer;

LIBSEL4_INLINE_FUNC void seL4_SetIPCBuffer(seL4_IPCBuffer *ipc_buffer)
{
    __sel4_ipc_buffer = ipc_buffer;
}

LIBSEL4_INLINE_FUNC seL4_IPCBuffer *seL4_GetIPCBuffer(void)
{
    return __sel4_ipc_buffer;
}

LIBSEL4_INLINE_FUNC seL4_Word seL4_GetMR(int i)
{
    return seL4_GetIPCBuffer()->msg[i];
}

LIBSEL4_INLINE_FUNC void seL4_SetMR(int i, seL4_Word mr)
{
    seL4_GetIPCBuffer()->msg[i] = mr;
}

LIBSEL4_INLINE_FUNC seL4_Word seL4_GetUserData(void)
{
    return seL4_GetIPCBuffer()->userData;
}

LIBSEL4_INLINE_FUNC void seL4_SetUserData(seL4_Word data)
{
    seL4_GetIPCBuffer()->userData = data;
}

LIBSEL4_INLINE_FUNC seL4_Word seL4_GetBadge(int i)
{
    return seL4_GetIPCBuffer()->caps_or_badges[i];
}

LIBSEL4_INLINE_FUNC seL4_CPtr seL4_GetCap(int i)
{
    return (seL4_CPtr)seL4_GetIPCBuffer()->caps_or_badges[i];
}

LIBSEL4_INLINE_FUNC void seL4_SetCap(int i, seL4_CPtr cptr)
{
    seL4_GetIPCBuffer()->caps_or_badges[i] = (seL4_Word)cptr;
}

LIBSEL4_INLINE_FUNC void seL4_GetCapReceivePath(seL4_CPtr *receiveCNode, seL4_CPtr *receiveIndex,
                                                seL4_Word *receiveDepth)
{
    seL4_IPCBuffer *ipcbuffer = seL4_GetIPCBuffer();
    if (receiveCNode != seL4_Null) {
        *receiveCNode = ipcbuffer->receiveCNode;
    }
    if (receiveIndex != seL4_Null) {
        *receiveIndex = ipcbuffer->receiveIndex;
    }
    if (receiveDepth != seL4_Null) {
        *receiveDepth = ipcbuffer->receiveDepth;
    }
}

LIBSEL4_INLINE_FUNC void seL4_SetCapReceivePath(seL4_CPtr receiveCNode, seL4_CPtr receiveIndex,
                                                seL4_Word receiveDepth)
{
    seL4_IPCBuffer *ipcbuffer = seL4_GetIPCBuffer();
    ipcbuffer->receiveCNode = receiveCNode;
    ipcbuffer->receiveIndex = receiveIndex;
    ipcbuffer->receiveDepth = receiveDepth;
}

/* ---------------------------------------------------------------------------------------------
 * Register-level helpers, one per shape of libsel4's x86_64 syscall wrappers
 * (libsel4: sel4_arch_include/x86_64/sel4/sel4_arch/syscalls_syscall.h):
 * send (no outputs), reply (no cap register), send_null (no message registers),
 * recv (outputs only), send_recv (inputs and outputs), null (nothing).
 * ------------------------------------------------------------------------------------------- */
LIBSEL4_INLINE_FUNC void swl4__sys_send(seL4_Syscall_ID sys, seL4_Word dest, seL4_Word info, seL4_Word msg0,
                                        seL4_Word msg1, seL4_Word msg2, seL4_Word msg3)
{
    swl4_regs_t regs = {dest, info, {msg0, msg1, msg2, msg3}};
    swl4_syscall((seL4_Word)sys, &regs);
}

LIBSEL4_INLINE_FUNC void swl4__sys_reply(seL4_Syscall_ID sys, seL4_Word info, seL4_Word msg0, seL4_Word msg1,
                                         seL4_Word msg2, seL4_Word msg3)
{
    swl4_regs_t regs = {0, info, {msg0, msg1, msg2, msg3}};
    swl4_syscall((seL4_Word)sys, &regs);
}

LIBSEL4_INLINE_FUNC void swl4__sys_send_null(seL4_Syscall_ID sys, seL4_Word dest, seL4_Word info)
{
    swl4_regs_t regs = {dest, info, {0, 0, 0, 0}};
    swl4_syscall((seL4_Word)sys, &regs);
}

LIBSEL4_INLINE_FUNC void swl4__sys_recv(seL4_Syscall_ID sys, seL4_Word src, seL4_Word *out_badge, seL4_Word *out_info,
                                        seL4_Word *out_mr0, seL4_Word *out_mr1, seL4_Word *out_mr2,
                                        seL4_Word *out_mr3)
{
    swl4_regs_t regs = {src, 0, {0, 0, 0, 0}};
    swl4_syscall((seL4_Word)sys, &regs);
    *out_badge = regs.capOrBadge;
    *out_info = regs.info;
    *out_mr0 = regs.mr[0];
    *out_mr1 = regs.mr[1];
    *out_mr2 = regs.mr[2];
    *out_mr3 = regs.mr[3];
}

LIBSEL4_INLINE_FUNC void swl4__sys_send_recv(seL4_Syscall_ID sys, seL4_Word dest, seL4_Word *out_dest, seL4_Word info,
                                             seL4_Word *out_info, seL4_Word *in_out_mr0, seL4_Word *in_out_mr1,
                                             seL4_Word *in_out_mr2, seL4_Word *in_out_mr3)
{
    swl4_regs_t regs = {dest, info, {*in_out_mr0, *in_out_mr1, *in_out_mr2, *in_out_mr3}};
    swl4_syscall((seL4_Word)sys, &regs);
    *out_dest = regs.capOrBadge;
    *out_info = regs.info;
    *in_out_mr0 = regs.mr[0];
    *in_out_mr1 = regs.mr[1];
    *in_out_mr2 = regs.mr[2];
    *in_out_mr3 = regs.mr[3];
}

LIBSEL4_INLINE_FUNC void swl4__sys_null(seL4_Syscall_ID sys)
{
    swl4_regs_t regs = {0, 0, {0, 0, 0, 0}};
    swl4_syscall((seL4_Word)sys, &regs);
}

/* ---------------------------------------------------------------------------------------------
 * System calls (libsel4: sel4/syscalls_master.h declarations; bodies follow
 * sel4_arch_include/x86_64/sel4/sel4_arch/syscalls.h and arch_include/x86/sel4/arch/syscalls.h).
 * ------------------------------------------------------------------------------------------- */
LIBSEL4_INLINE_FUNC void seL4_Send(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    swl4__sys_send(seL4_SysSend, dest, msgInfo.words[0], seL4_GetMR(0), seL4_GetMR(1), seL4_GetMR(2),
                   seL4_GetMR(3));
}

LIBSEL4_INLINE_FUNC void seL4_SendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_Word *mr0,
                                          seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    swl4__sys_send(seL4_SysSend, dest, msgInfo.words[0], (mr0 != seL4_Null) ? *mr0 : 0,
                   (mr1 != seL4_Null) ? *mr1 : 0, (mr2 != seL4_Null) ? *mr2 : 0,
                   (mr3 != seL4_Null) ? *mr3 : 0);
}

LIBSEL4_INLINE_FUNC void seL4_NBSend(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    swl4__sys_send(seL4_SysNBSend, dest, msgInfo.words[0], seL4_GetMR(0), seL4_GetMR(1), seL4_GetMR(2),
                   seL4_GetMR(3));
}

LIBSEL4_INLINE_FUNC void seL4_NBSendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_Word *mr0,
                                            seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    swl4__sys_send(seL4_SysNBSend, dest, msgInfo.words[0], (mr0 != seL4_Null) ? *mr0 : 0,
                   (mr1 != seL4_Null) ? *mr1 : 0, (mr2 != seL4_Null) ? *mr2 : 0,
                   (mr3 != seL4_Null) ? *mr3 : 0);
}

LIBSEL4_INLINE_FUNC void seL4_Reply(seL4_MessageInfo_t msgInfo)
{
    swl4__sys_reply(seL4_SysReply, msgInfo.words[0], seL4_GetMR(0), seL4_GetMR(1), seL4_GetMR(2),
                    seL4_GetMR(3));
}

LIBSEL4_INLINE_FUNC void seL4_ReplyWithMRs(seL4_MessageInfo_t msgInfo, seL4_Word *mr0, seL4_Word *mr1,
                                           seL4_Word *mr2, seL4_Word *mr3)
{
    swl4__sys_reply(seL4_SysReply, msgInfo.words[0], (mr0 != seL4_Null) ? *mr0 : 0,
                    (mr1 != seL4_Null) ? *mr1 : 0, (mr2 != seL4_Null) ? *mr2 : 0,
                    (mr3 != seL4_Null) ? *mr3 : 0);
}

/* A Send of a one-word message that carries no message registers. */
LIBSEL4_INLINE_FUNC void seL4_Signal(seL4_CPtr dest)
{
    swl4__sys_send_null(seL4_SysSend, dest, seL4_MessageInfo_new(0, 0, 0, 1).words[0]);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Recv(seL4_CPtr src, seL4_Word *sender)
{
    seL4_MessageInfo_t info;
    seL4_Word badge;
    seL4_Word mr0;
    seL4_Word mr1;
    seL4_Word mr2;
    seL4_Word mr3;

    swl4__sys_recv(seL4_SysRecv, src, &badge, &info.words[0], &mr0, &mr1, &mr2, &mr3);

    seL4_SetMR(0, mr0);
    seL4_SetMR(1, mr1);
    seL4_SetMR(2, mr2);
    seL4_SetMR(3, mr3);

    if (sender) {
        *sender = badge;
    }
    return info;
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_RecvWithMRs(seL4_CPtr src, seL4_Word *sender, seL4_Word *mr0,
                                                        seL4_Word *mr1, seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_MessageInfo_t info;
    seL4_Word badge;
    seL4_Word msg0;
    seL4_Word msg1;
    seL4_Word msg2;
    seL4_Word msg3;

    swl4__sys_recv(seL4_SysRecv, src, &badge, &info.words[0], &msg0, &msg1, &msg2, &msg3);

    if (mr0 != seL4_Null) {
        *mr0 = msg0;
    }
    if (mr1 != seL4_Null) {
        *mr1 = msg1;
    }
    if (mr2 != seL4_Null) {
        *mr2 = msg2;
    }
    if (mr3 != seL4_Null) {
        *mr3 = msg3;
    }
    if (sender) {
        *sender = badge;
    }
    return info;
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBRecv(seL4_CPtr src, seL4_Word *sender)
{
    seL4_MessageInfo_t info;
    seL4_Word badge;
    seL4_Word mr0;
    seL4_Word mr1;
    seL4_Word mr2;
    seL4_Word mr3;

    swl4__sys_recv(seL4_SysNBRecv, src, &badge, &info.words[0], &mr0, &mr1, &mr2, &mr3);

    seL4_SetMR(0, mr0);
    seL4_SetMR(1, mr1);
    seL4_SetMR(2, mr2);
    seL4_SetMR(3, mr3);

    if (sender) {
        *sender = badge;
    }
    return info;
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Call(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    seL4_MessageInfo_t info;
    seL4_Word mr0 = seL4_GetMR(0);
    seL4_Word mr1 = seL4_GetMR(1);
    seL4_Word mr2 = seL4_GetMR(2);
    seL4_Word mr3 = seL4_GetMR(3);

    /* The badge register comes back in dest and is dropped, as in libsel4. */
    swl4__sys_send_recv(seL4_SysCall, dest, &dest, msgInfo.words[0], &info.words[0], &mr0, &mr1, &mr2, &mr3);

    seL4_SetMR(0, mr0);
    seL4_SetMR(1, mr1);
    seL4_SetMR(2, mr2);
    seL4_SetMR(3, mr3);

    return info;
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_CallWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                                        seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2,
                                                        seL4_Word *mr3)
{
    seL4_MessageInfo_t info;
    seL4_Word msg0 = 0;
    seL4_Word msg1 = 0;
    seL4_Word msg2 = 0;
    seL4_Word msg3 = 0;

    if (mr0 != seL4_Null && seL4_MessageInfo_get_length(msgInfo) > 0) {
        msg0 = *mr0;
    }
    if (mr1 != seL4_Null && seL4_MessageInfo_get_length(msgInfo) > 1) {
        msg1 = *mr1;
    }
    if (mr2 != seL4_Null && seL4_MessageInfo_get_length(msgInfo) > 2) {
        msg2 = *mr2;
    }
    if (mr3 != seL4_Null && seL4_MessageInfo_get_length(msgInfo) > 3) {
        msg3 = *mr3;
    }

    swl4__sys_send_recv(seL4_SysCall, dest, &dest, msgInfo.words[0], &info.words[0], &msg0, &msg1, &msg2,
                        &msg3);

    if (mr0 != seL4_Null) {
        *mr0 = msg0;
    }
    if (mr1 != seL4_Null) {
        *mr1 = msg1;
    }
    if (mr2 != seL4_Null) {
        *mr2 = msg2;
    }
    if (mr3 != seL4_Null) {
        *mr3 = msg3;
    }
    return info;
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_ReplyRecv(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                                      seL4_Word *sender)
{
    seL4_MessageInfo_t info;
    seL4_Word badge;
    seL4_Word mr0 = seL4_GetMR(0);
    seL4_Word mr1 = seL4_GetMR(1);
    seL4_Word mr2 = seL4_GetMR(2);
    seL4_Word mr3 = seL4_GetMR(3);

    swl4__sys_send_recv(seL4_SysReplyRecv, dest, &badge, msgInfo.words[0], &info.words[0], &mr0, &mr1, &mr2,
                        &mr3);

    seL4_SetMR(0, mr0);
    seL4_SetMR(1, mr1);
    seL4_SetMR(2, mr2);
    seL4_SetMR(3, mr3);

    if (sender) {
        *sender = badge;
    }
    return info;
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_ReplyRecvWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                                             seL4_Word *sender, seL4_Word *mr0, seL4_Word *mr1,
                                                             seL4_Word *mr2, seL4_Word *mr3)
{
    seL4_MessageInfo_t info;
    seL4_Word badge;
    seL4_Word msg0 = 0;
    seL4_Word msg1 = 0;
    seL4_Word msg2 = 0;
    seL4_Word msg3 = 0;

    if (mr0 != seL4_Null && seL4_MessageInfo_get_length(msgInfo) > 0) {
        msg0 = *mr0;
    }
    if (mr1 != seL4_Null && seL4_MessageInfo_get_length(msgInfo) > 1) {
        msg1 = *mr1;
    }
    if (mr2 != seL4_Null && seL4_MessageInfo_get_length(msgInfo) > 2) {
        msg2 = *mr2;
    }
    if (mr3 != seL4_Null && seL4_MessageInfo_get_length(msgInfo) > 3) {
        msg3 = *mr3;
    }

    swl4__sys_send_recv(seL4_SysReplyRecv, dest, &badge, msgInfo.words[0], &info.words[0], &msg0, &msg1,
                        &msg2, &msg3);

    if (mr0 != seL4_Null) {
        *mr0 = msg0;
    }
    if (mr1 != seL4_Null) {
        *mr1 = msg1;
    }
    if (mr2 != seL4_Null) {
        *mr2 = msg2;
    }
    if (mr3 != seL4_Null) {
        *mr3 = msg3;
    }
    if (sender) {
        *sender = badge;
    }
    return info;
}

LIBSEL4_INLINE_FUNC void seL4_Yield(void)
{
    swl4__sys_null(seL4_SysYield);
}

/* Not kernel system calls: wrappers over Recv and NBRecv for notifications (non-MCS). */
LIBSEL4_INLINE_FUNC void seL4_Wait(seL4_CPtr src, seL4_Word *sender)
{
    seL4_Recv(src, sender);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Poll(seL4_CPtr src, seL4_Word *sender)
{
    return seL4_NBRecv(src, sender);
}

/* ---------------------------------------------------------------------------------------------
 * Debug system calls (libsel4: sel4/syscalls.h declarations, x86_64 sel4_arch/syscalls.h bodies).
 * ------------------------------------------------------------------------------------------- */
LIBSEL4_INLINE_FUNC void seL4_DebugPutChar(char c)
{
    seL4_Word unused0 = 0;
    seL4_Word unused1 = 0;
    seL4_Word unused2 = 0;
    seL4_Word unused3 = 0;
    seL4_Word unused4 = 0;
    seL4_Word unused5 = 0;

    swl4__sys_send_recv(seL4_SysDebugPutChar, (seL4_Word)c, &unused0, 0, &unused1, &unused2, &unused3, &unused4,
                        &unused5);
}

LIBSEL4_INLINE_FUNC void seL4_DebugPutString(char *str)
{
    for (char *s = str; *s; s++) {
        seL4_DebugPutChar(*s);
    }
}

LIBSEL4_INLINE_FUNC void seL4_DebugDumpScheduler(void)
{
    seL4_Word unused0 = 0;
    seL4_Word unused1 = 0;
    seL4_Word unused2 = 0;
    seL4_Word unused3 = 0;
    seL4_Word unused4 = 0;
    seL4_Word unused5 = 0;

    swl4__sys_send_recv(seL4_SysDebugDumpScheduler, 0, &unused0, 0, &unused1, &unused2, &unused3, &unused4,
                        &unused5);
}

LIBSEL4_INLINE_FUNC void seL4_DebugHalt(void)
{
    swl4__sys_null(seL4_SysDebugHalt);
}

LIBSEL4_INLINE_FUNC void seL4_DebugSnapshot(void)
{
    swl4__sys_null(seL4_SysDebugSnapshot);
}

/* Returns the kernel's internal cap_tag of the capability, read from the badge register. */
LIBSEL4_INLINE_FUNC seL4_Uint32 seL4_DebugCapIdentify(seL4_CPtr cap)
{
    seL4_Word unused0 = 0;
    seL4_Word unused1 = 0;
    seL4_Word unused2 = 0;
    seL4_Word unused3 = 0;
    seL4_Word unused4 = 0;

    swl4__sys_send_recv(seL4_SysDebugCapIdentify, cap, &cap, 0, &unused0, &unused1, &unused2, &unused3, &unused4);
    return (seL4_Uint32)cap;
}

/* The NUL-terminated name travels in the IPC buffer's message area; the TCB in the cap register. */
LIBSEL4_INLINE_FUNC void seL4_DebugNameThread(seL4_CPtr tcb, const char *name)
{
    char *dst = (char *)seL4_GetIPCBuffer()->msg;
    seL4_Word i = 0;
    /* libsel4 uses an unbounded strcpy; this copy stops at the end of the message area. */
    while (name[i] != '\0' && i + 1 < sizeof(seL4_GetIPCBuffer()->msg)) {
        dst[i] = name[i];
        i++;
    }
    dst[i] = '\0';

    seL4_Word unused0 = 0;
    seL4_Word unused1 = 0;
    seL4_Word unused2 = 0;
    seL4_Word unused3 = 0;
    seL4_Word unused4 = 0;
    seL4_Word unused5 = 0;

    swl4__sys_send_recv(seL4_SysDebugNameThread, tcb, &unused0, 0, &unused1, &unused2, &unused3, &unused4,
                        &unused5);
}

/* ---------------------------------------------------------------------------------------------
 * Object invocations (libsel4: generated interfaces/sel4_client.h, libsel4/tools/
 * syscall_stub_gen.py). Marshalling as the generator does it:
 *   - capability arguments other than the invoked one go to seL4_SetCap(0..), in order;
 *   - the other arguments are packed in order: each is aligned to min(its size, a word); a
 *     seL4_Bool takes 1 bit, a seL4_Uint8 8 bits (masked), a word or seL4_CapRights_t one word,
 *     a seL4_UserContext its words in field order;
 *   - MR0..MR3 travel in registers through seL4_CallWithMRs, later words via seL4_SetMR;
 *   - tag = seL4_MessageInfo_new(label, 0, number of caps, number of words);
 *   - the result is the reply's label; on an error the four register MRs are written back to
 *     the IPC buffer (so seL4_GetMR reads the error details) and nothing is unmarshalled;
 *   - otherwise results are read from MR0..MR3 and seL4_GetMR(4..).
 * ------------------------------------------------------------------------------------------- */
LIBSEL4_INLINE_FUNC seL4_Error swl4__invoke(seL4_CPtr service, seL4_MessageInfo_t tag, seL4_Word mr[4])
{
    seL4_MessageInfo_t output_tag = seL4_CallWithMRs(service, tag, &mr[0], &mr[1], &mr[2], &mr[3]);
    seL4_Error result = (seL4_Error)seL4_MessageInfo_get_label(output_tag);
    if (result != seL4_NoError) {
        seL4_SetMR(0, mr[0]);
        seL4_SetMR(1, mr[1]);
        seL4_SetMR(2, mr[2]);
        seL4_SetMR(3, mr[3]);
    }
    return result;
}

/* sel4_arch/mapping.h: after a paging Map fails with seL4_FailedLookup, the bits the missing
 * level's entry translates (its lookup fault's bitsLeft, message register 2): on x86_64 39 for
 * a missing PDPT, 30 for a missing page directory, 21 for a missing page table. */
#define SEL4_MAPPING_LOOKUP_LEVEL 2
LIBSEL4_INLINE_FUNC seL4_Word seL4_MappingFailedLookupLevel(void)
{
    return seL4_GetMR(SEL4_MAPPING_LOOKUP_LEVEL);
}

#define SWL4_U8(x) ((seL4_Word)(x) & 0xfful)
#define SWL4_U16(x) ((seL4_Word)(x) & 0xfffful)
#define SWL4_BOOL(x) ((seL4_Word)(x) & 0x1ul)

/* --- seL4_Untyped ------------------------------------------------------------------------- */

LIBSEL4_INLINE seL4_Error seL4_Untyped_Retype(seL4_Untyped _service, seL4_Word type, seL4_Word size_bits,
                                              seL4_CNode root, seL4_Word node_index, seL4_Word node_depth,
                                              seL4_Word node_offset, seL4_Word num_objects)
{
    seL4_Word mr[4] = {type, size_bits, node_index, node_depth};
    seL4_SetCap(0, root);
    seL4_SetMR(4, node_offset);
    seL4_SetMR(5, num_objects);
    return swl4__invoke(_service, seL4_MessageInfo_new(UntypedRetype, 0, 1, 6), mr);
}

/* --- seL4_TCB ------------------------------------------------------------------------------ */

/* MR0 = suspend_source (bit 0) | arch_flags (bits 15..8); MR1 = count. The reply carries every
 * seL4_UserContext word, in field order, whatever the count. */
LIBSEL4_INLINE seL4_Error seL4_TCB_ReadRegisters(seL4_TCB _service, seL4_Bool suspend_source, seL4_Uint8 arch_flags,
                                                 seL4_Word count, seL4_UserContext *regs)
{
    seL4_Word mr[4] = {SWL4_BOOL(suspend_source) | (SWL4_U8(arch_flags) << 8), count, 0, 0};
    seL4_Error result = swl4__invoke(_service, seL4_MessageInfo_new(TCBReadRegisters, 0, 0, 2), mr);
    if (result != seL4_NoError) {
        return result;
    }
    seL4_Word words[SWL4_USER_CONTEXT_WORDS];
    for (int i = 0; i < SWL4_USER_CONTEXT_WORDS; i++) {
        words[i] = (i < 4) ? mr[i] : seL4_GetMR(i);
    }
    __builtin_memcpy(regs, words, sizeof(words));
    return result;
}

/* MR0 = resume_target (bit 0) | arch_flags (bits 15..8); MR1 = count; MR2.. = every
 * seL4_UserContext word in field order (the message is always 2 + all context words long). */
LIBSEL4_INLINE seL4_Error seL4_TCB_WriteRegisters(seL4_TCB _service, seL4_Bool resume_target, seL4_Uint8 arch_flags,
                                                  seL4_Word count, seL4_UserContext *regs)
{
    seL4_Word words[SWL4_USER_CONTEXT_WORDS];
    __builtin_memcpy(words, regs, sizeof(words));
    seL4_Word mr[4] = {SWL4_BOOL(resume_target) | (SWL4_U8(arch_flags) << 8), count, words[0], words[1]};
    for (int i = 2; i < SWL4_USER_CONTEXT_WORDS; i++) {
        seL4_SetMR(i + 2, words[i]);
    }
    return swl4__invoke(_service, seL4_MessageInfo_new(TCBWriteRegisters, 0, 0, 2 + SWL4_USER_CONTEXT_WORDS), mr);
}

/* MR0 = suspend_source (bit 0) | resume_target (bit 1) | transfer_frame (bit 2) |
 * transfer_integer (bit 3) | arch_flags (bits 15..8); cap 0 = source. */
LIBSEL4_INLINE seL4_Error seL4_TCB_CopyRegisters(seL4_TCB _service, seL4_TCB source, seL4_Bool suspend_source,
                                                 seL4_Bool resume_target, seL4_Bool transfer_frame,
                                                 seL4_Bool transfer_integer, seL4_Uint8 arch_flags)
{
    seL4_Word mr[4] = {SWL4_BOOL(suspend_source) | (SWL4_BOOL(resume_target) << 1) |
                           (SWL4_BOOL(transfer_frame) << 2) | (SWL4_BOOL(transfer_integer) << 3) |
                           (SWL4_U8(arch_flags) << 8),
                       0, 0, 0};
    seL4_SetCap(0, source);
    return swl4__invoke(_service, seL4_MessageInfo_new(TCBCopyRegisters, 0, 1, 1), mr);
}

/* Caps: cspace_root, vspace_root, bufferFrame. MRs: fault_ep, cspace_root_data, vspace_root_data,
 * buffer. */
LIBSEL4_INLINE seL4_Error seL4_TCB_Configure(seL4_TCB _service, seL4_Word fault_ep, seL4_CNode cspace_root,
                                             seL4_Word cspace_root_data, seL4_CPtr vspace_root,
                                             seL4_Word vspace_root_data, seL4_Word buffer, seL4_CPtr bufferFrame)
{
    seL4_Word mr[4] = {fault_ep, cspace_root_data, vspace_root_data, buffer};
    seL4_SetCap(0, cspace_root);
    seL4_SetCap(1, vspace_root);
    seL4_SetCap(2, bufferFrame);
    return swl4__invoke(_service, seL4_MessageInfo_new(TCBConfigure, 0, 3, 4), mr);
}

LIBSEL4_INLINE seL4_Error seL4_TCB_SetPriority(seL4_TCB _service, seL4_TCB authority, seL4_Word priority)
{
    seL4_Word mr[4] = {priority, 0, 0, 0};
    seL4_SetCap(0, authority);
    return swl4__invoke(_service, seL4_MessageInfo_new(TCBSetPriority, 0, 1, 1), mr);
}

LIBSEL4_INLINE seL4_Error seL4_TCB_SetMCPriority(seL4_TCB _service, seL4_TCB authority, seL4_Word mcp)
{
    seL4_Word mr[4] = {mcp, 0, 0, 0};
    seL4_SetCap(0, authority);
    return swl4__invoke(_service, seL4_MessageInfo_new(TCBSetMCPriority, 0, 1, 1), mr);
}

LIBSEL4_INLINE seL4_Error seL4_TCB_SetSchedParams(seL4_TCB _service, seL4_TCB authority, seL4_Word mcp,
                                                  seL4_Word priority)
{
    seL4_Word mr[4] = {mcp, priority, 0, 0};
    seL4_SetCap(0, authority);
    return swl4__invoke(_service, seL4_MessageInfo_new(TCBSetSchedParams, 0, 1, 2), mr);
}

LIBSEL4_INLINE seL4_Error seL4_TCB_SetIPCBuffer(seL4_TCB _service, seL4_Word buffer, seL4_CPtr bufferFrame)
{
    seL4_Word mr[4] = {buffer, 0, 0, 0};
    seL4_SetCap(0, bufferFrame);
    return swl4__invoke(_service, seL4_MessageInfo_new(TCBSetIPCBuffer, 0, 1, 1), mr);
}

/* Caps: cspace_root, vspace_root. MRs: fault_ep, cspace_root_data, vspace_root_data. */
LIBSEL4_INLINE seL4_Error seL4_TCB_SetSpace(seL4_TCB _service, seL4_Word fault_ep, seL4_CNode cspace_root,
                                            seL4_Word cspace_root_data, seL4_CPtr vspace_root,
                                            seL4_Word vspace_root_data)
{
    seL4_Word mr[4] = {fault_ep, cspace_root_data, vspace_root_data, 0};
    seL4_SetCap(0, cspace_root);
    seL4_SetCap(1, vspace_root);
    return swl4__invoke(_service, seL4_MessageInfo_new(TCBSetSpace, 0, 2, 3), mr);
}

LIBSEL4_INLINE seL4_Error seL4_TCB_Suspend(seL4_TCB _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(TCBSuspend, 0, 0, 0), mr);
}

LIBSEL4_INLINE seL4_Error seL4_TCB_Resume(seL4_TCB _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(TCBResume, 0, 0, 0), mr);
}

LIBSEL4_INLINE seL4_Error seL4_TCB_BindNotification(seL4_TCB _service, seL4_CPtr notification)
{
    seL4_Word mr[4] = {0, 0, 0, 0};
    seL4_SetCap(0, notification);
    return swl4__invoke(_service, seL4_MessageInfo_new(TCBBindNotification, 0, 1, 0), mr);
}

LIBSEL4_INLINE seL4_Error seL4_TCB_UnbindNotification(seL4_TCB _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(TCBUnbindNotification, 0, 0, 0), mr);
}

LIBSEL4_INLINE seL4_Error seL4_TCB_SetTLSBase(seL4_TCB _service, seL4_Word tls_base)
{
    seL4_Word mr[4] = {tls_base, 0, 0, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(TCBSetTLSBase, 0, 0, 1), mr);
}

struct seL4_TCB_SetFlags {
    int error;
    seL4_Word flags;
};
typedef struct seL4_TCB_SetFlags seL4_TCB_SetFlags_t;

/* Clears then sets seL4_TCBFlag bits; the resulting flags come back in MR0. */
LIBSEL4_INLINE seL4_TCB_SetFlags_t seL4_TCB_SetFlags(seL4_TCB _service, seL4_Word clear, seL4_Word set)
{
    seL4_TCB_SetFlags_t result;
    seL4_Word mr[4] = {clear, set, 0, 0};
    result.error = (int)swl4__invoke(_service, seL4_MessageInfo_new(TCBSetFlags, 0, 0, 2), mr);
    if (result.error != seL4_NoError) {
        return result;
    }
    result.flags = mr[0];
    return result;
}

/* --- seL4_CNode ---------------------------------------------------------------------------- */

LIBSEL4_INLINE seL4_Error seL4_CNode_Revoke(seL4_CNode _service, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word mr[4] = {index, SWL4_U8(depth), 0, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(CNodeRevoke, 0, 0, 2), mr);
}

LIBSEL4_INLINE seL4_Error seL4_CNode_Delete(seL4_CNode _service, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word mr[4] = {index, SWL4_U8(depth), 0, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(CNodeDelete, 0, 0, 2), mr);
}

LIBSEL4_INLINE seL4_Error seL4_CNode_CancelBadgedSends(seL4_CNode _service, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word mr[4] = {index, SWL4_U8(depth), 0, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(CNodeCancelBadgedSends, 0, 0, 2), mr);
}

/* Cap 0 = src_root. MRs: dest_index, dest_depth, src_index, src_depth, rights. */
LIBSEL4_INLINE seL4_Error seL4_CNode_Copy(seL4_CNode _service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                                          seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth,
                                          seL4_CapRights_t rights)
{
    seL4_Word mr[4] = {dest_index, SWL4_U8(dest_depth), src_index, SWL4_U8(src_depth)};
    seL4_SetCap(0, src_root);
    seL4_SetMR(4, rights.words[0]);
    return swl4__invoke(_service, seL4_MessageInfo_new(CNodeCopy, 0, 1, 5), mr);
}

/* Cap 0 = src_root. MRs: dest_index, dest_depth, src_index, src_depth, rights, badge. */
LIBSEL4_INLINE seL4_Error seL4_CNode_Mint(seL4_CNode _service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                                          seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth,
                                          seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_Word mr[4] = {dest_index, SWL4_U8(dest_depth), src_index, SWL4_U8(src_depth)};
    seL4_SetCap(0, src_root);
    seL4_SetMR(4, rights.words[0]);
    seL4_SetMR(5, badge);
    return swl4__invoke(_service, seL4_MessageInfo_new(CNodeMint, 0, 1, 6), mr);
}

/* Cap 0 = src_root. MRs: dest_index, dest_depth, src_index, src_depth. */
LIBSEL4_INLINE seL4_Error seL4_CNode_Move(seL4_CNode _service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                                          seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth)
{
    seL4_Word mr[4] = {dest_index, SWL4_U8(dest_depth), src_index, SWL4_U8(src_depth)};
    seL4_SetCap(0, src_root);
    return swl4__invoke(_service, seL4_MessageInfo_new(CNodeMove, 0, 1, 4), mr);
}

/* Cap 0 = src_root. MRs: dest_index, dest_depth, src_index, src_depth, badge. */
LIBSEL4_INLINE seL4_Error seL4_CNode_Mutate(seL4_CNode _service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                                            seL4_CNode src_root, seL4_Word src_index, seL4_Uint8 src_depth,
                                            seL4_Word badge)
{
    seL4_Word mr[4] = {dest_index, SWL4_U8(dest_depth), src_index, SWL4_U8(src_depth)};
    seL4_SetCap(0, src_root);
    seL4_SetMR(4, badge);
    return swl4__invoke(_service, seL4_MessageInfo_new(CNodeMutate, 0, 1, 5), mr);
}

/* Caps: pivot_root, src_root. MRs: dest_index, dest_depth, dest_badge, pivot_index, pivot_depth,
 * pivot_badge, src_index, src_depth. */
LIBSEL4_INLINE seL4_Error seL4_CNode_Rotate(seL4_CNode _service, seL4_Word dest_index, seL4_Uint8 dest_depth,
                                            seL4_Word dest_badge, seL4_CNode pivot_root, seL4_Word pivot_index,
                                            seL4_Uint8 pivot_depth, seL4_Word pivot_badge, seL4_CNode src_root,
                                            seL4_Word src_index, seL4_Uint8 src_depth)
{
    seL4_Word mr[4] = {dest_index, SWL4_U8(dest_depth), dest_badge, pivot_index};
    seL4_SetCap(0, pivot_root);
    seL4_SetCap(1, src_root);
    seL4_SetMR(4, SWL4_U8(pivot_depth));
    seL4_SetMR(5, pivot_badge);
    seL4_SetMR(6, src_index);
    seL4_SetMR(7, SWL4_U8(src_depth));
    return swl4__invoke(_service, seL4_MessageInfo_new(CNodeRotate, 0, 2, 8), mr);
}

LIBSEL4_INLINE seL4_Error seL4_CNode_SaveCaller(seL4_CNode _service, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word mr[4] = {index, SWL4_U8(depth), 0, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(CNodeSaveCaller, 0, 0, 2), mr);
}

/* --- seL4_IRQControl / seL4_IRQHandler / seL4_DomainSet ------------------------------------ */

/* Cap 0 = root. MRs: irq, index, depth. */
LIBSEL4_INLINE seL4_Error seL4_IRQControl_Get(seL4_IRQControl _service, seL4_Word irq, seL4_CNode root,
                                              seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word mr[4] = {irq, index, SWL4_U8(depth), 0};
    seL4_SetCap(0, root);
    return swl4__invoke(_service, seL4_MessageInfo_new(IRQIssueIRQHandler, 0, 1, 3), mr);
}

LIBSEL4_INLINE seL4_Error seL4_IRQHandler_Ack(seL4_IRQHandler _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(IRQAckIRQ, 0, 0, 0), mr);
}

LIBSEL4_INLINE seL4_Error seL4_IRQHandler_SetNotification(seL4_IRQHandler _service, seL4_CPtr notification)
{
    seL4_Word mr[4] = {0, 0, 0, 0};
    seL4_SetCap(0, notification);
    return swl4__invoke(_service, seL4_MessageInfo_new(IRQSetIRQHandler, 0, 1, 0), mr);
}

LIBSEL4_INLINE seL4_Error seL4_IRQHandler_Clear(seL4_IRQHandler _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(IRQClearIRQHandler, 0, 0, 0), mr);
}

/* MR0 = domain (8 bits); cap 0 = thread. */
LIBSEL4_INLINE seL4_Error seL4_DomainSet_Set(seL4_DomainSet _service, seL4_Uint8 domain, seL4_TCB thread)
{
    seL4_Word mr[4] = {SWL4_U8(domain), 0, 0, 0};
    seL4_SetCap(0, thread);
    return swl4__invoke(_service, seL4_MessageInfo_new(DomainSetSet, 0, 1, 1), mr);
}

/* MR0 = index, MR1 = domain (8 bits), MR2 = duration in kernel ticks (seL4 15.0.0 and later). */
LIBSEL4_INLINE seL4_Error seL4_DomainSet_ScheduleConfigure(seL4_DomainSet _service, seL4_Word index, seL4_Uint8 domain, seL4_Time duration)
{
    seL4_Word mr[4] = {index, SWL4_U8(domain), (seL4_Word)duration, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(DomainScheduleConfigure, 0, 0, 3), mr);
}

/* MR0 = index of the schedule entry to start from (seL4 15.0.0 and later). */
LIBSEL4_INLINE seL4_Error seL4_DomainSet_ScheduleSetStart(seL4_DomainSet _service, seL4_Word index)
{
    seL4_Word mr[4] = {index, 0, 0, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(DomainScheduleSetStart, 0, 0, 1), mr);
}

#if defined(__x86_64__)
/* --- x86_64 (libsel4: object-api-sel4-arch.xml for x86_64, object-api-arch.xml for x86) --- */

LIBSEL4_INLINE seL4_Error seL4_X86_PDPT_Map(seL4_X86_PDPT _service, seL4_X64_PML4 pml4, seL4_Word vaddr,
                                            seL4_X86_VMAttributes attr)
{
    seL4_Word mr[4] = {vaddr, (seL4_Word)attr, 0, 0};
    seL4_SetCap(0, pml4);
    return swl4__invoke(_service, seL4_MessageInfo_new(X86PDPTMap, 0, 1, 2), mr);
}

LIBSEL4_INLINE seL4_Error seL4_X86_PDPT_Unmap(seL4_X86_PDPT _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(X86PDPTUnmap, 0, 0, 0), mr);
}

LIBSEL4_INLINE seL4_Error seL4_X86_PageDirectory_Map(seL4_X86_PageDirectory _service, seL4_CPtr vspace,
                                                     seL4_Word vaddr, seL4_X86_VMAttributes attr)
{
    seL4_Word mr[4] = {vaddr, (seL4_Word)attr, 0, 0};
    seL4_SetCap(0, vspace);
    return swl4__invoke(_service, seL4_MessageInfo_new(X86PageDirectoryMap, 0, 1, 2), mr);
}

LIBSEL4_INLINE seL4_Error seL4_X86_PageDirectory_Unmap(seL4_X86_PageDirectory _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(X86PageDirectoryUnmap, 0, 0, 0), mr);
}

LIBSEL4_INLINE seL4_Error seL4_X86_PageTable_Map(seL4_X86_PageTable _service, seL4_CPtr vspace, seL4_Word vaddr,
                                                 seL4_X86_VMAttributes attr)
{
    seL4_Word mr[4] = {vaddr, (seL4_Word)attr, 0, 0};
    seL4_SetCap(0, vspace);
    return swl4__invoke(_service, seL4_MessageInfo_new(X86PageTableMap, 0, 1, 2), mr);
}

LIBSEL4_INLINE seL4_Error seL4_X86_PageTable_Unmap(seL4_X86_PageTable _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(X86PageTableUnmap, 0, 0, 0), mr);
}

/* Cap 0 = vspace. MRs: vaddr, rights, attr. */
LIBSEL4_INLINE seL4_Error seL4_X86_Page_Map(seL4_X86_Page _service, seL4_CPtr vspace, seL4_Word vaddr,
                                            seL4_CapRights_t rights, seL4_X86_VMAttributes attr)
{
    seL4_Word mr[4] = {vaddr, rights.words[0], (seL4_Word)attr, 0};
    seL4_SetCap(0, vspace);
    return swl4__invoke(_service, seL4_MessageInfo_new(X86PageMap, 0, 1, 3), mr);
}

LIBSEL4_INLINE seL4_Error seL4_X86_Page_Unmap(seL4_X86_Page _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(X86PageUnmap, 0, 0, 0), mr);
}

struct seL4_X86_Page_GetAddress {
    int error;
    seL4_Word paddr;
};
typedef struct seL4_X86_Page_GetAddress seL4_X86_Page_GetAddress_t;

/* The frame's physical address comes back in MR0. */
LIBSEL4_INLINE seL4_X86_Page_GetAddress_t seL4_X86_Page_GetAddress(seL4_X86_Page _service)
{
    seL4_X86_Page_GetAddress_t result;
    seL4_Word mr[4] = {0, 0, 0, 0};
    result.error = (int)swl4__invoke(_service, seL4_MessageInfo_new(X86PageGetAddress, 0, 0, 0), mr);
    if (result.error != seL4_NoError) {
        return result;
    }
    result.paddr = mr[0];
    return result;
}

/* Caps: untyped, root. MRs: index, depth. */
LIBSEL4_INLINE seL4_Error seL4_X86_ASIDControl_MakePool(seL4_X86_ASIDControl _service, seL4_Untyped untyped,
                                                        seL4_CNode root, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word mr[4] = {index, SWL4_U8(depth), 0, 0};
    seL4_SetCap(0, untyped);
    seL4_SetCap(1, root);
    return swl4__invoke(_service, seL4_MessageInfo_new(X86ASIDControlMakePool, 0, 2, 2), mr);
}

LIBSEL4_INLINE seL4_Error seL4_X86_ASIDPool_Assign(seL4_X86_ASIDPool _service, seL4_CPtr vspace)
{
    seL4_Word mr[4] = {0, 0, 0, 0};
    seL4_SetCap(0, vspace);
    return swl4__invoke(_service, seL4_MessageInfo_new(X86ASIDPoolAssign, 0, 1, 0), mr);
}

/* Cap 0 = root. MRs: first_port, last_port, index, depth. */
LIBSEL4_INLINE seL4_Error seL4_X86_IOPortControl_Issue(seL4_X86_IOPortControl _service, seL4_Word first_port,
                                                       seL4_Word last_port, seL4_CNode root, seL4_Word index,
                                                       seL4_Uint8 depth)
{
    seL4_Word mr[4] = {first_port, last_port, index, SWL4_U8(depth)};
    seL4_SetCap(0, root);
    return swl4__invoke(_service, seL4_MessageInfo_new(X86IOPortControlIssue, 0, 1, 4), mr);
}

struct seL4_X86_IOPort_In8 {
    int error;
    seL4_Uint8 result;
};
typedef struct seL4_X86_IOPort_In8 seL4_X86_IOPort_In8_t;

struct seL4_X86_IOPort_In16 {
    int error;
    seL4_Uint16 result;
};
typedef struct seL4_X86_IOPort_In16 seL4_X86_IOPort_In16_t;

struct seL4_X86_IOPort_In32 {
    int error;
    seL4_Uint32 result;
};
typedef struct seL4_X86_IOPort_In32 seL4_X86_IOPort_In32_t;

/* MR0 = port (16 bits); the value read comes back in the low bits of MR0. */
LIBSEL4_INLINE seL4_X86_IOPort_In8_t seL4_X86_IOPort_In8(seL4_X86_IOPort _service, seL4_Uint16 port)
{
    seL4_X86_IOPort_In8_t result;
    seL4_Word mr[4] = {SWL4_U16(port), 0, 0, 0};
    result.error = (int)swl4__invoke(_service, seL4_MessageInfo_new(X86IOPortIn8, 0, 0, 1), mr);
    if (result.error != seL4_NoError) {
        return result;
    }
    result.result = (seL4_Uint8)(mr[0] & 0xff);
    return result;
}

LIBSEL4_INLINE seL4_X86_IOPort_In16_t seL4_X86_IOPort_In16(seL4_X86_IOPort _service, seL4_Uint16 port)
{
    seL4_X86_IOPort_In16_t result;
    seL4_Word mr[4] = {SWL4_U16(port), 0, 0, 0};
    result.error = (int)swl4__invoke(_service, seL4_MessageInfo_new(X86IOPortIn16, 0, 0, 1), mr);
    if (result.error != seL4_NoError) {
        return result;
    }
    result.result = (seL4_Uint16)(mr[0] & 0xffff);
    return result;
}

LIBSEL4_INLINE seL4_X86_IOPort_In32_t seL4_X86_IOPort_In32(seL4_X86_IOPort _service, seL4_Uint16 port)
{
    seL4_X86_IOPort_In32_t result;
    seL4_Word mr[4] = {SWL4_U16(port), 0, 0, 0};
    result.error = (int)swl4__invoke(_service, seL4_MessageInfo_new(X86IOPortIn32, 0, 0, 1), mr);
    if (result.error != seL4_NoError) {
        return result;
    }
    result.result = (seL4_Uint32)(mr[0] & 0xffffffff);
    return result;
}

LIBSEL4_INLINE seL4_Error seL4_X86_IOPort_Out8(seL4_X86_IOPort _service, seL4_Word port, seL4_Word data)
{
    seL4_Word mr[4] = {port, data, 0, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(X86IOPortOut8, 0, 0, 2), mr);
}

LIBSEL4_INLINE seL4_Error seL4_X86_IOPort_Out16(seL4_X86_IOPort _service, seL4_Word port, seL4_Word data)
{
    seL4_Word mr[4] = {port, data, 0, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(X86IOPortOut16, 0, 0, 2), mr);
}

LIBSEL4_INLINE seL4_Error seL4_X86_IOPort_Out32(seL4_X86_IOPort _service, seL4_Word port, seL4_Word data)
{
    seL4_Word mr[4] = {port, data, 0, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(X86IOPortOut32, 0, 0, 2), mr);
}

/* Cap 0 = root. MRs: index, depth, ioapic, pin, level, polarity, vector. */
LIBSEL4_INLINE seL4_Error seL4_IRQControl_GetIOAPIC(seL4_IRQControl _service, seL4_CNode root, seL4_Word index,
                                                    seL4_Uint8 depth, seL4_Word ioapic, seL4_Word pin,
                                                    seL4_Word level, seL4_Word polarity, seL4_Word vector)
{
    seL4_Word mr[4] = {index, SWL4_U8(depth), ioapic, pin};
    seL4_SetCap(0, root);
    seL4_SetMR(4, level);
    seL4_SetMR(5, polarity);
    seL4_SetMR(6, vector);
    return swl4__invoke(_service, seL4_MessageInfo_new(X86IRQIssueIRQHandlerIOAPIC, 0, 1, 7), mr);
}

/* Cap 0 = root. MRs: index, depth, pci_bus, pci_dev, pci_func, handle, vector. */
LIBSEL4_INLINE seL4_Error seL4_IRQControl_GetMSI(seL4_IRQControl _service, seL4_CNode root, seL4_Word index,
                                                 seL4_Uint8 depth, seL4_Word pci_bus, seL4_Word pci_dev,
                                                 seL4_Word pci_func, seL4_Word handle, seL4_Word vector)
{
    seL4_Word mr[4] = {index, SWL4_U8(depth), pci_bus, pci_dev};
    seL4_SetCap(0, root);
    seL4_SetMR(4, pci_func);
    seL4_SetMR(5, handle);
    seL4_SetMR(6, vector);
    return swl4__invoke(_service, seL4_MessageInfo_new(X86IRQIssueIRQHandlerMSI, 0, 1, 7), mr);
}

#elif defined(__aarch64__)
/* --- aarch64 (libsel4: object-api-sel4-arch.xml for aarch64, object-api-arch.xml for arm) -- */

#define SWL4_ARM_RANGE_OP(iface, method, label)                                                        \
    LIBSEL4_INLINE seL4_Error seL4_ARM_##iface##_##method(seL4_ARM_##iface _service, seL4_Word start, \
                                                           seL4_Word end)                              \
    {                                                                                                  \
        seL4_Word mr[4] = {start, end, 0, 0};                                                          \
        return swl4__invoke(_service, seL4_MessageInfo_new(label, 0, 0, 2), mr);                       \
    }

/* MRs: start, end (virtual addresses in the VSpace). */
SWL4_ARM_RANGE_OP(VSpace, Clean_Data, ARMVSpaceClean_Data)
SWL4_ARM_RANGE_OP(VSpace, Invalidate_Data, ARMVSpaceInvalidate_Data)
SWL4_ARM_RANGE_OP(VSpace, CleanInvalidate_Data, ARMVSpaceCleanInvalidate_Data)
SWL4_ARM_RANGE_OP(VSpace, Unify_Instruction, ARMVSpaceUnify_Instruction)

/* MRs: the eight argument words; the eight result words come back the same way. */
LIBSEL4_INLINE seL4_Error seL4_ARM_SMC_Call(seL4_ARM_SMC _service, seL4_ARM_SMCContext *smc_args,
                                            seL4_ARM_SMCContext *smc_response)
{
    seL4_Word words[8];
    __builtin_memcpy(words, smc_args, sizeof(words));
    seL4_Word mr[4] = {words[0], words[1], words[2], words[3]};
    for (int i = 4; i < 8; i++) {
        seL4_SetMR(i, words[i]);
    }
    seL4_Error result = swl4__invoke(_service, seL4_MessageInfo_new(ARMSMCCall, 0, 0, 8), mr);
    if (result != seL4_NoError) {
        return result;
    }
    for (int i = 0; i < 8; i++) {
        words[i] = (i < 4) ? mr[i] : seL4_GetMR(i);
    }
    __builtin_memcpy(smc_response, words, sizeof(words));
    return result;
}

/* Cap 0 = vspace. MRs: vaddr, attr. */
LIBSEL4_INLINE seL4_Error seL4_ARM_PageTable_Map(seL4_ARM_PageTable _service, seL4_CPtr vspace, seL4_Word vaddr,
                                                 seL4_ARM_VMAttributes attr)
{
    seL4_Word mr[4] = {vaddr, (seL4_Word)attr, 0, 0};
    seL4_SetCap(0, vspace);
    return swl4__invoke(_service, seL4_MessageInfo_new(ARMPageTableMap, 0, 1, 2), mr);
}

LIBSEL4_INLINE seL4_Error seL4_ARM_PageTable_Unmap(seL4_ARM_PageTable _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(ARMPageTableUnmap, 0, 0, 0), mr);
}

/* Cap 0 = vspace. MRs: vaddr, rights, attr. */
LIBSEL4_INLINE seL4_Error seL4_ARM_Page_Map(seL4_ARM_Page _service, seL4_CPtr vspace, seL4_Word vaddr,
                                            seL4_CapRights_t rights, seL4_ARM_VMAttributes attr)
{
    seL4_Word mr[4] = {vaddr, rights.words[0], (seL4_Word)attr, 0};
    seL4_SetCap(0, vspace);
    return swl4__invoke(_service, seL4_MessageInfo_new(ARMPageMap, 0, 1, 3), mr);
}

LIBSEL4_INLINE seL4_Error seL4_ARM_Page_Unmap(seL4_ARM_Page _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(ARMPageUnmap, 0, 0, 0), mr);
}

#define SWL4_ARM_PAGE_RANGE_OP(method, label)                                                              \
    LIBSEL4_INLINE seL4_Error seL4_ARM_Page_##method(seL4_ARM_Page _service, seL4_Word start_offset,      \
                                                      seL4_Word end_offset)                                \
    {                                                                                                      \
        seL4_Word mr[4] = {start_offset, end_offset, 0, 0};                                                \
        return swl4__invoke(_service, seL4_MessageInfo_new(label, 0, 0, 2), mr);                           \
    }

/* MRs: start_offset, end_offset (relative to the page). */
SWL4_ARM_PAGE_RANGE_OP(Clean_Data, ARMPageClean_Data)
SWL4_ARM_PAGE_RANGE_OP(Invalidate_Data, ARMPageInvalidate_Data)
SWL4_ARM_PAGE_RANGE_OP(CleanInvalidate_Data, ARMPageCleanInvalidate_Data)
SWL4_ARM_PAGE_RANGE_OP(Unify_Instruction, ARMPageUnify_Instruction)

#undef SWL4_ARM_RANGE_OP
#undef SWL4_ARM_PAGE_RANGE_OP

struct seL4_ARM_Page_GetAddress {
    int error;
    seL4_Word paddr;
};
typedef struct seL4_ARM_Page_GetAddress seL4_ARM_Page_GetAddress_t;

/* The frame's physical address comes back in MR0. */
LIBSEL4_INLINE seL4_ARM_Page_GetAddress_t seL4_ARM_Page_GetAddress(seL4_ARM_Page _service)
{
    seL4_ARM_Page_GetAddress_t result;
    seL4_Word mr[4] = {0, 0, 0, 0};
    result.error = (int)swl4__invoke(_service, seL4_MessageInfo_new(ARMPageGetAddress, 0, 0, 0), mr);
    if (result.error != seL4_NoError) {
        return result;
    }
    result.paddr = mr[0];
    return result;
}

/* Caps: untyped, root. MRs: index, depth. */
LIBSEL4_INLINE seL4_Error seL4_ARM_ASIDControl_MakePool(seL4_ARM_ASIDControl _service, seL4_Untyped untyped,
                                                        seL4_CNode root, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word mr[4] = {index, SWL4_U8(depth), 0, 0};
    seL4_SetCap(0, untyped);
    seL4_SetCap(1, root);
    return swl4__invoke(_service, seL4_MessageInfo_new(ARMASIDControlMakePool, 0, 2, 2), mr);
}

LIBSEL4_INLINE seL4_Error seL4_ARM_ASIDPool_Assign(seL4_ARM_ASIDPool _service, seL4_CPtr vspace)
{
    seL4_Word mr[4] = {0, 0, 0, 0};
    seL4_SetCap(0, vspace);
    return swl4__invoke(_service, seL4_MessageInfo_new(ARMASIDPoolAssign, 0, 1, 0), mr);
}

/* Cap 0 = root. MRs: irq, trigger, index, depth. */
LIBSEL4_INLINE seL4_Error seL4_IRQControl_GetTrigger(seL4_IRQControl _service, seL4_Word irq, seL4_Word trigger,
                                                     seL4_CNode root, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word mr[4] = {irq, trigger, index, SWL4_U8(depth)};
    seL4_SetCap(0, root);
    return swl4__invoke(_service, seL4_MessageInfo_new(ARMIRQIssueIRQHandlerTrigger, 0, 1, 4), mr);
}

#elif defined(__riscv) && __riscv_xlen == 64
/* --- riscv64 (libsel4: object-api-arch.xml for riscv; riscv64's sel4-arch file is empty) --- */

/* Cap 0 = vspace. MRs: vaddr, attr. */
LIBSEL4_INLINE seL4_Error seL4_RISCV_PageTable_Map(seL4_RISCV_PageTable _service, seL4_RISCV_PageTable vspace,
                                                   seL4_Word vaddr, seL4_RISCV_VMAttributes attr)
{
    seL4_Word mr[4] = {vaddr, (seL4_Word)attr, 0, 0};
    seL4_SetCap(0, vspace);
    return swl4__invoke(_service, seL4_MessageInfo_new(RISCVPageTableMap, 0, 1, 2), mr);
}

LIBSEL4_INLINE seL4_Error seL4_RISCV_PageTable_Unmap(seL4_RISCV_PageTable _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(RISCVPageTableUnmap, 0, 0, 0), mr);
}

/* Cap 0 = vspace. MRs: vaddr, rights, attr. */
LIBSEL4_INLINE seL4_Error seL4_RISCV_Page_Map(seL4_RISCV_Page _service, seL4_RISCV_PageTable vspace, seL4_Word vaddr,
                                              seL4_CapRights_t rights, seL4_RISCV_VMAttributes attr)
{
    seL4_Word mr[4] = {vaddr, rights.words[0], (seL4_Word)attr, 0};
    seL4_SetCap(0, vspace);
    return swl4__invoke(_service, seL4_MessageInfo_new(RISCVPageMap, 0, 1, 3), mr);
}

LIBSEL4_INLINE seL4_Error seL4_RISCV_Page_Unmap(seL4_RISCV_Page _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};
    return swl4__invoke(_service, seL4_MessageInfo_new(RISCVPageUnmap, 0, 0, 0), mr);
}

struct seL4_RISCV_Page_GetAddress {
    int error;
    seL4_Word paddr;
};
typedef struct seL4_RISCV_Page_GetAddress seL4_RISCV_Page_GetAddress_t;

/* The frame's physical address comes back in MR0. */
LIBSEL4_INLINE seL4_RISCV_Page_GetAddress_t seL4_RISCV_Page_GetAddress(seL4_RISCV_Page _service)
{
    seL4_RISCV_Page_GetAddress_t result;
    seL4_Word mr[4] = {0, 0, 0, 0};
    result.error = (int)swl4__invoke(_service, seL4_MessageInfo_new(RISCVPageGetAddress, 0, 0, 0), mr);
    if (result.error != seL4_NoError) {
        return result;
    }
    result.paddr = mr[0];
    return result;
}

/* Caps: untyped, root. MRs: index, depth. */
LIBSEL4_INLINE seL4_Error seL4_RISCV_ASIDControl_MakePool(seL4_RISCV_ASIDControl _service, seL4_Untyped untyped,
                                                          seL4_CNode root, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word mr[4] = {index, SWL4_U8(depth), 0, 0};
    seL4_SetCap(0, untyped);
    seL4_SetCap(1, root);
    return swl4__invoke(_service, seL4_MessageInfo_new(RISCVASIDControlMakePool, 0, 2, 2), mr);
}

LIBSEL4_INLINE seL4_Error seL4_RISCV_ASIDPool_Assign(seL4_RISCV_ASIDPool _service, seL4_CPtr vspace)
{
    seL4_Word mr[4] = {0, 0, 0, 0};
    seL4_SetCap(0, vspace);
    return swl4__invoke(_service, seL4_MessageInfo_new(RISCVASIDPoolAssign, 0, 1, 0), mr);
}

/* Cap 0 = root. MRs: irq, trigger, index, depth. */
LIBSEL4_INLINE seL4_Error seL4_IRQControl_GetTrigger(seL4_IRQControl _service, seL4_Word irq, seL4_Word trigger,
                                                     seL4_CNode root, seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word mr[4] = {irq, trigger, index, SWL4_U8(depth)};
    seL4_SetCap(0, root);
    return swl4__invoke(_service, seL4_MessageInfo_new(RISCVIRQIssueIRQHandlerTrigger, 0, 1, 4), mr);
}
#endif

#undef SWL4_U8
#undef SWL4_U16
#undef SWL4_BOOL

/* ---------------------------------------------------------------------------------------------
 * Fault-label tests (libsel4: sel4/faults.h).
 * ------------------------------------------------------------------------------------------- */
LIBSEL4_INLINE_FUNC seL4_Bool seL4_isVMFault_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_VMFault;
}

LIBSEL4_INLINE_FUNC seL4_Bool seL4_isUnknownSyscall_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_UnknownSyscall;
}

LIBSEL4_INLINE_FUNC seL4_Bool seL4_isUserException_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_UserException;
}

LIBSEL4_INLINE_FUNC seL4_Bool seL4_isNullFault_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_NullFault;
}

LIBSEL4_INLINE_FUNC seL4_Bool seL4_isCapFault_tag(seL4_MessageInfo_t tag)
{
    return seL4_MessageInfo_get_label(tag) == seL4_Fault_CapFault;
}

/* ---------------------------------------------------------------------------------------------
 * A fault message as a value (libsel4: sel4/faults.h seL4_getFault and the seL4_Fault_*
 * accessors generated from shared_types.bf). The names and the values they return are
 * libsel4's; the representation is SwiftL4's own: the fault type, then the message's words
 * as the kernel sent them, each accessor reading the word its field is sent in. Read the
 * message with seL4_getFault before the next IPC overwrites the message registers.
 * ------------------------------------------------------------------------------------------- */
#define SWL4_FAULT_MAX_WORDS 20
typedef struct seL4_Fault {
    seL4_Word words[1 + SWL4_FAULT_MAX_WORDS];
} seL4_Fault_t;

LIBSEL4_INLINE_FUNC seL4_Word seL4_Fault_get_seL4_FaultType(seL4_Fault_t fault)
{
    return fault.words[0];
}

/* The fault a fault message's tag announces (a message of another label is a NullFault). */
LIBSEL4_INLINE_FUNC seL4_Fault_t seL4_getFault(seL4_MessageInfo_t tag)
{
    seL4_Fault_t fault = {{0}};
    seL4_Word label = seL4_MessageInfo_get_label(tag), length = seL4_MessageInfo_get_length(tag);
    switch (label) {
    case seL4_Fault_CapFault:
    case seL4_Fault_UnknownSyscall:
    case seL4_Fault_UserException:
    case seL4_Fault_VMFault:
        fault.words[0] = label;
        for (seL4_Word i = 0; i < length && i < SWL4_FAULT_MAX_WORDS; i++) {
            fault.words[1 + i] = seL4_GetMR((int)i);
        }
        break;
    default:
        fault.words[0] = seL4_Fault_NullFault;
    }
    return fault;
}

#define SWL4_FAULT_FIELD(kind, field, word)                                                      \
    LIBSEL4_INLINE_FUNC seL4_Word seL4_Fault_##kind##_get_##field(seL4_Fault_t fault)           \
    {                                                                                           \
        return fault.words[1 + (word)];                                                         \
    }

SWL4_FAULT_FIELD(CapFault, IP, seL4_CapFault_IP)
SWL4_FAULT_FIELD(CapFault, Addr, seL4_CapFault_Addr)
SWL4_FAULT_FIELD(CapFault, InRecvPhase, seL4_CapFault_InRecvPhase)
SWL4_FAULT_FIELD(CapFault, LookupFailureType, seL4_CapFault_LookupFailureType)
SWL4_FAULT_FIELD(CapFault, MR4, seL4_CapFault_BitsLeft)
SWL4_FAULT_FIELD(CapFault, MR5, seL4_CapFault_DepthMismatch_BitsFound)
SWL4_FAULT_FIELD(CapFault, MR6, seL4_CapFault_GuardMismatch_BitsFound)
SWL4_FAULT_FIELD(VMFault, IP, seL4_VMFault_IP)
SWL4_FAULT_FIELD(VMFault, Addr, seL4_VMFault_Addr)
SWL4_FAULT_FIELD(VMFault, PrefetchFault, seL4_VMFault_PrefetchFault)
SWL4_FAULT_FIELD(VMFault, FSR, seL4_VMFault_FSR)
SWL4_FAULT_FIELD(UnknownSyscall, FaultIP, seL4_UnknownSyscall_FaultIP)
SWL4_FAULT_FIELD(UnknownSyscall, Syscall, seL4_UnknownSyscall_Syscall)
SWL4_FAULT_FIELD(UserException, FaultIP, seL4_UserException_FaultIP)
SWL4_FAULT_FIELD(UserException, Number, seL4_UserException_Number)
SWL4_FAULT_FIELD(UserException, Code, seL4_UserException_Code)
#if defined(__x86_64__)
SWL4_FAULT_FIELD(UnknownSyscall, RAX, seL4_UnknownSyscall_RAX)
SWL4_FAULT_FIELD(UnknownSyscall, RBX, seL4_UnknownSyscall_RBX)
SWL4_FAULT_FIELD(UnknownSyscall, RCX, seL4_UnknownSyscall_RCX)
SWL4_FAULT_FIELD(UnknownSyscall, RDX, seL4_UnknownSyscall_RDX)
SWL4_FAULT_FIELD(UnknownSyscall, RSI, seL4_UnknownSyscall_RSI)
SWL4_FAULT_FIELD(UnknownSyscall, RDI, seL4_UnknownSyscall_RDI)
SWL4_FAULT_FIELD(UnknownSyscall, RBP, seL4_UnknownSyscall_RBP)
SWL4_FAULT_FIELD(UnknownSyscall, R8, seL4_UnknownSyscall_R8)
SWL4_FAULT_FIELD(UnknownSyscall, R9, seL4_UnknownSyscall_R9)
SWL4_FAULT_FIELD(UnknownSyscall, R10, seL4_UnknownSyscall_R10)
SWL4_FAULT_FIELD(UnknownSyscall, R11, seL4_UnknownSyscall_R11)
SWL4_FAULT_FIELD(UnknownSyscall, R12, seL4_UnknownSyscall_R12)
SWL4_FAULT_FIELD(UnknownSyscall, R13, seL4_UnknownSyscall_R13)
SWL4_FAULT_FIELD(UnknownSyscall, R14, seL4_UnknownSyscall_R14)
SWL4_FAULT_FIELD(UnknownSyscall, R15, seL4_UnknownSyscall_R15)
SWL4_FAULT_FIELD(UnknownSyscall, RSP, seL4_UnknownSyscall_SP)
SWL4_FAULT_FIELD(UnknownSyscall, FLAGS, seL4_UnknownSyscall_FLAGS)
SWL4_FAULT_FIELD(UserException, Stack, seL4_UserException_SP)
SWL4_FAULT_FIELD(UserException, FLAGS, seL4_UserException_FLAGS)
#elif defined(__aarch64__)
SWL4_FAULT_FIELD(UnknownSyscall, X0, seL4_UnknownSyscall_X0)
SWL4_FAULT_FIELD(UnknownSyscall, X1, seL4_UnknownSyscall_X1)
SWL4_FAULT_FIELD(UnknownSyscall, X2, seL4_UnknownSyscall_X2)
SWL4_FAULT_FIELD(UnknownSyscall, X3, seL4_UnknownSyscall_X3)
SWL4_FAULT_FIELD(UnknownSyscall, X4, seL4_UnknownSyscall_X4)
SWL4_FAULT_FIELD(UnknownSyscall, X5, seL4_UnknownSyscall_X5)
SWL4_FAULT_FIELD(UnknownSyscall, X6, seL4_UnknownSyscall_X6)
SWL4_FAULT_FIELD(UnknownSyscall, X7, seL4_UnknownSyscall_X7)
SWL4_FAULT_FIELD(UnknownSyscall, SP, seL4_UnknownSyscall_SP)
SWL4_FAULT_FIELD(UnknownSyscall, LR, seL4_UnknownSyscall_LR)
SWL4_FAULT_FIELD(UnknownSyscall, SPSR, seL4_UnknownSyscall_SPSR)
SWL4_FAULT_FIELD(UserException, Stack, seL4_UserException_SP)
SWL4_FAULT_FIELD(UserException, SPSR, seL4_UserException_SPSR)
#elif defined(__riscv) && __riscv_xlen == 64
SWL4_FAULT_FIELD(UnknownSyscall, SP, seL4_UnknownSyscall_SP)
SWL4_FAULT_FIELD(UnknownSyscall, RA, seL4_UnknownSyscall_RA)
SWL4_FAULT_FIELD(UnknownSyscall, A0, seL4_UnknownSyscall_A0)
SWL4_FAULT_FIELD(UnknownSyscall, A1, seL4_UnknownSyscall_A1)
SWL4_FAULT_FIELD(UnknownSyscall, A2, seL4_UnknownSyscall_A2)
SWL4_FAULT_FIELD(UnknownSyscall, A3, seL4_UnknownSyscall_A3)
SWL4_FAULT_FIELD(UnknownSyscall, A4, seL4_UnknownSyscall_A4)
SWL4_FAULT_FIELD(UnknownSyscall, A5, seL4_UnknownSyscall_A5)
SWL4_FAULT_FIELD(UnknownSyscall, A6, seL4_UnknownSyscall_A6)
SWL4_FAULT_FIELD(UserException, SP, seL4_UserException_SP)
#endif
#undef SWL4_FAULT_FIELD

#ifdef __cplusplus
}
#endif

#endif /* SWIFTL4_SEL4_SEL4_H */
