import ArgumentParser
import Foundation
import HostedRuntime

struct SwiftL4: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftl4",
        abstract: "SwiftL4: seL4's IPC, faithfully, in Swift. Runs seL4 C programs on this machine.",
        subcommands: [Run.self])
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile seL4 root-task C programs against sel4/sel4.h and run them.",
        discussion: "Exits with main's return value; \(HostedSystem.deadlockExitStatus) if every thread blocks first.")

    @Argument(help: "The C source files of the root task.")
    var sources: [String]

    @Option(help: "MiB of host memory handed to the kernel as untyped memory.")
    var memory: Int = 64

    @Flag(help: "Disable the IPC fastpath.")
    var noFastpath = false

    func run() throws {
        let directory = try ProgramLoader.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let main: UnsafeRawPointer
        do {
            let object = try ProgramLoader.compile(sources, output: directory + "/program.so")
            main = try ProgramLoader.loadMain(from: object)
        } catch let error as ProgramLoader.LoadError {
            FileHandle.standardError.write(Data("swiftl4: \(error)\n".utf8))
            throw ExitCode(2)
        }
        var configuration = HostedConfiguration()
        configuration.memoryBytes = memory << 20
        configuration.fastpath = !noFastpath
        let system = HostedSystem(configuration: configuration)
        let name = URL(fileURLWithPath: sources[0]).deletingPathExtension().lastPathComponent
        switch system.runRootTask(main: main, arguments: [name]) {
        case .mainReturned(let status):
            throw ExitCode(status)
        case .deadlock:
            FileHandle.standardError.write(Data((system.deadlockReport() + "\n").utf8))
            throw ExitCode(HostedSystem.deadlockExitStatus)
        }
    }
}

SwiftL4.main()
