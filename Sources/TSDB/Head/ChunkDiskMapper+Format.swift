// The head chunk file format (spec/tsdb-format.md §7): the on-disk chunk reference, the file header,
// and bounds-checked decoding of one entry, shared by the ChunkDiskMapper's read, iterate and repair paths.

internal import ChunkEncoding

/// Where a head chunk lives on disk: Prometheus's `ChunkDiskMapperRef`.
///
/// The upper 32 bits are the real file number (the name `000001` is file 1; numbering need not start
/// at 1), the lower 32 bits the byte offset of the entry's `seriesRef` in that file.
///
/// ```swift
/// let ref = HeadChunkRef(fileNumber: 2, offset: 8)  // rawValue 0x0000_0002_0000_0008
/// ```
package struct HeadChunkRef: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// `fileNumber << 32 | offset`, exactly as Prometheus stores it (e.g. in WBL mmap markers).
    package var rawValue: UInt64

    package init(rawValue: UInt64) { self.rawValue = rawValue }

    /// A reference to the entry at `offset` of file `fileNumber`; both must fit in 32 bits.
    package init(fileNumber: Int, offset: Int) {
        precondition(fileNumber >= 0 && fileNumber <= Int(UInt32.max), "head chunk file number out of range")
        precondition(offset >= 0 && offset <= Int(UInt32.max), "head chunk offset out of range")
        self.rawValue = UInt64(fileNumber) << 32 | UInt64(offset)
    }

    /// The file number: the file's name read as a decimal number.
    package var fileNumber: Int { Int(rawValue >> 32) }
    /// Byte offset of the entry in its file.
    package var offset: Int { Int(rawValue & 0xFFFF_FFFF) }

    package var description: String { "\(fileNumber):\(offset)" }
}

/// Constants and names of the head chunk file format (spec §7).
enum ChunkDiskMapperFormat {
    /// `BE32` at the start of every head chunk file.
    static let magic: UInt32 = 0x0130_BC91
    /// The only format version.
    static let version: UInt8 = 1
    /// Magic, version and 3 padding bytes; the first entry starts here.
    static let headerSize = 8
    /// seriesRef + mint + maxt: the part of an entry that is all zero at the preallocated tail.
    static let entryPrefixSize = 24
    /// The largest entry header: seriesRef, mint, maxt, encoding, a 5-byte length, the CRC
    /// (Prometheus's `MaxHeadChunkMetaSize`, used for the cut decision and the end-of-file rule).
    static let maxEntryMetaSize = 8 + 8 + 8 + 1 + 5 + 4
    /// Prometheus's default write buffer (`DefaultWriteBufferSize`).
    static let writeBufferBytes = 4 << 20

    /// The 8-byte file header.
    static var header: [UInt8] {
        var bytes: [UInt8] = []
        ByteWriter.be32(magic, to: &bytes)
        bytes += [version, 0, 0, 0]
        return bytes
    }

    /// The file name of file `number`: `%06d`.
    static func fileName(_ number: Int) -> String {
        let digits = String(number)
        return digits.count >= 6 ? digits : String(repeating: "0", count: 6 - digits.count) + digits
    }

    /// The file number a name stands for, or nil when the name is not all ASCII digits.
    static func fileNumber(_ name: String) -> Int? {
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(name)
    }

    /// The length a file ending at `end` must have so that Prometheus reads its last entry.
    ///
    /// Prometheus's reader calls the data at an entry corrupt when fewer than `maxEntryMetaSize` bytes
    /// remain there and they are not all zero, so a file whose last entry is shorter than that (a
    /// payload under 4 bytes) gets zeros after it, as preallocation would have left there.
    static func paddedLength(end: Int, lastEntryStart: Int?) -> Int {
        guard let lastEntryStart else { return end }
        return max(end, lastEntryStart + maxEntryMetaSize)
    }

    /// Bytes a `uvarint` of `value` takes.
    static func uvarintSize(_ value: Int) -> Int {
        var n = UInt64(value)
        var size = 1
        while n >= 0x80 {
            n >>= 7
            size += 1
        }
        return size
    }
}

/// One decoded entry; ranges are offsets into the buffer it was decoded from.
struct ChunkDiskMapperEntry {
    var seriesRef: UInt64
    var minTime: Int64
    var maxTime: Int64
    /// The stored encoding byte, out-of-order flag (bit 7) included.
    var encoding: UInt8
    /// Where the chunk payload is.
    var data: Range<Int>
    /// Offset just past the entry's CRC: where the next entry starts.
    var end: Int
    /// The payload's leading `BE16` (the sample count of XOR and histogram chunks); 0 if shorter.
    var numSamples: UInt16
}

/// What decoding at an offset found.
enum ChunkDiskMapperDecoded {
    case entry(ChunkDiskMapperEntry)
    /// The end of the entries: the end of the bytes, or the zero-filled (preallocated) tail.
    case end
    /// A torn or corrupt entry; the reason is worded like Prometheus's `CorruptionErr`.
    case corrupt(String)
}

extension ChunkDiskMapperFormat {
    /// Decodes the entry at `start` of `raw`, checking every bound and the CRC32C. Never traps.
    ///
    /// - Parameter stopAtZeroTail: apply the end-of-entries rule of Prometheus's `IterateAllChunks`
    ///   (an all-zero seriesRef/mint/maxt, or fewer than `maxEntryMetaSize` bytes left that are all
    ///   zero). Off when resolving a reference, which must point at an entry.
    /// - Complexity: O(length of the entry).
    static func decodeEntry(
        _ raw: UnsafeRawBufferPointer, at start: Int, stopAtZeroTail: Bool
    ) -> ChunkDiskMapperDecoded {
        let count = raw.count
        guard start >= 0, start <= count else {
            return .corrupt("entry offset \(start) is past the end of the file (\(count) bytes)")
        }
        let remaining = count - start
        if stopAtZeroTail {
            if remaining == 0 { return .end }
            if remaining < maxEntryMetaSize, raw[start...].allSatisfy({ $0 == 0 }) { return .end }
        }
        guard remaining >= entryPrefixSize + 1 + 1 + 4 else {
            return .corrupt(
                "head chunk file has some unread data, but doesn't include enough bytes to read the chunk header"
                    + " - required:\(start + maxEntryMetaSize), available:\(count)")
        }
        let seriesRef = be64(raw, start)
        let minTime = Int64(bitPattern: be64(raw, start + 8))
        let maxTime = Int64(bitPattern: be64(raw, start + 16))
        if stopAtZeroTail, seriesRef == 0, minTime == 0, maxTime == 0 { return .end }
        let encoding = raw[start + entryPrefixSize]
        // Go binary.Uvarint: at most 10 bytes, the 10th at most 1.
        var position = start + entryPrefixSize + 1
        var length: UInt64 = 0
        var shift: UInt64 = 0
        var index = 0
        while true {
            guard position < count, index < 10 else { return .corrupt("reading chunk length failed") }
            let byte = raw[position]
            position += 1
            if index == 9 && byte > 1 { return .corrupt("chunk length overflows a 64-bit integer") }
            length |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
            index += 1
        }
        let dataStart = position
        guard length <= UInt64(count - dataStart), count - dataStart - Int(length) >= 4 else {
            return .corrupt(
                "head chunk file doesn't include enough bytes to read the chunk - required:"
                    + "\(UInt64(dataStart) &+ length &+ 4), available:\(count)")
        }
        let dataEnd = dataStart + Int(length)
        let stored = be32(raw, dataEnd)
        let computed = CRC32C.update(0, UnsafeRawBufferPointer(rebasing: raw[start..<dataEnd]))
        guard stored == computed else {
            return .corrupt(
                "checksum mismatch expected:\(hex(stored)), actual:\(hex(computed)) at offset \(start)")
        }
        let numSamples = length >= 2 ? UInt16(raw[dataStart]) << 8 | UInt16(raw[dataStart + 1]) : 0
        return .entry(
            ChunkDiskMapperEntry(
                seriesRef: seriesRef, minTime: minTime, maxTime: maxTime, encoding: encoding,
                data: dataStart..<dataEnd, end: dataEnd + 4, numSamples: numSamples))
    }

    /// Total length of the entry at `start`, from its header alone; nil when the header is unreadable.
    /// `raw` needs only the first `maxEntryMetaSize` bytes of the entry.
    static func entryLength(_ raw: UnsafeRawBufferPointer, at start: Int) -> Int? {
        var position = start + entryPrefixSize + 1
        var length: UInt64 = 0
        var shift: UInt64 = 0
        for index in 0..<10 {
            guard position < raw.count else { return nil }
            let byte = raw[position]
            position += 1
            if index == 9 && byte > 1 { return nil }
            length |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                guard length <= UInt64(Int32.max) else { return nil }
                return position - start + Int(length) + 4
            }
            shift += 7
        }
        return nil
    }

    /// `BE64` at `offset`; the caller has checked the bounds.
    private static func be64(_ raw: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for k in 0..<8 { value = value << 8 | UInt64(raw[offset + k]) }
        return value
    }

    /// `BE32` at `offset`; the caller has checked the bounds.
    private static func be32(_ raw: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 { value = value << 8 | UInt32(raw[offset + k]) }
        return value
    }

    private static func hex(_ value: UInt32) -> String { String(value, radix: 16) }
}
