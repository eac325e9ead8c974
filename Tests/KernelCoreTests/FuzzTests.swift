import KernelCore
import KernelFuzz
import Testing

/// The syscall fuzzer under a bounded budget: random system calls and invocations by random
/// threads, with the invariants and the reference model checked after every one.
@Suite struct FuzzTests {
    @Test(arguments: [1, 2, 3, 0xDEAD_BEEF] as [UInt64])
    func noViolation(seed: UInt64) {
        let report = SyscallFuzzer(seed: seed).run(operations: 20_000)
        #expect(report.violation == nil, "\(report.violation.map { "\($0)" } ?? "")")
        #expect(report.operations == 20_000)
        #expect(report.invariantChecks >= report.operations)
    }

    /// Bad input never crashes the kernel, with Sv39 paging too: random page-table, frame and
    /// ASID invocations (valid, invalid, out of order) among the rest, every outcome checked
    /// against the reference and the invariants after every step.
    @Test(arguments: [1, 2, 7] as [UInt64])
    func noViolationWithSv39Paging(seed: UInt64) {
        expectNoViolation(paging: .sv39, seed: seed)
    }

    /// The same with x86_64 four-level paging (X86VS-1..12): PDPT, page-directory, page-table,
    /// frame and ASID invocations at random, out of order and with bad arguments.
    @Test(arguments: [1, 2, 7] as [UInt64])
    func noViolationWithX86Paging(seed: UInt64) {
        #if arch(x86_64)
        expectNoViolation(paging: .x86_64, seed: seed)
        #endif
    }

    /// 20,000 operations with `paging`'s objects among them: no violation, and some paging
    /// invocations succeeded (the run did reach the paging code).
    private func expectNoViolation(paging: PagingModel, seed: UInt64) {
        var fuzzer = SyscallFuzzer(seed: seed)
        fuzzer.paging = paging
        let report = fuzzer.run(operations: 20_000)
        #expect(report.violation == nil, "\(report.violation.map { "\($0)" } ?? "")")
        #expect(report.operations == 20_000)
        #expect(report.histogram.pagingSuccesses > 0)
    }

    @Test func sameSeedSameOutcome() {
        let first = SyscallFuzzer(seed: 42).run(operations: 3_000)
        let second = SyscallFuzzer(seed: 42).run(operations: 3_000)
        #expect(first == second)
        #expect(first.histogram.deliveries > 0)
        #expect(first.histogram.errors.reduce(0, +) > 0)
        let other = SyscallFuzzer(seed: 43).run(operations: 3_000)
        #expect(other.histogram != first.histogram)
    }
}
