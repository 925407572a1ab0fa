// SpanCursor: the walk over spans that every forward bucket iterator shares (Prometheus's
// regularBucketIterator / floatBucketIterator Next, without resolution changes).

/// Where a forward walk over a histogram side stands: which bucket of the bucket array comes
/// next and which schema index it has.
struct SpanCursor: Sendable {
    let spans: [BucketSpan]
    var spanPosition = 0
    var positionInSpan: UInt32 = 0
    /// Position of the next bucket in the bucket array.
    var bucketPosition = 0
    /// Schema index of the bucket last returned.
    var index: Int32 = 0

    init(spans: [BucketSpan]) { self.spans = spans }

    /// The position in the bucket array of the next bucket (its index is then `index`), or nil
    /// after the last. Stops early, as Prometheus does, when spans and buckets disagree.
    /// Zero-length spans are skipped; indexes wrap rather than trap on hostile offsets.
    mutating func next(bucketCount: Int) -> Int? {
        guard spanPosition < spans.count, bucketPosition < bucketCount else { return nil }
        var span = spans[spanPosition]
        if bucketPosition == 0 {
            index = span.offset
        } else {
            index &+= 1
        }
        while positionInSpan >= span.length {
            positionInSpan = 0
            spanPosition += 1
            guard spanPosition < spans.count else { return nil }
            span = spans[spanPosition]
            index &+= span.offset
        }
        positionInSpan += 1
        bucketPosition += 1
        return bucketPosition - 1
    }
}
