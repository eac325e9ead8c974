import ArgumentParser
import Foundation
import HostedRuntime
import SwiftIPCTutorial

struct SwiftL4: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftl4",
        abstract: "SwiftL4: seL4's IPC, faithfully, in Swift. Runs seL4 programs on this machine.",
        subcommands: [Run.self, Tutorial.self])
}

/// Options shared by the commands that run programs.
struct RunOptions: ParsableArguments {
    @Option(help: "MiB of host memory handed to the kernel as untyped memory.")
    var memory: Int = 64

    @Flag(help: "Disable the IPC fastpath (every IPC takes the slowpath).")
    var noFastpath = false

    @Option(name: .customLong("trace"), help: "Write a Chrome trace-event JSON file (open it in ui.perfetto.dev).")
    var tracePath: String?

    @Option(name: .customLong("sequence"), help: "Write a Mermaid sequence diagram of the messages.")
    var sequencePath: String?

    @Option(name: .customLong("html"), help: "Write a self-contained HTML timeline of the run.")
    var htmlPath: String?

    @Flag(help: "Timestamp trace events with a logical clock (one microsecond per event), for reproducible traces.")
    var logicalClock = false

    /// A hosted system configured by these options; trace outputs are checked for
    /// writability before anything runs.
    func makeSystem(title: String) throws -> HostedSystem {
        var configuration = HostedConfiguration()
        configuration.memoryBytes = memory << 20
        configuration.fastpath = !noFastpath
        let system = HostedSystem(configuration: configuration)
        let outputs = TraceOutputs(chrome: tracePath, sequence: sequencePath, html: htmlPath, title: title)
        if !outputs.isEmpty {
            do {
                try outputs.checkWritable()
            } catch {
                throw fail("\(error)")
            }
            system.trace = (TraceRecorder(logicalClock: logicalClock), outputs)
        }
        return system
    }
}

func fail(_ message: String, status: Int32 = 2) -> ExitCode {
    FileHandle.standardError.write(Data("swiftl4: \(message)\n".utf8))
    return ExitCode(status)
}

/// Runs a system file and exits as `SystemOutcome.exitStatus` says.
func runSystemFile(_ path: String, options: RunOptions) throws {
    let description: SystemDescription
    do {
        description = try SystemFile.parse(contentsOf: path)
        try description.validate(sourceExists: { FileManager.default.fileExists(atPath: $0) })
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        throw ExitCode(2)
    }
    let system = try options.makeSystem(title: URL(fileURLWithPath: path).lastPathComponent)
    let directory = try ProgramLoader.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let outcome: SystemOutcome
    do {
        outcome = try system.runSystem(description, buildDirectory: directory)
    } catch let error as ProgramLoader.LoadError {
        throw fail("\(error)")
    } catch {
        throw fail("\(error)")
    }
    if !outcome.deadlocked.isEmpty {
        FileHandle.standardError.write(Data((system.deadlockReport() + "\n").utf8))
    }
    throw ExitCode(outcome.exitStatus)
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a seL4 root task (C files) or a system of programs (a .system file).",
        discussion: """
            C files are compiled against sel4/sel4.h and their main runs as seL4's initial thread; \
            the run exits with main's return value, or \(HostedSystem.deadlockExitStatus) with a report if \
            every thread blocks first. A .system file describes several programs, each with its own \
            CSpace; the run ends when no thread can run, with status 0 (or the first non-zero main), or \
            \(HostedSystem.deadlockExitStatus) if a thread is stuck sending or awaiting a reply.
            """)

    @Argument(help: "C source files of a root task, or one .system file.")
    var inputs: [String]

    @OptionGroup var options: RunOptions

    func run() throws {
        if inputs.count == 1, inputs[0].hasSuffix(".system") || inputs[0].hasSuffix(".xml") {
            try runSystemFile(inputs[0], options: options)
        }
        let system = try options.makeSystem(title: inputs.joined(separator: " "))
        let directory = try ProgramLoader.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let main: UnsafeRawPointer
        do {
            let object = try ProgramLoader.compile(inputs, output: directory + "/program.so")
            main = try ProgramLoader.loadMain(from: object)
        } catch let error as ProgramLoader.LoadError {
            throw fail("\(error)")
        }
        let name = URL(fileURLWithPath: inputs[0]).deletingPathExtension().lastPathComponent
        switch system.runRootTask(main: main, arguments: [name]) {
        case .mainReturned(let status):
            throw ExitCode(status)
        case .idle:
            FileHandle.standardError.write(Data((system.deadlockReport() + "\n").utf8))
            throw ExitCode(HostedSystem.deadlockExitStatus)
        }
    }
}

struct Tutorial: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a seL4 tutorial. `swiftl4 tutorial ipc` runs the IPC tutorial's server and two clients.")

    @Argument(help: "The tutorial: ipc.")
    var name: String = "ipc"

    @Flag(help: "Run the seed's server (../shared/seed/ipc_server.c) verbatim instead of SwiftL4's.")
    var seedServer = false

    @Flag(help: "Run the tutorial's Swift programs (written against the SeL4 module) instead of C.")
    var swift = false

    @OptionGroup var options: RunOptions

    /// Examples/ in the source tree this executable was built from (or SWIFTL4_EXAMPLES).
    static var examples: URL {
        if let override = ProcessInfo.processInfo.environment["SWIFTL4_EXAMPLES"] { return URL(fileURLWithPath: override) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples")
    }

    func run() throws {
        guard name == "ipc" else { throw fail("no tutorial named '\(name)' (available: ipc)") }
        if swift {
            let system = try options.makeSystem(title: "IPC tutorial (Swift)")
            let outcome: SystemOutcome
            do {
                outcome = try system.runSystem(IPCTutorial.system(), buildDirectory: try ProgramLoader.temporaryDirectory())
            } catch {
                throw fail("\(error)")
            }
            throw ExitCode(outcome.exitStatus)
        }
        let file = Self.examples.appendingPathComponent(seedServer ? "ipc-tutorial/seed-server.system" : "ipc-tutorial/ipc-tutorial.system")
        try runSystemFile(file.path, options: options)
    }
}

SwiftL4.main()
