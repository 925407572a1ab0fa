// FanoutQuerier: one Querier over blocks and the head, merging series and de-duplicating samples.

package import MetricModel
internal import ChunkEncoding

/// Reads several queriers (persisted blocks, then the head) as one.
///
/// Series with the same labels are merged. Chunks that do not overlap in time are passed through
/// as they are; where chunks from different sources overlap (overlapping blocks, or a block and
/// a head that both hold a sample after a crash during compaction), the samples are merged in
/// time order, one sample per timestamp (the first source wins, as in Prometheus's chain
/// merge), and re-encoded.
package struct FanoutQuerier: Querier {
    package let queriers: [any Querier]

    package init(_ queriers: [any Querier]) {
        self.queriers = queriers
    }

    package func select(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp, sorted: Bool) throws -> [SeriesData] {
        if queriers.count == 1 {
            return try queriers[0].select(matchers: matchers, minTime: minTime, maxTime: maxTime, sorted: sorted)
        }
        var index: [Labels: Int] = [:]
        var merged: [(labels: Labels, lists: [[ChunkData]])] = []
        for querier in queriers {
            for series in try querier.select(matchers: matchers, minTime: minTime, maxTime: maxTime, sorted: false) {
                if let i = index[series.labels] {
                    merged[i].lists.append(series.chunks)
                } else {
                    index[series.labels] = merged.count
                    merged.append((series.labels, [series.chunks]))
                }
            }
        }
        var result = merged.map { SeriesData(labels: $0.labels, chunks: Self.mergeChunks($0.lists)) }
        if sorted { result.sortByLabels() }
        return result
    }

    package func labelNames(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] {
        // Distinct by bytes, as Prometheus (a Set<String> would merge canonically equivalent ones).
        var names = Set<UTF8Key>()
        for querier in queriers {
            names.formUnion(try querier.labelNames(matchers: matchers, minTime: minTime, maxTime: maxTime).map(UTF8Key.init))
        }
        return names.map(\.string).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    package func labelValues(name: String, matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] {
        var values = Set<UTF8Key>()
        for querier in queriers {
            values.formUnion(
                try querier.labelValues(name: name, matchers: matchers, minTime: minTime, maxTime: maxTime).map(UTF8Key.init))
        }
        return values.map(\.string).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Merges the chunk lists of one series from several sources (each time-ordered).
    ///
    /// Fast path: when no two chunks overlap, the chunks are returned in time order untouched.
    /// Slow path: overlapping runs are decoded, merged (first source wins on equal timestamps)
    /// and re-encoded: XOR chunks of at most 120 samples, native histograms in histogram chunks
    /// cut as the head cuts them.
    static func mergeChunks(_ lists: [[ChunkData]]) -> [ChunkData] {
        if lists.count == 1 { return lists[0] }
        // Tag each chunk with its source so that equal timestamps resolve to the earlier source.
        var tagged: [(source: Int, chunk: ChunkData)] = []
        for (source, list) in lists.enumerated() {
            for chunk in list { tagged.append((source, chunk)) }
        }
        tagged.sort { $0.chunk.minTime != $1.chunk.minTime ? $0.chunk.minTime < $1.chunk.minTime : $0.source < $1.source }
        var result: [ChunkData] = []
        var i = 0
        while i < tagged.count {
            // Grow a run of chunks that overlap each other.
            var runEnd = tagged[i].chunk.maxTime
            var j = i + 1
            while j < tagged.count && tagged[j].chunk.minTime <= runEnd {
                runEnd = Swift.max(runEnd, tagged[j].chunk.maxTime)
                j += 1
            }
            if j == i + 1 {
                result.append(tagged[i].chunk)
            } else {
                result.append(contentsOf: reencode(Array(tagged[i..<j])))
            }
            i = j
        }
        return result
    }

    private static func reencode(_ run: [(source: Int, chunk: ChunkData)]) -> [ChunkData] {
        if run.contains(where: { $0.chunk.encoding != XORChunk.encoding }) { return reencodeMixed(run) }
        var samples: [(t: Timestamp, source: Int, v: Double)] = []
        for (source, chunk) in run where chunk.encoding == XORChunk.encoding {
            var iterator = XORIterator(chunk.bytes)
            while iterator.next() { samples.append((iterator.timestamp, source, iterator.value)) }
        }
        samples.sort { $0.t != $1.t ? $0.t < $1.t : $0.source < $1.source }
        // One sample per timestamp: the first source's.
        var kept: [Sample] = []
        kept.reserveCapacity(samples.count)
        for sample in samples where kept.last?.timestamp != sample.t { kept.append(Sample(sample.t, sample.v)) }
        return XORChunk.chunks(kept)
    }

    /// ``reencode(_:)`` for runs holding native-histogram chunks: samples of every kind, merged the
    /// same way (first source wins on equal timestamps). A chunk that cannot be decoded keeps the
    /// samples before the damage, as the XOR path does.
    private static func reencodeMixed(_ run: [(source: Int, chunk: ChunkData)]) -> [ChunkData] {
        var samples: [(source: Int, sample: StoredSample)] = []
        for (source, chunk) in run {
            let decoded = (try? ChunkSamples.decode(chunk)) ?? ChunkSamples.decodePrefix(chunk)
            samples += decoded.map { (source, $0) }
        }
        samples.sort { $0.sample.timestamp != $1.sample.timestamp ? $0.sample.timestamp < $1.sample.timestamp : $0.source < $1.source }
        var kept: [StoredSample] = []
        kept.reserveCapacity(samples.count)
        for (_, sample) in samples where kept.last?.timestamp != sample.timestamp { kept.append(sample) }
        return ChunkSamples.encode(kept)
    }
}
