// MemPostings: the head's inverted index, label name → value → sorted series refs.

internal import MetricModel

/// The head's postings: for every label pair, the refs of series that carry it, ascending.
///
/// Refs are handed out in increasing order, so appending keeps every list sorted; WAL replay
/// may add refs out of order and `add` then inserts in place.
///
/// Lists hold refs in 32 bits (half the memory: ~35 bytes per series at 100k series) until a
/// ref at or above 2^32 arrives — after four billion series created in one head's lifetime —
/// and then all lists are widened to 64 bits once.
/// Thread-safety: all methods may be called concurrently.
final class MemPostings: @unchecked Sendable {
    // Safety: `narrow` and `wide` only under `lock`.
    private let lock = Lock()
    private var narrow = PostingIndex<UInt32>()
    /// Set, and `narrow` emptied, once a ref no longer fits 32 bits.
    private var wide: PostingIndex<UInt64>?

    func add(_ ref: SeriesRef, _ labels: Labels) {
        let pairs = labels.pairs
        lock.withLock {
            if wide == nil, let small = UInt32(exactly: ref.rawValue) {
                narrow.add(small, pairs)
                return
            }
            if wide == nil {
                wide = narrow.widened()
                narrow = PostingIndex()
            }
            wide!.add(ref.rawValue, pairs)
        }
    }

    /// Removes the refs of deleted series (`labels` as they were added).
    func delete(_ removed: [(ref: UInt64, labels: Labels)]) {
        guard !removed.isEmpty else { return }
        lock.withLock {
            if wide != nil {
                wide!.delete(removed.map { ($0.ref, $0.labels) })
            } else {
                narrow.delete(removed.compactMap { item in UInt32(exactly: item.ref).map { ($0, item.labels) } })
            }
        }
    }

    /// Calls `body` with each label name and its values' series counts, under the lock.
    func forEachLabel(_ body: (String, [(String, Int)]) -> Void) {
        lock.withLock {
            if let wide { wide.forEachLabel(body) } else { narrow.forEachLabel(body) }
        }
    }

    /// How many series carry `name="value"`.
    func count(name: String, value: String) -> Int {
        lock.withLock { wide?.count(name: name, value: value) ?? narrow.count(name: name, value: value) }
    }

    /// Every ref, ascending.
    func allRefs() -> [UInt64] { lock.withLock { wide?.all ?? narrow.all.map(UInt64.init) } }

    /// Label names, sorted bytewise.
    func labelNames() -> [String] {
        lock.withLock { wide?.names ?? narrow.names }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Values of `name`, sorted bytewise.
    func labelValues(_ name: String) -> [String] {
        lock.withLock { wide?.values(of: name) ?? narrow.values(of: name) }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Refs of series matching all matchers (Prometheus's `PostingsForMatchers`), ascending.
    func refs(matching matchers: [LabelMatcher]) -> [UInt64] {
        lock.withLock {
            if let wide { return wide.refs(matching: matchers) }
            return narrow.refs(matching: matchers).map(UInt64.init)
        }
    }
}

/// Label name → value → sorted refs, with refs of one width. Not thread-safe: `MemPostings`
/// guards it.
private struct PostingIndex<Ref: FixedWidthInteger & UnsignedInteger> {
    /// Keyed by the bytes of names and values, as Prometheus keys them (Swift's `String`
    /// equality would merge canonically equivalent values: "K" and the Kelvin sign).
    private var index: [UTF8Key: [UTF8Key: [Ref]]] = [:]
    private(set) var all: [Ref] = []

    mutating func add(_ ref: Ref, _ pairs: [(name: String, value: String)]) {
        Self.insertSorted(&all, ref)
        for (name, value) in pairs {
            Self.insertSorted(&index[UTF8Key(name), default: [:]][UTF8Key(value), default: []], ref)
        }
    }

    /// The same lists with 64-bit refs.
    func widened() -> PostingIndex<UInt64> {
        var result = PostingIndex<UInt64>()
        result.all = all.map(UInt64.init)
        result.index = index.mapValues { $0.mapValues { $0.map(UInt64.init) } }
        return result
    }

    private static func insertSorted(_ list: inout [Ref], _ ref: Ref) {
        if let last = list.last, last > ref {
            var lo = 0
            var hi = list.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if list[mid] < ref { lo = mid + 1 } else { hi = mid }
            }
            if lo < list.count, list[lo] == ref { return }
            list.insert(ref, at: lo)
        } else if list.last != ref {
            list.append(ref)
        }
    }

    mutating func delete(_ removed: [(ref: Ref, labels: Labels)]) {
        guard !removed.isEmpty else { return }
        let refs = Set(removed.map(\.ref))
        all.removeAll { refs.contains($0) }
        for (_, labels) in removed {
            for (name, value) in labels.pairs {
                let name = UTF8Key(name)
                let value = UTF8Key(value)
                index[name]?[value]?.removeAll { refs.contains($0) }
                if index[name]?[value]?.isEmpty == true { index[name]![value] = nil }
                if index[name]?.isEmpty == true { index[name] = nil }
            }
        }
    }

    func forEachLabel(_ body: (String, [(String, Int)]) -> Void) {
        for (name, values) in index {
            body(name.string, values.map { ($0.key.string, $0.value.count) })
        }
    }

    func count(name: String, value: String) -> Int { index[UTF8Key(name)]?[UTF8Key(value)]?.count ?? 0 }

    var names: [String] { index.keys.map(\.string) }

    func values(of name: String) -> [String] { index[UTF8Key(name)].map { $0.keys.map(\.string) } ?? [] }

    func refs(matching matchers: [LabelMatcher]) -> [Ref] {
        var result: [Ref]?
        // Matchers that cannot match an empty value select series that have the label.
        for m in matchers where !m.matchesEmpty {
            let refs = union(of: m)
            result = result.map { BlockPostings.intersect($0, refs) } ?? refs
            if result!.isEmpty { return [] }
        }
        var current = result ?? all
        // Matchers that match the empty string remove series whose value does not match.
        for m in matchers where m.matchesEmpty {
            guard let values = index[UTF8Key(m.name)] else { continue }
            var remove: [Ref] = []
            for (value, refs) in values where !m.matches(value.string) {
                remove = merge(remove, refs)
            }
            if !remove.isEmpty { current = subtract(current, remove) }
        }
        return current
    }

    private func union(of m: LabelMatcher) -> [Ref] {
        guard let values = index[UTF8Key(m.name)] else { return [] }
        if m.type == .equal { return values[UTF8Key(m.value)] ?? [] }
        var result: [Ref] = []
        if let set = m.setMatches {
            // `a|b|c`: one lookup per alternative, not a test of every value.
            for value in set { if let refs = values[UTF8Key(value)] { result = merge(result, refs) } }
            return result
        }
        for (value, refs) in values where m.matches(value.string) {
            result = merge(result, refs)
        }
        return result
    }

    private func merge(_ a: [Ref], _ b: [Ref]) -> [Ref] {
        if a.isEmpty { return b }
        var out: [Ref] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if j >= b.count || (i < a.count && a[i] < b[j]) {
                out.append(a[i])
                i += 1
            } else if i >= a.count || b[j] < a[i] {
                out.append(b[j])
                j += 1
            } else {
                out.append(a[i])
                i += 1
                j += 1
            }
        }
        return out
    }

    private func subtract(_ a: [Ref], _ b: [Ref]) -> [Ref] {
        var out: [Ref] = []
        var j = 0
        for x in a {
            while j < b.count && b[j] < x { j += 1 }
            if j < b.count && b[j] == x { continue }
            out.append(x)
        }
        return out
    }
}
