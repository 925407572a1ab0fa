// Appending to a float-histogram chunk with Prometheus's rules (`AppendFloatHistogram` and
// `appendable` in tsdb/chunkenc/float_histogram.go); the shared flow is in HistogramChunkAppending.swift.

package import MetricModel

extension FloatHistogramChunk: HistogramChunkAppending {
    /// Appends a sample the way Prometheus's head does (`AppendFloatHistogram`, `appendOnly` false).
    ///
    /// Same contract as ``HistogramChunk/append(_:_:previous:)``. The headers differ from integer
    /// chunks as Prometheus's do: a chunk cut for a reason other than a counter reset (schema or
    /// threshold change, after a stale marker, after a gauge chunk) gets `.unknown`, and a chunk
    /// continuing from `previous` gets `.counterReset` or `.notCounterReset`, never `.unknown`.
    ///
    /// - Precondition: bucket counts match spans; the chunk holds fewer than 65535 samples.
    package mutating func append(
        _ t: Int64, _ h: FloatHistogram, previous: FloatHistogramChunk? = nil
    ) -> HistogramAppendResult<FloatHistogramChunk> {
        appendSample(t, h, previous: previous)
    }

    var lastSampleIsStale: Bool { last.sum.isStale }

    /// Prometheus's `appendable` for counter float histograms; the header is `.counterReset` for a
    /// reset, `.unknown` for any other reason not to append.
    func appendability(of h: FloatHistogram) -> (inserts: HistogramInserts?, header: CounterResetHeader) {
        if !isEmpty && counterResetHeader == .gauge { return (nil, .unknown) }
        if h.counterResetHint == .counterReset { return (nil, .counterReset) }
        if StaleNaN.isStale(h.sum) { return (HistogramInserts(), .notCounterReset) }
        if lastSampleIsStale { return (nil, .unknown) }
        if h.count < last.count.value { return (nil, .counterReset) }
        switch HistogramInserts.layoutChange(chunk: layout, sample: h.chunkLayout) {
        case .schemaOrThreshold: return (nil, .unknown)
        case .customBounds: return (nil, .counterReset)
        case nil: break
        }
        if h.zeroCount < last.zeroCount.value { return (nil, .counterReset) }
        guard
            let positive = HistogramLayoutChange.expand(
                layout.positiveSpans, h.positiveSpans, aCounts: last.positiveBuckets.map(\.value),
                bCounts: h.positiveBuckets, deltas: false),
            let negative = HistogramLayoutChange.expand(
                layout.negativeSpans, h.negativeSpans, aCounts: last.negativeBuckets.map(\.value),
                bCounts: h.negativeBuckets, deltas: false)
        else { return (nil, .counterReset) }
        return (HistogramInserts(positive: positive, negative: negative), .notCounterReset)
    }

    /// Prometheus sets `CounterReset` or `NotCounterReset` for a chunk continuing from this one.
    func headerOfNextChunk(startingWith h: FloatHistogram) -> CounterResetHeader {
        appendability(of: h).header == .counterReset ? .counterReset : .notCounterReset
    }

    func decodedSamples() -> [(Int64, FloatHistogram)] {
        var iterator = makeIterator()
        var samples: [(Int64, FloatHistogram)] = []
        while iterator.next() { samples.append((iterator.timestamp, iterator.floatHistogram)) }
        return samples
    }
}
