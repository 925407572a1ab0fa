// The text of native histograms as Prometheus's String() prints them, which PromQL test output
// and error messages show: {count:3, sum:5.5, [-1,-0.5):1, [-0.001,0.001]:1, (1,2]:1}.

extension FloatHistogram: CustomStringConvertible {
    /// Prometheus's `FloatHistogram.String()`: count and sum as Go's `%g`, then every bucket with
    /// a count other than 0 from the lowest to the highest: negative, zero, positive.
    ///
    /// ```swift
    /// FloatHistogram(zeroThreshold: 0.001, zeroCount: 1, count: 3, sum: 5.5,
    ///                positiveSpans: [BucketSpan(offset: 1, length: 1)], positiveBuckets: [1],
    ///                negativeSpans: [BucketSpan(offset: 0, length: 1)], negativeBuckets: [1]).description
    /// // "{count:3, sum:5.5, [-1,-0.5):1, [-0.001,0.001]:1, (1,2]:1}"
    /// ```
    package var description: String {
        histogramText(
            count: goFormatG(count), sum: sum, negative: negativeBucketIterator(),
            zero: zeroCount != 0 ? zeroBucket : nil, positive: positiveBucketIterator(), countText: goFormatG)
    }
}

extension Histogram: CustomStringConvertible {
    /// Prometheus's `Histogram.String()`: like `FloatHistogram`'s, with integer counts.
    package var description: String {
        histogramText(
            count: String(count), sum: sum, negative: negativeBucketIterator(),
            zero: zeroCount != 0 ? zeroBucket : nil, positive: positiveBucketIterator(), countText: { String($0) })
    }
}

/// `{count:…, sum:…` and the non-empty buckets: `negative` comes from the zero bucket down and is
/// printed reversed, as Prometheus collects and prints it.
private func histogramText<Count: AdditiveArithmetic & Sendable, Negative: Sequence, Positive: Sequence>(
    count: String, sum: Double, negative: Negative, zero: HistogramBucket<Count>?, positive: Positive,
    countText: (Count) -> String
) -> String where Negative.Element == HistogramBucket<Count>, Positive.Element == HistogramBucket<Count> {
    var text = "{count:\(count), sum:\(goFormatG(sum))"
    let negativeBuckets = negative.filter { $0.count != .zero }
    for bucket in negativeBuckets.reversed() {
        text += ", " + bucket.text(count: countText(bucket.count))
    }
    if let zero {
        text += ", " + zero.text(count: countText(zero.count))
    }
    for bucket in positive where bucket.count != .zero {
        text += ", " + bucket.text(count: countText(bucket.count))
    }
    text += "}"
    return text
}
