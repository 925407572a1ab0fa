// Series IDs for label matchers over a block index: Prometheus's PostingsForMatchers.

internal import MetricModel

extension IndexReader {
    /// IDs of the series matching every matcher, ascending (which is label-set order, spec §4.3).
    ///
    /// Semantics of Prometheus's `PostingsForMatchers`: matchers that do not match `""` select the
    /// series carrying a matching value and are intersected; matchers that match `""` remove the series
    /// whose value does not match; with no matcher of the first kind, start from every series.
    ///
    /// - Throws: `TSDBError.block(.badIndex)` when a postings list is corrupt.
    func postings(matching matchers: [LabelMatcher]) throws(TSDBError) -> [UInt32] {
        var result: [UInt32]?
        for m in matchers where !m.matchesEmpty {
            let ids = try union(of: m, matching: true)
            result = result.map { BlockPostings.intersect($0, ids) } ?? ids
            if result!.isEmpty { return [] }
        }
        var current: [UInt32]
        if let result { current = result } else { current = try allPostings() }
        for m in matchers where m.matchesEmpty {
            // Series whose value does not match are removed; series without the label stay.
            let remove = try union(of: m, matching: false)
            current = BlockPostings.subtract(current, remove)
            if current.isEmpty { return [] }
        }
        return current
    }

    /// The union of the postings of `m.name`'s values for which `m.matches(value) == matching`.
    private func union(of m: LabelMatcher, matching: Bool) throws(TSDBError) -> [UInt32] {
        let entries = entries(m.name)
        if entries.isEmpty { return [] }
        if m.type == .equal && matching {
            // Fast path: binary search for the one value.
            guard let entry = find(Array(m.value.utf8), in: entries) else { return [] }
            return try postings(at: entry.offset)
        }
        var lists: [[UInt32]] = []
        if matching, let set = m.setMatches {
            // `a|b|c`: a binary search per alternative, not a test of every value.
            for value in set {
                if let entry = find(Array(value.utf8), in: entries) { lists.append(try postings(at: entry.offset)) }
            }
            return BlockPostings.merge(lists)
        }
        for entry in entries where m.matches(string(entry.value)) == matching {
            lists.append(try postings(at: entry.offset))
        }
        return BlockPostings.merge(lists)
    }

    /// Binary search for a value among one name's entries (sorted bytewise, checked at open).
    func find(_ value: [UInt8], in entries: [PostingsEntry]) -> PostingsEntry? {
        var lo = 0
        var hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            // Safety: value ranges were bounds-checked when the table was read.
            let candidate = UnsafeRawBufferPointer(rebasing: bytes[entries[mid].value])
            if candidate.elementsEqual(value) { return entries[mid] }
            if candidate.lexicographicallyPrecedes(value) { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }
}
