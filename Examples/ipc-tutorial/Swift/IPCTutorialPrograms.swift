import SeL4

/// The seL4 IPC tutorial's programs in Swift: the same server and clients as `server.c` and
/// `client.c`, written against the SeL4 module only, so that the same source runs on the
/// hosted runtime (`IPCTutorial.system()`) and, compiled as Embedded Swift, on the bare-metal
/// kernel (`Platforms/riscv64/user/swift/Entry.swift`).
public enum IPCTutorialPrograms {
    /// The server: mints a badged endpoint (badge = the client's id in MR0) for each new
    /// caller and replies with it; prints each badged caller's word and answers with ReplyRecv.
    public static func server(_ env: ProgramEnvironment) -> Int32 {
        let endpoint = Endpoint(env["endpoint"])
        let cnode = CNode(env["cnode"])
        let freeSlot = env["free_slot"]
        var received = endpoint.recv()
        while true {
            if received.badge == 0 {
                let badge = IPCBuffer.mr(0)
                do {
                    try cnode.mint(to: freeSlot, from: endpoint.cptr, rights: .all, badge: badge)
                } catch {
                    print("server: mint failed: \(error)")
                    return 1
                }
                print("Badged \(badge)")
                IPCBuffer.setCap(0, freeSlot)
                reply(MessageInfo(label: 0, extraCaps: 1, length: 0))
                try? cnode.delete(freeSlot)
                received = endpoint.recv()
            } else {
                let word = IPCBuffer.words(Int(received.info.length)).map { Character(UnicodeScalar(UInt8(truncatingIfNeeded: $0))) }
                print("Message from \(received.badge): \(String(word))")
                received = endpoint.replyRecv(MessageInfo(label: 0, length: 0))
            }
        }
    }

    /// A client: asks for its badged endpoint, then sends its sentence word by word.
    public static func client(id: UInt, sentence: String, _ env: ProgramEnvironment) -> Int32 {
        print("Client \(id): waiting for badged endpoint")
        IPCBuffer.setReceivePath(cnode: env["cnode"], index: env["badged_endpoint"])
        IPCBuffer.setMR(0, id)
        let info = Endpoint(env["endpoint"]).call(MessageInfo(label: 0, length: 1))
        guard info.extraCaps == 1 else {
            print("Client \(id): no badged endpoint arrived")
            return 1
        }
        print("Client \(id): received badged endpoint")
        let badged = Endpoint(env["badged_endpoint"])
        for word in sentence.split(separator: " ") {
            IPCBuffer.setWords(word.utf8.map { UInt($0) })
            _ = badged.call(MessageInfo(label: 0, length: UInt64(word.utf8.count)))
        }
        return 0
    }
}
