import Testing
import KernelCore
import KernelTestSupport

/// A unit that records what the kernel asks of it, by thread name.
private final class RecordingFPU: FloatingPointUnit {
    var log: [String] = []
    func name(_ thread: Thread) -> String {
        String(decoding: UnsafeBufferPointer(start: thread.nameBytes, count: thread.nameLength), as: UTF8.self)
    }
    func save(into thread: Thread) { log.append("save \(name(thread))") }
    func load(from thread: Thread) { log.append("load \(name(thread))") }
}

/// FPU-1: the unit switches by owner (seL4's `lazyFPURestore`, `switchLocalFpuOwner`,
/// `fpuRelease`), with `seL4_TCBFlag_fpuDisabled` turning it off for a thread.
@Suite struct FPUTests {
    private func system() -> (TestSystem, RecordingFPU, a: (slot: Word, thread: Thread), b: (slot: Word, thread: Thread)) {
        let sys = TestSystem()
        let fpu = RecordingFPU()
        sys.kernel.fpu = fpu
        let a = sys.spawn(name: "a"), b = sys.spawn(name: "b")
        return (sys, fpu, a, b)
    }

    /// A thread that does not own the unit takes it over (the owner saved first); the owner
    /// running again costs nothing.
    @Test func fpu1_switchesByOwner() {
        let (sys, fpu, a, b) = system()
        sys.kernel.lazyFPURestore(a.thread)
        #expect(fpu.log == ["load a"] && sys.kernel.fpuOwner == a.thread && sys.kernel.fpuEnabled)
        sys.kernel.lazyFPURestore(a.thread)
        #expect(fpu.log == ["load a"])
        sys.kernel.lazyFPURestore(b.thread)
        #expect(fpu.log == ["load a", "save a", "load b"] && sys.kernel.fpuOwner == b.thread)
    }

    /// SetFlags with fpuDisabled on the owner saves its state and frees the unit; the thread
    /// then runs with the unit off (its FP instructions fault); clearing the flag gives it the
    /// unit back with the state it saved.
    @Test func fpu1_disabledThreadRunsWithTheUnitOff() {
        let (sys, fpu, a, _) = system()
        sys.kernel.lazyFPURestore(a.thread)
        let reply = sys.invoke(a.slot, label: .tcbSetFlags, args: [0, ThreadFlag.fpuDisabled])
        #expect(reply.mr == [ThreadFlag.fpuDisabled])
        #expect(fpu.log == ["load a", "save a"] && sys.kernel.fpuOwner == nil)
        sys.kernel.lazyFPURestore(a.thread)
        #expect(!sys.kernel.fpuEnabled && fpu.log.count == 2)
        _ = sys.invoke(a.slot, label: .tcbSetFlags, args: [ThreadFlag.fpuDisabled, 0])
        sys.kernel.lazyFPURestore(a.thread)
        #expect(sys.kernel.fpuEnabled && fpu.log == ["load a", "save a", "load a"])
    }

    /// Deleting the owner's TCB releases the unit (`Arch_prepareThreadDelete`): the owner never
    /// names a dead thread.
    @Test func fpu1_deletingTheOwnerReleasesTheUnit() {
        let (sys, fpu, a, b) = system()
        sys.kernel.lazyFPURestore(b.thread)
        sys.kernel.lazyFPURestore(a.thread)
        #expect(sys.deleteSlot(a.slot) == 0)
        #expect(sys.kernel.fpuOwner == nil && !sys.kernel.fpuEnabled)
        #expect(fpu.log == ["load b", "save b", "load a", "save a"])
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }

    /// Without a unit (hosted) nothing is switched and nothing is enabled.
    @Test func fpu1_noUnitNoSwitching() {
        let sys = TestSystem()
        let a = sys.spawn(name: "a")
        sys.kernel.lazyFPURestore(a.thread)
        #expect(sys.kernel.fpuOwner == nil && !sys.kernel.fpuEnabled)
    }
}
