// Sorting many label sets (series selection, query results) without moving the values being sorted.

/// The label sets of many values copied into one flat buffer, so that sorting compares bytes in
/// one array instead of moving structs that hold arrays (each move and each comparison of such
/// structs costs reference counting).
///
/// ```swift
/// let order = LabelsSortKeys(series.map(\.labels)).sortedOrder()
/// let sorted = order.map { series[$0] }   // nil order: already sorted
/// ```
package struct LabelsSortKeys {
    /// Every label set's encoding, back to back.
    private var bytes: [UInt8] = []
    /// `starts[i]..<starts[i + 1]`: the encoding of label set `i`.
    private var starts: [Int] = []

    package init<S: Sequence>(_ labels: S) where S.Element == Labels {
        starts.reserveCapacity(labels.underestimatedCount + 1)
        starts.append(0)
        for l in labels {
            bytes.append(contentsOf: l.bytes)
            starts.append(bytes.count)
        }
    }

    package var count: Int { starts.count - 1 }

    /// Three-way comparison of label sets `i` and `j` in Prometheus's order (``Labels/compare(_:_:)``).
    package func compare(_ i: Int, _ j: Int) -> Int {
        var a = starts[i]
        let aEnd = starts[i + 1]
        var b = starts[j]
        let bEnd = starts[j + 1]
        // Names and values alternate, each `uvarint(len) bytes`; compare them one by one.
        while a < aEnd && b < bEnd {
            let (la, sa) = readLength(a)
            let (lb, sb) = readLength(b)
            let n = Swift.min(la, lb)
            var k = 0
            while k < n {
                let x = bytes[sa &+ k]
                let y = bytes[sb &+ k]
                if x != y { return x < y ? -1 : 1 }
                k &+= 1
            }
            if la != lb { return la < lb ? -1 : 1 }
            a = sa &+ la
            b = sb &+ lb
        }
        // The set that ran out first is a prefix of the other: it sorts first.
        return (a < aEnd ? 1 : 0) - (b < bEnd ? 1 : 0)
    }

    @inline(__always)
    private func readLength(_ start: Int) -> (Int, Int) {
        let first = bytes[start]
        if first < 0x80 { return (Int(first), start &+ 1) }
        var result = Int(first & 0x7F)
        var shift = 7
        var i = start &+ 1
        while true {
            let b = bytes[i]
            result |= Int(b & 0x7F) << shift
            i &+= 1
            if b < 0x80 { return (result, i) }
            shift &+= 7
        }
    }

    /// Whether the label sets are already in order (each not after the next).
    package func isSorted() -> Bool {
        var i = 1
        while i < count {
            if compare(i &- 1, i) > 0 { return false }
            i &+= 1
        }
        return true
    }

    /// The positions of the label sets in sorted order (stable: equal sets keep their order), or
    /// nil when they are sorted already.
    package func sortedOrder() -> [Int]? {
        if isSorted() { return nil }
        var order = Array(0..<count)
        order.sort { a, b in
            let c = compare(a, b)
            return c != 0 ? c < 0 : a < b
        }
        return order
    }
}

extension Array {
    /// Sorts by the label sets `labels` returns, in Prometheus's order (stable), moving each
    /// element once.
    package mutating func sortByLabels(_ labels: (Element) -> Labels) {
        if count < 2 { return }
        guard let order = LabelsSortKeys(lazy.map(labels)).sortedOrder() else { return }
        self = order.map { self[$0] }
    }
}
