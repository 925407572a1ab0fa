// Range queries whose steps are further apart than their windows decode only the chunks some
// window touches: every step's answer is still the instant query's at that time.

@testable import PromQL
import MetricModel
import Testing

@Suite struct EngineSparseStepTests {
    @Test func windowsTouchOnlyWhatTheyCover() {
        // Windows [90, 100], [190, 200], [290, 300].
        let w = StepWindows(firstEnd: 100, step: 100, count: 3, width: 10)
        #expect(w.hasGaps)
        #expect(w.touch(0, 89) == false)
        #expect(w.touch(0, 90))
        #expect(w.touch(100, 100))
        #expect(w.touch(101, 189) == false)
        #expect(w.touch(150, 195))
        #expect(w.touch(301, 1_000) == false)
        #expect(w.touch(.min, .max))
        #expect(w.nextStart(outside: 50) == 90)
        #expect(w.nextStart(outside: 95) == nil)
        #expect(w.nextStart(outside: 100) == nil)
        #expect(w.nextStart(outside: 101) == 190)
        #expect(w.nextStart(outside: 301) == .max)
        #expect(StepWindows(firstEnd: 100, step: 5, count: 3, width: 10).hasGaps == false)
        #expect(StepWindows(firstEnd: .min + 5, step: .max, count: 3, width: .max).touch(0, 1))
    }

    static let narrow: Set = ["rate(m[30s])", "increase(m[1m])", "max_over_time(m[45s])", "resets(m[20s])",
                              "last_over_time(m[10s])", "sum(rate(m[40s]))"]

    /// Three counters sampled every second for three hours, with resets, NaN and repeats.
    static func storage() throws -> MemoryStorage {
        var rng = SeededGenerator(seed: 11)
        var storage = MemoryStorage()
        for s in 0..<3 {
            var samples: [Sample] = []
            var v = 0.0
            for t in stride(from: Int64(1_000), through: 10_800_000, by: 1_000) {
                switch rng.next() % 50 {
                case 0: v = 0
                case 1: v = .nan
                case 2: break
                default: v = (v.isNaN ? 0 : v) + Double(rng.next() % 7)
                }
                samples.append(Sample(t, v))
            }
            try storage.append(Labels(["__name__": "m", "s": "\(s)"]), samples)
        }
        return storage
    }

    @Test(arguments: [
        "m", "rate(m[30s])", "increase(m[1m])", "max_over_time(m[45s])", "changes(m[2m])", "resets(m[20s])",
        "last_over_time(m[10s])", "count_over_time(m[5m])", "timestamp(m)", "m offset 3m", "sum(rate(m[40s]))",
    ])
    func everyStepAnswersAsAnInstantQuery(_ query: String) throws {
        let engine = Engine(querier: try Self.storage())
        let expr = try parseExpr(query)
        // Three hours at 1 s: chunks of 2 minutes, steps 7 minutes apart.
        let step: Int64 = 420_000
        let result = try engine.rangeQuery(expr, start: 60_000, end: 10_800_000, step: step)
        // With windows of a minute or less, most chunks lie between windows and are never decoded
        // (the three series hold 32,400 samples; wider windows touch nearly every chunk).
        if Self.narrow.contains(query) {
            #expect(result.stats.peakSamples < 32_400 / 2, "\(query): \(result.stats.peakSamples) samples held")
        }
        guard case .matrix(let series) = result.value else {
            Issue.record("expected a matrix")
            return
        }
        var points: [String: Double] = [:]
        for s in series { for p in s.samples { points["\(s.labels) @ \(p.timestamp)"] = p.value } }
        var expected: [String: Double] = [:]
        for t in stride(from: Int64(60_000), through: 10_800_000, by: Int(step)) {
            let instant = try engine.instantQuery(expr, at: t)
            switch instant.value {
            case .vector(let v): for s in v { expected["\(s.labels) @ \(t)"] = s.value }
            case .scalar(let s): expected["{} @ \(t)"] = s.value
            default: Issue.record("unexpected instant result")
            }
        }
        #expect(points.count == expected.count)
        #expect(!expected.isEmpty)
        for (key, value) in expected {
            let got = try #require(points[key], "\(query): missing \(key)")
            #expect(got.bitPattern == value.bitPattern || (got.isNaN && value.isNaN), "\(query) \(key): \(got) vs \(value)")
        }
    }
}
