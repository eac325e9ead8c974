import Foundation
import Testing

/// Runs `swiftl4` (built beside this test bundle) as a child process.
struct SwiftL4Process {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("swiftl4")
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `../shared` beside the clone, if present.
    static var shared: URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        // Output goes to files, so a chatty program can never block on a full pipe.
        let directory = FileManager.default.temporaryDirectory
        let outURL = directory.appendingPathComponent("swiftl4-test-\(UUID().uuidString).out")
        let errURL = directory.appendingPathComponent("swiftl4-test-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        let outData = (try? Data(contentsOf: outURL)) ?? Data()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// The expectations a test program states in its header comment: the exact stdout between
/// `EXPECTED-STDOUT-BEGIN` and `EXPECTED-STDOUT-END` (each line may start with ` * ` or
/// `  `), `EXPECTED-EXIT: N`, and `RUN-ARGS: ...`, options `swiftl4 run` takes for it.
struct ProgramExpectation {
    var stdout: [String]
    var exit: Int32
    var runArguments: [String]
    /// Lines `EXPECTED-STDERR-CONTAINS: text`: each text must appear in stderr.
    var stderrContains: [String]

    init?(source: String) {
        let lines = source.components(separatedBy: "\n")
        guard let begin = lines.firstIndex(where: { $0.contains("EXPECTED-STDOUT-BEGIN") }),
              let end = lines.firstIndex(where: { $0.contains("EXPECTED-STDOUT-END") }), begin < end
        else { return nil }
        stdout = lines[(begin + 1)..<end].map { line in
            var text = Substring(line)
            if text.hasPrefix(" * ") { text = text.dropFirst(3) } else if text.hasPrefix(" *") { text = text.dropFirst(2) }
            return String(text)
        }
        let exitLine = lines.first { $0.contains("EXPECTED-EXIT:") }
        exit = exitLine.flatMap { Int32($0.components(separatedBy: "EXPECTED-EXIT:")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        runArguments = lines.first { $0.contains("RUN-ARGS:") }
            .map { $0.components(separatedBy: "RUN-ARGS:")[1].split(separator: " ").map(String.init) } ?? []
        stderrContains = lines.filter { $0.contains("EXPECTED-STDERR-CONTAINS:") }
            .map { $0.components(separatedBy: "EXPECTED-STDERR-CONTAINS:")[1].trimmingCharacters(in: .whitespaces) }
    }
}

@Suite struct RootTaskProgramTests {
    static var programs: [String] {
        let directory = SwiftL4Process.packageRoot.appendingPathComponent("Tests/HostedRuntimeTests/Programs")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".c") }.sorted()
    }

    /// Every program under Programs/ prints exactly its stated stdout and exits as stated.
    @Test(arguments: programs)
    func program(_ name: String) throws {
        let path = "Tests/HostedRuntimeTests/Programs/\(name)"
        let source = try String(contentsOf: SwiftL4Process.packageRoot.appendingPathComponent(path), encoding: .utf8)
        let expectation = try #require(ProgramExpectation(source: source), "\(name) states no expectation")
        let result = try SwiftL4Process.run(["run", path] + expectation.runArguments)
        let stdoutLines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(result.status == expectation.exit, "\(name): exit \(result.status)\nstderr:\n\(result.stderr)")
        #expect(stdoutLines.dropLast(stdoutLines.last == "" ? 1 : 0).elementsEqual(expectation.stdout),
                "\(name) printed:\n\(result.stdout)")
        for text in expectation.stderrContains {
            #expect(result.stderr.contains(text), "\(name): stderr lacks '\(text)':\n\(result.stderr)")
        }
    }

    /// The same programs take the slowpath only and behave the same (FAST-5).
    @Test(arguments: programs)
    func programWithoutFastpath(_ name: String) throws {
        let path = "Tests/HostedRuntimeTests/Programs/\(name)"
        let source = try String(contentsOf: SwiftL4Process.packageRoot.appendingPathComponent(path), encoding: .utf8)
        let expectation = try #require(ProgramExpectation(source: source))
        let result = try SwiftL4Process.run(["run", path, "--no-fastpath"] + expectation.runArguments)
        #expect(result.status == expectation.exit)
        let stdoutLines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(stdoutLines.dropLast(stdoutLines.last == "" ? 1 : 0).elementsEqual(expectation.stdout))
    }

    /// The same programs with every kernel object checked at each system call and user fault
    /// (`--check-objects`, issue 15) behave the same: the check finds nothing in sound runs.
    @Test(arguments: programs)
    func programWithObjectChecks(_ name: String) throws {
        let path = "Tests/HostedRuntimeTests/Programs/\(name)"
        let source = try String(contentsOf: SwiftL4Process.packageRoot.appendingPathComponent(path), encoding: .utf8)
        let expectation = try #require(ProgramExpectation(source: source))
        let arguments = expectation.runArguments.contains("--check-objects") ? expectation.runArguments
            : expectation.runArguments + ["--check-objects"]
        let result = try SwiftL4Process.run(["run", path] + arguments)
        #expect(result.status == expectation.exit, "\(name): exit \(result.status)\nstderr:\n\(result.stderr)")
        let stdoutLines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(stdoutLines.dropLast(stdoutLines.last == "" ? 1 : 0).elementsEqual(expectation.stdout))
        // stderr may differ: damage a crash report finds is found sooner, at a call's entry.
    }

    /// The worked example of the hosted contract prints exactly what it printed on real seL4.
    @Test func sharedRoundtripExample() throws {
        guard let shared = SwiftL4Process.shared else {
            print("skipped: ../shared is absent, so ../shared/examples/roundtrip.c cannot run")
            return
        }
        let path = shared.appendingPathComponent("examples/roundtrip.c").path
        let source = try String(contentsOfFile: path, encoding: .utf8)
        let result = try SwiftL4Process.run(["run", path])
        // The header comment lists the expected lines after "Expected output ...:".
        let expected = source.components(separatedBy: "\n")
            .drop { !$0.contains("Expected output") }.dropFirst()
            .prefix { $0.hasPrefix(" *   ") }
            .map { String($0.dropFirst(5)) }
        #expect(!expected.isEmpty)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.split(separator: "\n").map(String.init) == Array(expected))
    }

    /// The seed's server (tutorial solution) compiles unchanged against sel4/sel4.h.
    @Test func seedServerCompilesUnchanged() throws {
        guard let shared = SwiftL4Process.shared else {
            print("skipped: ../shared is absent, so ../shared/seed/ipc_server.c cannot be compiled")
            return
        }
        let include = SwiftL4Process.packageRoot.appendingPathComponent("Sources/CSeL4/include").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["clang", "-fsyntax-only", "-I", include, shared.appendingPathComponent("seed/ipc_server.c").path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
