// BlockPostings: set operations on sorted series-ID lists read from a block index.

/// Intersection, union and difference of ascending, duplicate-free series-ID lists, as in
/// Prometheus's `index.Intersect`, `index.Merge` and `index.Without`. Each runs in O(n + m), the
/// intersection of very unequal lists in O(n log(m/n)).
enum BlockPostings {
    /// IDs in both sorted lists (block series IDs here, head series refs in `MemPostings`).
    ///
    /// Lists of similar length are merged in one pass; when one is much shorter (a selective
    /// matcher against `job="node"`, say) each of its IDs is found in the longer one by galloping
    /// (doubling steps from the last match, then a binary search): O(n log(m/n)) instead of O(n + m).
    static func intersect<ID: FixedWidthInteger>(_ a: [ID], _ b: [ID]) -> [ID] {
        let (small, large) = a.count <= b.count ? (a, b) : (b, a)
        if small.isEmpty { return [] }
        if large.count / small.count < gallopRatio { return merged(small, large) }
        var out: [ID] = []
        out.reserveCapacity(small.count)
        var lo = 0
        for id in small {
            // Double the step until large[hi] >= id (or the end), then search (lo, hi].
            var hi = lo
            var step = 1
            while hi < large.count && large[hi] < id {
                lo = hi + 1
                hi += step
                step <<= 1
            }
            var upper = min(hi, large.count)
            while lo < upper {
                let mid = lo + (upper - lo) / 2
                if large[mid] < id { lo = mid + 1 } else { upper = mid }
            }
            if lo == large.count { break }
            if large[lo] == id {
                out.append(id)
                lo += 1
            }
        }
        return out
    }

    /// How many times longer one list must be than the other for galloping to pay.
    static let gallopRatio = 8

    /// Intersection by one merge pass over both lists.
    static func merged<ID: FixedWidthInteger>(_ a: [ID], _ b: [ID]) -> [ID] {
        var out: [ID] = []
        out.reserveCapacity(min(a.count, b.count))
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                out.append(a[i])
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return out
    }

    /// IDs in either list.
    static func merge(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        var out: [UInt32] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if a[i] < b[j] {
                out.append(a[i])
                i += 1
            } else if b[j] < a[i] {
                out.append(b[j])
                j += 1
            } else {
                out.append(a[i])
                i += 1
                j += 1
            }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }

    /// Merges many lists; pairwise in a balanced tree so the cost is O(total · log k).
    static func merge(_ lists: [[UInt32]]) -> [UInt32] {
        var level = lists
        while level.count > 1 {
            var next: [[UInt32]] = []
            next.reserveCapacity((level.count + 1) / 2)
            var k = 0
            while k + 1 < level.count {
                next.append(merge(level[k], level[k + 1]))
                k += 2
            }
            if k < level.count { next.append(level[k]) }
            level = next
        }
        return level.first ?? []
    }

    /// IDs of `a` that are not in `b`.
    static func subtract(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        if b.isEmpty { return a }
        var out: [UInt32] = []
        out.reserveCapacity(a.count)
        var j = 0
        for x in a {
            while j < b.count && b[j] < x { j += 1 }
            if j < b.count && b[j] == x { continue }
            out.append(x)
        }
        return out
    }
}
