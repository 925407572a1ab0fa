// ProtobufReader: a bounds-checked reader of the protobuf wire format over a range of a byte
// array, for the protobuf exposition format (io.prometheus.client.MetricFamily). Every read
// checks its bounds and throws `ExpositionError` (`.invalidProtobuf`); nothing traps.
// Wire format: https://protobuf.dev/programming-guides/encoding/.

/// The wire type in the low three bits of a field key.
enum WireType: UInt8 {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5
}

/// Reads protobuf fields from `bytes[offset..<end]`.
///
/// ```swift
/// var reader = ProtobufReader(bytes, 0..<bytes.count)
/// while !reader.isAtEnd {
///     let (field, wire) = try reader.key()
///     if field == 1 && wire == .varint { print(try reader.varint()) } else { try reader.skip(wire) }
/// }
/// ```
struct ProtobufReader {
    let bytes: [UInt8]
    private(set) var offset: Int
    let end: Int

    /// A reader of `range` of `bytes`; the range must lie within the array.
    init(_ bytes: [UInt8], _ range: Range<Int>) {
        self.bytes = bytes
        offset = range.lowerBound
        end = range.upperBound
    }

    var isAtEnd: Bool { offset >= end }

    func error(_ message: String, at position: Int? = nil) -> ExpositionError {
        ExpositionError(.invalidProtobuf, message, byteOffset: position ?? offset)
    }

    /// A base-128 varint of at most 10 bytes whose value fits 64 bits.
    mutating func varint() throws(ExpositionError) -> UInt64 {
        let start = offset
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < end {
            let b = bytes[offset]
            offset += 1
            if shift == 63 && b > 1 { throw error("proto: integer overflow in varint", at: start) }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
        throw error("proto: unexpected end of data in varint", at: start)
    }

    /// A field key: the field number (≥ 1) and a known wire type.
    mutating func key() throws(ExpositionError) -> (field: UInt64, wire: WireType) {
        let start = offset
        let k = try varint()
        let field = k >> 3
        guard field > 0, field <= 0x1FFF_FFFF else { throw error("proto: illegal field number \(field)", at: start) }
        guard let wire = WireType(rawValue: UInt8(k & 7)) else {
            throw error("proto: illegal wire type \(k & 7)", at: start)
        }
        return (field, wire)
    }

    /// The range of a length-delimited field's payload; the reader moves past it.
    mutating func lengthDelimited() throws(ExpositionError) -> Range<Int> {
        let start = offset
        let n = try varint()
        guard n <= UInt64(end - offset) else {
            throw error("proto: length \(n) exceeds the \(end - offset) bytes left", at: start)
        }
        let payload = offset..<(offset + Int(n))
        offset = payload.upperBound
        return payload
    }

    /// A little-endian 64-bit word (fixed64, double).
    mutating func fixed64() throws(ExpositionError) -> UInt64 {
        guard end - offset >= 8 else { throw error("proto: unexpected end of data in fixed64") }
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[offset + k]) << (8 * UInt64(k)) }
        offset += 8
        return v
    }

    mutating func double() throws(ExpositionError) -> Double { Double(bitPattern: try fixed64()) }

    /// A zigzag-encoded signed varint (sint32, sint64).
    mutating func zigzag() throws(ExpositionError) -> Int64 {
        let v = try varint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    /// Skips a field of an unknown number. Groups (deprecated) are refused.
    mutating func skip(_ wire: WireType) throws(ExpositionError) {
        switch wire {
        case .varint: _ = try varint()
        case .fixed64:
            guard end - offset >= 8 else { throw error("proto: unexpected end of data in fixed64") }
            offset += 8
        case .lengthDelimited: _ = try lengthDelimited()
        case .fixed32:
            guard end - offset >= 4 else { throw error("proto: unexpected end of data in fixed32") }
            offset += 4
        case .startGroup, .endGroup: throw error("proto: groups are not supported")
        }
    }

    /// Checks that a known field came with the wire type its declaration gives it.
    func expect(_ wire: WireType, _ expected: WireType, field name: String) throws(ExpositionError) {
        if wire != expected { throw error("proto: wrong wire type \(wire.rawValue) for field \(name)") }
    }

    /// Reads a `repeated double` field, packed (one length-delimited run) or not (one fixed64).
    mutating func repeatedDouble(_ wire: WireType, field name: String, into out: inout [Double]) throws(ExpositionError) {
        switch wire {
        case .fixed64: out.append(try double())
        case .lengthDelimited:
            let run = try lengthDelimited()
            guard run.count % 8 == 0 else {
                throw error("proto: packed field \(name) is \(run.count) bytes, not a multiple of 8", at: run.lowerBound)
            }
            var inner = ProtobufReader(bytes, run)
            while !inner.isAtEnd { out.append(try inner.double()) }
        default: throw error("proto: wrong wire type \(wire.rawValue) for field \(name)")
        }
    }

    /// Reads a `repeated sint64` field, packed or not.
    mutating func repeatedZigzag(_ wire: WireType, field name: String, into out: inout [Int64]) throws(ExpositionError) {
        switch wire {
        case .varint: out.append(try zigzag())
        case .lengthDelimited:
            let run = try lengthDelimited()
            var inner = ProtobufReader(bytes, run)
            while !inner.isAtEnd { out.append(try inner.zigzag()) }
        default: throw error("proto: wrong wire type \(wire.rawValue) for field \(name)")
        }
    }

    /// A length-delimited field as a string; invalid UTF-8 is refused when `validate` is set.
    mutating func string(field name: String, validate: Bool) throws(ExpositionError) -> String {
        let range = try lengthDelimited()
        if validate, !GoQuote.isValidUTF8(bytes, range) {
            throw ExpositionError(.invalidUTF8, "invalid UTF-8 in field \(name)", byteOffset: range.lowerBound)
        }
        return String(decoding: bytes[range], as: UTF8.self)
    }
}

