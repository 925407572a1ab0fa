// Snapshots of the database for backups (Prometheus's DB.Snapshot and Block.Snapshot in tsdb/db.go
// and tsdb/block.go, behind `POST /api/v1/admin/tsdb/snapshot`).

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif
internal import MetricModel
internal import Logging

extension DB {
    /// Creates `<data>/snapshots/<name>` holding a snapshot (see ``snapshot(into:skipHead:)``) and
    /// returns `<name>`: the UTC time as Go's `20060102T150405Z0700` layout prints it, a dash, and a
    /// random non-negative Int64 as 16 hex digits, e.g. `20240102T150405Z-1a2b3c4d5e6f7081`
    /// (Prometheus's `web/api/v1/api.go` snapshot handler).
    ///
    /// - Throws: as ``snapshot(into:skipHead:)``, or when the directory cannot be created.
    package func snapshot(skipHead: Bool) throws -> String {
        let name = Self.snapshotName(date: Date(), random: Int64.random(in: 0...Int64.max))
        let target = directory.appendingPathComponent("snapshots").appendingPathComponent(name)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try snapshot(into: target, skipHead: skipHead)
        return name
    }

    /// Writes a snapshot into the existing directory `target`: for every block, `target/<ULID>/` with
    /// hard links to its `meta.json`, `index`, `tombstones` and `chunks/*`; unless `skipHead`, the
    /// head's data (head tombstones applied) as one more block covering `[head min, head max + 1)`.
    /// An empty head writes no block. `target` opens as a database with the same data.
    ///
    /// - Throws: `TSDBError.io` when `target` is the data directory itself or is named like a ULID
    ///   (Prometheus refuses both); `TSDBError` or a Foundation error when linking or writing fails.
    package func snapshot(into target: URL, skipHead: Bool) throws {
        guard target.standardizedFileURL.path != directory.standardizedFileURL.path else {
            throw TSDBError.io("cannot snapshot into base directory")
        }
        guard ULID(target.lastPathComponent) == nil else { throw TSDBError.io("dir must not be a valid ULID") }
        try compactionLock.withLock {
            for block in blocks {
                logger.info("snapshotting block", metadata: ["tsdb.block.id": "\(block.meta.ulid)"])
                try Self.link(block: block.directory, into: target.appendingPathComponent(block.meta.ulid.string))
            }
            guard !skipHead else { return }
            let all = [try LabelMatcher(.regexMatch, Labels.metricNameLabel, ".*")]
            let series = try head.select(matchers: all, minTime: .min, maxTime: .max, sorted: true)
            let chunks = series.flatMap(\.chunks)
            guard let lo = chunks.map(\.minTime).min(), let hi = chunks.map(\.maxTime).max() else { return }
            let ulid = ULID(timestampMs: Int64(Date().timeIntervalSince1970 * 1000), random: SystemRandomNumberGenerator())
            // Block ranges are half-open, so the block ends one millisecond after the newest sample.
            _ = try BlockWriter.write(series: series, minTime: min(lo, head.minTime), maxTime: hi + 1, into: target, ulid: ulid)
        }
    }

    /// Hard-links a block's files into `destination` (created with `chunks/`).
    static func link(block source: URL, into destination: URL) throws {
        let fm = FileManager.default
        let chunks = destination.appendingPathComponent("chunks")
        try fm.createDirectory(at: chunks, withIntermediateDirectories: true)
        for name in ["meta.json", "index", "tombstones"] {
            let from = source.appendingPathComponent(name)
            // Blocks from other writers may lack a tombstones file; meta.json and index must exist.
            if name == "tombstones" && !fm.fileExists(atPath: from.path) { continue }
            try fm.linkItem(at: from, to: destination.appendingPathComponent(name))
        }
        let sourceChunks = source.appendingPathComponent("chunks")
        for name in try fm.contentsOfDirectory(atPath: sourceChunks.path).sorted() {
            try fm.linkItem(at: sourceChunks.appendingPathComponent(name), to: chunks.appendingPathComponent(name))
        }
    }

    /// `<UTC time as 20060102T150405Z>-<random as %016x>`, Prometheus's snapshot name.
    package static func snapshotName(date: Date, random: Int64) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ n: Int?, _ width: Int) -> String {
            let s = String(n ?? 0)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let hex = String(UInt64(bitPattern: random), radix: 16)
        let time = pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2) + "T" + pad(c.hour, 2) + pad(c.minute, 2) + pad(c.second, 2)
        return time + "Z-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
