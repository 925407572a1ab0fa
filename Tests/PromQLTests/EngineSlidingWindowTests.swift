// The O(1)-per-step paths of range functions (counter resets and changes counted once per series,
// max/min_over_time with a monotonic queue) give exactly what scanning every window gives.
// The reference here scans each window the way Prometheus's functions do.

import MetricModel
import PromQL
import Testing

@Suite struct EngineSlidingWindowTests {
    /// Random series with resets, repeated values, NaN, -0 and gaps, 10 s apart on average.
    static func storage(seed: UInt64) throws -> (MemoryStorage, [Labels: [Sample]]) {
        var rng = SeededGenerator(seed: seed)
        var storage = MemoryStorage()
        var all: [Labels: [Sample]] = [:]
        for s in 0..<6 {
            let labels = Labels(["__name__": "m", "s": "\(s)"])
            var samples: [Sample] = []
            var t: Int64 = 0
            var v = 0.0
            for _ in 0..<400 {
                t += Int64(rng.next() % 20_000) + 1
                switch rng.next() % 10 {
                case 0: v = 0  // counter reset
                case 1: v = .nan
                case 2: v = -0.0
                case 3: break  // unchanged
                default: v = (v.isNaN ? 0 : v) + Double(rng.next() % 7)
                }
                samples.append(Sample(t, v))
            }
            try storage.append(labels, samples)
            all[labels] = samples
        }
        return (storage, all)
    }

    @Test(arguments: ["max_over_time", "min_over_time", "changes", "resets", "increase"])
    func fastPathEqualsWindowScan(_ function: String) throws {
        let (storage, all) = try Self.storage(seed: 7)
        let engine = Engine(querier: storage)
        let rangeMs: Int64 = 95_000
        let step: Int64 = 7_000
        let result = try engine.rangeQuery(
            call(function, range("m", [], rangeMs)), start: 0, end: 4_000_000, step: step)
        guard case .matrix(let series) = result.value else {
            Issue.record("expected a matrix")
            return
        }
        var checked = 0
        for out in series {
            var labels = LabelsBuilder(out.labels)
            labels.set("__name__", "m")
            let samples = try #require(all[labels.labels()])
            for point in out.samples {
                let window = samples.filter { $0.timestamp > point.timestamp - rangeMs && $0.timestamp <= point.timestamp }
                let expected = Self.scan(function, window, windowEnd: point.timestamp, rangeMs: rangeMs)
                #expect(
                    expected.bitPattern == point.value.bitPattern || (expected.isNaN && point.value.isNaN),
                    "\(function) at \(point.timestamp): \(point.value) vs scan \(expected)")
                checked += 1
            }
        }
        #expect(checked > 1000)
    }

    /// Prometheus's per-window definitions.
    static func scan(_ function: String, _ w: [Sample], windowEnd: Timestamp, rangeMs: Int64) -> Double {
        switch function {
        case "max_over_time", "min_over_time":
            var best = w[0].value
            for s in w.dropFirst() {
                let better = function == "max_over_time" ? s.value > best : s.value < best
                if better || best.isNaN { best = s.value }
            }
            return best
        case "changes", "resets":
            var n = 0
            for i in w.indices.dropFirst() {
                let (a, b) = (w[i - 1].value, w[i].value)
                if function == "resets" ? b < a : (b != a && !(a.isNaN && b.isNaN)) { n += 1 }
            }
            return Double(n)
        default:  // increase: extrapolatedRate as in functions.go
            var result = w.last!.value - w.first!.value
            var prev = w.first!.value
            for s in w.dropFirst() {
                if s.value < prev { result += prev }
                prev = s.value
            }
            let first = w.first!, last = w.last!
            var toStart = Double(first.timestamp - (windowEnd - rangeMs)) / 1000
            var toEnd = Double(windowEnd - last.timestamp) / 1000
            let sampled = Double(last.timestamp - first.timestamp) / 1000
            let average = sampled / Double(w.count - 1)
            if toStart >= average * 1.1 { toStart = average / 2 }
            var toZero = toStart
            if result > 0 && first.value >= 0 { toZero = sampled * (first.value / result) }
            if toZero < toStart { toStart = toZero }
            if toEnd >= average * 1.1 { toEnd = average / 2 }
            return sampled == 0 ? result : result * ((sampled + toStart + toEnd) / sampled)
        }
    }
}

