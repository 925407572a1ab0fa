// MetricFamilyEncoder: writes the protobuf exposition format — io.prometheus.client.MetricFamily
// messages, each preceded by its length as a uvarint (`encoding=delimited`) — for federation.
// The counterpart of MetricFamilyMessage's decoding, with the same field numbers.
//
// client_model's metrics.proto is proto2: a field Go sets (even to 0 or "") is written, one it
// leaves nil is not, and repeated numbers are not packed. Fields go out in field-number order,
// as Go's protobuf marshaller writes them, so our bytes are Prometheus's bytes.

package import MetricModel

/// Builds a delimited stream of `MetricFamily` messages, one family and one metric at a time.
///
/// ```swift
/// var encoder = MetricFamilyEncoder()
/// encoder.startFamily(name: "requests", type: .untyped)
/// encoder.startMetric()
/// encoder.appendLabel(name: "job", value: "api")
/// encoder.finishMetric(untyped: 42, timestampMs: 1_700_000_000_000)
/// encoder.finishFamily()
/// send(encoder.bytes)
/// ```
///
/// Complexity: O(size of the output); the scratch buffers are reused across metrics and families.
package struct MetricFamilyEncoder {
    /// `io.prometheus.client.MetricType`, with its wire values.
    package enum FamilyType: UInt64, Sendable {
        case counter = 0
        case gauge = 1
        case summary = 2
        case untyped = 3
        case histogram = 4
        case gaugeHistogram = 5
    }

    /// The finished, delimited families.
    package var bytes: [UInt8] { output.bytes }

    private var output = ProtobufWriter()
    private var family = ProtobufWriter()
    private var metric = ProtobufWriter()
    private var histogram = ProtobufWriter()
    /// A label pair, span or bucket: the innermost messages.
    private var item = ProtobufWriter()
    private var familyOpen = false

    package init() {}

    /// Finishes the open family (if any) and starts one with `name` and `type` (no help).
    package mutating func startFamily(name: String, type: FamilyType) {
        finishFamily()
        family.reset()
        family.string(1, name)
        family.varint(3, type.rawValue)
        familyOpen = true
    }

    /// Appends the open family to the output; nothing when none is open.
    package mutating func finishFamily() {
        guard familyOpen else { return }
        output.delimited(family)
        familyOpen = false
    }

    /// Starts a metric of the open family; add its labels, then finish it with its value.
    package mutating func startMetric() { metric.reset() }

    /// A `LabelPair` of the current metric, in the order given (an empty value is still written).
    package mutating func appendLabel(name: String, value: String) {
        item.reset()
        item.string(1, name)
        item.string(2, value)
        metric.message(1, item)
    }

    /// Ends the current metric with an `Untyped` value and its timestamp.
    package mutating func finishMetric(untyped value: Double, timestampMs: Int64) {
        item.reset()
        item.double(1, value)
        metric.message(5, item)
        metric.varint(6, UInt64(bitPattern: timestampMs))
        family.message(4, metric)
    }

    /// Ends the current metric with a native histogram of float counts, as Prometheus's
    /// federation writes it (`makeNativeHistogram`): `sample_count_float`, `sample_sum`,
    /// `schema`, `zero_threshold`, `zero_count_float`, the spans and absolute bucket counts
    /// (`negative_count`, `positive_count`; no deltas), and the timestamp.
    package mutating func finishMetric(nativeHistogram h: FloatHistogram, timestampMs: Int64) {
        histogram.reset()
        histogram.double(2, h.sum)
        histogram.double(4, h.count)
        histogram.sint32(5, h.schema)
        histogram.double(6, h.zeroThreshold)
        histogram.double(8, h.zeroCount)
        appendSpans(9, h.negativeSpans)
        for count in h.negativeBuckets { histogram.double(11, count) }
        appendSpans(12, h.positiveSpans)
        for count in h.positiveBuckets { histogram.double(14, count) }
        finishHistogramMetric(timestampMs: timestampMs)
    }

    /// Ends the current metric with a classic histogram of float counts (`sample_count_float`,
    /// `sample_sum`, and a `Bucket` with `upper_bound` and `cumulative_count_float` per bound; the
    /// `+Inf` bucket is optional in this format) and the timestamp.
    package mutating func finishMetric(
        classicHistogram buckets: [(upperBound: Double, cumulativeCount: Double)], count: Double, sum: Double,
        timestampMs: Int64
    ) {
        histogram.reset()
        histogram.double(2, sum)
        for bucket in buckets {
            item.reset()
            item.double(2, bucket.upperBound)
            item.double(4, bucket.cumulativeCount)
            histogram.message(3, item)
        }
        histogram.double(4, count)
        finishHistogramMetric(timestampMs: timestampMs)
    }

    private mutating func finishHistogramMetric(timestampMs: Int64) {
        metric.varint(6, UInt64(bitPattern: timestampMs))
        metric.message(7, histogram)
        family.message(4, metric)
    }

    private mutating func appendSpans(_ field: UInt64, _ spans: [BucketSpan]) {
        for span in spans {
            item.reset()
            item.sint32(1, span.offset)
            item.varint(2, UInt64(span.length))
            histogram.message(field, item)
        }
    }
}
