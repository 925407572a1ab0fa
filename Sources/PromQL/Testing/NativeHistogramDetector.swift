// Which evals need native histograms: the runner skips those (and counts them) because our
// engine and storage have float samples only. The rule is the one of the suite's inventory
// (`spec/promqltest-dsl.md` §11): an expected `{{…}}` value, or a selector of the query that
// matches a series holding native histograms.

import MetricModel

/// Finds the series selectors in a PromQL expression's text, without the PromQL parser.
///
/// Working on the text keeps the skip count the same whatever the parser supports at the time,
/// so the pass count of the suite only moves when the engine does. It over-approximates: every
/// `name`, `name{…}` and `{…}` that is not a function, keyword, string, number, duration or a
/// label list (`by (…)`, `on (…)`, …) counts, which at worst skips an eval that reads a
/// native-histogram series by an unusual name.
enum SelectorScanner {
    /// Words that take a label list in parentheses.
    static let labelListKeywords: Set<String> = ["by", "without", "on", "ignoring", "group_left", "group_right"]
    /// Words that are never selectors when they stand alone.
    static let keywords: Set<String> = [
        "and", "or", "unless", "bool", "offset", "atan2", "inf", "nan", "anchored", "smoothed",
    ]

    /// Selector texts such as `foo`, `foo{a="b"}`, `{__name__=~"x.*"}`.
    static func selectors(in expression: String) -> [String] {
        let b = Array(expression.utf8)
        var out: [String] = []
        var i = 0
        func isIdentStart(_ c: UInt8) -> Bool { ByteScanner.isLetter(c) || c == UInt8(ascii: ":") }
        func isIdent(_ c: UInt8) -> Bool { isIdentStart(c) || ByteScanner.isDigit(c) }
        func skipString(_ start: Int) -> Int {
            let quote = b[start]
            var j = start + 1
            while j < b.count, b[j] != quote {
                if b[j] == UInt8(ascii: "\\") && quote != UInt8(ascii: "`") { j += 1 }
                j += 1
            }
            return min(j + 1, b.count)
        }
        /// Index just past the bracket that closes the one at `start`, skipping strings.
        func skipGroup(_ start: Int, _ open: UInt8, _ close: UInt8) -> Int {
            var depth = 0
            var j = start
            while j < b.count {
                let c = b[j]
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "`") {
                    j = skipString(j)
                    continue
                }
                if c == open { depth += 1 }
                if c == close {
                    depth -= 1
                    if depth == 0 { return j + 1 }
                }
                j += 1
            }
            return b.count
        }
        func text(_ range: Range<Int>) -> String { String(decoding: b[range], as: UTF8.self) }

        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "`") {
                i = skipString(i)
            } else if c == UInt8(ascii: "[") {
                i = skipGroup(i, UInt8(ascii: "["), UInt8(ascii: "]"))
            } else if c == UInt8(ascii: "{") {
                let end = skipGroup(i, UInt8(ascii: "{"), UInt8(ascii: "}"))
                out.append(text(i..<end))
                i = end
            } else if ByteScanner.isDigit(c) || (c == UInt8(ascii: ".") && i + 1 < b.count && ByteScanner.isDigit(b[i + 1])) {
                while i < b.count, isIdent(b[i]) || b[i] == UInt8(ascii: ".") { i += 1 }
            } else if isIdentStart(c) {
                let start = i
                while i < b.count, isIdent(b[i]) { i += 1 }
                let word = text(start..<i)
                var j = i
                while j < b.count, b[j] == UInt8(ascii: " ") || b[j] == UInt8(ascii: "\t") { j += 1 }
                if j < b.count, b[j] == UInt8(ascii: "(") {
                    if labelListKeywords.contains(word.lowercased()) { i = skipGroup(j, UInt8(ascii: "("), UInt8(ascii: ")")) }
                } else if j < b.count, b[j] == UInt8(ascii: "{") {
                    let end = skipGroup(j, UInt8(ascii: "{"), UInt8(ascii: "}"))
                    out.append(word + text(j..<end))
                    i = end
                } else if !keywords.contains(word.lowercased()) {
                    out.append(word)
                }
            } else {
                i += 1
            }
        }
        return out
    }
}

extension MemoryStorage {
    /// Why `eval` needs native histograms, or nil when it does not.
    ///
    /// ```swift
    /// storage.nativeHistogramReason(for: eval)  // "reads native-histogram series {__name__=\"h\"}"
    /// ```
    package func nativeHistogramReason(for eval: EvalCommand) -> String? {
        if eval.expectsHistograms { return "expects a native-histogram value" }
        let histogramSeries = nativeHistogramSeries
        guard !histogramSeries.isEmpty else { return nil }
        for selector in SelectorScanner.selectors(in: eval.expression) {
            guard let matchers = try? parseMetricSelector(selector) else { continue }
            if let hit = histogramSeries.first(where: { MemoryStorage.matches($0, matchers) }) {
                return "reads native-histogram series \(hit)"
            }
        }
        return nil
    }
}
