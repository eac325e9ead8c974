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

    /// Swift programs get their mapped memory regions by name (`ProgramEnvironment.memory`):
    /// on x86_64 at the map's own vaddr, one frame seen at two addresses by two programs.
    @Test func memoryRegionsReachSwiftPrograms() throws {
        hostedInProcessLock.lock()
        defer { hostedInProcessLock.unlock() }
        nonisolated(unsafe) var seen: [UInt] = []
        SwiftPrograms.register("region.writer") { env in
            guard let page = env.memory("page") else { return 1 }
            page.storeBytes(of: 0xfeed, as: UInt.self)
            seen.append(UInt(bitPattern: page))
            Notification(env["done"]).signal()
            return 0
        }
        SwiftPrograms.register("region.reader") { env in
            guard let page = env.memory("page") else { return 1 }
            _ = Notification(env["done"]).wait()
            seen.append(UInt(bitPattern: page))
            seen.append(page.load(as: UInt.self))
            return 0
        }
        var system = SystemDescription()
        system.memoryRegion("shared", size: 4096)
        system.notification("done")
        system.protectionDomain("writer", priority: 150, program: .swift("region.writer")) {
            $0.map("shared", vaddr: 0xA000_0000, variable: "page")
            $0.cap("done", slot: 1, object: "done", badge: 1)
        }
        system.protectionDomain("reader", program: .swift("region.reader")) {
            $0.map("shared", vaddr: 0xB000_0000, rights: .read, variable: "page")
            $0.cap("done", slot: 1, object: "done")
        }
        let outcome = try HostedSystem().runSystem(system, buildDirectory: NSTemporaryDirectory())
        #expect(outcome.exitStatus == 0)
        #expect(seen.count == 3 && seen[2] == 0xfeed)
        #if arch(x86_64)
        #expect(seen.prefix(2) == [0xA000_0000, 0xB000_0000])
        #endif
    }
}
