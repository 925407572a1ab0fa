// OTLP exponential histograms as native histograms (Prometheus's otlptranslator histograms.go:
// exponentialToNativeHistogram, convertBucketsLayout).

package import MetricModel
package import WireFormat

/// One native-histogram sample produced by the translation.
package struct OTLPHistogramSample: Sendable {
    package var labels: Labels
    package var timestamp: Timestamp
    package var histogram: Histogram

    package init(labels: Labels, timestamp: Timestamp, histogram: Histogram) {
        self.labels = labels
        self.timestamp = timestamp
        self.histogram = histogram
    }
}

extension OTLPTranslator {
    /// Prometheus's zero threshold for converted histograms (OTLP's own is not carried over).
    static let exponentialZeroThreshold = 1e-128

    /// One exponential-histogram point as a native histogram named `name` (no suffixes).
    mutating func addExponentialHistogram(
        _ point: Opentelemetry_Proto_Metrics_V1_ExponentialHistogramDataPoint, _ name: String
    ) throws(RemoteWriteError) {
        let base = try baseLabels(point.attributes, ignoring: Self.reservedAttributes)
        let histogram = try Self.nativeHistogram(point)
        var pairs = base
        pairs.append((Labels.metricNameLabel, name))
        result.histograms.append(
            OTLPHistogramSample(labels: Labels(pairs), timestamp: Self.milliseconds(point.timeUnixNano), histogram: histogram))
    }

    /// `exponentialToNativeHistogram` for cumulative points: the scale becomes the schema (scales
    /// above 8 merge buckets down to 8, below -4 are refused), OTLP's bucket offset `o` means
    /// native bucket index `o + 1`; no recorded value gives a stale marker.
    package static func nativeHistogram(
        _ point: Opentelemetry_Proto_Metrics_V1_ExponentialHistogramDataPoint
    ) throws(RemoteWriteError) -> Histogram {
        var scale = point.scale
        guard scale >= HistogramSchema.exponentialMin else {
            throw RemoteWriteError(
                "cannot convert exponential to native histogram. Scale must be >= \(HistogramSchema.exponentialMin), was \(scale)")
        }
        var scaleDown: Int32 = 0
        if scale > HistogramSchema.exponentialMax {
            scaleDown = scale - HistogramSchema.exponentialMax
            scale = HistogramSchema.exponentialMax
        }
        let positive = bucketsLayout(point.positive.bucketCounts, offset: point.positive.offset, scaleDown: scaleDown)
        let negative = bucketsLayout(point.negative.bucketCounts, offset: point.negative.offset, scaleDown: scaleDown)
        var h = Histogram(
            schema: scale, zeroThreshold: exponentialZeroThreshold, zeroCount: point.zeroCount,
            positiveSpans: positive.spans, positiveBuckets: positive.deltas,
            negativeSpans: negative.spans, negativeBuckets: negative.deltas)
        if point.flags & UInt32(Opentelemetry_Proto_Metrics_V1_DataPointFlags.noRecordedValueMask.rawValue) != 0 {
            h.sum = StaleNaN.value
            h.count = StaleNaN.bits
        } else {
            if point.hasSum { h.sum = point.sum }
            h.count = point.count
        }
        return h
    }

    /// `convertBucketsLayout` with `adjustOffset`: OTLP bucket counts from `offset` as native
    /// spans and delta-encoded counts, `scaleDown` halvings merged; runs of up to two empty
    /// buckets stay inside a span, longer gaps start a new one.
    package static func bucketsLayout(
        _ counts: [UInt64], offset: Int32, scaleDown: Int32
    ) -> (spans: [BucketSpan], deltas: [Int64]) {
        guard !counts.isEmpty else { return ([], []) }
        var spans = [BucketSpan(offset: (offset >> scaleDown) &+ 1, length: 0)]
        var deltas: [Int64] = []
        var previous: Int64 = 0
        func append(_ count: Int64) {
            spans[spans.count - 1].length += 1
            deltas.append(count &- previous)
            previous = count
        }
        func skip(_ gap: Int32) {
            if gap > 2 {
                spans.append(BucketSpan(offset: gap, length: 0))
            } else {
                for _ in 0..<max(gap, 0) { append(0) }
            }
        }
        var bucketIndex = (offset >> scaleDown) &+ 1
        var count: Int64 = 0
        for (i, raw) in counts.enumerated() {
            let next = ((Int32(truncatingIfNeeded: i) &+ offset) >> scaleDown) &+ 1
            if bucketIndex == next {
                count &+= Int64(truncatingIfNeeded: raw)
                continue
            }
            if count == 0 {
                count = Int64(truncatingIfNeeded: raw)
                continue
            }
            skip(next &- bucketIndex &- 1)
            append(count)
            count = Int64(truncatingIfNeeded: raw)
            bucketIndex = next
        }
        skip(((Int32(truncatingIfNeeded: counts.count) &+ offset &- 1) >> scaleDown) &+ 1 &- bucketIndex)
        append(count)
        return (spans, deltas)
    }
}
