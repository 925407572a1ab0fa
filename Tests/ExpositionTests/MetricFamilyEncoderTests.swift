// MetricFamilyEncoder: the bytes Go's protobuf marshaller writes for client_model's proto2
// messages (fields in number order, set zeros kept, repeated doubles unpacked), and what our
// parser reads back from them.

import Exposition
import MetricModel
import Testing

@Suite struct MetricFamilyEncoderTests {
    static func le(_ v: Double) -> [UInt8] { withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }

    @Test func nativeHistogramBytesAsGoWritesThem() {
        var encoder = MetricFamilyEncoder()
        encoder.startFamily(name: "h", type: .histogram)
        encoder.startMetric()
        encoder.appendLabel(name: "job", value: "a")
        encoder.appendLabel(name: "instance", value: "")
        let h = FloatHistogram(
            schema: 0, zeroThreshold: 0, zeroCount: 1, count: 3, sum: 2,
            positiveSpans: [BucketSpan(offset: -1, length: 1)], positiveBuckets: [2])
        encoder.finishMetric(nativeHistogram: h, timestampMs: 1000)
        encoder.finishFamily()

        let histogram: [UInt8] =
            [0x11] + Self.le(2)  // sample_sum
            + [0x21] + Self.le(3)  // sample_count_float
            + [0x28, 0x00]  // schema 0, written though zero
            + [0x31] + Self.le(0)  // zero_threshold
            + [0x41] + Self.le(1)  // zero_count_float
            + [0x62, 0x04, 0x08, 0x01, 0x10, 0x01]  // positive_span {offset: -1 (zigzag 1), length: 1}
            + [0x71] + Self.le(2)  // positive_count, unpacked
        let metric: [UInt8] =
            [0x0A, 0x08, 0x0A, 0x03] + Array("job".utf8) + [0x12, 0x01] + Array("a".utf8)
            + [0x0A, 0x0C, 0x0A, 0x08] + Array("instance".utf8) + [0x12, 0x00]  // an empty value is set, so written
            + [0x30, 0xE8, 0x07]  // timestamp_ms 1000
            + [0x3A, UInt8(histogram.count)] + histogram
        let family: [UInt8] = [0x0A, 0x01, UInt8(ascii: "h"), 0x18, 0x04, 0x22, UInt8(metric.count)] + metric
        #expect(encoder.bytes == [UInt8(family.count)] + family)
    }

    @Test func classicAndUntypedBytes() {
        var encoder = MetricFamilyEncoder()
        encoder.startFamily(name: "u", type: .untyped)
        encoder.startMetric()
        encoder.finishMetric(untyped: 1.5, timestampMs: -1)
        encoder.startFamily(name: "c", type: .gaugeHistogram)
        encoder.startMetric()
        encoder.finishMetric(classicHistogram: [(0.5, 1)], count: 2, sum: 3, timestampMs: 0)
        encoder.finishFamily()

        let untyped: [UInt8] = [0x2A, 0x09, 0x09] + Self.le(1.5) + [0x30] + Array(repeating: 0xFF, count: 9) + [0x01]
        let first: [UInt8] = [0x0A, 0x01, UInt8(ascii: "u"), 0x18, 0x03, 0x22, UInt8(untyped.count)] + untyped
        let bucket: [UInt8] = [0x11] + Self.le(0.5) + [0x21] + Self.le(1)  // upper_bound, cumulative_count_float
        let histogram: [UInt8] = [0x11] + Self.le(3) + [0x1A, UInt8(bucket.count)] + bucket + [0x21] + Self.le(2)
        let metric: [UInt8] = [0x30, 0x00, 0x3A, UInt8(histogram.count)] + histogram
        let second: [UInt8] = [0x0A, 0x01, UInt8(ascii: "c"), 0x18, 0x05, 0x22, UInt8(metric.count)] + metric
        #expect(encoder.bytes == [UInt8(first.count)] + first + [UInt8(second.count)] + second)
    }

    @Test func parserReadsBackWhatWasWritten() throws {
        let native = FloatHistogram(
            schema: 3, zeroThreshold: 1e-3, zeroCount: 0.5, count: 11.5, sum: -7.25,
            positiveSpans: [BucketSpan(offset: -300, length: 2), BucketSpan(offset: 4, length: 1)], positiveBuckets: [1, 2.5, 3],
            negativeSpans: [BucketSpan(offset: 2, length: 2)], negativeBuckets: [4, 0.5])
        var encoder = MetricFamilyEncoder()
        encoder.startFamily(name: "g", type: .gaugeHistogram)
        for k in ["a", "b"] {
            encoder.startMetric()
            encoder.appendLabel(name: "k", value: k)
            encoder.finishMetric(nativeHistogram: native, timestampMs: 1_700_000_000_123)
        }
        encoder.startFamily(name: "f", type: .untyped)
        encoder.startMetric()
        encoder.appendLabel(name: "k", value: "c")
        encoder.finishMetric(untyped: -.infinity, timestampMs: 5)
        encoder.finishFamily()

        var parser = ProtobufParser(encoder.bytes)
        var entries: [String] = []
        while let entry = try parser.next() {
            switch entry {
            case .type(let name, let type): entries.append("\(name) \(type.rawValue)")
            case .histogram:
                let h = try #require(parser.floatHistogram)
                #expect(h == native)
                #expect(h.counterResetHint == .gauge)
                entries.append("\(parser.labels) @\(parser.timestamp ?? 0)")
            case .series: entries.append("\(parser.labels) \(parser.value) @\(parser.timestamp ?? 0)")
            default: break
            }
        }
        #expect(
            entries == [
                "g gaugehistogram", "{__name__=\"g\", k=\"a\"} @1700000000123", "{__name__=\"g\", k=\"b\"} @1700000000123",
                "f unknown", "{__name__=\"f\", k=\"c\"} -inf @5",
            ])
    }
}
