// Series lines of the DSL: `metric{label="value"} 1+2x3 _ stale`, the PromQL series notation
// (`ParseSeriesDesc` in Prometheus's parser), used by `load` blocks and expected results.

package import MetricModel

/// A parsed series line: its label set and its expanded values.
package struct SeriesDescription: Sendable, Equatable {
    package var labels: Labels
    package var values: [SequenceValue]

    package init(labels: Labels, values: [SequenceValue]) {
        self.labels = labels
        self.values = values
    }

    /// Parses `labels values…`.
    ///
    /// ```swift
    /// let s = try SeriesDescription(parsing: #"up{job="a"} 1+2x2 _ stale"#)
    /// // labels {__name__="up", job="a"}, values 1 3 5 _ stale
    /// ```
    ///
    /// - Throws: `DSLLineError` naming what is wrong (the caller adds file and line).
    init(parsing line: some StringProtocol) throws(DSLLineError) {
        var scanner = ByteScanner(Array(line.utf8))
        labels = try scanner.seriesLabels()
        guard scanner.atEnd || scanner.peekIsSpace else {
            throw DSLLineError("unexpected \(scanner.restText.prefix(20)) after the labels of a series")
        }
        values = try SeriesDescription.values(scanner.restText)
    }

    /// Largest `xN` accepted, so a typo cannot allocate gigabytes.
    static let maxRepeat: UInt64 = 1_000_000

    /// Expands a value sequence; items are separated by spaces or tabs (none inside `{{…}}`).
    static func values(_ text: Substring) throws(DSLLineError) -> [SequenceValue] {
        var out: [SequenceValue] = []
        for item in try items(text) { try expand(item, into: &out) }
        return out
    }

    /// Splits on runs of spaces and tabs, keeping `{{ … }}` (which contains spaces) in one item.
    static func items(_ text: Substring) throws(DSLLineError) -> [Substring] {
        var items: [Substring] = []
        var start: Substring.Index?
        var depth = 0
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "{" && text[i...].hasPrefix("{{") {
                depth += 1
                if start == nil { start = i }
                i = text.index(i, offsetBy: 2)
                continue
            }
            if c == "}" && depth > 0 && text[i...].hasPrefix("}}") {
                depth -= 1
                i = text.index(i, offsetBy: 2)
                continue
            }
            if (c == " " || c == "\t") && depth == 0 {
                if let s = start { items.append(text[s..<i]) }
                start = nil
            } else if start == nil {
                start = i
            }
            i = text.index(after: i)
        }
        if depth != 0 { throw DSLLineError("unclosed histogram {{ in series values") }
        if let s = start { items.append(text[s...]) }
        return items
    }

    /// One item: `_`, `_xN`, `v`, `vxN`, `v+dxN`, `v-dxN`, `{{h}}`, `{{h}}xN`, `{{h}}+{{d}}xN`.
    static func expand(_ item: Substring, into out: inout [SequenceValue]) throws(DSLLineError) {
        if item == "_" {
            out.append(.omitted)
            return
        }
        if item.hasPrefix("_x") {
            let n = try repeatCount(item.dropFirst(2), item)
            out.append(contentsOf: repeatElement(.omitted, count: Int(n)))
            return
        }
        if item.hasPrefix("{{") {
            let (first, rest) = try histogram(item)
            if rest.isEmpty {
                out.append(.histogram(first))
            } else if rest.first == "x" {
                let n = try repeatCount(rest.dropFirst(), item)
                out.append(contentsOf: repeatElement(.histogram(first), count: Int(n) + 1))
            } else if rest.first == "+" || rest.first == "-" {
                // Prometheus's histogramsSeries: repeated Add (or Sub), every point flagged as
                // the increment's hint was.
                let subtract = rest.first == "-"
                let (delta, tail) = try histogram(rest.dropFirst())
                guard tail.first == "x" else { throw DSLLineError("expected xN after histogram increment in \"\(item)\"") }
                let n = try repeatCount(tail.dropFirst(), item)
                let hintSet = delta.counterResetHintSet
                var current = first.histogram
                out.append(.histogram(HistogramDescription(text: String(item), histogram: current, counterResetHintSet: hintSet)))
                for _ in 0..<n {
                    if current.schema > delta.histogram.schema {
                        throw DSLLineError(
                            "error combining histograms: cannot merge from schema \(delta.histogram.schema) to \(current.schema)")
                    }
                    do {
                        var next = current
                        _ = subtract ? try next.subtract(delta.histogram) : try next.add(delta.histogram)
                        current = next
                    } catch {
                        throw DSLLineError("error combining histograms: \(error)")
                    }
                    out.append(.histogram(HistogramDescription(text: String(item), histogram: current, counterResetHintSet: hintSet)))
                }
            } else {
                throw DSLLineError("unexpected \"\(rest)\" after histogram in \"\(item)\"")
            }
            return
        }
        var scanner = ByteScanner(Array(item.utf8))
        let base = try scanner.seriesValue(signed: true)
        if scanner.atEnd {
            out.append(.float(base))
            return
        }
        if scanner.peek == UInt8(ascii: "x") {
            scanner.advance()
            let n = try repeatCount(scanner.restText, item)
            out.append(contentsOf: repeatElement(.float(base), count: Int(n) + 1))
            return
        }
        guard scanner.peek == UInt8(ascii: "+") || scanner.peek == UInt8(ascii: "-") else {
            throw DSLLineError("unexpected \"\(scanner.restText)\" in series value \"\(item)\"")
        }
        let negative = scanner.peek == UInt8(ascii: "-")
        scanner.advance()
        var delta = try scanner.seriesValue(signed: false)
        if negative { delta = -delta }
        guard scanner.peek == UInt8(ascii: "x") else {
            throw DSLLineError("expected xN after the increment in series value \"\(item)\"")
        }
        scanner.advance()
        let n = try repeatCount(scanner.restText, item)
        // Repeated addition, as Prometheus does, so rounding drifts the same way.
        var v = base
        for _ in 0...n {
            out.append(.float(v))
            v += delta
        }
    }

    /// The `N` of `xN`: decimal digits.
    static func repeatCount(_ digits: Substring, _ item: Substring) throws(DSLLineError) -> UInt64 {
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = UInt64(digits) else {
            throw DSLLineError("invalid repetition count in \"\(item)\"")
        }
        guard n <= maxRepeat else { throw DSLLineError("repetition count \(n) too large in \"\(item)\"") }
        return n
    }

    /// A leading `{{…}}` and what follows it.
    static func histogram(_ text: Substring) throws(DSLLineError) -> (HistogramDescription, Substring) {
        guard text.hasPrefix("{{"), let close = text.firstRange(of: "}}") else {
            throw DSLLineError("invalid histogram in \"\(text)\"")
        }
        let inner = text[text.index(text.startIndex, offsetBy: 2)..<close.lowerBound]
        let whole = String(text[..<close.upperBound])
        return (try HistogramDescription.parse(inner, text: whole), text[close.upperBound...])
    }
}

/// A cursor over the bytes of one line.
struct ByteScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[index] }
    var peekIsSpace: Bool { peek == UInt8(ascii: " ") || peek == UInt8(ascii: "\t") }
    var restText: Substring { Substring(String(decoding: bytes[min(index, bytes.count)...], as: UTF8.self)) }

    mutating func advance() { index += 1 }

    mutating func skipSpaces() {
        while peekIsSpace { index += 1 }
    }

    static func isLetter(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || c == UInt8(ascii: "_")
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*` when `colons`, else `[a-zA-Z_][a-zA-Z0-9_]*`.
    mutating func identifier(colons: Bool) -> String? {
        let start = index
        while let c = peek, Self.isLetter(c) || (colons && c == UInt8(ascii: ":")) || (index > start && Self.isDigit(c)) {
            index += 1
        }
        return index > start ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
    }

    /// A quoted string (`"…"`, `'…'`, `` `…` ``) with Go escapes, unquoted.
    mutating func quotedString() throws(DSLLineError) -> String {
        let start = index
        guard let quote = peek, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") || quote == UInt8(ascii: "`") else {
            throw DSLLineError("expected a quoted string at \"\(restText.prefix(20))\"")
        }
        index += 1
        while let c = peek, c != quote {
            if c == UInt8(ascii: "\\") && quote != UInt8(ascii: "`") { index += 1 }
            index += 1
        }
        guard !atEnd else { throw DSLLineError("unterminated quoted string") }
        index += 1
        guard let value = unquotePromQLString(bytes[start..<index]) else {
            throw DSLLineError("invalid quoted string \(String(decoding: bytes[start..<index], as: UTF8.self))")
        }
        return value
    }

    /// `name`, `name{…}` or `{…}`; a quoted string alone inside the braces is the metric name.
    mutating func seriesLabels() throws(DSLLineError) -> Labels {
        var builder = LabelsBuilder()
        var hasName = false
        if let name = identifier(colons: true) {
            builder.set(Labels.metricNameLabel, name)
            hasName = true
        }
        guard peek == UInt8(ascii: "{") else {
            if hasName { return builder.labels() }
            throw DSLLineError("expected a metric name or '{' at \"\(restText.prefix(20))\"")
        }
        index += 1
        while true {
            skipSpaces()
            if peek == UInt8(ascii: "}") { break }
            let name: String
            if let c = peek, c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "`") {
                let quoted = try quotedString()
                skipSpaces()
                if peek != UInt8(ascii: "=") {
                    if hasName { throw DSLLineError("metric name must not be set twice") }
                    builder.set(Labels.metricNameLabel, quoted)
                    hasName = true
                    try endOfItem()
                    if peek == UInt8(ascii: "}") { break }
                    continue
                }
                name = quoted
            } else if let ident = identifier(colons: false) {
                name = ident
            } else {
                throw DSLLineError("unexpected \"\(restText.prefix(20))\" inside braces")
            }
            skipSpaces()
            guard peek == UInt8(ascii: "=") else { throw DSLLineError("expected '=' after label name \"\(name)\"") }
            index += 1
            if peek == UInt8(ascii: "~") { throw DSLLineError("a series line takes label values, not matchers") }
            skipSpaces()
            builder.set(name, try quotedString())
            try endOfItem()
            if peek == UInt8(ascii: "}") { break }
        }
        index += 1
        return builder.labels()
    }

    /// After a label: spaces, then `,` (consumed) or `}` (left for the caller).
    mutating func endOfItem() throws(DSLLineError) {
        skipSpaces()
        if peek == UInt8(ascii: ",") {
            index += 1
        } else if peek != UInt8(ascii: "}") {
            throw DSLLineError(atEnd ? "unclosed '{' in series labels" : "expected ',' or '}' at \"\(restText.prefix(20))\"")
        }
    }

    /// `stale`, `Inf`/`NaN` in any case, or a decimal number; with `signed`, a leading `+`/`-`.
    mutating func seriesValue(signed: Bool) throws(DSLLineError) -> Double {
        var sign: Double = 1
        var hasSign = false
        if signed, let c = peek, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
            sign = c == UInt8(ascii: "-") ? -1 : 1
            hasSign = true
            index += 1
        }
        let start = index
        if let c = peek, Self.isLetter(c) {
            // Identifiers run over letters and digits, as Prometheus's lexer reads them: `Infx3` is one word.
            while let c = peek, Self.isLetter(c) || Self.isDigit(c) { index += 1 }
            let word = String(decoding: bytes[start..<index], as: UTF8.self)
            if word == "stale" && !hasSign { return StaleNaN.value }
            switch word.lowercased() {
            case "inf": return sign * .infinity
            case "nan": return .nan
            default: throw DSLLineError("unexpected \"\(word)\" in series values, expected number or \"stale\"")
            }
        }
        // Prometheus's scanNumber: [.]digits, then digits . _ e E, a sign only after an exponent.
        while let c = peek {
            if Self.isDigit(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") {
                index += 1
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                index += 1
                if let s = peek, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { index += 1 }
            } else {
                break
            }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard !text.isEmpty, let value = parseGoNumber(text) else {
            throw DSLLineError("invalid number \"\(text.isEmpty ? String(restText.prefix(20)) : text)\" in series values")
        }
        if let c = peek, Self.isLetter(c), c != UInt8(ascii: "x") {
            throw DSLLineError("unexpected \"\(restText.prefix(20))\" after number \(text)")
        }
        return sign * value
    }
}

/// Why a value in the series notation could not be read.
package struct SeriesNotationError: Error, Sendable, CustomStringConvertible {
    package let description: String
}

extension SeriesDescription {
    /// One native histogram in the series notation, as promtool reads an `exp_samples` entry's
    /// `histogram` (`ParseSeriesDesc("{} " + text)`, then exactly one histogram value).
    package static func histogram(parsing text: String) throws(SeriesNotationError) -> FloatHistogram {
        let values: [SequenceValue]
        do {
            values = try Self.values(Substring(text))
        } catch {
            throw SeriesNotationError(description: error.message)
        }
        guard values.count == 1 else { throw SeriesNotationError(description: "expected 1 value, got \(values.count)") }
        switch values[0] {
        case .histogram(let h): return h.histogram
        // Go's `SequenceValue.String()`: `%f` for a float.
        case .float(let v): throw SeriesNotationError(description: "expected histogram, got \(goFormatFixed(v, precision: 6))")
        case .omitted: throw SeriesNotationError(description: "expected histogram, got _")
        }
    }
}
