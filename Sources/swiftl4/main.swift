import ArgumentParser
import Foundation
import BootImage
import HostedRuntime
import KernelCore
import KernelFuzz
import SwiftIPCTutorial
import SwiftL4Bench

struct SwiftL4: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftl4",
        abstract: "SwiftL4: seL4's IPC, faithfully, in Swift. Runs seL4 programs on this machine.",
        subcommands: [Run.self, Tutorial.self, Bench.self, Qemu.self, Fuzz.self])
}

/// Options shared by the commands that run programs.
struct RunOptions: ParsableArguments {
    /// The kernel's memory bounds (`--memory`, MiB).
    static let smallestMemoryMiB = 2
    static var hostMemoryMiB: Int { (Int(sysconf(Int32(_SC_PHYS_PAGES))) * Int(sysconf(Int32(_SC_PAGESIZE)))) >> 20 }
    static var largestMemoryMiB: Int { max(smallestMemoryMiB, min(hostMemoryMiB, 32768)) }

    @Option(help: "MiB of host memory handed to the kernel as untyped memory.")
    var memory: Int = 64

    @Flag(help: "Disable the IPC fastpath (every IPC takes the slowpath).")
    var noFastpath = false

    @Flag(help: ArgumentHelp("Check every kernel object and the kernel's invariants at each system call and user fault (slow).",
                             discussion: "User code shares the kernel's address space in the hosted runtime; a kernel object it overwrote is reported with the last thread to run, exit status \(HostedSystem.corruptedObjectExitStatus)."))
    var checkObjects = false

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
    func makeSystem(title: String, loaderSlots: Int = 0) throws -> HostedSystem {
        let largest = RunOptions.largestMemoryMiB
        guard (RunOptions.smallestMemoryMiB...largest).contains(memory) else {
            throw fail("--memory takes \(RunOptions.smallestMemoryMiB) to \(largest) MiB, not \(memory): the kernel's "
                       + "memory is host memory mapped into this process (at most this host's RAM, "
                       + "\(RunOptions.hostMemoryMiB) MiB, and at most 32 GiB), and the kernel's tables and the root "
                       + "task's objects need \(RunOptions.smallestMemoryMiB) MiB before any untyped memory is left", status: 64)
        }
        guard HostedSystem.hostCanMap(bytes: memory << 20) else {
            throw fail("--memory \(memory): this host cannot map \(memory) MiB into the process now", status: 64)
        }
        var configuration = HostedConfiguration()
        configuration.memoryBytes = memory << 20
        configuration.fastpath = !noFastpath
        configuration.checkObjects = checkObjects
        // The loader's own CNode (the root's) holds every object of a system file: sized to
        // the system, beyond the root task's usual 2^12 slots (issue 15, item 9).
        while 1 << configuration.rootCNodeSizeBits < loaderSlots { configuration.rootCNodeSizeBits += 1 }
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
    // Slots the loader fills in its CNode: seL4's initial caps, the boot untypeds, one per
    // object, four per protection domain (its CNode, the guarded CNode cap, TCB, IPC buffer),
    // one per page of memory region.
    let regionPages = description.memoryRegions.reduce(0) { $0 + Int(($1.size + 4095) / 4096) }
    let loaderSlots = InitialSlot.count + maxBootInfoUntypeds + description.objects.count + 4 * description.domains.count
        + regionPages
    let system = try options.makeSystem(title: URL(fileURLWithPath: path).lastPathComponent, loaderSlots: loaderSlots)
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
            every thread blocks first (0 if the root task suspended itself and the rest are at rest), \
            \(HostedSystem.rootFaultExitStatus) if the root task died of a cap fault, VM fault, unknown system call or \
            user exception that no handler received (reported with its pc), \(HostedSystem.foreignCallExitStatus) if a \
            host thread made with pthread_create, or a forked child, made a seL4 call (refused), \(HostedSystem.corruptedObjectExitStatus) if \
            user code overwrote a kernel object (found by --check-objects, or when the kernel crashed on it), 128 + the \
            signal if the kernel itself or a host thread that is not a SwiftL4 thread crashed, 2 if the \
            program does not compile, 64 for a usage error. A .system file describes several programs, each with its own \
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
        try runRootTaskFiles(inputs, options: options)
    }
}

/// Compiles C files into a root task, runs it, and exits as `RunEnd.exitStatus` says.
func runRootTaskFiles(_ inputs: [String], options: RunOptions) throws {
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
    let end = system.runEnd(system.runRootTask(main: main, arguments: [name]), of: .rootTask)
    switch end {
    case .mainReturned:
        break
    case .atRest:
        // seL4 root tasks often set up a system and suspend themselves: with every other
        // thread stopped or waiting in Recv, the system is at rest, not deadlocked.
        FileHandle.standardError.write(Data("swiftl4: the root task stopped itself and no thread can run\n".utf8))
    case .hostFault, .deadlocked:
        // A root task stopped by a fault ends the run like the crash it is.
        FileHandle.standardError.write(Data((system.deadlockReport() + "\n").utf8))
    case .rootFaulted:
        // The fault itself was reported when it happened (thread, fault, pc).
        FileHandle.standardError.write(Data("swiftl4: the root task died of a fault (it has no fault handler)\n".utf8))
    }
    throw ExitCode(end.exitStatus)
}

/// A chapter of the classic seL4 tutorial series, as `swiftl4 tutorial` runs it: its lesson in
/// one line, and why it cannot run yet if it cannot.
struct TutorialChapter {
    let name: String
    let lesson: String
    let missing: String?

    /// The mapping chapter is x86_64's: other hosts have no four-level paging to map with.
    static var mappingMissing: String? {
        #if arch(x86_64)
        nil
        #else
        "it maps with x86_64 paging, and this host is not x86_64"
        #endif
    }

    /// The series in the order seL4's tutorials teach it.
    static let all: [TutorialChapter] = [
        TutorialChapter(name: "hello-world", lesson: "a root task that prints: the smallest first run", missing: nil),
        TutorialChapter(name: "capabilities", lesson: "the root CNode, seL4_DebugCapIdentify, copy, delete and revoke, and their errors", missing: nil),
        TutorialChapter(name: "untyped", lesson: "untyped memory: retype, sizes, NotEnoughMemory, the watermark, revoke to reuse", missing: nil),
        TutorialChapter(name: "mapping", lesson: "x86_64 paging: PDPT, page directory, page table and page maps",
                        missing: mappingMissing),
        TutorialChapter(name: "threads", lesson: "a second thread: configure, registers, priority, an argument, a fault", missing: nil),
        TutorialChapter(name: "ipc", lesson: "a server and two clients: Call, ReplyRecv, badges, a cap transferred", missing: nil),
        TutorialChapter(name: "notifications", lesson: "shared memory and notifications between programs", missing: nil),
        TutorialChapter(name: "fault-handlers", lesson: "a cap fault delivered to a handler, repaired and replied to", missing: nil),
    ]
}

struct Tutorial: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a chapter of the seL4 tutorials. `swiftl4 tutorial` lists them.",
        discussion: """
            `swiftl4 tutorial NAME` runs the chapter's exercise as it stands, with the failure the chapter \
            starts from; `--solution` runs it solved. Each chapter's page is Examples/tutorials/NAME/README.md. \
            `swiftl4 tutorial ipc` runs the IPC tutorial's server and two clients (the same with or without \
            --solution: the chapter is the seed's, already solved).
            """)

    @Argument(help: "The chapter (omit it for the list).")
    var name: String?

    @Flag(help: "Run the chapter's solved program instead of the exercise.")
    var solution = false

    @Flag(help: "ipc: run the seed's server (../shared/seed/ipc_server.c) verbatim instead of SwiftL4's.")
    var seedServer = false

    @Flag(help: "ipc: run the tutorial's Swift programs (written against the SeL4 module) instead of C.")
    var swift = false

    @OptionGroup var options: RunOptions

    /// Examples/ in the source tree this executable was built from (or SWIFTL4_EXAMPLES).
    static var examples: URL {
        if let override = ProcessInfo.processInfo.environment["SWIFTL4_EXAMPLES"] { return URL(fileURLWithPath: override) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples")
    }

    func run() throws {
        guard let name else {
            print("The seL4 tutorials (swiftl4 tutorial NAME [--solution]; pages in Examples/tutorials/NAME/README.md):")
            let width = TutorialChapter.all.map(\.name.count).max() ?? 0
            for chapter in TutorialChapter.all {
                let status = chapter.missing.map { " (not yet: \($0))" } ?? ""
                print("  " + chapter.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + chapter.lesson + status)
            }
            return
        }
        guard let chapter = TutorialChapter.all.first(where: { $0.name == name }) else {
            throw fail("no tutorial named '\(name)' (available: \(TutorialChapter.all.map(\.name).joined(separator: ", ")))", status: 64)
        }
        if let missing = chapter.missing {
            throw fail("the \(name) tutorial cannot run yet: \(missing)", status: 64)
        }
        if name == "ipc" {
            try runIPC()
        }
        guard !seedServer && !swift else { throw fail("--seed-server and --swift are for the ipc tutorial", status: 64) }
        // A chapter is a root task (NAME.c) or, for several programs, a system file.
        let base = Self.examples.appendingPathComponent("tutorials/\(name)/\(solution ? "solution" : "exercise")")
        let system = base.appendingPathExtension("system")
        if FileManager.default.fileExists(atPath: system.path) { try runSystemFile(system.path, options: options) }
        try runRootTaskFiles([base.appendingPathExtension("c").path], options: options)
    }

    private func runIPC() throws {
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

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure IPC round trips: SwiftL4's fastpath and slowpath against the host's primitives, in one run on one CPU.")

    @Flag(help: "Print the rows as a JSON array.")
    var json = false

    @Option(help: "Round trips per SwiftL4 measurement.")
    var roundTrips = 200_000

    @Option(help: "Interleaved rounds: every row is measured once per round; medians and ranges are printed.")
    var rounds = 5

    @Flag(help: "Measure how kernel costs scale with the number of threads, queued senders, CNode levels and caps.")
    var scaling = false

    @Flag(help: "With --scaling, stop at 10,000 (a smoke run).")
    var quick = false

    @Option(help: "Run only one SwiftL4 measurement (fastpath, fastpath-registers, slowpath, cap) and print its ns per round trip: for instruction counting under callgrind.")
    var only: String?

    func run() throws {
        if scaling {
            let rows = ScalingBenchmarks.all(quick: quick)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(rows), as: UTF8.self))
            } else {
                for row in rows {
                    print(row.name.padding(toLength: 62, withPad: " ", startingAt: 0)
                          + String(format: "%9d %10.1f ns", row.size, row.nanosecondsPerOperation))
                }
            }
            return
        }
        if let only {
            let result: HostedBenchmarks.IPCResult
            switch only {
            case "fastpath": result = try HostedBenchmarks.callReplyRecv(roundTrips: roundTrips)
            case "slowpath": result = try HostedBenchmarks.callReplyRecv(roundTrips: roundTrips, words: 10)
            case "cap": result = try HostedBenchmarks.callReplyRecv(roundTrips: roundTrips, unwrapCap: true)
            case "fastpath-registers": result = try HostedBenchmarks.run(.callReplyRecvRegisters, count: roundTrips)
            default:
                guard let operation = HostedBenchmarks.Operation(rawValue: only) else {
                    throw fail("--only takes fastpath, slowpath, cap or one of: "
                               + HostedBenchmarks.Operation.allCases.map(\.rawValue).joined(separator: ", "))
                }
                result = try HostedBenchmarks.run(operation, count: roundTrips)
            }
            print(String(format: "%.1f ns per round trip; fastpath %d/%d, slowpath %d/%d (calls/replyRecvs)", result.nanoseconds,
                         result.counters.fastpathCalls, result.counters.fastpathReplyRecvs,
                         result.counters.slowpathCalls, result.counters.slowpathReplyRecvs))
            return
        }
        #if DEBUG
        FileHandle.standardError.write(Data("swiftl4: this is a debug build; measure with `swift run -c release swiftl4 bench`\n".utf8))
        #endif
        guard rounds >= 1 else { throw fail("--rounds takes at least 1, not \(rounds)", status: 64) }
        let rows = try HostedBenchmarks.all(roundTrips: roundTrips, rounds: rounds)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
            return
        }
        let width = rows.map(\.name.count).max() ?? 10
        print("\(rounds) interleaved rounds; medians, and the range of each row's ratio to the fastpath over the rounds")
        print("round trip".padding(toLength: width, withPad: " ", startingAt: 0) + "   median ns   x fastpath   range")
        for row in rows {
            let ns = String(format: "%12.1f", row.roundTripNanoseconds)
            let ratio = String(format: "%13.2f", row.ratioToFastpath)
            let range = String(format: "   %.2f-%.2f", row.ratioLow, row.ratioHigh)
            print(row.name.padding(toLength: width, withPad: " ", startingAt: 0) + ns + ratio + range)
        }
        func row(_ prefix: String) -> HostedBenchmarks.Row? { rows.first { $0.name.hasPrefix(prefix) } }
        guard let fast = row("SwiftL4 Call/ReplyRecv, fastpath"), let floor = row("two-switch floor"), let futex = row("futex"),
              let slow10 = row("SwiftL4 Call/ReplyRecv, slowpath (10"), let slowCap = row("SwiftL4 Call/ReplyRecv, slowpath (1 word + a cap")
        else { return }
        let slow = slow10.roundTripNanoseconds >= slowCap.roundTripNanoseconds ? slow10 : slowCap
        print("")
        // A verdict only where every round agrees; a range straddling the target is "noisy".
        func target(_ text: String, _ ratio: HostedBenchmarks.Ratio, _ verdict: HostedBenchmarks.Ratio.Verdict) {
            let wide = ratio.isNoisy && verdict != .noisy ? " (noisy: the range exceeds 20% of the median)" : ""
            print(String(format: "target: %@: median %.2fx, rounds %.2f-%.2fx: ", text, ratio.median, ratio.low, ratio.high)
                  + verdict.rawValue + wide)
        }
        let floorRatio = HostedBenchmarks.Ratio(fast, over: floor)
        target("fastpath <= 2.5x the two-switch floor", floorRatio, floorRatio.verdict(atMost: 2.5))
        let speedup = HostedBenchmarks.Ratio(futex, over: fast)
        target("fastpath >= 50x faster than pinned futex", speedup, speedup.verdict(atLeast: 50))
        let slowRatio = HostedBenchmarks.Ratio(slow, over: fast)
        target("slowpath <= 3x the fastpath", slowRatio, slowRatio.verdict(atMost: 3))
    }
}

struct Fuzz: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fuzz the kernel: random system calls and invocations by random threads, checked after every one.",
        discussion: """
            Builds small systems (threads in several CSpaces, endpoints, notifications, untyped memory, \
            frames) and runs random operations on the deterministic test platform, checking the kernel's \
            invariants and a reference model of seL4's allowed outcomes after each. A seed replays exactly. \
            Exits 1 with "violation at step K of seed S: ..." on the first violation.
            """)

    static let defaultSeed: UInt64 = 1

    @Option(help: "Random operations to run.")
    var ops = 100_000

    @Option(help: "The PRNG seed (a number), or `random`.")
    var seed = "\(Fuzz.defaultSeed)"

    @Option(help: "The kernel's paging model: identity (hosted) or sv39 (adds page tables, VSpaces, ASID pools and seL4's riscv64 paging invocations).")
    var paging = "identity"

    func run() throws {
        let value: UInt64
        if seed == "random" {
            var generator = SystemRandomNumberGenerator()
            value = generator.next()
        } else if let parsed = UInt64(seed) {
            value = parsed
        } else {
            throw fail("--seed takes a number or `random`, not '\(seed)'")
        }
        var fuzzer = SyscallFuzzer(seed: value)
        switch paging {
        case "identity": fuzzer.paging = .identity
        case "sv39": fuzzer.paging = .sv39
        default: throw fail("--paging takes identity or sv39, not '\(paging)'")
        }
        print("seed \(value), paging \(paging)")
        let start = ContinuousClock.now
        let report = fuzzer.run(operations: ops)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("operations: \(report.operations), invariant checks: \(report.invariantChecks)"
              + String(format: " (%.2f s, %.0f ops/s)", seconds, Double(report.operations) / max(seconds, 1e-9)))
        print(report.histogram)
        if let violation = report.violation {
            FileHandle.standardError.write(Data("\(violation)\nreplay: swiftl4 fuzz --ops \(violation.step) --seed \(value) --paging \(paging)\n".utf8))
            throw ExitCode(1)
        }
    }
}

struct Qemu: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build SwiftL4's bare-metal RISC-V image and run it under QEMU (virt, OpenSBI).",
        discussion: """
            `swiftl4 qemu tutorial` runs the image's own scenes. `swiftl4 qemu boot PATH` boots an unmodified \
            seL4 root server on SwiftL4 as seL4 boots it: PATH is what a seL4 build for qemu-riscv-virt made, the \
            root task's ELF file (e.g. apps/sel4test-driver/sel4test-driver) or the bootable image in images/ (its \
            rootserver is taken out of the elfloader's CPIO archive); a root task written against SwiftL4's sel4.h \
            works too. QEMU exits when no thread can run again: 0, or 1 if the root server died of a fault.
            Needs qemu-system-misc, opensbi and gcc-riscv64-unknown-elf (for libgcc.a) from Debian.
            """)

    @Argument(help: "What to run: tutorial (the image boots the kernel and runs its scenes: the IPC tutorial as three programs in their own address spaces beside five misbehaving ones, timer preemption, and the instruction counts against the floor; QEMU exits 0 only if all pass), or boot PATH.")
    var what: String = "tutorial"

    @Argument(help: "For boot: the root server's ELF file or a seL4 elfloader image.")
    var path: String?

    @Option(help: "For boot: QEMU's RAM in MiB (seL4's sel4test runs use 3072).")
    var memory: Int = 3072

    @Option(help: "For boot: a kernel image already built by Platforms/riscv64/build.sh, instead of building it.")
    var kernel: String?

    @Flag(help: "For boot: run QEMU with -icount shift=0 (one instruction per virtual nanosecond: deterministic, slower).")
    var icount = false

    func run() throws {
        let script = Tutorial.examples.deletingLastPathComponent().appendingPathComponent("Platforms/riscv64/build.sh")
        switch what {
        case "tutorial":
            throw ExitCode(try runProcess("/bin/bash", [script.path, "--run"]))
        case "boot":
            try boot(script: script)
        default:
            throw fail("no QEMU program named '\(what)' (available: tutorial, boot PATH)")
        }
    }

    func boot(script: URL) throws {
        guard let path else { throw fail("swiftl4 qemu boot needs a PATH: a root server ELF file or a seL4 elfloader image") }
        guard (16...16384).contains(memory) else { throw fail("--memory takes 16 to 16384 MiB (QEMU virt's RAM), not \(memory)", status: 64) }
        guard let contents = FileManager.default.contents(atPath: path) else { throw fail("cannot read '\(path)'") }
        let rootServer: RootServerFile
        do {
            rootServer = try RootServerFile.find(in: [UInt8](contents))
        } catch let refusal as RootServerFile.Refusal {
            throw fail("'\(path)' cannot be booted: \(refusal.description)")
        }
        let image: String
        if let kernel {
            image = kernel
        } else {
            FileHandle.standardError.write(Data("swiftl4: building the kernel image (Platforms/riscv64/build.sh)\n".utf8))
            let status = try runProcess("/bin/bash", [script.path], quiet: true)
            guard status == 0 else { throw fail("building the kernel image failed (status \(status)); run \(script.path) to see why") }
            image = script.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".build-riscv64/swiftl4.elf").path
        }
        let initrd = FileManager.default.temporaryDirectory.appendingPathComponent("swiftl4-rootserver-\(getpid()).elf")
        try Data(rootServer.elf).write(to: initrd)
        defer { try? FileManager.default.removeItem(at: initrd) }
        FileHandle.standardError.write(Data("swiftl4: booting the root server from \(rootServer.origin) (\(rootServer.elf.count) bytes)\n".utf8))
        var arguments = ["-machine", "virt", "-cpu", "rv64", "-m", "\(memory)", "-nographic", "-bios", "default",
                         "-no-reboot", "-kernel", image, "-initrd", initrd.path]
        if icount { arguments += ["-icount", "shift=0"] }
        throw ExitCode(try runProcess("/usr/bin/env", ["qemu-system-riscv64"] + arguments))
    }

    /// Runs a program with this process's standard output (or none, `quiet`) and returns its
    /// exit status.
    func runProcess(_ executable: String, _ arguments: [String], quiet: Bool = false) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if quiet { process.standardOutput = FileHandle.nullDevice }
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

SwiftL4.main()
