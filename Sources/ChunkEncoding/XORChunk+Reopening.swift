// Reopening an encoded XOR chunk for appending, and the Prometheus 2.x trailing-byte form (spec §3.1, §3.3).

extension XORChunk {
    /// Reopens an encoded chunk to append more samples, as Prometheus's `XORChunk.Appender()` does.
    ///
    /// The chunk is replayed with ``XORIterator``; the appender takes the iterator's state, including
    /// its XOR window, which starts at `leading = trailing = 0` (not `0xFF`). So if the chunk never
    /// wrote a window (one sample, or only repeated values), the next changed value is written as
    /// `10` + 64 bits (spec §3.3, "Reopened chunks"). An empty chunk gets a fresh `0xFF` window.
    ///
    /// Appending continues at the exact bit after the last sample: trailing bytes (the 2.x extra
    /// `0x00`, or the zeros after ``storage``) are dropped and the padding bits cleared. (By our
    /// reading of `chunkenc.FromData`, whose bit stream starts with no free bits, Prometheus would
    /// resume at the next byte boundary; not verified, and not copied: it is only valid when the
    /// stream ends on a boundary.)
    ///
    /// - Parameter bytes: an XOR chunk, header included.
    /// - Throws: `DecodeError` if the chunk is truncated or corrupt.
    /// - Complexity: O(samples in the chunk).
    package init(reopening bytes: [UInt8]) throws(DecodeError) {
        var it = XORIterator(bytes)
        var first: Int64 = 0
        var previousBits: UInt64 = 0
        var lastValueWidth: UInt8 = 0
        while it.next() {
            if it._read == 1 {
                first = it._t
                lastValueWidth = 64
            } else {
                lastValueWidth = it._valueBits == previousBits ? 0 : 64 - it._leading - it._trailing
            }
            previousBits = it._valueBits
        }
        if let error = it.error { throw error }
        self.init()
        guard it._read > 0 else { return }
        // Keep exactly the bits of the samples; clear the rest of the last byte.
        let endBit = it._reader.bitPosition
        let free = (8 - endBit % 8) % 8
        _writer = BitWriter(resuming: Array(bytes[0..<((endBit + 7) / 8)]), freeBitsInLastByte: free)
        _count = it._read
        _minTime = first
        _t = it._t
        _valueBits = it._valueBits
        _tDelta = it._tDelta
        _leading = it._leading
        _trailing = it._trailing
        _lastValueWidth = lastValueWidth
    }

    /// True when Prometheus 2.x (≤ 2.55) would have written one extra trailing `0x00` for this chunk.
    ///
    /// The old `bstream.writeByte` left an empty byte behind when it wrote on a byte boundary, so the
    /// extra byte appears exactly when the last primitive written was a whole-byte write starting on a
    /// byte boundary (spec §3.1). The last field of a sample is always its value, so that is: the
    /// stream ends on a byte boundary and the last value field was a non-empty multiple of 8 bits
    /// (always the case for a one-sample chunk: 64 raw bits after the byte-aligned varint).
    package var hasLegacy242TrailingByte: Bool {
        _count > 0 && _writer.isByteAligned && _lastValueWidth != 0 && _lastValueWidth % 8 == 0
    }

    /// The chunk as Prometheus 2.42 writes it: ``bytes``, plus one `0x00` when
    /// ``hasLegacy242TrailingByte`` is true. Both forms are valid for 2.x and 3.x readers.
    package var legacy242Bytes: [UInt8] {
        hasLegacy242TrailingByte ? bytes + [0] : bytes
    }
}
