// Opening the persisted blocks of a data directory at start (spec/tsdb-format.md §1.1, §1.4).

internal import MetricModel
internal import Logging
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

extension DB {
    /// Opens every block directory under `directory`, sorted by time.
    ///
    /// Leftover `<ULID>.tmp-for-creation` / `.tmp-for-deletion` directories (a crash during
    /// compaction or deletion) are removed first. A block that fails to open is logged by name,
    /// counted and skipped: the server starts with the rest of the data.
    static func openBlocks(in directory: URL, logger: Logger, metrics: TSDBMetrics) -> [BlockReader] {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: directory.path) else { return [] }
        var blocks: [BlockReader] = []
        for name in entries.sorted() {
            let url = directory.appendingPathComponent(name)
            guard POSIXIO.isDirectory(url.path) else { continue }
            if let dot = name.firstIndex(of: "."), ULID(String(name[..<dot])) != nil,
                [".tmp-for-creation", ".tmp-for-deletion", ".tmp"].contains(String(name[dot...]))
            {
                logger.info("removing leftover temporary block directory", metadata: ["tsdb.block.dir": "\(name)"])
                try? fm.removeItem(at: url)
                continue
            }
            guard ULID(name) != nil else { continue }
            do {
                blocks.append(try BlockReader(directory: url))
            } catch {
                metrics.blockOpenFailures.add()
                logger.error(
                    "skipping unreadable block", metadata: ["tsdb.block.dir": "\(name)", "error": "\(error)"])
            }
        }
        blocks.sort { ($0.meta.minTime, $0.meta.maxTime) < ($1.meta.minTime, $1.meta.maxTime) }
        return blocks
    }

    /// Changes the set of loaded blocks under `blocksLock`, then sets what Prometheus sets when it
    /// reloads blocks: `prometheus_tsdb_storage_blocks_bytes` (and the symbol table gauge, which
    /// it computes from the same set). Every change of `blockReaders` goes through here.
    @discardableResult
    func changeBlocks<T>(_ change: (inout [BlockReader]) throws -> T) rethrows -> T {
        try blocksLock.withLock {
            let result = try change(&blockReaders)
            metrics.storageBlocksBytes.set(Double(blockReaders.reduce(Int64(0)) { $0 + $1.sizeBytes }))
            metrics.symbolTableSizeBytes.set(blockReaders.reduce(0) { $0 + $1.symbolTableSizeBytes })
            return result
        }
    }
}
