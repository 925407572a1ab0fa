// ProtobufWriter: the writing half of ProtobufReader — protobuf wire format appended to a
// reusable byte buffer, for the protobuf exposition format (io.prometheus.client.MetricFamily).
// Wire format: https://protobuf.dev/programming-guides/encoding/.

/// Appends protobuf fields to `bytes`; nested messages are written into a writer of their own
/// and added with ``message(_:_:)`` (their length must be known before their bytes).
///
/// ```swift
/// var label = ProtobufWriter()
/// label.string(1, "job")
/// label.string(2, "api")
/// var metric = ProtobufWriter()
/// metric.message(1, label)   // Metric.label
/// ```
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    /// Empties the buffer, keeping its capacity for the next message.
    mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    /// A base-128 varint.
    mutating func varint(_ value: UInt64) {
        var n = value
        while n >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: n) | 0x80)
            n >>= 7
        }
        bytes.append(UInt8(n))
    }

    mutating func key(_ field: UInt64, _ wire: WireType) { varint(field << 3 | UInt64(wire.rawValue)) }

    /// A `uint32`/`uint64`/enum field; `int64` values pass their bit pattern (10 bytes when negative).
    mutating func varint(_ field: UInt64, _ value: UInt64) {
        key(field, .varint)
        varint(value)
    }

    /// A `sint32` field (zigzag).
    mutating func sint32(_ field: UInt64, _ value: Int32) {
        key(field, .varint)
        varint(UInt64(UInt32(bitPattern: (value << 1) ^ (value >> 31))))
    }

    /// A `double` field: 8 bytes, little endian.
    mutating func double(_ field: UInt64, _ value: Double) {
        key(field, .fixed64)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A `string` field (written even when empty: proto2 keeps set fields).
    mutating func string(_ field: UInt64, _ value: String) {
        key(field, .lengthDelimited)
        varint(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    /// A nested message field holding `message`'s bytes.
    mutating func message(_ field: UInt64, _ message: ProtobufWriter) {
        key(field, .lengthDelimited)
        varint(UInt64(message.bytes.count))
        bytes.append(contentsOf: message.bytes)
    }

    /// `message`'s bytes preceded by their length as a varint: one record of a delimited stream.
    mutating func delimited(_ message: ProtobufWriter) {
        varint(UInt64(message.bytes.count))
        bytes.append(contentsOf: message.bytes)
    }
}
