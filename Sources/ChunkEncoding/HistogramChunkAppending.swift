// The append flow both histogram chunk kinds share (Prometheus's `AppendHistogram` and
// `AppendFloatHistogram`, which differ only in counting and in the headers they give new chunks).

package import MetricModel

/// What appending a native-histogram sample did.
///
/// Recoding is handled inside the chunk (its bytes are rewritten, Prometheus's `recode`); a sample
/// that does not fit yields a new chunk that already holds it.
package enum HistogramAppendResult<Chunk: Sendable>: Sendable {
    /// Appended to the chunk as it was.
    case appended
    /// The sample has buckets the chunk lacked: the chunk was re-encoded with the wider layout
    /// (same samples, same counter-reset header), then the sample appended.
    case recoded
    /// The sample does not fit (counter reset, schema, zero threshold or custom-bounds change, a
    /// used bucket gone, gauge vs counter, a sample after a stale marker). The returned new chunk
    /// holds it, with its counter-reset header set as Prometheus sets it; this chunk is unchanged.
    case newChunk(Chunk)
}

/// A native-histogram sample as histogram chunks see it.
protocol ChunkHistogramSample: Sendable {
    associatedtype Bucket: HistogramBucketValue
    /// Whether bucket values are deltas to the bucket before (integer histograms).
    static var bucketsAreDeltas: Bool { get }
    var counterResetHint: CounterResetHint { get }
    var sum: Double { get }
    var positiveSpans: [BucketSpan] { get set }
    var negativeSpans: [BucketSpan] { get set }
    var positiveBuckets: [Bucket] { get set }
    var negativeBuckets: [Bucket] { get set }
    /// Schema, zero threshold, spans and custom bounds.
    var chunkLayout: HistogramChunkLayout.Fields { get }
}

extension Histogram: ChunkHistogramSample {
    static var bucketsAreDeltas: Bool { true }
    var chunkLayout: HistogramChunkLayout.Fields { HistogramChunkLayout.Fields(of: self) }
}

extension FloatHistogram: ChunkHistogramSample {
    static var bucketsAreDeltas: Bool { false }
    var chunkLayout: HistogramChunkLayout.Fields { HistogramChunkLayout.Fields(of: self) }
}

/// A histogram chunk kind: what the shared append flow needs of it.
protocol HistogramChunkAppending: NativeHistogramChunk {
    associatedtype Sample: ChunkHistogramSample
    init()
    var layout: HistogramChunkLayout.Fields { get }
    /// Encodes a sample that fits the layout.
    mutating func encode(_ time: Int64, _ sample: Sample)
    /// Whether a counter sample can be appended: its inserts if so, and the header a chunk started
    /// for it gets.
    func appendability(of sample: Sample) -> (inserts: HistogramInserts?, header: CounterResetHeader)
    /// The header of the next chunk of the series, started by `sample`, this being the chunk before.
    func headerOfNextChunk(startingWith sample: Sample) -> CounterResetHeader
    /// Whether the last sample is a stale marker.
    var lastSampleIsStale: Bool { get }
    /// The samples in the chunk, decoded.
    func decodedSamples() -> [(Int64, Sample)]
}

extension HistogramChunkAppending {
    /// Prometheus's `AppendHistogram` / `AppendFloatHistogram` with `appendOnly` false.
    mutating func appendSample(_ t: Int64, _ sample: Sample, previous: Self?) -> HistogramAppendResult<Self> {
        precondition(
            StaleNaN.isStale(sample.sum)
                || (sample.positiveBuckets.count == HistogramChunkLayout.bucketCount(sample.positiveSpans)
                    && sample.negativeBuckets.count == HistogramChunkLayout.bucketCount(sample.negativeSpans)),
            "histogram bucket counts do not match its spans")
        if isEmpty {
            encode(t, sample)
            switch sample.counterResetHint {
            case .gauge: counterResetHeader = .gauge
            case .counterReset: counterResetHeader = .counterReset
            default: if let previous { counterResetHeader = previous.headerOfNextChunk(startingWith: sample) }
            }
            return .appended
        }
        var h = sample
        if h.counterResetHint != .gauge {
            let check = appendability(of: h)
            guard let inserts = check.inserts, check.header == .notCounterReset else {
                return .newChunk(Self.started(with: t, h, header: check.header))
            }
            if inserts.widensSample {
                // The sample lacks empty buckets of the chunk: widen it.
                if !inserts.needsRecode {
                    h.positiveSpans = layout.positiveSpans
                    h.negativeSpans = layout.negativeSpans
                } else {
                    h.positiveSpans = HistogramLayoutChange.adjust(h.positiveSpans, for: inserts.positiveBackward)
                    h.negativeSpans = HistogramLayoutChange.adjust(h.negativeSpans, for: inserts.negativeBackward)
                }
                Self.insertBuckets(into: &h, inserts.positiveBackward, inserts.negativeBackward)
            }
            return appendWidening(t, h, inserts)
        }
        let gauge = HistogramInserts.gauge(
            chunkIsGauge: counterResetHeader == .gauge, chunk: layout, lastSampleIsStale: lastSampleIsStale,
            sample: h.chunkLayout, sampleSum: h.sum)
        guard let inserts = gauge else { return .newChunk(Self.started(with: t, h, header: .gauge)) }
        if inserts.widensSample {
            h.positiveSpans = inserts.positiveMerged
            h.negativeSpans = inserts.negativeMerged
            Self.insertBuckets(into: &h, inserts.positiveBackward, inserts.negativeBackward)
        }
        return appendWidening(t, h, inserts)
    }

    /// Appends `h`, first recoding the chunk when the sample brings new buckets.
    private mutating func appendWidening(_ t: Int64, _ h: Sample, _ inserts: HistogramInserts) -> HistogramAppendResult<Self> {
        guard inserts.needsRecode else {
            encode(t, h)
            return .appended
        }
        recode(inserts, positiveSpans: h.positiveSpans, negativeSpans: h.negativeSpans)
        encode(t, h)
        return .recoded
    }

    /// A new chunk holding `h`, with `header`.
    private static func started(with t: Int64, _ h: Sample, header: CounterResetHeader) -> Self {
        var chunk = Self()
        chunk.counterResetHeader = header
        chunk.encode(t, h)
        return chunk
    }

    /// Re-encodes the chunk with the wider layout (Prometheus's `recode`): every sample gets the
    /// new spans and zero buckets at the forward inserts. Keeps the counter-reset header.
    private mutating func recode(_ inserts: HistogramInserts, positiveSpans: [BucketSpan], negativeSpans: [BucketSpan]) {
        var recoded = Self()
        for (time, var old) in decodedSamples() {
            old.positiveSpans = positiveSpans
            old.negativeSpans = negativeSpans
            Self.insertBuckets(into: &old, inserts.positiveForward, inserts.negativeForward)
            recoded.encode(time, old)
        }
        recoded.counterResetHeader = counterResetHeader
        self = recoded
    }

    /// Gives `h` zero buckets at `positive` and `negative` (its spans are already the wider ones).
    private static func insertBuckets(into h: inout Sample, _ positive: [BucketInsert], _ negative: [BucketInsert]) {
        if !positive.isEmpty {
            h.positiveBuckets = HistogramLayoutChange.insert(
                h.positiveBuckets, positive, total: HistogramChunkLayout.bucketCount(h.positiveSpans),
                deltas: Sample.bucketsAreDeltas)
        }
        if !negative.isEmpty {
            h.negativeBuckets = HistogramLayoutChange.insert(
                h.negativeBuckets, negative, total: HistogramChunkLayout.bucketCount(h.negativeSpans),
                deltas: Sample.bucketsAreDeltas)
        }
    }
}
