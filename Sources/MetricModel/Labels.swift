// Labels: a sorted label set held as one flat byte buffer with a cached hash.

/// A set of labels sorted by name, stored as one contiguous byte buffer.
///
/// Layout of `bytes`: for every label in name order, `uvarint(len(name)) name uvarint(len(value)) value`.
/// The hash is computed once, when the set is built, so hashing a `Labels` for a map
/// lookup never walks the bytes again.
///
/// ```swift
/// let labels = Labels(["__name__": "up", "job": "node"])
/// labels["job"]  // "node"
/// ```
package struct Labels: Sendable {
    /// The encoded label pairs.
    package private(set) var bytes: [UInt8]
    /// A 64-bit hash of `bytes`.
    package private(set) var hash: UInt64

    /// The empty label set.
    package static let empty = Labels(encoded: [])

    /// Wraps already encoded, already sorted and validated bytes.
    package init(encoded bytes: [UInt8]) {
        self.bytes = bytes
        self.hash = LabelHash.hash(bytes)
    }

    /// Builds a label set from pairs in any order; a later duplicate name wins, empty values are dropped.
    package init(_ pairs: [(String, String)]) {
        var builder = LabelsBuilder()
        for (name, value) in pairs { builder.set(name, value) }
        self = builder.labels()
    }

    /// Builds a label set from a dictionary; empty values are dropped.
    package init(_ dictionary: [String: String]) {
        self.init(dictionary.map { ($0.key, $0.value) })
    }

    /// Number of labels.
    package var count: Int {
        var n = 0
        forEachRange { _, _ in n += 1 }
        return n
    }

    package var isEmpty: Bool { bytes.isEmpty }

    /// Calls `body` with the byte ranges of each name and value, in name order.
    @inlinable
    package func forEachRange(_ body: (Range<Int>, Range<Int>) throws -> Void) rethrows {
        var i = 0
        let n = bytes.count
        while i < n {
            let (nameLength, a) = Labels.readLength(bytes, i)
            let nameRange = a..<(a + nameLength)
            let (valueLength, b) = Labels.readLength(bytes, nameRange.upperBound)
            let valueRange = b..<(b + valueLength)
            try body(nameRange, valueRange)
            i = valueRange.upperBound
        }
    }

    /// Calls `body` with each name and value as strings, in name order.
    package func forEach(_ body: (String, String) throws -> Void) rethrows {
        try forEachRange { name, value in
            try body(string(name), string(value))
        }
    }

    /// The pairs as an array, in name order.
    package var pairs: [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        forEach { result.append(($0, $1)) }
        return result
    }

    /// The value of `name`, or nil when the label is absent.
    package subscript(name: String) -> String? {
        var result: String?
        var target = name
        target.withUTF8 { want in
            forEachRange { nameRange, valueRange in
                if result == nil, equal(nameRange, want) { result = string(valueRange) }
            }
        }
        return result
    }

    /// The metric name (`__name__`), or nil.
    package var metricName: String? { self[Labels.metricNameLabel] }

    /// The label set without `__name__`.
    package func droppingMetricName() -> Labels {
        var builder = LabelsBuilder(self)
        builder.remove(Labels.metricNameLabel)
        return builder.labels()
    }

    package static let metricNameLabel = "__name__"

    /// A uvarint length at `start` of an encoding (an array or raw bytes), and where what it
    /// measures begins.
    @inlinable
    static func readLength<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ start: Int) -> (Int, Int)
    where Bytes.Index == Int {
        var result = 0
        var shift = 0
        var i = start
        while true {
            let b = bytes[i]
            result |= Int(b & 0x7F) << shift
            i += 1
            if b < 0x80 { return (result, i) }
            shift += 7
        }
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    func equal(_ range: Range<Int>, _ other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard range.count == other.count else { return false }
        var j = 0
        for i in range {
            if bytes[i] != other[j] { return false }
            j += 1
        }
        return true
    }
}

extension Labels: Hashable {
    package static func == (lhs: Labels, rhs: Labels) -> Bool {
        lhs.hash == rhs.hash && lhs.bytes == rhs.bytes
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(hash)
    }
}

extension Labels: Comparable {
    /// Prometheus's order: label by label, name bytes then value bytes; a prefix sorts first.
    package static func < (lhs: Labels, rhs: Labels) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// Three-way comparison in Prometheus's label-set order.
    ///
    /// Walks both encodings label by label without allocating (series sorting calls this
    /// O(n log n) times).
    package static func compare(_ lhs: Labels, _ rhs: Labels) -> Int {
        let a = lhs.bytes
        let b = rhs.bytes
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            // Name, then value: each `uvarint(len) bytes`.
            for _ in 0..<2 {
                let (la, sa) = readLength(a, i)
                let (lb, sb) = readLength(b, j)
                let c = compareBytes(a, sa..<(sa + la), b, sb..<(sb + lb))
                if c != 0 { return c }
                i = sa + la
                j = sb + lb
            }
        }
        // The set that ran out first is a prefix of the other: it sorts first.
        return (i < a.count ? 1 : 0) - (j < b.count ? 1 : 0)
    }

    static func compareBytes(_ a: [UInt8], _ ra: Range<Int>, _ b: [UInt8], _ rb: Range<Int>) -> Int {
        let n = min(ra.count, rb.count)
        for k in 0..<n {
            let x = a[ra.lowerBound + k]
            let y = b[rb.lowerBound + k]
            if x != y { return x < y ? -1 : 1 }
        }
        return ra.count - rb.count
    }
}

extension Labels: CustomStringConvertible {
    /// `{a="1", b="2"}` as Prometheus prints label sets.
    package var description: String {
        var parts: [String] = []
        forEach { name, value in
            var escaped = ""
            for ch in value.unicodeScalars {
                switch ch {
                case "\\": escaped += "\\\\"
                case "\"": escaped += "\\\""
                case "\n": escaped += "\\n"
                default: escaped.unicodeScalars.append(ch)
                }
            }
            parts.append("\(name)=\"\(escaped)\"")
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }
}

/// The 64-bit hash used for label sets (a multiply-rotate mix over 8-byte words).
package enum LabelHash {
    @inlinable
    package static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { raw in hash(raw) }
    }

    @inlinable
    package static func hash(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        let p1: UInt64 = 0x9E37_79B1_85EB_CA87
        let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        var h: UInt64 = 0x27D4_EB2F_1656_67C5 &+ UInt64(raw.count) &* p1
        var i = 0
        let n = raw.count
        while i + 8 <= n {
            // Safety: i + 8 <= n, and loadUnaligned tolerates any alignment.
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h ^= (w &* p2).rotatedLeft(31) &* p1
            h = h.rotatedLeft(27) &* p1 &+ 0x85EB_CA77_C2B2_AE63
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(raw[i]) << shift
            shift += 8
            i += 1
        }
        h ^= (tail &* p2).rotatedLeft(31) &* p1
        h ^= h >> 33
        h = h &* p2
        h ^= h >> 29
        h = h &* 0x1656_67B1_9E37_79F9
        h ^= h >> 32
        return h
    }
}

extension UInt64 {
    @inlinable
    func rotatedLeft(_ k: UInt64) -> UInt64 { (self << k) | (self >> (64 - k)) }
}
