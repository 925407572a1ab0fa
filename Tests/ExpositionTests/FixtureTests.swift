// FixtureTests: the exact OpenMetrics inputs promtool 2.42 turned into the fixture blocks
// (Tests/Fixtures/prometheus-2.42/promtool-blocks/input.om, input2.om) parse completely, with
// the timestamps promtool wrote (spec/tsdb-format.md §9 V1, V3).

import Exposition
import Foundation
import MetricModel
import Testing

@Suite("promtool 2.42 backfill inputs")
struct FixtureTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while url.path != "/" && !url.path.isEmpty {
            let candidate = url.appendingPathComponent("Tests/Fixtures/prometheus-2.42/promtool-blocks/\(name)")
            if FileManager.default.fileExists(atPath: candidate.path) { return [UInt8](try Data(contentsOf: candidate)) }
            url = url.deletingLastPathComponent()
        }
        throw ExpositionError(.syntax, "fixture \(name) not found above \(#filePath)", offset: 0, line: 0, column: 0)
    }

    @Test(arguments: [OpenMetricsParser.Dialect.prometheus2_42, .prometheus3])
    func inputOM(_ dialect: OpenMetricsParser.Dialect) throws {
        let series = try parseOpenMetrics(try Self.fixture("input.om"), dialect: dialect)
        #expect(series.count == 10)
        #expect(series.reduce(0) { $0 + $1.samples.count } == 516)
        #expect(series.map { $0.labels.metricName! } == ["dod_test", "val_test", "long_test_total"] + Array(repeating: "sym_test", count: 7))
        #expect(series.map(\.samples.count) == [11, 18, 480, 1, 1, 1, 1, 1, 1, 1])

        // V1: the delta-of-delta timestamps promtool derived from float seconds.
        let dod = series[0]
        #expect(dod.labels == Labels(["__name__": "dod_test", "case": "buckets"]))
        var t: Int64 = 1_699_999_200_000
        var expected: [Int64] = [t]
        for delta: Int64 in [600000, 600000, 608192, 600001, 591809, 657345, 591809, 1116097, 591809, 1] {
            t += delta
            expected.append(t)
        }
        #expect(dod.samples.map(\.timestamp) == expected)
        #expect(dod.samples.map(\.value) == (0...10).map(Double.init))

        // V3: values by bit pattern, including NaN, ±Inf and -0.0.
        let values = series[1].samples.map(\.value)
        let want: [Double] = [
            0, 1, 1, 2, -2, 1e-300, Double(bitPattern: StaleNaN.normalNaNBits), .infinity, -.infinity, 0.1, 0.2,
            0.30000000000000004, 1, 1.0000000000000002, 1.0000000000000004, 123456789.125, -0.0, 0,
        ]
        #expect(values.map(\.bitPattern) == want.map(\.bitPattern))
        #expect(series[1].samples.map(\.timestamp) == (0..<18).map { 1_699_999_201_000 + 15_000 * Int64($0) })

        let long = series[2]
        #expect(long.labels == Labels(["__name__": "long_test_total", "instance": "h1", "job": "j"]))
        #expect(long.samples.first == Sample(1_699_999_200_000, 0))
        #expect(long.samples.last == Sample(1_700_006_385_000, 1440))

        let ks = series[3...].map { $0.labels["k"]! }
        #expect(ks == ["a", "B", "é", "Z", "aa", "a b", "z"])
    }

    @Test func input2OM() throws {
        let series = try parseOpenMetrics(try Self.fixture("input2.om"))
        #expect(series.count == 2)
        #expect(series.reduce(0) { $0 + $1.samples.count } == 9)
        #expect(series[0].labels == Labels(["__name__": "clamp_test"]))
        #expect(series[0].samples.map(\.timestamp) == (0..<6).map { 1_699_999_200_000 + 10_000 * Int64($0) })
        #expect(series[0].samples.map(\.value) == [1, 1.0000000000000002, 1.0000000000000004, 1.0000000000000004, 1.5, 1.0000000000000002])
        // Negative timestamps (-7200 s) as in the annotated index of spec §4.9.
        #expect(series[1].labels == Labels(["__name__": "neg_test"]))
        #expect(series[1].samples == [Sample(-7_200_000, 42), Sample(-7_199_000, 42), Sample(-7_198_000, 42)])
    }

    /// The same files through the pull parser: entry counts by kind.
    @Test func pullParserCounts() throws {
        var parser = OpenMetricsParser(try Self.fixture("input.om"), dialect: .prometheus2_42)
        var types = 0
        var samples = 0
        while let entry = try parser.next() {
            switch entry {
            case .type: types += 1
            case .series:
                samples += 1
                #expect(parser.timestamp != nil)
                #expect(try parser.exemplar() == nil)
            default: Issue.record("unexpected \(entry)")
            }
        }
        #expect(types == 4)
        #expect(samples == 516)
    }
}
