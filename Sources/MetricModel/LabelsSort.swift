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

    package init(_ labels: [Labels]) {
        self.init(capacity: labels.count)
        for l in labels { append(l) }
    }

    /// No label sets yet, room for `capacity` of them.
    package init(capacity: Int) {
        starts.reserveCapacity(capacity + 1)
        starts.append(0)
    }

    /// Adds the next label set.
    package mutating func append(_ labels: Labels) {
        bytes.append(contentsOf: labels.bytes)
        starts.append(bytes.count)
    }

    package var count: Int { starts.count - 1 }

    /// Three-way comparison of label sets `i` and `j` in Prometheus's order (``Labels/compare(_:_:)``).
    ///
    /// The encodings are compared word by word up to their first differing byte; only the
    /// name or value holding that byte decides (everything before it is equal in both).
    package func compare(_ i: Int, _ j: Int) -> Int {
        let a0 = starts[i]
        let aCount = starts[i + 1] - a0
        let b0 = starts[j]
        let bCount = starts[j + 1] - b0
        let n = Swift.min(aCount, bCount)
        let d = bytes.withUnsafeBytes { raw -> Int in
            var d = 0
            while d + 8 <= n {
                // Safety: a0 + d + 8 <= a0 + aCount and likewise for b, both within `bytes`.
                let x = raw.loadUnaligned(fromByteOffset: a0 + d, as: UInt64.self)
                let y = raw.loadUnaligned(fromByteOffset: b0 + d, as: UInt64.self)
                if x != y { return d + (x ^ y).littleEndian.trailingZeroBitCount / 8 }
                d += 8
            }
            while d < n && raw[a0 + d] == raw[b0 + d] { d += 1 }
            return d
        }
        if d == n {
            // One encoding is a prefix of the other: it has fewer labels and sorts first.
            return aCount == bCount ? 0 : (aCount < bCount ? -1 : 1)
        }
        // Find the name or value (`uvarint(len) bytes`) that holds byte d.
        var pos = 0
        while true {
            let (length, contentStart) = readLength(a0 + pos)
            let end = contentStart - a0 + length
            if d < end {
                if d >= contentStart - a0 {
                    // Same length prefix, contents differ at d.
                    return bytes[a0 + d] < bytes[b0 + d] ? -1 : 1
                }
                // The lengths differ: compare the two strings byte by byte, then by length.
                let (lb, sb) = readLength(b0 + pos)
                let m = Swift.min(length, lb)
                var k = 0
                while k < m {
                    let x = bytes[contentStart + k]
                    let y = bytes[sb + k]
                    if x != y { return x < y ? -1 : 1 }
                    k += 1
                }
                return length < lb ? -1 : 1
            }
            pos = end
        }
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

extension Array where Element == SeriesData {
    /// Sorts series by their labels, in Prometheus's order (stable), moving each one once.
    ///
    /// Concrete rather than generic: generic code outside this module would copy and assign the
    /// elements through value witnesses (with reference counting).
    package mutating func sortByLabels() {
        if count < 2 { return }
        var keys = LabelsSortKeys(capacity: count)
        for i in indices { keys.append(self[i].labels) }
        guard let order = keys.sortedOrder() else { return }
        permute(&self, order)
    }
}

/// Rearranges `array` so that position j holds the element that was at `order[j]`, in place
/// along the cycles of `order`.
///
/// Swaps go through the buffer pointer, whose `swapAt` moves the elements' memory; `Array`'s
/// own copies each element out and back (a retain and a release per swap).
func permute<T>(_ array: inout [T], _ order: [Int]) {
    var order = order
    array.withUnsafeMutableBufferPointer { buffer in
        for start in buffer.indices where order[start] != start {
            var j = start
            while order[j] != start {
                let next = order[j]
                buffer.swapAt(j, next)
                order[j] = j
                j = next
            }
            order[j] = j
        }
    }
}
