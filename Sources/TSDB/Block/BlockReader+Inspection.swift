// BlockReader inspection: the index's raw structure (TOC, symbols, series IDs, chunk refs), for
// tools, golden tests and the block writer's round trip.

package import MetricModel

extension BlockReader {
    /// The index format version byte (2; 3 is read the same way).
    package var indexVersion: UInt8 { index.version }

    /// The index's table of contents (spec §4.8).
    package var indexTOC: IndexTOC { index.toc }

    /// The symbol table in order; a symbol reference is an index into it (spec §4.2).
    package func symbols() throws(TSDBError) -> [String] {
        try reading { () throws(TSDBError) -> [String] in
            var result: [String] = []
            result.reserveCapacity(index.symbols.count)
            for ref in index.symbols.indices { result.append(IndexReader.text(try index.symbol(ref))) }
            return result
        }
    }

    /// Every `(name, value)` pair of the postings offset table in file order, `("", "")` first.
    package func postingsKeys() throws(TSDBError) -> [(name: String, value: String)] {
        try reading { () throws(TSDBError) -> [(name: String, value: String)] in
            var keys: [(name: String, value: String)] = []
            for name in [[]] + index.labelNames {
                let text = IndexReader.text(name)
                for entry in index.postingsTable[name] ?? [] { keys.append((text, index.string(entry.value))) }
            }
            return keys
        }
    }

    /// Series IDs (entry offset / 16) matching every matcher, ascending.
    package func seriesIDs(matching matchers: [LabelMatcher]) throws(TSDBError) -> [UInt32] {
        try reading { () throws(TSDBError) -> [UInt32] in try index.postings(matching: matchers) }
    }

    /// The labels and chunk metas of series `id`.
    package func series(id: UInt32) throws(TSDBError) -> (labels: Labels, chunks: [BlockChunkMeta]) {
        try reading { () throws(TSDBError) -> (labels: Labels, chunks: [BlockChunkMeta]) in
            let series = try index.series(id)
            return (try index.labels(series), series.chunks)
        }
    }

    /// The encoding byte and data of the chunk at `ref`, CRC checked.
    package func chunk(ref: UInt64) throws(TSDBError) -> (encoding: UInt8, bytes: [UInt8]) {
        try reading { () throws(TSDBError) -> (encoding: UInt8, bytes: [UInt8]) in try chunks.chunk(ref) }
    }

    /// Number of chunk segment files.
    package var chunkSegmentCount: Int { chunks.segments.count }
}
