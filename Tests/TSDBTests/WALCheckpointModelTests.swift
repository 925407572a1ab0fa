// The test model for WAL checkpoints: seeded records written segment by segment, and what replay
// must return after `WAL.checkpoint` (spec/tsdb-format.md §6.4), computed independently of the
// implementation. (Named *Tests.swift only to stay inside the WAL test-file pattern.)

import Testing
import MetricModel
import TSDB

/// Records in replay order, each tagged with the segment it is in (a checkpoint's records carry
/// the checkpoint's number, and come first).
struct CheckpointModel {
    /// Timestamps start here (milliseconds).
    static let base: Timestamp = 1_700_000_000_000

    var records: [(segment: Int, record: WALRecord)] = []

    /// What replay must return.
    var replay: [WALRecord] { records.map(\.record) }

    /// The result of ``checkpointed(through:minTime:keep:)``.
    struct Checkpointed {
        var model: CheckpointModel
        /// The counts `WAL.checkpoint` must report (segments, previous checkpoint, bytes and
        /// deletions are left for the test to fill in).
        var stats: WALCheckpointStats
    }

    /// Writes seeded series, samples, a tombstones record, an exemplars-type record and an empty
    /// samples record to a new WAL in `directory`, one explicit segment at a time (0...lastSegment).
    /// - Returns: the model and the WAL, still open on `lastSegment`.
    static func write(directory: String, seed: UInt64, lastSegment: Int, compress: Bool) throws -> (CheckpointModel, WAL) {
        var random = SeededGenerator(seed: seed)
        let options = WAL.Options(segmentSizeBytes: 8 * WALFormat.pageSize, compress: compress)
        let wal = try WAL(directory: directory, options: options)
        var model = CheckpointModel()
        var buffer: [UInt8] = []
        for segment in 0...lastSegment {
            if segment > 0 { try wal.nextSegment() }
            for record in records(segment: segment, random: &random) {
                buffer.removeAll(keepingCapacity: true)
                record.encode(into: &buffer)
                try wal.log(buffer)
                model.records.append((segment, record))
            }
            try #require(wal.currentSegment == segment, "segment \(segment) rolled over; seed \(seed)")
        }
        return (model, wal)
    }

    /// Segment `s`: four new series (refs 4s+1 ... 4s+4), then three samples of every series so far
    /// at `base + 30 s·segment + 10 s·k`, in two records; extras in segments 1, 2 and 3.
    static func records(segment s: Int, random: inout SeededGenerator) -> [WALRecord] {
        let newRefs = (1...4).map { UInt64(s * 4 + $0) }
        var result: [WALRecord] = [.series(newRefs.map {
            WALSeries(ref: SeriesRef($0), labels: Labels(["__name__": "ckpt_test", "ref": String($0), "segment": String(s)]))
        })]
        var samples: [WALSample] = []
        for k in 0..<3 {
            for ref in 1...UInt64(s * 4 + 4) {
                let timestamp = base + Int64(s) * 30_000 + Int64(k) * 10_000
                samples.append(WALSample(ref: SeriesRef(ref), timestamp: timestamp, value: Double(random.next() % 100_000) / 8))
            }
        }
        result.append(.samples(Array(samples[..<(samples.count / 2)])))
        result.append(.samples(Array(samples[(samples.count / 2)...])))
        switch s {
        case 1:
            result.append(.tombstones([
                WALTombstone(ref: SeriesRef(1), minTime: base - 100_000, maxTime: base + 5_000),
                WALTombstone(ref: SeriesRef(2), minTime: base + 40_000, maxTime: base + 80_000),
            ]))
        case 2:
            result.append(.unknown(type: WALRecordType.exemplars.rawValue))
            result.append(.samples([]))
        case 3:
            // One series with a record spanning two pages (3,000 samples, 10 ms apart).
            result.append(.series([WALSeries(ref: SeriesRef(1000), labels: Labels(["__name__": "ckpt_big"]))]))
            result.append(.samples((0..<3000).map {
                WALSample(ref: SeriesRef(1000), timestamp: base + 60_000 + Int64($0) * 10, value: Double(bitPattern: random.next()))
            }))
        default:
            break
        }
        return result
    }

    /// What `WAL.checkpoint(directory:through:minTime:compress:keepSeries:)` must turn this into:
    /// records at or below `through` filtered (Prometheus's rules, spec §6.4) and tagged `through`,
    /// later ones unchanged.
    func checkpointed(through: Int, minTime: Timestamp, keep: (SeriesRef) -> Bool) -> Checkpointed {
        var stats = WALCheckpointStats(checkpoint: through)
        var model = CheckpointModel()
        for (segment, record) in records {
            guard segment <= through else {
                model.records.append((segment, record))
                continue
            }
            stats.recordsRead += 1
            var kept: WALRecord?
            switch record {
            case .series(let series):
                let left = series.filter { keep($0.ref) }
                stats.seriesKept += left.count
                stats.seriesDropped += series.count - left.count
                if !left.isEmpty { kept = .series(left) }
            case .samples(let samples):
                let left = samples.filter { $0.timestamp >= minTime && keep($0.ref) }
                stats.samplesKept += left.count
                stats.samplesDropped += samples.count - left.count
                if !left.isEmpty { kept = .samples(left) }
            case .tombstones(let tombstones):
                let left = tombstones.filter { $0.maxTime >= minTime }
                stats.tombstonesKept += left.count
                stats.tombstonesDropped += tombstones.count - left.count
                if !left.isEmpty { kept = .tombstones(left) }
            case .histogramSamples(let histograms):
                let left = histograms.filter { $0.timestamp >= minTime && keep($0.ref) }
                stats.histogramsKept += left.count
                stats.histogramsDropped += histograms.count - left.count
                if !left.isEmpty { kept = .histogramSamples(left) }
            case .floatHistogramSamples(let histograms):
                let left = histograms.filter { $0.timestamp >= minTime && keep($0.ref) }
                stats.histogramsKept += left.count
                stats.histogramsDropped += histograms.count - left.count
                if !left.isEmpty { kept = .floatHistogramSamples(left) }
            case .unknown:
                stats.otherRecordsDropped += 1
            }
            if let kept {
                model.records.append((through, kept))
                stats.recordsWritten += 1
            }
        }
        return Checkpointed(model: model, stats: stats)
    }

    /// nil when `actual == expected`; otherwise the first difference in a few words (whole record
    /// lists make unreadable failure messages).
    static func difference(_ actual: [WALRecord], _ expected: [WALRecord]) -> String? {
        for (index, (got, want)) in zip(actual, expected).enumerated() where got != want {
            return "record \(index) of \(expected.count): got \(summary(got)), expected \(summary(want))"
        }
        return actual.count == expected.count ? nil : "\(actual.count) records, expected \(expected.count)"
    }

    /// Kind, entry count and first and last entry of a record.
    static func summary(_ record: WALRecord) -> String {
        func ends<T>(_ entries: [T]) -> String {
            "\(entries.count) [\(entries.first.map { "\($0)" } ?? "") … \(entries.last.map { "\($0)" } ?? "")]"
        }
        switch record {
        case .series(let entries): return "series " + ends(entries.map { "\($0.ref) \($0.labels)" })
        case .samples(let entries): return "samples " + ends(entries.map { "\($0.ref)@\($0.timestamp)=\($0.value)" })
        case .tombstones(let entries): return "tombstones " + ends(entries.map { "\($0.ref) \($0.minTime)…\($0.maxTime)" })
        case .histogramSamples(let entries): return "histograms " + ends(entries.map { "\($0.ref)@\($0.timestamp)" })
        case .floatHistogramSamples(let entries): return "float histograms " + ends(entries.map { "\($0.ref)@\($0.timestamp)" })
        case .unknown(let type): return "unknown type \(type)"
        }
    }

    /// Replays `wal` and returns the records in order.
    static func replay(_ wal: String) throws -> (records: [WALRecord], result: WALReplayResult) {
        var records: [WALRecord] = []
        let result = try WAL.replay(directory: wal) { records.append($0) }
        return (records, result)
    }
}

/// The entries of some records as sets, to check "at least everything that must survive".
struct CheckpointEntries {
    struct SampleKey: Hashable {
        var ref: UInt64
        var timestamp: Timestamp
        var bits: UInt64
    }

    var series = Set<String>()
    var samples = Set<SampleKey>()
    var tombstones = Set<String>()

    init(_ records: [WALRecord]) {
        for record in records {
            switch record {
            case .series(let entries): series.formUnion(entries.map { "\($0.ref) \($0.labels)" })
            case .samples(let entries):
                samples.formUnion(entries.map { SampleKey(ref: $0.ref.rawValue, timestamp: $0.timestamp, bits: $0.value.bitPattern) })
            case .tombstones(let entries): tombstones.formUnion(entries.map { "\($0.ref) \($0.minTime) \($0.maxTime)" })
            case .histogramSamples, .floatHistogramSamples, .unknown: break
            }
        }
    }

    /// nil when every entry of `required` is here; otherwise how many of each kind are missing.
    func missing(_ required: CheckpointEntries) -> String? {
        let series = required.series.subtracting(self.series).count
        let samples = required.samples.subtracting(self.samples).count
        let tombstones = required.tombstones.subtracting(self.tombstones).count
        guard series + samples + tombstones > 0 else { return nil }
        return "missing \(series) series, \(samples) samples, \(tombstones) tombstones"
    }
}

extension WALRecord {
    /// The samples of a samples record; empty for other records.
    var sampleEntries: [WALSample] {
        if case .samples(let samples) = self { samples } else { [] }
    }
}
