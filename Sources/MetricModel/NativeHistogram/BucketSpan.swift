// BucketSpan: a run of consecutive buckets of a native histogram (Prometheus's histogram.Span).

/// A run of `length` consecutive populated buckets, placed `offset` buckets after the end of the
/// previous span; the first span's offset is the index of its first bucket and may be negative.
///
/// Spans say which bucket indexes a histogram's bucket counts belong to:
///
/// ```swift
/// // Buckets at indexes 0, 1 and 5, 6, 7:
/// let spans = [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 3)]
/// ```
/// 8 bytes, as in Prometheus.
package struct BucketSpan: Sendable, Hashable {
    /// Gap to the previous span (never negative after the first span), or the first bucket's
    /// index for the first span.
    package var offset: Int32
    /// How many buckets the span covers.
    package var length: UInt32

    package init(offset: Int32, length: UInt32) {
        self.offset = offset
        self.length = length
    }
}

extension BucketSpan {
    /// Whether two span lists describe the same buckets, whatever empty spans they contain
    /// (Prometheus's `spansMatch`): zero-length spans only move the next span's offset.
    package static func layoutsMatch(_ a: [BucketSpan], _ b: [BucketSpan]) -> Bool {
        var left = a.makeIterator()
        var right = b.makeIterator()
        while true {
            let l = nextNonEmpty(&left)
            let r = nextNonEmpty(&right)
            guard let l, let r else { return l == nil && r == nil }
            if l != r { return false }
        }
    }

    /// The next span of non-zero length, its offset increased by the empty spans before it; nil
    /// when only empty spans (or none) are left.
    private static func nextNonEmpty(_ spans: inout IndexingIterator<[BucketSpan]>) -> BucketSpan? {
        var skipped: Int32 = 0
        while let span = spans.next() {
            if span.length > 0 { return BucketSpan(offset: span.offset &+ skipped, length: span.length) }
            skipped &+= span.offset
        }
        return nil
    }
}
