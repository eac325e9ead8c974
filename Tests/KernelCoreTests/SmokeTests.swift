import Testing
import KernelCore
import KernelTestSupport

@Suite struct SmokeTests {
    @Test func bootLeavesKernelConsistent() {
        let sys = TestSystem()
        #expect(sys.kernel.checkInvariants() == nil)
        #expect(sys.kernel.currentThread == sys.root)
        #expect(sys.kernel.bootInfo.untypedEnd > sys.kernel.bootInfo.untypedStart)
    }

    /// Scenario 6 (CALL-1, REPLY-2) then REPLY-4: a Call to a waiting server and its reply.
    @Test func scenario06_callToWaitingServerThenReply() {
        let sys = TestSystem()
        let ep = sys.make(ObjectType.endpoint)
        let server = sys.spawn(priority: 100).thread
        let client = sys.spawn(priority: 100).thread
        sys.syscall(.recv, by: server, cap: ep)
        #expect(server.state == .blockedOnReceive)
        let badged = sys.mint(ep, badge: 0x77).slot
        sys.syscall(.call, by: client, cap: badged, info: MessageInfo(label: 42, length: 2), mrs: [5, 6])
        #expect(client.state == .blockedOnReply)
        #expect(sys.kernel.currentThread == server)
        let got = sys.registers(of: server)
        #expect(got.badge == 0x77 && got.info.label == 42 && got.mr == [5, 6])
        #expect(server.slot(.caller).cap.type == .reply)
        sys.syscall(.replyRecv, by: server, cap: ep, info: MessageInfo(label: 7, length: 1), mrs: [99])
        #expect(client.state == .running)
        #expect(sys.registers(of: client).mr == [99])
        #expect(sys.registers(of: client).badge == 0)
        #expect(server.state == .blockedOnReceive)
        #expect(sys.kernel.pathCounters.fastpathCalls == 1)
        // The root task (priority 255) is ready, so FAST-4 condition 8 sends the ReplyRecv
        // down the slowpath, which still switches to the client (SCHED-4 (d)).
        #expect(sys.kernel.pathCounters.fastpathReplyRecvs == 0)
        #expect(sys.kernel.pathCounters.slowpathReplyRecvs == 1)
        #expect(sys.kernel.currentThread == client)
        #expect(sys.invariantFailures.isEmpty, "\(sys.invariantFailures)")
    }
}
