// The bare-metal entry of the Swift tutorial: the same `IPCTutorialPrograms` the hosted runtime
// runs (Examples/ipc-tutorial/Swift), given the CSpace the loader builds (user/slots.h: the
// endpoint at 1, the program's CNode at 2, an empty slot at 3) under the names the tutorial's
// system description uses, and its role in a1: 0 the server, 1 and 2 the clients.
import SeL4

@_silgen_name("swl4_start_argument") func startArgument() -> seL4_Word

@_cdecl("main")
func main() -> Int32 {
    let environment = ProgramEnvironment(name: "ipc-tutorial", caps: [
        "endpoint": CPtr(1), "cnode": CPtr(2), "free_slot": CPtr(3), "badged_endpoint": CPtr(3),
    ])
    switch startArgument() {
    case 0: return IPCTutorialPrograms.server(environment)
    case 1: return IPCTutorialPrograms.client(id: 1, sentence: "quick fox over lazy", environment)
    default: return IPCTutorialPrograms.client(id: 2, sentence: "the brown jumps the dog", environment)
    }
}
