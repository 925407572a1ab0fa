// RandomInputTests: seeded random and mutated expositions through every parser entry point.
// Nothing may trap; errors must point inside the input; label sets must come out sorted.
// Reproduce a failure with EXPOSITION_FUZZ_SEED=<seed printed in the message>; run longer with
// EXPOSITION_FUZZ_ITERATIONS.

import Exposition
import Foundation
import MetricModel
import Testing

@Suite("Random inputs")
struct RandomInputTests {
    static let seed: UInt64 = {
        if let text = ProcessInfo.processInfo.environment["EXPOSITION_FUZZ_SEED"], let seed = UInt64(text) {
            return seed
        }
        return UInt64(Date().timeIntervalSince1970 * 1000)
    }()

    /// Pieces that make random bytes look like expositions often enough to get deep.
    static let tokens: [[UInt8]] = [
        "# ", "# HELP ", "# TYPE ", "# UNIT ", "# EOF", "# EOF\n", "\n", " ", "  ", "\t", "{", "}", "=", ",", "\"",
        "\\", "\\n", "\\\"", "m", "metric_total", "_bucket", "le", "quantile", "a", "1", "0.5", "1e3", "-", "+Inf",
        "NaN", "counter", "histogram", "summary", "gauge", " # {", "1520879607.789", "\u{0}", "é", "\"a.b\"", ":",
        "_", "p", "0x", ".", "e",
    ].map { Array($0.utf8) }

    static let corpus: [[UInt8]] = [
        Array("# HELP a Help \\n text\n# TYPE a histogram\na_bucket{le=\"1\",x=\"y\\\"\"} 2 1.5 # {t=\"1\"} 3 4\na_sum 1e3 2\n# EOF\n".utf8),
        Array("# TYPE m summary\n# UNIT m_seconds seconds\n{\"m.x\",quantile=\"0.5\",} NaN\nm_count 1 -7200\n# EOF\n".utf8),
        Array("# HELP g x\n# TYPE g gauge\ng{a=\"1\"} +Inf 1234\n# comment\n\n  g { b = \"2\" } -1\n".utf8),
    ]

    static func randomInput(_ rng: inout SeededGenerator) -> [UInt8] {
        var out: [UInt8] = []
        if Bool.random(using: &rng) {
            out = corpus.randomElement(using: &rng)!
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let at = Int.random(in: 0...out.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: out.insert(UInt8.random(in: 0...255, using: &rng), at: at)
                case 1: if at < out.count { out.remove(at: at) }
                case 2: out.insert(contentsOf: tokens.randomElement(using: &rng)!, at: at)
                default: out.removeSubrange(at...)
                }
            }
        } else {
            for _ in 0..<Int.random(in: 0..<40, using: &rng) {
                if Int.random(in: 0..<8, using: &rng) == 0 {
                    out.append(UInt8.random(in: 0...255, using: &rng))
                } else {
                    out.append(contentsOf: tokens.randomElement(using: &rng)!)
                }
            }
        }
        return out
    }

    /// Runs a parser to its end, touching every accessor; returns what it saw, for determinism.
    static func drive(_ parser: inout some ExpositionParser, _ input: [UInt8], _ context: String) -> String {
        var trace = ""
        do {
            while let entry = try parser.next() {
                trace += "\(entry);"
                guard case .series = entry else { continue }
                trace += parser.metricName + "\(parser.value.bitPattern) \(parser.timestamp ?? -1) \(parser.series.count)"
                do {
                    let labels = try parser.labels()
                    let names = labels.pairs.map { Array($0.name.utf8) }
                    let sorted = zip(names, names.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) }
                    #expect(sorted, "labels not sorted: \(labels) — \(context)")
                    trace += labels.description
                    if let exemplar = try parser.exemplar() { trace += exemplar.labels.description }
                } catch {
                    #expect(error.code == .invalidLabels, "\(error) — \(context)")
                }
            }
        } catch {
            #expect(error.offset >= 0 && error.offset <= input.count, "offset \(error.offset) — \(context)")
            #expect(error.line >= 1 && error.column >= 1, "\(error) — \(context)")
            trace += "error: \(error)"
        }
        return trace
    }

    /// Inputs per run: 3000 by default (well under a second), more with EXPOSITION_FUZZ_ITERATIONS.
    static let iterations: Int = {
        ProcessInfo.processInfo.environment["EXPOSITION_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 3000
    }()

    @Test func neverTraps() {
        let seed = Self.seed
        print("Exposition random inputs: seed \(seed) (EXPOSITION_FUZZ_SEED=\(seed) to reproduce)")
        var rng = SeededGenerator(seed: seed)
        for iteration in 0..<Self.iterations {
            let input = Self.randomInput(&rng)
            let context = "seed \(seed) iteration \(iteration) input \(String(decoding: input, as: UTF8.self).debugDescription)"
            var prom = PromTextParser(input)
            var prom2 = PromTextParser(input)
            #expect(Self.drive(&prom, input, context) == Self.drive(&prom2, input, context), "\(context)")
            for dialect in [OpenMetricsParser.Dialect.prometheus3, .prometheus2_42] {
                var om = OpenMetricsParser(input, dialect: dialect)
                _ = Self.drive(&om, input, context)
                do {
                    let series = try parseOpenMetrics(input, dialect: dialect)
                    #expect(Set(series.map(\.labels)).count == series.count, "\(context)")
                } catch {
                    #expect(error.offset <= input.count, "\(context)")
                }
            }
        }
    }
}
