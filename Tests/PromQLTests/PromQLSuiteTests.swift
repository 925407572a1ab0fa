// Prometheus's PromQL acceptance suite (`Tests/Fixtures/promql-testdata/*.test`) run against our
// engine: every file must parse, nothing is skipped and every eval passes, native histograms included.

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PromQL
import Testing

@Suite("PromQL acceptance suite")
struct PromQLSuiteTests {
    /// `eval` lines in the 21 files (2211 `eval` + 3 `eval_fail`, `spec/promqltest-dsl.md` §11).
    static let evalCount = 2214
    /// Evals that read or expect native histograms, by the inventory of `spec/promqltest-dsl.md`
    /// §11. Depends on the files and the runner only, not on the engine.
    static let nativeHistogramEvalCount = 926

    @Test func runsEveryFile() throws {
        let files = try SuiteFixtures.testFiles()
        #expect(files.count == 21)
        var summary = PromQLTestSummary()
        var evals = 0
        var nativeHistogramEvals = 0
        var nativeHistogramPassed = 0
        let runner = PromQLTestRunner()
        for file in files {
            let report = runner.run(source: try SuiteFixtures.text(file), name: file)
            #expect(report.errors.isEmpty, "\(file) must parse and load: \(report.errors)")
            for outcome in report.outcomes {
                if case .skipped(let reason) = outcome.status { Issue.record("\(file):\(outcome.line) skipped for \(reason)") }
                if outcome.readsNativeHistograms {
                    nativeHistogramEvals += 1
                    if outcome.status == .passed { nativeHistogramPassed += 1 }
                }
                if let line = outcome.failureLine { Issue.record("an eval failed: \(line)") }
            }
            for line in report.failureLines { print(line) }
            evals += report.outcomes.count
            summary.add(report)
        }
        print(summary, "— native-histogram evals: \(nativeHistogramPassed) of \(nativeHistogramEvals) pass")
        #expect(evals == Self.evalCount)
        #expect(summary.skipped == 0)
        #expect(nativeHistogramEvals == Self.nativeHistogramEvalCount)
        #expect(nativeHistogramPassed == Self.nativeHistogramEvalCount)
        #expect(summary.passed == Self.evalCount)
        #expect(summary.failed == 0)
    }
}

/// `Tests/Fixtures/promql-testdata`, found by walking up from this source file (symlinks
/// resolved, so the scratch package that links `Tests/PromQLTests` finds it too).
enum SuiteFixtures {
    static let directory: URL? = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while url.path != "/" && !url.path.isEmpty {
            let candidate = url.appendingPathComponent("Tests/Fixtures/promql-testdata")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            url = url.deletingLastPathComponent()
        }
        return nil
    }()

    static func testFiles() throws -> [String] {
        let directory = try #require(directory, "Tests/Fixtures/promql-testdata not found above \(#filePath)")
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".test") }.sorted()
    }

    static func text(_ name: String) throws -> String {
        let directory = try #require(directory)
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return String(decoding: data, as: UTF8.self)
    }
}
