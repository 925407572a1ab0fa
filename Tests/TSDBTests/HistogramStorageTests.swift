// Native histograms in the storage engine: WAL records 7–10, head append and chunks, replay after a
// restart, checkpoints, compaction into blocks and deletion.

import ChunkEncoding
import Foundation
import MetricModel
import Testing
@testable import TSDB

@Suite struct HistogramStorageTests {
    static let minute: Int64 = 60_000

    /// The i-th sample of a growing counter histogram with positive and negative buckets; a new
    /// bucket appears every 7 samples and a counter reset happens at 40.
    static func histogram(_ i: Int) -> Histogram {
        let n = Int64(i % 40)
        let extra = UInt32(n / 7)
        let positive = [1 + n, 1, 2] + Array(repeating: Int64(1), count: Int(extra))
        let negative: [Int64] = [n, 0]
        var absolute: Int64 = 0
        var total: UInt64 = UInt64(3 + n)
        for delta in positive {
            absolute += delta
            total += UInt64(absolute)
        }
        absolute = 0
        for delta in negative {
            absolute += delta
            total += UInt64(absolute)
        }
        return Histogram(
            schema: 1, zeroThreshold: 0.001, zeroCount: UInt64(3 + n), count: total, sum: Double(n) * 1.5,
            positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 1, length: 1 + extra)],
            positiveBuckets: positive, negativeSpans: [BucketSpan(offset: 0, length: 2)], negativeBuckets: negative)
    }

    static let labels = Labels(["__name__": "request_duration_seconds", "job": "api"])

    /// Every sample of the series with `labels`, of every kind, decoded from its chunks.
    static func stored(_ db: DB, _ labels: Labels = labels) throws -> [StoredSample] {
        let matchers = try labels.pairs.map { try LabelMatcher(.equal, $0.name, $0.value) }
        let series = try db.select(matchers: matchers, minTime: .min, maxTime: .max, sorted: true)
        return try series.flatMap { try $0.chunks.flatMap { try ChunkSamples.decode($0) } }
    }

    /// Whether `samples` hold exactly `expected` (times, kinds and values; hints not compared).
    /// Histograms are compared without their empty buckets: a chunk gives every sample its layout,
    /// which may hold buckets a sample never had (as in Prometheus).
    static func matches(_ samples: [StoredSample], _ expected: [(Int64, StoredSample.Value)]) -> Bool {
        guard samples.count == expected.count else {
            print("\(samples.count) samples, expected \(expected.count)")
            return false
        }
        for (sample, want) in zip(samples, expected) {
            let same: Bool
            switch (sample.value, want.1) {
            case (.float(let a), .float(let b)): same = a.bitPattern == b.bitPattern
            case (.histogram(var a), .histogram(var b)):
                a.compact(maxEmptyBuckets: 0)
                b.compact(maxEmptyBuckets: 0)
                same = a == b
            case (.floatHistogram(var a), .floatHistogram(var b)):
                a.compact(maxEmptyBuckets: 0)
                b.compact(maxEmptyBuckets: 0)
                same = a == b
            default: same = false
            }
            if !same || sample.timestamp != want.0 {
                print("at \(sample.timestamp): \(sample.value), expected \(want.0): \(want.1)")
                return false
            }
        }
        return true
    }

    // MARK: WAL records

    @Test func histogramRecordHasPrometheusLayout() throws {
        let h = Histogram(
            schema: 1, zeroThreshold: 0.001, zeroCount: 2, count: 5, sum: 3.5,
            positiveSpans: [BucketSpan(offset: 0, length: 2)], positiveBuckets: [1, 1])
        var buffer: [UInt8] = []
        WALRecord.encodeHistogramSamples(
            [WALHistogramSample(ref: SeriesRef(5), timestamp: 1000, histogram: h)], customBuckets: false, into: &buffer)
        // record.go's layout: type, BE64 ref0, BE64 t0, varint deltas, then EncodeHistogram.
        var expected: [UInt8] = [7, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0x03, 0xE8, 0, 0]
        expected += [0, 2]  // hint unknown, schema 1 (zig-zag)
        expected += withUnsafeBytes(of: (0.001).bitPattern.bigEndian, Array.init)
        expected += [2, 5]  // zero count, count
        expected += withUnsafeBytes(of: (3.5).bitPattern.bigEndian, Array.init)
        expected += [1, 0, 2, 0]  // one positive span (0, 2), no negative span
        expected += [2, 2, 2, 0]  // two positive deltas (1, 1), no negative bucket
        #expect(buffer == expected)
        #expect(try WALRecord(decoding: buffer) == .histogramSamples([WALHistogramSample(ref: SeriesRef(5), timestamp: 1000, histogram: h)]))
    }

    @Test func histogramRecordsRoundTrip() throws {
        var integers = (0..<50).map { WALHistogramSample(ref: SeriesRef(UInt64(1 + $0 % 3)), timestamp: Int64($0) * 15_000 - 30_000, histogram: Self.histogram($0)) }
        integers[3].histogram.counterResetHint = .counterReset
        integers[4].histogram.counterResetHint = .gauge
        integers[5].histogram.sum = StaleNaN.value
        var buffer: [UInt8] = []
        WALRecord.encodeHistogramSamples(integers, customBuckets: false, into: &buffer)
        #expect(try WALRecord(decoding: buffer) == .histogramSamples(integers))

        let floats = integers.map { WALFloatHistogramSample(ref: $0.ref, timestamp: $0.timestamp, histogram: $0.histogram.toFloat()) }
        buffer.removeAll()
        WALRecord.encodeFloatHistogramSamples(floats, customBuckets: false, into: &buffer)
        #expect(buffer.first == 8)
        #expect(try WALRecord(decoding: buffer) == .floatHistogramSamples(floats))

        let custom = Histogram(
            schema: -53, count: 6, sum: 10, positiveSpans: [BucketSpan(offset: 0, length: 3)], positiveBuckets: [1, 2, -1],
            customValues: [0.5, 1, 2.5])
        buffer.removeAll()
        WALRecord.encodeHistogramSamples([WALHistogramSample(ref: SeriesRef(9), timestamp: 7, histogram: custom)], customBuckets: true, into: &buffer)
        #expect(buffer.first == 9)
        guard case .histogramSamples(let decoded) = try WALRecord(decoding: buffer) else {
            Issue.record("not a histogram record")
            return
        }
        #expect(decoded.first?.histogram.customValues == [0.5, 1, 2.5])
        buffer.removeAll()
        WALRecord.encodeFloatHistogramSamples(
            [WALFloatHistogramSample(ref: SeriesRef(9), timestamp: 7, histogram: custom.toFloat())], customBuckets: true, into: &buffer)
        #expect(buffer.first == 10)
        #expect(try WALRecord(decoding: buffer) == .floatHistogramSamples([WALFloatHistogramSample(ref: SeriesRef(9), timestamp: 7, histogram: custom.toFloat())]))
    }

    @Test func reservedSchemasAreReducedAndUnknownOnesSkipped() throws {
        var fine = Histogram(schema: 12, count: 2, sum: 1, positiveSpans: [BucketSpan(offset: 0, length: 2)], positiveBuckets: [1, 0])
        var unknown = fine
        unknown.schema = 60
        var buffer: [UInt8] = []
        WALRecord.encodeHistogramSamples(
            [WALHistogramSample(ref: SeriesRef(1), timestamp: 1, histogram: fine), WALHistogramSample(ref: SeriesRef(1), timestamp: 2, histogram: unknown)],
            customBuckets: false, into: &buffer)
        var decoded: [WALHistogramSample] = []
        var skipped = 0
        try WALRecord.decodeHistogramSamples(buffer, into: &decoded, skipped: &skipped)
        #expect(skipped == 1)
        #expect(decoded.count == 1)
        try fine.reduceResolution(to: 8)
        #expect(decoded.first?.histogram.schema == 8)
        #expect(decoded.first?.histogram == fine)
    }

    @Test func malformedHistogramRecordsThrowAndNeverTrap() throws {
        var buffer: [UInt8] = []
        WALRecord.encodeHistogramSamples(
            (0..<5).map { WALHistogramSample(ref: SeriesRef(1), timestamp: Int64($0), histogram: Self.histogram($0 * 9)) },
            customBuckets: false, into: &buffer)
        // Cut anywhere: an error, or (at an entry boundary) fewer entries; never a trap.
        var failures = 0
        for cut in 1..<buffer.count {
            do {
                guard case .histogramSamples(let entries) = try WALRecord(decoding: Array(buffer[..<cut])) else {
                    Issue.record("not a histogram record")
                    continue
                }
                #expect(entries.count < 5)
            } catch {
                failures += 1
            }
        }
        #expect(failures > buffer.count / 2)
        // A bucket count far past the record's end is refused before allocating.
        let huge: [UInt8] = [7] + Array(repeating: 0, count: 16) + [0, 0, 0, 0] + Array(repeating: 0, count: 8) + [0, 0]
            + Array(repeating: 0, count: 8) + [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]
        #expect(throws: DecodeError.self) { try WALRecord(decoding: huge) }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var bytes = buffer
            for _ in 0..<4 { bytes[Int.random(in: 1..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            _ = try? WALRecord(decoding: bytes)
        }
    }

    // MARK: Head

    @Test func appendedHistogramsAreQueryableAndSurviveRestart() throws {
        try withTempDB { dir in
            let expected = (0..<200).map { (Int64($0) * 15_000, StoredSample.Value.histogram(Self.histogram($0))) }
            do {
                let db = try DB(directory: dir, logger: quietTSDBLogger)
                for (t, value) in expected {
                    guard case .histogram(let h) = value else { continue }
                    let app = db.appender()
                    _ = try app.append(nil, Self.labels, t, h)
                    try app.commit()
                }
                let chunks = try db.select(matchers: [try LabelMatcher(.equal, "job", "api")], minTime: .min, maxTime: .max, sorted: true)
                #expect(chunks.first?.chunks.allSatisfy { $0.encoding == HistogramChunk.encoding } == true)
                // The reset at sample 40 and 80 … cut chunks; chunks also hold the size rule.
                #expect((chunks.first?.chunks.count ?? 0) >= 5)
                #expect(Self.matches(try Self.stored(db), expected))
                try db.close()
            }
            let reopened = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? reopened.close() }
            #expect(Self.matches(try Self.stored(reopened), expected))
            #expect(reopened.metrics.walReplayedSamples.current < 200)  // completed chunks came from chunks_head/
            // Still appendable after the restart.
            let app = reopened.appender()
            _ = try app.append(nil, Self.labels, 200 * 15_000, Self.histogram(200))
            try app.commit()
            #expect(try Self.stored(reopened).count == 201)
        }
    }

    @Test func seriesSwitchingKindsKeepsEverySampleInOrder() throws {
        try withTempDB { dir in
            var expected: [(Int64, StoredSample.Value)] = []
            do {
                let db = try DB(directory: dir, logger: quietTSDBLogger)
                // One batch with every kind for the same series, in time order.
                let app = db.appender()
                for i in 0..<60 {
                    let t = Int64(i) * 1000
                    switch (i / 10) % 3 {
                    case 0:
                        _ = try app.append(nil, Self.labels, t, Double(i))
                        expected.append((t, .float(Double(i))))
                    case 1:
                        _ = try app.append(nil, Self.labels, t, Self.histogram(i))
                        expected.append((t, .histogram(Self.histogram(i))))
                    default:
                        _ = try app.append(nil, Self.labels, t, Self.histogram(i).toFloat())
                        expected.append((t, .floatHistogram(Self.histogram(i).toFloat())))
                    }
                }
                try app.commit()
                // Then one kind per batch.
                for i in 60..<90 {
                    let t = Int64(i) * 1000
                    let app = db.appender()
                    if i % 2 == 0 {
                        _ = try app.append(nil, Self.labels, t, Self.histogram(i))
                        expected.append((t, .histogram(Self.histogram(i))))
                    } else {
                        _ = try app.append(nil, Self.labels, t, Double(i))
                        expected.append((t, .float(Double(i))))
                    }
                    try app.commit()
                }
                #expect(Self.matches(try Self.stored(db), expected))
                db.simulateCrash()
            }
            let reopened = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? reopened.close() }
            #expect(Self.matches(try Self.stored(reopened), expected))
        }
    }

    @Test func aStaleMarkerAfterHistogramsIsAHistogramStaleMarker() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            for (t, value) in [(1000, 1.0), (2000, StaleNaN.value)] as [(Int64, Double)] {
                let app = db.appender()
                if t == 1000 { _ = try app.append(nil, Self.labels, t, Self.histogram(1)) } else { _ = try app.append(nil, Self.labels, t, value) }
                try app.commit()
            }
            let samples = try Self.stored(db)
            #expect(samples.count == 2)
            guard case .histogram(let marker) = samples.last?.value else {
                Issue.record("not a histogram stale marker: \(String(describing: samples.last))")
                return
            }
            #expect(StaleNaN.isStale(marker.sum))
            #expect(try db.select(matchers: [try LabelMatcher(.equal, "job", "api")], minTime: .min, maxTime: .max, sorted: true)
                .first?.chunks.count == 1)
        }
    }

    @Test func histogramAppendErrorsAreTheHeadsErrors() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            let app = db.appender()
            _ = try app.append(nil, Self.labels, 10_000, Self.histogram(1))
            // Within the batch: the same histogram again is a no-op, another one a duplicate, an older one out of order.
            _ = try app.append(nil, Self.labels, 10_000, Self.histogram(1))
            #expect(throws: AppendError.duplicateSampleForTimestamp) { try app.append(nil, Self.labels, 10_000, Self.histogram(2)) }
            #expect(throws: AppendError.outOfOrder) { try app.append(nil, Self.labels, 9_000, Self.histogram(2)) }
            #expect(throws: AppendError.duplicateSampleForTimestamp) { try app.append(nil, Self.labels, 10_000, 1.0) }
            try app.commit()
            // Against the committed head.
            let next = db.appender()
            _ = try next.append(nil, Self.labels, 10_000, Self.histogram(1))
            #expect(throws: AppendError.duplicateSampleForTimestamp) { try next.append(nil, Self.labels, 10_000, Self.histogram(3)) }
            #expect(throws: AppendError.outOfOrder) { try next.append(nil, Self.labels, 5_000, Self.histogram(3)) }
            var broken = Self.histogram(3)
            broken.positiveBuckets.removeLast()
            do throws(AppendError) {
                _ = try next.append(nil, Self.labels, 20_000, broken)
                Issue.record("an invalid histogram was accepted")
            } catch {
                guard case .invalidHistogram(let why) = error else {
                    Issue.record("wrong error \(error)")
                    return
                }
                #expect(why.contains("histogram spans specify different number of buckets than provided"))
            }
            try next.commit()
            #expect(try Self.stored(db).count == 1)
        }
    }

    /// Remote write appends histograms by the flat label encoding, as it does floats: an existing
    /// series is found without a `Labels` value, a new one is created under the series limits.
    @Test func histogramsAppendByEncodedLabels() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            let first = db.appender()
            let existing = try first.append(nil, Self.labels, 10_000, Self.histogram(1))
            try first.commit()
            db.head.seriesLimits.maxSeries = 2
            let other = Labels(["__name__": "request_duration_seconds", "job": "web"])
            let third = Labels(["__name__": "request_duration_seconds", "job": "db"])
            let app = db.appender()
            func append(_ labels: Labels, _ t: Int64, _ h: Histogram, float: Bool = false) throws(AppendError) -> SeriesRef {
                let result = labels.bytes.withUnsafeBytes { encoded -> Result<SeriesRef, AppendError> in
                    do throws(AppendError) {
                        let hash = LabelHash.hash(encoded)
                        if float { return .success(try app.append(nil, encodedLabels: encoded, hash: hash, t, h.toFloat())) }
                        return .success(try app.append(nil, encodedLabels: encoded, hash: hash, t, h))
                    } catch { return .failure(error) }
                }
                return try result.get()
            }
            #expect(try append(Self.labels, 20_000, Self.histogram(2)) == existing)
            let created = try append(other, 20_000, Self.histogram(2))
            #expect(created != existing)
            #expect(try append(other, 35_000, Self.histogram(3), float: true) == created)
            #expect(throws: AppendError.outOfOrder) { try append(other, 30_000, Self.histogram(4)) }
            // A third series is past the limit.
            #expect(throws: AppendError.self) { try append(third, 20_000, Self.histogram(1)) }
            try app.commit()
            #expect(try Self.stored(db).map(\.timestamp) == [10_000, 20_000])
            #expect(try Self.stored(db, other).map(\.timestamp) == [20_000, 35_000])
            #expect(try Self.stored(db, third).isEmpty)
        }
    }

    // MARK: Compaction, checkpoint, deletion

    static func compactionOptions() -> DBOptions {
        var options = DBOptions()
        options.minBlockDurationMs = 2 * minute
        options.walSegmentSizeBytes = 32 * 1024
        return options
    }

    @Test func histogramsAreCompactedIntoBlocksAndCheckpointed() throws {
        try withTempDB { dir in
            let expected = (0..<120).map { (Int64($0) * 5_000, StoredSample.Value.histogram(Self.histogram($0))) }
            let floatLabels = Labels(["__name__": "gauge_histogram", "job": "api"])
            let floats = (0..<120).map { i -> (Int64, StoredSample.Value) in
                var h = Self.histogram(i % 13).toFloat()
                h.counterResetHint = .gauge
                return (Int64(i) * 5_000, .floatHistogram(h))
            }
            do {
                let db = try DB(directory: dir, options: Self.compactionOptions(), logger: quietTSDBLogger)
                for (i, (t, value)) in expected.enumerated() {
                    guard case .histogram(let h) = value, case .floatHistogram(let f) = floats[i].1 else { continue }
                    let app = db.appender()
                    _ = try app.append(nil, Self.labels, t, h)
                    _ = try app.append(nil, floatLabels, t, f)
                    try app.commit()
                }
                let written = try db.compactHead()
                #expect(written.map(\.minTime) == [0, 120_000, 240_000, 360_000])
                #expect(written.allSatisfy { $0.stats.numSeries == 2 && $0.stats.numSamples == 48 })
                for block in db.blocks {
                    let series = try block.select(matchers: [try LabelMatcher(.equal, "job", "api")], minTime: .min, maxTime: .max, sorted: true)
                    #expect(series.flatMap(\.chunks).allSatisfy { $0.encoding == 2 || $0.encoding == 3 })
                    #expect(series.flatMap(\.chunks).allSatisfy { $0.minTime >= block.meta.minTime && $0.maxTime < block.meta.maxTime })
                }
                #expect(Self.matches(try Self.stored(db), expected))
                #expect(Self.matches(try Self.stored(db, floatLabels), floats))
                let wal = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("wal").path)
                #expect(wal.contains { $0.hasPrefix("checkpoint.") })
                try db.close()
            }
            // The blocks, the checkpoint and the WAL after it give every sample back once.
            let reopened = try DB(directory: dir, options: Self.compactionOptions(), logger: quietTSDBLogger)
            defer { try? reopened.close() }
            #expect(Self.matches(try Self.stored(reopened), expected))
            #expect(Self.matches(try Self.stored(reopened, floatLabels), floats))
        }
    }

    @Test func deletingAnIntervalKeepsTheOtherHistograms() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, options: Self.compactionOptions(), logger: quietTSDBLogger)
            defer { try? db.close() }
            var expected: [(Int64, StoredSample.Value)] = []
            for i in 0..<60 {
                let t = Int64(i) * 5_000
                let app = db.appender()
                _ = try app.append(nil, Self.labels, t, Self.histogram(i))
                try app.commit()
                if t < 50_000 || t > 100_000 { expected.append((t, .histogram(Self.histogram(i)))) }
            }
            try db.delete(matchers: [try LabelMatcher(.equal, "job", "api")], minTime: 50_000, maxTime: 100_000)
            #expect(Self.matches(try Self.stored(db), expected))
            _ = try db.compactHead()
            #expect(!db.blocks.isEmpty)
            #expect(Self.matches(try Self.stored(db), expected))
        }
    }
}
