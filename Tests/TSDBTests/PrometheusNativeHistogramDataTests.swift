// Prometheus 2.42's data directory with native histograms (Tests/Fixtures/prometheus-2.42-nh) opens in
// Sugarmill: the head comes back from its chunks_head/ histogram chunks and its WAL's type-7 records,
// and what we then write of it reads back the same.

import ChunkEncoding
import Foundation
import MetricModel
import Testing
import TSDB

@Suite struct PrometheusNativeHistogramDataTests {
    static let fixture = PrometheusNativeHistogramBlockTests.fixture

    /// Every histogram sample of the WAL (by labels), decoded straight from its records.
    static func walHistograms() throws -> [Labels: [(Int64, Histogram)]] {
        var labels: [SeriesRef: Labels] = [:]
        var result: [Labels: [(Int64, Histogram)]] = [:]
        var unknown = 0
        _ = try WAL.replay(directory: fixture.appendingPathComponent("wal").path) { record in
            switch record {
            case .series(let list): for s in list { labels[s.ref] = s.labels }
            case .histogramSamples(let list):
                for sample in list {
                    guard let series = labels[sample.ref] else {
                        unknown += 1
                        continue
                    }
                    result[series, default: []].append((sample.timestamp, sample.histogram))
                }
            default: break
            }
        }
        #expect(unknown == 0)
        return result
    }

    /// The data directory without its block: chunks_head/ and wal/ only.
    static func withHeadDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        try withTempDB { dir in
            for folder in ["wal", "chunks_head"] {
                try FileManager.default.copyItem(at: fixture.appendingPathComponent(folder), to: dir.appendingPathComponent(folder))
            }
            return try body(dir)
        }
    }

    /// Every sample of the series matching `name`, decoded from the DB's chunks.
    static func histograms(_ db: DB) throws -> [Labels: [(Int64, Histogram)]] {
        var result: [Labels: [(Int64, Histogram)]] = [:]
        let matcher = try LabelMatcher(.regexMatch, "__name__", "nh_.*_seconds|nh_queue_size")
        for series in try db.select(matchers: [matcher], minTime: .min, maxTime: .max, sorted: true) {
            for chunk in series.chunks {
                #expect(chunk.encoding == HistogramChunk.encoding)
                for sample in try ChunkSamples.decode(chunk) {
                    guard case .histogram(let h) = sample.value else {
                        Issue.record("\(series.labels): a \(sample.value) sample")
                        continue
                    }
                    result[series.labels, default: []].append((sample.timestamp, h))
                }
            }
        }
        return result
    }

    static func same(_ a: Histogram, _ b: Histogram) -> Bool {
        var a = a
        var b = b
        a.compact(maxEmptyBuckets: 0)
        b.compact(maxEmptyBuckets: 0)
        return a == b
    }

    @Test func headComesBackFromPrometheusChunksHeadAndWAL() throws {
        let wal = try Self.walHistograms()
        #expect(wal.count == 5)
        #expect(wal.values.allSatisfy { $0.count >= 100 })
        try Self.withHeadDirectory { dir in
            let db = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? db.close() }
            #expect(db.metrics.walCorruptions.current == 0)
            #expect(db.metrics.mmappedChunksLoaded.current == 26)
            let stored = try Self.histograms(db)
            #expect(Set(stored.keys) == Set(wal.keys))
            for (labels, samples) in stored {
                // In time order, and every WAL sample from the series' first chunk in chunks_head/ on
                // is there with the same histogram. Older WAL samples belong to blocks Prometheus
                // compacted (not in the fixture); like Prometheus, replay skips every WAL sample up
                // to the end of the last chunk loaded from chunks_head/.
                #expect(zip(samples, samples.dropFirst()).allSatisfy { $0.0 < $1.0 }, "\(labels)")
                let byTime = Dictionary(samples.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
                let walSamples = (wal[labels] ?? []).filter { $0.0 >= samples[0].0 }
                #expect(walSamples.count >= 40, "\(labels)")
                let missing = walSamples.filter { t, h in byTime[t].map { !Self.same($0, h) } ?? true }
                #expect(missing.isEmpty, "\(labels): \(missing.count) of \(walSamples.count) WAL samples differ or are missing")
                #expect(samples.last?.0 == walSamples.last?.0)
            }
            // Appending goes on after Prometheus's last sample, and a restart gives the same head.
            let before = try Self.histograms(db)
            try db.close()
            let reopened = try DB(directory: dir, logger: quietTSDBLogger)
            defer { try? reopened.close() }
            let after = try Self.histograms(reopened)
            #expect(after.mapValues { $0.map(\.0) } == before.mapValues { $0.map(\.0) })
        }
    }
}
