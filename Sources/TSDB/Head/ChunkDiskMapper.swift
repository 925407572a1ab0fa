// ChunkDiskMapper: writes completed head chunks to `<data>/chunks_head/NNNNNN` in Prometheus 2.42's
// format (spec/tsdb-format.md §7) and reads them back from read-only memory maps.

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif
internal import ChunkEncoding
package import MetricModel
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Keeps completed head chunks on disk, memory-mapped, instead of in RAM: Prometheus's `ChunkDiskMapper`.
///
/// Files are written in the byte format of Prometheus 2.42, so a data directory can move between
/// the two. Chunks are appended to the newest ("current") file through a 4 MiB write buffer, as in
/// Prometheus; a new file is cut when the next chunk might not fit in `maxFileBytes`. A cut (or
/// closed) file is fsynced and mapped read-only; chunks of the current file are served from the
/// write buffer or with `pread(2)`. Files are not preallocated; a closed file whose last entry is
/// shorter than 34 bytes gets zeros after it, so that Prometheus's reader accepts it.
///
/// ```swift
/// let mapper = try ChunkDiskMapper(directory: data.appendingPathComponent("chunks_head"))
/// try mapper.iterateChunks { series, ref, minTime, maxTime, encoding, samples in … }  // at startup
/// let ref = try mapper.write(seriesRef: 1, minTime: 0, maxTime: 119_000, encoding: 1, data: chunkBytes)
/// let bytes = try mapper.chunk(ref)
/// ```
///
/// Startup follows Prometheus: the file numbers must be contiguous (they may start anywhere); a last
/// file shorter than its header or with a zero magic is deleted; the next write goes to a new file
/// numbered one past the last. `iterateChunks` truncates a torn last file (see ``repairs``).
///
/// Thread-safety: every method may be called from any thread; one internal lock orders them. Writes,
/// flushes and cuts do their I/O under the lock (as Prometheus's write path does); `chunk(_:)` of a
/// closed file and `iterateChunks`' callback run outside it.
package final class ChunkDiskMapper: @unchecked Sendable {
    // Safety: `state` is read and written only inside `lock.withLock`. Mappings handed out of the
    // lock are immutable and reference-counted (ChunkDiskMapperMapping).

    /// The `chunks_head` directory.
    package let directory: URL
    /// A file is cut before a chunk that might push it past this size (Prometheus: 128 MiB).
    package let maxFileBytes: Int
    let path: String
    let writeBufferBytes: Int
    let lock = ChunkDiskMapperLock()
    /// Chunks the head could not write here (counted by the head, which keeps them in memory and retries).
    package let writeFailures = Counter()
    var state: State

    /// A closed (cut) file and the largest `maxTime` of its chunks, once known.
    struct SealedFile {
        var mapping: ChunkDiskMapperMapping
        /// nil until `iterateChunks` or `truncate(before:)` has read the file; `Int64.min` if it has no chunks.
        var maxTime: Int64?
    }

    /// The file being appended to.
    struct CurrentFile {
        var number: Int
        var path: String
        var descriptor: Int32
        /// Bytes already written to the file (header included); the write buffer continues from here.
        var flushedBytes: Int
        var maxTime = Int64.min
        var entryCount = 0
        /// Offset of the newest entry, for the zero padding a short last entry needs on sealing.
        var lastEntryOffset: Int?
        /// The file mapped at `maxFileBytes`, through which flushed entries are read (nil when
        /// mapping failed: they are then read with `pread(2)`).
        var mapping: ChunkDiskMapperMapping?
    }

    struct State {
        var sealed: [Int: SealedFile] = [:]
        var current: CurrentFile?
        /// Entries of the current file not yet written, starting at `current.flushedBytes`.
        var buffer: [UInt8] = []
        var nextFileNumber = 1
        /// The newest file found at startup: the only one a torn tail may be cut from.
        var repairableFileNumber: Int?
        var repairs: [ChunkDiskMapperRepair] = []
        var closed = false
    }

    /// Opens (creating if needed) a `chunks_head` directory and maps the files in it.
    ///
    /// - Parameters:
    ///   - directory: `<data>/chunks_head`.
    ///   - maxFileBytes: the size at which files are cut; between 42 bytes and 4 GiB (offsets are 32-bit).
    ///   - writeBufferBytes: how much is buffered before a `write(2)`; Prometheus's 4 MiB by default.
    /// - Throws: `TSDBError`: `.corruption` for a gap in the numbering or a bad header
    ///   (other than in a last file Prometheus would delete), `.io`, `.invalidArgument`.
    package init(
        directory: URL, maxFileBytes: Int = 128 << 20,
        writeBufferBytes: Int = ChunkDiskMapperFormat.writeBufferBytes
    ) throws(TSDBError) {
        let minimum = ChunkDiskMapperFormat.headerSize + ChunkDiskMapperFormat.maxEntryMetaSize
        guard maxFileBytes >= minimum, maxFileBytes <= 1 << 32 else {
            throw TSDBError.headChunks(.invalidArgument, "maxFileBytes \(maxFileBytes) not in \(minimum)...\(1 << 32)")
        }
        guard writeBufferBytes > 0 else {
            throw TSDBError.headChunks(.invalidArgument, "writeBufferBytes must be positive")
        }
        self.directory = directory
        self.maxFileBytes = maxFileBytes
        self.writeBufferBytes = writeBufferBytes
        self.path = directory.standardizedFileURL.path
        self.state = State()
        try ChunkDiskMapperIO.createDirectory(path)
        try openFiles()
    }

    deinit {
        if !state.closed { try? close() }
    }

    /// Lists, repairs and maps the existing files (Prometheus `openMMapFiles`).
    private func openFiles() throws(TSDBError) {
        var numbers = try ChunkDiskMapperIO.fileNumbers(in: path)
        if let last = numbers.last, let repair = try repairLastFile(last) {
            state.repairs.append(repair)
            numbers.removeLast()
        }
        for (previous, next) in zip(numbers, numbers.dropFirst()) where next != previous + 1 {
            throw TSDBError.headChunks(
                .corruption,
                "found unsequential head chunk files \(ChunkDiskMapperFormat.fileName(previous)) (index: \(previous))"
                    + " and \(ChunkDiskMapperFormat.fileName(next)) (index: \(next))",
                path: path)
        }
        for number in numbers {
            let filePath = filePath(number)
            let mapping = try ChunkDiskMapperMapping(path: filePath, fileNumber: number)
            try Self.checkHeader(mapping.bytes, path: filePath)
            state.sealed[number] = SealedFile(mapping: mapping, maxTime: nil)
        }
        state.nextFileNumber = (numbers.last ?? 0) + 1
        state.repairableFileNumber = numbers.last
    }

    /// Deletes the last file if it is shorter than its header or its magic is zero (a file created
    /// just before a crash); returns what was done.
    private func repairLastFile(_ number: Int) throws(TSDBError) -> ChunkDiskMapperRepair? {
        let filePath = filePath(number)
        let fd = try ChunkDiskMapperIO.open(filePath, O_RDONLY | O_CLOEXEC)
        let size: Int
        let head: [UInt8]
        do throws(TSDBError) {
            size = try ChunkDiskMapperIO.size(fd, path: filePath)
            head = try ChunkDiskMapperIO.read(fd, count: 4, at: 0, path: filePath)
        } catch {
            _ = try? ChunkDiskMapperIO.close(fd, path: filePath)
            throw error
        }
        try ChunkDiskMapperIO.close(fd, path: filePath)
        let reason: String
        if size < ChunkDiskMapperFormat.headerSize {
            reason = "shorter than the \(ChunkDiskMapperFormat.headerSize)-byte header"
        } else if head.allSatisfy({ $0 == 0 }) {
            reason = "magic number is zero"
        } else {
            return nil
        }
        try ChunkDiskMapperIO.remove(filePath)
        try ChunkDiskMapperIO.syncDirectory(path)
        return ChunkDiskMapperRepair(
            action: .deletedFile, fileNumber: number, offset: 0, originalSize: size, reason: reason)
    }

    static func checkHeader(_ bytes: UnsafeRawBufferPointer, path: String) throws(TSDBError) {
        guard bytes.count >= ChunkDiskMapperFormat.headerSize else {
            throw TSDBError.headChunks(.corruption, "invalid head chunk file header: \(bytes.count) bytes", path: path)
        }
        let magic = bytes[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard magic == ChunkDiskMapperFormat.magic else {
            throw TSDBError.headChunks(.corruption, "invalid magic number \(String(magic, radix: 16))", path: path)
        }
        guard bytes[4] == ChunkDiskMapperFormat.version else {
            throw TSDBError.headChunks(.corruption, "invalid chunk format version \(bytes[4])", path: path)
        }
    }

    func filePath(_ number: Int) -> String { path + "/" + ChunkDiskMapperFormat.fileName(number) }

    // MARK: Writing

    /// Appends one chunk and returns its reference.
    ///
    /// The entry goes into the write buffer, which is written out when it fills or on `flush()`;
    /// `chunk(_:)` serves it from there meanwhile. Cuts a new file first if the current one could
    /// overflow `maxFileBytes` (a chunk larger than that still goes alone into a fresh file).
    ///
    /// - Parameter encoding: the stored encoding byte (1 = XOR; bit 7 set marks an out-of-order chunk).
    /// - Throws: `.closed`, `.io`; `.invalidArgument` for seriesRef, minTime and maxTime all zero
    ///   (that entry would read as the end of the file).
    package func write(
        seriesRef: UInt64, minTime: Int64, maxTime: Int64, encoding: UInt8, data: [UInt8]
    ) throws(TSDBError) -> HeadChunkRef {
        guard seriesRef != 0 || minTime != 0 || maxTime != 0 else {
            throw TSDBError.headChunks(.invalidArgument, "seriesRef, minTime and maxTime are all zero")
        }
        return try lock.withLock { () throws(TSDBError) -> HeadChunkRef in
            guard !state.closed else { throw TSDBError.headChunks(.closed, "write after close", path: path) }
            if let current = state.current {
                let size = current.flushedBytes + state.buffer.count
                if size > ChunkDiskMapperFormat.headerSize,
                    size + data.count + ChunkDiskMapperFormat.maxEntryMetaSize > maxFileBytes
                {
                    try cutLocked()
                }
            } else {
                try cutLocked()
            }
            let entrySize = ChunkDiskMapperFormat.entryPrefixSize + 1
                + ChunkDiskMapperFormat.uvarintSize(data.count) + data.count + 4
            if !state.buffer.isEmpty, state.buffer.count + entrySize > writeBufferBytes { try flushLocked() }
            // Safety of the force unwrap: cutLocked() above leaves a current file.
            let offset = state.current!.flushedBytes + state.buffer.count
            let start = state.buffer.count
            ByteWriter.be64(seriesRef, to: &state.buffer)
            ByteWriter.be64(UInt64(bitPattern: minTime), to: &state.buffer)
            ByteWriter.be64(UInt64(bitPattern: maxTime), to: &state.buffer)
            state.buffer.append(encoding)
            ByteWriter.uvarint(UInt64(data.count), to: &state.buffer)
            state.buffer.append(contentsOf: data)
            let crc = state.buffer.withUnsafeBytes { CRC32C.update(0, UnsafeRawBufferPointer(rebasing: $0[start...])) }
            ByteWriter.be32(crc, to: &state.buffer)
            state.current!.maxTime = max(state.current!.maxTime, maxTime)
            state.current!.entryCount += 1
            state.current!.lastEntryOffset = offset
            let ref = HeadChunkRef(fileNumber: state.current!.number, offset: offset)
            if state.buffer.count >= writeBufferBytes { try flushLocked() }
            return ref
        }
    }

    /// Writes the buffered entries to the current file (no fsync; cuts and `close()` fsync).
    package func flush() throws(TSDBError) {
        try lock.withLock { () throws(TSDBError) in
            guard !state.closed else { throw TSDBError.headChunks(.closed, "flush after close", path: path) }
            try flushLocked()
        }
    }

    /// Flushes, fsyncs and closes the current file. The mapper cannot be used afterwards; closing twice is fine.
    package func close() throws(TSDBError) {
        try lock.withLock { () throws(TSDBError) in
            guard !state.closed else { return }
            state.closed = true
            state.sealed.removeAll()
            defer {
                // A failed flush or fsync still releases the descriptor.
                if let current = state.current {
                    _ = try? ChunkDiskMapperIO.close(current.descriptor, path: current.path)
                }
                state.current = nil
                state.buffer = []
            }
            try sealLocked(map: false)
        }
    }

    /// Number of head chunk files, the current one included.
    package var fileCount: Int {
        lock.withLock { state.sealed.count + (state.current == nil ? 0 : 1) }
    }

    /// Bytes in the head chunk files: closed files plus what has been written of the current one
    /// (buffered entries not included).
    package var bytesOnDisk: Int {
        lock.withLock {
            state.sealed.values.reduce(0) { $0 + $1.mapping.bytes.count } + (state.current?.flushedBytes ?? 0)
        }
    }

    /// Repairs made to damaged files found at startup, oldest first.
    package var repairs: [ChunkDiskMapperRepair] { lock.withLock { state.repairs } }

    /// Writes the buffer to the current file. Caller holds the lock.
    func flushLocked() throws(TSDBError) {
        guard let current = state.current, !state.buffer.isEmpty else { return }
        try ChunkDiskMapperIO.write(current.descriptor, state.buffer, at: current.flushedBytes, path: current.path)
        state.current!.flushedBytes += state.buffer.count
        state.buffer.removeAll(keepingCapacity: true)
    }

    /// Seals the current file (if any) and starts the next one. Caller holds the lock.
    func cutLocked() throws(TSDBError) {
        if state.current != nil { try sealLocked(map: true) }
        let number = state.nextFileNumber
        let filePath = filePath(number)
        let fd = try ChunkDiskMapperIO.open(filePath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC)
        do throws(TSDBError) {
            try ChunkDiskMapperIO.write(fd, ChunkDiskMapperFormat.header, at: 0, path: filePath)
            try ChunkDiskMapperIO.syncDirectory(path)
        } catch {
            _ = try? ChunkDiskMapperIO.close(fd, path: filePath)
            try? ChunkDiskMapperIO.remove(filePath)
            throw error
        }
        state.nextFileNumber = number + 1
        state.current = CurrentFile(
            number: number, path: filePath, descriptor: fd, flushedBytes: ChunkDiskMapperFormat.headerSize,
            mapping: try? ChunkDiskMapperMapping(descriptor: fd, path: filePath, fileNumber: number, length: maxFileBytes))
    }

    /// Flushes, fsyncs and closes the current file, then (if `map`) maps it as a sealed file.
    /// Caller holds the lock.
    @discardableResult
    func sealLocked(map: Bool) throws(TSDBError) -> Int? {
        guard let current = state.current else { return nil }
        let size = current.flushedBytes + state.buffer.count
        let padded = ChunkDiskMapperFormat.paddedLength(end: size, lastEntryStart: current.lastEntryOffset)
        if padded > size {
            state.buffer.append(contentsOf: repeatElement(0, count: padded - size))
            state.current!.lastEntryOffset = nil  // padded once, even if the flush below fails
        }
        try flushLocked()
        try ChunkDiskMapperIO.sync(current.descriptor, path: current.path)
        state.current = nil
        try ChunkDiskMapperIO.close(current.descriptor, path: current.path)
        if map {
            let mapping = try ChunkDiskMapperMapping(path: current.path, fileNumber: current.number)
            state.sealed[current.number] = SealedFile(mapping: mapping, maxTime: current.maxTime)
        }
        return current.number
    }
}
