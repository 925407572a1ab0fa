// MetricFamilyMessage: the messages of io.prometheus.client's metrics.proto (Prometheus's
// prompb/io/prometheus/client/metrics.proto), decoded by hand into reusable structs. A family's
// metrics and a metric's labels and exemplars stay byte ranges until they are needed, as in
// Prometheus's MetricStreamingDecoder.
//
// Decoding follows proto3: unknown fields are skipped, a scalar given twice keeps the last
// value, a message given twice is merged, repeated numeric fields may be packed or not. A known
// field with the wrong wire type is an error.

internal import MetricModel

/// `MetricFamily`: name, help, type, unit, and where its `Metric` messages are.
struct MetricFamilyMessage {
    var name: Range<Int> = 0..<0
    var help: Range<Int> = 0..<0
    var unit: Range<Int> = 0..<0
    /// The raw `MetricType` enum value (0 counter … 5 gauge histogram).
    var type: Int32 = 0
    var metrics: [Range<Int>] = []

    mutating func decode(_ reader: inout ProtobufReader) throws(ExpositionError) {
        name = 0..<0
        help = 0..<0
        unit = 0..<0
        type = 0
        metrics.removeAll(keepingCapacity: true)
        while !reader.isAtEnd {
            let (field, wire) = try reader.key()
            switch field {
            case 1:
                try reader.expect(wire, .lengthDelimited, field: "MetricFamily.name")
                name = try reader.lengthDelimited()
            case 2:
                try reader.expect(wire, .lengthDelimited, field: "MetricFamily.help")
                help = try reader.lengthDelimited()
            case 3:
                try reader.expect(wire, .varint, field: "MetricFamily.type")
                type = Int32(truncatingIfNeeded: try reader.varint())
            case 4:
                try reader.expect(wire, .lengthDelimited, field: "MetricFamily.metric")
                metrics.append(try reader.lengthDelimited())
            case 5:
                try reader.expect(wire, .lengthDelimited, field: "MetricFamily.unit")
                unit = try reader.lengthDelimited()
            default: try reader.skip(wire)
            }
        }
    }
}

/// `google.protobuf.Timestamp`, converted to milliseconds as Prometheus does
/// (`seconds*1000 + nanos/1e6`, wrapping like Go's int64).
struct TimestampMessage {
    var seconds: Int64 = 0
    var nanos: Int32 = 0

    var milliseconds: Int64 { seconds &* 1000 &+ Int64(nanos / 1_000_000) }

    /// Merges the Timestamp message in the reader's next length-delimited field into `t`.
    static func merge(_ reader: inout ProtobufReader, into t: inout TimestampMessage?) throws(ExpositionError) {
        var inner = ProtobufReader(reader.bytes, try reader.lengthDelimited())
        var merged = t ?? TimestampMessage()
        try merged.merge(&inner)
        t = merged
    }

    mutating func merge(_ reader: inout ProtobufReader) throws(ExpositionError) {
        while !reader.isAtEnd {
            let (field, wire) = try reader.key()
            switch field {
            case 1:
                try reader.expect(wire, .varint, field: "Timestamp.seconds")
                seconds = Int64(bitPattern: try reader.varint())
            case 2:
                try reader.expect(wire, .varint, field: "Timestamp.nanos")
                nanos = Int32(truncatingIfNeeded: try reader.varint())
            default: try reader.skip(wire)
            }
        }
    }
}

/// `Summary`.
struct SummaryMessage {
    var sampleCount: UInt64 = 0
    var sampleSum: Double = 0
    var quantiles: [(quantile: Double, value: Double)] = []
    var start: TimestampMessage? = nil

    mutating func reset() {
        sampleCount = 0
        sampleSum = 0
        quantiles.removeAll(keepingCapacity: true)
        start = nil
    }

    mutating func merge(_ reader: inout ProtobufReader) throws(ExpositionError) {
        while !reader.isAtEnd {
            let (field, wire) = try reader.key()
            switch field {
            case 1:
                try reader.expect(wire, .varint, field: "Summary.sample_count")
                sampleCount = try reader.varint()
            case 2:
                try reader.expect(wire, .fixed64, field: "Summary.sample_sum")
                sampleSum = try reader.double()
            case 3:
                try reader.expect(wire, .lengthDelimited, field: "Summary.quantile")
                var inner = ProtobufReader(reader.bytes, try reader.lengthDelimited())
                var q = (quantile: 0.0, value: 0.0)
                while !inner.isAtEnd {
                    let (f, w) = try inner.key()
                    switch f {
                    case 1:
                        try inner.expect(w, .fixed64, field: "Quantile.quantile")
                        q.quantile = try inner.double()
                    case 2:
                        try inner.expect(w, .fixed64, field: "Quantile.value")
                        q.value = try inner.double()
                    default: try inner.skip(w)
                    }
                }
                quantiles.append(q)
            case 4:
                try reader.expect(wire, .lengthDelimited, field: "Summary.start_timestamp")
                try TimestampMessage.merge(&reader, into: &start)
            default: try reader.skip(wire)
            }
        }
    }
}

/// `Bucket` of a classic histogram.
struct BucketMessage {
    var cumulativeCount: UInt64 = 0
    var cumulativeCountFloat: Double = 0
    var upperBound: Double = 0
    /// The payloads of its `exemplar` field (merged when read).
    var exemplar: [Range<Int>] = []

    /// `cumulative_count_float` when it is not 0, else `cumulative_count` (Prometheus's rule).
    var count: Double { cumulativeCountFloat != 0 ? cumulativeCountFloat : Double(cumulativeCount) }

    static func decode(_ reader: inout ProtobufReader) throws(ExpositionError) -> BucketMessage {
        var b = BucketMessage()
        while !reader.isAtEnd {
            let (field, wire) = try reader.key()
            switch field {
            case 1:
                try reader.expect(wire, .varint, field: "Bucket.cumulative_count")
                b.cumulativeCount = try reader.varint()
            case 2:
                try reader.expect(wire, .fixed64, field: "Bucket.upper_bound")
                b.upperBound = try reader.double()
            case 3:
                try reader.expect(wire, .lengthDelimited, field: "Bucket.exemplar")
                b.exemplar.append(try reader.lengthDelimited())
            case 4:
                try reader.expect(wire, .fixed64, field: "Bucket.cumulative_count_float")
                b.cumulativeCountFloat = try reader.double()
            default: try reader.skip(wire)
            }
        }
        return b
    }
}

/// `Histogram`: the classic buckets and the native (sparse) part.
struct HistogramMessage {
    var sampleCount: UInt64 = 0
    var sampleCountFloat: Double = 0
    var sampleSum: Double = 0
    var buckets: [BucketMessage] = []
    var start: TimestampMessage? = nil
    var schema: Int32 = 0
    var zeroThreshold: Double = 0
    var zeroCount: UInt64 = 0
    var zeroCountFloat: Double = 0
    var negativeSpans: [BucketSpan] = []
    var negativeDeltas: [Int64] = []
    var negativeCounts: [Double] = []
    var positiveSpans: [BucketSpan] = []
    var positiveDeltas: [Int64] = []
    var positiveCounts: [Double] = []
    var exemplars: [Range<Int>] = []

    mutating func reset() {
        sampleCount = 0
        sampleCountFloat = 0
        sampleSum = 0
        buckets.removeAll(keepingCapacity: true)
        start = nil
        schema = 0
        zeroThreshold = 0
        zeroCount = 0
        zeroCountFloat = 0
        negativeSpans.removeAll(keepingCapacity: true)
        negativeDeltas.removeAll(keepingCapacity: true)
        negativeCounts.removeAll(keepingCapacity: true)
        positiveSpans.removeAll(keepingCapacity: true)
        positiveDeltas.removeAll(keepingCapacity: true)
        positiveCounts.removeAll(keepingCapacity: true)
        exemplars.removeAll(keepingCapacity: true)
    }

    /// `sample_count_float` when it is not 0, else `sample_count` (the classic `_count`).
    var count: Double { sampleCountFloat != 0 ? sampleCountFloat : Double(sampleCount) }

    /// Prometheus's `isNativeHistogram`: any span, a zero threshold or an (integer) zero count.
    /// A native histogram without observations and threshold needs a no-op span to say so.
    var isNative: Bool {
        !positiveSpans.isEmpty || !negativeSpans.isEmpty || zeroThreshold > 0 || zeroCount > 0
    }

    /// A float histogram when either float count field is positive (Prometheus's rule).
    var isFloat: Bool { sampleCountFloat > 0 || zeroCountFloat > 0 }

    mutating func merge(_ reader: inout ProtobufReader) throws(ExpositionError) {
        while !reader.isAtEnd {
            let (field, wire) = try reader.key()
            switch field {
            case 1:
                try reader.expect(wire, .varint, field: "Histogram.sample_count")
                sampleCount = try reader.varint()
            case 2:
                try reader.expect(wire, .fixed64, field: "Histogram.sample_sum")
                sampleSum = try reader.double()
            case 3:
                try reader.expect(wire, .lengthDelimited, field: "Histogram.bucket")
                var inner = ProtobufReader(reader.bytes, try reader.lengthDelimited())
                buckets.append(try BucketMessage.decode(&inner))
            case 4:
                try reader.expect(wire, .fixed64, field: "Histogram.sample_count_float")
                sampleCountFloat = try reader.double()
            case 5:
                try reader.expect(wire, .varint, field: "Histogram.schema")
                schema = Self.zigzag32(try reader.varint())
            case 6:
                try reader.expect(wire, .fixed64, field: "Histogram.zero_threshold")
                zeroThreshold = try reader.double()
            case 7:
                try reader.expect(wire, .varint, field: "Histogram.zero_count")
                zeroCount = try reader.varint()
            case 8:
                try reader.expect(wire, .fixed64, field: "Histogram.zero_count_float")
                zeroCountFloat = try reader.double()
            case 9:
                try reader.expect(wire, .lengthDelimited, field: "Histogram.negative_span")
                negativeSpans.append(try Self.span(&reader))
            case 10: try reader.repeatedZigzag(wire, field: "Histogram.negative_delta", into: &negativeDeltas)
            case 11: try reader.repeatedDouble(wire, field: "Histogram.negative_count", into: &negativeCounts)
            case 12:
                try reader.expect(wire, .lengthDelimited, field: "Histogram.positive_span")
                positiveSpans.append(try Self.span(&reader))
            case 13: try reader.repeatedZigzag(wire, field: "Histogram.positive_delta", into: &positiveDeltas)
            case 14: try reader.repeatedDouble(wire, field: "Histogram.positive_count", into: &positiveCounts)
            case 15:
                try reader.expect(wire, .lengthDelimited, field: "Histogram.start_timestamp")
                try TimestampMessage.merge(&reader, into: &start)
            case 16:
                try reader.expect(wire, .lengthDelimited, field: "Histogram.exemplars")
                exemplars.append(try reader.lengthDelimited())
            default: try reader.skip(wire)
            }
        }
    }

    /// sint32 as Go decodes it: the low 32 bits of the varint, zigzag-decoded.
    static func zigzag32(_ v: UInt64) -> Int32 {
        let u = UInt32(truncatingIfNeeded: v)
        return Int32(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    /// A `BucketSpan` message: offset (sint32), length (uint32, truncated like Go's decoder).
    private static func span(_ reader: inout ProtobufReader) throws(ExpositionError) -> BucketSpan {
        var inner = ProtobufReader(reader.bytes, try reader.lengthDelimited())
        var span = BucketSpan(offset: 0, length: 0)
        while !inner.isAtEnd {
            let (field, wire) = try inner.key()
            switch field {
            case 1:
                try inner.expect(wire, .varint, field: "BucketSpan.offset")
                span.offset = zigzag32(try inner.varint())
            case 2:
                try inner.expect(wire, .varint, field: "BucketSpan.length")
                span.length = UInt32(truncatingIfNeeded: try inner.varint())
            default: try inner.skip(wire)
            }
        }
        return span
    }
}

/// `Metric`: one series (or one summary/histogram) of a family. Labels stay byte ranges.
struct MetricMessage {
    /// Payloads of the `label` (LabelPair) fields.
    var labels: [Range<Int>] = []
    var timestampMs: Int64 = 0
    var gauge: Double = 0
    var untyped: Double = 0
    var counter: Double = 0
    var counterExemplar: [Range<Int>] = []
    var counterStart: TimestampMessage? = nil
    var summary = SummaryMessage()
    var histogram = HistogramMessage()

    mutating func decode(_ reader: inout ProtobufReader) throws(ExpositionError) {
        labels.removeAll(keepingCapacity: true)
        timestampMs = 0
        gauge = 0
        untyped = 0
        counter = 0
        counterExemplar.removeAll(keepingCapacity: true)
        counterStart = nil
        summary.reset()
        histogram.reset()
        while !reader.isAtEnd {
            let (field, wire) = try reader.key()
            switch field {
            case 1:
                try reader.expect(wire, .lengthDelimited, field: "Metric.label")
                labels.append(try reader.lengthDelimited())
            case 2:
                try reader.expect(wire, .lengthDelimited, field: "Metric.gauge")
                gauge = try Self.singleValue(&reader, message: "Gauge", previous: gauge)
            case 3:
                try reader.expect(wire, .lengthDelimited, field: "Metric.counter")
                try mergeCounter(&reader)
            case 4:
                try reader.expect(wire, .lengthDelimited, field: "Metric.summary")
                var inner = ProtobufReader(reader.bytes, try reader.lengthDelimited())
                try summary.merge(&inner)
            case 5:
                try reader.expect(wire, .lengthDelimited, field: "Metric.untyped")
                untyped = try Self.singleValue(&reader, message: "Untyped", previous: untyped)
            case 6:
                try reader.expect(wire, .varint, field: "Metric.timestamp_ms")
                timestampMs = Int64(bitPattern: try reader.varint())
            case 7:
                try reader.expect(wire, .lengthDelimited, field: "Metric.histogram")
                var inner = ProtobufReader(reader.bytes, try reader.lengthDelimited())
                try histogram.merge(&inner)
            default: try reader.skip(wire)
            }
        }
        // Exemplars are read when asked for, but malformed ones fail the metric now, as in
        // Prometheus (its decoder reads them with the metric).
        let bytes = reader.bytes
        for payload in counterExemplar { _ = try ExemplarMessage.decode(bytes, [payload]) }
        for bucket in histogram.buckets {
            for payload in bucket.exemplar { _ = try ExemplarMessage.decode(bytes, [payload]) }
        }
        for payload in histogram.exemplars { _ = try ExemplarMessage.decode(bytes, [payload]) }
    }

    private mutating func mergeCounter(_ reader: inout ProtobufReader) throws(ExpositionError) {
        var inner = ProtobufReader(reader.bytes, try reader.lengthDelimited())
        while !inner.isAtEnd {
            let (field, wire) = try inner.key()
            switch field {
            case 1:
                try inner.expect(wire, .fixed64, field: "Counter.value")
                counter = try inner.double()
            case 2:
                try inner.expect(wire, .lengthDelimited, field: "Counter.exemplar")
                counterExemplar.append(try inner.lengthDelimited())
            case 3:
                try inner.expect(wire, .lengthDelimited, field: "Counter.start_timestamp")
                try TimestampMessage.merge(&inner, into: &counterStart)
            default: try inner.skip(wire)
            }
        }
    }

    /// `Gauge` / `Untyped`: field 1, a double; `previous` stays when the field is absent (merge).
    private static func singleValue(
        _ reader: inout ProtobufReader, message: String, previous: Double
    ) throws(ExpositionError) -> Double {
        var inner = ProtobufReader(reader.bytes, try reader.lengthDelimited())
        var value = previous
        while !inner.isAtEnd {
            let (field, wire) = try inner.key()
            if field == 1 {
                try inner.expect(wire, .fixed64, field: "\(message).value")
                value = try inner.double()
            } else {
                try inner.skip(wire)
            }
        }
        return value
    }
}

/// `LabelPair` and `Exemplar` payloads.
enum LabelPairMessage {
    /// The name and value ranges of one `LabelPair` (empty ranges when absent; the last
    /// occurrence of a field wins).
    static func decode(_ reader: inout ProtobufReader) throws(ExpositionError) -> (name: Range<Int>, value: Range<Int>) {
        var name = reader.offset..<reader.offset
        var value = reader.offset..<reader.offset
        while !reader.isAtEnd {
            let (field, wire) = try reader.key()
            switch field {
            case 1:
                try reader.expect(wire, .lengthDelimited, field: "LabelPair.name")
                name = try reader.lengthDelimited()
            case 2:
                try reader.expect(wire, .lengthDelimited, field: "LabelPair.value")
                value = try reader.lengthDelimited()
            default: try reader.skip(wire)
            }
        }
        return (name, value)
    }
}

/// `Exemplar`, merged from every occurrence of the field that holds it.
struct ExemplarMessage {
    var labels: [(name: Range<Int>, value: Range<Int>)] = []
    var value: Double = 0
    var timestamp: TimestampMessage? = nil

    static func decode(_ bytes: [UInt8], _ payloads: [Range<Int>]) throws(ExpositionError) -> ExemplarMessage {
        var e = ExemplarMessage()
        for payload in payloads {
            var reader = ProtobufReader(bytes, payload)
            while !reader.isAtEnd {
                let (field, wire) = try reader.key()
                switch field {
                case 1:
                    try reader.expect(wire, .lengthDelimited, field: "Exemplar.label")
                    var inner = ProtobufReader(bytes, try reader.lengthDelimited())
                    e.labels.append(try LabelPairMessage.decode(&inner))
                case 2:
                    try reader.expect(wire, .fixed64, field: "Exemplar.value")
                    e.value = try reader.double()
                case 3:
                    try reader.expect(wire, .lengthDelimited, field: "Exemplar.timestamp")
                    try TimestampMessage.merge(&reader, into: &e.timestamp)
                default: try reader.skip(wire)
                }
            }
        }
        return e
    }
}
