// BlockTombstones: reading and writing a block's `tombstones` file (spec/tsdb-format.md §5).

internal import ChunkEncoding

/// Deleted time intervals per series, the contents of `<block>/tombstones`.
///
/// Layout: `BE32 magic 0x0130BA30`, `u8 version 1`, then `{uvarint seriesRef, varint mint, varint maxt}`
/// per interval, then `BE32 CRC32C` over the entries only. An empty file is `0130ba30 01 00000000`.
///
/// ```swift
/// let stones = try BlockTombstones.decode(bytes)          // [seriesID: [ClosedRange<Int64>]]
/// BlockTombstones.encode([3: [0...999]])                  // deterministic: series IDs ascending
/// ```
package enum BlockTombstones {
    /// The file's magic number.
    package static let magic: UInt32 = 0x0130_BA30
    /// The only format version.
    package static let version: UInt8 = 1

    /// The 9 bytes of a tombstones file without entries.
    package static let empty: [UInt8] = encode([:])

    /// Parses a tombstones file, merging overlapping and adjacent intervals per series as Prometheus does.
    ///
    /// - Throws: `TSDBError.block(.badTombstones)` on a short file, wrong magic, CRC mismatch, unknown
    ///   version or truncated entry.
    package static func decode(_ bytes: [UInt8]) throws(TSDBError) -> [UInt64: [ClosedRange<Int64>]] {
        try bytes.withUnsafeBytes { raw in Result { () throws(TSDBError) in try decode(raw) } }.get()
    }

    static func decode(_ raw: UnsafeRawBufferPointer) throws(TSDBError) -> [UInt64: [ClosedRange<Int64>]] {
        guard raw.count >= 9 else { throw TSDBError.block(.badTombstones, "tombstones: file too small (\(raw.count) bytes)") }
        var d = BlockDecoder(raw, offset: 0, end: raw.count - 4, code: .badTombstones, name: "tombstones")
        let magic = try d.be32()
        guard magic == Self.magic else { throw d.failure("invalid magic number 0x\(String(magic, radix: 16))") }
        var crc = BlockDecoder(raw, offset: raw.count - 4, code: .badTombstones, name: "tombstones")
        guard try crc.be32() == CRC32C.update(0, d.slice(5..<(raw.count - 4))) else { throw d.failure("checksum mismatch") }
        let version = try d.byte()
        guard version == Self.version else { throw d.failure("invalid tombstone format version \(version)") }
        var result: [UInt64: [ClosedRange<Int64>]] = [:]
        while d.remaining > 0 {
            let ref = try d.uvarint()
            let minTime = try d.varint()
            let maxTime = try d.varint()
            guard minTime <= maxTime else { throw d.failure("interval [\(minTime), \(maxTime)] of series \(ref) is empty") }
            result[ref, default: []].append(minTime...maxTime)
        }
        for (ref, intervals) in result { result[ref] = merge(intervals) }
        return result
    }

    /// Sorts intervals and merges the ones that overlap or touch (`[1,2]` and `[3,4]` become `[1,4]`).
    package static func merge(_ intervals: [ClosedRange<Int64>]) -> [ClosedRange<Int64>] {
        var out: [ClosedRange<Int64>] = []
        for interval in intervals.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = out.last, last.upperBound == .max || interval.lowerBound <= last.upperBound + 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, interval.upperBound)
            } else {
                out.append(interval)
            }
        }
        return out
    }

    /// Encodes intervals as a tombstones file; series IDs ascending, intervals in the given order.
    package static func encode(_ stones: [UInt64: [ClosedRange<Int64>]]) -> [UInt8] {
        var out: [UInt8] = []
        ByteWriter.be32(magic, to: &out)
        out.append(version)
        var entries: [UInt8] = []
        for ref in stones.keys.sorted() {
            for interval in stones[ref]! {
                ByteWriter.uvarint(ref, to: &entries)
                ByteWriter.varint(interval.lowerBound, to: &entries)
                ByteWriter.varint(interval.upperBound, to: &entries)
            }
        }
        out.append(contentsOf: entries)
        ByteWriter.be32(CRC32C.checksum(entries), to: &out)
        return out
    }
}
