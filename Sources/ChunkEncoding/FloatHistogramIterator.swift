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
package struct FloatHistogramIterator: NativeHistogramIterator {
    package static let kind: StaticString = "float histogram"
    package var cursor = HistogramChunkCursor()
    var layout = HistogramChunkLayout.Fields()
    var current = FloatHistogramState(leading: 0)

    /// An iterator over no samples.
    package init() {}

    /// Timestamp of the current sample (valid after `next()` or `seek(to:)` returned true).
    package var timestamp: Int64 { current.t }

    /// Whether the current sample is a stale marker.
    package var isStale: Bool { current.sum.isStale }

    /// The current sample (Prometheus's `AtFloatHistogram`).
    package var floatHistogram: FloatHistogram {
        if isStale { return FloatHistogram(sum: current.sum.value) }
        return FloatHistogram(
            counterResetHint: cursor.hint, schema: layout.schema, zeroThreshold: layout.zeroThreshold,
            zeroCount: current.zeroCount.value, count: current.count.value, sum: current.sum.value,
            positiveSpans: layout.positiveSpans, positiveBuckets: current.positiveBuckets.map(\.value),
            negativeSpans: layout.negativeSpans, negativeBuckets: current.negativeBuckets.map(\.value),
            customValues: layout.customValues)
    }

    /// Advances to the next sample. False at the end of the chunk or on error (see ``error``).
    package mutating func next() -> Bool {
        guard cursor.canAdvance else { return false }
        guard cursor.read > 0 else { return readFirst() }
        guard let tDod = cursor.reader.readVarbitInt() else { return cursor.fail(Self.kind, "truncated timestamp") }
        current.tDelta &+= tDod
        current.t &+= current.tDelta
        guard current.count.read(from: &cursor.reader), current.zeroCount.read(from: &cursor.reader),
            current.sum.read(from: &cursor.reader)
        else { return cursor.fail(Self.kind, "truncated count or sum") }
        if !isStale {
            for i in current.positiveBuckets.indices {
                guard current.positiveBuckets[i].read(from: &cursor.reader) else { return cursor.fail(Self.kind, "truncated bucket") }
            }
            for i in current.negativeBuckets.indices {
                guard current.negativeBuckets[i].read(from: &cursor.reader) else { return cursor.fail(Self.kind, "truncated bucket") }
            }
        }
        cursor.read += 1
        return true
    }

    /// Sample 0: the layout, then raw values.
    private mutating func readFirst() -> Bool {
        // Every bucket takes 64 bits in the first sample.
        guard let (decoded, positiveCount, negativeCount) = cursor.readLayout(Self.kind, bitsPerBucket: 64) else { return false }
        layout = decoded
        guard let time = cursor.reader.readVarbitInt() else { return cursor.fail(Self.kind, "truncated first sample") }
        current.t = time
        var values: [XORField] = []
        for _ in 0..<(3 + positiveCount + negativeCount) {
            guard let bits = cursor.reader.readBits(64) else { return cursor.fail(Self.kind, "truncated first sample") }
            values.append(XORField(Double(bitPattern: bits), leading: 0))
        }
        current.count = values[0]
        current.zeroCount = values[1]
        current.sum = values[2]
        current.positiveBuckets = Array(values[3..<(3 + positiveCount)])
        current.negativeBuckets = Array(values[(3 + positiveCount)...])
        cursor.read = 1
        return true
    }
}
