// The label set while relabeling steps run: Prometheus's `labels.Builder` (a base set, labels
// set since, names deleted since). Mirroring it keeps the one order that shows — `labelmap`
// sees base labels first, then the set ones in the order they were first set — and lets an
// untouched label set come out as the very same `Labels`, with no copy.

import MetricModel

/// Prometheus's `labels.Builder` over our flat `Labels` encoding.
///
/// Names are compared as bytes, as Go compares strings (Swift's `==` on `String` would treat
/// canonically equivalent spellings as equal).
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
        if let i = added.firstIndex(where: { Self.same($0.name, name) }) { return .added(i) }
        if deleted.contains(where: { Self.same($0, name) }) { return .absent }
        var found = Value.absent
        base.forEachRange { nameRange, valueRange in
            if base.bytes[nameRange].elementsEqual(name.utf8) { found = .base(valueRange) }
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
        if let i = added.firstIndex(where: { Self.same($0.name, name) }) {
            added[i].value = value
        } else {
            added.append((name, value))
        }
    }

    /// Go's `Builder.Del`.
    mutating func delete(_ name: String) {
        added.removeAll { Self.same($0.name, name) }
        if !deleted.contains(where: { Self.same($0, name) }) { deleted.append(name) }
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
        let (base, added, deleted) = (builder.base, builder.added, builder.deleted)
        base.forEachRange { name, value in
            let bytes = base.bytes[name]
            if deleted.contains(where: { bytes.elementsEqual($0.utf8) }) { return }
            if added.contains(where: { bytes.elementsEqual($0.name.utf8) }) { return }
            body(.base(name: name, value: value))
        }
        for (name, value) in added { body(.added(name: name, value: value)) }
    }

    /// Go's `Builder.Labels`: the base set when nothing changed, else the merged, sorted set.
    func labels() -> Labels {
        if added.isEmpty && deleted.isEmpty { return base }
        let sortedAdded = added.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(base.bytes.count + added.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 })
        var next = 0
        Self.forEachLabel(of: self) { label in
            guard case .base(let name, let value) = label else { return }
            let nameBytes = base.bytes[name]
            while next < sortedAdded.count, sortedAdded[next].name.utf8.lexicographicallyPrecedes(nameBytes) {
                LabelsEncoding.appendString(sortedAdded[next].name.utf8, to: &bytes)
                LabelsEncoding.appendString(sortedAdded[next].value.utf8, to: &bytes)
                next += 1
            }
            LabelsEncoding.appendString(nameBytes, to: &bytes)
            LabelsEncoding.appendString(base.bytes[value], to: &bytes)
        }
        for (name, value) in sortedAdded[next...] {
            LabelsEncoding.appendString(name.utf8, to: &bytes)
            LabelsEncoding.appendString(value.utf8, to: &bytes)
        }
        return Labels(encoded: bytes)
    }

    private static func same(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
    }
}
