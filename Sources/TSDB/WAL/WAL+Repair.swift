// Repairing a WAL after replay found a torn or corrupt record, like Prometheus's `wlog.Repair`.

extension WAL {
    /// Repairs the corruption that replay reported, so that the WAL can be appended to and replayed
    /// again: truncates the corrupt segment at `corruption.offset` (the end of the last good record),
    /// zero-fills it to a page boundary and deletes every later segment of the same directory.
    ///
    /// When the corruption is in the WAL itself, the segment being written is among those deleted
    /// (it is always the newest); writing continues in a fresh segment `corruption.segment + 1`, as
    /// in Prometheus. A corruption inside a checkpoint only touches that checkpoint's files.
    ///
    /// Unlike Prometheus, which re-logs the good records into a new file, this truncates in place;
    /// the resulting bytes are the same when the records were written with the same compression.
    /// - Throws: `TSDBError` on I/O failure. Never traps.
    package func repair(_ corruption: WALCorruption) throws(TSDBError) {
        let activeAffected = !corruption.isCheckpoint && corruption.directory == directory
            && currentSegment >= corruption.segment
        if activeAffected, let file {
            self.file = nil
            pending.removeAll(keepingCapacity: true)
            try file.close()
        }
        try WAL.repair(corruption)
        repairs += 1
        if activeAffected {
            try createSegment(corruption.segment + 1)
        }
    }

    /// Repairs a WAL or checkpoint directory that no `WAL` object has open (see ``repair(_:)``).
    ///
    /// Use it when replaying before opening the writer. Never while a `WAL` is open on the same
    /// directory: it would delete that WAL's active segment from under it.
    /// - Throws: `TSDBError` on I/O failure.
    package static func repair(_ corruption: WALCorruption) throws(TSDBError) {
        for segment in try WALDirectory.segments(in: corruption.directory) where segment > corruption.segment {
            try WALDirectory.removeFile(WALFormat.segmentPath(corruption.directory, segment))
        }
        let path = corruption.path
        if WALDirectory.isRegularFile(path) {
            let file = try WALFile.openForUpdate(path: path)
            do {
                let keep = min(max(corruption.offset, 0), try file.size())
                try file.truncate(to: keep)
                let page = WALFormat.pageSize
                let padded = (keep + page - 1) / page * page
                // Growing with ftruncate fills with zeros: the rest of the last page becomes padding.
                if padded != keep { try file.truncate(to: padded) }
                try file.sync()
            } catch {
                try? file.close()
                throw error
            }
            try file.close()
        }
        try WALDirectory.sync(corruption.directory)
    }
}
