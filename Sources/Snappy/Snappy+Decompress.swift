// Snappy block decoder: header varint and the literal / copy element loop.
// Format: google/snappy `format_description.txt`, sections 1 (preamble) and 2 (elements).
//
// Why the raw pointers are safe: every element is checked once, before it touches memory —
// a literal's length against the bytes left in the input and in the output, a copy's offset
// against the bytes already written and its length against the output left. The wide
// (8- and 16-byte) copies run only when that many bytes are in bounds; near the ends the
// exact-length slow paths run instead.

extension Snappy {
    /// Element tags: the low two bits of an element's first byte.
    private static let tagLiteral: UInt8 = 0
    private static let tagCopy1: UInt8 = 1
    private static let tagCopy2: UInt8 = 2

    /// Reads the length varint: at most 5 bytes, at most 32 bits.
    static func parseHeader(_ input: UnsafeRawBufferPointer) throws(SnappyError) -> (length: Int, byteCount: Int) {
        var value: UInt64 = 0
        for index in 0..<min(5, input.count) {
            let byte = input[index]
            value |= UInt64(byte & 0x7F) << (7 * UInt64(index))
            if byte < 0x80 {
                guard value <= UInt64(UInt32.max) else {
                    throw SnappyError(code: .invalidHeader, "declared length \(value) does not fit in 32 bits")
                }
                return (Int(value), index + 1)
            }
        }
        if input.count < 5 {
            throw SnappyError(code: .invalidHeader, "length header truncated after \(input.count) bytes")
        }
        throw SnappyError(code: .invalidHeader, "length header longer than 5 bytes")
    }

    /// Reads the header and checks the declared length against `maxLength` and against the
    /// most that the rest of the input could expand to, so a tiny input cannot make us
    /// allocate gigabytes.
    static func readHeader(
        _ input: UnsafeRawBufferPointer, maxLength: Int
    ) throws(SnappyError) -> (length: Int, byteCount: Int) {
        let header = try parseHeader(input)
        guard header.length <= maxLength else {
            throw SnappyError(code: .tooLarge, "declared length \(header.length) exceeds the limit of \(maxLength)")
        }
        // The densest element is a 3-byte copy of 64 bytes: at most 64/3 (< 22) output bytes
        // per input byte.
        let bodyCount = input.count - header.byteCount
        guard (header.length + 21) / 22 <= bodyCount else {
            throw SnappyError("declared length \(header.length) is impossible for a \(bodyCount)-byte body")
        }
        return header
    }

    /// Decodes the elements of `input[start...]` into exactly `count` bytes at `output`.
    ///
    /// `output` must have room for `count` bytes; it may be nil only when `count` is 0.
    /// Throws unless the elements produce exactly `count` bytes.
    static func decodeBody(
        _ input: UnsafeRawBufferPointer, from start: Int, into output: UnsafeMutablePointer<UInt8>?, count: Int
    ) throws(SnappyError) {
        guard start < input.count, let source = input.baseAddress else {
            if count == 0 { return }
            throw SnappyError("input ends after the header but \(count) bytes were declared")
        }
        guard count > 0, let output else {
            throw SnappyError("elements follow a header that declares 0 bytes")
        }
        let destination = UnsafeMutableRawPointer(output)
        let sourceEnd = input.count
        var s = start  // next input byte
        var d = 0  // next output byte

        while s < sourceEnd {
            let tag = source.load(fromByteOffset: s, as: UInt8.self)
            let length: Int
            let offset: Int

            switch tag & 3 {
            case tagLiteral:
                var literalLength = Int(tag >> 2) &+ 1
                s &+= 1
                if literalLength > 60 {
                    // 61...64: the length minus one follows in 1...4 little-endian bytes.
                    let extra = literalLength &- 60
                    guard sourceEnd &- s >= extra else { throw truncated("literal length", at: s &- 1) }
                    var value = 0
                    for index in 0..<extra {
                        value |= Int(source.load(fromByteOffset: s &+ index, as: UInt8.self)) << (8 &* index)
                    }
                    literalLength = value &+ 1
                    s &+= extra
                }
                guard literalLength <= sourceEnd &- s else { throw literalPastInput(literalLength, at: s) }
                guard literalLength <= count &- d else { throw pastOutput("literal", literalLength, at: d, count: count) }
                if literalLength <= 16, sourceEnd &- s >= 16, count &- d >= 16 {
                    // Fast path: two 8-byte moves; the extra bytes written are overwritten later.
                    let low = (source + s).loadUnaligned(as: UInt64.self)
                    let high = (source + s).loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                    destination.storeBytes(of: low, toByteOffset: d, as: UInt64.self)
                    destination.storeBytes(of: high, toByteOffset: d &+ 8, as: UInt64.self)
                } else {
                    (destination + d).copyMemory(from: source + s, byteCount: literalLength)
                }
                s &+= literalLength
                d &+= literalLength
                continue

            case tagCopy1:
                guard sourceEnd &- s >= 2 else { throw truncated("1-byte-offset copy", at: s) }
                length = 4 &+ Int((tag >> 2) & 7)
                offset = Int(tag & 0xE0) << 3 | Int(source.load(fromByteOffset: s &+ 1, as: UInt8.self))
                s &+= 2

            case tagCopy2:
                guard sourceEnd &- s >= 3 else { throw truncated("2-byte-offset copy", at: s) }
                length = 1 &+ Int(tag >> 2)
                offset = Int(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: s &+ 1, as: UInt16.self)))
                s &+= 3

            default:
                guard sourceEnd &- s >= 5 else { throw truncated("4-byte-offset copy", at: s) }
                length = 1 &+ Int(tag >> 2)
                offset = Int(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: s &+ 1, as: UInt32.self)))
                s &+= 5
            }

            guard offset > 0, offset <= d else { throw badOffset(offset, at: d) }
            guard length <= count &- d else { throw pastOutput("copy", length, at: d, count: count) }
            copyMatch(destination, at: d, offset: offset, length: length, count: count)
            d &+= length
        }

        guard d == count else {
            throw SnappyError("decoded \(d) bytes but the header declared \(count)")
        }
    }

    /// Copies `length` bytes from `offset` bytes back to position `d`, where the two ranges may
    /// overlap (offset < length repeats a pattern). Needs `0 < offset <= d` and
    /// `d + length <= count`; reads only bytes already written.
    @inline(__always)
    private static func copyMatch(
        _ destination: UnsafeMutableRawPointer, at d: Int, offset: Int, length: Int, count: Int
    ) {
        // Fast path: 8-byte moves, overshooting by up to 7 bytes, which must still be in bounds.
        if count &- d >= length &+ 8 {
            var from = d &- offset
            var to = d
            let end = d &+ length
            if offset < 8 {
                // Copy byte by byte until the distance is a multiple of `offset` that is at
                // least 8: then each 8-byte move reads only bytes already written and the
                // pattern keeps its period.
                var distance = offset
                while distance < 8 { distance &+= offset }
                let headEnd = min(end, d &+ distance &- offset)
                while to < headEnd {
                    destination.storeBytes(of: destination.load(fromByteOffset: from, as: UInt8.self), toByteOffset: to, as: UInt8.self)
                    from &+= 1
                    to &+= 1
                }
                from = to &- distance
            }
            while to < end {
                let word = destination.loadUnaligned(fromByteOffset: from, as: UInt64.self)
                destination.storeBytes(of: word, toByteOffset: to, as: UInt64.self)
                from &+= 8
                to &+= 8
            }
            return
        }
        // Slow path, near the end of the output: exact byte copy.
        var from = d &- offset
        for to in d..<(d &+ length) {
            destination.storeBytes(of: destination.load(fromByteOffset: from, as: UInt8.self), toByteOffset: to, as: UInt8.self)
            from &+= 1
        }
    }

    // Error construction is kept out of line so the decode loop stays small.

    @inline(never)
    private static func truncated(_ what: String, at position: Int) -> SnappyError {
        SnappyError("input ends inside a \(what) at input byte \(position)")
    }

    @inline(never)
    private static func literalPastInput(_ length: Int, at position: Int) -> SnappyError {
        SnappyError("literal of \(length) bytes at input byte \(position) runs past the end of the input")
    }

    @inline(never)
    private static func pastOutput(_ what: String, _ length: Int, at position: Int, count: Int) -> SnappyError {
        SnappyError("\(what) of \(length) bytes at output byte \(position) runs past the declared length \(count)")
    }

    @inline(never)
    private static func badOffset(_ offset: Int, at position: Int) -> SnappyError {
        SnappyError("copy offset \(offset) at output byte \(position) points outside the bytes written")
    }
}
