// Float-histogram chunk (encoding 3) decoder: Prometheus's `floatHistogramIterator` as a reusable
// struct with a sticky error (tsdb/chunkenc/float_histogram.go).

package import MetricModel

/// Iterates the samples of a float-histogram chunk (encoding 3).
///
/// ```swift
/// var it = FloatHistogramIterator(chunk.bytes)
/// while it.next() {
///     let (t, h) = (it.timestamp, it.floatHistogram)
/// }
/// if let error = it.error { throw error }
/// ```
///
/// Hints, stale markers and errors behave as in ``HistogramIterator``.
/// Complexity: O(buckets) per sample; ``floatHistogram`` allocates its arrays.
package struct FloatHistogramIterator: Sendable {
    var reader = BitReader([])
    var total = 0
    var read = 0
    /// The chunk's counter-reset header.
    package private(set) var counterResetHeader = CounterResetHeader.unknown
    var layout = HistogramChunkLayout.Fields()
    var t: Int64 = 0
    var tDelta: Int64 = 0
    var observations = XORField(leading: 0)
    var zeroObservations = XORField(leading: 0)
    var sum = XORField(leading: 0)
    var positiveBuckets: [XORField] = []
    var negativeBuckets: [XORField] = []
    var errorMessage: String?

    /// An iterator over no samples.
    package init() {}

    /// An iterator over the chunk `bytes` (header included; trailing bytes are ignored).
    package init(_ bytes: [UInt8]) {
        reset(bytes)
    }

    /// Restarts on another chunk.
    package mutating func reset(_ bytes: [UInt8]) {
        self = FloatHistogramIterator()
        guard bytes.count >= HistogramChunkLayout.headerSize else {
            errorMessage = "float histogram chunk is \(bytes.count) bytes, shorter than its 3-byte header"
            return
        }
        reader.reset(bytes, byteOffset: HistogramChunkLayout.headerSize)
        total = Int(bytes[0]) << 8 | Int(bytes[1])
        counterResetHeader = CounterResetHeader(chunkByte: bytes[HistogramChunkLayout.flagByte])
    }

    /// Number of samples the chunk header announces.
    package var sampleCount: Int { total }

    /// Timestamp of the current sample (valid after `next()` or `seek(to:)` returned true).
    package var timestamp: Int64 { t }

    /// Why iteration stopped early, if it did.
    package var error: DecodeError? { errorMessage.map(DecodeError.init) }

    /// Whether the current sample is a stale marker.
    package var isStale: Bool { sum.bits == StaleNaN.bits }

    /// The current sample (Prometheus's `AtFloatHistogram`).
    package var floatHistogram: FloatHistogram {
        if isStale { return FloatHistogram(sum: sum.value) }
        return FloatHistogram(
            counterResetHint: counterResetHeader.hint(forSampleAt: read - 1), schema: layout.schema,
            zeroThreshold: layout.zeroThreshold, zeroCount: zeroObservations.value, count: observations.value,
            sum: sum.value, positiveSpans: layout.positiveSpans, positiveBuckets: positiveBuckets.map(\.value),
            negativeSpans: layout.negativeSpans, negativeBuckets: negativeBuckets.map(\.value),
            customValues: layout.customValues)
    }

    /// Advances to the next sample. False at the end of the chunk or on error (see ``error``).
    package mutating func next() -> Bool {
        guard errorMessage == nil, read < total else { return false }
        guard read > 0 else { return readFirst() }
        guard let tDod = reader.readVarbitInt() else { return fail("truncated timestamp") }
        tDelta &+= tDod
        t &+= tDelta
        guard observations.read(from: &reader), zeroObservations.read(from: &reader), sum.read(from: &reader) else {
            return fail("truncated count or sum")
        }
        if !isStale {
            for i in positiveBuckets.indices {
                guard positiveBuckets[i].read(from: &reader) else { return fail("truncated bucket") }
            }
            for i in negativeBuckets.indices {
                guard negativeBuckets[i].read(from: &reader) else { return fail("truncated bucket") }
            }
        }
        read += 1
        return true
    }

    /// Sample 0: the layout, then raw values.
    private mutating func readFirst() -> Bool {
        switch HistogramChunkLayout.read(from: &reader) {
        case .success(let decoded): layout = decoded
        case .failure(let error): return fail(error.message)
        }
        guard HistogramSchema.isValid(layout.schema) else { return fail("unsupported schema \(layout.schema)") }
        let positiveCount = HistogramChunkLayout.bucketCount(layout.positiveSpans)
        let negativeCount = HistogramChunkLayout.bucketCount(layout.negativeSpans)
        // Every bucket takes 64 bits in the first sample.
        guard positiveCount &+ negativeCount <= reader.remainingBits / 64 else {
            return fail("more buckets than the chunk has bits")
        }
        guard let time = reader.readVarbitInt() else { return fail("truncated first sample") }
        t = time
        var values: [Double] = []
        for _ in 0..<(3 + positiveCount + negativeCount) {
            guard let bits = reader.readBits(64) else { return fail("truncated first sample") }
            values.append(Double(bitPattern: bits))
        }
        observations = XORField(values[0], leading: 0)
        zeroObservations = XORField(values[1], leading: 0)
        sum = XORField(values[2], leading: 0)
        positiveBuckets = values[3..<(3 + positiveCount)].map { XORField($0, leading: 0) }
        negativeBuckets = values[(3 + positiveCount)...].map { XORField($0, leading: 0) }
        read = 1
        return true
    }

    /// Advances to the first sample with timestamp `>= t`; never moves backwards.
    package mutating func seek(to target: Int64) -> Bool {
        guard errorMessage == nil else { return false }
        while read == 0 || t < target {
            guard next() else { return false }
        }
        return true
    }

    private mutating func fail(_ what: String) -> Bool {
        errorMessage = "float histogram chunk: \(what) at sample \(read) of \(total)"
        return false
    }
}
