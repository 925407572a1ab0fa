// XOR (Gorilla) chunk appender, bit-exact with Prometheus 3.x `xorAppender` (spec/tsdb-format.md §3).

package import MetricModel

/// An XOR-encoded chunk of float samples (encoding byte `1`) and the state needed to append to it.
///
/// Layout (spec §3): `BE16 num_samples`, then an MSB-first bit stream: sample 0 as
/// `varint(t) ++ 64 value bits`, sample 1 as `uvarint(t1 - t0) ++ xor(value)`, then per sample a
/// delta-of-delta bucket and the XOR of the value bits against the previous value.
/// ``bytes`` is the Prometheus 3.x form (no extra trailing byte); ``legacy242Bytes`` gives the
/// 2.x form.
///
/// ```swift
/// var chunk = XORChunk()
/// chunk.append(1_699_999_205_000, 1.0)
/// chunk.bytes  // 00 01 90 9a ca fd f9 62 3f f0 00 00 00 00 00 00 (16 bytes, spec §9 V5)
/// ```
///
/// Values are compared by bit pattern: NaN payloads (the stale marker `0x7FF0000000000002`) and
/// `-0.0` round-trip exactly. The appender does not check that timestamps increase (the head does);
/// a decreasing timestamp still round-trips, as in Prometheus.
///
/// Complexity: `append` is amortized O(1) and allocates only when the storage grows. ``bytes`` copies
/// (O(n)); read a live chunk without copying through ``makeIterator()`` or ``storage``.
/// Thread-safety: a value type; mutate from one thread at a time.
///
/// Access: `public` type with `package` members, only so that Swift 6.3 inlines `append` and the
/// iterator across our modules: it does not inline `@inlinable` members of `package` types (checked
/// in the disassembly; with callgrind, making the iterator `public` cut decoding from 234 to 149
/// instructions per sample). No library product exports this module, so nothing is published.
public struct XORChunk: Sendable {
    /// The chunk encoding byte of XOR chunks in segment files and `ChunkData`.
    package static let encoding: UInt8 = 1
    /// The most samples one chunk can hold (the header is a UInt16).
    package static let maxSamples = Int(UInt16.max)
    /// Size of the `BE16 num_samples` header.
    package static let headerSize = 2
    /// Bytes reserved for a new chunk (Prometheus allocates 128; 120 samples usually fit in ~150).
    package static let initialCapacity = 128

    @usableFromInline
    var _writer: BitWriter
    @usableFromInline
    var _count: Int
    @usableFromInline
    var _minTime: Int64
    /// Timestamp of the last sample.
    @usableFromInline
    var _t: Int64
    /// Bits of the last value.
    @usableFromInline
    var _valueBits: UInt64
    /// Last timestamp delta, as Prometheus keeps it (uint64, wrapping).
    @usableFromInline
    var _tDelta: UInt64
    /// Current XOR window; `_leading == 0xFF` means "no window yet".
    @usableFromInline
    var _leading: UInt8
    @usableFromInline
    var _trailing: UInt8
    /// Width of the last value field written (64 for sample 0, 0 for an unchanged value).
    /// Only used to reproduce the 2.x trailing byte (``legacy242Bytes``).
    @usableFromInline
    var _lastValueWidth: UInt8

    /// Creates an empty chunk.
    package init() {
        _writer = BitWriter(reservingCapacity: Self.initialCapacity)
        _writer.writeBits(0, 16)  // the sample count, filled in by append
        _count = 0
        _minTime = 0
        _t = 0
        _valueBits = 0
        _tDelta = 0
        _leading = 0xFF
        _trailing = 0
        _lastValueWidth = 0
    }

    /// Empties the chunk, keeping its byte capacity for reuse.
    package mutating func reset() {
        _writer.removeAll()
        _writer.writeBits(0, 16)
        _count = 0
        _minTime = 0
        _t = 0
        _valueBits = 0
        _tDelta = 0
        _leading = 0xFF
        _trailing = 0
        _lastValueWidth = 0
    }

    /// The encoded chunk: header plus bit stream, as Prometheus 3.x writes it. A copy: O(n).
    package var bytes: [UInt8] { _writer.bytes }

    /// The chunk's storage without copying: ``bytes`` followed by zero bytes. Any XOR reader accepts
    /// it (readers stop after `num_samples`); use ``bytes`` for anything persisted.
    @inlinable
    package var storage: [UInt8] { _writer.storage }

    /// An iterator over the samples appended so far, sharing the storage (no copy).
    @inlinable
    package func makeIterator() -> XORIterator { XORIterator(_writer.storage) }

    /// Length of the encoding in bits, header included (`bytes.count * 8` minus the padding bits).
    @inlinable
    package var bitCount: Int { _writer.bitCount }

    /// Number of samples in the chunk.
    @inlinable
    package var count: Int { _count }

    /// True when the chunk holds no samples.
    @inlinable
    package var isEmpty: Bool { _count == 0 }

    /// True when the chunk holds ``maxSamples`` samples and cannot take another.
    @inlinable
    package var isFull: Bool { _count >= 65535 }

    /// Timestamp of the first sample (a `Timestamp`); `Int64.max` when empty.
    @inlinable
    package var minTime: Int64 { _count == 0 ? .max : _minTime }

    /// Timestamp of the last sample appended (a `Timestamp`); `Int64.min` when empty.
    @inlinable
    package var maxTime: Int64 { _count == 0 ? .min : _t }

    /// Bit pattern of the last value appended; 0 when empty.
    @inlinable
    package var lastValueBits: UInt64 { _count == 0 ? 0 : _valueBits }

    /// The chunk as a `ChunkData` (encoding 1, the 3.x bytes).
    package var chunkData: ChunkData {
        ChunkData(minTime: minTime, maxTime: maxTime, encoding: Self.encoding, bytes: bytes)
    }

    /// Appends one sample.
    ///
    /// - Parameters:
    ///   - t: timestamp (`Timestamp`, milliseconds). Normally greater than the previous one (not checked).
    ///   - v: the value; stored by bit pattern.
    /// - Precondition: the chunk holds fewer than ``maxSamples`` samples (cut a new chunk first).
    @inlinable
    package mutating func append(_ t: Int64, _ v: Double) {
        precondition(_count < 65535, "XOR chunk already holds 65535 samples")
        let bits = v.bitPattern
        let n = _count
        let tDelta = UInt64(bitPattern: t &- _t)
        let previousDelta = _tDelta
        let previousBits = _valueBits
        // Window state as locals: the closure must not touch `self` while the storage is borrowed.
        var leading = _leading
        var trailing = _trailing
        var width = _lastValueWidth
        // Fast path: one storage access per sample. Worst case 80 (uvarint) + 77 (value) bits.
        _writer.withUnsafeWriter(reservingBits: 160) { w in
            if n >= 2 {
                Self._writeDeltaOfDelta(Int64(bitPattern: tDelta &- previousDelta), to: &w)
                Self._writeValue(bits ^ previousBits, leading: &leading, trailing: &trailing, width: &width, to: &w)
            } else if n == 1 {
                Self._writeUvarint(tDelta, to: &w)
                Self._writeValue(bits ^ previousBits, leading: &leading, trailing: &trailing, width: &width, to: &w)
            } else {
                Self._writeUvarint(UInt64(bitPattern: (t &<< 1) ^ (t &>> 63)), to: &w)  // PutVarint: zigzag
                w.writeBits(bits, 64)
                width = 64
            }
            w.setBigEndianUInt16(UInt16(truncatingIfNeeded: n &+ 1), at: 0)
        }
        if n == 0 { _minTime = t }
        _tDelta = n == 0 ? 0 : tDelta
        _t = t
        _valueBits = bits
        _leading = leading
        _trailing = trailing
        _lastValueWidth = width
        _count = n &+ 1
    }

    /// Go `binary.PutUvarint`, each byte written with writeByte (at any bit alignment).
    @inlinable
    static func _writeUvarint(_ value: UInt64, to w: inout UnsafeBitWriter) {
        var n = value
        while n >= 0x80 {
            w.writeBits(n & 0x7F | 0x80, 8)
            n &>>= 7
        }
        w.writeBits(n, 8)
    }

    /// The timestamp delta-of-delta buckets of spec §3.2 (asymmetric ranges: `+2^(k-1)` fits, `-2^(k-1)` not).
    @inlinable
    static func _writeDeltaOfDelta(_ dod: Int64, to w: inout UnsafeBitWriter) {
        let u = UInt64(bitPattern: dod)
        if dod == 0 {
            w.writeBit(false)
        } else if dod >= -8191 && dod <= 8192 {
            w.writeBits(0b10 &<< 14 | u & 0x3FFF, 16)
        } else if dod >= -65535 && dod <= 65536 {
            w.writeBits(0b110 &<< 17 | u & 0x1_FFFF, 20)
        } else if dod >= -524_287 && dod <= 524_288 {
            w.writeBits(0b1110 &<< 20 | u & 0xF_FFFF, 24)
        } else {
            w.writeBits(0b1111, 4)
            w.writeBits(u, 64)
        }
    }

    /// The value XOR encoding of spec §3.3 (`xorWrite`), with the 31 clamp on leading zeros.
    ///
    /// - Parameters:
    ///   - delta: the XOR of the new and previous value bits.
    ///   - leading, trailing: the window (`leading == 0xFF`: none yet); updated for a new window.
    ///   - width: set to the width of the value field written (0 when unchanged), for the 2.x quirk.
    @inlinable
    static func _writeValue(
        _ delta: UInt64, leading: inout UInt8, trailing: inout UInt8, width: inout UInt8, to w: inout UnsafeBitWriter
    ) {
        if delta == 0 {
            w.writeBit(false)
            width = 0
            return
        }
        let newLeading = UInt8(Swift.min(delta.leadingZeroBitCount, 31))
        let newTrailing = UInt8(delta.trailingZeroBitCount)
        if leading != 0xFF && newLeading >= leading && newTrailing >= trailing {
            // Reuse the window: `10` + (64 - leading - trailing) bits.
            let bitsInWindow = 64 &- Int(leading) &- Int(trailing)
            let payload = delta &>> UInt64(trailing)
            if bitsInWindow <= 62 {
                w.writeBits(0b10 &<< UInt64(bitsInWindow) | payload, bitsInWindow &+ 2)
            } else {
                w.writeBits(0b10, 2)
                w.writeBits(payload, bitsInWindow)
            }
            width = UInt8(truncatingIfNeeded: bitsInWindow)
            return
        }
        // New window: `11` + 5 bits leading + 6 bits significant (64 written as 0) + the bits.
        leading = newLeading
        trailing = newTrailing
        let significant = 64 &- Int(newLeading) &- Int(newTrailing)
        let header = 0b11 &<< 11 | UInt64(newLeading) &<< 6 | UInt64(significant & 0x3F)
        let payload = delta &>> UInt64(newTrailing)
        if significant <= 51 {
            w.writeBits(header &<< UInt64(significant) | payload, 13 &+ significant)
        } else {
            w.writeBits(header, 13)
            w.writeBits(payload, significant)
        }
        width = UInt8(truncatingIfNeeded: significant)
    }
}
