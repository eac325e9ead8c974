// Address-space activation: satp for the thread about to run (seL4's setVMRoot), cached per
// thread, and the TLB flushed when the kernel's translations change.

import CRISCVPlatform
import KernelCore

extension RISCV {
    /// satp's MODE field for Sv39.
    static let satpSv39: Word = 8 << 60
}

/// The kernel's addresses (trap_state.h): physical memory through the window at `PPTR_BASE`.
enum KernelAddresses {
    static let windowOffset = Word(SWIFTL4_PPTR_BASE)

    /// The window's address of physical address `physical`.
    static func window(_ physical: Word) -> Word { physical &+ windowOffset }
    /// The physical address of a window address.
    static func physical(ofWindow address: Word) -> Word { address &- windowOffset }
}

/// The kernel's own root table (support.c): the window (254 GiB of physical address space
/// from `PPTR_BASE`, seL4's riscv64 layout) and the image's gigabyte, identity-mapped; global,
/// for supervisor mode only. Every VSpace gets these entries when it is given an ASID
/// (`KernelConfiguration.globalPageTable`). Turns translation on with them and returns the
/// satp of the kernel's mappings alone. The image runs at its physical addresses, so turning
/// translation on changes nothing for the code that does it.
func enableKernelWindow() -> Word {
    let table = UnsafeMutablePointer<Word>(bitPattern: kernelRootTable())!
    let leaf = PTE.read | PTE.write | PTE.execute | PTE.global | PTE.accessed | PTE.dirty
    for i in 0..<512 { table[i] = 0 }
    for k in 0..<Int(SWIFTL4_WINDOW_ENTRIES) {
        table[Int(SWIFTL4_WINDOW_FIRST_ENTRY) + k] = PTE.table(Word(k) << 30) | leaf
    }
    let image = Word(SWIFTL4_KERNEL_PHYSICAL_GIGABYTE)
    table[Int(image >> 30)] = PTE.table(image) | leaf
    let satp = RISCV.satpSv39 | Word(kernelRootTable() >> 12)
    writeSATP(UInt(satp))
    flushTLB()
    return satp
}

extension Platform {
    /// The thread's address space, now (for the floor, whose return does not write satp).
    func activate(_ thread: Thread) {
        guard let kernel else { return }
        cacheSATP(kernel, thread)
        writeSATP(UInt(thread.platformWords.pointee.satp))
    }
}

/// `setVMRoot`'s choice for the thread about to run, which the return to user mode (start.S)
/// writes to satp: its VSpace, or the kernel's window alone if it has none valid (then every
/// user access faults). Cached in the TCB's platform words (`swiftl4_thread_platform_t.satp`,
/// valid while `satp_generation` is the translation generation + 1): a change of generation
/// (any translation or VSpace binding changed) makes every thread's cache stale, so the first
/// return to user mode after one comes here, and flushes the TLB.
@inline(__always)
func cacheSATP(_ kernel: Kernel, _ thread: Thread) {
    if !hasCachedSATP(kernel, thread) { recomputeSATP(kernel, thread, kernel.translationGeneration) }
}

/// Whether `thread`'s cached satp is of the current translation generation.
@inline(__always)
func hasCachedSATP(_ kernel: Kernel, _ thread: Thread) -> Bool {
    thread.platformWords.pointee.satp_generation == kernel.translationGeneration &+ 1
}

@inline(never)
func recomputeSATP(_ kernel: Kernel, _ thread: Thread, _ generation: Word) {
    let state = trapState
    let cache = thread.platformWords
    if let (root, asid) = kernel.vspace(of: thread) {
        cache.pointee.satp = RISCV.satpSv39 | asid << 44 | kernel.physicalAddress(root) >> 12
    } else {
        cache.pointee.satp = state.kernelSATP
    }
    cache.pointee.satp_generation = generation &+ 1
    if generation != state.seenGeneration {
        state.seenGeneration = generation
        flushTLB()
    }
}
