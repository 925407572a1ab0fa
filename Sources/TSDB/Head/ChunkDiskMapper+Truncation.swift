// Head truncation for head chunk files: after compaction, whole files whose chunks all end before the
// head's new minimum time are deleted (Prometheus `ChunkDiskMapper.Truncate`, spec/tsdb-format.md §7).

extension ChunkDiskMapper {
    /// Deletes the oldest files whose chunks all end before `minTime`.
    ///
    /// Only a prefix of the files goes (the first file with a chunk at or after `minTime` stops it),
    /// so the numbering stays contiguous. The file being written is never deleted; as in Prometheus,
    /// if it holds chunks it is closed here, so that the next write starts a new file and this one
    /// can go in a later truncation. A file whose `maxTime` is unknown (`iterateChunks` not run yet)
    /// is scanned first; one that cannot be read completely is kept.
    ///
    /// - Parameter minTime: milliseconds; chunks with `maxTime < minTime` are no longer needed.
    /// - Throws: `.closed`, `.io`.
    package func truncate(before minTime: Int64) throws(TSDBError) {
        try lock.withLock { () throws(TSDBError) in
            guard !state.closed else { throw TSDBError.headChunks(.closed, "truncate after close", path: path) }
            var removable: [Int] = []
            for number in state.sealed.keys.sorted() {
                guard var file = state.sealed[number] else { break }
                if file.maxTime == nil,
                    case .complete(let maxTime) = Self.scan(file.mapping.bytes, fileNumber: number, { _, _ in })
                {
                    file.maxTime = maxTime
                    state.sealed[number] = file
                }
                guard let maxTime = file.maxTime, maxTime < minTime else { break }
                removable.append(number)
            }
            if let current = state.current, current.entryCount > 0 { try sealLocked(map: true) }
            for number in removable {
                // Unlink first: if it fails, the state still matches the directory.
                try ChunkDiskMapperIO.remove(filePath(number))
                state.sealed[number] = nil
            }
            if !removable.isEmpty { try ChunkDiskMapperIO.syncDirectory(path) }
        }
    }
}
