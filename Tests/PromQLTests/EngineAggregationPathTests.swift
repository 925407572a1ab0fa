// sum, avg, count, min, max, group, stddev and stdvar read their input series by series into one
// accumulator per group and step (`EngineOptions.maxFlatAggregationCells`); the step-by-step loop
// they replace stays for aggregations too large for that. Both must give bit-identical answers.

import MetricModel
import PromQL
import Testing

@Suite struct EngineAggregationPathTests {
    /// Series in 3 groups with gaps, NaN, ±Inf, -0, huge values (Kahan and the incremental mean)
    /// and stale markers, 15 s apart with jitter.
    static func storage(seed: UInt64) throws -> MemoryStorage {
        var rng = SeededGenerator(seed: seed)
        var storage = MemoryStorage()
        for s in 0..<12 {
            let labels = Labels(["__name__": "m", "g": "\(s % 3)", "s": "\(s)"])
            var samples: [Sample] = []
            var t: Int64 = 0
            for _ in 0..<300 {
                t += 15_000 + Int64(rng.next() % 3_000)
                if rng.next() % 9 == 0 { continue }  // gap
                let v: Double
                switch rng.next() % 16 {
                case 0: v = .nan
                case 1: v = .infinity
                case 2: v = -.infinity
                case 3: v = -0.0
                case 4: v = 1.7e308
                case 5: v = -1.6e308
                case 6: v = Double(bitPattern: StaleNaN.bits)
                default: v = Double(Int(rng.next() % 2_000_000)) / 1000 - 1000
                }
                samples.append(Sample(t, v))
            }
            try storage.append(labels, samples)
        }
        return storage
    }

    static let ops: [AggregationOperator] = [.sum, .avg, .count, .min, .max, .group, .stddev, .stdvar]

    @Test(arguments: ops)
    func seriesBySeriesEqualsStepByStep(_ op: AggregationOperator) throws {
        let storage = try Self.storage(seed: 11)
        var flat = EngineOptions()
        flat.maxFlatAggregationCells = .max
        var stepwise = EngineOptions()
        stepwise.maxFlatAggregationCells = 0
        let exprs = [
            agg(op, sel("m")),
            agg(op, sel("m"), by: ["g"]),
            agg(op, sel("m"), by: ["g"], without: true),
            agg(op, bin(.mul, sel("m"), num(3))),
            agg(op, call("rate", range("m", [], 5 * minute))),
        ]
        var points = 0
        for expr in exprs {
            for (start, end, step) in [(Int64(0), Int64(4_600_000), Int64(15_000)), (1_234_567, 1_234_567, 1)] {
                let a = try Engine(querier: storage, options: flat).rangeQuery(expr, start: start, end: end, step: step)
                let b = try Engine(querier: storage, options: stepwise).rangeQuery(expr, start: start, end: end, step: step)
                guard case .matrix(let ma) = a.value, case .matrix(let mb) = b.value else {
                    Issue.record("expected matrices")
                    return
                }
                #expect(ma.map(\.labels) == mb.map(\.labels))
                for (sa, sb) in zip(ma, mb) {
                    #expect(sa.samples.map(\.timestamp) == sb.samples.map(\.timestamp))
                    for (pa, pb) in zip(sa.samples, sb.samples) {
                        #expect(pa.value.bitPattern == pb.value.bitPattern, "\(op) \(sa.labels) at \(pa.timestamp)")
                        points += 1
                    }
                }
            }
        }
        #expect(points > 1000)
    }
}
