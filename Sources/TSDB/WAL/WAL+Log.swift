// Framing records into fragments within 32 KiB pages, the way Prometheus's `wlog.(*WL).log` does
// it, byte for byte (spec/tsdb-format.md §6.2).

import ChunkEncoding
import Snappy

extension WAL {
    /// Logs one record. Same as `log(_:)` with a single element.
    package func log(_ record: [UInt8]) throws(TSDBError) {
        try log(CollectionOfOne(record))
    }

    /// Frames `records` in order and writes them before returning: one `pwrite(2)` per segment
    /// touched (normally one), so they survive the process being killed. No `fsync(2)`; call
    /// ``sync()`` for that.
    ///
    /// A record never crosses a segment boundary: when it does not fit in the rest of the current
    /// segment, the segment is padded, closed and a new one started. With `compress` on, a record
    /// is stored snappy-compressed when that is smaller.
    ///
    /// On error nothing of the current segment's unwritten part is kept; the WAL stays usable and
    /// a retry writes at the same offset. Records already moved to a finished segment stay there.
    /// - Throws: `TSDBError` (`.closed`, or `.io` from the write).
    package func log<Records: Sequence>(_ records: Records) throws(TSDBError) where Records.Element == [UInt8] {
        guard file != nil else { throw TSDBError.wal(.closed, "log after close") }
        pending.removeAll(keepingCapacity: true)
        var count = 0
        do {
            for record in records {
                try frame(record)
                count += 1
            }
            try flushPending()
        } catch {
            pending.removeAll(keepingCapacity: true)
            throw error
        }
        recordsWritten += count
    }

    /// Appends the fragments of one record to `pending`, starting a new segment first if needed.
    private func frame(_ record: [UInt8]) throws(TSDBError) {
        var data = record
        var compressed = false
        if options.compress && !record.isEmpty {
            // Reused buffer: no allocation per record once it has grown.
            compressBuffer.removeAll(keepingCapacity: true)
            Snappy.compress(record, appendingTo: &compressBuffer)
            if compressBuffer.count < record.count {
                data = compressBuffer
                compressed = true
            }
        }

        let page = WALFormat.pageSize
        let header = WALFormat.fragmentHeaderSize
        let pagesPerSegment = options.segmentSizeBytes / page
        let used = position % page
        let donePages = position / page
        // Data bytes that still fit: the rest of this page and every page left in the segment,
        // each less one header (Prometheus's formula; exact because fragments fill pages greedily).
        let left = (page - used - header) + (page - header) * (pagesPerSegment - donePages - 1)
        if position > 0 && (data.count > left || donePages >= pagesPerSegment) {
            try nextSegment()
        }

        let flag = compressed ? WALFormat.snappyFlag : 0
        var start = 0
        var isFirst = true  // by iteration, not by offset: a first fragment may be empty
        repeat {
            let used = position % page
            // At least `header` bytes are free here: a page with less is padded right away below.
            let length = min(data.count - start, page - used - header)
            let end = start + length
            let type: WALFormat.FragmentType
            switch (isFirst, end == data.count) {
            case (true, true): type = .full
            case (false, true): type = .last
            case (true, false): type = .first
            case (false, false): type = .middle
            }
            pending.append(type.rawValue | flag)
            ByteWriter.be16(UInt16(length), to: &pending)
            ByteWriter.be32(CRC32C.checksum(data[start..<end]), to: &pending)
            pending.append(contentsOf: data[start..<end])
            start = end
            isFirst = false

            let nowUsed = position % page
            if nowUsed != 0 && page - nowUsed < header {
                padPage()
            }
        } while start < data.count
    }
}
