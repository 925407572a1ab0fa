// Label-set operations the evaluator needs (Prometheus's labels.Builder Keep/Del/Set and
// MatchLabels), done on the flat encoding so that kept pairs are copied as bytes.

import MetricModel

extension Labels {
    /// The metadata labels dropped with the metric name (`schema.IsMetadataLabel`).
    static let metadataLabelNames: Set<String> = ["__name__", "__type__", "__unit__"]

    /// Only the labels whose name passes `keep`, in order.
    func filtered(_ keep: (String) -> Bool) -> Labels {
        filteredByName { keep(String(decoding: $0, as: UTF8.self)) }
    }

    /// `labels.Builder.Keep(names...)`.
    func keeping(_ names: [String]) -> Labels {
        if names.isEmpty { return .empty }
        return filteredByName { Self.contains(names, $0) }
    }

    /// `labels.Builder.Del(names...)`.
    func removing(_ names: [String]) -> Labels {
        if names.isEmpty { return self }
        return filteredByName { !Self.contains(names, $0) }
    }

    /// All but the metric name and `names` (`without`, `ignoring`).
    func removingNameAnd(_ names: [String]) -> Labels {
        filteredByName { !Self.isMetricName($0) && !Self.contains(names, $0) }
    }

    /// Without `__name__`, `__type__` and `__unit__` (`DropReserved(schema.IsMetadataLabel)`).
    func droppingMetadata() -> Labels {
        filteredByName { name in
            // `__name__`, `__type__`, `__unit__`: 8 bytes, `__` on both sides.
            guard name.count == 8, name[0] == 0x5F, name[1] == 0x5F, name[6] == 0x5F, name[7] == 0x5F else {
                return true
            }
            return !Self.metadataLabelNames.contains(String(decoding: name, as: UTF8.self))
        }
    }

    /// Whether both have the same `__name__`, `__type__` and `__unit__` (values, or absence),
    /// compared on the bytes.
    func hasSameMetadata(as other: Labels) -> Bool {
        let mine = metadataValueRanges()
        let theirs = other.metadataValueRanges()
        return Self.sameBytes(bytes, mine.name, other.bytes, theirs.name)
            && Self.sameBytes(bytes, mine.type, other.bytes, theirs.type)
            && Self.sameBytes(bytes, mine.unit, other.bytes, theirs.unit)
    }

    /// Where the values of `__name__`, `__type__` and `__unit__` are in ``bytes`` (nil: absent).
    private func metadataValueRanges() -> (name: Range<Int>?, type: Range<Int>?, unit: Range<Int>?) {
        var ranges: (name: Range<Int>?, type: Range<Int>?, unit: Range<Int>?) = (nil, nil, nil)
        let b = bytes
        forEachRange { name, value in
            // `__xxxx__`: 8 bytes, `__` on both sides.
            let i = name.lowerBound
            guard name.count == 8, b[i] == 0x5F, b[i + 1] == 0x5F, b[i + 6] == 0x5F, b[i + 7] == 0x5F else { return }
            switch (b[i + 2], b[i + 3], b[i + 4], b[i + 5]) {
            case (UInt8(ascii: "n"), UInt8(ascii: "a"), UInt8(ascii: "m"), UInt8(ascii: "e")): ranges.name = value
            case (UInt8(ascii: "t"), UInt8(ascii: "y"), UInt8(ascii: "p"), UInt8(ascii: "e")): ranges.type = value
            case (UInt8(ascii: "u"), UInt8(ascii: "n"), UInt8(ascii: "i"), UInt8(ascii: "t")): ranges.unit = value
            default: break
            }
        }
        return ranges
    }

    private static func sameBytes(_ a: [UInt8], _ ra: Range<Int>?, _ b: [UInt8], _ rb: Range<Int>?) -> Bool {
        switch (ra, rb) {
        case (nil, nil): return true
        case (let ra?, let rb?): return a[ra].elementsEqual(b[rb])
        default: return false
        }
    }

    /// `labels.MatchLabels(on, names...)`: with `on` only `names`, otherwise all but `names`
    /// and the metric name.
    func matching(on: Bool, _ names: [String]) -> Labels {
        if on { return keeping(names) }
        return removingNameAnd(names)
    }

    /// The labels whose name bytes pass `keep`, in order: one pass to size the result, one to copy
    /// the kept `uvarint(len) name uvarint(len) value` pairs as they are (no string per name, one
    /// allocation). `self` when every label is kept.
    @inline(__always)
    func filteredByName(_ keep: (UnsafeBufferPointer<UInt8>) -> Bool) -> Labels {
        bytes.withUnsafeBufferPointer { buf -> Labels in
            let n = buf.count
            // Bit i set: pair i is dropped (label sets of more than 64 labels take the slow path).
            var dropped: UInt64 = 0
            var keptBytes = 0
            var pairs = 0
            var i = 0
            while i < n {
                if pairs == 64 { return filteredSlow(keep) }
                let pairStart = i
                let (nameLength, a) = Self.length(buf, i)
                let nameEnd = a &+ nameLength
                let (valueLength, b) = Self.length(buf, nameEnd)
                i = b &+ valueLength
                if keep(UnsafeBufferPointer(rebasing: buf[a..<nameEnd])) {
                    keptBytes &+= i &- pairStart
                } else {
                    dropped |= 1 &<< UInt64(pairs)
                }
                pairs &+= 1
            }
            if dropped == 0 { return self }
            if keptBytes == 0 { return .empty }
            let out = [UInt8](unsafeUninitializedCapacity: keptBytes) { dst, count in
                var i = 0
                var pair = 0
                var o = 0
                while i < n {
                    let pairStart = i
                    let (nameLength, a) = Self.length(buf, i)
                    let (valueLength, b) = Self.length(buf, a &+ nameLength)
                    i = b &+ valueLength
                    if dropped & (1 &<< UInt64(pair)) == 0 {
                        let size = i &- pairStart
                        UnsafeMutableBufferPointer(rebasing: dst[o..<(o &+ size)])
                            .update(fromContentsOf: UnsafeBufferPointer(rebasing: buf[pairStart..<i]))
                        o &+= size
                    }
                    pair &+= 1
                }
                count = o
            }
            return Labels(encoded: out)
        }
    }

    /// `filteredByName` for label sets of more than 64 labels.
    private func filteredSlow(_ keep: (UnsafeBufferPointer<UInt8>) -> Bool) -> Labels {
        var out: [UInt8] = []
        var changed = false
        bytes.withUnsafeBufferPointer { buf in
            var i = 0
            while i < buf.count {
                let pairStart = i
                let (nameLength, a) = Self.length(buf, i)
                let (valueLength, b) = Self.length(buf, a &+ nameLength)
                i = b &+ valueLength
                if keep(UnsafeBufferPointer(rebasing: buf[a..<(a &+ nameLength)])) {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[pairStart..<i]))
                } else {
                    changed = true
                }
            }
        }
        return changed ? Labels(encoded: out) : self
    }

    /// A `uvarint` length at `start`: the length and where the content starts.
    @inline(__always)
    private static func length(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int) -> (Int, Int) {
        let first = buf[start]
        if first < 0x80 { return (Int(first), start &+ 1) }
        var result = Int(first & 0x7F)
        var shift = 7
        var i = start &+ 1
        while true {
            let b = buf[i]
            result |= Int(b & 0x7F) << shift
            i &+= 1
            if b < 0x80 { return (result, i) }
            shift &+= 7
        }
    }

    /// Whether `name` (UTF-8) is one of `names`.
    @inline(__always)
    static func contains(_ names: [String], _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        for candidate in names where candidate.utf8.count == name.count {
            var candidate = candidate
            if candidate.withUTF8({ $0.elementsEqual(name) }) { return true }
        }
        return false
    }

    /// Whether `name` is `__name__`.
    @inline(__always)
    static func isMetricName(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        name.count == 8 && name.elementsEqual("__name__".utf8)
    }

    /// Sets (or with an empty value removes) one label.
    func setting(_ name: String, _ value: String) -> Labels {
        var builder = LabelsBuilder(self)
        builder.set(name, value)
        return builder.labels()
    }

    /// The value of `name`, or the empty string.
    func value(_ name: String) -> String { self[name] ?? "" }
}
