// The chaos suite's in-process part (issue #10): one thread appends without pause while another
// injects I/O faults, compacts, queries, and takes crash images — copies of the data directory
// as they are on disk at that moment, which is what `kill -9` leaves behind. Each image must open
// and hold every sample acknowledged before it was taken, once, with the value written; no query
// during the run may return a value that was never written. `scripts/chaos.py` does the same to
// the real process with SIGKILL, for longer.

import Foundation
import Glibc
import MetricModel
import Synchronization
import Testing
import TSDB

@Suite struct ChaosTests {
    static let series = 40
    static let stepMs: Int64 = 1_000

    static func value(_ series: Int, _ step: Int) -> Double { Double(series * 1_000_000 + step) }
    static func labels(_ series: Int) -> Labels { Labels(["__name__": "chaos", "s": String(series)]) }

    /// Appends one step after another, up to `allowed` (the test's pace), until `stop`, retrying
    /// a step whose commit failed; `acked` is the number of steps committed.
    final class Writer: @unchecked Sendable {
        // Safety: `db` is thread-safe; the counters are atomics.
        let db: DB
        let acked = Atomic<Int>(0)
        let failures = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        let allowed = Atomic<Int>(0)
        let done = Atomic<Bool>(false)

        init(db: DB) { self.db = db }

        func run() {
            var step = 0
            let batch = (0..<ChaosTests.series).map { ChaosTests.labels($0) }
            while !stop.load(ordering: .acquiring) {
                if step >= allowed.load(ordering: .acquiring) {
                    usleep(100)
                    continue
                }
                var rows: [(Labels, Timestamp, Double)] = []
                for (s, labels) in batch.enumerated() {
                    rows.append((labels, Timestamp(step) * ChaosTests.stepMs, ChaosTests.value(s, step)))
                }
                do {
                    _ = try db.appendBatch(rows)
                    step += 1
                    acked.store(step, ordering: .releasing)
                } catch {
                    failures.add(1, ordering: .relaxed)
                }
            }
            done.store(true, ordering: .releasing)
        }
    }

    /// What is wrong with `found` for steps `steps` (nil: nothing): a missing sample among them,
    /// a step twice, or a value that was never written anywhere.
    static func problem(_ found: [Labels: [Sample]], steps wanted: Range<Int>) -> String? {
        for s in 0..<series {
            let samples = found[labels(s)] ?? []
            var steps = Set<Int>()
            for sample in samples {
                let step = Int(sample.timestamp / stepMs)
                if sample.timestamp % stepMs != 0 || sample.value != value(s, step) {
                    return "series \(s) @\(sample.timestamp): value \(sample.value) never written"
                }
                if !steps.insert(step).inserted { return "series \(s): step \(step) twice" }
            }
            if let lost = wanted.first(where: { !steps.contains($0) }) {
                return "series \(s): acknowledged step \(lost) missing (\(wanted) acknowledged, \(samples.count) found)"
            }
        }
        return nil
    }

    /// Copies the data directory the way a crash leaves it: head chunks, then the WAL, then the
    /// blocks (compaction is paused meanwhile, by the caller). Files that vanish mid-copy (a WAL
    /// segment truncated away) are skipped: what they held is in what was written after them.
    /// Files at the top — the lock file the running database holds — are copied as they are: a
    /// crash leaves the lock file behind, without its lock.
    static func crashImage(of dir: URL, to image: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: image, withIntermediateDirectories: true)
        let parts = ["chunks_head", "wal"] + ((try? fm.contentsOfDirectory(atPath: dir.path)) ?? []).filter {
            $0 != "chunks_head" && $0 != "wal" && !$0.hasSuffix(".tmp") && !$0.hasSuffix(".tmp-for-creation")
        }
        for part in parts {
            let source = dir.appendingPathComponent(part)
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: source.path, isDirectory: &isDirectory) else { continue }
            if !isDirectory.boolValue {
                if let data = fm.contents(atPath: source.path) { try data.write(to: image.appendingPathComponent(part)) }
                continue
            }
            guard let enumerator = fm.enumerator(atPath: source.path) else { continue }
            var files: [String] = []
            while let path = enumerator.nextObject() as? String { files.append(path) }
            try fm.createDirectory(at: image.appendingPathComponent(part), withIntermediateDirectories: true)
            for path in files.sorted() {
                let from = source.appendingPathComponent(path)
                let to = image.appendingPathComponent(part).appendingPathComponent(path)
                var isDirectory: ObjCBool = false
                guard fm.fileExists(atPath: from.path, isDirectory: &isDirectory) else { continue }
                if isDirectory.boolValue {
                    try fm.createDirectory(at: to, withIntermediateDirectories: true)
                } else if let data = fm.contents(atPath: from.path) {
                    try fm.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try data.write(to: to)
                }
            }
        }
    }

    @Test func crashImagesUnderFaultsHoldEveryAcknowledgedSample() throws {
        try withTempDB { root in
            let dir = root.appendingPathComponent("data")
            let db = try DB(directory: dir, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
            let writer = Writer(db: db)
            let thread = Thread { writer.run() }
            thread.start()

            var rng = SystemRandomNumberGenerator()
            let faults: [(IOFaults.Effect, Set<IOFaults.Operation>)] = [
                (.fail(errno: ENOSPC), [.write]), (.fail(errno: EIO), [.write]), (.torn(keep: 7, errno: EIO), [.write]),
                (.fail(errno: EIO), [.sync]), (.delay(milliseconds: 1), [.read, .write, .sync]),
            ]
            var images: [(URL, Int)] = []
            var compactions = 0
            // 3 steps (3 s of samples) a round: 900 steps, seven and a half 2-minute block ranges.
            for round in 1...300 {
                writer.allowed.store(round * 3, ordering: .releasing)
                switch round % 5 {
                case 0:
                    let (effect, operations) = faults[Int.random(in: 0..<faults.count, using: &rng)]
                    IOFaults.inject(effect, on: operations, under: dir.path, times: Int.random(in: 1...3, using: &rng))
                case 1:
                    if (try? db.compact()) != nil { compactions += 1 }
                case 2:
                    let acked = writer.acked.load(ordering: .acquiring)
                    let recent = max(0, acked - 150)..<acked
                    let found = try db.samples(minTime: Timestamp(recent.lowerBound) * Self.stepMs, maxTime: Timestamp(acked) * Self.stepMs - 1)
                    let problem = Self.problem(found, steps: recent)
                    #expect(problem == nil, "query during the run: \(problem ?? "")")
                case 3 where round % 45 == 3 && images.count < 6:
                    let acked = writer.acked.load(ordering: .acquiring)
                    let image = root.appendingPathComponent("image-\(images.count)")
                    try Self.crashImage(of: dir, to: image)
                    images.append((image, acked))
                default:
                    Thread.sleep(forTimeInterval: 0.001)
                }
            }
            writer.stop.store(true, ordering: .releasing)
            while !writer.done.load(ordering: .acquiring) { Thread.sleep(forTimeInterval: 0.001) }
            IOFaults.clear(under: dir.path)
            #expect(writer.failures.load(ordering: .relaxed) > 0, "the faults must have struck some commits")
            #expect(compactions > 0)
            #expect(!db.blocks.isEmpty)
            try db.close()

            #expect(images.count == 6)
            for (image, acked) in images {
                let reopened = try DB(directory: image, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
                #expect(reopened.cleanStart == .replaced, "the image holds the lock file the crash left")
                let problem = Self.problem(try reopened.samples(maxTime: Timestamp(acked) * Self.stepMs - 1), steps: 0..<acked)
                #expect(problem == nil, "crash image \(image.lastPathComponent) (\(acked) steps acknowledged): \(problem ?? "")")
                try reopened.close()
            }
            let final = try DB(directory: dir, options: HeadCompactionTests.options(), logger: quietTSDBLogger)
            defer { try? final.close() }
            let acked = writer.acked.load(ordering: .acquiring)
            let problem = Self.problem(try final.samples(), steps: 0..<acked)
            #expect(problem == nil, "after the run: \(problem ?? "")")
        }
    }
}
