// Histogram chunk (encoding 2) decoder: Prometheus's `histogramIterator` as a reusable struct
// with a sticky error (tsdb/chunkenc/histogram.go).

package import MetricModel

/// Iterates the samples of a histogram chunk (encoding 2), as integer or float histograms.
///
/// ```swift
/// var it = HistogramIterator(chunk.bytes)
/// while it.next() {
///     let (t, h) = (it.timestamp, it.histogram)
/// }
/// if let error = it.error { throw error }
/// ```
///
/// * Counter-reset hints are those Prometheus 3.x's iterator gives (``CounterResetHeader/hint(forSampleAt:)``):
///   `.gauge` in gauge chunks, `.unknown` for the first sample, `.notCounterReset` after it. The
///   chunk's own header is ``counterResetHeader``.
/// * A stale marker comes out as `Histogram(sum: staleNaN)` (schema 0, no buckets, hint `.unknown`),
///   as in Prometheus.
/// * A truncated or corrupt chunk, or a schema Prometheus does not know, sets ``error`` and ends the
///   iteration; it never traps. Reserved schemas 9…52 (which Prometheus reduces to 8) are refused too.
///
/// Complexity: O(buckets) per sample; ``histogram`` and ``floatHistogram`` allocate their arrays.
package struct HistogramIterator: Sendable {
    var reader = BitReader([])
    var total = 0
    var read = 0
    /// The chunk's counter-reset header.
    package private(set) var counterResetHeader = CounterResetHeader.unknown
    var layout = HistogramChunkLayout.Fields()

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
    var sumBits: UInt64 = 0
    var leading: UInt8 = 0
    var trailing: UInt8 = 0
    var errorMessage: String?

    /// An iterator over no samples.
    package init() {}

    /// An iterator over the chunk `bytes` (header included; trailing bytes are ignored).
    package init(_ bytes: [UInt8]) {
        reset(bytes)
    }

    /// Restarts on another chunk, reusing this value.
    package mutating func reset(_ bytes: [UInt8]) {
        self = HistogramIterator()
        guard bytes.count >= HistogramChunkLayout.headerSize else {
            errorMessage = "histogram chunk is \(bytes.count) bytes, shorter than its 3-byte header"
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
    package var isStale: Bool { sumBits == StaleNaN.bits }

    /// The current sample with integer counts (Prometheus's `AtHistogram`).
    package var histogram: Histogram {
        if isStale { return Histogram(sum: Double(bitPattern: sumBits)) }
        return Histogram(
            counterResetHint: counterResetHeader.hint(forSampleAt: read - 1), schema: layout.schema,
            zeroThreshold: layout.zeroThreshold, zeroCount: zeroObservations, count: observations,
            sum: Double(bitPattern: sumBits), positiveSpans: layout.positiveSpans, positiveBuckets: positiveBuckets,
            negativeSpans: layout.negativeSpans, negativeBuckets: negativeBuckets, customValues: layout.customValues)
    }

    /// The current sample with absolute float counts (Prometheus's `AtFloatHistogram` on an integer
    /// chunk): buckets are summed as Int64 and then converted, so counts above 2^53 stay exact sums.
    package var floatHistogram: FloatHistogram {
        if isStale { return FloatHistogram(sum: Double(bitPattern: sumBits)) }
        return FloatHistogram(
            counterResetHint: counterResetHeader.hint(forSampleAt: read - 1), schema: layout.schema,
            zeroThreshold: layout.zeroThreshold, zeroCount: Double(zeroObservations), count: Double(observations),
            sum: Double(bitPattern: sumBits), positiveSpans: layout.positiveSpans,
            positiveBuckets: Self.absolute(positiveBuckets), negativeSpans: layout.negativeSpans,
            negativeBuckets: Self.absolute(negativeBuckets), customValues: layout.customValues)
    }

    private static func absolute(_ deltas: [Int64]) -> [Double] {
        var current: Int64 = 0
        return deltas.map { delta in
            current &+= delta
            return Double(current)
        }
    }

    /// Advances to the next sample. False at the end of the chunk or on error (see ``error``).
    package mutating func next() -> Bool {
        guard errorMessage == nil, read < total else { return false }
        guard read > 0 else { return readFirst() }
        // Sample 1 is the same as later ones: its "delta" is a dod against a delta of 0.
        guard let tDod = reader.readVarbitInt(), let countDod = reader.readVarbitInt(),
            let zeroCountDod = reader.readVarbitInt()
        else { return fail("truncated timestamp or count") }
        tDelta &+= tDod
        t &+= tDelta
        countDelta &+= countDod
        observations = UInt64(bitPattern: Int64(bitPattern: observations) &+ countDelta)
        zeroCountDelta &+= zeroCountDod
        zeroObservations = UInt64(bitPattern: Int64(bitPattern: zeroObservations) &+ zeroCountDelta)
        guard reader.readXORValue(&sumBits, leading: &leading, trailing: &trailing) else { return fail("truncated sum") }
        if !isStale {
            guard Self.readDods(&positiveBuckets, &positiveDeltas, from: &reader),
                Self.readDods(&negativeBuckets, &negativeDeltas, from: &reader)
            else {
                return fail("truncated bucket")
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
        // Every bucket takes at least one bit per sample: more buckets than bits is corruption.
        guard positiveCount >= 0, negativeCount >= 0, positiveCount &+ negativeCount <= reader.remainingBits else {
            return fail("more buckets than the chunk has bits")
        }
        guard let time = reader.readVarbitInt(), let count = reader.readVarbitUint(),
            let zeroCount = reader.readVarbitUint(), let sum = reader.readBits(64)
        else { return fail("truncated first sample") }
        t = time
        observations = count
        zeroObservations = zeroCount
        sumBits = sum
        positiveBuckets = []
        negativeBuckets = []
        for _ in 0..<positiveCount {
            guard let bucket = reader.readVarbitInt() else { return fail("truncated bucket") }
            positiveBuckets.append(bucket)
        }
        for _ in 0..<negativeCount {
            guard let bucket = reader.readVarbitInt() else { return fail("truncated bucket") }
            negativeBuckets.append(bucket)
        }
        positiveDeltas = Array(repeating: 0, count: positiveCount)
        negativeDeltas = Array(repeating: 0, count: negativeCount)
        read = 1
        return true
    }

    private static func readDods(_ buckets: inout [Int64], _ deltas: inout [Int64], from reader: inout BitReader) -> Bool {
        for i in buckets.indices {
            guard let dod = reader.readVarbitInt() else { return false }
            deltas[i] &+= dod
            buckets[i] &+= deltas[i]
        }
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
        errorMessage = "histogram chunk: \(what) at sample \(read) of \(total)"
        return false
    }
}
