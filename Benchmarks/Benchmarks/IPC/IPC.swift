import Benchmark
import SwiftL4Bench

// sel4bench-style IPC benchmarks of SwiftL4's hosted kernel: each measures only the loop of
// IPCs (the system is built outside the measurement window), with wall-clock time and malloc
// counts: the kernel allocates nothing on any IPC path, so mallocCountTotal must be 0.
nonisolated(unsafe) var current: Benchmark?

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 20
    )

    let operations: [(String, HostedBenchmarks.Operation)] = [
        ("Call+ReplyRecv round trip, fastpath (1 word)", .callReplyRecv),
        ("Call+ReplyRecv round trip, slowpath (10 words)", .callReplyRecvTenWords),
        ("Call+ReplyRecv round trip, slowpath (a cap, unwrapped)", .callReplyRecvWithCap),
        ("Send to a Recv loop", .sendRecv),
        ("NBSend, no receiver", .nbSend),
        ("Signal to a Wait loop", .signalWait),
        ("Yield between two threads", .yield),
    ]
    for (name, operation) in operations {
        Benchmark(name) { benchmark in
            current = benchmark
            _ = try HostedBenchmarks.run(operation, count: benchmark.scaledIterations.count,
                                         start: { current?.startMeasurement() },
                                         stop: { current?.stopMeasurement() })
        }
    }
}
