// The fault matrix of RELIABILITY.md, storage side (issue #10): each kind of I/O fault the seam
// can inject (failed, torn and slow writes, failed fsync, failed and slow reads) during ingest,
// compaction and restart. The invariant is the same everywhere: what was acknowledged is there
// afterwards, exactly once, in memory and after a reopen; nothing is corrupted on disk.

import Foundation
import Glibc
import MetricModel
import Testing
import TSDB

/// One injected fault, named for the test report.
struct InjectedFault: Sendable, CustomTestStringConvertible {
    let name: String
    let effect: IOFaults.Effect
    let operations: Set<IOFaults.Operation>
    var testDescription: String { name }

    static let eioWrite = InjectedFault(name: "EIO on write", effect: .fail(errno: EIO), operations: [.write])
    static let fullDisk = InjectedFault(name: "ENOSPC on write", effect: .fail(errno: ENOSPC), operations: [.write])
    static let tornWrite = InjectedFault(name: "torn write", effect: .torn(keep: 11, errno: EIO), operations: [.write])
    static let fsyncFailure = InjectedFault(name: "fsync failure", effect: .fail(errno: EIO), operations: [.sync])
    static let eioRead = InjectedFault(name: "EIO on read", effect: .fail(errno: EIO), operations: [.read])
    static let slowIO = InjectedFault(name: "slow I/O", effect: .delay(milliseconds: 2), operations: [.read, .write, .sync])

    static let all: [InjectedFault] = [eioWrite, fullDisk, tornWrite, fsyncFailure, eioRead, slowIO]
}

@Suite struct IOFaultMatrixTests {
    /// 150 series, one sample every 10 s for 10 minutes: about 3 KiB of WAL per round, so the
    /// 32 KiB test segments roll over every few rounds (an fsync each time).
    static func rounds() -> [[(Labels, Timestamp, Double)]] {
        let series: [Labels] = (0..<150).map { Labels(["__name__": "fault_matrix", "series": String($0)]) }
        var out: [[(Labels, Timestamp, Double)]] = []
        for step in 0..<60 {
            let t = Timestamp(step) * 10_000
            var round: [(Labels, Timestamp, Double)] = []
            for (s, labels) in series.enumerated() { round.append((labels, t, Double(step * 1_000 + s))) }
            out.append(round)
        }
        return out
    }

    static func expected() -> [Labels: [Sample]] {
        var result: [Labels: [Sample]] = [:]
        for round in rounds() {
            for (labels, t, v) in round { result[labels, default: []].append(Sample(t, v)) }
        }
        return result
    }

    /// Ingest with the fault striking four times (once each after rounds 10, 20, 30 and 40); a
    /// failed commit is retried as a remote-write sender retries. Everything acknowledged is there
    /// once, before and after a restart.
    @Test(arguments: InjectedFault.all)
    func ingest(_ fault: InjectedFault) throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
            var failures = 0
            for (index, round) in Self.rounds().enumerated() {
                if index % 10 == 0 && index > 0 && index <= 40 {
                    IOFaults.inject(fault.effect, on: fault.operations, under: dir.path, times: 1)
                }
                var attempts = 0
                while true {
                    attempts += 1
                    do {
                        _ = try db.appendBatch(round)
                        break
                    } catch {
                        failures += 1
                        #expect(attempts < 3, "round \(index) still failing: \(error)")
                        if attempts >= 3 { break }
                    }
                }
            }
            let hits = IOFaults.hits(under: dir.path)
            IOFaults.clear(under: dir.path)

            switch fault.effect {
            case .fail, .torn:
                if fault.operations.contains(.write) {
                    #expect(failures == 4, "every injected write failure fails one commit")
                    #expect(hits == 4)
                } else if fault.operations.contains(.sync) {
                    // Only rolling over to a new segment syncs: at least one did after round 10.
                    // Head-chunk file syncs are struck too, and do not fail a commit.
                    #expect(failures >= 1)
                    #expect(failures <= hits)
                } else {
                    #expect(failures == 0, "ingest does not read")
                }
            case .delay:
                #expect(failures == 0)
                #expect(hits > 0)
            }
            try Self.expectWholeAcrossRestart(db, dir)
        }
    }

    /// Head chunks (`chunks_head/`) that cannot be written while rounds 10–29 come in:
    /// commits go on (the WAL has the samples), the chunks stay in memory until a write succeeds,
    /// and a restart has every sample — including those of chunks cut while the disk failed.
    @Test(arguments: [InjectedFault.fullDisk, InjectedFault.eioWrite, InjectedFault.tornWrite])
    func headChunkFailures(_ fault: InjectedFault) throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
            let chunksHead = dir.appendingPathComponent("chunks_head").path
            for (index, round) in Self.rounds().enumerated() {
                if index == 10 { IOFaults.inject(fault.effect, on: fault.operations, under: chunksHead) }
                if index == 30 { IOFaults.clear(under: chunksHead) }
                _ = try db.appendBatch(round)
                if index == 29 {
                    #expect(IOFaults.hits(under: chunksHead) > 0)
                    #expect(db.head.chunkWriteFailures > 0)
                }
            }
            try Self.expectWholeAcrossRestart(db, dir)
        }
    }

    /// Head compaction under the fault: it either fails (counted, head untouched, no temporary
    /// directory left) or succeeds; either way the data is whole, the next round compacts, and a
    /// reopen reads the same.
    @Test(arguments: InjectedFault.all)
    func compaction(_ fault: InjectedFault) throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
            for round in Self.rounds() { _ = try db.appendBatch(round) }
            let headMinTime = db.head.minTime

            IOFaults.inject(fault.effect, on: fault.operations, under: dir.path)
            let failed: Bool
            do {
                try db.compact()
                failed = false
            } catch {
                failed = true
            }
            let hits = IOFaults.hits(under: dir.path)
            IOFaults.clear(under: dir.path)

            #expect(hits > 0, "the fault must have struck")
            switch fault.effect {
            case .delay: #expect(!failed)
            case .fail, .torn where fault.operations != [.read]: #expect(failed)
            default: break
            }
            if failed {
                #expect(db.metrics.compactionsFailed.current == 1)
                #expect(db.blocks.isEmpty)
                #expect(db.head.minTime == headMinTime, "the head must not be truncated when no block was written")
            }
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp") }
            #expect(leftovers.isEmpty, "temporary block directories must be removed: \(leftovers)")
            #expect(Self.difference(try db.samples()) == nil, "before the restart")

            try db.compact()
            #expect(!db.blocks.isEmpty)
            try Self.expectWholeAcrossRestart(db, dir)
        }
    }

    /// A restart while reads fail in one part of the data directory. The WAL: opening fails with
    /// an I/O error and deletes or "repairs" nothing. Head chunks: dropped and rebuilt from the WAL,
    /// which holds every head sample (as Prometheus does). A block: skipped and counted, left on
    /// disk, and back at the next start. Once the disk reads again, everything is there.
    @Test(arguments: ["wal", "chunks_head", "block"])
    func restartWhileReadsFail(in part: String) throws {
        try withTempDB { dir in
            let db = try DB(directory: dir, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
            let rounds = Self.rounds()
            for round in rounds[..<40] { _ = try db.appendBatch(round) }
            try db.compact()  // some of it in blocks, the rest in the WAL and head chunks
            for round in rounds[40...] { _ = try db.appendBatch(round) }
            let block = try #require(db.blocks.first).meta.ulid.string
            try db.close()
            let name = part == "block" ? block : part
            let filesBefore = try Self.listing(dir)
            #expect(filesBefore.keys.contains { $0.hasPrefix(name + "/") })
            let faulty = dir.appendingPathComponent(name).path

            IOFaults.inject(.fail(errno: EIO), on: [.read], under: faulty)
            defer { IOFaults.clear(under: faulty) }
            switch part {
            case "wal":
                #expect(throws: TSDBError.self) {
                    let broken = try DB(directory: dir, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
                    try broken.close()
                }
                #expect(try Self.listing(dir) == filesBefore, "a failed start must not delete or rewrite anything")
            case "chunks_head":
                let rebuilt = try DB(directory: dir, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
                #expect(Self.difference(try rebuilt.samples()) == nil)
                try rebuilt.close()
            default:
                let degraded = try DB(directory: dir, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
                #expect(degraded.metrics.blockOpenFailures.current == 1)
                #expect(!degraded.blocks.contains { $0.meta.ulid.string == block })
                try degraded.close()
                #expect(try Self.listing(dir).filter { $0.key.hasPrefix(block + "/") } == filesBefore.filter { $0.key.hasPrefix(block + "/") })
            }
            #expect(IOFaults.hits(under: faulty) > 0)
            IOFaults.clear(under: faulty)

            let reopened = try DB(directory: dir, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
            defer { try? reopened.close() }
            #expect(reopened.metrics.walCorruptions.current == 0)
            #expect(reopened.blocks.contains { $0.meta.ulid.string == block })
            let difference = Self.difference(try reopened.samples())
            #expect(difference == nil, "\(difference ?? "")")
        }
    }

    /// Every sample is in `db`, closes it, and every sample is there after reopening, with no WAL
    /// corruption found on the way.
    static func expectWholeAcrossRestart(_ db: DB, _ dir: URL) throws {
        #expect(difference(try db.samples()) == nil, "before the restart")
        try db.close()
        let reopened = try DB(directory: dir, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
        defer { try? reopened.close() }
        #expect(reopened.metrics.walCorruptions.current == 0)
        let found = difference(try reopened.samples())
        #expect(found == nil, "after the restart: \(found ?? "")")
    }

    /// The first way `found` differs from ``expected()`` (nil: it does not), short enough to read.
    static func difference(_ found: [Labels: [Sample]]) -> String? {
        let expected = expected()
        if found.count != expected.count { return "\(found.count) series, expected \(expected.count)" }
        for (labels, samples) in expected where found[labels] != samples {
            let got = found[labels] ?? []
            let missing = Set(samples.map(\.timestamp)).subtracting(got.map(\.timestamp)).sorted()
            return "\(labels): \(got.count) samples, expected \(samples.count); missing \(missing.prefix(10)), first \(got.prefix(3))"
        }
        return nil
    }

    /// Every file under `dir` with its size.
    static func listing(_ dir: URL) throws -> [String: Int] {
        var out: [String: Int] = [:]
        let enumerator = FileManager.default.enumerator(atPath: dir.path)
        while let path = enumerator?.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(path).path)
            if attributes[.type] as? FileAttributeType == .typeRegular { out[path] = attributes[.size] as? Int ?? -1 }
        }
        return out
    }
}
