// Snappy block encoder: a hash-table LZ77 over 64 KiB blocks with a 4-byte minimum match,
// the same scheme as the reference encoders (google/snappy, golang/snappy's `encodeBlock`):
// the same heuristics, so similar ratio and speed, but the bytes need not be identical.
// Format: google/snappy `format_description.txt`.
//
// Why the raw pointers are safe: `encode` is given room for `maxCompressedLength` bytes, the
// reference's worst-case bound for this scheme; all reads stay inside the current block
// (4- and 8-byte loads happen only below `count - inputMargin`).

extension Snappy {
    /// Back-references never cross a block of this size; positions fit a `UInt16`.
    private static let blockSize = 1 << 16
    /// Bytes at a block's end that the match finder never starts a load in.
    private static let inputMargin = 16 - 1
    /// Blocks shorter than this are emitted as one literal.
    private static let minNonLiteralBlockSize = 1 + 1 + inputMargin
    /// Hash table entries at most (for a full 64 KiB block).
    private static let maxTableSize = 1 << 14

    /// Writes the snappy block for `input` at `output`, which must have room for
    /// `maxCompressedLength(input.count)` bytes. Returns the number of bytes written.
    static func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutablePointer<UInt8>) -> Int {
        precondition(input.count <= maxBlockLength, "snappy: cannot compress more than 4 GiB - 1 into one block")
        let destination = UnsafeMutableRawPointer(output)
        var d = 0
        var length = UInt32(input.count)
        while length >= 0x80 {
            destination.storeBytes(of: UInt8(truncatingIfNeeded: length) | 0x80, toByteOffset: d, as: UInt8.self)
            length >>= 7
            d += 1
        }
        destination.storeBytes(of: UInt8(length), toByteOffset: d, as: UInt8.self)
        d += 1

        guard let source = input.baseAddress, input.count > 0 else { return d }
        return withUnsafeTemporaryAllocation(of: UInt16.self, capacity: maxTableSize) { table in
            var start = 0
            while start < input.count {
                let blockCount = min(blockSize, input.count - start)
                if blockCount < minNonLiteralBlockSize {
                    d += emitLiteral(destination + d, from: source + start, count: blockCount)
                } else {
                    d += encodeBlock(source + start, count: blockCount, into: destination + d, table: table.baseAddress!)
                }
                start += blockCount
            }
            return d
        }
    }

    /// Compresses one block of at most 64 KiB (and at least `minNonLiteralBlockSize` bytes).
    private static func encodeBlock(
        _ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutableRawPointer,
        table: UnsafeMutablePointer<UInt16>
    ) -> Int {
        // Size the table to the block: small blocks clear and touch less memory.
        var shift: UInt32 = 32 - 8
        var tableSize = 1 << 8
        while tableSize < maxTableSize, tableSize < count {
            tableSize *= 2
            shift -= 1
        }
        table.update(repeating: 0, count: tableSize)

        let sourceLimit = count - inputMargin
        var d = 0
        var nextEmit = 0
        var s = 1
        var nextHash = hash(load32(source, s), shift)

        search: while true {
            // Look for a 4-byte match, skipping faster the longer nothing matches
            // (1 byte per probe for the first 32 probes, then 2, then 3, ...).
            var skip = 32
            var nextS = s
            var candidate = 0
            while true {
                s = nextS
                let step = skip >> 5
                nextS = s + step
                skip += step
                if nextS > sourceLimit { break search }
                candidate = Int(table[nextHash])
                table[nextHash] = UInt16(truncatingIfNeeded: s)
                nextHash = hash(load32(source, nextS), shift)
                if load32(source, s) == load32(source, candidate) { break }
            }

            // Bytes before the match go out as a literal; then emit copies for as long as the
            // byte right after a match starts another one.
            d += emitLiteral(destination + d, from: source + nextEmit, count: s - nextEmit)
            while true {
                let base = s
                s = extendMatch(source, count: count, candidate: candidate + 4, position: s + 4)
                d += emitCopy(destination + d, offset: base - candidate, length: s - base)
                nextEmit = s
                if s >= sourceLimit { break search }

                // Hash s-1 and s so the next match can start right here.
                let word = load64(source, s - 1)
                table[hash(UInt32(truncatingIfNeeded: word), shift)] = UInt16(truncatingIfNeeded: s - 1)
                let current = UInt32(truncatingIfNeeded: word >> 8)
                let currentHash = hash(current, shift)
                candidate = Int(table[currentHash])
                table[currentHash] = UInt16(truncatingIfNeeded: s)
                if current != load32(source, candidate) {
                    nextHash = hash(UInt32(truncatingIfNeeded: word >> 16), shift)
                    s += 1
                    break
                }
            }
        }

        if nextEmit < count {
            d += emitLiteral(destination + d, from: source + nextEmit, count: count - nextEmit)
        }
        return d
    }

    /// Extends a match: returns the first position at or after `position` where the bytes
    /// differ from those at `candidate` (same distance back), or `count`.
    @inline(__always)
    private static func extendMatch(_ source: UnsafeRawPointer, count: Int, candidate: Int, position: Int) -> Int {
        var i = candidate
        var s = position
        while s + 8 <= count {
            let difference = load64(source, i) ^ load64(source, s)
            if difference != 0 {
                return s + difference.trailingZeroBitCount >> 3
            }
            i += 8
            s += 8
        }
        while s < count, source.load(fromByteOffset: i, as: UInt8.self) == source.load(fromByteOffset: s, as: UInt8.self) {
            i += 1
            s += 1
        }
        return s
    }

    /// Writes a literal element: tag (with the length or the count of length bytes), then bytes.
    @inline(__always)
    private static func emitLiteral(_ destination: UnsafeMutableRawPointer, from source: UnsafeRawPointer, count: Int) -> Int {
        let n = UInt32(count - 1)
        var header: Int
        if n < 60 {
            destination.storeBytes(of: UInt8(n) << 2, as: UInt8.self)
            header = 1
        } else {
            // 60, 61, 62, 63: the length minus one follows in 1, 2, 3 or 4 bytes.
            let byteCount = n < 1 << 8 ? 1 : n < 1 << 16 ? 2 : n < 1 << 24 ? 3 : 4
            destination.storeBytes(of: UInt8(59 + byteCount) << 2, as: UInt8.self)
            for index in 0..<byteCount {
                destination.storeBytes(
                    of: UInt8(truncatingIfNeeded: n >> (8 * UInt32(index))), toByteOffset: 1 + index, as: UInt8.self)
            }
            header = 1 + byteCount
        }
        (destination + header).copyMemory(from: source, byteCount: count)
        return header + count
    }

    /// Writes copy elements for a match of `length` (>= 4) bytes `offset` (< 64 KiB) back.
    @inline(__always)
    private static func emitCopy(_ destination: UnsafeMutableRawPointer, offset: Int, length: Int) -> Int {
        var d = 0
        var length = length
        let offsetLow = UInt8(truncatingIfNeeded: offset)
        let offsetHigh = UInt8(truncatingIfNeeded: offset >> 8)
        @inline(__always) func copy2(_ length: Int) {
            destination.storeBytes(of: UInt8(length - 1) << 2 | 2, toByteOffset: d, as: UInt8.self)
            destination.storeBytes(of: offsetLow, toByteOffset: d + 1, as: UInt8.self)
            destination.storeBytes(of: offsetHigh, toByteOffset: d + 2, as: UInt8.self)
            d += 3
        }
        // Copies hold at most 64 bytes; split so the last piece is at least 4 bytes long.
        while length >= 68 {
            copy2(64)
            length -= 64
        }
        if length > 64 {
            copy2(60)
            length -= 60
        }
        if length >= 12 || offset >= 2048 {
            copy2(length)
            return d
        }
        // 4...11 bytes, offset < 2048: the 2-byte form.
        destination.storeBytes(of: offsetHigh << 5 | UInt8(length - 4) << 2 | 1, toByteOffset: d, as: UInt8.self)
        destination.storeBytes(of: offsetLow, toByteOffset: d + 1, as: UInt8.self)
        return d + 2
    }

    @inline(__always)
    private static func hash(_ word: UInt32, _ shift: UInt32) -> Int {
        Int((word &* 0x1E35_A7BD) >> shift)
    }

    @inline(__always)
    private static func load32(_ source: UnsafeRawPointer, _ offset: Int) -> UInt32 {
        UInt32(littleEndian: source.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always)
    private static func load64(_ source: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: source.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
