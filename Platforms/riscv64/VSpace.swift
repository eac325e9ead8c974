// Address-space activation: satp for the thread about to run (seL4's setVMRoot), cached per
// thread, and the TLB flushed when the kernel's translations change.

import CRISCVPlatform
import KernelCore

extension RISCV {
    /// satp's MODE field for Sv39.
    static let satpSv39: Word = 8 << 60
}

/// The kernel's window, in the kernel's own root table (support.c): RAM, from its gigabyte at
/// 0x8000_0000 to `ramTop`, identity-mapped in 1 GiB pages, global, for supervisor mode only.
/// Every VSpace gets these entries when it is given an ASID
/// (`KernelConfiguration.globalPageTable`). Returns the satp of the window alone.
func makeKernelWindow(ramTop: Word) -> Word {
    let table = UnsafeMutablePointer<Word>(bitPattern: kernelRootTable())!
    for i in 0..<512 { table[i] = 0 }
    var gigabyte: Word = 0x8000_0000
    while gigabyte < ramTop {
        table[Int(gigabyte >> 30)] = PTE.table(gigabyte) | PTE.read | PTE.write | PTE.execute | PTE.global
            | PTE.accessed | PTE.dirty
        gigabyte += 1 << 30
    }
    return RISCV.satpSv39 | Word(kernelRootTable() >> 12)
}

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
            satp = RISCV.satpSv39 | asid << 44 | kernel.physicalAddress(root) >> 12
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
