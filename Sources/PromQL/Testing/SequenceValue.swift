// The values of a series line (`1+2x3 _ stale {{schema:0 sum:1}}`), as the DSL expands them.

package import MetricModel

/// One point of an expanded value sequence (Prometheus's `parser.SequenceValue`).
package enum SequenceValue: Sendable, Equatable, CustomStringConvertible {
    /// `_`: no sample at this step.
    case omitted
    /// A float; `stale` is ``StaleNaN/value``.
    case float(Double)
    /// A native histogram `{{…}}`.
    case histogram(HistogramDescription)

    /// Floats compare by bit pattern, so NaN equals NaN and the stale marker only itself.
    package static func == (lhs: SequenceValue, rhs: SequenceValue) -> Bool {
        switch (lhs, rhs) {
        case (.omitted, .omitted): true
        case (.float(let a), .float(let b)): a.bitPattern == b.bitPattern
        case (.histogram(let a), .histogram(let b)): a == b
        default: false
        }
    }

    /// `_`, `stale`, the float as the HTTP API writes it, or the histogram text.
    package var description: String {
        switch self {
        case .omitted: "_"
        case .float(let v): StaleNaN.isStale(v) ? "stale" : formatValue(v)
        case .histogram(let h): h.text
        }
    }

    /// True for `.histogram`.
    package var isHistogram: Bool {
        if case .histogram = self { return true }
        return false
    }
}

/// A `{{…}}` histogram value: the float histogram it describes (Prometheus's
/// `buildHistogramFromMap`) and whether it wrote its counter-reset hint.
package struct HistogramDescription: Sendable, Equatable {
    /// The item as written, e.g. `{{schema:0 sum:5 count:4 buckets:[1 2 1]}}`, or
    /// `{{…}}+{{…}}` for the points of an increasing series.
    package var text: String
    /// The histogram described.
    package var histogram: FloatHistogram
    /// Whether `counter_reset_hint:` was written (it is then compared, else ignored).
    package var counterResetHintSet: Bool

    package init(text: String, histogram: FloatHistogram, counterResetHintSet: Bool) {
        self.text = text
        self.histogram = histogram
        self.counterResetHintSet = counterResetHintSet
    }

    /// Same histogram (Prometheus's `Equals`, hint included) and the same hint flag.
    package static func == (a: HistogramDescription, b: HistogramDescription) -> Bool {
        a.histogram == b.histogram && a.histogram.counterResetHint == b.histogram.counterResetHint
            && a.counterResetHintSet == b.counterResetHintSet
    }

    /// The keys of a histogram description (`spec/promqltest-dsl.md` §4.3); case-insensitive.
    static let integerKeys: Set<String> = ["schema", "offset", "n_offset"]
    static let numberKeys: Set<String> = ["sum", "count", "z_bucket", "z_bucket_w"]
    static let listKeys: Set<String> = ["buckets", "n_buckets", "custom_values"]
    static let hints: [String: CounterResetHint] = [
        "unknown": .unknown, "reset": .counterReset, "not_reset": .notCounterReset, "gauge": .gauge,
    ]

    /// Parses the inside of `{{` `}}`: `key:value` pairs separated by spaces, lists in `[ ]`.
    static func parse(_ inner: Substring, text: String) throws(DSLLineError) -> HistogramDescription {
        var seen: Set<String> = []
        var h = FloatHistogram()
        var hintSet = false
        var offsets: [String: Int32] = [:]
        var lists: [String: [Double]] = [:]
        var rest = inner[...]
        while true {
            rest = rest.drop(while: { $0 == " " || $0 == "\t" })
            if rest.isEmpty { break }
            guard let colon = rest.firstIndex(of: ":") else {
                throw DSLLineError("invalid histogram description \(text): missing ':' in \(String(rest.prefix(while: { $0 != " " })))")
            }
            let key = rest[..<colon].lowercased()
            rest = rest[rest.index(after: colon)...]
            guard seen.insert(key).inserted else { throw DSLLineError("duplicate key \"\(key)\" in histogram description \(text)") }
            if listKeys.contains(key) {
                guard rest.first == "[", let close = rest.firstIndex(of: "]") else {
                    throw DSLLineError("histogram key \"\(key)\" needs a [list] in \(text)")
                }
                var values: [Double] = []
                for item in rest[rest.index(after: rest.startIndex)..<close].split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                    guard let v = parseGoNumber(item) else { throw DSLLineError("invalid number \"\(item)\" in histogram key \"\(key)\"") }
                    values.append(v)
                }
                lists[key] = values
                rest = rest[rest.index(after: close)...]
                continue
            }
            let end = rest.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? rest.endIndex
            let value = rest[..<end]
            rest = rest[end...]
            if key == "counter_reset_hint" {
                guard let hint = hints[String(value)] else { throw DSLLineError("invalid counter_reset_hint \"\(value)\"") }
                h.counterResetHint = hint
                hintSet = true
            } else if integerKeys.contains(key) {
                guard case .success(let n) = goParseInt(value), let n32 = Int32(exactly: n) else {
                    throw DSLLineError("invalid integer \"\(value)\" for histogram key \"\(key)\"")
                }
                if key == "schema" { h.schema = n32 } else { offsets[key] = n32 }
            } else if numberKeys.contains(key) {
                guard let v = parseGoNumber(value) else { throw DSLLineError("invalid number \"\(value)\" for histogram key \"\(key)\"") }
                switch key {
                case "sum": h.sum = v
                case "count": h.count = v
                case "z_bucket": h.zeroCount = v
                default: h.zeroThreshold = v
                }
            } else {
                throw DSLLineError("unknown histogram key \"\(key)\" in \(text)")
            }
        }
        // Each bucket list is one span starting at its offset.
        if let buckets = lists["buckets"], !buckets.isEmpty {
            h.positiveBuckets = buckets
            h.positiveSpans = [BucketSpan(offset: offsets["offset"] ?? 0, length: UInt32(buckets.count))]
        }
        if let buckets = lists["n_buckets"], !buckets.isEmpty {
            h.negativeBuckets = buckets
            h.negativeSpans = [BucketSpan(offset: offsets["n_offset"] ?? 0, length: UInt32(buckets.count))]
        }
        h.customValues = lists["custom_values"] ?? []
        return HistogramDescription(text: text, histogram: h, counterResetHintSet: hintSet)
    }
}

/// Go's `ParseInt(s, 0, 64)` then `ParseFloat(s, 64)`, as the harness's `parseNumber` (and the
/// PromQL parser's number literals) read numbers. Nil when neither accepts `s`.
func parseGoNumber(_ s: some StringProtocol) -> Double? {
    if case .success(let n) = goParseInt(s) { return Double(n) }
    if case .success(let f) = goParseFloat(s) { return f }
    return nil
}
