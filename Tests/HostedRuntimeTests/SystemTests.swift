import Foundation
import HostedRuntime
import Testing

/// The IPC tutorial's dialogue with the server and clients of Examples/ipc-tutorial, equal
/// priorities, domains started in description order (TUT-3, TUT-7; SCHED-4 (a) and (d)).
let tutorialDialogue = [
    "Client 1: waiting for badged endpoint",
    "Badged 1",
    "Client 2: waiting for badged endpoint",
    "Badged 2",
    "Client 1: received badged endpoint",
    "Message from 1: quick",
    "Message from 1: fox",
    "Message from 1: over",
    "Message from 1: lazy",
    "Client 2: received badged endpoint",
    "Message from 2: the",
    "Message from 2: brown",
    "Message from 2: jumps",
    "Message from 2: the",
    "Message from 2: dog",
]

func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

@Suite struct TutorialTests {
    @Test func tutorialInCPrintsTheDialogue() throws {
        let result = try SwiftL4Process.run(["tutorial", "ipc"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(lines(result.stdout) == tutorialDialogue)
    }

    @Test func tutorialInSwiftPrintsTheSameDialogue() throws {
        let result = try SwiftL4Process.run(["tutorial", "ipc", "--swift"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(lines(result.stdout) == tutorialDialogue)
    }

    @Test func tutorialWithoutFastpathPrintsTheSameDialogue() throws {
        let result = try SwiftL4Process.run(["tutorial", "ipc", "--no-fastpath"])
        #expect(lines(result.stdout) == tutorialDialogue)
    }

    /// The seed's server, ../shared/seed/ipc_server.c, compiled verbatim into the tutorial
    /// system with SwiftL4's clients.
    @Test func seedServerRunsVerbatim() throws {
        guard SwiftL4Process.shared != nil else {
            print("skipped: ../shared is absent, so the seed's server cannot run")
            return
        }
        let result = try SwiftL4Process.run(["run", "Examples/ipc-tutorial/seed-server.system"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(lines(result.stdout) == tutorialDialogue)
    }

    /// A client that calls with a Write-only cap is left Inactive (CALL-1) and the server,
    /// whose Reply to it does nothing (REPLY-1), goes on serving the well-behaved client.
    @Test func protocolViolationLeavesServerServing() throws {
        let result = try SwiftL4Process.run(["run", "Tests/HostedRuntimeTests/Systems/protocol_violation.system"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(lines(result.stdout) == [
            "rogue: calling without grant rights",
            "Badged 99",
            "Client 1: waiting for badged endpoint",
            "Badged 1",
            "Client 1: received badged endpoint",
            "Message from 1: quick",
            "Message from 1: fox",
            "Message from 1: over",
            "Message from 1: lazy",
        ])
    }
}

@Suite struct SystemFileTests {
    func problem(_ xml: String) -> SystemDescription.Problem? {
        do {
            let description = try SystemFile.parse(Data(xml.utf8), path: "test.system")
            try description.validate()
            return nil
        } catch {
            return error
        }
    }

    @Test func unknownObjectNamesTheLine() {
        let p = problem("""
            <system>
              <endpoint name="ep"/>
              <protection_domain name="a">
                <program path="a.c"/>
                <cap name="endpoint" slot="1" object="nope"/>
              </protection_domain>
            </system>
            """)
        #expect(p?.message == "cap 'endpoint' names unknown object 'nope'")
        #expect(p?.line == 5)
        #expect(p?.description == "test.system:5: error: cap 'endpoint' names unknown object 'nope'")
    }

    @Test func duplicateNames() {
        #expect(problem("""
            <system><endpoint name="ep"/><notification name="ep"/>
            <protection_domain name="a"><program path="a.c"/></protection_domain></system>
            """)?.message == "duplicate object name 'ep'")
        #expect(problem("""
            <system><protection_domain name="a"><program path="a.c"/></protection_domain>
            <protection_domain name="a"><program path="b.c"/></protection_domain></system>
            """)?.message == "duplicate protection_domain name 'a'")
    }

    /// Memory regions and maps (issue 17, the notifications chapter): each mistake is named.
    @Test func memoryRegionsAndMaps() {
        func pd(_ body: String) -> String {
            "<system><memory_region name=\"buf\" size=\"0x1000\"/><protection_domain name=\"a\"><program path=\"a.c\"/>\(body)</protection_domain></system>"
        }
        #expect(problem(pd("<map mr=\"buf\" vaddr=\"0x4000000\" perms=\"rw\" setvar_vaddr=\"buffer\"/>")) == nil)
        #expect(problem(pd("<map mr=\"nope\"/>"))?.message == "<map> names unknown memory_region 'nope'")
        #expect(problem(pd("<map mr=\"buf\" perms=\"rq\"/>"))?.message == "<map> perms 'rq' are not a combination of r, w and x")
        #expect(problem(pd("<map mr=\"buf\" setvar_vaddr=\"2x\"/>"))?.message == "setvar_vaddr '2x' is not a C identifier")
        #expect(problem(pd("<map mr=\"buf\" setvar_vaddr=\"v\"/><map mr=\"buf\" setvar_vaddr=\"v\"/>"))?.message
                == "protection_domain 'a': 'v' is bound twice")
        #expect(problem(pd("<empty name=\"v\" slot=\"1\"/><map mr=\"buf\" setvar_vaddr=\"v\"/>"))?.message
                == "protection_domain 'a': 'v' is bound twice")
        #expect(problem("""
            <system><memory_region name="buf" size="0"/><protection_domain name="a"><program path="a.c"/></protection_domain></system>
            """)?.message == "memory_region 'buf': size 0 is outside 1...16777216 bytes")
        #expect(problem("""
            <system><endpoint name="buf"/><memory_region name="buf" size="1"/>
            <protection_domain name="a"><program path="a.c"/></protection_domain></system>
            """)?.message == "duplicate object name 'buf'")
    }

    /// `<map>` is real on x86_64 (X86VS-4, X86VS-9): each program finds the region at its own
    /// vaddr (setvar_vaddr holds it), both pages of a two-page region, and a write through a
    /// read-only map is the writer's VM fault, reported by name.
    @Test func mapsAreRealWithTheirRights() throws {
        #if arch(x86_64)
        let result = try SwiftL4Process.run(["run", "Tests/HostedRuntimeTests/Systems/shared_page.system"])
        #expect(lines(result.stdout) == ["writer: wrote at 0x7000000", "reader: at 0x9000000: 0x1234 and 0x5678",
                                         "reader: writing"], "stderr: \(result.stderr)")
        #expect(result.stderr.contains("thread 'reader' faulted: segmentation fault at address 0x9000000"), "\(result.stderr)")
        #expect(result.status == 128 + 11)
        #endif
    }

    @Test func slotClashAndRange() {
        let clash = problem("""
            <system><endpoint name="ep"/>
            <protection_domain name="a"><program path="a.c"/>
              <cap name="x" slot="1" object="ep"/>
              <empty name="y" slot="1"/>
            </protection_domain></system>
            """)
        #expect(clash?.message == "slot 1 of 'a' is used by both 'x' and 'y'")
        #expect(clash?.line == 4)
        #expect(problem("""
            <system><protection_domain name="a" cnode_size_bits="2"><program path="a.c"/>
              <empty name="y" slot="4"/></protection_domain></system>
            """)?.message == "cap 'y': slot 4 is outside the CNode (cnode_size_bits 2 gives slots 1...3)")
        #expect(problem("""
            <system><protection_domain name="a"><program path="a.c"/>
              <empty name="y" slot="0"/></protection_domain></system>
            """)?.message == "cap 'y': slot 0 is seL4_CapNull and cannot hold a cap")
        // Issue 15, item 10: a number too large for any slot is said to be too large.
        #expect(problem("""
            <system><protection_domain name="a"><program path="a.c"/>
              <empty name="y" slot="18446744073709551615"/></protection_domain></system>
            """)?.message == "<empty> attribute 'slot' is too large: '18446744073709551615' is above 9223372036854775807; "
                + "a slot is 1 to 2^cnode_size_bits - 1 of its protection domain")
    }

    /// Issue 15, item 9: a well-formed file past libxml2's 10,000,000-byte limit for a document
    /// given whole still parses (it is streamed), with every object.
    @Test func largeSystemFileParses() throws {
        var text = "<system>\n"
        for i in 0..<250_000 { text += "  <endpoint name=\"endpoint_number_\(i)\"/>\n" }
        text += "  <protection_domain name=\"a\"><program path=\"a.c\"/></protection_domain>\n</system>\n"
        #expect(text.utf8.count > 10_000_000)
        let description = try SystemFile.parse(Data(text.utf8), path: "large.system")
        #expect(description.objects.count == 250_000 && description.domains.count == 1)
    }

    /// Issue 15, item 9: a system with more objects than the root task's usual 2^12 slots
    /// loads: the loader's CNode is sized to the system.
    @Test func tenThousandEndpointsLoad() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftl4-many-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "int main(void) { return 0; }\n".write(to: directory.appendingPathComponent("p.c"), atomically: true, encoding: .utf8)
        var text = "<system>\n"
        for i in 0..<10_000 { text += "  <endpoint name=\"e\(i)\"/>\n" }
        text += "  <protection_domain name=\"a\"><program path=\"p.c\"/>\n"
            + "    <cap name=\"last\" slot=\"1\" object=\"e9999\"/></protection_domain>\n</system>\n"
        let path = directory.appendingPathComponent("many.system").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try SwiftL4Process.run(["run", path])
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// Issue 15, item 8: `--memory` outside what the host and the kernel can take is a usage
    /// error (64) that gives the range and why; the smallest size runs.
    @Test func memoryOptionIsValidated() throws {
        let program = "Tests/HostedRuntimeTests/Programs/yield.c"
        for bad in ["0", "1", "65536", "100000"] {
            let result = try SwiftL4Process.run(["run", "--memory", bad, program])
            #expect(result.status == 64, "--memory \(bad): \(result.stderr)")
            #expect(result.stderr.contains("swiftl4: --memory takes 2 to "), "--memory \(bad): \(result.stderr)")
            #expect(result.stderr.contains("this host's RAM"))
        }
        #expect(try SwiftL4Process.run(["run", "--memory", "2", program]).status == 0)
    }

    @Test func missingSource() throws {
        let description = try SystemFile.parse(Data("""
            <system><protection_domain name="a"><program path="missing.c"/></protection_domain></system>
            """.utf8), path: "t.system")
        #expect(throws: SystemDescription.Problem.self) {
            try description.validate(sourceExists: { _ in false })
        }
        do {
            try description.validate(sourceExists: { _ in false })
        } catch {
            #expect(error.message == "protection_domain 'a': missing source 'missing.c'")
        }
    }

    @Test func malformedAndUnknownElements() {
        #expect(problem("<system><protection_domain name=\"a\"></system>")?.message.hasPrefix("malformed XML") == true)
        #expect(problem("<system><channel/></system>")?.message == "unexpected element <channel> inside <system>")
        #expect(problem("<system><endpoint name=\"e\" size=\"3\"/></system>")?.message
                == "<endpoint> has no attribute 'size' (allowed: name)")
        #expect(problem("<system><protection_domain name=\"a\" priority=\"high\"><program path=\"a.c\"/></protection_domain></system>")?.message
                == "<protection_domain> attribute 'priority' must be a non-negative number, not 'high'")
        #expect(problem("<system><protection_domain name=\"a\" priority=\"255\"><program path=\"a.c\"/></protection_domain></system>")?.message
                == "protection_domain 'a': priority 255 is outside 0...254 (255 is the loader's)")
        #expect(problem("<nope/>")?.message == "unexpected element <nope> at the top level")
    }

    @Test func rightsSyntax() throws {
        let description = try SystemFile.parse(Data("""
            <system><endpoint name="ep"/>
            <protection_domain name="a"><program path="a.c"/>
              <cap name="x" slot="1" object="ep" rights="read, grant" badge="0x10"/>
              <cap name="y" slot="2" object="ep" rights="RW"/>
            </protection_domain></system>
            """.utf8))
        #expect(description.domains[0].caps[0].kind == .object("ep", rights: [.read, .grant], badge: 16))
        #expect(description.domains[0].caps[1].kind == .object("ep", rights: [.read, .write], badge: 0))
    }

    /// The Swift builder and the system file describe the same tutorial and pass the same
    /// validation.
    @Test func builderMatchesFileValidation() throws {
        var system = SystemDescription()
        system.endpoint("ep")
        system.protectionDomain("a", program: .c(sources: ["a.c"], defines: [])) { pd in
            pd.cap("x", slot: 1, object: "nope")
        }
        #expect(throws: SystemDescription.Problem(message: "cap 'x' names unknown object 'nope'", line: nil, path: nil)) {
            try system.validate()
        }
    }

    /// A system file with an error runs nothing and names the problem.
    @Test func badSystemFileRunsNothing() throws {
        let result = try SwiftL4Process.run(["run", "Tests/HostedRuntimeTests/Systems/bad_unknown_object.system"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("bad_unknown_object.system:5: error: cap 'endpoint' names unknown object 'no_such_ep'"))
    }
}

@Suite struct ReadmeTests {
    /// The README's example root task is the file Examples/root-task/roundtrip.c, verbatim,
    /// and prints what the README says.
    @Test func readmeExampleRuns() throws {
        let root = SwiftL4Process.packageRoot
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let example = try String(contentsOf: root.appendingPathComponent("Examples/root-task/roundtrip.c"), encoding: .utf8)
        #expect(readme.contains(example))
        let result = try SwiftL4Process.run(["run", "Examples/root-task/roundtrip.c"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(lines(result.stdout) == ["root: call with label 1, MR0 42", "root: send with label 2, MR0 86"])
        #expect(readme.contains("# root: call with label 1, MR0 42\n# root: send with label 2, MR0 86"))
    }
}

@Suite struct RunCommandTests {
    /// Without clang, `swiftl4 run` says how to install it and runs nothing.
    @Test func missingClangSaysHowToInstall() throws {
        let result = try SwiftL4Process.run(["run", "Examples/root-task/roundtrip.c"],
                                            environment: ["PATH": "/nonexistent", "CC": ""])
        #expect(result.status == 2)
        #expect(result.stderr.contains("clang was not found"))
        #expect(result.stderr.contains("apt-get install clang"))
    }

    @Test func missingSourceIsReported() throws {
        let result = try SwiftL4Process.run(["run", "no/such/file.c"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no such source file: no/such/file.c"))
    }
}

@Suite struct HostFaultTests {
    /// A program that overflows its stack hits the guard page below it: a VM fault with no
    /// handler stops it (FAULT-1), it is reported by name, and the other program runs on. The
    /// run then exits like the crashed process would (128 + SIGSEGV).
    @Test func stackOverflowStopsOnlyThatProgram() throws {
        let result = try SwiftL4Process.run(["run", "Tests/HostedRuntimeTests/Systems/stack_overflow.system"])
        #expect(lines(result.stdout) == ["overflower: recursing", "survivor: still running"])
        #expect(result.stderr.contains("thread 'overflower' faulted: segmentation fault"))
        #expect(result.status == 139)
    }
}
