// Compacting the spans and buckets of one histogram side (Prometheus's compactBuckets in
// model/histogram/generic.go), shared by Histogram, FloatHistogram and Kahan sums.

extension HistogramBuckets {
    /// Prometheus's `compactBuckets`: removes empty buckets at the start and end of spans,
    /// merges spans that are adjacent or at most `maxEmptyBuckets` apart, and splits spans at
    /// runs of more than `maxEmptyBuckets` empty buckets.
    ///
    /// - Parameters:
    ///   - buckets: deltas when `deltas` is true (integer histograms), else absolute counts.
    ///   - compensation: Kahan compensation terms alongside absolute `buckets` (same length), or
    ///     nil; a bucket counts as empty only when its compensation is 0 too.
    /// Complexity: O(buckets) plus O(buckets) per merge of spans.
    package static func compact<Count: StoredBucketCount>(
        buckets: inout [Count], compensation: inout [Double]?, spans: inout [BucketSpan],
        maxEmptyBuckets: Int, deltas: Bool
    ) {
        precondition(!deltas || compensation == nil, "compensation goes with absolute counts only")
        if nothingToCompact(buckets, spans, maxEmptyBuckets: maxEmptyBuckets, deltas: deltas) { return }
        normalizeSpans(&spans)
        if spans.isEmpty {
            buckets.removeAll()
            compensation?.removeAll()
            return
        }
        cutEmptyBuckets(&buckets, &compensation, &spans, maxEmptyBuckets: maxEmptyBuckets, deltas: deltas)
        if maxEmptyBuckets == 0 || buckets.isEmpty { return }
        mergeCloseSpans(&buckets, &compensation, &spans, maxEmptyBuckets: maxEmptyBuckets, deltas: deltas)
    }

    /// The fast path: no empty bucket, no span of length 0 and no gap of ≤ `maxEmptyBuckets`.
    private static func nothingToCompact<Count: StoredBucketCount>(
        _ buckets: [Count], _ spans: [BucketSpan], maxEmptyBuckets: Int, deltas: Bool
    ) -> Bool {
        var absolute = Count.zero
        for bucket in buckets {
            absolute = deltas ? Count.plus(absolute, bucket) : bucket
            if absolute == .zero { return false }
        }
        // The first span's offset is where the buckets start, not a gap: any value is fine.
        if spans.contains(where: { $0.length == 0 }) { return false }
        return !spans.dropFirst().contains { Int($0.offset) <= maxEmptyBuckets }
    }

    /// Merges spans with offset 0 into the previous one, then drops spans of length 0 (their
    /// offset moves to the next span).
    private static func normalizeSpans(_ spans: inout [BucketSpan]) {
        if spans.count > 1 {
            var kept = 0
            for i in 1..<spans.count {
                let span = spans[i]
                if span.offset == 0 {
                    spans[kept].length &+= span.length
                    continue
                }
                kept += 1
                spans[kept] = span
            }
            spans.removeSubrange((kept + 1)...)
        }
        var kept = 0
        for i in spans.indices {
            let span = spans[i]
            if span.length == 0 {
                if i + 1 < spans.count { spans[i + 1].offset &+= span.offset }
                continue
            }
            spans[kept] = span
            kept += 1
        }
        spans.removeSubrange(kept...)
    }

    /// Cuts empty buckets out of the start and end of spans, and out of their middle where
    /// more than `maxEmptyBuckets` are in a row (splitting the span).
    private static func cutEmptyBuckets<Count: StoredBucketCount>(
        _ buckets: inout [Count], _ compensation: inout [Double]?, _ spans: inout [BucketSpan],
        maxEmptyBuckets: Int, deltas: Bool
    ) {
        var iBucket = 0
        var iSpan = 0
        var positionInSpan: UInt32 = 0
        var absolute = Count.zero

        /// How many empty buckets start at `iBucket` within the current span.
        func emptyBucketsHere() -> Int {
            var i = 0
            var current = absolute
            var currentCompensation = compensation?[iBucket] ?? 0
            while UInt32(i) + positionInSpan < spans[iSpan].length && current == .zero && currentCompensation == 0 {
                i += 1
                if i + iBucket >= buckets.count { break }
                current = buckets[i + iBucket]
                currentCompensation = compensation?[i + iBucket] ?? 0
            }
            return i
        }

        while iBucket < buckets.count && iSpan < spans.count {
            absolute = deltas ? Count.plus(absolute, buckets[iBucket]) : buckets[iBucket]
            let empty = emptyBucketsHere()
            guard empty > 0 else {
                iBucket += 1
                positionInSpan += 1
                if positionInSpan >= spans[iSpan].length {
                    positionInSpan = 0
                    iSpan += 1
                }
                continue
            }
            if positionInSpan > 0 && empty < Int(spans[iSpan].length - positionInSpan) && empty <= maxEmptyBuckets {
                // Few enough empty buckets in the middle of a span: keep them.
                iBucket += empty
                if deltas { absolute = .zero }
                positionInSpan += UInt32(empty)
                continue
            }
            if deltas && iBucket + empty < buckets.count {
                absolute = Count.minus(.zero, buckets[iBucket])
                buckets[iBucket + empty] = Count.plus(buckets[iBucket + empty], buckets[iBucket])
            }
            buckets.removeSubrange(iBucket..<(iBucket + empty))
            compensation?.removeSubrange(iBucket..<(iBucket + empty))
            if positionInSpan == 0 {
                if empty == Int(spans[iSpan].length) {
                    // The whole span is empty.
                    let offset = spans[iSpan].offset
                    spans.remove(at: iSpan)
                    if spans.count > iSpan { spans[iSpan].offset &+= offset &+ Int32(empty) }
                    continue
                }
                spans[iSpan].length -= UInt32(empty)
                spans[iSpan].offset &+= Int32(empty)
                continue
            }
            // In the middle or at the end of the span: split it.
            let rest = BucketSpan(offset: Int32(empty), length: spans[iSpan].length - positionInSpan - UInt32(empty))
            spans[iSpan].length = positionInSpan
            iSpan += 1
            positionInSpan = 0
            if rest.length == 0 {
                if iSpan < spans.count { spans[iSpan].offset &+= Int32(empty) }
                continue
            }
            spans.insert(rest, at: iSpan)
        }
    }

    /// Joins spans whose gap is at most `maxEmptyBuckets`, filling the gap with empty buckets.
    private static func mergeCloseSpans<Count: StoredBucketCount>(
        _ buckets: inout [Count], _ compensation: inout [Double]?, _ spans: inout [BucketSpan],
        maxEmptyBuckets: Int, deltas: Bool
    ) {
        var iBucket = Int(spans[0].length)
        var absolute = Count.zero
        if deltas {
            for bucket in buckets[..<iBucket] { absolute = Count.plus(absolute, bucket) }
        }
        var iSpan = 1
        while iSpan < spans.count {
            let length = Int(spans[iSpan].length)
            if Int(spans[iSpan].offset) > maxEmptyBuckets {
                if deltas {
                    for bucket in buckets[iBucket..<(iBucket + length)] { absolute = Count.plus(absolute, bucket) }
                }
                iBucket += length
                iSpan += 1
                continue
            }
            let offset = Int(spans[iSpan].offset)
            spans[iSpan - 1].length += UInt32(offset) + spans[iSpan].length
            spans.remove(at: iSpan)
            buckets.insert(contentsOf: repeatElement(Count.zero, count: offset), at: iBucket)
            if deltas {
                buckets[iBucket] = Count.minus(.zero, absolute)
                buckets[iBucket + offset] = Count.plus(buckets[iBucket + offset], absolute)
            }
            compensation?.insert(contentsOf: repeatElement(0, count: offset), at: iBucket)
            iBucket += offset
            if deltas {
                absolute = .zero
                for bucket in buckets[iBucket..<(iBucket + length)] { absolute = Count.plus(absolute, bucket) }
            }
            iBucket += length
        }
    }
}
