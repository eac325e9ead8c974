// Address-space activation: satp for the thread about to run (seL4's setVMRoot), cached per
// thread, and the TLB flushed when the kernel's translations change.

import CRISCVPlatform
import KernelCore

extension Platform {
    func switchAddressSpace(_ satp: Word) {
        if satp != trapState.activeSATP {
            writeSATP(UInt(satp))
            trapState.activeSATP = satp
        }
    }

    func activate(_ thread: Thread) {
        if let kernel { activateVSpace(kernel, thread) }
    }
}

/// `setVMRoot` for the thread about to run: its VSpace, or the kernel's alone if it has none
/// valid (then every user access faults). The satp value is cached in the TCB's platform words
/// (`swiftl4_thread_platform_t.satp`, valid while `satp_generation` is the generation + 1) for
/// as long as the kernel's translation generation does not move; a new generation also
/// flushes the TLB.
@inline(__always)
func activateVSpace(_ kernel: Kernel, _ thread: Thread, _ state: TrapState = trapState) {
    let generation = kernel.translationGeneration
    let cache = thread.platformWords
    var satp = cache.pointee.satp
    if cache.pointee.satp_generation != generation &+ 1 {
        if let (root, asid) = kernel.vspace(of: thread) {
            satp = RISCV.satpSv39 | asid << 44 | root >> 12
        } else {
            satp = state.kernelSATP
        }
        cache.pointee.satp = satp
        cache.pointee.satp_generation = generation &+ 1
    }
    if satp != state.activeSATP {
        writeSATP(UInt(satp))
        state.activeSATP = satp
    }
    if generation != state.seenGeneration {
        state.seenGeneration = generation
        flushTLB()
    }
}
