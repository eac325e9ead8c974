import Foundation
import Testing

/// Traces of runs: Mermaid golden files, the Chrome trace's schema, and the HTML timeline
/// drawn by a real browser.
@Suite struct TraceTests {
    static let golden = SwiftL4Process.packageRoot.appendingPathComponent("Tests/HostedRuntimeTests/Golden")

    func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("swiftl4-\(UUID().uuidString)-\(name)").path
    }

    /// The run's sequence diagram. A fault message's first word is the faulting instruction's
    /// address in the loaded program (FAULT-4, FAULT-5), which moves from run to run with the
    /// host's address-space randomisation: it is written `IP` so the diagram can be compared.
    func mermaid(_ arguments: [String]) throws -> String {
        let path = temporary("out.mmd")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try SwiftL4Process.run(arguments + ["--sequence", path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let diagram = try String(contentsOfFile: path, encoding: .utf8)
        return diagram.replacing(/(fault label \d+, \[)0x[0-9a-f]+/) { "\($0.output.1)IP" }
    }

    @Test(arguments: [
        ("ipc-tutorial.mmd", ["tutorial", "ipc"]),
        ("signal.mmd", ["run", "Tests/HostedRuntimeTests/Golden/signal.c"]),
        ("fault.mmd", ["run", "Tests/HostedRuntimeTests/Golden/fault.c"]),
    ])
    func mermaidMatchesGoldenFile(_ golden: String, _ arguments: [String]) throws {
        let expected = try String(contentsOf: Self.golden.appendingPathComponent(golden), encoding: .utf8)
        #expect(try mermaid(arguments) == expected)
    }

    /// The same diagram whichever path the IPCs take (FAST-5: the fastpath is unobservable).
    @Test func mermaidIsTheSameWithoutFastpath() throws {
        let expected = try String(contentsOf: Self.golden.appendingPathComponent("ipc-tutorial.mmd"), encoding: .utf8)
        #expect(try mermaid(["tutorial", "ipc", "--no-fastpath"]) == expected)
    }

    @Test func chromeTraceMatchesSchema() throws {
        let path = temporary("trace.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try SwiftL4Process.run(["tutorial", "ipc", "--trace", path])
        #expect(result.status == 0)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let events = try #require(object["traceEvents"] as? [[String: Any]])
        let names = events.filter { $0["ph"] as? String == "M" && $0["name"] as? String == "thread_name" }
            .compactMap { ($0["args"] as? [String: Any])?["name"] as? String }
        #expect(names == ["server", "client_1", "client_2"])
        #expect(events.filter { $0["ph"] as? String == "s" }.count == 22)
        #expect(events.filter { $0["ph"] as? String == "s" }.count == events.filter { $0["ph"] as? String == "f" }.count)
        // The schema check proper, with Python's jsonschema where it is installed.
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let schema = SwiftL4Process.packageRoot.appendingPathComponent("docs/trace.schema.json").path
        check.arguments = ["python3", "-c", """
            import json, sys
            try:
                import jsonschema
            except ImportError:
                print("skipped: python3 has no jsonschema module"); sys.exit(0)
            jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))
            """, path, schema]
        try check.run()
        check.waitUntilExit()
        #expect(check.terminationStatus == 0)
    }

    /// A run that ends in deadlock still writes its whole trace, with the end marked.
    @Test func deadlockTraceIsWrittenWithItsEnd() throws {
        let path = temporary("deadlock.json")
        let sequence = temporary("deadlock.mmd")
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: sequence)
        }
        let result = try SwiftL4Process.run(["run", "Tests/HostedRuntimeTests/Golden/deadlock.c", "--trace", path, "--sequence", sequence])
        #expect(result.status == 86)
        #expect(result.stderr.contains("thread 'lonely'"))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("deadlock: lonely blocked"))
        #expect(text.contains("still blocked at the end"))
        #expect(try String(contentsOfFile: sequence, encoding: .utf8).contains("deadlock: lonely blocked"))
    }

    /// A user thread's crash (a VM fault with no handler) is in the trace, which is written
    /// whole with the end of the run marked.
    @Test func crashTraceIsWrittenWithItsEnd() throws {
        let path = temporary("crash.json")
        let sequence = temporary("crash.mmd")
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: sequence)
        }
        let result = try SwiftL4Process.run(["run", "Tests/HostedRuntimeTests/Programs/crash.c", "--trace", path, "--sequence", sequence])
        #expect(result.status == 0)
        let diagram = try String(contentsOfFile: sequence, encoding: .utf8)
        #expect(diagram.contains("participant t2 as crasher"))
        #expect(diagram.contains("Note over t2: fault with no handler: vmFault(address: 0"))
        #expect(diagram.hasSuffix("Note over t1,t2: main returned 0\n"))
        let trace = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        let events = trace?["traceEvents"] as? [[String: Any]] ?? []
        #expect(events.contains { ($0["name"] as? String)?.hasPrefix("fault, no handler: vmFault") == true })
        #expect(events.contains { ($0["name"] as? String)?.hasPrefix("started at 0x") == true })
        #expect(events.contains { ($0["name"] as? String) == "main returned 0" })
    }

    /// An output path that cannot be written is an error before anything runs.
    /// Blocked intervals name the object as the system file does (issue 17).
    @Test func blockedIntervalsNameTheSystemFilesObjects() throws {
        let path = temporary("named.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try SwiftL4Process.run(["tutorial", "ipc", "--trace", path]).status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        let events = json?["traceEvents"] as? [[String: Any]] ?? []
        let blocked = events.filter { $0["cat"] as? String == "blocked" }.compactMap { $0["name"] as? String }
        #expect(blocked.contains { $0.hasPrefix("blockedOnReceive 'tutorial_ep' (0x") }, "\(blocked.prefix(4))")
    }

    @Test func unwritableOutputFailsBeforeRunning() throws {
        let result = try SwiftL4Process.run(["tutorial", "ipc", "--html", "/nonexistent-dir/x.html"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("cannot write the trace output '/nonexistent-dir/x.html'"))
    }

    /// The HTML timeline in headless Chromium: the page's script draws one lane per thread
    /// and one arrow per delivered message.
    @Test func htmlTimelineRendersInBrowser() throws {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            print("skipped: no Chromium installed (apt-get install chromium)")
            return
        }
        let html = temporary("timeline.html")
        defer { try? FileManager.default.removeItem(atPath: html) }
        let result = try SwiftL4Process.run(["tutorial", "ipc", "--html", html])
        #expect(result.status == 0)
        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: chromium)
        browser.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", html]
        let out = Pipe()
        browser.standardOutput = out
        browser.standardError = FileHandle.nullDevice
        try browser.run()
        let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        browser.waitUntilExit()
        #expect(dom.contains("data-rendered=\"true\""))
        #expect(dom.components(separatedBy: "class=\"lane\"").count - 1 == 3)
        for name in ["server", "client_1", "client_2"] { #expect(dom.contains("data-thread=\"\(name)\"")) }
        #expect(dom.components(separatedBy: "class=\"message\"").count - 1 == 11)
        #expect(dom.components(separatedBy: "class=\"reply\"").count - 1 == 11)
        // Issue 17: the default view spreads the run over the width (the axis starts at the
        // first kernel event and idle gaps are compressed), instead of squeezing every event
        // against the right edge; the end line is not drawn as a fault.
        let starts = dom.components(separatedBy: "class=\"message\"").dropFirst().compactMap { line -> Double? in
            guard let range = line.range(of: "x1=\"") else { return nil }
            return Double(line[range.upperBound...].prefix { $0 != "\"" })
        }
        #expect(starts.count == 11)
        #expect((starts.max() ?? 0) - (starts.min() ?? 0) > 500, "arrows squeezed: \(starts)")
        #expect(dom.contains("end of the run") && dom.contains("id=\"details\""))
    }
}
