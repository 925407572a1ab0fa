// BlockReader: opens a persistent block directory written by Prometheus or BlockWriter (spec/tsdb-format.md §1.4).

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif
package import Logging
internal import MetricModel

/// An opened, read-only block: `meta.json`, the mapped `index` and `chunks/NNNNNN`, and the tombstones.
///
/// Opening checks what Prometheus checks before it accepts a block (spec §1.4): meta.json present,
/// valid JSON, `version == 1`; chunk segment headers; index magic, version, TOC, symbol table and
/// postings offset table (with their CRCs); the tombstones file if present. Everything else (series,
/// postings and chunk CRCs) is checked when read, and a failure surfaces as a thrown ``TSDBError``.
///
/// ```swift
/// let block = try BlockReader(directory: dataDir.appendingPathComponent("01M8C60Z0X7V1TMCCE0KCHVS4J"))
/// defer { block.close() }
/// let up = try block.select(matchers: [LabelMatcher(.equal, "__name__", "up")],
///                           minTime: .min, maxTime: .max, sorted: true)
/// ```
///
/// Thread-safety: all methods may be called concurrently. `close()` waits for nothing: the mappings are
/// released when the last running query finishes, and later queries throw `.closed`.
package final class BlockReader: Querier, @unchecked Sendable {
    // Safety: every stored property is immutable except `state`, which is only touched under `lock`.
    // The mappings are released (in `finishRead`/`close`) only when `state.readers == 0`.
    /// The parsed meta.json.
    package let meta: BlockMeta
    /// The block directory as given.
    package let directory: URL
    /// Deleted intervals per index series ID (from `tombstones`, empty when the file is absent).
    package let tombstones: [UInt64: [ClosedRange<Int64>]]
    /// Problems that do not stop the block from opening (e.g. a directory name that is not a ULID).
    package let warnings: [String]
    /// Bytes of the block's files as opened, counted as Prometheus's `Block.Size()` does: chunk
    /// segments, index, tombstones and meta.json (`prometheus_tsdb_storage_blocks_bytes`).
    package let sizeBytes: Int64
    /// Memory the index's symbol table takes in this reader (`prometheus_tsdb_symbol_table_size_bytes`).
    package var symbolTableSizeBytes: Int { index.symbolTableSizeBytes }

    let index: IndexReader
    let chunks: ChunkSegmentSet

    private struct State {
        var closed = false
        var readers = 0
    }

    private let lock = Lock()
    private var state = State()

    /// Opens and validates the block in `directory`.
    ///
    /// - Parameters:
    ///   - directory: the block directory, normally `<data>/<ULID>`.
    ///   - logger: receives one warning per entry of ``warnings``.
    /// - Throws: `TSDBError`: `.missingMeta`, `.badMeta` (bad JSON, `version != 1`, or a ULID that
    ///   differs from a ULID directory name), `.badChunks`, `.badIndex`, `.badTombstones`, `.io`.
    package init(directory: URL, logger: Logger? = nil) throws(TSDBError) {
        self.directory = directory
        var warnings: [String] = []
        var metaBytes = 0
        meta = try Self.readMeta(directory: directory, warnings: &warnings, size: &metaBytes)
        chunks = try ChunkSegmentSet(directory: directory.appendingPathComponent("chunks"))
        let indexPath = directory.appendingPathComponent("index").path
        do {
            index = try IndexReader(file: BlockMappedFile(path: indexPath, missingCode: .badIndex, name: "index"))
        } catch {
            chunks.unmap()
            throw TSDBError.block(error.code, error.message, path: error.path ?? indexPath, errnoCode: error.errnoCode)
        }
        let tombstonesPath = directory.appendingPathComponent("tombstones").path
        do {
            tombstones = try Self.readTombstones(path: tombstonesPath)
        } catch {
            chunks.unmap()
            index.file.unmap()
            throw TSDBError.block(error.code, error.message, path: error.path ?? tombstonesPath, errnoCode: error.errnoCode)
        }
        self.warnings = warnings
        let tombstonesBytes = POSIXIO.regularFileSize(tombstonesPath) ?? 0
        sizeBytes = Int64(chunks.segments.reduce(0) { $0 + $1.count } + index.file.count + metaBytes) + tombstonesBytes
        for warning in warnings {
            logger?.warning("block opened with a warning", metadata: ["tsdb.block.dir": "\(directory.path)", "reason": "\(warning)"])
        }
    }

    deinit { releaseMappings() }

    /// Stops the block: queries running now finish, later ones throw `TSDBError.block(.closed)`. Idempotent.
    package func close() {
        let release = lock.withLock {
            if state.closed { return false }
            state.closed = true
            return state.readers == 0
        }
        if release { releaseMappings() }
    }

    private func releaseMappings() {
        chunks.unmap()
        index.file.unmap()
    }

    /// Runs `body` while counting it as a reader, so `close()` cannot unmap under it.
    func reading<T>(_ body: () throws(TSDBError) -> T) throws(TSDBError) -> T {
        let open = lock.withLock {
            if state.closed { return false }
            state.readers += 1
            return true
        }
        guard open else { throw TSDBError.block(.closed, "block \(meta.ulid) is closed", path: directory.path) }
        defer {
            let release = lock.withLock {
                state.readers -= 1
                return state.closed && state.readers == 0
            }
            if release { releaseMappings() }
        }
        return try body()
    }

    private static func readMeta(directory: URL, warnings: inout [String], size: inout Int) throws(TSDBError) -> BlockMeta {
        let path = directory.appendingPathComponent("meta.json").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw TSDBError.block(.missingMeta, "meta.json: file does not exist", path: path)
        }
        let (bytes, failure) = POSIXIO.readFile(path)
        if failure != 0 { throw TSDBError.block(.io, "meta.json: read", path: path, errnoCode: failure) }
        size = bytes.count
        let meta: BlockMeta
        do {
            meta = try JSONDecoder().decode(BlockMeta.self, from: Data(bytes))
        } catch {
            throw TSDBError.block(.badMeta, "meta.json: invalid JSON: \(error)", path: path)
        }
        guard meta.version == BlockMeta.currentVersion else {
            throw TSDBError.block(.badMeta, "meta.json: unexpected meta file version \(meta.version)", path: path)
        }
        let name = directory.lastPathComponent
        if ULID(name) != nil {
            // Prometheus deletes a block by renaming `<data>/<meta.ulid>`: a different name breaks that.
            guard name == meta.ulid.string else {
                throw TSDBError.block(.badMeta, "meta.json: ulid \(meta.ulid) does not match the directory name \(name)", path: path)
            }
        } else {
            warnings.append("directory name \"\(name)\" is not a ULID: Prometheus would not load it as a block")
        }
        return meta
    }

    private static func readTombstones(path: String) throws(TSDBError) -> [UInt64: [ClosedRange<Int64>]] {
        let file: BlockMappedFile
        do {
            file = try BlockMappedFile(path: path, missingCode: .badTombstones, name: "tombstones")
        } catch where error.code == .badTombstones {
            return [:]  // The file is optional: missing means no tombstones.
        }
        defer { file.unmap() }
        return try BlockTombstones.decode(file.bytes)
    }
}
