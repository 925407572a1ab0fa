// `sugarmill check metrics`: promtool's `check metrics` — lints a text exposition read from stdin.

import ArgumentParser
import Exposition
import SugarmillServer
#if canImport(Glibc)
import Glibc
#endif

/// `sugarmill check metrics` — promtool's `check metrics` (lint only; no `--extended` yet).
///
/// Reads a Prometheus text 0.0.4 exposition from standard input and prints each problem as
/// `<metric> <text>` on standard error. Exits 0 when clean, 3 when there are problems, 1 when the
/// input does not parse (`error while linting: text format parsing error in line <n>: <message>`).
///
/// ```
/// $ printf '# TYPE hits counter\nhits 1\n' | sugarmill check metrics
/// hits counter metrics should have "_total" suffix
/// hits no help text
/// ```
struct CheckMetrics: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Pass Prometheus metrics over stdin to lint them for consistency and correctness.",
        discussion: "examples:\n\n$ cat metrics.prom | sugarmill check metrics\n\n$ curl -s http://localhost:9090/metrics | sugarmill check metrics"
    )

    func run() throws {
        let problems: [LintProblem]
        do throws(ExpositionError) {
            problems = try lintExposition(Self.readStandardInput())
        } catch {
            StandardError.write("error while linting: text format parsing error in line \(error.line): \(error.message)\n")
            throw ExitCode(1)
        }
        StandardError.write(problems.map { "\($0.metric) \($0.text)\n" }.joined())
        if !problems.isEmpty { throw ExitCode(3) }
    }

    /// All of standard input.
    static func readStandardInput() -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n > 0 {
                bytes.append(contentsOf: chunk[..<n])
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                return bytes
            }
        }
    }
}
