import Foundation
import HostedRuntime
import SeL4
import Testing

/// Swift programs on the hosted runtime, in this process (one test: the runtime owns the
/// process's fault handler while it runs).
@Suite(.serialized) struct SwiftProgramTests {
    /// The README's Swift example: a server and a client described with the builder API. The
    /// client's Call carries its badge; the server replies; the client returns 0 and the
    /// server rests in Recv, which is how a finished system ends (not a deadlock).
    @Test func readmeEchoSystem() throws {
        hostedInProcessLock.lock()
        defer { hostedInProcessLock.unlock() }
        nonisolated(unsafe) var seen: [(UInt, UInt)] = []
        SwiftPrograms.register("echo.server") { env in
            let ep = Endpoint(env["ep"])
            var message = ep.recv()
            while true {
                seen.append((IPCBuffer.mr(0), message.badge))
                IPCBuffer.setMR(0, IPCBuffer.mr(0) + 1)
                message = ep.replyRecv(MessageInfo(label: 0, length: 1))
            }
        }
        nonisolated(unsafe) var replies: [UInt] = []
        SwiftPrograms.register("echo.client") { env in
            IPCBuffer.setMR(0, 42)
            let info = Endpoint(env["ep"]).call(MessageInfo(label: 0, length: 1))
            replies.append(IPCBuffer.mr(0))
            return info.length == 1 ? 0 : 1
        }
        var system = SystemDescription()
        system.endpoint("ep")
        system.protectionDomain("server", program: .swift("echo.server")) { $0.cap("ep", slot: 1, object: "ep") }
        system.protectionDomain("client", program: .swift("echo.client")) { $0.cap("ep", slot: 1, object: "ep", badge: 5) }
        let outcome = try HostedSystem().runSystem(system, buildDirectory: NSTemporaryDirectory())
        #expect(outcome.exitStatus == 0)
        #expect(outcome.exitStatuses == ["client": 0])
        #expect(outcome.deadlocked.isEmpty)
        #expect(seen.count == 1 && seen[0] == (42, 5))
        #expect(replies == [43])
    }
}
