// The values of a series line (`1+2x3 _ stale {{schema:0 sum:1}}`), as the DSL expands them.

import MetricModel

/// One point of an expanded value sequence (Prometheus's `parser.SequenceValue`).
package enum SequenceValue: Sendable, Equatable, CustomStringConvertible {
    /// `_`: no sample at this step.
    case omitted
    /// A float; `stale` is ``StaleNaN/value``.
    case float(Double)
    /// A native histogram `{{…}}`. Recognised and validated, not evaluated: our engine has no
    /// histogram samples yet, so the runner only needs to know one is there.
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

/// The text of a `{{…}}` histogram value, checked against the DSL's keys.
package struct HistogramDescription: Sendable, Equatable {
    /// The item as written, e.g. `{{schema:0 sum:5 count:4 buckets:[1 2 1]}}`, or
    /// `{{…}}+{{…}}` for the points of an increasing series.
    package var text: String
    /// Whether `counter_reset_hint:` was written (it is then compared, else ignored).
    package var counterResetHintSet: Bool

    package init(text: String, counterResetHintSet: Bool) {
        self.text = text
        self.counterResetHintSet = counterResetHintSet
    }

    /// The keys of a histogram description (`spec/promqltest-dsl.md` §4.3); case-insensitive.
    static let numberKeys: Set<String> = ["schema", "sum", "count", "z_bucket", "z_bucket_w", "offset", "n_offset"]
    static let listKeys: Set<String> = ["buckets", "n_buckets", "custom_values"]
    static let hints: Set<String> = ["unknown", "reset", "not_reset", "gauge"]

    /// Parses the inside of `{{` `}}`: `key:value` pairs separated by spaces, lists in `[ ]`.
    static func parse(_ inner: Substring, text: String) throws(DSLLineError) -> HistogramDescription {
        var seen: Set<String> = []
        var hintSet = false
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
            let value: Substring
            if listKeys.contains(key) {
                guard rest.first == "[", let close = rest.firstIndex(of: "]") else {
                    throw DSLLineError("histogram key \"\(key)\" needs a [list] in \(text)")
                }
                value = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
                for item in value.split(whereSeparator: { $0 == " " || $0 == "\t" }) where parseGoNumber(item) == nil {
                    throw DSLLineError("invalid number \"\(item)\" in histogram key \"\(key)\"")
                }
            } else {
                let end = rest.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? rest.endIndex
                value = rest[..<end]
                rest = rest[end...]
                if key == "counter_reset_hint" {
                    guard hints.contains(String(value)) else { throw DSLLineError("invalid counter_reset_hint \"\(value)\"") }
                    hintSet = true
                } else if numberKeys.contains(key) {
                    guard parseGoNumber(value) != nil else { throw DSLLineError("invalid number \"\(value)\" for histogram key \"\(key)\"") }
                } else {
                    throw DSLLineError("unknown histogram key \"\(key)\" in \(text)")
                }
            }
        }
        return HistogramDescription(text: text, counterResetHintSet: hintSet)
    }
}

/// Go's `ParseInt(s, 0, 64)` then `ParseFloat(s, 64)`, as the harness's `parseNumber` (and the
/// PromQL parser's number literals) read numbers. Nil when neither accepts `s`.
func parseGoNumber(_ s: some StringProtocol) -> Double? {
    if case .success(let n) = goParseInt(s) { return Double(n) }
    if case .success(let f) = goParseFloat(s) { return f }
    return nil
}
