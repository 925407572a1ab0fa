// Compactor.compact on real blocks written by BlockWriter from seeded series: levelled and vertical
// merges (checked sample by sample against the inputs and FanoutQuerier), meta lineage and stats,
// tombstones, empty results, failures, out-of-range samples, and promtool reading the result.

import ChunkEncoding
import Foundation
import MetricModel
import TSDB
import Testing

@Suite("Compactor: merging blocks")
struct CompactorTests {
    static let hour: Int64 = 3_600_000
    static let compactor = Compactor(ranges: Compactor.blockRanges(minBlockDuration: 2 * hour, maxBlockDuration: 36 * hour))

    static func id(_ n: UInt64) -> ULID { CompactorPlanTests.id(n) }

    /// Up to 10 series `compact_test{job, series}` (a seeded ~70% of them) with samples on a 15 s grid
    /// in `[minTime, maxTime)`, values in 0…1000 with some stale markers, chunks of at most 120 samples.
    static func seededSeries(seed: UInt64, minTime: Int64, maxTime: Int64) -> [SeriesData] {
        var rng = SeededGenerator(seed: seed)
        let grid: Int64 = 15_000
        var result: [SeriesData] = []
        for k in 0..<10 where Int.random(in: 0..<10, using: &rng) < 7 {
            let labels = Labels([("__name__", "compact_test"), ("job", "j\(k % 3)"), ("series", "\(k)")])
            var chunks: [ChunkData] = []
            var chunk = XORChunk()
            var t = minTime + grid * Int64.random(in: 0..<4, using: &rng)
            while t < maxTime {
                if chunk.count == 120 {
                    chunks.append(chunk.chunkData)
                    chunk = XORChunk()
                }
                chunk.append(t, Int.random(in: 0..<50, using: &rng) == 0 ? StaleNaN.value : Double(Int.random(in: 0...1000, using: &rng)))
                t += grid * Int64.random(in: 1...8, using: &rng)
            }
            if !chunk.isEmpty { chunks.append(chunk.chunkData) }
            result.append(SeriesData(labels: labels, chunks: chunks))
        }
        return result.sorted { $0.labels < $1.labels }
    }

    /// Writes a level-1 block numbered `n` and opens it.
    static func writeBlock(_ series: [SeriesData], _ minTime: Int64, _ maxTime: Int64, in dir: URL, _ n: UInt64) throws -> BlockReader {
        _ = try BlockWriter.write(series: series, minTime: minTime, maxTime: maxTime, into: dir, ulid: id(n))
        return try BlockReader(directory: dir.appendingPathComponent(id(n).string))
    }

    /// Consecutive 2h level-1 blocks numbered 1…count, from seeds `seed`, `seed + 1`, …: their input series and readers.
    static func twoHourBlocks(_ count: Int, seed: UInt64, in dir: URL) throws -> (raw: [[SeriesData]], blocks: [BlockReader]) {
        var raw: [[SeriesData]] = []
        var blocks: [BlockReader] = []
        for i in 0..<count {
            let minTime: Int64 = Int64(i) * 2 * hour
            let maxTime: Int64 = minTime + 2 * hour
            raw.append(seededSeries(seed: seed &+ UInt64(i), minTime: minTime, maxTime: maxTime))
            blocks.append(try writeBlock(raw[i], minTime, maxTime, in: dir, UInt64(i + 1)))
        }
        return (raw, blocks)
    }

    /// The samples the inputs hold, one per timestamp, the earliest input winning a tie.
    static func expectedSamples(_ inputs: [[SeriesData]]) throws -> [Labels: [Sample]] {
        var byLabels: [Labels: [Int64: Sample]] = [:]
        for input in inputs {
            for (labels, samples) in try blockSamples(input) {
                for sample in samples where byLabels[labels]?[sample.timestamp] == nil {
                    byLabels[labels, default: [:]][sample.timestamp] = sample
                }
            }
        }
        return byLabels.mapValues { $0.values.sorted { $0.timestamp < $1.timestamp } }
    }

    /// Compacts `inputs`, opens the result, and checks it sample by sample against the inputs and
    /// against FanoutQuerier over the inputs; checks range, lineage and stats. Returns the new block.
    static func compactAndCheck(_ inputs: [BlockReader], raw: [[SeriesData]], in dir: URL, _ n: UInt64, seed: UInt64) throws -> BlockReader {
        let meta = try #require(try compactor.compact(inputs, into: dir, ulid: id(n)), "seed \(seed)")
        let block = try BlockReader(directory: dir.appendingPathComponent(id(n).string))
        #expect(block.meta == meta, "seed \(seed)")
        let merged = try selectAll(block)
        let actual = try blockSamples(merged)
        #expect(actual == (try expectedSamples(raw)), "seed \(seed)")
        let fanout = try FanoutQuerier(inputs).select(matchers: [], minTime: .min, maxTime: .max, sorted: true)
        #expect(actual == (try blockSamples(fanout)), "seed \(seed)")
        #expect(merged.map(\.labels) == fanout.map(\.labels), "series in label order, seed \(seed)")

        #expect(meta.minTime == inputs.map(\.meta.minTime).min() && meta.maxTime == inputs.map(\.meta.maxTime).max())
        #expect(meta.compaction.level == inputs.map(\.meta.compaction.level).max()! + 1)
        #expect(meta.compaction.sources == Set(inputs.flatMap(\.meta.compaction.sources)).sorted())
        #expect(meta.compaction.parents == inputs.map { BlockMeta.BlockDesc(ulid: $0.meta.ulid, minTime: $0.meta.minTime, maxTime: $0.meta.maxTime) })
        #expect(meta.stats.numSeries == UInt64(actual.count), "seed \(seed)")
        #expect(meta.stats.numSamples == UInt64(actual.values.map(\.count).reduce(0, +)), "seed \(seed)")
        #expect(meta.stats.numChunks == UInt64(merged.map(\.chunks.count).reduce(0, +)), "seed \(seed)")
        #expect(meta.stats.numTombstones == 0 && block.tombstones.isEmpty)
        return block
    }

    @Test("three consecutive 2h blocks → one 6h level-2 block with every sample once", arguments: [UInt64(1), 2, 3])
    func levelledMerge(seed: UInt64) throws {
        try withBlockTempDir { dir in
            let (raw, inputs) = try Self.twoHourBlocks(3, seed: seed &* 10, in: dir)
            let newest = try Self.writeBlock(Self.seededSeries(seed: seed, minTime: 6 * Self.hour, maxTime: 8 * Self.hour), 6 * Self.hour, 8 * Self.hour, in: dir, 4)
            defer { (inputs + [newest]).forEach { $0.close() } }
            #expect(Self.compactor.plan((inputs + [newest]).map(\.meta)) == inputs.map(\.meta.ulid))

            let block = try Self.compactAndCheck(inputs, raw: raw, in: dir, 10, seed: seed)
            defer { block.close() }
            #expect(block.meta.minTime == 0 && block.meta.maxTime == 6 * Self.hour)
            #expect(block.meta.compaction.sources == inputs.map(\.meta.ulid).sorted())
            // No overlap: chunks are copied, not re-encoded.
            #expect(block.meta.stats.numChunks == inputs.map(\.meta.stats.numChunks).reduce(0, +), "seed \(seed)")

            // After the reload the inputs are replaced, and nothing is left to plan.
            let metas = (inputs + [newest, block]).map(\.meta)
            #expect(Compactor.blocksToDelete(metas) == Set(inputs.map(\.meta.ulid)))
            #expect(Self.compactor.plan(metas).isEmpty)
        }
    }

    @Test("overlapping blocks: vertical compaction keeps one sample per timestamp, the earlier block winning", arguments: [UInt64(4), 5])
    func verticalMerge(seed: UInt64) throws {
        try withBlockTempDir { dir in
            let raw = [
                Self.seededSeries(seed: seed, minTime: 0, maxTime: 2 * Self.hour),
                Self.seededSeries(seed: seed &+ 100, minTime: Self.hour, maxTime: 3 * Self.hour),
                Self.seededSeries(seed: seed &+ 200, minTime: 0, maxTime: 3 * Self.hour),
            ]
            let a = try Self.writeBlock(raw[0], 0, 2 * Self.hour, in: dir, 1)
            let b = try Self.writeBlock(raw[1], Self.hour, 3 * Self.hour, in: dir, 2)
            let c = try Self.writeBlock(raw[2], 0, 3 * Self.hour, in: dir, 3)
            defer { [a, b, c].forEach { $0.close() } }
            #expect(Set(Self.compactor.plan([a.meta, b.meta, c.meta])) == [a.meta.ulid, b.meta.ulid, c.meta.ulid])
            let totalIn = [a, b, c].map(\.meta.stats.numSamples).reduce(0, +)
            let block = try Self.compactAndCheck([a, b, c], raw: raw, in: dir, 10, seed: seed)
            defer { block.close() }
            #expect(block.meta.stats.numSamples < totalIn, "duplicates were dropped, seed \(seed)")
            #expect(block.meta.minTime == 0 && block.meta.maxTime == 3 * Self.hour)
        }
    }

    @Test("a level-2 block merged again: level 3, sources are the level-1 blocks, parents the direct inputs")
    func lineage() throws {
        try withBlockTempDir { dir in
            let (raw, level1) = try Self.twoHourBlocks(3, seed: 40, in: dir)
            defer { level1.forEach { $0.close() } }
            let level2 = try Self.compactAndCheck(Array(level1[0...1]), raw: Array(raw[0...1]), in: dir, 10, seed: 40)
            defer { level2.close() }
            let level3 = try Self.compactAndCheck([level2, level1[2]], raw: [Array(raw[0...1]).flatMap { $0 }, raw[2]], in: dir, 11, seed: 40)
            defer { level3.close() }
            #expect(level3.meta.compaction.level == 3)
            #expect(level3.meta.compaction.sources == level1.map(\.meta.ulid).sorted())
            #expect(level3.meta.compaction.parents?.map(\.ulid) == [level2.meta.ulid, level1[2].meta.ulid])
        }
    }

    @Test("tombstoned samples and fully deleted series do not reach the new block")
    func tombstones() throws {
        try withBlockTempDir { dir in
            let raw = Self.seededSeries(seed: 7, minTime: 0, maxTime: 2 * Self.hour)
            try #require(raw.count >= 3)
            _ = try Self.writeBlock(raw, 0, 2 * Self.hour, in: dir, 1).close()
            let blockDir = dir.appendingPathComponent(Self.id(1).string)
            // Series IDs follow label order: delete series 0 entirely and half an hour of series 1.
            let ids = try { () throws -> [UInt32] in
                let block = try BlockReader(directory: blockDir)
                defer { block.close() }
                return try block.seriesIDs(matching: [])
            }()
            let deleted: ClosedRange<Int64> = Self.hour / 2...Self.hour
            try writeBlockFile(BlockTombstones.encode([UInt64(ids[0]): [Int64.min...Int64.max], UInt64(ids[1]): [deleted]]), to: blockDir.appendingPathComponent("tombstones"))
            let input = try BlockReader(directory: blockDir)
            defer { input.close() }

            let meta = try #require(try Self.compactor.compact([input], into: dir, ulid: Self.id(2)))
            let block = try BlockReader(directory: dir.appendingPathComponent(Self.id(2).string))
            defer { block.close() }
            let samples = try blockSamples(try selectAll(block))
            #expect(samples[raw[0].labels] == nil)
            let expected1 = try #require(try blockSamples([raw[1]])[raw[1].labels]).filter { !deleted.contains($0.timestamp) }
            #expect(samples[raw[1].labels] == expected1)
            #expect(samples[raw[2].labels] == (try blockSamples([raw[2]])[raw[2].labels]))
            #expect(meta.stats.numSeries == UInt64(raw.count - 1) && meta.compaction.level == 2)
            #expect(try blockFileBytes(dir.appendingPathComponent(Self.id(2).string + "/tombstones")) == BlockTombstones.empty)
        }
    }

    @Test("an empty result writes no block and marks the inputs deletable")
    func emptyResult() throws {
        try withBlockTempDir { dir in
            for block in try Self.twoHourBlocks(2, seed: 8, in: dir).blocks {
                let everything = Dictionary(uniqueKeysWithValues: try block.seriesIDs(matching: []).map { (UInt64($0), [Int64.min...Int64.max]) })
                block.close()
                try writeBlockFile(BlockTombstones.encode(everything), to: block.directory.appendingPathComponent("tombstones"))
            }
            let inputs = try [1, 2].map { try BlockReader(directory: dir.appendingPathComponent(Self.id($0).string)) }
            defer { inputs.forEach { $0.close() } }
            #expect(try Self.compactor.compact(inputs, into: dir, ulid: Self.id(3)) == nil)
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(Self.id(3).string).path))
            #expect(try BlockDirectory.blocks(in: dir).count == 2, "no temporary directory left either")
            let reread = try inputs.map { try BlockReader(directory: $0.directory) }
            defer { reread.forEach { $0.close() } }
            #expect(reread.allSatisfy { $0.meta.compaction.deletable == true })
            #expect(Compactor.blocksToDelete(reread.map(\.meta)) == Set(inputs.map(\.meta.ulid)))
        }
    }

    @Test("a failed compaction marks its inputs failed, leaves nothing behind, and the planner skips them")
    func failure() throws {
        try withBlockTempDir { dir in
            let inputs = try Self.twoHourBlocks(3, seed: 9, in: dir).blocks
            defer { inputs.forEach { $0.close() } }
            // The target directory already exists: BlockWriter refuses.
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(Self.id(5).string), withIntermediateDirectories: false)
            #expect(throws: TSDBError.self) { try Self.compactor.compact(inputs, into: dir, ulid: Self.id(5)) }
            let reread = try inputs.map { try BlockReader(directory: $0.directory) }
            defer { reread.forEach { $0.close() } }
            #expect(reread.allSatisfy { $0.meta.compaction.failed == true })
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(Self.id(5).string + BlockDirectory.creationSuffix).path))
            let newest = CompactorPlanTests.meta(4, 6, 8)
            #expect(Self.compactor.plan(reread.map(\.meta) + [newest]).isEmpty)
            #expect(throws: TSDBError.self) { try Self.compactor.compact([], into: dir, ulid: Self.id(6)) }
        }
    }

    @Test("samples outside the inputs' combined range are dropped, as Prometheus does")
    func outOfRangeSamples() throws {
        try withBlockTempDir { dir in
            var chunk = XORChunk()
            for t in stride(from: Int64(0), to: 1000, by: 10) { chunk.append(t, Double(t)) }
            let labels = Labels([("__name__", "m")])
            _ = try Self.writeBlock([SeriesData(labels: labels, chunks: [chunk.chunkData])], 0, 1000, in: dir, 1).close()
            let blockDir = dir.appendingPathComponent(Self.id(1).string)
            // Claim a narrower range than the samples have.
            try Compactor.updateMeta(ofBlock: blockDir) { $0.maxTime = 500 }
            let input = try BlockReader(directory: blockDir)
            defer { input.close() }
            let meta = try #require(try Self.compactor.compact([input], into: dir, ulid: Self.id(2)))
            #expect(meta.maxTime == 500 && meta.stats.numSamples == 50)
            let block = try BlockReader(directory: dir.appendingPathComponent(Self.id(2).string))
            defer { block.close() }
            #expect(try blockSamples(try selectAll(block))[labels]?.map(\.timestamp) == Array(stride(from: Int64(0), to: 500, by: 10)))
        }
    }

    @Test("histogram chunks are copied when they do not overlap, merged when they do, refused when damaged")
    func histogramChunks() throws {
        try withBlockTempDir { dir in
            let labels = Labels([("__name__", "h")])
            func histogram(_ i: Int) -> Histogram {
                Histogram(count: UInt64(i), sum: Double(i), positiveSpans: [BucketSpan(offset: 0, length: 1)], positiveBuckets: [Int64(i)])
            }
            func chunk(_ times: StrideTo<Int64>) -> ChunkData {
                HistogramChunk.chunks(times.map { ($0, histogram(Int($0 / 10))) })[0]
            }
            let a = try Self.writeBlock([SeriesData(labels: labels, chunks: [chunk(stride(from: 0, to: 101, by: 50))])], 0, 1000, in: dir, 1)
            let b = try Self.writeBlock([SeriesData(labels: labels, chunks: [chunk(stride(from: 1000, to: 1101, by: 50))])], 1000, 2000, in: dir, 2)
            let c = try Self.writeBlock([SeriesData(labels: labels, chunks: [chunk(stride(from: 25, to: 126, by: 50))])], 0, 1000, in: dir, 3)
            // A damaged payload: a sample count and filler.
            let damaged = ChunkData(minTime: 50, maxTime: 150, encoding: 2, bytes: [0, 3, 0xAB, 0xCD])
            let d = try Self.writeBlock([SeriesData(labels: labels, chunks: [damaged])], 0, 1000, in: dir, 6)
            defer { [a, b, c, d].forEach { $0.close() } }
            let meta = try #require(try Self.compactor.compact([a, b], into: dir, ulid: Self.id(4)))
            let block = try BlockReader(directory: dir.appendingPathComponent(Self.id(4).string))
            defer { block.close() }
            func describe(_ chunks: [ChunkData]) -> [String] { chunks.map { "\($0.minTime) \($0.maxTime) \($0.encoding) \($0.bytes)" } }
            #expect(
                describe(try selectAll(block).first?.chunks ?? [])
                    == describe([chunk(stride(from: 0, to: 101, by: 50)), chunk(stride(from: 1000, to: 1101, by: 50))]))
            #expect(meta.stats.numSamples == 6)
            // Overlapping: merged sample by sample into one histogram chunk.
            let merged = try #require(try Self.compactor.compact([a, c], into: dir, ulid: Self.id(5)))
            #expect(merged.stats.numSamples == 6)
            let mergedBlock = try BlockReader(directory: dir.appendingPathComponent(Self.id(5).string))
            defer { mergedBlock.close() }
            let samples = try (try selectAll(mergedBlock).first?.chunks ?? []).flatMap { try ChunkSamples.decode($0) }
            #expect(samples.map(\.timestamp) == [0, 25, 50, 75, 100, 125])
            #expect(try selectAll(mergedBlock).first?.chunks.allSatisfy { $0.encoding == 2 } == true)
            #expect(throws: TSDBError.self) { try Self.compactor.compact([a, d], into: dir, ulid: Self.id(7)) }
        }
    }

    @Test(
        "promtool tsdb list and analyze read a compacted block",
        .enabled(if: blockPromtoolPath != nil, "promtool is not installed (apt-get install -y prometheus)")
    )
    func promtool() throws {
        try withBlockTempDir { dir in
            let raw = [Self.seededSeries(seed: 12, minTime: 0, maxTime: 2 * Self.hour), Self.seededSeries(seed: 13, minTime: Self.hour, maxTime: 3 * Self.hour)]
            let a = try Self.writeBlock(raw[0], 0, 2 * Self.hour, in: dir, 1)
            let b = try Self.writeBlock(raw[1], Self.hour, 3 * Self.hour, in: dir, 2)
            let meta = try #require(try Self.compactor.compact([a, b], into: dir, ulid: Self.id(3)))
            a.close()
            b.close()
            // Delete the parents as the DB would, so promtool sees only the compacted block.
            for input in [a, b] { try FileManager.default.removeItem(at: input.directory) }
            let list = try BlockPromtoolTests.promtool(["tsdb", "list", dir.path])
            #expect(list.status == 0, "\(list.output)")
            let row = list.output.split(separator: "\n").first { $0.hasPrefix(meta.ulid.string) }.map { $0.split(separator: " ") } ?? []
            #expect(row.contains("\(meta.stats.numSamples)") && row.contains("\(meta.stats.numSeries)"), "\(list.output)")
            let analyze = try BlockPromtoolTests.promtool(["tsdb", "analyze", dir.path, meta.ulid.string])
            #expect(analyze.status == 0, "\(analyze.output)")
            #expect(analyze.output.contains("Series: \(meta.stats.numSeries)"), "\(analyze.output)")
        }
    }
}
