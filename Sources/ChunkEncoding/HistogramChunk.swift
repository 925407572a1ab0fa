// Histogram chunk (encoding byte 2): integer native histograms, bit-exact with Prometheus 3.x
// `tsdb/chunkenc/histogram.go` (spec/tsdb-format.md §8 "Histogram chunks").
//
// 2.42 vs HEAD: the sample bits are the same. 3.x adds the custom-bounds block to the layout for
// schema -53 (2.54+), and its bit stream has no trailing 0x00 byte that 2.x's could leave (as for
// XOR chunks, spec §8). We write the HEAD form.

package import MetricModel

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
package struct HistogramChunk: Sendable {
    /// The chunk encoding byte of histogram chunks.
    package static let encoding: UInt8 = 2

    var writer: BitWriter
    var sampleCount = 0
    var firstTime: Int64 = 0

    /// The layout, set by the first sample.
    var layout = HistogramChunkLayout.Fields()

    // The last sample, and the deltas the next dods are taken against (signed, as gauge counts may fall).
    var t: Int64 = 0
    var observations: UInt64 = 0
    var zeroObservations: UInt64 = 0
    var tDelta: Int64 = 0
    var countDelta: Int64 = 0
    var zeroCountDelta: Int64 = 0
    var positiveBuckets: [Int64] = []
    var negativeBuckets: [Int64] = []
    var positiveDeltas: [Int64] = []
    var negativeDeltas: [Int64] = []

    // The sum, XOR-encoded; `leading == 0xFF`: no window yet.
    var sumBits: UInt64 = 0
    var leading: UInt8 = 0xFF
    var trailing: UInt8 = 0

    /// An empty chunk (header `00 00 00`).
    package init() {
        writer = BitWriter(reservingCapacity: HistogramChunkLayout.initialCapacity)
        writer.writeBits(0, 24)
    }

    /// The encoded chunk: 3-byte header plus bit stream. A copy: O(n).
    package var bytes: [UInt8] { writer.bytes }

    /// Size of ``bytes``, what the head compares with its target chunk size.
    package var byteCount: Int { writer.byteCount }

    /// Number of samples.
    package var count: Int { sampleCount }

    /// True when the chunk holds no samples.
    package var isEmpty: Bool { sampleCount == 0 }

    /// Timestamp of the first sample; `Int64.max` when empty.
    package var minTime: Int64 { sampleCount == 0 ? .max : firstTime }

    /// Timestamp of the last sample; `Int64.min` when empty.
    package var maxTime: Int64 { sampleCount == 0 ? .min : t }

    /// Why the chunk was started (the top two bits of byte 2).
    package var counterResetHeader: CounterResetHeader {
        get { CounterResetHeader(chunkByte: writer.storage[HistogramChunkLayout.flagByte]) }
        set { writer.setByte(newValue.rawValue, at: HistogramChunkLayout.flagByte) }
    }

    /// The chunk as a `ChunkData` (encoding 2).
    package var chunkData: ChunkData {
        ChunkData(minTime: minTime, maxTime: maxTime, encoding: Self.encoding, bytes: bytes)
    }

    /// An iterator over the samples appended so far.
    package func makeIterator() -> HistogramIterator { HistogramIterator(bytes) }

    /// Encodes one sample as it is (Prometheus's `appendHistogram`); the caller has checked that it
    /// fits the layout (``append(_:_:previous:)`` does).
    mutating func encode(_ time: Int64, _ sample: Histogram) {
        precondition(sampleCount < Int(UInt16.max), "histogram chunk already holds 65535 samples")
        let h = StaleNaN.isStale(sample.sum) ? Histogram(sum: sample.sum) : sample
        var newTDelta: Int64 = 0
        var newCountDelta: Int64 = 0
        var newZeroCountDelta: Int64 = 0
        if sampleCount == 0 {
            // The first sample sets the layout and writes it.
            layout = HistogramChunkLayout.Fields(of: h)
            HistogramChunkLayout.write(layout, to: &writer)
            positiveBuckets = Array(repeating: 0, count: HistogramChunkLayout.bucketCount(h.positiveSpans))
            negativeBuckets = Array(repeating: 0, count: HistogramChunkLayout.bucketCount(h.negativeSpans))
            positiveDeltas = positiveBuckets
            negativeDeltas = negativeBuckets
            firstTime = time
            writer.writeVarbitInt(time)
            writer.writeVarbitUint(h.count)
            writer.writeVarbitUint(h.zeroCount)
            writer.writeBits(h.sum.bitPattern, 64)
            for bucket in h.positiveBuckets { writer.writeVarbitInt(bucket) }
            for bucket in h.negativeBuckets { writer.writeVarbitInt(bucket) }
        } else {
            newTDelta = time &- t
            newCountDelta = Int64(bitPattern: h.count) &- Int64(bitPattern: observations)
            newZeroCountDelta = Int64(bitPattern: h.zeroCount) &- Int64(bitPattern: zeroObservations)
            let stale = StaleNaN.isStale(h.sum)
            writer.writeVarbitInt(newTDelta &- tDelta)
            writer.writeVarbitInt(stale ? 0 : newCountDelta &- countDelta)
            writer.writeVarbitInt(stale ? 0 : newZeroCountDelta &- zeroCountDelta)
            writer.writeXORValue(h.sum, previous: sumBits, leading: &leading, trailing: &trailing)
            Self.writeDods(h.positiveBuckets, last: positiveBuckets, deltas: &positiveDeltas, to: &writer)
            Self.writeDods(h.negativeBuckets, last: negativeBuckets, deltas: &negativeDeltas, to: &writer)
        }
        t = time
        observations = h.count
        zeroObservations = h.zeroCount
        tDelta = newTDelta
        countDelta = newCountDelta
        zeroCountDelta = newZeroCountDelta
        Self.overwritePrefix(&positiveBuckets, with: h.positiveBuckets)
        Self.overwritePrefix(&negativeBuckets, with: h.negativeBuckets)
        sumBits = h.sum.bitPattern
        sampleCount += 1
        writer.setBigEndianUInt16(UInt16(sampleCount), at: 0)
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
