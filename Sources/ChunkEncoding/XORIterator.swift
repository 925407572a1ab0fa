// XOR chunk decoder: Prometheus's `xorIterator` as a reusable struct with a sticky error (spec/tsdb-format.md §3).

/// Iterates the samples of an XOR chunk (spec §3).
///
/// ```swift
/// var it = XORIterator(chunk.bytes)
/// while it.next() {
///     let (t, v) = it.at()
/// }
/// if let error = it.error { throw error }
/// ```
///
/// * Stops after `num_samples` and ignores any trailing bytes (2.x chunks may carry one extra `0x00`).
/// * Starts with the XOR window `leading = trailing = 0`, like Prometheus, so a reopened chunk's
///   `10` + 64-bit value decodes.
/// * A truncated or corrupt chunk sets ``error`` and ends the iteration; it never traps.
///
/// Complexity: O(1) per sample, no allocation. Reuse one iterator across chunks with ``reset(_:)``.
///
/// Access: `public` type with `package` members so Swift 6.3 inlines `next()` into other modules'
/// loops (see ``XORChunk``). Timestamps are `Int64` (= `Timestamp`) because `@inlinable` members of
/// a public type cannot name a `package` type alias.
public struct XORIterator: ChunkSampleIterator, Sendable {
    @usableFromInline
    var _reader: BitReader
    /// `num_samples` from the header.
    @usableFromInline
    var _total: Int
    /// Samples decoded so far.
    @usableFromInline
    var _read: Int
    @usableFromInline
    var _t: Int64
    @usableFromInline
    var _valueBits: UInt64
    @usableFromInline
    var _tDelta: UInt64
    @usableFromInline
    var _leading: UInt8
    @usableFromInline
    var _trailing: UInt8
    /// The message of the sticky error (a `String`: the `package` type `DecodeError` cannot be
    /// stored in a `@usableFromInline` property of a public type).
    @usableFromInline
    var _errorMessage: String?

    /// An iterator over no samples.
    @inlinable
    package init() {
        _reader = BitReader([])
        _total = 0
        _read = 0
        _t = 0
        _valueBits = 0
        _tDelta = 0
        _leading = 0
        _trailing = 0
        _errorMessage = nil
    }

    /// An iterator over the chunk `bytes` (header included; trailing bytes are ignored).
    @inlinable
    package init(_ bytes: [UInt8]) {
        self.init()
        reset(bytes)
    }

    /// Restarts on another chunk, reusing this value.
    @inlinable
    package mutating func reset(_ bytes: [UInt8]) {
        _reader.reset(bytes, byteOffset: 2)  // after the BE16 sample count
        _read = 0
        _t = 0
        _valueBits = 0
        _tDelta = 0
        _leading = 0
        _trailing = 0
        if bytes.count < 2 {
            _total = 0
            _failShortHeader(bytes.count)
        } else {
            _total = Int(bytes[0]) &<< 8 | Int(bytes[1])
            _errorMessage = nil
        }
    }

    /// Number of samples the chunk header announces.
    @inlinable
    package var sampleCount: Int { _total }

    /// Timestamp of the current sample (valid after `next()` or `seek(to:)` returned true).
    @inlinable
    package var timestamp: Int64 { _t }

    /// Value of the current sample.
    @inlinable
    package var value: Double { Double(bitPattern: _valueBits) }

    /// The current sample as `(timestamp, value)`.
    @inlinable
    package func at() -> (Int64, Double) { (timestamp, value) }

    /// Bit pattern of the current value.
    @inlinable
    package var valueBits: UInt64 { _valueBits }

    /// Why iteration stopped early, if it did (truncated or corrupt chunk).
    package var error: DecodeError? { _errorMessage.map(DecodeError.init) }

    /// Advances to the next sample. False at the end of the chunk or on error (see ``error``).
    @inlinable @inline(__always)
    package mutating func next() -> Bool {
        guard _errorMessage == nil, _read < _total else { return false }
        guard _read >= 2 else { return _nextOfFirstTwo() }
        // Fast path: delta-of-delta timestamp, XOR value.
        guard _readDeltaOfDelta(), _readValue() else { return false }
        _read &+= 1
        return true
    }

    /// Samples 0 and 1: `varint(t0)` + 64 raw bits, then `uvarint(t1 - t0)` + XOR value.
    @usableFromInline @inline(never)
    mutating func _nextOfFirstTwo() -> Bool {
        if _read == 0 {
            guard let zigzag = _readUvarint() else { return false }
            _t = Int64(bitPattern: (zigzag &>> 1) ^ (0 &- (zigzag & 1)))
            guard let bits = _reader.readBits(64) else { return _fail("truncated first value") }
            _valueBits = bits
        } else {
            guard let tDelta = _readUvarint() else { return false }
            _tDelta = tDelta
            _t = _t &+ Int64(bitPattern: tDelta)
            guard _readValue() else { return false }
        }
        _read &+= 1
        return true
    }

    /// Advances to the first sample with timestamp `>= t`, starting from the current sample.
    ///
    /// Like Prometheus, it never moves backwards: if the current sample is already `>= t`, it stays.
    /// False when no such sample exists or on error.
    @inlinable
    package mutating func seek(to t: Int64) -> Bool {
        guard _errorMessage == nil else { return false }
        while _read == 0 || _t < t {
            guard next() else { return false }
        }
        return true
    }

    @usableFromInline @inline(never)
    mutating func _failShortHeader(_ count: Int) {
        _errorMessage = "XOR chunk is \(count) bytes, shorter than its 2-byte header"
    }

    /// Records the error (slow path, kept out of line so the hot path stays small).
    @usableFromInline @inline(never)
    mutating func _fail(_ what: StaticString) -> Bool {
        _errorMessage = "XOR chunk: \(what) at sample \(_read) of \(_total)"
        return false
    }

    /// Go `binary.ReadUvarint` over the bit stream (at most 10 bytes, the 10th at most 1).
    @usableFromInline
    mutating func _readUvarint() -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        for i in 0..<10 {
            guard let b = _reader.readBits(8) else {
                _ = _fail("truncated timestamp varint")
                return nil
            }
            if b < 0x80 {
                if i == 9 && b > 1 { break }
                return result | b &<< shift
            }
            result |= (b & 0x7F) &<< shift
            shift &+= 7
        }
        _ = _fail("timestamp varint overflows 64 bits")
        return nil
    }

    /// Reads a delta-of-delta (prefix `0`, `10`, `110`, `1110`, `1111`) and advances the timestamp.
    @inlinable @inline(__always)
    mutating func _readDeltaOfDelta() -> Bool {
        var ones = 0
        if let peek = _reader.peekBits(4) {
            // Fast path: count the prefix's leading ones, consume them and the terminating `0`.
            ones = (~(UInt8(truncatingIfNeeded: peek) &<< 4)).leadingZeroBitCount
            _reader.consumeBits(Swift.min(ones &+ 1, 4))
        } else {
            // Fewer than 4 bits left: still valid if the prefix is short.
            while ones < 4 {
                guard let bit = _reader.readBit() else { return _fail("truncated timestamp") }
                if !bit { break }
                ones &+= 1
            }
        }
        // Prefix `0`, `10`, `110`, `1110`, `1111` → 0, 14, 17, 20, 64 bits.
        let size = ones == 0 ? 0 : (ones == 1 ? 14 : (ones == 2 ? 17 : (ones == 3 ? 20 : 64)))
        var dod: Int64 = 0
        if size != 0 {
            guard let raw = _reader.readBits(size) else { return _fail("truncated timestamp") }
            if size == 64 {
                dod = Int64(bitPattern: raw)
            } else if raw > 1 &<< UInt64(size &- 1) {
                // Negative: the asymmetric range puts -2^(k-1) in the next bucket.
                dod = Int64(bitPattern: raw) &- (1 &<< Int64(size))
            } else {
                dod = Int64(bitPattern: raw)
            }
        }
        _tDelta = _tDelta &+ UInt64(bitPattern: dod)
        _t = _t &+ Int64(bitPattern: _tDelta)
        return true
    }

    /// Reads one XOR-encoded value (`xorRead`): `0`, `10` + window bits, or `11` + new window.
    @inlinable @inline(__always)
    mutating func _readValue() -> Bool {
        if let peek = _reader.peekBits(2) {
            // Fast path: `0` unchanged, `10` reuse the window, `11` new window.
            if peek & 0b10 == 0 {
                _reader.consumeBits(1)
                return true
            }
            if peek == 0b11 {
                // `11` + 5 bits leading + 6 bits significant (0 means 64).
                guard let header = _reader.peekBits(13) else { return _fail("truncated value") }
                _reader.consumeBits(13)
                guard _setWindow(header) else { return false }
            } else {
                _reader.consumeBits(2)
            }
        } else {
            // Fewer than 2 bits left: only an unchanged value (`0`) fits.
            guard let changed = _reader.readBit() else { return _fail("truncated value") }
            if !changed { return true }
            return _fail("truncated value")
        }
        let width = 64 &- Int(_leading) &- Int(_trailing)
        guard let bits = _reader.readBits(width) else { return _fail("truncated value") }
        _valueBits ^= bits &<< UInt64(_trailing)
        return true
    }

    /// Installs the window from a 13-bit `11 LLLLL SSSSSS` header.
    @inlinable
    mutating func _setWindow(_ header: UInt64) -> Bool {
        let leading = Int(header &>> 6 & 0x1F)
        var significant = Int(header & 0x3F)
        if significant == 0 { significant = 64 }
        guard leading &+ significant <= 64 else { return _fail("XOR window exceeds 64 bits") }
        _leading = UInt8(truncatingIfNeeded: leading)
        _trailing = UInt8(truncatingIfNeeded: 64 &- leading &- significant)
        return true
    }
}
