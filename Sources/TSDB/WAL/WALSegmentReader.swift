// Reading the records of one segment file: fragments, page padding, CRCs, ordering, snappy
// (spec/tsdb-format.md §6.2, Prometheus `wlog.Reader`). Corruption is a result, never a trap.

import ChunkEncoding
import Snappy

/// Reads the records of one segment file in order. Internal: ``WALReader`` strings segments together.
final class WALSegmentReader {
    /// The outcome of one ``next()``.
    enum Step: Equatable {
        /// A complete record, now in ``record``, whose fragments span `start..<end` of the file.
        case record(start: Int, end: Int)
        /// Clean end of the segment.
        case end
        /// The segment cannot be read past `offset` (the start of the bad record).
        case corrupt(offset: Int, detectedAt: Int, reason: String)
    }

    /// Pages read per `pread(2)`.
    static let chunkPages = 16

    let path: String
    /// File size when opened. A segment ending mid-page counts as zero-padded to the page end.
    private(set) var size: Int
    /// The last record returned (decompressed).
    private(set) var record: [UInt8] = []

    private let file: WALFile
    private var chunk: [UInt8]
    private var chunkStart = 0
    private var chunkCount = 0
    private var offset = 0
    /// Fragment data of the record being assembled.
    private var assembly: [UInt8] = []

    /// Opens `path` for reading from `offset`, which must be where a record starts (the end of
    /// an earlier one, or 0).
    init(path: String, offset: Int = 0) throws(TSDBError) {
        self.path = path
        self.offset = offset
        file = try WALFile.openForReading(path: path)
        do {
            size = try file.size()
        } catch {
            try? file.close()
            throw error
        }
        chunk = [UInt8](repeating: 0, count: WALSegmentReader.chunkPages * WALFormat.pageSize)
    }

    deinit {
        try? file.close()
    }

    /// Makes the page holding `position` available in `chunk`. Returns the readable end of that page.
    private func load(pageOf position: Int) throws(TSDBError) -> Int {
        let page = WALFormat.pageSize
        if position < chunkStart || position >= chunkStart + chunkCount {
            chunkStart = position - position % page
            let want = min(chunk.count, max(size - chunkStart, 0))
            chunkCount = try file.read(into: &chunk, count: want, at: chunkStart)
            // The file shrank under us: what could not be read is past the end.
            if chunkCount < want { size = chunkStart + chunkCount }
        }
        return min(position - position % page + page, size)
    }

    @inline(__always)
    private func byte(_ position: Int) -> UInt8 { chunk[position - chunkStart] }

    /// Reads the next record.
    /// - Throws: `TSDBError` only for I/O failures; bad bytes give `.corrupt`.
    func next() throws(TSDBError) -> Step {
        let page = WALFormat.pageSize
        let header = WALFormat.fragmentHeaderSize
        var recordStart = -1
        var compressed = false
        assembly.removeAll(keepingCapacity: true)

        func corrupt(_ at: Int, _ reason: String) -> Step {
            .corrupt(offset: recordStart >= 0 ? recordStart : at, detectedAt: at, reason: reason)
        }

        while true {
            if offset >= size {
                return recordStart >= 0 ? corrupt(offset, "last record is torn") : .end
            }
            let available = try load(pageOf: offset)
            if offset >= size {  // the file shrank while loading
                return recordStart >= 0 ? corrupt(offset, "last record is torn") : .end
            }
            let pageEnd = offset - offset % page + page
            let typeByte = byte(offset)

            if typeByte & 0x07 == WALFormat.FragmentType.pageTerminator.rawValue {
                // The rest of the page is padding and must be all zeros (a short segment is
                // treated as padded up to the page end, as Prometheus's reader does). Flag bits
                // do not matter here: Prometheus's reader masks them off before it looks for
                // padding (`recTypeFromHeader`), so neither do we.
                var position = offset + 1
                while position < available, byte(position) == 0 { position += 1 }
                if position < available { return corrupt(position, "unexpected non-zero byte in padded page") }
                offset = available
                continue
            }

            if available - offset < header {
                return corrupt(offset, available < pageEnd ? "last record is torn" : "fragment header crosses page boundary")
            }
            let flags = typeByte & ~UInt8(0x07)
            guard flags & ~WALFormat.snappyFlag == 0 else {
                return corrupt(offset, "unsupported fragment flags 0x\(String(flags, radix: 16))")
            }
            guard let type = WALFormat.FragmentType(rawValue: typeByte & 0x07) else {
                return corrupt(offset, "unknown fragment type \(typeByte & 0x07)")
            }
            let length = Int(byte(offset + 1)) << 8 | Int(byte(offset + 2))
            var storedCRC: UInt32 = 0
            for k in 3..<7 { storedCRC = storedCRC << 8 | UInt32(byte(offset + k)) }
            let dataStart = offset + header
            let dataEnd = dataStart + length
            if dataEnd > pageEnd { return corrupt(offset, "invalid fragment size \(length)") }
            if dataEnd > available { return corrupt(offset, "last record is torn") }

            let crc = chunk.withUnsafeBytes { raw in
                // Safety: dataStart..<dataEnd lies in the loaded page, inside chunk.
                CRC32C.update(0, UnsafeRawBufferPointer(rebasing: raw[(dataStart - chunkStart)..<(dataEnd - chunkStart)]))
            }
            if crc != storedCRC {
                return corrupt(offset, "unexpected checksum \(hex(crc)), expected \(hex(storedCRC))")
            }

            let isCompressed = flags & WALFormat.snappyFlag != 0
            switch type {
            case .full, .first:
                if recordStart >= 0 { return corrupt(offset, "unexpected \(type) record") }
                recordStart = offset
                compressed = isCompressed
            case .middle, .last:
                if recordStart < 0 { return corrupt(offset, "unexpected \(type) record") }
                if isCompressed != compressed { return corrupt(offset, "compression flag changes within a record") }
            case .pageTerminator:
                // Padding, with or without flags, is handled above; never reached.
                return corrupt(offset, "padding type byte with flags 0x\(String(flags, radix: 16))")
            }
            assembly.append(contentsOf: chunk[(dataStart - chunkStart)..<(dataEnd - chunkStart)])
            offset = dataEnd

            guard type == .full || type == .last else { continue }
            if compressed {
                // A snappy block expands at most 64 bytes per 3-byte copy tag: bound the claim
                // (Snappy checks this too; being explicit keeps allocation bounded by input here).
                do {
                    try Snappy.decompress(assembly, into: &record, maxLength: assembly.count * 22 + 64)
                } catch {
                    return corrupt(recordStart, "decompress record: \(error)")
                }
            } else {
                swap(&record, &assembly)
                assembly.removeAll(keepingCapacity: true)
            }
            return .record(start: recordStart, end: offset)
        }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}

extension WALFormat.FragmentType: CustomStringConvertible {
    var description: String {
        switch self {
        case .pageTerminator: "padding"
        case .full: "full"
        case .first: "first"
        case .middle: "middle"
        case .last: "last"
        }
    }
}
