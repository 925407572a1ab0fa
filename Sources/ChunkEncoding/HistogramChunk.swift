// Histogram chunk (encoding byte 2): integer native histograms, bit-exact with Prometheus 3.x
// `tsdb/chunkenc/histogram.go` (spec/tsdb-format.md §8 "Histogram chunks").
//
// 2.42 vs HEAD: the sample bits are the same. 3.x adds the custom-bounds block to the layout for
// schema -53 (2.54+), and its bit stream has no trailing 0x00 byte that 2.x's could leave (as for
// XOR chunks, spec §8). We write the HEAD form.

import MetricModel

/// A histogram chunk of integer native-histogram samples and the state to append to it.
///
/// Per sample, after the layout of the first one (``HistogramChunkLayout``):
///
/// | field | sample 0 | sample 1 | later |
/// |---|---|---|---|
/// | timestamp | varbit_int | varbit_int delta | varbit_int dod |
/// | count, zero count | varbit_uint | varbit_int delta | varbit_int dod |
/// | sum | 64 bits | XOR | XOR |
/// | each bucket (delta-encoded as in `Histogram`) | varbit_int | varbit_int delta | varbit_int dod |
///
/// ("delta" is the dod against an implicit previous delta of 0.) A stale marker (sum = the
/// staleness NaN) is written with no buckets and zero count dods.
///
/// ```swift
/// var chunk = HistogramChunk()
/// _ = chunk.append(1000, Histogram(count: 2, sum: 3, positiveSpans: [BucketSpan(offset: 0, length: 1)], positiveBuckets: [2]))
/// chunk.bytes   // 00 01 00 …
/// ```
///
/// Thread-safety: a value type; mutate from one thread at a time.
package struct HistogramChunk: NativeHistogramChunk {
    /// The chunk encoding byte of histogram chunks.
    package static let encoding: UInt8 = 2

    package var stream = HistogramChunkStream()
    /// The layout, set by the first sample.
    var layout = HistogramChunkLayout.Fields()
    /// The last sample, for the next one's dods.
    var last = IntegerHistogramState(sum: XORField())

    /// An empty chunk (header `00 00 00`).
    package init() {}

    /// An iterator over the samples appended so far.
    package func makeIterator() -> HistogramIterator { HistogramIterator(bytes) }

    /// Encodes one sample as it is (Prometheus's `appendHistogram`); the caller has checked that it
    /// fits the layout (``append(_:_:previous:)`` does).
    mutating func encode(_ time: Int64, _ sample: Histogram) {
        let h = StaleNaN.isStale(sample.sum) ? Histogram(sum: sample.sum) : sample
        var tDelta: Int64 = 0
        var countDelta: Int64 = 0
        var zeroCountDelta: Int64 = 0
        if stream.sampleCount == 0 {
            // The first sample sets the layout and writes it.
            layout = HistogramChunkLayout.Fields(of: h)
            HistogramChunkLayout.write(layout, to: &stream.writer)
            last.positiveBuckets = Array(repeating: 0, count: HistogramChunkLayout.bucketCount(h.positiveSpans))
            last.negativeBuckets = Array(repeating: 0, count: HistogramChunkLayout.bucketCount(h.negativeSpans))
            last.positiveDeltas = last.positiveBuckets
            last.negativeDeltas = last.negativeBuckets
            stream.writer.writeVarbitInt(time)
            stream.writer.writeVarbitUint(h.count)
            stream.writer.writeVarbitUint(h.zeroCount)
            stream.writer.writeBits(h.sum.bitPattern, 64)
            for bucket in h.positiveBuckets + h.negativeBuckets { stream.writer.writeVarbitInt(bucket) }
        } else {
            tDelta = time &- last.t
            countDelta = Int64(bitPattern: h.count) &- Int64(bitPattern: last.count)
            zeroCountDelta = Int64(bitPattern: h.zeroCount) &- Int64(bitPattern: last.zeroCount)
            let stale = StaleNaN.isStale(h.sum)
            stream.writer.writeVarbitInt(tDelta &- last.tDelta)
            stream.writer.writeVarbitInt(stale ? 0 : countDelta &- last.countDelta)
            stream.writer.writeVarbitInt(stale ? 0 : zeroCountDelta &- last.zeroCountDelta)
            last.sum.write(h.sum, to: &stream.writer)
            Self.writeDods(h.positiveBuckets, last: last.positiveBuckets, deltas: &last.positiveDeltas, to: &stream.writer)
            Self.writeDods(h.negativeBuckets, last: last.negativeBuckets, deltas: &last.negativeDeltas, to: &stream.writer)
        }
        last.t = time
        last.count = h.count
        last.zeroCount = h.zeroCount
        last.tDelta = tDelta
        last.countDelta = countDelta
        last.zeroCountDelta = zeroCountDelta
        Self.overwritePrefix(&last.positiveBuckets, with: h.positiveBuckets)
        Self.overwritePrefix(&last.negativeBuckets, with: h.negativeBuckets)
        last.sum.bits = h.sum.bitPattern
        stream.finishSample(at: time)
    }

    /// Per bucket, the dod of its value against the last sample's, updating the stored deltas.
    private static func writeDods(_ buckets: [Int64], last: [Int64], deltas: inout [Int64], to writer: inout BitWriter) {
        for (i, bucket) in buckets.enumerated() where i < last.count {
            let delta = bucket &- last[i]
            writer.writeVarbitInt(delta &- deltas[i])
            deltas[i] = delta
        }
    }

    /// Go's `copy(dst, src)`: the first `min(count)` elements.
    static func overwritePrefix<T>(_ destination: inout [T], with source: [T]) {
        for i in 0..<Swift.min(destination.count, source.count) { destination[i] = source[i] }
    }
}
