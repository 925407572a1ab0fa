// Classic histogram → native histogram with custom buckets (NHCB, schema -53): the cumulative
// `le` buckets, `_count` and `_sum` of one classic histogram at one timestamp become one native
// histogram (Prometheus's `util/convertnhcb.TempHistogram`). Used by `load_with_nhcb` in the
// PromQL test runner and by scraping with `convert_classic_histograms_to_nhcb`.

/// Collects the parts of one classic histogram sample, in any order, and converts them.
///
/// ```swift
/// var c = ClassicHistogramConversion()
/// try c.setBucketCount(le: 0.1, 3)
/// try c.setBucketCount(le: .infinity, 5)
/// c.setSum(1.5)
/// let h = try c.convert()   // .integer: schema -53, custom_values [0.1], buckets [3 2]
/// ```
///
/// The first error sticks: later calls fail with it, as Prometheus's does.
package struct ClassicHistogramConversion: Sendable {
    /// Cumulative counts by upper bound, sorted by bound, without duplicate bounds.
    private var buckets: [(le: Double, count: Double)] = []
    private var count: Double = 0
    private var sum: Double = 0
    private var hasCount = false
    private var failure: ClassicHistogramConversionError?

    package init() {}

    /// The conversion's result: integer counts when every count is a whole number.
    package enum Converted: Sendable, Equatable {
        case integer(Histogram)
        case float(FloatHistogram)

        /// The result as a float histogram.
        package var floatHistogram: FloatHistogram {
            switch self {
            case .integer(let h): h.toFloat()
            case .float(let h): h
            }
        }
    }

    /// Records the cumulative count of the bucket with upper bound `le`. A bound seen before is
    /// ignored (a duplicate sample); a count below an earlier bound's, or above a later bound's,
    /// fails ("count is not cumulative").
    package mutating func setBucketCount(le boundary: Double, _ count: Double) throws(ClassicHistogramConversionError) {
        if let failure { throw failure }
        if boundary.isNaN { return try fail(.nanBucket) }
        if count < 0 {
            return try fail(.negativeBucketCount("le=\(goFormatG(boundary)), count=\(goFormatG(count))"))
        }
        guard let last = buckets.last else {
            buckets.append((boundary, count))
            return
        }
        if last.le < boundary {
            if count < last.count { return try fail(.notCumulative("\(goFormatG(count)) < \(goFormatG(last.count))")) }
            buckets.append((boundary, count))
            return
        }
        if last.le == boundary { return }
        var i = 0
        while buckets[i].le < boundary { i += 1 }
        if buckets[i].le == boundary { return }
        if i > 0 && count < buckets[i - 1].count {
            return try fail(.notCumulative("\(goFormatG(count)) < \(goFormatG(buckets[i - 1].count))"))
        }
        if count > buckets[i].count { return try fail(.notCumulative("\(goFormatG(count)) > \(goFormatG(buckets[i].count))")) }
        buckets.insert((boundary, count), at: i)
    }

    /// Records the `_count` sample.
    package mutating func setCount(_ count: Double) throws(ClassicHistogramConversionError) {
        if let failure { throw failure }
        if count < 0 { return try fail(.negativeCount("count=\(goFormatG(count))")) }
        self.count = count
        hasCount = true
    }

    /// Records the `_sum` sample.
    package mutating func setSum(_ sum: Double) {
        if failure == nil { self.sum = sum }
    }

    private mutating func fail(_ error: ClassicHistogramConversionError) throws(ClassicHistogramConversionError) {
        failure = error
        throw error
    }

    /// The native histogram: schema -53 with the finite bounds as custom values, per-bucket
    /// counts, a `+Inf` bucket holding the count when none was given; compacted as Prometheus
    /// does (integer histograms with up to 2 empty buckets kept between spans, float ones with none).
    package func convert() throws(ClassicHistogramConversionError) -> Converted {
        if let failure { throw failure }
        var buckets = self.buckets
        var count = self.count
        if !hasCount, let last = buckets.last { count = last.count }
        if buckets.last?.le != .infinity { buckets.append((.infinity, count)) }
        let isInteger = buckets.allSatisfy { $0.count == $0.count.rounded() } && count == count.rounded()
        let last = buckets[buckets.count - 1]
        let customValues = buckets.dropLast().map(\.le)
        let spans = [BucketSpan(offset: 0, length: UInt32(buckets.count))]
        if isInteger {
            var deltas: [Int64] = []
            deltas.reserveCapacity(buckets.count)
            var previousCount: Int64 = 0
            var previousDelta: Int64 = 0
            for b in buckets {
                let delta = Int64(b.count) - previousCount
                deltas.append(delta - previousDelta)
                previousCount = Int64(b.count)
                previousDelta = delta
            }
            let total = UInt64(count.rounded())
            if total != UInt64(last.count) {
                throw .countMismatch("count=\(total) != le=\(goFormatG(last.le)) count=\(goFormatG(last.count))")
            }
            var h = Histogram(
                schema: HistogramSchema.customBuckets, count: total, sum: sum, positiveSpans: spans,
                positiveBuckets: deltas, customValues: customValues)
            h.compact(maxEmptyBuckets: 2)
            return .integer(h)
        }
        var absolute: [Double] = []
        absolute.reserveCapacity(buckets.count)
        var previous = 0.0
        for b in buckets {
            absolute.append(b.count - previous)
            previous = b.count
        }
        if count != last.count {
            throw .countMismatch("count=\(goFormatG(count)) != le=\(goFormatG(last.le)) count=\(goFormatG(last.count))")
        }
        var h = FloatHistogram(
            schema: HistogramSchema.customBuckets, count: count, sum: sum, positiveSpans: spans,
            positiveBuckets: absolute, customValues: customValues)
        h.compact(maxEmptyBuckets: 0)
        return .float(h)
    }
}

/// Why a classic histogram could not be converted, with Prometheus's texts.
package enum ClassicHistogramConversionError: Error, Sendable, Equatable, CustomStringConvertible {
    case nanBucket
    case negativeBucketCount(String)
    case negativeCount(String)
    case notCumulative(String)
    case countMismatch(String)

    package var description: String {
        switch self {
        case .nanBucket: "bucket boundary must not be NaN"
        case .negativeBucketCount(let detail): "bucket count must be non-negative: \(detail)"
        case .negativeCount(let detail): "count must be non-negative: \(detail)"
        case .notCumulative(let detail): "count is not cumulative: \(detail)"
        case .countMismatch(let detail): "count mismatch: \(detail)"
        }
    }
}
