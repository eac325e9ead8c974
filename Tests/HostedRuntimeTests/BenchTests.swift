import Foundation
import Testing
import SwiftL4Bench

/// `swiftl4 bench` reports ratios over interleaved rounds and calls a target met or missed only
/// when every round agrees (issue 16: time here is noisy; a single sample decides nothing).
@Suite struct BenchTests {
    @Test func verdictNeedsEveryRoundToAgree() {
        let straddles = HostedBenchmarks.Ratio(median: 2.4, low: 2.2, high: 2.7)
        #expect(straddles.verdict(atMost: 2.5) == .noisy)
        #expect(HostedBenchmarks.Ratio(median: 2.0, low: 1.9, high: 2.1).verdict(atMost: 2.5) == .met)
        #expect(HostedBenchmarks.Ratio(median: 3.0, low: 2.6, high: 3.9).verdict(atMost: 2.5) == .missed)
        #expect(HostedBenchmarks.Ratio(median: 60, low: 51, high: 70).verdict(atLeast: 50) == .met)
        #expect(HostedBenchmarks.Ratio(median: 45, low: 30, high: 49).verdict(atLeast: 50) == .missed)
        #expect(HostedBenchmarks.Ratio(median: 52, low: 40, high: 60).verdict(atLeast: 50) == .noisy)
        #expect(HostedBenchmarks.Ratio(median: 2.0, low: 1.5, high: 2.5).isNoisy)
        #expect(!HostedBenchmarks.Ratio(median: 2.0, low: 1.9, high: 2.1).isNoisy)
    }

    /// A short run prints every row with its median and range, and the three targets.
    @Test func benchPrintsMediansRangesAndTargets() throws {
        let result = try SwiftL4Process.run(["bench", "--round-trips", "2000", "--rounds", "3"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "3 interleaved rounds; medians, and the range of each row's ratio to the fastpath over the rounds")
        let rows = lines.filter { $0.range(of: #"\s[0-9.]+-[0-9.]+$"#, options: .regularExpression) != nil && !$0.hasPrefix("target") }
        #expect(rows.count == 15)
        let targets = lines.filter { $0.hasPrefix("target: ") }
        #expect(targets.count == 3)
        for target in targets {
            #expect(target.contains(": met") || target.contains(": MISSED") || target.contains(": noisy"), "\(target)")
        }
        let json = try SwiftL4Process.run(["bench", "--round-trips", "2000", "--rounds", "2", "--json"])
        let rowsJSON = try JSONDecoder().decode([HostedBenchmarks.Row].self, from: Data(json.stdout.utf8))
        #expect(rowsJSON.count == 15 && rowsJSON.allSatisfy { $0.samples.count == 2 && $0.ratioLow <= $0.ratioToFastpath && $0.ratioToFastpath <= $0.ratioHigh })
    }
}
