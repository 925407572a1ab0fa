// Native histograms in remote read: the prompb `Histogram` message to and from our histogram
// types, field for field as Prometheus's prompb/codec.go (FromIntHistogram, FromFloatHistogram,
// ToIntHistogram, ToFloatHistogram) and its remote-read client's checks (storage/remote/codec.go).

package import MetricModel
package import WireFormat

extension Prometheus_Histogram {
    /// An integer histogram sample: `count_int` and `zero_count_int` (both set even when zero,
    /// as a oneof is), the buckets as deltas, no `_float` or `_counts` fields.
    ///
    /// ```swift
    /// ts.histograms.append(Prometheus_Histogram(timestamp: 1000, h))
    /// ```
    package init(timestamp: Timestamp, _ h: Histogram) {
        self.init(
            timestamp: timestamp, sum: h.sum, schema: h.schema, zeroThreshold: h.zeroThreshold, hint: h.counterResetHint,
            positiveSpans: h.positiveSpans, negativeSpans: h.negativeSpans, customValues: h.customValues)
        countInt = h.count
        zeroCountInt = h.zeroCount
        negativeDeltas = h.negativeBuckets
        positiveDeltas = h.positiveBuckets
    }

    /// A float histogram sample: `count_float` and `zero_count_float`, absolute bucket counts.
    package init(timestamp: Timestamp, _ h: FloatHistogram) {
        self.init(
            timestamp: timestamp, sum: h.sum, schema: h.schema, zeroThreshold: h.zeroThreshold, hint: h.counterResetHint,
            positiveSpans: h.positiveSpans, negativeSpans: h.negativeSpans, customValues: h.customValues)
        countFloat = h.count
        zeroCountFloat = h.zeroCount
        negativeCounts = h.negativeBuckets
        positiveCounts = h.positiveBuckets
    }

    /// The fields integer and float histograms share (the bytes come out in field order whatever
    /// order they are set in).
    private init(
        timestamp: Timestamp, sum: Double, schema: Int32, zeroThreshold: Double, hint: CounterResetHint,
        positiveSpans: [BucketSpan], negativeSpans: [BucketSpan], customValues: [Double]
    ) {
        self.init()
        self.sum = sum
        self.schema = schema
        self.zeroThreshold = zeroThreshold
        self.negativeSpans = Self.spans(negativeSpans)
        self.positiveSpans = Self.spans(positiveSpans)
        // The hints share their numbers (UNKNOWN 0, YES 1, NO 2, GAUGE 3) with the chunk encoding.
        resetHint = ResetHint(rawValue: Int(hint.rawValue)) ?? .unknown
        self.timestamp = timestamp
        self.customValues = customValues
    }

    /// The histogram this message holds, ``DecodedHistogram/Value/checked()``: a float histogram
    /// when `count_float` is set, else an integer one (Prometheus's `IsFloatHistogram`).
    ///
    /// - Throws: `HistogramError` for an unknown schema or a histogram that is not valid.
    package func decoded() throws(HistogramError) -> DecodedHistogram.Value {
        let hint = UInt8(exactly: resetHint.rawValue).flatMap(CounterResetHint.init(rawValue:)) ?? .unknown
        let value: DecodedHistogram.Value
        if case .countFloat(let count) = self.count {
            value = .float(
                FloatHistogram(
                    counterResetHint: hint, schema: schema, zeroThreshold: zeroThreshold, zeroCount: zeroCountFloat,
                    count: count, sum: sum, positiveSpans: Self.spans(positiveSpans), positiveBuckets: positiveCounts,
                    negativeSpans: Self.spans(negativeSpans), negativeBuckets: negativeCounts, customValues: customValues))
        } else {
            value = .integer(
                Histogram(
                    counterResetHint: hint, schema: schema, zeroThreshold: zeroThreshold, zeroCount: zeroCountInt,
                    count: countInt, sum: sum, positiveSpans: Self.spans(positiveSpans), positiveBuckets: positiveDeltas,
                    negativeSpans: Self.spans(negativeSpans), negativeBuckets: negativeDeltas, customValues: customValues))
        }
        return try value.checked()
    }

    private static func spans(_ spans: [BucketSpan]) -> [Prometheus_BucketSpan] {
        spans.map { span in
            var pb = Prometheus_BucketSpan()
            pb.offset = span.offset
            pb.length = span.length
            return pb
        }
    }

    private static func spans(_ spans: [Prometheus_BucketSpan]) -> [BucketSpan] {
        spans.map { BucketSpan(offset: $0.offset, length: $0.length) }
    }
}

extension DecodedHistogram.Value {
    /// This histogram as Prometheus's remote-read client lets it through (`setCurrentHistogram`):
    /// an unknown schema refused, a schema of a newer Prometheus (9…52) reduced to 8, then
    /// validated, so that what reaches the chunk encoder and PromQL is well formed.
    ///
    /// - Throws: `HistogramError` for an unknown schema or a histogram that is not valid (spans
    ///   that do not match the buckets, negative counts, bad custom bounds…).
    package func checked() throws(HistogramError) -> Self {
        switch self {
        case .integer(var h):
            guard HistogramSchema.isKnown(h.schema) else { throw HistogramError.unknownSchema(h.schema) }
            if h.schema > HistogramSchema.exponentialMax && !h.usesCustomBuckets {
                try h.reduceResolution(to: HistogramSchema.exponentialMax)
            }
            try h.validate()
            return .integer(h)
        case .float(var h):
            guard HistogramSchema.isKnown(h.schema) else { throw HistogramError.unknownSchema(h.schema) }
            if h.schema > HistogramSchema.exponentialMax && !h.usesCustomBuckets {
                try h.reduceResolution(to: HistogramSchema.exponentialMax)
            }
            try h.validate()
            return .float(h)
        }
    }
}
