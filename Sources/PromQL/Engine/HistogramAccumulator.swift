// Adding up native histograms as PromQL does for sum and avg (the aggregation operators and
// sum_over_time / avg_over_time): Kahan-compensated sums, and for a mean, a switch to an
// incremental mean once the sum overflows (`promql/engine.go` aggregation, `funcAvgOverTime`).

import MetricModel

/// The running sum (or mean) of native histograms, with the facts PromQL annotates.
struct HistogramAccumulator {
    private(set) var sum: FloatHistogram
    private var compensation: FloatHistogram?
    private var mean: FloatHistogram?
    /// Samples added, the first one included.
    private(set) var count: Double = 1
    private(set) var counterResetSeen = false
    private(set) var notCounterResetSeen = false
    /// Some addition had to reconcile different custom bounds.
    private(set) var customBoundsReconciled = false

    init(_ first: FloatHistogram) {
        sum = first
        track(first)
    }

    /// Whether one sample said counter reset and another not: Prometheus warns.
    var counterResetCollision: Bool { counterResetSeen && notCounterResetSeen }

    private mutating func track(_ h: FloatHistogram) {
        switch h.counterResetHint {
        case .counterReset: counterResetSeen = true
        case .notCounterReset: notCounterResetSeen = true
        default: break
        }
    }

    private mutating func note(_ combination: HistogramCombination) {
        if combination.customBoundsReconciled { customBoundsReconciled = true }
    }

    /// Adds `h` to the sum (`KahanAdd`).
    mutating func add(_ h: FloatHistogram) throws(HistogramError) {
        track(h)
        count += 1
        note(try sum.kahanAdd(h, compensation: &compensation))
    }

    /// Adds `h` to the mean: to the sum while it does not overflow, else incrementally.
    mutating func addToMean(_ h: FloatHistogram) throws(HistogramError) {
        track(h)
        count += 1
        if mean == nil {
            var next = sum
            var nextCompensation = compensation
            note(try next.kahanAdd(h, compensation: &nextCompensation))
            if !next.hasOverflow {
                sum = next
                compensation = nextCompensation
                return
            }
            var m = sum
            m.divide(by: count - 1)
            mean = m
            compensation?.divide(by: count - 1)
        }
        let q = (count - 1) / count
        compensation?.multiply(by: q)
        var toAdd = h
        toAdd.divide(by: count)
        var m = mean!
        m.multiply(by: q)
        defer { mean = m }
        note(try m.kahanAdd(toAdd, compensation: &compensation))
    }

    /// The sum with its compensation added (sum_over_time; sum compacts it too).
    func total() -> FloatHistogram {
        var result = sum
        if let compensation { _ = try? result.add(compensation) }
        return result
    }

    /// The mean of what ``addToMean(_:)`` saw.
    func average() -> FloatHistogram {
        if var m = mean {
            if let compensation { _ = try? m.add(compensation) }
            return m
        }
        var result = sum
        result.divide(by: count)
        if var c = compensation {
            c.divide(by: count)
            _ = try? result.add(c)
        }
        return result
    }
}
