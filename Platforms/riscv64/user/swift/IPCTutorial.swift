// The seL4 IPC tutorial's server and clients in Embedded Swift, written against the SeL4
// module (Sources/SeL4) as `Examples/ipc-tutorial/Swift/IPCTutorial.swift` is for the hosted
// runtime, and run on the bare-metal kernel as three programs in their own address spaces.
// The loader gives each the tutorial's CSpace (user/slots.h: the endpoint at 1, its CNode at
// 2, an empty slot at 3) and its role in a1: 0 the server, 1 and 2 the clients.
import SeL4

@_silgen_name("swl4_start_argument") func startArgument() -> seL4_Word
@_silgen_name("putchar") func putchar(_ c: Int32) -> Int32

let endpoint = Endpoint(CPtr(1))
let cnode = CNode(CPtr(2))
let spareSlot = CPtr(3)

/// The server: mints a badged endpoint (badge = the client's id in MR0) for each new caller
/// and replies with it; prints each badged caller's word and answers with ReplyRecv.
func server() -> Int32 {
    var received = endpoint.recv()
    while true {
        if received.badge == 0 {
            let badge = IPCBuffer.mr(0)
            do {
                try cnode.mint(to: spareSlot, from: endpoint.cptr, rights: .all, badge: badge)
            } catch {
                print("server: mint failed")
                return 1
            }
            print("Badged \(badge)")
            IPCBuffer.setCap(0, spareSlot)
            reply(MessageInfo(label: 0, extraCaps: 1, length: 0))
            try? cnode.delete(spareSlot)
            received = endpoint.recv()
        } else {
            print("Message from \(received.badge): ", terminator: "")
            for word in IPCBuffer.words(Int(received.info.length)) { _ = putchar(Int32(truncatingIfNeeded: word)) }
            print("")
            received = endpoint.replyRecv(MessageInfo(label: 0, length: 0))
        }
    }
}

/// A client: asks for its badged endpoint, then sends its sentence word by word.
func client(id: UInt, sentence: StaticString) -> Int32 {
    print("Client \(id): waiting for badged endpoint")
    IPCBuffer.setReceivePath(cnode: cnode.cptr, index: spareSlot)
    IPCBuffer.setMR(0, id)
    let info = endpoint.call(MessageInfo(label: 0, length: 1))
    guard info.extraCaps == 1 else {
        print("Client \(id): no badged endpoint arrived")
        return 1
    }
    print("Client \(id): received badged endpoint")
    let badged = Endpoint(spareSlot)
    let bytes = UnsafeBufferPointer(start: sentence.utf8Start, count: sentence.utf8CodeUnitCount)
    for word in bytes.split(separator: UInt8(ascii: " ")) {
        IPCBuffer.setWords(word.map { seL4_Word($0) })
        _ = badged.call(MessageInfo(label: 0, length: UInt64(word.count)))
    }
    return 0
}

@_cdecl("main")
func main() -> Int32 {
    switch startArgument() {
    case 0: server()
    case 1: client(id: 1, sentence: "quick fox over lazy")
    default: client(id: 2, sentence: "the brown jumps the dog")
    }
}
