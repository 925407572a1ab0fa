// The label set while relabeling steps run: Prometheus's `labels.Builder` (a base set, labels
// set since, names deleted since). Mirroring it keeps the one order that shows — `labelmap`
// sees base labels first, then the set ones in the order they were first set — and lets an
// untouched label set come out as the very same `Labels`, with no copy.

import MetricModel

/// Prometheus's `labels.Builder` over our flat `Labels` encoding.
///
/// Names are compared as bytes, as Go compares strings (`hasSameBytes(as:)`).
struct RelabelBuilder {
    /// Where a label's value is.
    enum Value {
        case base(Range<Int>)
        case added(Int)
        case absent
    }

    /// A label as `forEachLabel` presents it.
    enum Label {
        case base(name: Range<Int>, value: Range<Int>)
        case added(name: String, value: String)
    }

    let base: Labels
    /// Labels set since `base`, in the order first set: unique names, non-empty values.
    private(set) var added: [(name: String, value: String)] = []
    /// Names deleted since `base` (a later `set` of the same name wins over this).
    private(set) var deleted: [String] = []
    /// The joined source values of the current step, reused from step to step.
    var joined: [UInt8] = []

    init(_ base: Labels) {
        self.base = base
    }

    /// Go's `Builder.Get`: set labels first, then deletions, then the base set.
    func value(of name: String) -> Value {
        if let i = added.firstIndex(where: { $0.name.hasSameBytes(as: name) }) { return .added(i) }
        if deleted.contains(where: { $0.hasSameBytes(as: name) }) { return .absent }
        var found = Value.absent
        base.forEachRange { nameRange, valueRange in
            if Self.same(base.bytes[nameRange], name) { found = .base(valueRange) }
        }
        return found
    }

    /// Appends the bytes of `value` to `buffer`.
    func append(_ value: Value, to buffer: inout [UInt8]) {
        switch value {
        case .base(let range): buffer.append(contentsOf: base.bytes[range])
        case .added(let i): buffer.append(contentsOf: added[i].value.utf8)
        case .absent: break
        }
    }

    /// Whether `value` holds the same bytes as `bytes`.
    func value(_ value: Value, equals bytes: [UInt8]) -> Bool {
        switch value {
        case .base(let range): base.bytes[range].elementsEqual(bytes)
        case .added(let i): added[i].value.utf8.elementsEqual(bytes)
        case .absent: bytes.isEmpty
        }
    }

    /// Go's `strings.Join` of the source labels' values (absent ones as "") into `joined`.
    mutating func joinSources(_ config: RelabelConfig) {
        // Moved out (not copied) so that `append` may read `self` while the buffer grows.
        var buffer = joined
        joined = []
        buffer.removeAll(keepingCapacity: true)
        for (i, name) in config.sourceLabels.enumerated() {
            if i > 0 { buffer.append(contentsOf: config.separator.utf8) }
            append(value(of: name), to: &buffer)
        }
        joined = buffer
    }

    /// Go's `Builder.Set`: an empty value deletes the label.
    mutating func set(_ name: String, _ value: String) {
        if value.isEmpty { return delete(name) }
        if let i = added.firstIndex(where: { $0.name.hasSameBytes(as: name) }) {
            added[i].value = value
        } else {
            added.append((name, value))
        }
    }

    /// Go's `Builder.Del`.
    mutating func delete(_ name: String) {
        added.removeAll { $0.name.hasSameBytes(as: name) }
        if !deleted.contains(where: { $0.hasSameBytes(as: name) }) { deleted.append(name) }
    }

    /// The name of `label` as a `String`.
    func name(_ label: Label) -> String {
        switch label {
        case .base(let name, _): String(decoding: base.bytes[name], as: UTF8.self)
        case .added(let name, _): name
        }
    }

    /// The value of `label` as a `String`.
    func value(_ label: Label) -> String {
        switch label {
        case .base(_, let value): String(decoding: base.bytes[value], as: UTF8.self)
        case .added(_, let value): value
        }
    }

    /// Go's `Builder.Range`: the labels as they are now — base labels neither deleted nor set
    /// again, then the set ones in order — fixed before `body` runs, so `body` may change the
    /// builder it was handed.
    static func forEachLabel(of builder: RelabelBuilder, _ body: (Label) -> Void) {
        builder.base.forEachRange { name, value in
            if !builder.isOverridden(builder.base.bytes[name]) { body(.base(name: name, value: value)) }
        }
        for (name, value) in builder.added { body(.added(name: name, value: value)) }
    }

    /// Go's `Builder.Labels`: the base set when nothing changed, else the merged, sorted set.
    func labels() -> Labels {
        if added.isEmpty && deleted.isEmpty { return base }
        let sortedAdded = added.count < 2 ? added : added.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(base.bytes.count + added.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 })
        var next = 0
        var segmentStart = 0
        base.forEachRange { name, value in
            // A kept base label is copied as encoded: `uvarint name uvarint value`.
            let segment = segmentStart..<value.upperBound
            segmentStart = value.upperBound
            let nameBytes = base.bytes[name]
            if isOverridden(nameBytes) { return }
            while next < sortedAdded.count, sortedAdded[next].name.utf8.lexicographicallyPrecedes(nameBytes) {
                LabelsEncoding.appendString(sortedAdded[next].name.utf8, to: &bytes)
                LabelsEncoding.appendString(sortedAdded[next].value.utf8, to: &bytes)
                next += 1
            }
            bytes.append(contentsOf: base.bytes[segment])
        }
        for (name, value) in sortedAdded[next...] {
            LabelsEncoding.appendString(name.utf8, to: &bytes)
            LabelsEncoding.appendString(value.utf8, to: &bytes)
        }
        return Labels(encoded: bytes)
    }

    /// Whether the base label named `name` is deleted or set again.
    private func isOverridden(_ name: ArraySlice<UInt8>) -> Bool {
        deleted.contains { Self.same(name, $0) } || added.contains { Self.same(name, $0.name) }
    }

    private static func same(_ a: ArraySlice<UInt8>, _ b: String) -> Bool {
        a.count == b.utf8.count && a.elementsEqual(b.utf8)
    }
}
