// Simple case folding orbits (Go's `unicode.SimpleFold`), derived once from the standard
// library's case mappings: `k`, `K` and the Kelvin sign `K` form one orbit, `s`, `S`, `ſ` another.

/// Case-fold equivalence classes of Unicode scalars, for `(?i)`.
enum CaseFolding {
    private struct Table {
        /// Every scalar in a non-trivial orbit, ascending.
        var cased: [UInt32] = []
        /// For each entry of `cased`, the index of its orbit in `orbits`.
        var orbitIndex: [Int] = []
        var orbits: [[UInt32]] = []
    }

    /// Built on first use (a scan of the first two planes, a few milliseconds).
    private static let table: Table = build()

    /// The scalars equivalent to `scalar` under simple case folding, `scalar` included.
    static func orbit(of scalar: UInt32) -> [UInt32] {
        let t = table
        guard let i = index(of: scalar, in: t.cased) else { return [scalar] }
        return t.orbits[t.orbitIndex[i]]
    }

    /// Calls `body` for each scalar in `lo...hi` that has case-fold equivalents.
    static func forEachCased(in lo: UInt32, _ hi: UInt32, _ body: (UInt32) -> Void) {
        let cased = table.cased
        var low = 0, high = cased.count
        while low < high {
            let mid = (low + high) / 2
            if cased[mid] < lo { low = mid + 1 } else { high = mid }
        }
        var i = low
        while i < cased.count && cased[i] <= hi {
            body(cased[i])
            i += 1
        }
    }

    private static func index(of scalar: UInt32, in sorted: [UInt32]) -> Int? {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < scalar { low = mid + 1 } else if sorted[mid] > scalar { high = mid } else { return mid }
        }
        return nil
    }

    private static func build() -> Table {
        // The orbit key of c is lower(upper(c)) using single-scalar mappings only; this groups
        // ſ with s and the Kelvin sign with k. Dotless ı stays alone, as in Unicode's simple
        // folding (its uppercase I folds back to i, not to ı).
        func single(_ mapping: String, _ fallback: Unicode.Scalar) -> Unicode.Scalar {
            let scalars = mapping.unicodeScalars
            return scalars.count == 1 ? scalars.first! : fallback
        }
        var groups: [UInt32: [UInt32]] = [:]
        for v in UInt32(0x41)..<0x20000 {
            guard let s = Unicode.Scalar(v), s.properties.changesWhenCaseMapped else { continue }
            var key = s
            if v != 0x130 && v != 0x131 {
                let upper = single(s.properties.uppercaseMapping, s)
                key = single(upper.properties.lowercaseMapping, upper)
            }
            groups[key.value, default: []].append(v)
        }
        var members: [(UInt32, Int)] = []
        var orbits: [[UInt32]] = []
        for (key, var group) in groups {
            if !group.contains(key) { group.append(key) }
            guard group.count > 1 else { continue }
            group.sort()
            for m in group { members.append((m, orbits.count)) }
            orbits.append(group)
        }
        members.sort { $0.0 < $1.0 }
        var table = Table()
        table.cased = members.map(\.0)
        table.orbitIndex = members.map(\.1)
        table.orbits = orbits
        return table
    }
}
