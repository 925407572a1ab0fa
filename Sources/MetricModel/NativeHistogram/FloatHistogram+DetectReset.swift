// Counter-reset detection between consecutive float histograms (Prometheus's
// FloatHistogram.DetectReset and detectReset), with the bucket walk that merges buckets into a
// lower schema on the fly (floatBucketIterator with a target schema).

extension FloatHistogram {
    /// Whether this histogram, following `previous`, shows a counter reset (Prometheus's
    /// `DetectReset`): its hint says so, or a count went down (total, zero bucket, any bucket,
    /// not the sum), or a populated bucket disappeared, or the resolution went up, or the zero
    /// bucket shrank or now cuts through a populated bucket. A lower schema or wider zero bucket
    /// is compared after merging `previous` the same way. Gauge histograms are compared as
    /// counters.
    ///
    /// ```swift
    /// if current.detectReset(previous: last) { /* rate: start again from current */ }
    /// ```
    /// Complexity: O(buckets of both); no allocation.
    package func detectReset(previous: FloatHistogram) -> Bool {
        switch counterResetHint {
        case .counterReset: return true
        case .notCounterReset: return false
        case .unknown, .gauge: break
        }
        if count < previous.count { return true }
        if usesCustomBuckets {
            if !previous.usesCustomBuckets { return true }
            if !HistogramSchema.customBoundsMatch(customValues, previous.customValues) {
                return detectResetWithMismatchedCustomBounds(previous)
            }
        }
        if schema > previous.schema || zeroThreshold < previous.zeroThreshold { return true }
        let widened = previous.zeroCountForLargerThreshold(zeroThreshold)
        if widened.threshold != zeroThreshold || zeroCount < widened.zeroCount { return true }
        for positive in [true, false] {
            var current = MergingBucketCursor(self, positive: positive, startAbove: zeroThreshold, targetSchema: schema)
            var earlier = MergingBucketCursor(
                previous, positive: positive, startAbove: zeroThreshold, targetSchema: schema)
            if Self.bucketsFell(&current, &earlier) { return true }
        }
        return false
    }

    /// Whether a bucket of `previous` is populated and missing in `current`, or has a larger
    /// count than there (Prometheus's `detectReset`).
    private static func bucketsFell(_ current: inout MergingBucketCursor, _ previous: inout MergingBucketCursor)
        -> Bool
    {
        guard previous.next() else { return false }
        /// Whether any bucket of `previous` from the current one on is populated.
        func restPopulated() -> Bool {
            repeat {
                if previous.count != 0 { return true }
            } while previous.next()
            return false
        }
        guard current.next() else { return restPopulated() }
        while true {
            while current.index < previous.index {
                guard current.next() else { return restPopulated() }
            }
            if current.index > previous.index {
                if previous.count != 0 { return true }
            } else if current.count < previous.count {
                return true
            }
            guard previous.next() else { return false }
        }
    }
}

/// A forward walk over one side's buckets merged into `targetSchema` (≤ the histogram's),
/// skipping exponential buckets whose upper bound is ≤ `startAbove` (Prometheus's
/// `floatBucketIterator` as `Next` / `strippedAt` use it).
struct MergingBucketCursor {
    let spans: [BucketSpan]
    let buckets: [Double]
    let schema: Int32
    let targetSchema: Int32
    let startAbove: Double
    var reachedStart: Bool
    var spanPosition = 0
    var positionInSpan: UInt32 = 0
    var bucketPosition = 0
    var originIndex: Int32 = 0
    /// The current bucket's index in `targetSchema` and its (merged) count.
    var index: Int32 = 0
    var count = 0.0

    init(_ h: FloatHistogram, positive: Bool, startAbove: Double, targetSchema: Int32) {
        precondition(
            h.usesCustomBuckets == HistogramSchema.isCustomBuckets(targetSchema) && targetSchema <= h.schema,
            "cannot merge from schema \(h.schema) to \(targetSchema)")
        spans = positive ? h.positiveSpans : h.negativeSpans
        buckets = positive ? h.positiveBuckets : h.negativeBuckets
        schema = h.schema
        self.targetSchema = targetSchema
        self.startAbove = startAbove
        reachedStart = startAbove == 0
    }

    /// Moves to the next bucket of the target schema; false after the last.
    mutating func next() -> Bool {
        while advance() {
            if !reachedStart && HistogramSchema.isExponential(targetSchema)
                && HistogramSchema.exponentialBound(index: index, schema: targetSchema) <= startAbove
            {
                continue
            }
            reachedStart = true
            return true
        }
        return false
    }

    /// Merges the origin buckets of the next target bucket, stopping before the first origin
    /// bucket of the one after (Prometheus's merge loop, which rolls back its look-ahead).
    private mutating func advance() -> Bool {
        guard spanPosition < spans.count else { return false }
        var span = spans[spanPosition]
        var origin = originIndex
        var spanAt = spanPosition
        var inSpan = positionInSpan
        var first = true
        count = 0
        merge: while true {
            if bucketPosition == 0 { origin = span.offset } else { origin &+= 1 }
            if bucketPosition >= buckets.count {
                if first { return false }
                break merge
            }
            while inSpan >= span.length {
                inSpan = 0
                spanAt += 1
                if spanAt >= spans.count {
                    if first { return false }
                    break merge
                }
                span = spans[spanAt]
                origin &+= span.offset
            }
            let target = HistogramBuckets.targetIndex(origin, from: schema, to: targetSchema)
            if first {
                index = target
                first = false
            } else if target != index {
                break merge
            }
            // Same schema: Prometheus's fast path takes the count as it is (no 0 + x).
            count = schema == targetSchema ? buckets[bucketPosition] : count + buckets[bucketPosition]
            inSpan += 1
            bucketPosition += 1
            (originIndex, spanPosition, positionInSpan) = (origin, spanAt, inSpan)
            if schema == targetSchema { break merge }
        }
        return true
    }
}
