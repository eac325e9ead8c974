import HostedRuntime
import SeL4

/// The seL4 IPC tutorial in Swift: the programs of `IPCTutorialPrograms` in the same system as
/// `ipc-tutorial.system`, described with the Swift builder.
public enum IPCTutorial {
    /// Registers the programs and returns the tutorial system, as `ipc-tutorial.system`
    /// describes it, built in Swift.
    public static func system() -> SystemDescription {
        SwiftPrograms.register("ipc-tutorial.server") { IPCTutorialPrograms.server($0) }
        SwiftPrograms.register("ipc-tutorial.client-1") { IPCTutorialPrograms.client(id: 1, sentence: "quick fox over lazy", $0) }
        SwiftPrograms.register("ipc-tutorial.client-2") { IPCTutorialPrograms.client(id: 2, sentence: "the brown jumps the dog", $0) }
        var system = SystemDescription()
        system.endpoint("tutorial_ep")
        let rwg: CapRights = [.read, .write, .grant]
        system.protectionDomain("server", priority: 100, program: .swift("ipc-tutorial.server")) { pd in
            pd.cap("endpoint", slot: 1, object: "tutorial_ep", rights: rwg)
            pd.cnodeCap("cnode", slot: 2)
            pd.empty("free_slot", slot: 3)
        }
        for id in 1...2 {
            system.protectionDomain("client_\(id)", priority: 100, program: .swift("ipc-tutorial.client-\(id)")) { pd in
                pd.cap("endpoint", slot: 1, object: "tutorial_ep", rights: rwg)
                pd.cnodeCap("cnode", slot: 2)
                pd.empty("badged_endpoint", slot: 3)
            }
        }
        return system
    }
}
