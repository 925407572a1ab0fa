// Character classes as sorted lists of closed Unicode scalar ranges, with the set operations
// the RE2 parser needs: append (with coalescing), case folding, negation, normalisation.

/// A set of Unicode scalar values stored as `[lo0, hi0, lo1, hi1, …]`.
///
/// While a class is being built the ranges may overlap and be unordered; `normalize()` sorts
/// and merges them, after which `contains(_:)` (a binary search) may be used.
struct ScalarRanges: Sendable, Equatable {
    static let maxScalar: UInt32 = 0x10FFFF

    private(set) var bounds: [UInt32] = []

    init() {}

    init(_ pairs: [(UInt32, UInt32)]) {
        for (lo, hi) in pairs { append(lo, hi) }
        normalize()
    }

    var isEmpty: Bool { bounds.isEmpty }
    var rangeCount: Int { bounds.count / 2 }
    var isAll: Bool { bounds == [0, Self.maxScalar] }
    var isAllButNewline: Bool { bounds == [0, 9, 11, Self.maxScalar] }
    /// The only member, when the class has exactly one.
    var singleScalar: UInt32? { bounds.count == 2 && bounds[0] == bounds[1] ? bounds[0] : nil }

    func range(_ i: Int) -> (lo: UInt32, hi: UInt32) { (bounds[2 * i], bounds[2 * i + 1]) }

    /// Appends `lo...hi`, merging with one of the last two ranges when it overlaps or abuts
    /// (keeps folded alphabets like `A-Z` + `a-z` compact while they are built).
    mutating func append(_ lo: UInt32, _ hi: UInt32) {
        let n = bounds.count
        var i = 2
        while i <= 4 {
            if n >= i {
                let rlo = bounds[n - i], rhi = bounds[n - i + 1]
                if lo <= rhi &+ 1 && rlo <= hi &+ 1 {
                    if lo < rlo { bounds[n - i] = lo }
                    if hi > rhi { bounds[n - i + 1] = hi }
                    return
                }
            }
            i += 2
        }
        bounds.append(lo)
        bounds.append(hi)
    }

    /// Appends `lo...hi` and every scalar case-fold-equivalent to one in it (Go's
    /// `appendFoldedRange`).
    mutating func appendFolded(_ lo: UInt32, _ hi: UInt32) {
        append(lo, hi)
        CaseFolding.forEachCased(in: lo, hi) { member in
            for other in CaseFolding.orbit(of: member) { append(other, other) }
        }
    }

    mutating func append(_ other: ScalarRanges, folded: Bool = false, negated: Bool = false) {
        var source = other
        if folded {
            var f = ScalarRanges()
            for i in 0..<other.rangeCount {
                let r = other.range(i)
                f.appendFolded(r.lo, r.hi)
            }
            f.normalize()
            source = f
        }
        if negated { source.negate() }
        for i in 0..<source.rangeCount {
            let r = source.range(i)
            append(r.lo, r.hi)
        }
    }

    /// Sorts the ranges and merges overlapping or adjacent ones.
    mutating func normalize() {
        if bounds.count <= 2 { return }
        var pairs: [(UInt32, UInt32)] = []
        pairs.reserveCapacity(bounds.count / 2)
        for i in 0..<rangeCount { pairs.append(range(i)) }
        pairs.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 > $1.1) }
        var out: [UInt32] = [pairs[0].0, pairs[0].1]
        for (lo, hi) in pairs.dropFirst() {
            if lo <= out[out.count - 1] &+ 1 {
                if hi > out[out.count - 1] { out[out.count - 1] = hi }
            } else {
                out.append(lo)
                out.append(hi)
            }
        }
        bounds = out
    }

    /// Replaces a normalised class by its complement in `0...0x10FFFF`.
    mutating func negate() {
        var out: [UInt32] = []
        var nextLo: UInt32 = 0
        for i in 0..<rangeCount {
            let r = range(i)
            if r.lo > nextLo { out.append(nextLo); out.append(r.lo - 1) }
            nextLo = r.hi &+ 1
        }
        if nextLo <= Self.maxScalar && !(rangeCount > 0 && range(rangeCount - 1).hi == Self.maxScalar) {
            out.append(nextLo)
            out.append(Self.maxScalar)
        }
        bounds = out
    }

    /// Whether `scalar` is in a normalised class.
    func contains(_ scalar: UInt32) -> Bool {
        var low = 0, high = rangeCount
        while low < high {
            let mid = (low + high) / 2
            if scalar > bounds[2 * mid + 1] {
                low = mid + 1
            } else if scalar < bounds[2 * mid] {
                high = mid
            } else {
                return true
            }
        }
        return false
    }
}
