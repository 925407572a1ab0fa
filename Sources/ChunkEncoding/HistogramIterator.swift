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
package struct HistogramIterator: NativeHistogramIterator {
    package static let kind: StaticString = "histogram"
    package var cursor = HistogramChunkCursor()
    var layout = HistogramChunkLayout.Fields()
    var current = IntegerHistogramState(sum: XORField(leading: 0))

    /// An iterator over no samples.
    package init() {}

    /// Timestamp of the current sample (valid after `next()` or `seek(to:)` returned true).
    package var timestamp: Int64 { current.t }

    /// Whether the current sample is a stale marker.
    package var isStale: Bool { current.sum.isStale }

    /// The current sample with integer counts (Prometheus's `AtHistogram`).
    package var histogram: Histogram {
        if isStale { return Histogram(sum: current.sum.value) }
        return Histogram(
            counterResetHint: cursor.hint, schema: layout.schema, zeroThreshold: layout.zeroThreshold,
            zeroCount: current.zeroCount, count: current.count, sum: current.sum.value,
            positiveSpans: layout.positiveSpans, positiveBuckets: current.positiveBuckets,
            negativeSpans: layout.negativeSpans, negativeBuckets: current.negativeBuckets, customValues: layout.customValues)
    }

    /// The current sample with absolute float counts (Prometheus's `AtFloatHistogram` on an integer
    /// chunk): buckets are summed as Int64 and then converted, so counts above 2^53 stay exact sums.
    package var floatHistogram: FloatHistogram {
        if isStale { return FloatHistogram(sum: current.sum.value) }
        return FloatHistogram(
            counterResetHint: cursor.hint, schema: layout.schema, zeroThreshold: layout.zeroThreshold,
            zeroCount: Double(current.zeroCount), count: Double(current.count), sum: current.sum.value,
            positiveSpans: layout.positiveSpans, positiveBuckets: Self.absolute(current.positiveBuckets),
            negativeSpans: layout.negativeSpans, negativeBuckets: Self.absolute(current.negativeBuckets),
            customValues: layout.customValues)
    }

    private static func absolute(_ deltas: [Int64]) -> [Double] {
        var running: Int64 = 0
        return deltas.map { delta in
            running &+= delta
            return Double(running)
        }
    }

    /// Advances to the next sample. False at the end of the chunk or on error (see ``error``).
    package mutating func next() -> Bool {
        guard cursor.canAdvance else { return false }
        guard cursor.read > 0 else { return readFirst() }
        // Sample 1 is the same as later ones: its "delta" is a dod against a delta of 0.
        guard let tDod = cursor.reader.readVarbitInt(), let countDod = cursor.reader.readVarbitInt(),
            let zeroCountDod = cursor.reader.readVarbitInt()
        else { return cursor.fail(Self.kind, "truncated timestamp or count") }
        current.tDelta &+= tDod
        current.t &+= current.tDelta
        current.countDelta &+= countDod
        current.count = UInt64(bitPattern: Int64(bitPattern: current.count) &+ current.countDelta)
        current.zeroCountDelta &+= zeroCountDod
        current.zeroCount = UInt64(bitPattern: Int64(bitPattern: current.zeroCount) &+ current.zeroCountDelta)
        guard current.sum.read(from: &cursor.reader) else { return cursor.fail(Self.kind, "truncated sum") }
        if !isStale {
            guard Self.readDods(&current.positiveBuckets, &current.positiveDeltas, from: &cursor.reader),
                Self.readDods(&current.negativeBuckets, &current.negativeDeltas, from: &cursor.reader)
            else { return cursor.fail(Self.kind, "truncated bucket") }
        }
        cursor.read += 1
        return true
    }

    /// Sample 0: the layout, then raw values.
    private mutating func readFirst() -> Bool {
        // Every bucket takes at least one bit per sample.
        guard let (decoded, positiveCount, negativeCount) = cursor.readLayout(Self.kind, bitsPerBucket: 1) else { return false }
        layout = decoded
        guard let time = cursor.reader.readVarbitInt(), let count = cursor.reader.readVarbitUint(),
            let zeroCount = cursor.reader.readVarbitUint(), let sum = cursor.reader.readBits(64)
        else { return cursor.fail(Self.kind, "truncated first sample") }
        current.t = time
        current.count = count
        current.zeroCount = zeroCount
        current.sum.bits = sum
        var buckets: [Int64] = []
        for _ in 0..<(positiveCount + negativeCount) {
            guard let bucket = cursor.reader.readVarbitInt() else { return cursor.fail(Self.kind, "truncated bucket") }
            buckets.append(bucket)
        }
        current.positiveBuckets = Array(buckets[..<positiveCount])
        current.negativeBuckets = Array(buckets[positiveCount...])
        current.positiveDeltas = Array(repeating: 0, count: positiveCount)
        current.negativeDeltas = Array(repeating: 0, count: negativeCount)
        cursor.read = 1
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
}
