// Native histograms in remote write: the `Histogram` message, the same in 1.0 (`prometheus.Histogram`,
// TimeSeries field 4) and 2.0 (`io.prometheus.write.v2.Histogram`, TimeSeries field 3).

package import MetricModel

/// A native-histogram sample of a series of the request: `series` indexes `WriteRequest.series`.
package struct DecodedHistogram: Sendable {
    /// Integer counts (`count_int`) or float counts (`count_float`), as the sender chose.
    package enum Value: Sendable {
        case integer(Histogram)
        case float(FloatHistogram)
    }

    package var series: Int
    package var timestamp: Timestamp
    package var value: Value

    package init(series: Int, timestamp: Timestamp, value: Value) {
        self.series = series
        self.timestamp = timestamp
        self.value = value
    }
}

extension WriteRequest {
    /// Decodes a `Histogram` message of the series that will be `series.count`.
    ///
    /// A histogram is a float histogram when `count_float` is set (Prometheus's
    /// `IsFloatHistogram`); integer ones take `count_int`, `zero_count_int` and the delta-encoded
    /// bucket fields, float ones `count_float`, `zero_count_float` and the absolute counts.
    /// Packed and unpacked repeated fields are both read. The histogram is not validated here:
    /// the appender does that, so an invalid one is refused as a sample, not as a malformed body.
    static func decodeHistogram(_ r: ProtoReader, series: Int) throws(RemoteWriteError) -> DecodedHistogram {
        var reader = r
        var isFloat = false
        var countInt: UInt64 = 0
        var countFloat = 0.0
        var zeroCountInt: UInt64 = 0
        var zeroCountFloat = 0.0
        var sum = 0.0
        var schema: Int32 = 0
        var zeroThreshold = 0.0
        var positiveSpans: [BucketSpan] = []
        var negativeSpans: [BucketSpan] = []
        var positiveDeltas: [Int64] = []
        var negativeDeltas: [Int64] = []
        var positiveCounts: [Double] = []
        var negativeCounts: [Double] = []
        var customValues: [Double] = []
        var hint = CounterResetHint.unknown
        var timestamp: Int64 = 0
        while !reader.isAtEnd {
            let (field, wire) = try reader.key()
            switch (field, wire) {
            case (1, 0):
                countInt = try reader.varint()
                isFloat = false
            case (2, 1):
                countFloat = Double(bitPattern: try reader.fixed64())
                isFloat = true
            case (3, 1): sum = Double(bitPattern: try reader.fixed64())
            case (4, 0): schema = Self.zigzag32(try reader.varint())
            case (5, 1): zeroThreshold = Double(bitPattern: try reader.fixed64())
            case (6, 0): zeroCountInt = try reader.varint()
            case (7, 1): zeroCountFloat = Double(bitPattern: try reader.fixed64())
            case (8, 2): negativeSpans.append(try Self.decodeSpan(&reader))
            case (9, _): try Self.readSInt64s(&reader, wire: wire, into: &negativeDeltas)
            case (10, _): try Self.readDoubles(&reader, wire: wire, into: &negativeCounts)
            case (11, 2): positiveSpans.append(try Self.decodeSpan(&reader))
            case (12, _): try Self.readSInt64s(&reader, wire: wire, into: &positiveDeltas)
            case (13, _): try Self.readDoubles(&reader, wire: wire, into: &positiveCounts)
            case (14, 0): hint = CounterResetHint(rawValue: UInt8(truncatingIfNeeded: try reader.varint())) ?? .unknown
            case (15, 0): timestamp = Int64(bitPattern: try reader.varint())
            case (16, _): try Self.readDoubles(&reader, wire: wire, into: &customValues)
            default: try reader.skip(wire)
            }
        }
        let value: DecodedHistogram.Value
        if isFloat {
            value = .float(
                FloatHistogram(
                    counterResetHint: hint, schema: schema, zeroThreshold: zeroThreshold, zeroCount: zeroCountFloat,
                    count: countFloat, sum: sum, positiveSpans: positiveSpans, positiveBuckets: positiveCounts,
                    negativeSpans: negativeSpans, negativeBuckets: negativeCounts, customValues: customValues))
        } else {
            value = .integer(
                Histogram(
                    counterResetHint: hint, schema: schema, zeroThreshold: zeroThreshold, zeroCount: zeroCountInt,
                    count: countInt, sum: sum, positiveSpans: positiveSpans, positiveBuckets: positiveDeltas,
                    negativeSpans: negativeSpans, negativeBuckets: negativeDeltas, customValues: customValues))
        }
        return DecodedHistogram(series: series, timestamp: timestamp, value: value)
    }

    /// A `BucketSpan` message: `sint32 offset = 1`, `uint32 length = 2`.
    private static func decodeSpan(_ reader: inout ProtoReader) throws(RemoteWriteError) -> BucketSpan {
        let (start, end) = try reader.lengthDelimited()
        var span = ProtoReader(reader.buffer, start, end)
        var result = BucketSpan(offset: 0, length: 0)
        while !span.isAtEnd {
            let (field, wire) = try span.key()
            switch (field, wire) {
            case (1, 0): result.offset = zigzag32(try span.varint())
            case (2, 0): result.length = UInt32(truncatingIfNeeded: try span.varint())
            default: try span.skip(wire)
            }
        }
        return result
    }

    /// Go's `sint32`: zig-zag over the low 32 bits.
    private static func zigzag32(_ raw: UInt64) -> Int32 {
        let bits = UInt32(truncatingIfNeeded: raw)
        return Int32(bitPattern: (bits >> 1) ^ (0 &- (bits & 1)))
    }

    private static func zigzag64(_ raw: UInt64) -> Int64 {
        Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// `repeated sint64`, packed (wire type 2) or one value (wire type 0).
    private static func readSInt64s(_ reader: inout ProtoReader, wire: UInt8, into values: inout [Int64]) throws(RemoteWriteError) {
        switch wire {
        case 0:
            values.append(zigzag64(try reader.varint()))
        case 2:
            let (start, end) = try reader.lengthDelimited()
            var packed = ProtoReader(reader.buffer, start, end)
            while !packed.isAtEnd { values.append(zigzag64(try packed.varint())) }
        default:
            throw RemoteWriteError("proto: wrong wire type \(wire) for a repeated sint64 field")
        }
    }

    /// `repeated double`, packed (wire type 2) or one value (wire type 1).
    private static func readDoubles(_ reader: inout ProtoReader, wire: UInt8, into values: inout [Double]) throws(RemoteWriteError) {
        switch wire {
        case 1:
            values.append(Double(bitPattern: try reader.fixed64()))
        case 2:
            let (start, end) = try reader.lengthDelimited()
            guard (end - start) % 8 == 0 else { throw RemoteWriteError("proto: packed doubles of \(end - start) bytes") }
            var packed = ProtoReader(reader.buffer, start, end)
            values.reserveCapacity(values.count + (end - start) / 8)
            while !packed.isAtEnd { values.append(Double(bitPattern: try packed.fixed64())) }
        default:
            throw RemoteWriteError("proto: wrong wire type \(wire) for a repeated double field")
        }
    }
}
