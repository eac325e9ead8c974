import Foundation
import Testing

/// The tutorial chapters (`swiftl4 tutorial NAME [--solution]`, issue 17): every run a chapter's
/// page shows, in a block that starts with `$ swiftl4 tutorial ...` and ends with
/// `(exit status N)`, prints exactly those lines on stdout and exits with that status. The
/// page is the one place the expected output is written.
@Suite struct TutorialChapterTests {
    struct ShownRun: CustomStringConvertible {
        var arguments: [String]
        var stdout: [String]
        var status: Int32
        var description: String { arguments.joined(separator: " ") }
    }

    static var tutorials: URL { SwiftL4Process.packageRoot.appendingPathComponent("Examples/tutorials") }

    /// The runs each chapter page shows.
    static var shownRuns: [ShownRun] {
        let chapters = (try? FileManager.default.contentsOfDirectory(atPath: tutorials.path)) ?? []
        var runs: [ShownRun] = []
        for chapter in chapters.sorted() {
            guard let page = try? String(contentsOf: tutorials.appendingPathComponent("\(chapter)/README.md"), encoding: .utf8)
            else { continue }
            var current: ShownRun?
            for line in page.components(separatedBy: "\n") {
                if line.hasPrefix("$ swiftl4 tutorial ") {
                    current = ShownRun(arguments: Array(line.dropFirst(10).split(separator: " ").map(String.init)),
                                       stdout: [], status: 0)
                } else if var run = current {
                    if line.hasPrefix("(exit status "), let status = Int32(line.dropFirst(13).dropLast()) {
                        run.status = status
                        runs.append(run)
                        current = nil
                    } else {
                        run.stdout.append(line)
                        current = run
                    }
                }
            }
        }
        return runs
    }

    @Test func everyRunnableChapterShowsItsExerciseAndSolution() {
        let shown = Set(Self.shownRuns.map(\.description))
        var chapters = ["hello-world", "capabilities", "untyped", "threads", "notifications", "fault-handlers"]
        #if arch(x86_64)
        chapters.append("mapping")
        #endif
        for chapter in chapters {
            #expect(shown.contains("tutorial \(chapter)"), "\(chapter)'s page shows no exercise run")
            #expect(shown.contains("tutorial \(chapter) --solution"), "\(chapter)'s page shows no solution run")
        }
    }

    @Test(arguments: shownRuns)
    func chapterPrintsWhatItsPageShows(_ run: ShownRun) throws {
        let result = try SwiftL4Process.run(run.arguments)
        #expect(result.status == run.status, "\(run): exit \(result.status)\nstderr:\n\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(Array(lines.dropLast(lines.last == "" ? 1 : 0)) == run.stdout, "\(run) printed:\n\(result.stdout)")
    }

    /// `swiftl4 tutorial` lists the series in order; a chapter that cannot run says why (mapping,
    /// on a host that is not x86_64).
    @Test func listAndUnavailableChapters() throws {
        let list = try SwiftL4Process.run(["tutorial"])
        #expect(list.status == 0)
        let names = list.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: " ").first.map(String.init) ?? "" }
        #expect(names == ["hello-world", "capabilities", "untyped", "mapping", "threads", "ipc", "notifications", "fault-handlers"])
        #if !arch(x86_64)
        let mapping = try SwiftL4Process.run(["tutorial", "mapping"])
        #expect(mapping.status == 64 && mapping.stderr.contains("the mapping tutorial cannot run yet"))
        #endif
        let unknown = try SwiftL4Process.run(["tutorial", "nonesuch"])
        #expect(unknown.status == 64 && unknown.stderr.contains("no tutorial named 'nonesuch'"))
    }

    /// A system's deadlock report names objects as the system file does and leaves out the
    /// loader, which the user never wrote (issue 17).
    @Test func notificationsExerciseNamesTheNotificationsItWaitsOn() throws {
        let result = try SwiftL4Process.run(["tutorial", "notifications"])
        #expect(result.stderr.contains("thread 'consumer_2' (priority 150): blocked waiting on notification 'ready_2' (0x"),
                "\(result.stderr)")
        #expect(result.stderr.contains("thread 'producer' (priority 100): blocked waiting on notification 'acks' (0x"))
        #expect(!result.stderr.contains("rootserver") && !result.stderr.contains("root task's main"))
    }

    /// The mapping chapter's solution ends with a write to a read-only mapping: the root task
    /// takes a VM fault at the mapped address (X86VS-9), and the run ends as the root task's
    /// fault (87), not as a crash of the process or a deadlock.
    @Test func mappingSolutionEndsOnTheReadOnlyWrite() throws {
        #if arch(x86_64)
        let result = try SwiftL4Process.run(["tutorial", "mapping", "--solution"])
        #expect(result.status == 87)
        #expect(result.stderr.contains("thread 'rootserver' faulted: segmentation fault at address 0xa000000000"), "\(result.stderr)")
        #expect(result.stderr.contains("swiftl4: the root task died of a fault (it has no fault handler)"))
        #expect(!result.stderr.contains("deadlock"))
        #endif
    }

    /// The threads exercise ends in the deadlock the chapter starts from, reported on stderr.
    @Test func threadsExerciseReportsTheInactiveWorker() throws {
        let result = try SwiftL4Process.run(["tutorial", "threads"])
        #expect(result.stderr.contains("thread 'worker' (priority 254): inactive"), "\(result.stderr)")
    }
}
