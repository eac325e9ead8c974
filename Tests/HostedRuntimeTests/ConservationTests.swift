import Foundation
import HostedRuntime
import SeL4
import Testing

/// One lock for every in-process hosted run: the runtime owns the process's fault handler and
/// scheduler while it runs, so ConservationTests and SwiftProgramTests never overlap.
let hostedInProcessLock = NSLock()

/// Counters shared by the Swift programs of one run. The hosted kernel runs one user thread at
/// a time (single core, SRC-3), so plain arrays are safe.
private enum Tally {
    static let clients = 186
    nonisolated(unsafe) static var callsSent = [Int](repeating: 0, count: clients)
    nonisolated(unsafe) static var callsReceived = [Int](repeating: 0, count: clients)
    nonisolated(unsafe) static var repliesOK = [Int](repeating: 0, count: clients)
    nonisolated(unsafe) static var sendsSent = [Int](repeating: 0, count: clients)
    nonisolated(unsafe) static var sendsReceived = [Int](repeating: 0, count: clients)
    nonisolated(unsafe) static var nbSent = [Int](repeating: 0, count: clients)
    nonisolated(unsafe) static var nbReceived = [Int](repeating: 0, count: clients)
    nonisolated(unsafe) static var nbDropped = [Int](repeating: 0, count: clients)
    nonisolated(unsafe) static var signalsSent = [Int](repeating: 0, count: clients)
    nonisolated(unsafe) static var signalsReceived = [Int](repeating: 0, count: clients)
    nonisolated(unsafe) static var unwrapped = 0
    nonisolated(unsafe) static var transferred = 0
    /// Last sequence number seen per client on the Send sinks (index 0) and the NBSend sink (1).
    nonisolated(unsafe) static var lastSeq = [[seL4_Word]](repeating: [seL4_Word](repeating: 0, count: clients), count: 2)
    nonisolated(unsafe) static var expectedSignals = 0
    nonisolated(unsafe) static var totalSignalsReceived = 0
    nonisolated(unsafe) static var errors: [String] = []
    static func error(_ s: String) { if errors.count < 50 { errors.append(s) } }
    static func reset() {
        for i in 0..<clients {
            callsSent[i] = 0; callsReceived[i] = 0; repliesOK[i] = 0; sendsSent[i] = 0; sendsReceived[i] = 0
            nbSent[i] = 0; nbReceived[i] = 0; nbDropped[i] = 0; signalsSent[i] = 0; signalsReceived[i] = 0; lastSeq[0][i] = 0; lastSeq[1][i] = 0
        }
        unwrapped = 0; transferred = 0; errors = []; totalSignalsReceived = 0
    }
    static func checksum(_ seq: seL4_Word, _ badge: seL4_Word) -> seL4_Word {
        (seq &* 0x9E37_79B9_7F4A_7C15) ^ (badge &* 0xC2B2_AE3D_27D4_EB4F) ^ 0x5A5A
    }
}

/// Message kinds (MR2).
private enum Kind: seL4_Word { case call = 1, callUnwrap, callTransfer, send, nbSend }

@Suite(.serialized) struct ConservationTests {
    static var messages: Int {
        Int(ProcessInfo.processInfo.environment["SWIFTL4_CONSERVATION_MESSAGES"] ?? "") ?? 1_000_000
    }

    /// 200 protection domains: 8 Call/ReplyRecv servers on 4 endpoints, 2 Send/Recv sinks, an
    /// NBSend sink and a notification waiter above every client's priority, and 186 clients at
    /// priorities 60..119 that mix Call (plain, with the endpoint's own cap unwrapped, with a
    /// notification cap transferred), Send, NBSend to the present sink, NBSend to an endpoint
    /// nobody receives on, and Signal. Every message carries a sequence number and a checksum.
    /// Conservation: every Call is received once and answered once (CALL-1, REPLY-4); every
    /// Send is received once (SEND-1/2, EP-2 FIFO keeps per-client order); every NBSend to the
    /// sink is received, because the sink outranks all clients and so is always back in Recv
    /// when a client runs (SEND-1, SCHED-4); every NBSend to the empty endpoint is dropped
    /// (SEND-3); every Signal wakes the waiter once with the client's badge, for the same
    /// reason (NTFN-2: a waiting thread takes the badge, no coalescing); unwrapped caps carry the
    /// client's badge (XFER-5) and transferred caps arrive in the receive slot (XFER-4/5).
    @Test func millionMessagesAreConserved() throws {
        hostedInProcessLock.lock()
        defer { hostedInProcessLock.unlock() }
        Tally.reset()
        let total = Self.messages
        // Messages per client op: Call 2 (request + reply), others 1; ops cycle over 8 kinds.
        let perClient = max(8, total * 8 / (Tally.clients * 12) + 1)
        Tally.expectedSignals = (0..<Tally.clients).reduce(0) { sum, id in sum + (0..<perClient).filter { ($0 &+ id) % 8 == 7 }.count }

        SwiftPrograms.register("cons.server") { env in
            let ep = env["ep"].rawValue, cnode = env["cnode"].rawValue
            let receiveSlot: seL4_Word = 20
            var badge: seL4_Word = 0
            seL4_SetCapReceivePath(cnode, receiveSlot, 64)
            var info = seL4_Recv(ep, &badge)
            while true {
                let client = Int(badge) - 1
                let seq = seL4_GetMR(0), sum = seL4_GetMR(1), kind = seL4_GetMR(2)
                if client < 0 || client >= Tally.clients { Tally.error("server: badge \(badge)") }
                else {
                    if sum != Tally.checksum(seq, badge) { Tally.error("call checksum client \(client) seq \(seq)") }
                    Tally.callsReceived[client] += 1
                    if kind == Kind.callUnwrap.rawValue {
                        if seL4_MessageInfo_get_extraCaps(info) == 1 && seL4_MessageInfo_get_capsUnwrapped(info) == 1
                            && seL4_GetBadge(0) == badge { Tally.unwrapped += 1 } else { Tally.error("unwrap client \(client)") }
                    } else if kind == Kind.callTransfer.rawValue {
                        // A notification cap (tag 6) in the receive slot; then give the slot back.
                        if seL4_MessageInfo_get_extraCaps(info) == 1 && seL4_MessageInfo_get_capsUnwrapped(info) == 0
                            && seL4_DebugCapIdentify(receiveSlot) == 6 && seL4_CNode_Delete(cnode, receiveSlot, 64) == seL4_NoError {
                            Tally.transferred += 1
                        } else { Tally.error("transfer client \(client) info \(info.words)") }
                    }
                }
                seL4_SetMR(0, seq &+ 1)
                seL4_SetMR(1, Tally.checksum(seq &+ 1, badge))
                seL4_SetCapReceivePath(cnode, receiveSlot, 64)
                info = seL4_ReplyRecv(ep, seL4_MessageInfo_new(0, 0, 0, 2), &badge)
            }
        }
        // Send/Recv and NBSend sinks: per-client sequence numbers must arrive in order, once.
        SwiftPrograms.register("cons.sink") { env in
            let ep = env["ep"].rawValue
            var badge: seL4_Word = 0
            while true {
                _ = seL4_Recv(ep, &badge)
                let client = Int(badge) - 1
                let seq = seL4_GetMR(0), sum = seL4_GetMR(1), kind = seL4_GetMR(2)
                guard client >= 0 && client < Tally.clients else { Tally.error("sink: badge \(badge)"); continue }
                if sum != Tally.checksum(seq, badge) { Tally.error("sink checksum client \(client)") }
                let channel = kind == Kind.nbSend.rawValue ? 1 : 0
                if seq != Tally.lastSeq[channel][client] &+ 1 { Tally.error("client \(client) channel \(channel): seq \(seq) after \(Tally.lastSeq[channel][client])") }
                Tally.lastSeq[channel][client] = seq
                if kind == Kind.nbSend.rawValue { Tally.nbReceived[client] += 1 } else { Tally.sendsReceived[client] += 1 }
            }
        }
        SwiftPrograms.register("cons.waiter") { env in
            let ntfn = env["ntfn"].rawValue
            var badge: seL4_Word = 0
            // It knows how many signals the clients will send, and returns after the last one.
            while Tally.totalSignalsReceived < Tally.expectedSignals {
                seL4_Wait(ntfn, &badge)
                Tally.totalSignalsReceived += 1
                let client = Int(badge) - 1
                if client >= 0 && client < Tally.clients { Tally.signalsReceived[client] += 1 } else { Tally.error("waiter: badge \(badge)") }
            }
            return 0
        }
        SwiftPrograms.register("cons.client") { env in
            let id = Int(env.name.dropFirst("client".count))!
            let badge = seL4_Word(id + 1)
            let call = env["call"].rawValue, send = env["send"].rawValue, nb = env["nb"].rawValue
            let drop = env["drop"].rawValue, ntfn = env["ntfn"].rawValue, gift = env["gift"].rawValue
            var seq: seL4_Word = 0        // sequence of Sends (in order per client on one endpoint)
            var nbSeq: seL4_Word = 0      // sequence of NBSends to the present sink
            var callSeq: seL4_Word = 1_000_000
            for i in 0..<perClient {
                switch (i &+ id) % 8 {
                case 0, 1, 2, 3:
                    let kind: Kind = i % 16 == 3 ? .callUnwrap : i % 16 == 11 ? .callTransfer : .call
                    callSeq &+= 1
                    seL4_SetMR(0, callSeq); seL4_SetMR(1, Tally.checksum(callSeq, badge)); seL4_SetMR(2, kind.rawValue)
                    var caps: seL4_Word = 0
                    if kind == .callUnwrap { seL4_SetCap(0, call); caps = 1 }
                    if kind == .callTransfer { seL4_SetCap(0, gift); caps = 1 }
                    Tally.callsSent[id] += 1
                    let reply = seL4_Call(call, seL4_MessageInfo_new(0, 0, caps, 3))
                    if seL4_MessageInfo_get_length(reply) == 2 && seL4_GetMR(0) == callSeq &+ 1
                        && seL4_GetMR(1) == Tally.checksum(callSeq &+ 1, badge) { Tally.repliesOK[id] += 1 }
                    else { Tally.error("client \(id): bad reply to \(callSeq)") }
                case 4, 5:
                    seq &+= 1
                    seL4_SetMR(0, seq); seL4_SetMR(1, Tally.checksum(seq, badge)); seL4_SetMR(2, Kind.send.rawValue)
                    Tally.sendsSent[id] += 1
                    seL4_Send(send, seL4_MessageInfo_new(0, 0, 0, 3))
                case 6:
                    if i % 3 == 0 {
                        // Nobody ever receives on `drop`: the message is discarded (SEND-3).
                        seL4_SetMR(0, 0); seL4_SetMR(2, Kind.nbSend.rawValue)
                        Tally.nbDropped[id] += 1
                        seL4_NBSend(drop, seL4_MessageInfo_new(0, 0, 0, 3))
                    } else {
                        nbSeq &+= 1
                        seL4_SetMR(0, nbSeq); seL4_SetMR(1, Tally.checksum(nbSeq, badge)); seL4_SetMR(2, Kind.nbSend.rawValue)
                        Tally.nbSent[id] += 1
                        seL4_NBSend(nb, seL4_MessageInfo_new(0, 0, 0, 3))
                    }
                default:
                    Tally.signalsSent[id] += 1
                    seL4_Signal(ntfn)
                }
            }
            return 0
        }

        var system = SystemDescription()
        for e in 0..<4 { system.endpoint("call\(e)") }
        system.endpoint("send0"); system.endpoint("send1"); system.endpoint("nb"); system.endpoint("drop")
        system.notification("ntfn"); system.notification("gift")
        for s in 0..<8 {
            system.protectionDomain("server\(s)", priority: s % 2 == 0 ? 150 : 90, program: .swift("cons.server")) { pd in
                pd.cap("ep", slot: 1, object: "call\(s % 4)")
                pd.cnodeCap("cnode", slot: 2)
            }
        }
        for s in 0..<2 {
            system.protectionDomain("sink\(s)", priority: s == 0 ? 200 : 70, program: .swift("cons.sink")) { pd in
                pd.cap("ep", slot: 1, object: "send\(s)")
            }
        }
        system.protectionDomain("nbsink", priority: 250, program: .swift("cons.sink")) { $0.cap("ep", slot: 1, object: "nb") }
        system.protectionDomain("waiter", priority: 251, program: .swift("cons.waiter")) { $0.cap("ntfn", slot: 1, object: "ntfn") }
        for c in 0..<Tally.clients {
            let badge = UInt64(c + 1)
            system.protectionDomain("client\(c)", priority: 60 + c % 60, program: .swift("cons.client")) { pd in
                pd.cap("call", slot: 1, object: "call\(c % 4)", badge: badge)
                // A client's Sends go to one sink (FIFO, EP-2, so per-client order is checked);
                // its NBSends are numbered separately.
                pd.cap("send", slot: 2, object: "send\(c % 2)", rights: [.write], badge: badge)
                pd.cap("nb", slot: 3, object: "nb", rights: [.write], badge: badge)
                pd.cap("drop", slot: 4, object: "drop", rights: [.write], badge: badge)
                pd.cap("ntfn", slot: 5, object: "ntfn", rights: [.write], badge: badge)
                pd.cap("gift", slot: 6, object: "gift", rights: [.write], badge: 0)
            }
        }
        let start = Date()
        let outcome = try HostedSystem().runSystem(system, buildDirectory: NSTemporaryDirectory())
        let seconds = Date().timeIntervalSince(start)

        #expect(Tally.errors.isEmpty, "\(Tally.errors)")
        #expect(outcome.deadlocked.isEmpty, "deadlocked: \(outcome.deadlocked)")
        #expect(outcome.exitStatuses.count == Tally.clients + 1 && outcome.exitStatuses.values.allSatisfy { $0 == 0 },
                "\(outcome.exitStatuses.filter { $0.value != 0 }) \(outcome.exitStatuses.count) returned")
        #expect(outcome.exitStatuses["waiter"] == 0 && (0..<Tally.clients).allSatisfy { outcome.exitStatuses["client\($0)"] == 0 })
        var sent = 0, received = 0, dropped = 0
        for c in 0..<Tally.clients {
            #expect(Tally.callsReceived[c] == Tally.callsSent[c] && Tally.repliesOK[c] == Tally.callsSent[c], "client \(c) calls")
            #expect(Tally.sendsReceived[c] == Tally.sendsSent[c], "client \(c) sends")
            #expect(Tally.nbReceived[c] == Tally.nbSent[c], "client \(c) NBSends to the present sink")
            #expect(Tally.signalsReceived[c] == Tally.signalsSent[c], "client \(c) signals")
            sent += Tally.callsSent[c] * 2 + Tally.sendsSent[c] + Tally.nbSent[c] + Tally.nbDropped[c] + Tally.signalsSent[c]
            received += Tally.callsReceived[c] + Tally.repliesOK[c] + Tally.sendsReceived[c] + Tally.nbReceived[c] + Tally.signalsReceived[c]
            dropped += Tally.nbDropped[c]
        }
        #expect(sent == received + dropped)
        #expect(Tally.unwrapped > 0 && Tally.transferred > 0)
        #expect(sent >= total, "only \(sent) messages")
        print("ConservationTests: \(sent) messages (\(received) received, \(dropped) NBSends dropped, \(Tally.unwrapped) unwrapped caps, \(Tally.transferred) transferred caps) in \(String(format: "%.1f", seconds)) s = \(Int(Double(sent) / seconds)) messages/s")
    }
}
