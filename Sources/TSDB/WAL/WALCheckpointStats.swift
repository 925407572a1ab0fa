// What one checkpoint kept and dropped (Prometheus `wlog.CheckpointStats`, spec/tsdb-format.md §6.4).

/// Counts from one ``WAL/checkpoint(directory:through:minTime:compress:keepSeries:)``.
///
/// "Kept" counts what went into the new checkpoint, "dropped" what the filters removed. Series,
/// samples and tombstones are counted per entry; records per record.
///
/// ```swift
/// let stats = try WAL.checkpoint(directory: wal, through: 4, minTime: headMinTime, compress: true) { head.has($0) }
/// metrics.checkpointCreations += 1
/// logger.info("WAL checkpoint", metadata: ["tsdb.wal.checkpoint": "\(stats.checkpoint)",
///                                          "tsdb.wal.samples_dropped": "\(stats.samplesDropped)"])
/// ```
package struct WALCheckpointStats: Sendable, Equatable {
    /// The checkpoint written: it covers every segment up to and including this number.
    package var checkpoint: Int
    /// The older checkpoint read first and folded in, if there was one.
    package var previousCheckpoint: Int?
    /// The WAL segments read after the previous checkpoint, ascending.
    package var segments: [Int] = []

    /// Records read from the previous checkpoint and the segments.
    package var recordsRead = 0
    /// Records written to the new checkpoint (at most one per record read; never merged).
    package var recordsWritten = 0
    /// Records whose entries were all dropped, or of a type that is never kept.
    package var recordsDropped: Int { recordsRead - recordsWritten }
    /// Records of types other than series, samples, tombstones and histograms (exemplars,
    /// metadata, unknown types, empty records), all dropped. Included in ``recordsDropped``.
    package var otherRecordsDropped = 0

    /// Series definitions kept (`keepSeries` returned true).
    package var seriesKept = 0
    /// Series definitions dropped.
    package var seriesDropped = 0
    /// Float samples kept (timestamp at or after `minTime`, series kept).
    package var samplesKept = 0
    /// Float samples dropped.
    package var samplesDropped = 0
    /// Native-histogram samples kept (timestamp at or after `minTime`, series kept).
    package var histogramsKept = 0
    /// Native-histogram samples dropped.
    package var histogramsDropped = 0
    /// Tombstone intervals kept (ending at or after `minTime`).
    package var tombstonesKept = 0
    /// Tombstone intervals dropped.
    package var tombstonesDropped = 0

    /// Bytes written to the new checkpoint's segment files, page padding included.
    package var bytesWritten = 0
    /// Older checkpoints removed after the new one was in place.
    package var deletedCheckpoints: [Int] = []
    /// Problems that did not fail the checkpoint, e.g. an older checkpoint that could not be
    /// removed (it is retried by the next checkpoint; replay ignores it meanwhile).
    package var warnings: [String] = []

    package init(checkpoint: Int) {
        self.checkpoint = checkpoint
    }
}
