// Float-histogram chunk (encoding byte 3): float native histograms, bit-exact with Prometheus 3.x
// `tsdb/chunkenc/float_histogram.go` (spec/tsdb-format.md §8 "Histogram chunks").
//
// 2.42 vs HEAD: as for encoding 2 (see HistogramChunk.swift), only the schema -53 custom-bounds
// block and the 2.x trailing stream byte differ. We write the HEAD form.

import MetricModel

/// A float-histogram chunk and the state to append to it.
///
/// Per sample, after the layout of the first one (``HistogramChunkLayout``): the timestamp as for
/// encoding 2 (varbit_int, then varbit_int dods), then count, zero count, sum and every bucket
/// (absolute counts) each as 64 raw bits in sample 0 and XOR-encoded against its own previous
/// value (own window) afterwards. A stale marker is written with no buckets.
///
/// ```swift
/// var chunk = FloatHistogramChunk()
/// _ = chunk.append(1000, FloatHistogram(count: 2, sum: 3, positiveSpans: [BucketSpan(offset: 0, length: 1)], positiveBuckets: [2]))
/// ```
///
/// Thread-safety: a value type; mutate from one thread at a time.
package struct FloatHistogramChunk: NativeHistogramChunk {
    /// The chunk encoding byte of float-histogram chunks.
    package static let encoding: UInt8 = 3

    package var stream = HistogramChunkStream()
    /// The layout, set by the first sample.
    var layout = HistogramChunkLayout.Fields()
    /// The last sample, each field with its XOR window.
    var last = FloatHistogramState(leading: 0xFF)

    /// An empty chunk (header `00 00 00`).
    package init() {}

    /// An iterator over the samples appended so far.
    package func makeIterator() -> FloatHistogramIterator { FloatHistogramIterator(bytes) }

    /// Encodes one sample as it is (Prometheus's `appendFloatHistogram`); the caller has checked that
    /// it fits the layout (``append(_:_:previous:)`` does).
    mutating func encode(_ time: Int64, _ sample: FloatHistogram) {
        let h = StaleNaN.isStale(sample.sum) ? FloatHistogram(sum: sample.sum) : sample
        var tDelta: Int64 = 0
        if stream.sampleCount == 0 {
            layout = HistogramChunkLayout.Fields(of: h)
            HistogramChunkLayout.write(layout, to: &stream.writer)
            stream.writer.writeVarbitInt(time)
            last.count = XORField(h.count)
            last.zeroCount = XORField(h.zeroCount)
            last.sum = XORField(h.sum)
            last.positiveBuckets = h.positiveBuckets.map { XORField($0) }
            last.negativeBuckets = h.negativeBuckets.map { XORField($0) }
            for value in [h.count, h.zeroCount, h.sum] + h.positiveBuckets + h.negativeBuckets {
                stream.writer.writeBits(value.bitPattern, 64)
            }
        } else {
            tDelta = time &- last.t
            stream.writer.writeVarbitInt(tDelta &- last.tDelta)
            last.count.write(h.count, to: &stream.writer)
            last.zeroCount.write(h.zeroCount, to: &stream.writer)
            last.sum.write(h.sum, to: &stream.writer)
            for (i, value) in h.positiveBuckets.enumerated() where i < last.positiveBuckets.count {
                last.positiveBuckets[i].write(value, to: &stream.writer)
            }
            for (i, value) in h.negativeBuckets.enumerated() where i < last.negativeBuckets.count {
                last.negativeBuckets[i].write(value, to: &stream.writer)
            }
        }
        last.t = time
        last.tDelta = tDelta
        stream.finishSample(at: time)
    }
}
