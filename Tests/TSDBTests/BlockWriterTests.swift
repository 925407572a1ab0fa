// BlockWriter: seeded round trips, segment cutting, tombstones, input validation, atomic creation.

import ChunkEncoding
import Foundation
import MetricModel
import TSDB
import Testing

@Suite("BlockWriter: round trips and atomicity")
struct BlockWriterTests {
    /// Random series (seeded): UTF-8 names and values, 1–4 XOR chunks each with NaN, stale markers, −0.
    static func randomSeries(seed: UInt64, count: Int = 60) -> [SeriesData] {
        var rng = SeededGenerator(seed: seed)
        let names = ["__name__", "job", "instance", "le", "x", "ü"]
        let values = ["", "a", "B", "é", "日本", "a b", "zz", "0.5", "+Inf", "http_requests_total"]
        var seen = Set<Labels>()
        var result: [SeriesData] = []
        while result.count < count {
            var pairs: [(String, String)] = []
            for name in names where Bool.random(using: &rng) { pairs.append((name, values.randomElement(using: &rng)!)) }
            let labels = Labels(pairs)
            guard seen.insert(labels).inserted else { continue }
            var chunks: [ChunkData] = []
            var t = Int64.random(in: -10_000...1_000_000, using: &rng)
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                var chunk = XORChunk()
                for _ in 0..<Int.random(in: 1...120, using: &rng) {
                    let v: Double
                    switch Int.random(in: 0..<10, using: &rng) {
                    case 0: v = StaleNaN.value
                    case 1: v = -0.0
                    case 2: v = Double(bitPattern: StaleNaN.normalNaNBits)
                    case 3...5: v = Double(Int.random(in: 0...100, using: &rng))
                    default: v = Double.random(in: -1e6...1e6, using: &rng)
                    }
                    chunk.append(t, v)
                    t += Int64.random(in: 1...30_000, using: &rng)
                }
                chunks.append(chunk.chunkData)
                t += Int64.random(in: 0...100_000, using: &rng)
            }
            result.append(SeriesData(labels: labels, chunks: chunks))
        }
        return result.sorted { $0.labels < $1.labels }
    }

    static func range(_ series: [SeriesData]) -> (Int64, Int64) {
        let chunks = series.flatMap(\.chunks)
        return (chunks.map(\.minTime).min() ?? 0, (chunks.map(\.maxTime).max() ?? 0) + 1)
    }

    static func expectSame(_ a: [SeriesData], _ b: [SeriesData], _ comment: Comment, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.map(\.labels) == b.map(\.labels), comment, sourceLocation: sourceLocation)
        for (x, y) in zip(a, b) {
            #expect(x.chunks.map(\.minTime) == y.chunks.map(\.minTime), comment, sourceLocation: sourceLocation)
            #expect(x.chunks.map(\.maxTime) == y.chunks.map(\.maxTime), comment, sourceLocation: sourceLocation)
            #expect(x.chunks.map(\.encoding) == y.chunks.map(\.encoding), comment, sourceLocation: sourceLocation)
            #expect(x.chunks.map(\.bytes) == y.chunks.map(\.bytes), comment, sourceLocation: sourceLocation)
        }
    }

    static let ulid = ULID("01HZZZZZZZZZZZZZZZZZZZZZZZ")!

    @Test("random series written then read back are identical", arguments: [1, 2, 0xDEAD_BEEF] as [UInt64])
    func roundTrip(seed: UInt64) throws {
        let series = Self.randomSeries(seed: seed)
        let (minTime, maxTime) = Self.range(series)
        try withBlockTempDir { parent in
            let meta = try BlockWriter.write(series: series, minTime: minTime, maxTime: maxTime, into: parent, ulid: Self.ulid)
            let block = try BlockReader(directory: parent.appendingPathComponent(Self.ulid.string))
            defer { block.close() }
            #expect(block.meta == meta, "seed \(seed)")
            #expect(meta.stats.numSeries == UInt64(series.count), "seed \(seed)")
            #expect(meta.stats.numChunks == UInt64(series.reduce(0) { $0 + $1.chunks.count }), "seed \(seed)")
            #expect(try blockSamples(try selectAll(block)) == blockSamples(series), "seed \(seed)")
            Self.expectSame(try selectAll(block), series, "seed \(seed)")
            let bytewise: (String, String) -> Bool = { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            let names = Set(series.flatMap { $0.labels.pairs.map(\.name) }).sorted(by: bytewise)
            #expect(try block.labelNames(matchers: [], minTime: .min, maxTime: .max) == names, "seed \(seed)")
            let jobs = Set(series.compactMap { $0.labels["job"] }).sorted(by: bytewise)
            #expect(try block.labelValues(name: "job", matchers: [], minTime: .min, maxTime: .max) == jobs, "seed \(seed)")
            // Writing the same input twice gives the same bytes.
            let again = parent.appendingPathComponent("again")
            try FileManager.default.createDirectory(at: again, withIntermediateDirectories: false)
            _ = try BlockWriter.write(series: series, minTime: minTime, maxTime: maxTime, into: again, ulid: Self.ulid)
            for file in ["index", "chunks/000001", "tombstones", "meta.json"] {
                let first = try blockFileBytes(parent.appendingPathComponent(Self.ulid.string + "/" + file))
                let second = try blockFileBytes(again.appendingPathComponent(Self.ulid.string + "/" + file))
                #expect(first == second, "\(file), seed \(seed)")
            }
        }
    }

    @Test("small segments: chunks spread over 000001, 000002, … and read back")
    func segments() throws {
        let series = Self.randomSeries(seed: 7)
        let (minTime, maxTime) = Self.range(series)
        try withBlockTempDir { parent in
            _ = try BlockWriter.write(
                series: series, minTime: minTime, maxTime: maxTime, into: parent, ulid: Self.ulid, segmentSizeBytes: 4096
            )
            let block = try BlockReader(directory: parent.appendingPathComponent(Self.ulid.string))
            defer { block.close() }
            let chunksDir = parent.appendingPathComponent(Self.ulid.string + "/chunks")
            let files = try FileManager.default.contentsOfDirectory(atPath: chunksDir.path).sorted()
            #expect(files.count > 3)
            #expect(files == (1...files.count).map { String(format: "%06d", $0) })
            #expect(block.chunkSegmentCount == files.count)
            let largest = series.flatMap(\.chunks).map { $0.bytes.count + 10 }.max()!
            for file in files {
                let size = try blockFileBytes(chunksDir.appendingPathComponent(file)).count
                #expect(size <= max(4096, 8 + largest), "\(file) is \(size) bytes")
            }
            Self.expectSame(try selectAll(block), series, "segments")
            let (_, metas) = try block.series(id: try block.seriesIDs(matching: []).last!)
            #expect(metas.last!.ref >> 32 == UInt64(files.count - 1))
        }
    }

    @Test("tombstones written into a block are read, merged, and applied by select")
    func tombstones() throws {
        var chunk1 = XORChunk()
        var chunk2 = XORChunk()
        for t in stride(from: Int64(0), to: 100, by: 10) { chunk1.append(t, Double(t)) }
        for t in stride(from: Int64(100), to: 200, by: 10) { chunk2.append(t, Double(t)) }
        let series = [SeriesData(labels: Labels(["__name__": "m"]), chunks: [chunk1.chunkData, chunk2.chunkData])]
        try withBlockTempDir { parent in
            _ = try BlockWriter.write(series: series, minTime: 0, maxTime: 200, into: parent, ulid: Self.ulid)
            let dir = parent.appendingPathComponent(Self.ulid.string)
            #expect(try blockFileBytes(dir.appendingPathComponent("tombstones")) == [0x01, 0x30, 0xBA, 0x30, 0x01, 0, 0, 0, 0])
            let id = try {
                let block = try BlockReader(directory: dir)
                defer { block.close() }
                return try #require(try block.seriesIDs(matching: []).first)
            }()
            // [20, 35] and [36, 40] touch and merge; [100, 500] covers the whole second chunk.
            let stones = BlockTombstones.encode([UInt64(id): [36...40, 20...35, 100...500]])
            try writeBlockFile(stones, to: dir.appendingPathComponent("tombstones"))
            let block = try BlockReader(directory: dir)
            defer { block.close() }
            #expect(block.tombstones == [UInt64(id): [20...40, 100...500]])
            let selected = try selectAll(block)
            #expect(selected.first?.chunks.count == 1)
            let samples = try blockSamples(selected).values.first ?? []
            #expect(samples.map(\.timestamp) == [0, 10, 50, 60, 70, 80, 90])
        }
    }

    @Test("invalid input throws invalidArgument and leaves nothing behind")
    func validation() throws {
        var chunk = XORChunk()
        chunk.append(10, 1)
        chunk.append(20, 2)
        let c = chunk.chunkData
        let a = Labels(["__name__": "a"])
        let b = Labels(["__name__": "b"])
        let cases: [(String, [SeriesData], Int64, Int64)] = [
            ("unsorted", [SeriesData(labels: b, chunks: [c]), SeriesData(labels: a, chunks: [c])], 0, 100),
            ("duplicate", [SeriesData(labels: a, chunks: [c]), SeriesData(labels: a, chunks: [c])], 0, 100),
            ("overlapping chunks", [SeriesData(labels: a, chunks: [c, c])], 0, 100),
            ("chunk at maxTime", [SeriesData(labels: a, chunks: [c])], 0, 20),
            ("chunk before minTime", [SeriesData(labels: a, chunks: [c])], 11, 100),
            ("encoding 4", [SeriesData(labels: a, chunks: [ChunkData(minTime: 10, maxTime: 20, encoding: 4, bytes: c.bytes)])], 0, 100),
            ("empty range", [], 5, 5),
        ]
        for (name, series, minTime, maxTime) in cases {
            try withBlockTempDir { parent in
                let error = #expect(throws: TSDBError.self, "\(name)") {
                    try BlockWriter.write(series: series, minTime: minTime, maxTime: maxTime, into: parent, ulid: Self.ulid)
                }
                #expect(error?.code == .invalidArgument, "\(name): \(String(describing: error))")
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: parent.path)
                #expect(leftovers.isEmpty, "\(name)")
            }
        }
    }

    @Test("series without chunks are dropped; a block of none opens empty")
    func emptySeries() throws {
        let series = [SeriesData(labels: Labels(["__name__": "nothing"]), chunks: [])]
        try withBlockTempDir { parent in
            let meta = try BlockWriter.write(series: series, minTime: 0, maxTime: 1000, into: parent, ulid: Self.ulid)
            #expect(meta.stats == BlockMeta.Stats())
            #expect(String(decoding: meta.encoded(), as: UTF8.self).contains("\"stats\": {},\n"))
            let block = try BlockReader(directory: parent.appendingPathComponent(Self.ulid.string))
            defer { block.close() }
            #expect(try selectAll(block).isEmpty)
            #expect(try block.symbols() == [""])
            #expect(block.chunkSegmentCount == 0)
            #expect(try block.labelNames(matchers: [], minTime: .min, maxTime: .max).isEmpty)
        }
    }

    @Test("atomic creation: a stale .tmp-for-creation is replaced, is never a block, and is cleaned up")
    func atomicity() throws {
        let series = Self.randomSeries(seed: 3, count: 5)
        let (minTime, maxTime) = Self.range(series)
        try withBlockTempDir { parent in
            let fm = FileManager.default
            // A crash mid-write left a temporary directory for this very ULID, and one for another.
            let stale = parent.appendingPathComponent(Self.ulid.string + ".tmp-for-creation")
            try fm.createDirectory(at: stale, withIntermediateDirectories: false)
            try writeBlockFile([1, 2, 3], to: stale.appendingPathComponent("index"))
            let other = ULID(timestampMs: 1, random: SeededGenerator(seed: 1))
            let leftover = parent.appendingPathComponent(other.string + ".tmp-for-creation")
            _ = try BlockWriter.write(series: series, minTime: minTime, maxTime: maxTime, into: parent, ulid: other)
            try fm.moveItem(at: parent.appendingPathComponent(other.string), to: leftover)
            #expect(BlockDirectory.isTemporary(leftover.lastPathComponent))

            _ = try BlockWriter.write(series: series, minTime: minTime, maxTime: maxTime, into: parent, ulid: Self.ulid)
            #expect(!fm.fileExists(atPath: stale.path))
            let block = parent.appendingPathComponent(Self.ulid.string)
            #expect(try BlockDirectory.blocks(in: parent) == [block])

            // Writing the same ULID again fails and leaves the block as it was.
            let indexBefore = try blockFileBytes(block.appendingPathComponent("index"))
            #expect(throws: TSDBError.self) {
                try BlockWriter.write(series: [], minTime: 0, maxTime: 1, into: parent, ulid: Self.ulid)
            }
            #expect(try blockFileBytes(block.appendingPathComponent("index")) == indexBefore)
            #expect(!fm.fileExists(atPath: stale.path))

            #expect(try BlockDirectory.removeTemporary(in: parent).map(\.lastPathComponent) == [leftover.lastPathComponent])
            #expect(try fm.contentsOfDirectory(atPath: parent.path) == [Self.ulid.string])
        }
    }
}
