// The C and assembly functions the platform calls (support.c, start.S, and build.sh's table of
// program images), in one place.

import CRISCVPlatform
import KernelCore

@_silgen_name("swiftl4_shutdown") func shutdown(_ failure: Int32)
@_silgen_name("swiftl4_kernel_memory_start") func kernelMemoryStart() -> UInt
@_silgen_name("swiftl4_kernel_root_table") func kernelRootTable() -> UInt
@_silgen_name("swiftl4_write_satp") func writeSATP(_ value: UInt)
@_silgen_name("swiftl4_flush_tlb") func flushTLB()
@_silgen_name("swiftl4_allow_user_counters") func allowUserCounters()
@_silgen_name("swiftl4_time") func readTime() -> UInt64
@_silgen_name("swiftl4_set_timer") func setTimer(_ when: UInt64)
@_silgen_name("swiftl4_enable_timer_interrupt") func enableTimerInterrupt(_ on: Int32)
@_silgen_name("swiftl4_prepare_user_entry") func prepareUserEntry()
// The returns to user mode never return; they are declared returning so that a handler's last
// call to one is a tail call, a jump (Trap.swift, `fastSystemCall`), and `resume` says Never.
@_silgen_name("swiftl4_resume_user") func resumeUser(_ thread: UnsafeMutableRawPointer)
@_silgen_name("swiftl4_resume_user_fpu_on") func resumeUserFPUOn(_ thread: UnsafeMutableRawPointer)
@_silgen_name("swiftl4_resume_user_fpu_off") func resumeUserFPUOff(_ thread: UnsafeMutableRawPointer)
@_silgen_name("swiftl4_enter_floor") func enterFloor(_ registers: UnsafeMutableRawPointer)
@_silgen_name("swiftl4_program_image") func programImage(_ which: Int32, _ size: UnsafeMutablePointer<UInt>) -> UnsafeRawPointer?
@_silgen_name("putchar") func putchar(_ c: Int32) -> Int32

@_silgen_name("swiftl4_trap_state_pointer") func trapStatePointer() -> UnsafeMutablePointer<swiftl4_trap_state_t>
@_silgen_name("swiftl4_fpu_save") func fpuSave(_ thread: UnsafeMutablePointer<swiftl4_thread_platform_t>)
@_silgen_name("swiftl4_fpu_load") func fpuLoad(_ thread: UnsafeMutablePointer<swiftl4_thread_platform_t>)
@_silgen_name("swiftl4_read_stval") func readSTVAL() -> UInt
