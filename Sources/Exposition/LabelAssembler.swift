// LabelAssembler: turns the label offsets a parser recorded for one line into the flat, sorted
// `Labels` encoding — escapes resolved, `__name__` added, empty values dropped, duplicate names
// rejected as Prometheus's head appender does, `le`/`quantile` normalised as Prometheus 3 does.
// Its buffers are reused line after line, so steady-state assembly allocates nothing.

/// Reusable scratch space for building label sets from parser offsets.
struct LabelAssembler {
    /// Label names, unescaped, back to back: slow path only (a quoted name with a backslash).
    private var names: [UInt8] = []
    /// Per label: where its name is (in the input, or in `names` on the slow path), its raw value.
    private var nameRanges: [Range<Int>] = []
    private var valueRanges: [Range<Int>] = []
    private var order: [Int] = []
    private var scratch: [UInt8] = []
    /// Recent `le`/`quantile` values and their normalised form (bucket bounds repeat per series).
    private var normalized: [(raw: [UInt8], value: [UInt8])] = []

    private static let metricNameLabel: [UInt8] = Array("__name__".utf8)
    /// Index standing for `__name__` in `order`.
    private static let nameIndex = -1

    /// Appends the sorted encoding of one line's labels to `out`.
    ///
    /// - Parameters:
    ///   - b: the input bytes.
    ///   - metricName: the metric name's bytes (escaped as in the input), or nil (exemplars).
    ///   - offsets: name start, name end, value start, value end for each label.
    ///   - normalizeFor: the family type whose `le`/`quantile` values are rewritten, or nil.
    ///   - errorOffset: where to report a duplicate label name.
    mutating func append(
        _ b: [UInt8], metricName: Range<Int>?, offsets: [Int], normalizeFor type: MetricType?,
        errorOffset: Int, to out: inout [UInt8]
    ) throws(ExpositionError) {
        // Fast path: names are compared where they are in the input. A quoted label name with a
        // backslash (rare) is unescaped into `names` first (slow path).
        nameRanges.removeAll(keepingCapacity: true)
        valueRanges.removeAll(keepingCapacity: true)
        var escapedNames = false
        var k = 0
        while k + 3 < offsets.count {
            let name = offsets[k]..<offsets[k + 1]
            for j in name where b[j] == ASCII.backslash { escapedNames = true }
            nameRanges.append(name)
            valueRanges.append(offsets[k + 2]..<offsets[k + 3])
            k += 4
        }
        let source: [UInt8]
        if escapedNames {
            names.removeAll(keepingCapacity: true)
            for i in nameRanges.indices {
                let start = names.count
                Escapes.unescapeLabelValue(b, nameRanges[i], to: &names)
                nameRanges[i] = start..<names.count
            }
            source = names
        } else {
            source = b
        }

        var sorted: [Int] = []
        swap(&sorted, &order)
        defer { swap(&sorted, &order) }
        sorted.removeAll(keepingCapacity: true)
        if metricName != nil { sorted.append(Self.nameIndex) }
        for i in nameRanges.indices { sorted.append(i) }
        sortIndices(&sorted, source)

        var previous: Int? = nil
        for index in sorted {
            let value = index == Self.nameIndex ? metricName! : valueRanges[index]
            if value.isEmpty { continue }
            if let previous, compare(previous, index, source) == 0 {
                let name = index == Self.nameIndex ? Self.metricNameLabel[...] : source[nameRanges[index]]
                throw ExpositionError(
                    .invalidLabels, "label name \"\(String(decoding: name, as: UTF8.self))\" is not unique: invalid sample",
                    at: errorOffset, in: b)
            }
            previous = index
            if index == Self.nameIndex {
                Self.appendString(Self.metricNameLabel, 0..<Self.metricNameLabel.count, to: &out)
                Escapes.appendUnescapedString(b, value, to: &out)
                continue
            }
            let name = nameRanges[index]
            Self.appendString(source, name, to: &out)
            if let type, Self.needsNormalizing(source, name, type) {
                appendNormalized(b, value, to: &out)
            } else {
                Escapes.appendUnescapedString(b, value, to: &out)
            }
        }
    }

    /// Insertion sort by name bytes (label sets are small); the standard sort for large ones.
    private func sortIndices(_ indices: inout [Int], _ source: [UInt8]) {
        if indices.count > 24 {
            indices.sort { compare($0, $1, source) < 0 }
            return
        }
        var i = 1
        while i < indices.count {
            let x = indices[i]
            var j = i - 1
            while j >= 0 && compare(indices[j], x, source) > 0 {
                indices[j + 1] = indices[j]
                j -= 1
            }
            indices[j + 1] = x
            i += 1
        }
    }

    /// Three-way byte comparison of two labels' names.
    @inline(__always)
    private func compare(_ x: Int, _ y: Int, _ source: [UInt8]) -> Int {
        if x == Self.nameIndex || y == Self.nameIndex {
            let meta = Self.metricNameLabel
            let whole = 0..<meta.count
            if x == y { return 0 }
            return x == Self.nameIndex
                ? Self.compareBytes(meta, whole, source, nameRanges[y])
                : Self.compareBytes(source, nameRanges[x], meta, whole)
        }
        return Self.compareBytes(source, nameRanges[x], source, nameRanges[y])
    }

    @inline(__always)
    private static func compareBytes(_ a: [UInt8], _ ra: Range<Int>, _ b: [UInt8], _ rb: Range<Int>) -> Int {
        let n = min(ra.count, rb.count)
        var k = 0
        while k < n {
            let x = a[ra.lowerBound + k]
            let y = b[rb.lowerBound + k]
            if x != y { return x < y ? -1 : 1 }
            k += 1
        }
        return ra.count - rb.count
    }

    /// Appends `uvarint(count) bytes` of `src[r]`.
    @inline(__always)
    static func appendString(_ src: [UInt8], _ r: Range<Int>, to out: inout [UInt8]) {
        Escapes.appendLength(r.count, to: &out)
        for k in r { out.append(src[k]) }
    }

    /// `le` of a histogram or `quantile` of a summary (Prometheus's `normalizeFloatsInLabelValues`).
    private static func needsNormalizing(_ source: [UInt8], _ name: Range<Int>, _ type: MetricType) -> Bool {
        switch type {
        case .histogram:
            return name.count == 2 && source[name.lowerBound] == UInt8(ascii: "l")
                && source[name.lowerBound + 1] == UInt8(ascii: "e")
        case .summary:
            guard name.count == 8 else { return false }
            var k = 0
            for c in "quantile".utf8 {
                if source[name.lowerBound + k] != c { return false }
                k += 1
            }
            return true
        default:
            return false
        }
    }

    /// Writes `FormatOpenMetricsFloat(ParseFloat(value))`, or the value unchanged when it is
    /// not a Go float. Slow path, behind a small cache of recent values.
    private mutating func appendNormalized(_ b: [UInt8], _ value: Range<Int>, to out: inout [UInt8]) {
        for entry in normalized where entry.raw.count == value.count && entry.raw[...].elementsEqual(b[value]) {
            Self.appendString(entry.value, 0..<entry.value.count, to: &out)
            return
        }
        scratch.removeAll(keepingCapacity: true)
        Escapes.unescapeLabelValue(b, value, to: &scratch)
        var result = scratch
        if let f = try? GoNumber.parseFloat(scratch, 0..<scratch.count) {
            result = Array(OpenMetricsFloat.format(f).utf8)
        }
        Self.appendString(result, 0..<result.count, to: &out)
        if normalized.count >= 32 { normalized.removeFirst() }
        normalized.append((Array(b[value]), result))
    }
}
