// Reading head chunks back (spec/tsdb-format.md §7): one chunk by reference, or every chunk on disk
// at startup (Prometheus `ChunkDiskMapper.Chunk` and `IterateAllChunks`), repairing a torn last file.

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

extension ChunkDiskMapper {
    /// The payload of the chunk at `ref`, checked against its CRC32C.
    ///
    /// Served from the write buffer if it has not been flushed yet, else from the file's memory map
    /// (decoded outside the lock; the current file's is made at its largest size when it is cut,
    /// and `pread(2)` stands in if that failed).
    ///
    /// - Returns: a copy of the chunk bytes (the encoding byte is not included).
    /// - Throws: `.invalidReference` for a file this mapper does not hold (e.g. truncated away) or an
    ///   offset outside it; `.corruption` when no intact entry starts at the offset; `.closed`, `.io`.
    package func chunk(_ ref: HeadChunkRef) throws(TSDBError) -> [UInt8] {
        enum Source {
            case bytes([UInt8])
            /// Entries in the first `limit` bytes of the mapping.
            case mapping(ChunkDiskMapperMapping, limit: Int)
        }
        let number = ref.fileNumber
        let offset = ref.offset
        let source = try lock.withLock { () throws(TSDBError) -> Source in
            guard !state.closed else { throw TSDBError.headChunks(.closed, "read after close", path: path) }
            guard offset >= ChunkDiskMapperFormat.headerSize else {
                throw TSDBError.headChunks(.invalidReference, "chunk reference \(ref) points into the file header")
            }
            if let current = state.current, current.number == number {
                if offset >= current.flushedBytes {
                    // Fast path: the entry is still in the write buffer.
                    let start = offset - current.flushedBytes
                    guard start < state.buffer.count else {
                        throw TSDBError.headChunks(
                            .invalidReference, "chunk reference \(ref) is past the end of the current file",
                            path: current.path)
                    }
                    return .bytes(try Self.chunkData(state.buffer, at: start, ref: ref, path: current.path))
                }
                if let mapping = current.mapping, current.flushedBytes <= mapping.bytes.count {
                    return .mapping(mapping, limit: current.flushedBytes)
                }
                return .bytes(try readFlushedChunkLocked(current, ref: ref))
            }
            guard let sealed = state.sealed[number] else {
                throw TSDBError.headChunks(
                    .invalidReference, "head chunk file \(ChunkDiskMapperFormat.fileName(number)) does not exist",
                    path: path)
            }
            guard offset < sealed.mapping.bytes.count else {
                throw TSDBError.headChunks(
                    .invalidReference,
                    "chunk reference \(ref) is past the end of the file (\(sealed.mapping.bytes.count) bytes)",
                    path: sealed.mapping.path)
            }
            return .mapping(sealed.mapping, limit: sealed.mapping.bytes.count)
        }
        switch source {
        case .bytes(let bytes):
            return bytes
        case .mapping(let mapping, let limit):
            // The mapping stays alive while we hold it, even if the file is truncated away meanwhile.
            // Entries below `limit` are written and stay as they are: no lock needed to read them.
            return try Self.chunkData(
                UnsafeRawBufferPointer(rebasing: mapping.bytes[..<limit]), at: offset, ref: ref, path: mapping.path)
        }
    }

    /// Reads an already written entry of the current file with two `pread(2)`s. Caller holds the lock.
    private func readFlushedChunkLocked(_ current: CurrentFile, ref: HeadChunkRef) throws(TSDBError)
        -> [UInt8]
    {
        let offset = ref.offset
        let available = current.flushedBytes - offset
        let head = try ChunkDiskMapperIO.read(
            current.descriptor, count: min(ChunkDiskMapperFormat.maxEntryMetaSize, available), at: offset,
            path: current.path)
        guard let length = head.withUnsafeBytes({ ChunkDiskMapperFormat.entryLength($0, at: 0) }),
            length <= available
        else {
            throw TSDBError.headChunks(
                .corruption, "no intact head chunk entry at \(ref)", path: current.path)
        }
        let entry = try ChunkDiskMapperIO.read(current.descriptor, count: length, at: offset, path: current.path)
        return try Self.chunkData(entry, at: 0, ref: ref, path: current.path)
    }

    /// Decodes the entry at `start` of `bytes` and copies its payload.
    static func chunkData(_ bytes: [UInt8], at start: Int, ref: HeadChunkRef, path: String)
        throws(TSDBError) -> [UInt8]
    {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(TSDBError) in try chunkData(raw, at: start, ref: ref, path: path) }
        }.get()
    }

    /// Decodes the entry at `start` of `raw` and copies its payload.
    static func chunkData(_ raw: UnsafeRawBufferPointer, at start: Int, ref: HeadChunkRef, path: String)
        throws(TSDBError) -> [UInt8]
    {
        switch ChunkDiskMapperFormat.decodeEntry(raw, at: start, stopAtZeroTail: false) {
        case .entry(let entry):
            return Array(raw[entry.data])
        case .end:
            throw TSDBError.headChunks(.corruption, "no head chunk entry at \(ref)", path: path)
        case .corrupt(let reason):
            throw TSDBError.headChunks(.corruption, "head chunk at \(ref): \(reason)", path: path)
        }
    }

    /// Calls `body` for every chunk on disk, in file order, then for those of the current file.
    ///
    /// Meant for startup, before writing (Prometheus `IterateAllChunks`); it also records each file's
    /// largest `maxTime` for `truncate(before:)`. Each file ends at its zero-filled tail. A torn or
    /// corrupt entry in the newest file found at startup is where that file is truncated (the intact
    /// prefix is kept; the repair is appended to ``repairs``); anywhere else it throws.
    ///
    /// - Parameter body: gets the series, the chunk's reference, its time range, the stored encoding
    ///   byte (bit 7 = out-of-order) and the payload's leading `BE16` (the sample count of XOR
    ///   chunks). It runs outside the lock, so it may call `chunk(_:)`.
    /// - Throws: whatever `body` throws; `TSDBError` `.corruption`, `.io`, `.closed`.
    package func iterateChunks(
        _ body: (
            _ seriesRef: UInt64, _ ref: HeadChunkRef, _ minTime: Int64, _ maxTime: Int64, _ encoding: UInt8,
            _ numSamples: UInt16
        ) throws -> Void
    ) throws {
        let (files, current) = try lock.withLock {
            () throws(TSDBError) -> ([ChunkDiskMapperMapping], (number: Int, bytes: [UInt8])?) in
            guard !state.closed else { throw TSDBError.headChunks(.closed, "iterate after close", path: path) }
            let files = state.sealed.keys.sorted().compactMap { state.sealed[$0]?.mapping }
            guard let current = state.current else { return (files, nil) }
            let written = try ChunkDiskMapperIO.read(
                current.descriptor, count: current.flushedBytes, at: 0, path: current.path)
            return (files, (current.number, written + state.buffer))
        }
        func visit(_ entry: ChunkDiskMapperEntry, _ ref: HeadChunkRef) throws {
            try body(entry.seriesRef, ref, entry.minTime, entry.maxTime, entry.encoding, entry.numSamples)
        }
        for mapping in files {
            switch try Self.scan(mapping.bytes, fileNumber: mapping.fileNumber, visit) {
            case .complete(let maxTime):
                lock.withLock {
                    if state.sealed[mapping.fileNumber]?.mapping === mapping {
                        state.sealed[mapping.fileNumber]?.maxTime = maxTime
                    }
                }
            case .corrupt(let offset, let lastEntryStart, let maxTime, let reason):
                let repairable = lock.withLock { state.repairableFileNumber == mapping.fileNumber }
                guard repairable else {
                    throw TSDBError.headChunks(
                        .corruption, "corruption in head chunk file at offset \(offset): \(reason)",
                        path: mapping.path)
                }
                try repairTail(
                    of: mapping, at: offset, lastEntryStart: lastEntryStart, maxTime: maxTime, reason: reason)
            }
        }
        if let current {
            let outcome = try current.bytes.withUnsafeBytes { raw in
                try Self.scan(raw, fileNumber: current.number, visit)
            }
            if case .corrupt(let offset, _, _, let reason) = outcome {
                throw TSDBError.headChunks(
                    .corruption, "corruption in the current head chunk file at offset \(offset): \(reason)",
                    path: filePath(current.number))
            }
        }
    }

    /// How reading a file's entries ended.
    enum ScanOutcome {
        /// All entries read; the largest `maxTime` (`Int64.min` for none).
        case complete(maxTime: Int64)
        /// Stopped at a torn or corrupt entry starting at `offset`; the start and `maxTime` of the
        /// entries before it.
        case corrupt(offset: Int, lastEntryStart: Int?, maxTime: Int64, reason: String)
    }

    /// Reads the entries of one file's bytes, calling `body` for each. Never traps on bad input.
    static func scan(
        _ raw: UnsafeRawBufferPointer, fileNumber: Int,
        _ body: (ChunkDiskMapperEntry, HeadChunkRef) throws -> Void
    ) rethrows -> ScanOutcome {
        var offset = ChunkDiskMapperFormat.headerSize
        var maxTime = Int64.min
        var lastEntryStart: Int?
        guard raw.count >= offset else {
            return .corrupt(offset: 0, lastEntryStart: nil, maxTime: maxTime, reason: "shorter than the file header")
        }
        while true {
            switch ChunkDiskMapperFormat.decodeEntry(raw, at: offset, stopAtZeroTail: true) {
            case .end:
                return .complete(maxTime: maxTime)
            case .corrupt(let reason):
                return .corrupt(offset: offset, lastEntryStart: lastEntryStart, maxTime: maxTime, reason: reason)
            case .entry(let entry):
                guard offset <= Int(UInt32.max) else {
                    return .corrupt(
                        offset: offset, lastEntryStart: lastEntryStart, maxTime: maxTime,
                        reason: "entry offset does not fit in 32 bits")
                }
                try body(entry, HeadChunkRef(fileNumber: fileNumber, offset: offset))
                maxTime = max(maxTime, entry.maxTime)
                lastEntryStart = offset
                offset = entry.end
            }
        }
    }

    /// Truncates a torn file at `offset` (zero-padding a short last entry for Prometheus's reader, see
    /// `ChunkDiskMapperFormat.paddedLength`) and maps it again at its new length.
    private func repairTail(
        of mapping: ChunkDiskMapperMapping, at offset: Int, lastEntryStart: Int?, maxTime: Int64, reason: String
    ) throws(TSDBError) {
        try lock.withLock { () throws(TSDBError) in
            let number = mapping.fileNumber
            // Already deleted or repaired by a concurrent call: nothing to do.
            guard state.sealed[number]?.mapping === mapping else { return }
            let fd = try ChunkDiskMapperIO.open(mapping.path, O_RDWR | O_CLOEXEC)
            do throws(TSDBError) {
                try ChunkDiskMapperIO.truncate(fd, to: offset, path: mapping.path)
                let padded = ChunkDiskMapperFormat.paddedLength(end: offset, lastEntryStart: lastEntryStart)
                if padded > offset { try ChunkDiskMapperIO.truncate(fd, to: padded, path: mapping.path) }
                try ChunkDiskMapperIO.sync(fd, path: mapping.path)
            } catch {
                _ = try? ChunkDiskMapperIO.close(fd, path: mapping.path)
                throw error
            }
            try ChunkDiskMapperIO.close(fd, path: mapping.path)
            // Readers still holding the old mapping only touch bytes before `offset`, which stay valid.
            let remapped = try ChunkDiskMapperMapping(path: mapping.path, fileNumber: number)
            state.sealed[number] = SealedFile(mapping: remapped, maxTime: maxTime)
            state.repairs.append(
                ChunkDiskMapperRepair(
                    action: .truncatedFile, fileNumber: number, offset: offset, originalSize: mapping.bytes.count,
                    reason: reason))
        }
    }
}
