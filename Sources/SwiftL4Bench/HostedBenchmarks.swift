import CBench
import Foundation
import HostedRuntime
import KernelCore
import SeL4

/// Benchmarks of SwiftL4's hosted IPC and of the host's own primitives, measured in one run
/// so that their ratios mean something on a noisy machine (performance.md).
public enum HostedBenchmarks {
    /// One row of `swiftl4 bench`.
    public struct Row: Codable, Sendable {
        public var name: String
        public var roundTripNanoseconds: Double
        /// This row's round trip divided by the fastpath's.
        public var ratioToFastpath: Double
    }

    /// What an IPC benchmark measured, with the kernel's path counters.
    public struct IPCResult: Sendable {
        public var nanoseconds: Double
        public var counters: PathCounters
    }

    nonisolated(unsafe) static var measured: Double = 0

    /// Call/ReplyRecv round trips between two Swift programs (separate CSpaces, equal
    /// priority) with `words` message words each way; with `unwrapCap`, each Call also carries
    /// the endpoint's own cap, which the kernel unwraps into a badge (XFER-5).
    public static func callReplyRecv(roundTrips: Int, words: Int = 1, unwrapCap: Bool = false,
                                     fastpath: Bool = true, otherThreads: Int = 0) throws -> IPCResult {
        let tag = "bench.\(words).\(unwrapCap)"
        SwiftPrograms.register("\(tag).server") { env in
            let ep = env["ep"].rawValue
            let reply = seL4_MessageInfo_new(0, 0, 0, seL4_Word(words))
            var badge: seL4_Word = 0
            _ = seL4_Recv(ep, &badge)
            while true { _ = seL4_ReplyRecv(ep, reply, &badge) }
        }
        SwiftPrograms.register("\(tag).client") { env in
            let ep = env["ep"].rawValue
            let info = seL4_MessageInfo_new(1, 0, unwrapCap ? 1 : 0, seL4_Word(words))
            if unwrapCap { seL4_SetCap(0, ep) }
            for _ in 0..<min(1000, roundTrips) { _ = seL4_Call(ep, info) }
            let start = swl4_bench_now_ns()
            for _ in 0..<roundTrips { _ = seL4_Call(ep, info) }
            measured = Double(swl4_bench_now_ns() - start) / Double(roundTrips)
            return 0
        }
        var system = SystemDescription()
        system.endpoint("ep")
        system.protectionDomain("server", program: .swift("\(tag).server")) { $0.cap("ep", slot: 1, object: "ep") }
        system.protectionDomain("client", program: .swift("\(tag).client")) { $0.cap("ep", slot: 1, object: "ep", badge: 1) }
        var configuration = HostedConfiguration()
        configuration.fastpath = fastpath
        let hosted = HostedSystem(configuration: configuration)
        _ = try hosted.runSystem(system, buildDirectory: NSTemporaryDirectory())
        return IPCResult(nanoseconds: measured, counters: hosted.kernel.pathCounters)
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

    /// Every row, in one run, with the process pinned to one CPU.
    public static func all(roundTrips: Int) throws -> [Row] {
        let cpu = 0
        _ = swl4_bench_pin(Int32(cpu))
        var raw: [(String, Double)] = []
        let fast = try callReplyRecv(roundTrips: roundTrips)
        raw.append(("SwiftL4 Call/ReplyRecv, fastpath (1 word)", fast.nanoseconds))
        raw.append(("SwiftL4 Call/ReplyRecv, slowpath (10 words)", try callReplyRecv(roundTrips: roundTrips, words: 10).nanoseconds))
        raw.append(("SwiftL4 Call/ReplyRecv, slowpath (1 word + a cap)",
                    try callReplyRecv(roundTrips: roundTrips, unwrapCap: true).nanoseconds))
        raw.append(("SwiftL4 Call/ReplyRecv, fastpath off (1 word)", try callReplyRecv(roundTrips: roundTrips, fastpath: false).nanoseconds))
        raw.append(("two-switch floor (our context switch)", swl4_bench_switch_floor(UInt64(roundTrips) * 4)))
        raw.append(("Swift actor hop and back", actorHop(roundTrips: roundTrips)))
        let osTrips = UInt64(max(1000, roundTrips / 50))
        raw.append(("futex ping-pong, pinned", swl4_bench_futex(osTrips, Int32(cpu))))
        raw.append(("eventfd ping-pong, pinned", swl4_bench_eventfd(osTrips, Int32(cpu))))
        raw.append(("pipe ping-pong, pinned", swl4_bench_pipe(osTrips, Int32(cpu))))
        raw.append(("socketpair ping-pong, pinned", swl4_bench_socketpair(osTrips, Int32(cpu))))
        let base = raw[0].1
        return raw.map { Row(name: $0.0, roundTripNanoseconds: $0.1, ratioToFastpath: $0.1 / base) }
    }
}
