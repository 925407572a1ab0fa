// Bucket layout changes inside a histogram chunk: which buckets a new sample adds or lacks, and
// how to widen bucket arrays and spans to a merged layout (Prometheus `histogram_meta.go` and
// `expandIntSpansAndBuckets` / `expandFloatSpansAndBuckets` in histogram.go / float_histogram.go).

import MetricModel

/// `count` new buckets to insert before the bucket at `position` of the original array;
/// `bucketIndex` is the schema index of the first of them (Prometheus's `Insert`).
struct BucketInsert: Equatable, Sendable {
    var position = 0
    var count = 0
    var bucketIndex = 0
}

/// Walks the schema indexes of the buckets that spans describe (Prometheus's `bucketIterator`,
/// which skips zero-length spans but keeps their offsets).
struct BucketIndexIterator {
    private let spans: [BucketSpan]
    private var span = 0
    private var bucket = -1
    private var index = -1

    init(_ spans: [BucketSpan]) {
        self.spans = spans
        if let first = spans.first { index &+= Int(first.offset) }
    }

    mutating func next() -> Int? {
        guard span < spans.count else { return nil }
        if bucket < Int(spans[span].length) - 1 {
            bucket += 1
            index &+= 1
            return index
        }
        while span < spans.count - 1 {
            span += 1
            index &+= Int(spans[span].offset) &+ 1
            bucket = 0
            if spans[span].length == 0 {
                index &-= 1
                continue
            }
            return index
        }
        return nil
    }
}

/// The numbers histogram chunks store per bucket: Int64 deltas or Double counts. Arithmetic wraps,
/// as Go's int64 does, so hostile counts cannot trap.
protocol HistogramBucketValue: Comparable, Sendable {
    static var zero: Self { get }
    static func wrappingAdd(_ a: Self, _ b: Self) -> Self
    static func wrappingNegate(_ a: Self) -> Self
}

extension Int64: HistogramBucketValue {
    static func wrappingAdd(_ a: Int64, _ b: Int64) -> Int64 { a &+ b }
    static func wrappingNegate(_ a: Int64) -> Int64 { 0 &- a }
}

extension Double: HistogramBucketValue {
    static func wrappingAdd(_ a: Double, _ b: Double) -> Double { a + b }
    static func wrappingNegate(_ a: Double) -> Double { -a }
}

enum HistogramLayoutChange {
    /// The inserts that widen layout `a` (the chunk's) to also hold the buckets of `b` (the new
    /// sample's), and the backward inserts that widen `b` by the buckets only `a` has; nil when `b`
    /// lacks a bucket `a` uses or any bucket count went down (a counter reset).
    ///
    /// - Parameters:
    ///   - aCounts, bCounts: bucket values in span order; `deltas` says whether they are deltas
    ///     (integer histograms: summed to absolute counts) or absolute counts.
    static func expand<Value: HistogramBucketValue>(
        _ a: [BucketSpan], _ b: [BucketSpan], aCounts: [Value], bCounts: [Value], deltas: Bool
    ) -> (forward: [BucketInsert], backward: [BucketInsert])? {
        var aIterator = BucketIndexIterator(a)
        var bIterator = BucketIndexIterator(b)
        var forward: [BucketInsert] = []
        var backward: [BucketInsert] = []
        var aPending = BucketInsert()
        var bPending = BucketInsert()
        var aIndex = aIterator.next()
        var bIndex = bIterator.next()
        var aPosition = 0
        var bPosition = 0
        var aCount = aIndex != nil && !aCounts.isEmpty ? aCounts[0] : .zero
        var bCount = bIndex != nil && !bCounts.isEmpty ? bCounts[0] : .zero

        func advance(
            _ iterator: inout BucketIndexIterator, _ index: inout Int?, _ position: inout Int,
            _ count: inout Value, _ counts: [Value], _ pending: inout BucketInsert, _ inserts: inout [BucketInsert]
        ) {
            if pending.count > 0 {
                inserts.append(pending)
                pending.count = 0
            }
            index = iterator.next()
            pending.position += 1
            position += 1
            if index != nil, position < counts.count {
                count = deltas ? Value.wrappingAdd(count, counts[position]) : counts[position]
            }
        }
        while true {
            switch (aIndex, bIndex) {
            case (let ai?, let bi?) where ai == bi:
                if aCount > bCount { return nil }
                advance(&aIterator, &aIndex, &aPosition, &aCount, aCounts, &aPending, &forward)
                advance(&bIterator, &bIndex, &bPosition, &bCount, bCounts, &bPending, &backward)
            case (let ai?, let bi?) where ai > bi:
                // `a` lacks a bucket of `b`: insert it into the chunk.
                addInsert(&forward, &aPending, at: bi)
                advance(&bIterator, &bIndex, &bPosition, &bCount, bCounts, &bPending, &backward)
            case (nil, let bi?):
                addInsert(&forward, &aPending, at: bi)
                advance(&bIterator, &bIndex, &bPosition, &bCount, bCounts, &bPending, &backward)
            case (let ai?, _):
                // `b` lacks a bucket of `a`: fine only if it is empty in `a`.
                guard aCount == .zero else { return nil }
                addInsert(&backward, &bPending, at: ai)
                advance(&aIterator, &aIndex, &aPosition, &aCount, aCounts, &aPending, &forward)
            case (nil, nil):
                if aPending.count > 0 { forward.append(aPending) }
                if bPending.count > 0 { backward.append(bPending) }
                return (forward, backward)
            }
        }
    }

    /// Grows the pending insert by the bucket `index`, or starts a new one when it is not adjacent.
    private static func addInsert(_ inserts: inout [BucketInsert], _ pending: inout BucketInsert, at index: Int) {
        if pending.count == 0 {
            pending.bucketIndex = index
        } else if pending.bucketIndex &+ pending.count != index {
            inserts.append(pending)
            pending.count = 0
            pending.bucketIndex = index
        }
        pending.count += 1
    }

    /// For gauge histograms: the inserts that widen `a` by the buckets only `b` has (forward), those
    /// that widen `b` by the buckets only `a` has (backward), and the merged spans
    /// (Prometheus's `expandSpansBothWays`). Counts are not compared.
    static func expandBothWays(_ a: [BucketSpan], _ b: [BucketSpan]) -> (
        forward: [BucketInsert], backward: [BucketInsert], merged: [BucketSpan]
    ) {
        var aIterator = BucketIndexIterator(a)
        var bIterator = BucketIndexIterator(b)
        var forward: [BucketInsert] = []
        var backward: [BucketInsert] = []
        var merged = SpanBuilder()
        var fPending = BucketInsert()
        var bPending = BucketInsert()
        var aIndex = aIterator.next()
        var bIndex = bIterator.next()

        func flush(_ pending: inout BucketInsert, into inserts: inout [BucketInsert]) {
            if pending.count > 0 {
                inserts.append(pending)
                pending.count = 0
            }
        }
        while true {
            switch (aIndex, bIndex) {
            case (let ai?, let bi?) where ai == bi:
                flush(&fPending, into: &forward)
                flush(&bPending, into: &backward)
                merged.add(ai)
                aIndex = aIterator.next()
                bIndex = bIterator.next()
                fPending.position += 1
                bPending.position += 1
            case (let ai?, let bi?) where ai < bi:
                bPending.count += 1
                flush(&fPending, into: &forward)
                merged.add(ai)
                fPending.position += 1
                aIndex = aIterator.next()
            case (.some, let bi?):
                fPending.count += 1
                flush(&bPending, into: &backward)
                merged.add(bi)
                bPending.position += 1
                bIndex = bIterator.next()
            case (let ai?, nil):
                bPending.count += 1
                merged.add(ai)
                aIndex = aIterator.next()
            case (nil, let bi?):
                fPending.count += 1
                merged.add(bi)
                bIndex = bIterator.next()
            case (nil, nil):
                flush(&fPending, into: &forward)
                flush(&bPending, into: &backward)
                return (forward, backward, merged.spans)
            }
        }
    }

    /// `spans` widened by the buckets of `inserts` (Prometheus's `adjustForInserts`).
    static func adjust(_ spans: [BucketSpan], for inserts: [BucketInsert]) -> [BucketSpan] {
        guard !inserts.isEmpty else { return spans }
        var iterator = BucketIndexIterator(spans)
        var merged = SpanBuilder()
        var next = 0
        var insertIndex = inserts[0].bucketIndex
        var insertsLeft = inserts[0].count

        func consumeInsert() {
            insertsLeft -= 1
            if insertsLeft == 0 {
                next += 1
                if next < inserts.count {
                    insertIndex = inserts[next].bucketIndex
                    insertsLeft = inserts[next].count
                }
            } else {
                insertIndex &+= 1
            }
        }
        var bucket = iterator.next()
        while let index = bucket {
            if next < inserts.count && insertIndex < index {
                merged.add(insertIndex)
                consumeInsert()
            } else {
                merged.add(index)
                bucket = iterator.next()
            }
        }
        while next < inserts.count {
            merged.add(insertIndex)
            consumeInsert()
        }
        return merged.spans
    }

    /// `values` with zero buckets inserted (Prometheus's `insert`): for `deltas`, each run of new
    /// buckets starts with the delta back to 0 and the next original bucket's delta is corrected.
    /// `total` is the length of the result.
    static func insert<Value: HistogramBucketValue>(
        _ values: [Value], _ inserts: [BucketInsert], total: Int, deltas: Bool
    ) -> [Value] {
        var out = [Value](repeating: .zero, count: total)
        var o = 0
        var last = Value.zero  // running absolute value, for deltas
        var next = 0
        func put(_ value: Value) {
            if o < out.count { out[o] = value }  // a short `total` drops values instead of trapping
            o += 1
        }
        func putRun(_ insert: BucketInsert, first: Bool) {
            put(deltas && first ? Value.wrappingNegate(last) : .zero)
            for _ in 1..<Swift.max(insert.count, 1) { put(.zero) }
        }
        for (i, value) in values.enumerated() {
            var first = true
            while next < inserts.count && inserts[next].position == i {
                putRun(inserts[next], first: first)
                first = false
                next += 1
            }
            put(deltas && !first ? Value.wrappingAdd(value, last) : value)
            last = Value.wrappingAdd(last, value)
        }
        while next < inserts.count {
            putRun(inserts[next], first: true)
            next += 1
            last = .zero
        }
        return out
    }
}

/// Builds spans from increasing bucket indexes (the `addBucket` closure of Prometheus's
/// `expandSpansBothWays` and `adjustForInserts`).
struct SpanBuilder {
    private(set) var spans: [BucketSpan] = []
    private var last = 0

    mutating func add(_ index: Int) {
        var offset = index &- last &- 1
        if offset == 0 && !spans.isEmpty {
            spans[spans.count - 1].length += 1
        } else {
            if spans.isEmpty { offset &+= 1 }
            spans.append(BucketSpan(offset: Int32(truncatingIfNeeded: offset), length: 1))
        }
        last = index
    }
}
