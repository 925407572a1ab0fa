// LabelsBuilder: builds a sorted `Labels` from names and values in any order.

/// Collects labels in any order and produces a sorted `Labels`.
///
/// ```swift
/// var builder = LabelsBuilder()
/// builder.set("job", "node")
/// builder.set("__name__", "up")
/// let labels = builder.labels()   // {__name__="up", job="node"}
/// ```
package struct LabelsBuilder: Sendable {
    private var pairs: [(name: String, value: String)] = []

    package init() {}

    /// Starts from an existing label set.
    package init(_ labels: Labels) {
        labels.forEach { pairs.append(($0, $1)) }
    }

    /// Sets `name` to `value`; an empty value removes the label, as in Prometheus.
    package mutating func set(_ name: String, _ value: String) {
        if let i = pairs.firstIndex(where: { $0.name == name }) {
            if value.isEmpty { pairs.remove(at: i) } else { pairs[i].value = value }
        } else if !value.isEmpty {
            pairs.append((name, value))
        }
    }

    /// Removes `name` if present.
    package mutating func remove(_ name: String) {
        pairs.removeAll { $0.name == name }
    }

    /// The sorted label set.
    package func labels() -> Labels {
        let sorted = pairs.sorted { a, b in a.name.utf8.lexicographicallyPrecedes(b.name.utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(sorted.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 })
        for (name, value) in sorted {
            LabelsEncoding.appendString(name.utf8, to: &bytes)
            LabelsEncoding.appendString(value.utf8, to: &bytes)
        }
        return Labels(encoded: bytes)
    }
}

/// Helpers that write the flat label encoding directly, for decoders that already hold bytes.
package enum LabelsEncoding {
    /// Appends `uvarint(count) bytes` to `buffer`.
    @inlinable
    package static func appendString<C: Collection>(_ s: C, to buffer: inout [UInt8]) where C.Element == UInt8 {
        var n = UInt(s.count)
        while n >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: n) | 0x80)
            n >>= 7
        }
        buffer.append(UInt8(n))
        buffer.append(contentsOf: s)
    }

    /// Appends `uvarint(count) bytes` from a raw buffer.
    @inlinable
    package static func appendRaw(_ s: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        var n = UInt(s.count)
        while n >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: n) | 0x80)
            n >>= 7
        }
        buffer.append(UInt8(n))
        buffer.append(contentsOf: s)
    }
}
