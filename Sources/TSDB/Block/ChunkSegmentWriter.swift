// ChunkSegmentWriter: writes chunk records into `chunks/000001, 000002, …` and hands out their
// references, cutting segments exactly where Prometheus's chunks.Writer does (spec/tsdb-format.md §2).

internal import ChunkEncoding
internal import MetricModel

/// Appends chunks, series by series, to numbered segment files in a block's `chunks/` directory.
///
/// A reference is `segmentIndex << 32 | offset`, the segment index 0-based. Segment cutting follows
/// `WriteChunks` of Prometheus 2.42: a series' chunks are sized as `5 + 1 + len(data) + 4` each and a
/// new segment starts before the chunk that would take the file past `segmentSizeBytes`; a single
/// chunk larger than that still gets a file of its own. No segment is created for a block without chunks.
///
/// Not thread-safe; blocking I/O.
struct ChunkSegmentWriter {
    static let magic: UInt32 = 0x85BD_40DD
    static let headerSize = 8
    /// Prometheus's `DefaultChunkSegmentSize`, 512 MiB.
    static let defaultSegmentSizeBytes = 512 * 1024 * 1024
    private static let flushThreshold = 1 << 20

    let directory: String
    let segmentSizeBytes: Int
    /// Bytes in the current segment (0 before the first one is cut).
    private var size = 0
    private var segmentCount = 0
    private var file: BlockOutputFile?
    private var buffer: [UInt8] = []

    init(directory: String, segmentSizeBytes: Int = Self.defaultSegmentSizeBytes) {
        self.directory = directory
        self.segmentSizeBytes = segmentSizeBytes
    }

    /// Writes one series' chunks and returns their references, in order.
    mutating func write(_ chunks: [ChunkData]) throws(TSDBError) -> [UInt64] {
        // Split into batches the way Prometheus does; every batch but the first starts a new segment.
        var batches: [Range<Int>] = [0..<0]
        var batchSize = 0
        var batchStart = 0
        var firstBatch = true
        for (i, chunk) in chunks.enumerated() {
            let chunkSize = 5 + 1 + chunk.bytes.count + 4
            batchSize += chunkSize
            var cut = i != 0 && batchSize + Self.headerSize > segmentSizeBytes
            if firstBatch && size > Self.headerSize {
                cut = batchSize + size > segmentSizeBytes
                if cut { firstBatch = false }
            }
            if cut {
                batchStart = i
                batches.append(i..<i)
                batchSize = chunkSize
            }
            batches[batches.count - 1] = batchStart..<(i + 1)
        }
        if size == 0 { try cut() }
        var refs: [UInt64] = []
        refs.reserveCapacity(chunks.count)
        for (k, batch) in batches.enumerated() {
            for chunk in chunks[batch] { refs.append(try append(chunk)) }
            if k < batches.count - 1 { try cut() }
        }
        return refs
    }

    /// Flushes, fsyncs and closes the last segment.
    mutating func finish() throws(TSDBError) {
        try finishSegment()
    }

    private mutating func append(_ chunk: ChunkData) throws(TSDBError) -> UInt64 {
        guard size <= Int(UInt32.max) else {
            throw TSDBError.block(.invalidArgument, "chunks: segment offset \(size) does not fit in 32 bits")
        }
        let ref = UInt64(segmentCount - 1) << 32 | UInt64(size)
        let start = buffer.count
        ByteWriter.uvarint(UInt64(chunk.bytes.count), to: &buffer)
        let encodingAt = buffer.count
        buffer.append(chunk.encoding)
        buffer.append(contentsOf: chunk.bytes)
        let crc = buffer.withUnsafeBytes { CRC32C.update(0, UnsafeRawBufferPointer(rebasing: $0[encodingAt...])) }
        ByteWriter.be32(crc, to: &buffer)
        size += buffer.count - start
        if buffer.count >= Self.flushThreshold { try flush() }
        return ref
    }

    /// Finishes the current segment and starts the next, `chunks/%06d` numbered from 1.
    private mutating func cut() throws(TSDBError) {
        try finishSegment()
        segmentCount += 1
        let name = String(segmentCount)
        let path = directory + "/" + String(repeating: "0", count: max(0, 6 - name.count)) + name
        file = try BlockOutputFile.create(path: path)
        ByteWriter.be32(Self.magic, to: &buffer)
        buffer.append(contentsOf: [1, 0, 0, 0])
        size = Self.headerSize
    }

    private mutating func flush() throws(TSDBError) {
        guard let file, !buffer.isEmpty else { return }
        try file.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private mutating func finishSegment() throws(TSDBError) {
        guard let current = file else { return }
        do {
            try flush()
            try current.sync()
        } catch {
            try? current.close()
            file = nil
            throw error
        }
        file = nil
        try current.close()
    }

    /// Closes an unfinished segment after a failure, without syncing.
    mutating func abandon() {
        try? file?.close()
        file = nil
        buffer.removeAll()
    }
}
