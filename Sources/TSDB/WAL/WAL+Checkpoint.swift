// Checkpointing: folding the newest checkpoint and a run of finished WAL segments into a new,
// filtered `checkpoint.NNNNNNNN` folder, as Prometheus's `wlog.Checkpoint` does after head
// compaction (spec/tsdb-format.md §6.4). Deleting the segments it covers: WAL+Truncate.swift.

import ChunkEncoding
package import MetricModel

extension WAL {
    /// Records go to the checkpoint's writer in batches of about this many bytes (Prometheus: 1 MB).
    static let checkpointBatchBytes = 1 << 20

    /// Writes `checkpoint.<through>` from the newest existing checkpoint (if any) and the WAL
    /// segments after it up to and including `through`, keeping only what the head still needs.
    ///
    /// Filters, record by record (a record whose entries are all dropped is not written; records
    /// are never merged, so order is preserved):
    /// - Series: kept when `keepSeries(ref)` is true.
    /// - Samples: kept when `timestamp >= minTime` and `keepSeries(ref)` is true.
    /// - Tombstones: an interval is kept when it ends at or after `minTime` (Prometheus's rule).
    /// - Every other record type (exemplars, metadata, histograms, unknown) is dropped.
    ///
    /// Steps, in the order that keeps a crash at any point safe (replay then sees either the old
    /// state or the new checkpoint, and the newest complete checkpoint always wins):
    /// 1. remove leftover `checkpoint.*.tmp` folders of interrupted runs;
    /// 2. write `checkpoint.<through>.tmp/00000000…` in the WAL segment format (default segment
    ///    size; snappy when `compress`), pad, `fsync` the segments and the folder;
    /// 3. `rename(2)` it to `checkpoint.<through>` and `fsync` the WAL directory;
    /// 4. remove older checkpoints (failures there become ``WALCheckpointStats/warnings``).
    ///
    /// Segments are not deleted here: call ``deleteSegments(directory:before:)`` with
    /// `through + 1` afterwards. The layout is Prometheus's (`wal/checkpoint.00000003/00000000`),
    /// so Prometheus 2.42 replays it.
    ///
    /// Prometheus's `Head.truncateWAL`, in our terms:
    /// ```swift
    /// var (first, last) = wal.segmentRange
    /// try wal.nextSegment()
    /// last -= 1                                    // never the segment that was being written
    /// let through = first + (last - first) * 2 / 3 // the lower two thirds, as Prometheus 2.42
    /// if last >= 0, through > first {
    ///     _ = try WAL.checkpoint(directory: wal.directory, through: through, minTime: head.minTime,
    ///                            compress: wal.options.compress) { head.containsSeries($0) }
    ///     try WAL.deleteSegments(directory: wal.directory, before: through + 1)
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - directory: the WAL directory (`<data>/wal`). A `WAL` may be writing to it, to a segment
    ///     above `through`.
    ///   - through: the last segment to fold in. It must exist and be below the newest segment
    ///     (the newest may be being written), and above the newest existing checkpoint.
    ///   - minTime: samples and tombstones ending before this time are dropped.
    ///   - compress: snappy-compress records that shrink (use the WAL's own setting).
    ///   - keepSeries: whether the head still has the series. Called once per series entry and
    ///     once per run of samples of one series; it must not touch the WAL.
    /// - Returns: what was kept and dropped.
    /// - Throws: `TSDBError` with `.invalidArgument` for a bad `through`; `.corruption` when the
    ///   previous checkpoint or a segment is torn, corrupt, does not decode, or segments are
    ///   missing (nothing is written then: the head cannot know which series would be lost);
    ///   `.io` on I/O failure. After any throw the WAL directory replays as before.
    /// - Complexity: O(bytes of the previous checkpoint and the segments read); memory about 1 MiB
    ///   plus the largest record.
    /// - Thread-safety: run one checkpoint or segment deletion at a time per directory, off the
    ///   cooperative pool (it reads, writes and fsyncs).
    package static func checkpoint(
        directory: String,
        through: Int,
        minTime: Timestamp,
        compress: Bool,
        keepSeries: (SeriesRef) -> Bool
    ) throws(TSDBError) -> WALCheckpointStats {
        let previous = try WALDirectory.lastCheckpoint(in: directory)
        var stats = WALCheckpointStats(checkpoint: through)
        stats.previousCheckpoint = previous?.index
        let inputs = try checkpointInputs(directory: directory, through: through, previous: previous, stats: &stats)

        for leftover in try WALDirectory.temporaryCheckpoints(in: directory) {
            try WALDirectory.removeTree(leftover)
        }
        let path = directory + "/" + WALFormat.checkpointName(through)
        let temporary = path + WALDirectory.temporarySuffix
        let writer: WAL
        do {
            writer = try WAL(directory: temporary, options: Options(compress: compress))
        } catch {
            try? WALDirectory.removeTree(temporary)
            throw error
        }
        do {
            var filter = CheckpointFilter(minTime: minTime)
            try filter.copy(inputs, to: writer, stats: &stats, keepSeries: keepSeries)
            try writer.close()
            stats.bytesWritten = writer.bytesWritten
            try WALDirectory.sync(temporary)
            try WALDirectory.rename(temporary, to: path)
        } catch {
            try? writer.close()
            try? WALDirectory.removeTree(temporary)
            throw error
        }
        // Nothing older may go before the new name is durable.
        try WALDirectory.sync(directory)
        deleteCheckpoints(in: directory, before: through, stats: &stats)
        return stats
    }

    /// The segment files to read, in order: the previous checkpoint's, then WAL segments
    /// `previous + 1 … through` (or, without a checkpoint, the lowest present … `through`).
    private static func checkpointInputs(
        directory: String, through: Int, previous: (index: Int, path: String)?, stats: inout WALCheckpointStats
    ) throws(TSDBError) -> [String] {
        let all = try WALDirectory.segments(in: directory)
        guard let newest = all.last, through >= 0, through < newest else {
            let newestName = all.last.map(WALFormat.segmentName) ?? "none"
            throw TSDBError.wal(.invalidArgument, "checkpoint through segment \(through): only segments below the newest (\(newestName)) are finished", path: directory)
        }
        var inputs: [String] = []
        let start: Int
        if let previous {
            guard through > previous.index else {
                throw TSDBError.wal(.invalidArgument, "checkpoint through segment \(through) is not after the existing checkpoint \(previous.index)", path: directory)
            }
            let own = try WALDirectory.segments(in: previous.path)
            if let first = own.first, let last = own.last, last - first + 1 != own.count {
                throw TSDBError.wal(.corruption, "checkpoint segments are not sequential: \(own.map(WALFormat.segmentName))", path: previous.path)
            }
            inputs += own.map { WALFormat.segmentPath(previous.path, $0) }
            start = previous.index + 1
        } else {
            start = min(all.first ?? through, through)
        }
        // Sorted and unique: contiguous exactly when the count matches the span.
        let range = all.filter { $0 >= start && $0 <= through }
        guard range.count == through - start + 1 else {
            let firstMissing = zip(range, start...).first { $0 != $1 }?.1 ?? start + range.count
            throw TSDBError.wal(.corruption, "segments are not sequential: segment \(WALFormat.segmentName(firstMissing)) is missing before checkpoint \(through)", path: directory)
        }
        stats.segments = range
        inputs += range.map { WALFormat.segmentPath(directory, $0) }
        return inputs
    }

    /// Removes complete checkpoints numbered below `index`, ascending; failures become warnings
    /// (Prometheus logs them): replay ignores older checkpoints, and the next checkpoint retries.
    private static func deleteCheckpoints(in directory: String, before index: Int, stats: inout WALCheckpointStats) {
        let older: [(index: Int, path: String)]
        do {
            older = try WALDirectory.checkpoints(in: directory).filter { $0.index < index }
        } catch {
            stats.warnings.append("list old checkpoints: \(error)")
            return
        }
        guard !older.isEmpty else { return }
        for checkpoint in older {
            do {
                try WALDirectory.removeTree(checkpoint.path)
                stats.deletedCheckpoints.append(checkpoint.index)
            } catch {
                stats.warnings.append("delete checkpoint \(checkpoint.index): \(error)")
            }
        }
        do {
            try WALDirectory.sync(directory)
        } catch {
            stats.warnings.append("sync after deleting old checkpoints: \(error)")
        }
    }
}

/// The record filter of one checkpoint run, with buffers reused from record to record.
private struct CheckpointFilter {
    let minTime: Timestamp
    private var series: [WALSeries] = []
    private var keptSeries: [WALSeries] = []
    private var samples: [WALSample] = []
    private var keptSamples: [WALSample] = []
    private var tombstones: [WALTombstone] = []
    private var keptTombstones: [WALTombstone] = []
    /// Filtered records not yet handed to the writer, and their total size.
    private var batch: [[UInt8]] = []
    private var batchBytes = 0

    init(minTime: Timestamp) {
        self.minTime = minTime
    }

    /// Reads every record of the segment files `paths` in order, filters it and logs what is left.
    mutating func copy(
        _ paths: [String], to writer: WAL, stats: inout WALCheckpointStats, keepSeries: (SeriesRef) -> Bool
    ) throws(TSDBError) {
        for path in paths {
            let reader = try WALSegmentReader(path: path)
            reading: while true {
                switch try reader.next() {
                case .end:
                    break reading
                case .corrupt(let offset, _, let reason):
                    throw TSDBError.wal(.corruption, "read record at offset \(offset): \(reason)", path: path)
                case .record(let start, _):
                    stats.recordsRead += 1
                    do {
                        try filter(reader.record, stats: &stats, keepSeries: keepSeries)
                    } catch {
                        throw TSDBError.wal(.corruption, "decode record at offset \(start): \(error)", path: path)
                    }
                    if batchBytes >= WAL.checkpointBatchBytes { try flush(to: writer, stats: &stats) }
                }
            }
        }
        try flush(to: writer, stats: &stats)
    }

    private mutating func flush(to writer: WAL, stats: inout WALCheckpointStats) throws(TSDBError) {
        guard !batch.isEmpty else { return }
        try writer.log(batch)
        stats.recordsWritten += batch.count
        batch.removeAll(keepingCapacity: true)
        batchBytes = 0
    }

    /// Decodes one record, drops what is no longer needed and queues the re-encoded rest.
    private mutating func filter(
        _ record: [UInt8], stats: inout WALCheckpointStats, keepSeries: (SeriesRef) -> Bool
    ) throws(DecodeError) {
        var out: [UInt8] = []
        switch WALRecord.typeByte(of: record).flatMap(WALRecordType.init(rawValue:)) {
        case .series?:
            series.removeAll(keepingCapacity: true)
            keptSeries.removeAll(keepingCapacity: true)
            try WALRecord.decodeSeries(record, into: &series)
            for entry in series where keepSeries(entry.ref) { keptSeries.append(entry) }
            stats.seriesKept += keptSeries.count
            stats.seriesDropped += series.count - keptSeries.count
            guard !keptSeries.isEmpty else { return }
            WALRecord.encodeSeries(keptSeries, into: &out)
        case .samples?:
            samples.removeAll(keepingCapacity: true)
            keptSamples.removeAll(keepingCapacity: true)
            try WALRecord.decodeSamples(record, into: &samples)
            // Samples of one series usually come in runs: ask about each series once per run.
            var lastRef: SeriesRef?
            var keepLast = false
            for sample in samples where sample.timestamp >= minTime {
                if sample.ref != lastRef {
                    lastRef = sample.ref
                    keepLast = keepSeries(sample.ref)
                }
                if keepLast { keptSamples.append(sample) }
            }
            stats.samplesKept += keptSamples.count
            stats.samplesDropped += samples.count - keptSamples.count
            guard !keptSamples.isEmpty else { return }
            WALRecord.encodeSamples(keptSamples, into: &out)
        case .tombstones?:
            tombstones.removeAll(keepingCapacity: true)
            keptTombstones.removeAll(keepingCapacity: true)
            try WALRecord.decodeTombstones(record, into: &tombstones)
            for tombstone in tombstones where tombstone.maxTime >= minTime { keptTombstones.append(tombstone) }
            stats.tombstonesKept += keptTombstones.count
            stats.tombstonesDropped += tombstones.count - keptTombstones.count
            guard !keptTombstones.isEmpty else { return }
            WALRecord.encodeTombstones(keptTombstones, into: &out)
        case .histogramSamples?, .customBucketsHistogramSamples?:
            var histograms: [WALHistogramSample] = []
            var skipped = 0
            try WALRecord.decodeHistogramSamples(record, into: &histograms, skipped: &skipped)
            let kept = histograms.filter { $0.timestamp >= minTime && keepSeries($0.ref) }
            countHistograms(kept: kept.count, of: histograms.count + skipped, stats: &stats)
            guard !kept.isEmpty else { return }
            WALRecord.encodeHistogramSamples(kept, customBuckets: record[0] != WALRecordType.histogramSamples.rawValue, into: &out)
        case .floatHistogramSamples?, .customBucketsFloatHistogramSamples?:
            var histograms: [WALFloatHistogramSample] = []
            var skipped = 0
            try WALRecord.decodeFloatHistogramSamples(record, into: &histograms, skipped: &skipped)
            let kept = histograms.filter { $0.timestamp >= minTime && keepSeries($0.ref) }
            countHistograms(kept: kept.count, of: histograms.count + skipped, stats: &stats)
            guard !kept.isEmpty else { return }
            WALRecord.encodeFloatHistogramSamples(
                kept, customBuckets: record[0] != WALRecordType.floatHistogramSamples.rawValue, into: &out)
        default:
            stats.otherRecordsDropped += 1
            return
        }
        batchBytes += out.count
        batch.append(out)
    }

    private func countHistograms(kept: Int, of total: Int, stats: inout WALCheckpointStats) {
        stats.histogramsKept += kept
        stats.histogramsDropped += total - kept
    }
}
