import CBench
import Foundation
import HostedRuntime
import KernelCore
import SeL4

/// Benchmarks of SwiftL4's hosted IPC and of the host's own primitives, measured in one run
/// so that their ratios mean something on a noisy machine (performance.md).
public enum HostedBenchmarks {
    /// One row of `swiftl4 bench`: the median of its rounds.
    public struct Row: Codable, Sendable {
        public var name: String
        /// The median over the rounds.
        public var roundTripNanoseconds: Double
        /// The median over the rounds of this row's round trip divided by the fastpath's
        /// measured in the same round.
        public var ratioToFastpath: Double
        /// The smallest and largest of those per-round ratios.
        public var ratioLow: Double
        public var ratioHigh: Double
        /// Every round's nanoseconds, in order.
        public var samples: [Double]
    }

    /// The median of `values` (not empty).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// A ratio measured in several rounds, as the bench prints it: its median, its range, and
    /// whether the range is too wide (more than 20% of the median) to trust one figure.
    public struct Ratio: Sendable {
        public var median: Double
        public var low: Double
        public var high: Double
        public var isNoisy: Bool { (high - low) > 0.2 * median }

        /// A target's verdict: met or missed only when every round agrees.
        public enum Verdict: String, Sendable {
            case met
            case missed = "MISSED"
            case noisy = "noisy (the rounds straddle the target)"
        }
        public func verdict(atMost limit: Double) -> Verdict { high <= limit ? .met : low > limit ? .missed : .noisy }
        public func verdict(atLeast limit: Double) -> Verdict { low >= limit ? .met : high < limit ? .missed : .noisy }

        public init(median: Double, low: Double, high: Double) {
            self.median = median
            self.low = low
            self.high = high
        }

        /// The ratio of row `a` to row `b`, round by round.
        public init(_ a: Row, over b: Row) {
            let ratios = zip(a.samples, b.samples).map { $0 / $1 }
            median = HostedBenchmarks.median(ratios)
            low = ratios.min() ?? .nan
            high = ratios.max() ?? .nan
        }
    }

    /// What an IPC benchmark measured, with the kernel's path counters.
    public struct IPCResult: Sendable {
        public var nanoseconds: Double
        public var counters: PathCounters
    }

    nonisolated(unsafe) static var measured: Double = 0
    nonisolated(unsafe) static var hooks: (start: () -> Void, stop: () -> Void) = ({}, {})

    /// The IPC operations measured, each between Swift programs in separate CSpaces.
    public enum Operation: String, CaseIterable, Sendable {
        /// Call/ReplyRecv round trip, one word each way (the fastpath).
        case callReplyRecv
        /// Call/ReplyRecv round trip, ten words each way (the slowpath).
        case callReplyRecvTenWords
        /// Call/ReplyRecv round trip whose Call carries the endpoint's own cap, unwrapped.
        case callReplyRecvWithCap
        /// The one-word round trip with the word passed in a register both ways
        /// (`seL4_CallWithMRs`, `seL4_ReplyRecvWithMRs`), not through the IPC buffer: the user
        /// loop seL4's 489 is counted with (`../shared/design/performance.md`; 505 with
        /// libsel4's buffer-reading stubs, as `callReplyRecv`).
        case callReplyRecvRegisters
        /// Send to a server that Recv's in a loop, per Send.
        case sendRecv
        /// NBSend to an endpoint nobody waits on (dropped, SEND-3), per NBSend.
        case nbSend
        /// Signal to a thread that Waits in a loop, per Signal.
        case signalWait
        /// Two threads of one priority yielding to each other, per Yield.
        case yield
    }

    /// Runs `operation` `count` times (after a warm-up) and returns nanoseconds per operation.
    /// `start` and `stop` run right around the timed loop, on the measuring thread (for a
    /// benchmark framework's measurement window).
    public static func run(_ operation: Operation, count: Int, fastpath: Bool = true, tracing: Bool = false,
                           start: @escaping () -> Void = {}, stop: @escaping () -> Void = {}) throws -> IPCResult {
        hooks = (start, stop)
        let tag = "bench.\(operation.rawValue)"
        @Sendable func timed(_ body: () -> Void) -> Int32 {
            for _ in 0..<min(1000, count) { body() }
            hooks.start()
            let begin = swl4_bench_now_ns()
            for _ in 0..<count { body() }
            measured = Double(swl4_bench_now_ns() - begin) / Double(count)
            hooks.stop()
            return 0
        }
        let words: seL4_Word = operation == .callReplyRecvTenWords ? 10 : 1
        let unwrap = operation == .callReplyRecvWithCap
        switch operation {
        case .callReplyRecvRegisters:
            SwiftPrograms.register("\(tag).server") { env in
                let ep = env["ep"].rawValue
                let reply = seL4_MessageInfo_new(0, 0, 0, 1)
                var badge: seL4_Word = 0, word: seL4_Word = 0
                _ = seL4_Recv(ep, &badge)
                while true { _ = seL4_ReplyRecvWithMRs(ep, reply, &badge, &word, nil, nil, nil) }
            }
            SwiftPrograms.register("\(tag).client") { env in
                let ep = env["ep"].rawValue
                let info = seL4_MessageInfo_new(1, 0, 0, 1)
                var word: seL4_Word = 0
                return timed { _ = seL4_CallWithMRs(ep, info, &word, nil, nil, nil) }
            }
        case .callReplyRecv, .callReplyRecvTenWords, .callReplyRecvWithCap:
            SwiftPrograms.register("\(tag).server") { env in
                let ep = env["ep"].rawValue
                let reply = seL4_MessageInfo_new(0, 0, 0, words)
                var badge: seL4_Word = 0
                _ = seL4_Recv(ep, &badge)
                while true { _ = seL4_ReplyRecv(ep, reply, &badge) }
            }
            SwiftPrograms.register("\(tag).client") { env in
                let ep = env["ep"].rawValue
                let info = seL4_MessageInfo_new(1, 0, unwrap ? 1 : 0, words)
                if unwrap { seL4_SetCap(0, ep) }
                return timed { _ = seL4_Call(ep, info) }
            }
        case .sendRecv:
            SwiftPrograms.register("\(tag).server") { env in
                var badge: seL4_Word = 0
                while true { _ = seL4_Recv(env["ep"].rawValue, &badge) }
            }
            SwiftPrograms.register("\(tag).client") { env in
                let ep = env["ep"].rawValue
                return timed { seL4_Send(ep, seL4_MessageInfo_new(1, 0, 0, 1)) }
            }
        case .nbSend:
            SwiftPrograms.register("\(tag).server") { _ in 0 }
            SwiftPrograms.register("\(tag).client") { env in
                let ep = env["ep"].rawValue
                return timed { seL4_NBSend(ep, seL4_MessageInfo_new(1, 0, 0, 1)) }
            }
        case .signalWait:
            SwiftPrograms.register("\(tag).server") { env in
                var badge: seL4_Word = 0
                while true { seL4_Wait(env["ntfn"].rawValue, &badge) }
            }
            SwiftPrograms.register("\(tag).client") { env in
                let ntfn = env["ntfn"].rawValue
                return timed { seL4_Signal(ntfn) }
            }
        case .yield:
            // The partner yields as often as the measuring thread, then stops, so the run ends.
            SwiftPrograms.register("\(tag).server") { _ in
                for _ in 0..<(min(1000, count) + count + 1) { seL4_Yield() }
                return 0
            }
            SwiftPrograms.register("\(tag).client") { _ in timed { seL4_Yield() } }
        }
        var system = SystemDescription()
        system.endpoint("ep")
        system.notification("ntfn")
        system.protectionDomain("server", program: .swift("\(tag).server")) { pd in
            pd.cap("ep", slot: 1, object: "ep")
            pd.cap("ntfn", slot: 2, object: "ntfn")
        }
        system.protectionDomain("client", program: .swift("\(tag).client")) { pd in
            pd.cap("ep", slot: 1, object: "ep", badge: 1)
            pd.cap("ntfn", slot: 2, object: "ntfn", badge: 1)
        }
        var configuration = HostedConfiguration()
        configuration.fastpath = fastpath
        let hosted = HostedSystem(configuration: configuration)
        if tracing {
            // Record every event in memory (no output files): the cost of tracing when on.
            hosted.trace = (TraceRecorder(), TraceOutputs(chrome: nil, sequence: nil, html: nil, title: ""))
        }
        _ = try hosted.runSystem(system, buildDirectory: NSTemporaryDirectory())
        hooks = ({}, {})
        return IPCResult(nanoseconds: measured, counters: hosted.kernel.pathCounters)
    }

    /// Call/ReplyRecv round trips (see `Operation`).
    public static func callReplyRecv(roundTrips: Int, words: Int = 1, unwrapCap: Bool = false,
                                     fastpath: Bool = true) throws -> IPCResult {
        let operation: Operation = unwrapCap ? .callReplyRecvWithCap : words > 4 ? .callReplyRecvTenWords : .callReplyRecv
        return try run(operation, count: roundTrips, fastpath: fastpath)
    }

    /// A Swift actor awaiting another actor and back.
    public static func actorHop(roundTrips: Int) -> Double {
        actor Pong {
            func ping(_ x: Int) -> Int { x &+ 1 }
        }
        actor Ping {
            let pong = Pong()
            func run(_ n: Int) async -> Double {
                var x = 0
                for _ in 0..<min(1000, n) { x = await pong.ping(x) }
                let start = swl4_bench_now_ns()
                for _ in 0..<n { x = await pong.ping(x) }
                return Double(swl4_bench_now_ns() - start) / Double(n)
            }
        }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result = 0.0
        Task.detached {
            result = await Ping().run(roundTrips)
            done.signal()
        }
        done.wait()
        return result
    }

    /// Every row, in one run, with the process pinned to one CPU, in `rounds` interleaved
    /// rounds (every row once per round, A B C ... A B C ...), so that a slow spell of the machine
    /// lands on all rows alike and each ratio is taken within a round.
    public static func all(roundTrips: Int, rounds: Int = 5) throws -> [Row] {
        let cpu = 0
        _ = swl4_bench_pin(Int32(cpu))
        let osTrips = UInt64(max(1000, roundTrips / 50))
        let measurements: [(String, () throws -> Double)] = [
            ("SwiftL4 Call/ReplyRecv, fastpath (1 word)", { try callReplyRecv(roundTrips: roundTrips).nanoseconds }),
            ("SwiftL4 Call/ReplyRecv, slowpath (10 words)", { try callReplyRecv(roundTrips: roundTrips, words: 10).nanoseconds }),
            ("SwiftL4 Call/ReplyRecv, slowpath (1 word + a cap)", { try callReplyRecv(roundTrips: roundTrips, unwrapCap: true).nanoseconds }),
            ("SwiftL4 Call/ReplyRecv, fastpath off (1 word)", { try callReplyRecv(roundTrips: roundTrips, fastpath: false).nanoseconds }),
            ("SwiftL4 Call/ReplyRecv, fastpath, tracing on (recording)",
             { try run(.callReplyRecv, count: min(roundTrips, 50_000), tracing: true).nanoseconds }),
            ("SwiftL4 Send to a Recv loop, per Send", { try run(.sendRecv, count: roundTrips).nanoseconds }),
            ("SwiftL4 NBSend with no receiver, per NBSend", { try run(.nbSend, count: roundTrips).nanoseconds }),
            ("SwiftL4 Signal to a Wait loop, per Signal", { try run(.signalWait, count: roundTrips).nanoseconds }),
            ("SwiftL4 Yield between two threads, per Yield", { try run(.yield, count: roundTrips).nanoseconds }),
            ("two-switch floor (our context switch)", { swl4_bench_switch_floor(UInt64(roundTrips) * 4) }),
            ("Swift actor hop and back", { actorHop(roundTrips: roundTrips) }),
            ("futex ping-pong, pinned", { swl4_bench_futex(osTrips, Int32(cpu)) }),
            ("eventfd ping-pong, pinned", { swl4_bench_eventfd(osTrips, Int32(cpu)) }),
            ("pipe ping-pong, pinned", { swl4_bench_pipe(osTrips, Int32(cpu)) }),
            ("socketpair ping-pong, pinned", { swl4_bench_socketpair(osTrips, Int32(cpu)) }),
        ]
        var samples = [[Double]](repeating: [], count: measurements.count)
        for _ in 0..<max(1, rounds) {
            for (i, measurement) in measurements.enumerated() { samples[i].append(try measurement.1()) }
        }
        var rows = measurements.indices.map { i in
            Row(name: measurements[i].0, roundTripNanoseconds: median(samples[i]), ratioToFastpath: 1, ratioLow: 1,
                ratioHigh: 1, samples: samples[i])
        }
        let fastpath = rows[0]
        for i in rows.indices {
            let ratio = Ratio(rows[i], over: fastpath)
            rows[i].ratioToFastpath = ratio.median
            rows[i].ratioLow = ratio.low
            rows[i].ratioHigh = ratio.high
        }
        return rows
    }
}
