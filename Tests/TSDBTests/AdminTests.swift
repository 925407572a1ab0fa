// Admin operations: delete (head and block tombstones), clean_tombstones and snapshots.

import ChunkEncoding
import Foundation
import MetricModel
import Testing
import TSDB

@Suite struct AdminTests {
    static func eq(_ name: String, _ value: String) throws -> LabelMatcher { try LabelMatcher(.equal, name, value) }

    /// Expected data of HeadCompactionTests without the samples of series `s` in `range`.
    static func expected(deleting range: ClosedRange<Int64>, series: Set<String>) -> [Labels: [Sample]] {
        var result = HeadCompactionTests.expected()
        for (labels, samples) in result where series.contains(labels["s"] ?? "") {
            let kept = samples.filter { !range.contains($0.timestamp) }
            result[labels] = kept.isEmpty ? nil : kept
        }
        return result
    }

    /// A DB with 4 blocks of 2 minutes (0…480 s) and the rest (480…595 s) in the head.
    static func compactedDB(_ dir: URL) throws -> DB {
        let db = try DB(directory: dir, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
        let rounds = Dictionary(grouping: HeadCompactionTests.data(), by: { $0.1 })
        for t in rounds.keys.sorted() { _ = try db.appendBatch(rounds[t]!) }
        try db.compactHead()
        return db
    }

    @Test func deleteInHeadHidesSamplesAndSurvivesRestart() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
            _ = try db.appendBatch(HeadCompactionTests.data().filter { $0.1 < 120_000 })
            try db.delete(matchers: [Self.eq("s", "3")], minTime: 10_000, maxTime: 50_000)
            try db.delete(matchers: [Self.eq("s", "4")], minTime: .min, maxTime: .max)
            var expected: [Labels: [Sample]] = [:]
            for (labels, t, v) in HeadCompactionTests.data() where t < 120_000 {
                if labels["s"] == "4" || (labels["s"] == "3" && (10_000...50_000).contains(t)) { continue }
                expected[labels, default: []].append(Sample(t, v))
            }
            let got = try db.samples()
            #expect(got == expected)
            #expect(got[Labels(["__name__": "m", "s": "4"])] == nil)
            #expect(got[Labels(["__name__": "m", "s": "3"])]?.contains { (10_000...50_000).contains($0.timestamp) } == false)
            #expect(db.head.tombstones.count == 2)
            try db.close()

            let reopened = try DB(directory: dir, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
            defer { try? reopened.close() }
            #expect(try reopened.samples() == expected)
            // The tombstone is clamped to the series' data, as Prometheus writes it.
            let ref = try #require(reopened.head.tombstones.snapshot().first { $0.value.first?.lowerBound == 0 })
            #expect(ref.value == [0...115_000])
        }
    }

    @Test func headCompactionDropsDeletedSamples() throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
            defer { try? db.close() }
            let rounds = Dictionary(grouping: HeadCompactionTests.data(), by: { $0.1 })
            for t in rounds.keys.sorted() { _ = try db.appendBatch(rounds[t]!) }
            try db.delete(matchers: [Self.eq("s", "7")], minTime: 100_000, maxTime: 300_000)
            try db.compactHead()
            #expect(db.blocks.count == 4)
            #expect(db.blocks.allSatisfy { $0.tombstones.isEmpty })
            #expect(try db.samples() == Self.expected(deleting: 100_000...300_000, series: ["7"]))
        }
    }

    @Test func deleteInBlocksWritesTombstonesAndSurvivesRestart() throws {
        try withTempDB { dir in
            let db = try Self.compactedDB(dir)
            #expect(db.blocks.count == 4)
            try db.delete(matchers: [Self.eq("s", "1")], minTime: 100_000, maxTime: 300_000)
            let expected = Self.expected(deleting: 100_000...300_000, series: ["1"])
            #expect(try db.samples() == expected)
            let withStones = db.blocks.filter { !$0.tombstones.isEmpty }
            #expect(withStones.map(\.meta.minTime) == [0, 120_000, 240_000])
            for block in withStones {
                let bytes = try [UInt8](Data(contentsOf: block.directory.appendingPathComponent("tombstones")))
                let decoded = try BlockTombstones.decode(bytes)
                #expect(decoded.count == 1)
                #expect(block.meta.stats.numTombstones == 1)
                #expect(!FileManager.default.fileExists(atPath: block.directory.appendingPathComponent("tombstones.tmp").path))
            }
            // Clamped to the series' chunks in the block: [100 s, 115 s] in the first block.
            #expect(withStones[0].tombstones.values.first == [100_000...115_000])
            try db.close()

            let reopened = try DB(directory: dir, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
            defer { try? reopened.close() }
            #expect(try reopened.samples() == expected)
        }
    }

    @Test(.enabled(if: blockPromtoolPath != nil, "promtool is not installed"))
    func promtoolAppliesBlockTombstones() throws {
        try withTempDB { dir in
            let db = try Self.compactedDB(dir)
            defer { try? db.close() }
            try db.delete(matchers: [Self.eq("s", "2")], minTime: .min, maxTime: .max)
            // promtool opens a copy holding only the first block.
            let copy = dir.appendingPathComponent("copy")
            // promtool 2.42 also reads the WAL, so give it an empty one.
            try FileManager.default.createDirectory(at: copy.appendingPathComponent("wal"), withIntermediateDirectories: true)
            let block = db.blocks[0]
            try FileManager.default.copyItem(at: block.directory, to: copy.appendingPathComponent(block.meta.ulid.string))
            let dump = try BlockPromtoolTests.promtool(["tsdb", "dump", copy.path])
            #expect(dump.status == 0, "\(dump.output)")
            #expect(dump.output.contains("s=\"1\""), "\(dump.output.prefix(500))")
            #expect(!dump.output.contains("s=\"2\""))
        }
    }

    @Test func cleanTombstonesRewritesBlocks() throws {
        try withTempDB { dir in
            let db = try Self.compactedDB(dir)
            defer { try? db.close() }
            let before = Set(db.blocks.map(\.meta.ulid))
            try db.delete(matchers: [Self.eq("s", "1")], minTime: 100_000, maxTime: 300_000)
            // Every series of the first block, so that block goes entirely.
            try db.delete(matchers: [try LabelMatcher(.regexMatch, "__name__", ".+")], minTime: 0, maxTime: 119_999)
            try db.cleanTombstones()
            var expected = Self.expected(deleting: 100_000...300_000, series: ["1"])
            expected = expected.mapValues { $0.filter { $0.timestamp >= 120_000 } }
            #expect(try db.samples() == expected)
            #expect(db.blocks.count == 3)
            #expect(db.blocks.allSatisfy { $0.tombstones.isEmpty })
            let after = db.blocks.map(\.meta)
            #expect(after.map(\.minTime) == [120_000, 240_000, 360_000])
            // The two rewritten blocks are new; the untouched one stays.
            #expect(Set(after.map(\.ulid)).intersection(before).count == 1)
            for meta in after where !before.contains(meta.ulid) {
                #expect(meta.compaction.level == 1 && meta.compaction.sources == [meta.ulid])
                #expect(meta.compaction.parents?.count == 1)
            }
            let dirs = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { ULID($0) != nil }
            #expect(Set(dirs) == Set(after.map(\.ulid.string)))
        }
    }

    @Test func snapshotOpensAsTheSameData() throws {
        try withTempDB { dir in
            let db = try Self.compactedDB(dir)
            defer { try? db.close() }
            try db.delete(matchers: [Self.eq("s", "5")], minTime: 400_000, maxTime: 500_000)
            let name = try db.snapshot(skipHead: false)
            #expect(name.wholeMatch(of: /\d{8}T\d{6}Z-[0-9a-f]{16}/) != nil)
            let snapshotDir = dir.appendingPathComponent("snapshots").appendingPathComponent(name)
            var readOnly = HeadCompactionTests.options()
            readOnly.readOnly = true
            let snap = try DB(directory: snapshotDir, options: readOnly, logger: quietTSDBLogger)
            defer { try? snap.close() }
            #expect(snap.blocks.count == 5)
            #expect(try snap.samples() == db.samples())
            #expect(try snap.samples() == Self.expected(deleting: 400_000...500_000, series: ["5"]))
            // Block files are hard links, not copies.
            let index = db.blocks[0].directory.appendingPathComponent("index").path
            let links = try FileManager.default.attributesOfItem(atPath: index)[.referenceCount] as? NSNumber
            #expect((links?.intValue ?? 0) >= 2)

            let headless = try db.snapshot(skipHead: true)
            let other = try DB(
                directory: dir.appendingPathComponent("snapshots").appendingPathComponent(headless), options: readOnly,
                logger: quietTSDBLogger)
            defer { try? other.close() }
            #expect(other.blocks.count == 4)
            #expect(try other.samples() == Self.expected(deleting: 400_000...500_000, series: ["5"]).mapValues { $0.filter { $0.timestamp < 480_000 } })
        }
    }

    @Test func snapshotNameHasPrometheusFormat() {
        let date = Date(timeIntervalSince1970: 1_704_164_645)  // 2024-01-02 03:04:05 UTC
        #expect(DB.snapshotName(date: date, random: 42) == "20240102T030405Z-000000000000002a")
        #expect(DB.snapshotName(date: date, random: .max) == "20240102T030405Z-7fffffffffffffff")
    }
}
