// `sugarmill promqltest <files…>`: runs Prometheus's PromQL test scripts against our engine.

import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PromQL

/// `sugarmill promqltest` — runs promqltest scripts (the DSL of Prometheus's
/// `promql/promqltest/testdata/*.test`) and prints one line per failing eval, then
/// `N passed, N failed, N skipped`. Exits 1 when anything failed.
///
/// ```
/// $ sugarmill promqltest Tests/Fixtures/promql-testdata/*.test
/// functions.test:231: rate(x[5m]): expected 1 for {} but got 2
/// 1020 passed, 1 failed, 926 skipped
/// ```
struct PromQLTestSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promqltest",
        abstract: "Run PromQL test scripts (Prometheus's promqltest DSL) against the engine.",
        discussion: "Evals that need native histograms are skipped and counted; everything else passes or fails."
    )

    @Argument(help: "Test script files (.test).")
    var files: [String]

    @Flag(name: .customLong("show-skipped"), help: "Also print one line per skipped eval, with the reason.")
    var showSkipped = false

    @Flag(
        name: .customLong("at-modifier-check"), inversion: .prefixedNo,
        help: "Re-run instant evals with every selector pinned by @ at other times, as upstream does.")
    var atModifierCheck = true

    @Flag(
        name: .customLong("range-mode-check"), inversion: .prefixedNo,
        help: "Re-run instant evals as range queries around their time, as upstream does.")
    var rangeModeCheck = true

    func run() throws {
        var options = PromQLTestRunner.Options()
        options.atModifierVariants = atModifierCheck
        options.rangeModeCheck = rangeModeCheck
        let runner = PromQLTestRunner(options: options)
        var summary = PromQLTestSummary()
        for path in files {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            guard let data = FileManager.default.contents(atPath: path) else {
                print("\(name): cannot read \(path)")
                summary.failed += 1
                continue
            }
            let report = runner.run(source: String(decoding: data, as: UTF8.self), name: name)
            for line in report.failureLines { print(line) }
            if showSkipped {
                for outcome in report.outcomes {
                    if case .skipped(let reason) = outcome.status {
                        print("\(outcome.file):\(outcome.line): \(outcome.expression): skipped: \(reason)")
                    }
                }
            }
            summary.add(report)
        }
        print(summary)
        if summary.failed > 0 { throw ExitCode(1) }
    }
}
