// Reading the head: series by matchers, label names and values.

package import MetricModel

extension Head: Querier {
    /// Series matching all matchers with their chunks overlapping `[minTime, maxTime]`.
    /// Series without chunks in range are left out.
    package func select(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp, sorted: Bool) throws -> [SeriesData] {
        try select(matchers: matchers, minTime: minTime, maxTime: maxTime, sorted: sorted, shareOpenChunks: false)
    }

    /// As ``select(matchers:minTime:maxTime:sorted:)``; with `shareOpenChunks` the open chunks'
    /// storage is shared rather than copied (for reading only: see `MemSeries.chunks`).
    func select(
        matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp, sorted: Bool, shareOpenChunks: Bool
    ) throws -> [SeriesData] {
        let refs = postings.refs(matching: matchers)
        let deleted = tombstones.snapshot()  // Admin deletes (HeadTombstones), applied per series below.
        var result: [SeriesData] = []
        result.reserveCapacity(refs.count)
        for raw in refs {
            let ref = SeriesRef(raw)
            let stripe = refStripe(ref)
            let data: SeriesData? = try stripe.lock.withLock {
                guard let s = stripe.series[raw] else { return nil }
                let chunks = try s.chunks(
                    overlapping: minTime, maxTime, mapper: chunkMapper, shareOpenChunk: shareOpenChunks)
                return chunks.isEmpty ? nil : SeriesData(labels: s.labels, chunks: chunks)
            }
            guard let data else { continue }
            if deleted.isEmpty {
                result.append(data)
            } else if let kept = HeadTombstones.applying(deleted[raw], to: data) {
                result.append(kept)
            }
        }
        if sorted { result.sortByLabels() }
        return result
    }

    /// Whether the series has a sample in `[minTime, maxTime]` (by chunk bounds).
    private func hasData(_ raw: UInt64, _ minTime: Timestamp, _ maxTime: Timestamp) -> Bool {
        let stripe = refStripe(SeriesRef(raw))
        return stripe.lock.withLock {
            guard let s = stripe.series[raw] else { return false }
            return s.hasChunks(overlapping: minTime, maxTime)
        }
    }

    /// Label names of matching series with data in range, sorted.
    package func labelNames(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) -> [String] {
        if matchers.isEmpty && coversHead(minTime, maxTime) { return postings.labelNames().filter { !$0.isEmpty } }
        var names = Set<UTF8Key>()
        for raw in postings.refs(matching: matchers) where hasData(raw, minTime, maxTime) {
            series(ref: SeriesRef(raw))?.labels.forEach { name, _ in names.insert(UTF8Key(name)) }
        }
        return names.map(\.string).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Values of `name` among matching series with data in range, sorted.
    package func labelValues(name: String, matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) -> [String] {
        if matchers.isEmpty && coversHead(minTime, maxTime) { return postings.labelValues(name) }
        var values = Set<UTF8Key>()
        for raw in postings.refs(matching: matchers) where hasData(raw, minTime, maxTime) {
            if let v = series(ref: SeriesRef(raw))?.labels[name] { values.insert(UTF8Key(v)) }
        }
        return values.map(\.string).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// True when the range covers all head data, so the index alone answers.
    private func coversHead(_ lo: Timestamp, _ hi: Timestamp) -> Bool {
        lo <= minTime && hi >= maxTime
    }
}

/// The head as queries read it: open chunks are shared with the appender, not copied (their bytes
/// end in zero padding, so nothing read through this querier may be persisted; compaction, snapshots
/// and backfill use ``Head`` itself).
struct HeadQuerier: Querier {
    let head: Head

    func select(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp, sorted: Bool) throws -> [SeriesData] {
        try head.select(matchers: matchers, minTime: minTime, maxTime: maxTime, sorted: sorted, shareOpenChunks: true)
    }

    func labelNames(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] {
        head.labelNames(matchers: matchers, minTime: minTime, maxTime: maxTime)
    }

    func labelValues(name: String, matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] {
        head.labelValues(name: name, matchers: matchers, minTime: minTime, maxTime: maxTime)
    }
}
