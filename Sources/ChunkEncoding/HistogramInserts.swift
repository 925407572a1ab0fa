// The bucket inserts one append needs, for both histogram chunk kinds, and the gauge
// appendability rule they share (`appendableGauge` in histogram.go and float_histogram.go).

import MetricModel

/// The inserts that make a sample and a chunk agree on their buckets: forward ones widen the chunk
/// (a recode), backward ones widen the sample. For gauges, also the merged spans.
struct HistogramInserts: Sendable {
    var positiveForward: [BucketInsert] = []
    var negativeForward: [BucketInsert] = []
    var positiveBackward: [BucketInsert] = []
    var negativeBackward: [BucketInsert] = []
    var positiveMerged: [BucketSpan] = []
    var negativeMerged: [BucketSpan] = []

    init() {}

    init(
        positive: (forward: [BucketInsert], backward: [BucketInsert]),
        negative: (forward: [BucketInsert], backward: [BucketInsert])
    ) {
        positiveForward = positive.forward
        positiveBackward = positive.backward
        negativeForward = negative.forward
        negativeBackward = negative.backward
    }

    /// Whether the chunk must be re-encoded before the sample is appended.
    var needsRecode: Bool { !positiveForward.isEmpty || !negativeForward.isEmpty }

    /// Whether the sample must be given buckets of the chunk before it is appended.
    var widensSample: Bool { !positiveBackward.isEmpty || !negativeBackward.isEmpty }

    /// Whether a gauge sample can be appended to a non-empty chunk (Prometheus's `appendableGauge`):
    /// only to a gauge chunk, never after a stale marker unless it is one, and only with the same
    /// schema, zero threshold and custom bounds. Buckets may come and go: both sides are widened.
    static func gauge(
        chunkIsGauge: Bool, chunk: HistogramChunkLayout.Fields, lastSampleIsStale: Bool,
        sample: HistogramChunkLayout.Fields, sampleSum: Double
    ) -> HistogramInserts? {
        guard chunkIsGauge else { return nil }
        if StaleNaN.isStale(sampleSum) { return HistogramInserts() }
        if lastSampleIsStale { return nil }
        guard layoutChange(chunk: chunk, sample: sample) == nil else { return nil }
        let positive = HistogramLayoutChange.expandBothWays(chunk.positiveSpans, sample.positiveSpans)
        let negative = HistogramLayoutChange.expandBothWays(chunk.negativeSpans, sample.negativeSpans)
        var inserts = HistogramInserts(
            positive: (positive.forward, positive.backward), negative: (negative.forward, negative.backward))
        inserts.positiveMerged = positive.merged
        inserts.negativeMerged = negative.merged
        return inserts
    }

    /// Whether a sample keeps the chunk's schema, zero threshold and custom bounds: nil when it
    /// does, else what changed first (for counters, Prometheus treats a schema or threshold change
    /// as of unknown reset, and a custom-bounds change as a reset).
    static func layoutChange(chunk: HistogramChunkLayout.Fields, sample: HistogramChunkLayout.Fields) -> LayoutChange? {
        if sample.schema != chunk.schema || sample.zeroThreshold != chunk.zeroThreshold { return .schemaOrThreshold }
        if HistogramSchema.isCustomBuckets(sample.schema)
            && !HistogramSchema.customBoundsMatch(sample.customValues, chunk.customValues)
        {
            return .customBounds
        }
        return nil
    }

    /// See ``layoutChange(chunk:sample:)``.
    enum LayoutChange {
        case schemaOrThreshold
        case customBounds
    }
}
