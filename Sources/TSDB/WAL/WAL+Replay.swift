// Replaying a WAL at startup: decode every record of the checkpoint and the segments after it,
// stop at the first corruption and report it (spec/tsdb-format.md §6.3, §6.4).

/// What a replay read, and where it stopped.
package struct WALReplayResult: Sendable {
    /// The checkpoint read first, if any.
    package var checkpoint: Int?
    /// The WAL segments planned for reading (after the checkpoint, up to any gap).
    package var segments: [Int] = []
    /// Records handed to the callback.
    package var records = 0
    /// Series definitions in series records.
    package var series = 0
    /// Samples in samples records.
    package var samples = 0
    /// Intervals in tombstones records.
    package var tombstones = 0
    /// Native-histogram samples (integer and float) in histogram records.
    package var histograms = 0
    /// Records of other types (skipped, as Prometheus 2.42 skips them).
    package var unknownRecords = 0
    /// Set when the replay stopped early at a torn or corrupt record, or a gap between segments.
    /// Everything before it was replayed. Pass it to ``WAL/repair(_:)``.
    package var corruption: WALCorruption?
    /// Oddities that did not stop the replay.
    package var warnings: [String] = []

    /// Corruptions found: 0 or 1, since replay stops at the first. Add it to
    /// `prometheus_tsdb_wal_corruptions_total`.
    package var corruptions: Int { corruption == nil ? 0 : 1 }

    package init() {}
}

extension WAL {
    /// Reads the WAL in `directory` in replay order and calls `body` with each decoded record.
    ///
    /// Never refuses and never traps on bad data: a torn tail, a bad CRC, bad padding, a record
    /// that does not decode or a gap in segment numbers ends the replay there, and the result's
    /// `corruption` says where. A missing directory replays nothing.
    ///
    /// - Parameters:
    ///   - directory: the WAL directory (`<data>/wal`).
    ///   - body: called once per record, in order. Series records come before the samples that use
    ///     their refs when the WAL was written that way.
    /// - Throws: `TSDBError` for I/O failures only (a segment that cannot be opened or read).
    /// - Complexity: O(bytes in the checkpoint and segments); memory O(largest record).
    package static func replay(directory: String, _ body: (WALRecord) -> Void) throws(TSDBError) -> WALReplayResult {
        let reader = try WALReader(directory: directory)
        var result = WALReplayResult()
        result.checkpoint = reader.checkpoint
        result.segments = reader.segments
        while try reader.next() {
            let record: WALRecord
            do {
                record = try WALRecord(decoding: reader.record)
            } catch {
                let type = WALRecord.typeByte(of: reader.record).flatMap(WALRecordType.init(rawValue:))
                reader.reportCorruptRecord("decode \(type.map { "\($0)" } ?? "record"): \(error)")
                break
            }
            switch record {
            case .series(let series): result.series += series.count
            case .samples(let samples): result.samples += samples.count
            case .tombstones(let tombstones): result.tombstones += tombstones.count
            case .histogramSamples(let histograms): result.histograms += histograms.count
            case .floatHistogramSamples(let histograms): result.histograms += histograms.count
            case .unknown: result.unknownRecords += 1
            }
            result.records += 1
            body(record)
        }
        result.corruption = reader.corruption
        result.warnings = reader.warnings
        return result
    }
}
