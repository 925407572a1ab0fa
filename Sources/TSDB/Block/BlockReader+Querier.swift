// BlockReader as a Querier: series by matchers with their chunks, label names and values.

internal import ChunkEncoding
package import MetricModel

extension BlockReader {
    /// Series matching every matcher with their chunks overlapping `[minTime, maxTime]` (both inclusive).
    ///
    /// Chunk bytes are copied out of the mapping. Deleted intervals (tombstones) are applied: an XOR
    /// chunk they touch is re-encoded without the deleted samples, and dropped if none remain.
    /// Series without chunks in range are left out. The result is in series-ID order, which the index
    /// format makes label-set order (spec §4.3), so `sorted` needs no extra work.
    ///
    /// - Throws: `TSDBError` if the index or a chunk is corrupt, or the block is closed.
    package func select(
        matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp, sorted: Bool
    ) throws(TSDBError) -> [SeriesData] {
        guard overlaps(minTime, maxTime) else { return [] }
        return try reading { () throws(TSDBError) -> [SeriesData] in
            var result: [SeriesData] = []
            for id in try index.postings(matching: matchers) {
                let series = try index.series(id)
                let deleted = tombstones[UInt64(id)]
                var chunkData: [ChunkData] = []
                for meta in series.chunks where meta.maxTime >= minTime && meta.minTime <= maxTime {
                    let (encoding, bytes) = try chunks.chunk(meta.ref)
                    let chunk = ChunkData(minTime: meta.minTime, maxTime: meta.maxTime, encoding: encoding, bytes: bytes)
                    if let deleted {
                        chunkData += try Self.removing(deleted, from: chunk)
                    } else {
                        chunkData.append(chunk)
                    }
                }
                if !chunkData.isEmpty { result.append(SeriesData(labels: try index.labels(series), chunks: chunkData)) }
            }
            return result
        }
    }

    /// Label names of matching series with a chunk in `[minTime, maxTime]`, sorted bytewise.
    /// With no matchers and a range covering the block, the postings offset table answers alone.
    package func labelNames(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws(TSDBError) -> [String] {
        guard overlaps(minTime, maxTime) else { return [] }
        return try reading { () throws(TSDBError) -> [String] in
            if matchers.isEmpty && covers(minTime, maxTime) { return index.labelNames.map { IndexReader.text($0) } }
            var names = Set<Int>()
            for id in try index.postings(matching: matchers) {
                let series = try index.series(id)
                guard series.chunks.contains(where: { $0.maxTime >= minTime && $0.minTime <= maxTime }) else { continue }
                for k in stride(from: 0, to: series.labelRefs.count, by: 2) { names.insert(series.labelRefs[k]) }
            }
            // Symbol references are in bytewise order, so sorting them sorts the names.
            var result: [String] = []
            for ref in names.sorted() { result.append(IndexReader.text(try index.symbol(ref))) }
            return result
        }
    }

    /// Values of label `name` among matching series with a chunk in `[minTime, maxTime]`, sorted bytewise.
    package func labelValues(
        name: String, matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp
    ) throws(TSDBError) -> [String] {
        guard overlaps(minTime, maxTime) else { return [] }
        return try reading { () throws(TSDBError) -> [String] in
            if matchers.isEmpty && covers(minTime, maxTime) {
                return index.entries(name).map { index.string($0.value) }
            }
            let nameBytes = Array(name.utf8)
            var values = Set<Int>()
            for id in try index.postings(matching: matchers) {
                let series = try index.series(id)
                guard series.chunks.contains(where: { $0.maxTime >= minTime && $0.minTime <= maxTime }) else { continue }
                for k in stride(from: 0, to: series.labelRefs.count, by: 2) {
                    if try index.symbol(series.labelRefs[k]).elementsEqual(nameBytes) { values.insert(series.labelRefs[k + 1]) }
                }
            }
            var result: [String] = []
            for ref in values.sorted() { result.append(IndexReader.text(try index.symbol(ref))) }
            return result
        }
    }

    /// Number of series in the index (the length of the all-postings list).
    package func seriesCount() throws(TSDBError) -> Int {
        try reading { () throws(TSDBError) -> Int in try index.allPostings().count }
    }

    /// Whether the inclusive query range meets the block's half-open range `[meta.minTime, meta.maxTime)`.
    private func overlaps(_ minTime: Timestamp, _ maxTime: Timestamp) -> Bool {
        minTime < meta.maxTime && maxTime >= meta.minTime && minTime <= maxTime
    }

    /// Whether the inclusive query range covers the whole block.
    private func covers(_ minTime: Timestamp, _ maxTime: Timestamp) -> Bool {
        minTime <= meta.minTime && maxTime >= meta.maxTime &- 1
    }

    /// `chunk` without the samples inside `deleted`: itself, nothing if none remain, or the
    /// samples left re-encoded (a native-histogram chunk may come back as more than one chunk).
    static func removing(_ deleted: [ClosedRange<Int64>], from chunk: ChunkData) throws(TSDBError) -> [ChunkData] {
        let touching = deleted.filter { $0.upperBound >= chunk.minTime && $0.lowerBound <= chunk.maxTime }
        guard !touching.isEmpty else { return [chunk] }
        if touching.contains(where: { $0.lowerBound <= chunk.minTime && $0.upperBound >= chunk.maxTime }) { return [] }
        guard chunk.encoding == XORChunk.encoding else { return try removingHistograms(touching, from: chunk) }
        var iterator = XORIterator(chunk.bytes)
        var kept = XORChunk()
        while iterator.next() {
            let t = iterator.timestamp
            if !touching.contains(where: { $0.contains(t) }) { kept.append(t, iterator.value) }
        }
        if let error = iterator.error { throw TSDBError.block(.badChunks, "chunks: corrupt XOR chunk: \(error)") }
        return kept.isEmpty ? [] : [kept.chunkData]
    }

    /// A native-histogram (or any) chunk without the samples inside `deleted`, re-encoded.
    static func removingHistograms(_ deleted: [ClosedRange<Int64>], from chunk: ChunkData) throws(TSDBError) -> [ChunkData] {
        var samples: [StoredSample]
        do throws(DecodeError) { samples = try ChunkSamples.decode(chunk) } catch {
            throw TSDBError.block(.badChunks, "chunks: corrupt chunk of encoding \(chunk.encoding): \(error)")
        }
        samples.removeAll { sample in deleted.contains { $0.contains(sample.timestamp) } }
        return ChunkSamples.encode(samples)
    }
}
