// PromTextParser: a pull parser for the Prometheus text format 0.0.4 (and the 1.0.0 text
// format's quoted UTF-8 names), following Prometheus 3's model/textparse/promparse.go.
// Spec: spec/compat-apis.md §5.1.

package import MetricModel

/// Parses Prometheus text exposition format in place.
///
/// Behaves like Prometheus's `PromParser`: blank lines and `#` comments are allowed, label
/// values escape `\\`, `\"`, `\n`, HELP escapes `\\` and `\n`, values are Go floats (no hex,
/// no `_`), timestamps are int64 milliseconds (digits only, as Prometheus's lexer requires),
/// and `{"my.metric", "label.name"="v"}` names a metric with UTF-8 quoted names. Errors carry
/// Prometheus's wording.
///
/// ```swift
/// var parser = PromTextParser(Array("# TYPE up gauge\nup{job=\"node\"} 1 1700000000000\n".utf8))
/// while let entry = try parser.next() {
///     if case .series = entry {
///         let labels = try parser.labels()  // {__name__="up", job="node"}
///         print(labels, parser.value, parser.timestamp!)
///     }
/// }
/// ```
/// Complexity: O(n) in the input; a sample allocates nothing until its labels are built.
package struct PromTextParser: ExpositionParser {
    var lexer: TextLexer
    var line = SeriesLine()
    var type: MetricType = .unknown
    var assembler = LabelAssembler()

    /// A parser over `bytes`. The array is shared, not copied.
    package init(_ bytes: [UInt8]) {
        lexer = TextLexer(bytes, virtualNewline: true, quotedNames: true)
    }

    // ExpositionParser conformance; the requirements are documented on the protocol.

    package var metricName: String { line.metricName(lexer.bytes) }
    package var series: ArraySlice<UInt8> { lexer.bytes[line.lineStart..<line.seriesEnd] }
    package var seriesRange: Range<Int> { line.lineStart..<line.seriesEnd }
    package var value: Double { line.value }
    package var timestamp: Timestamp? { line.timestamp }
    package var metricType: MetricType { type }

    package mutating func appendLabels(to buffer: inout [UInt8]) throws(ExpositionError) {
        try assembler.append(
            lexer.bytes, metricName: line.nameStart..<line.nameEnd, offsets: line.labelOffsets,
            normalizeFor: type, errorOffset: line.lineStart, to: &buffer)
    }

    /// Always nil: the Prometheus text format has no exemplars.
    package mutating func exemplar() throws(ExpositionError) -> Exemplar? { nil }

    package mutating func next() throws(ExpositionError) -> ExpositionEntry? {
        while true {
            line.reset(at: lexer.i)
            let t = nextToken()
            switch t {
            case .eof:
                return nil
            case .linebreak:
                continue  // blank line
            case .help, .type:
                return try metadata(t)
            case .comment:
                let text = lexer.token
                let t2 = nextToken()
                guard t2 == .linebreak else {
                    throw lexer.parseError("linebreak expected after comment", t2, lineStart: line.lineStart)
                }
                return .comment(String(decoding: lexer.bytes[text], as: UTF8.self))
            case .braceOpen:
                try parseLabels()
                line.seriesEnd = lexer.i
                try parseMetricSuffix(nextToken())
                return .series
            case .metricName:
                line.nameStart = lexer.start
                line.nameEnd = lexer.i
                line.seriesEnd = lexer.i
                var t2 = nextToken()
                if t2 == .braceOpen {
                    if !scanPlainLabels() { try parseLabels() }
                    line.seriesEnd = lexer.i
                    t2 = nextToken()
                }
                try parseMetricSuffix(t2)
                return .series
            default:
                throw lexer.parseError("expected a valid start token", t, lineStart: line.lineStart)
            }
        }
    }

    /// The next token that is not whitespace.
    @inline(__always)
    private mutating func nextToken() -> Token {
        while true {
            let t = lexer.lexProm()
            if t != .whitespace { return t }
        }
    }

    /// `# HELP name text` / `# TYPE name type`, after the HELP/TYPE token.
    private mutating func metadata(_ t: Token) throws(ExpositionError) -> ExpositionEntry {
        let t2 = nextToken()
        guard t2 == .metricName else {
            throw lexer.parseError("expected metric name after \(t.goName)", t2, lineStart: line.lineStart)
        }
        var name = lexer.token
        let quotedName = lexer.bytes[name.lowerBound] == ASCII.quote
        if quotedName { name = name.lowerBound + 1..<name.upperBound - 1 }
        let t3 = nextToken()
        guard t3 == .text else {
            throw lexer.error(.syntax, "expected text in \(t.goName), got \(t3.goName)", at: lexer.start)
        }
        let token = lexer.token
        let text = token.count > 1 ? token.lowerBound + 1..<token.upperBound : token.upperBound..<token.upperBound
        let b = lexer.bytes
        if t == .type {
            guard let type = MetricType(promTextName: b[text]) else {
                throw lexer.error(.invalidMetricType, "invalid metric type \(lexer.quoted(text))", at: text.lowerBound)
            }
            self.type = type
        } else if !GoQuote.isValidUTF8(b, text) {
            throw lexer.error(
                .invalidUTF8, "help text \(lexer.quoted(text)) is not a valid utf8 string", at: text.lowerBound)
        }
        let t4 = nextToken()
        guard t4 == .linebreak else {
            throw lexer.parseError("linebreak expected after metadata", t4, lineStart: line.lineStart)
        }
        let nameString = quotedName ? Escapes.string(b, name) : String(decoding: b[name], as: UTF8.self)
        if t == .type { return .type(name: nameString, type: type) }
        return .help(name: nameString, text: Escapes.string(b, text, quotes: false))
    }

    /// The usual label set, `name="value",...}` with plain names, printable ASCII values without
    /// escapes and no spaces, read in one tight pass after the brace: the same offsets and cursor
    /// as ``parseLabels()``. False, with nothing changed, for anything else (which
    /// ``parseLabels()`` then reads, errors included).
    @inline(__always)
    private mutating func scanPlainLabels() -> Bool {
        let b = lexer.bytes
        let count = lexer.count
        let offsetsBefore = line.labelOffsets.count
        var k = lexer.i
        @inline(__always) func isNameStart(_ c: UInt8) -> Bool {
            ((c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z")) || c == UInt8(ascii: "_")
        }
        @inline(__always) func isNameByte(_ c: UInt8) -> Bool {
            isNameStart(c) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
        }
        let plain: Bool = b.withUnsafeBufferPointer { p in
            guard k < count else { return false }
            if p[k] == ASCII.braceClose {
                k += 1
                return true
            }
            while true {
                let nameStart = k
                guard k < count, isNameStart(p[k]) else { return false }
                k += 1
                while k < count && isNameByte(p[k]) { k += 1 }
                let nameEnd = k
                guard k + 1 < count, p[k] == ASCII.equal, p[k + 1] == ASCII.quote else { return false }
                k += 2
                let valueStart = k
                while k < count {
                    let c = p[k]
                    if c == ASCII.quote { break }
                    // Escapes, newlines, NUL, control and non-ASCII bytes: the full lexer.
                    if c < 0x20 || c >= 0x7F || c == ASCII.backslash { return false }
                    k += 1
                }
                guard k < count else { return false }
                line.labelOffsets.append(nameStart)
                line.labelOffsets.append(nameEnd)
                line.labelOffsets.append(valueStart)
                line.labelOffsets.append(k)
                k += 1
                guard k < count else { return false }
                if p[k] == ASCII.braceClose {
                    k += 1
                    return true
                }
                guard p[k] == ASCII.comma else { return false }
                k += 1
                if k < count && p[k] == ASCII.braceClose {
                    k += 1
                    return true
                }
            }
        }
        guard plain else {
            line.labelOffsets.removeSubrange(offsetsBefore...)
            return false
        }
        lexer.i = k
        lexer.start = k - 1
        lexer.state = .value
        return true
    }

    /// The inside of `{...}` after the brace (Go's `parseLVals`).
    private mutating func parseLabels() throws(ExpositionError) {
        var t = nextToken()
        while true {
            let tokenStart = lexer.start
            let tokenEnd = lexer.i
            switch t {
            case .braceClose:
                return
            case .labelName, .quotedString:
                break
            default:
                throw lexer.parseError("expected label name", t, lineStart: line.lineStart)
            }
            let isQuoted = t == .quotedString
            t = nextToken()
            if isQuoted {
                try lexer.checkQuotedName(tokenStart..<tokenEnd)
                if t == .comma || t == .braceClose {
                    // A quoted string alone is the metric name.
                    guard !line.hasName else {
                        throw lexer.error(
                            .syntax, "metric name already set while parsing: \(lexer.quoted(line.lineStart..<lexer.i))",
                            at: tokenStart)
                    }
                    line.nameStart = tokenStart + 1
                    line.nameEnd = tokenEnd - 1
                    if t == .braceClose { return }
                    t = nextToken()
                    continue
                }
                line.labelOffsets.append(tokenStart + 1)
                line.labelOffsets.append(tokenEnd - 1)
            } else {
                line.labelOffsets.append(tokenStart)
                line.labelOffsets.append(tokenEnd)
            }
            guard t == .equal else { throw lexer.parseError("expected equal", t, lineStart: line.lineStart) }
            let t2 = nextToken()
            guard t2 == .labelValue else {
                throw lexer.parseError("expected label value", t2, lineStart: line.lineStart)
            }
            let value = lexer.token
            guard GoQuote.isValidUTF8(lexer.bytes, value) else {
                throw lexer.error(.invalidUTF8, "invalid UTF-8 label value: \(lexer.quoted(value))", at: value.lowerBound)
            }
            line.labelOffsets.append(value.lowerBound + 1)
            line.labelOffsets.append(value.upperBound - 1)
            // Trailing commas are allowed, and so (unlike OpenMetrics) is no comma at all.
            t = nextToken()
            if t == .comma { t = nextToken() }
        }
    }

    /// Value and optional timestamp after the name and labels (Go's `parseMetricSuffix`).
    private mutating func parseMetricSuffix(_ t: Token) throws(ExpositionError) {
        guard line.hasName else {
            throw lexer.error(
                .syntax, "metric name not set while parsing: \(lexer.quoted(line.lineStart..<lexer.i))",
                at: line.lineStart)
        }
        guard t == .value else {
            throw lexer.parseError("expected value after metric", t, lineStart: line.lineStart)
        }
        let token = lexer.token
        do {
            let v = try GoNumber.prometheusFloat(lexer.bytes, token)
            line.value = v.isNaN ? SeriesLine.normalNaN : v
        } catch {
            throw lexer.numberError(error, in: token, lineStart: line.lineStart)
        }
        let t2 = nextToken()
        switch t2 {
        case .linebreak:
            return
        case .timestamp:
            let ts = lexer.token
            do {
                line.timestamp = try GoNumber.parseInt64(lexer.bytes, ts)
            } catch {
                throw lexer.numberError(error, in: ts, lineStart: line.lineStart, integer: true)
            }
            let t3 = nextToken()
            guard t3 == .linebreak else {
                throw lexer.parseError("expected next entry after timestamp", t3, lineStart: line.lineStart)
            }
        default:
            throw lexer.parseError("expected timestamp or new record", t2, lineStart: line.lineStart)
        }
    }
}
