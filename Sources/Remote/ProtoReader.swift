// ProtoReader: a bounds-checked protobuf wire-format reader over a borrowed buffer.

/// Reads protobuf wire format from `buffer[start..<end]`. Every read is bounds-checked and
/// throws `RemoteWriteError` on malformed input; nothing traps.
struct ProtoReader {
    // Safety: `buffer` is borrowed for the duration of one decode call (withUnsafeBufferPointer).
    let buffer: UnsafeBufferPointer<UInt8>
    let start: Int
    var offset: Int
    let end: Int

    init(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        self.buffer = buffer
        self.start = start
        self.offset = start
        self.end = end
    }

    var isAtEnd: Bool { offset >= end }

    @inline(__always)
    mutating func varint() throws(RemoteWriteError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < end {
            let b = buffer[offset]
            offset += 1
            if shift == 63 && b > 1 { throw RemoteWriteError("proto: integer overflow") }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
        throw RemoteWriteError("proto: unexpected end of data")
    }

    @inline(__always)
    mutating func key() throws(RemoteWriteError) -> (field: UInt64, wire: UInt8) {
        let k = try varint()
        let field = k >> 3
        if field == 0 { throw RemoteWriteError("proto: illegal field number 0") }
        return (field, UInt8(k & 7))
    }

    @inline(__always)
    mutating func lengthDelimited() throws(RemoteWriteError) -> (Int, Int) {
        let n = try varint()
        guard n <= UInt64(end - offset) else { throw RemoteWriteError("proto: length \(n) exceeds message bounds") }
        let s = offset
        offset += Int(n)
        return (s, offset)
    }

    @inline(__always)
    mutating func fixed64() throws(RemoteWriteError) -> UInt64 {
        guard end - offset >= 8 else { throw RemoteWriteError("proto: unexpected end of data") }
        // Safety: 8 bytes are in bounds; loadUnaligned accepts any alignment.
        let v = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[offset..<(offset + 8)])).loadUnaligned(as: UInt64.self)
        offset += 8
        return UInt64(littleEndian: v)
    }

    mutating func skip(_ wire: UInt8) throws(RemoteWriteError) {
        switch wire {
        case 0: _ = try varint()
        case 1:
            guard end - offset >= 8 else { throw RemoteWriteError("proto: unexpected end of data") }
            offset += 8
        case 2: _ = try lengthDelimited()
        case 5:
            guard end - offset >= 4 else { throw RemoteWriteError("proto: unexpected end of data") }
            offset += 4
        default: throw RemoteWriteError("proto: unsupported wire type \(wire)")
        }
    }
}
