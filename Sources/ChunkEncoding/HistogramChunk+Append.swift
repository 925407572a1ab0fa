// Appending to a histogram chunk with Prometheus's rules (`AppendHistogram` and `appendable` in
// tsdb/chunkenc/histogram.go); the flow shared with float chunks is in HistogramChunkAppending.swift.

package import MetricModel

extension HistogramChunk: HistogramChunkAppending {
    /// Appends a sample the way Prometheus's head does (`AppendHistogram` with `appendOnly` false).
    ///
    /// - Parameters:
    ///   - t: timestamp; greater than the chunk's last one (not checked).
    ///   - h: the sample; `h.counterResetHint == .gauge` marks a gauge histogram, `.counterReset`
    ///     forces a new chunk. Its bucket arrays must match its spans.
    ///   - previous: for the first sample of a chunk that continues a series, that series' previous
    ///     chunk: the counter-reset header is then worked out against it (Prometheus's `prev`
    ///     appender). Ignored for later samples.
    /// - Returns: see ``HistogramAppendResult``.
    /// - Precondition: bucket counts match spans; the chunk holds fewer than 65535 samples.
    /// - Complexity: O(buckets); a recode is O(bytes of the chunk).
    ///
    /// ```swift
    /// switch chunk.append(t, h) {
    /// case .appended, .recoded: break
    /// case .newChunk(let next): finished.append(chunk.chunkData); chunk = next
    /// }
    /// ```
    package mutating func append(_ t: Int64, _ h: Histogram, previous: HistogramChunk? = nil) -> HistogramAppendResult<HistogramChunk> {
        appendSample(t, h, previous: previous)
    }

    var lastSampleIsStale: Bool { last.sum.isStale }

    /// Prometheus's `appendable` for counter histograms.
    func appendability(of h: Histogram) -> (inserts: HistogramInserts?, header: CounterResetHeader) {
        if !isEmpty && counterResetHeader == .gauge { return (nil, .notCounterReset) }
        if h.counterResetHint == .counterReset { return (nil, .counterReset) }
        if StaleNaN.isStale(h.sum) { return (HistogramInserts(), .notCounterReset) }
        if lastSampleIsStale { return (nil, .unknown) }  // only stale samples may follow a stale one
        if h.count < last.count { return (nil, .counterReset) }
        switch HistogramInserts.layoutChange(chunk: layout, sample: h.chunkLayout) {
        // A schema or threshold change may or may not come with a reset; Prometheus does not look.
        case .schemaOrThreshold: return (nil, .unknown)
        case .customBounds: return (nil, .counterReset)
        case nil: break
        }
        if h.zeroCount < last.zeroCount { return (nil, .counterReset) }
        guard
            let positive = HistogramLayoutChange.expand(
                layout.positiveSpans, h.positiveSpans, aCounts: last.positiveBuckets, bCounts: h.positiveBuckets, deltas: true),
            let negative = HistogramLayoutChange.expand(
                layout.negativeSpans, h.negativeSpans, aCounts: last.negativeBuckets, bCounts: h.negativeBuckets, deltas: true)
        else { return (nil, .counterReset) }
        return (HistogramInserts(positive: positive, negative: negative), .notCounterReset)
    }

    /// The header `appendable` gives, as Prometheus sets it for a chunk continuing from this one.
    func headerOfNextChunk(startingWith h: Histogram) -> CounterResetHeader {
        appendability(of: h).header
    }

    func decodedSamples() -> [(Int64, Histogram)] {
        var iterator = makeIterator()
        var samples: [(Int64, Histogram)] = []
        while iterator.next() { samples.append((iterator.timestamp, iterator.histogram)) }
        return samples
    }
}
