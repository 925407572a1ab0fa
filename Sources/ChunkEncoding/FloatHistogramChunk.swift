// Float-histogram chunk (encoding byte 3): float native histograms, bit-exact with Prometheus 3.x
// `tsdb/chunkenc/float_histogram.go` (spec/tsdb-format.md §8 "Histogram chunks").
//
// 2.42 vs HEAD: as for encoding 2 (see HistogramChunk.swift), only the schema -53 custom-bounds
// block and the 2.x trailing stream byte differ. We write the HEAD form.

package import MetricModel

/// One XOR-encoded float field: the last value's bits and its window (`leading == 0xFF`: none yet).
struct XORField: Sendable {
    var bits: UInt64
    var leading: UInt8 = 0xFF
    var trailing: UInt8 = 0

    /// A field holding `value`; writers start with no window (`0xFF`), readers with `0`, as in Prometheus.
    init(_ value: Double = 0, leading: UInt8 = 0xFF) {
        bits = value.bitPattern
        self.leading = leading
    }

    var value: Double { Double(bitPattern: bits) }

    /// Writes `value` XOR-encoded against this field and makes it the field's value.
    mutating func write(_ value: Double, to writer: inout BitWriter) {
        writer.writeXORValue(value, previous: bits, leading: &leading, trailing: &trailing)
        bits = value.bitPattern
    }

    /// Reads the next value of this field; false when truncated or corrupt.
    mutating func read(from reader: inout BitReader) -> Bool {
        reader.readXORValue(&bits, leading: &leading, trailing: &trailing)
    }
}

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
package struct FloatHistogramChunk: Sendable {
    /// The chunk encoding byte of float-histogram chunks.
    package static let encoding: UInt8 = 3

    var writer: BitWriter
    var sampleCount = 0
    var firstTime: Int64 = 0
    /// The layout, set by the first sample.
    var layout = HistogramChunkLayout.Fields()
    var t: Int64 = 0
    var tDelta: Int64 = 0
    var observations = XORField()
    var zeroObservations = XORField()
    var sum = XORField()
    var positiveBuckets: [XORField] = []
    var negativeBuckets: [XORField] = []

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

    /// The chunk as a `ChunkData` (encoding 3).
    package var chunkData: ChunkData {
        ChunkData(minTime: minTime, maxTime: maxTime, encoding: Self.encoding, bytes: bytes)
    }

    /// An iterator over the samples appended so far.
    package func makeIterator() -> FloatHistogramIterator { FloatHistogramIterator(bytes) }

    /// Encodes one sample as it is (Prometheus's `appendFloatHistogram`); the caller has checked that
    /// it fits the layout (``append(_:_:previous:)`` does).
    mutating func encode(_ time: Int64, _ sample: FloatHistogram) {
        precondition(sampleCount < Int(UInt16.max), "float histogram chunk already holds 65535 samples")
        let h = StaleNaN.isStale(sample.sum) ? FloatHistogram(sum: sample.sum) : sample
        var newTDelta: Int64 = 0
        if sampleCount == 0 {
            layout = HistogramChunkLayout.Fields(of: h)
            HistogramChunkLayout.write(layout, to: &writer)
            firstTime = time
            writer.writeVarbitInt(time)
            observations = XORField(h.count)
            zeroObservations = XORField(h.zeroCount)
            sum = XORField(h.sum)
            positiveBuckets = h.positiveBuckets.map { XORField($0) }
            negativeBuckets = h.negativeBuckets.map { XORField($0) }
            for value in [h.count, h.zeroCount, h.sum] + h.positiveBuckets + h.negativeBuckets {
                writer.writeBits(value.bitPattern, 64)
            }
        } else {
            newTDelta = time &- t
            writer.writeVarbitInt(newTDelta &- tDelta)
            observations.write(h.count, to: &writer)
            zeroObservations.write(h.zeroCount, to: &writer)
            sum.write(h.sum, to: &writer)
            for (i, value) in h.positiveBuckets.enumerated() where i < positiveBuckets.count {
                positiveBuckets[i].write(value, to: &writer)
            }
            for (i, value) in h.negativeBuckets.enumerated() where i < negativeBuckets.count {
                negativeBuckets[i].write(value, to: &writer)
            }
        }
        t = time
        tDelta = newTDelta
        sampleCount += 1
        writer.setBigEndianUInt16(UInt16(sampleCount), at: 0)
    }
}
