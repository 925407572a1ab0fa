// OpenMetricsParser: a pull parser for OpenMetrics 1.0 text, following Prometheus's
// model/textparse/openmetricsparse.go — the 3.x grammar by default, or exactly the 2.42 one
// (what `promtool tsdb create-blocks-from openmetrics` 2.42 accepts). Spec: spec/compat-apis.md §5.2.

package import MetricModel

/// Parses OpenMetrics text in place.
///
/// Strict where Prometheus is strict: the input must end with `# EOF` (optionally followed by
/// one `\n`) and nothing else; single spaces only; the only `#` lines are `# TYPE`, `# HELP`,
/// `# UNIT` and `# EOF`; a UNIT must be a `_unit` suffix of its metric name. Sample and
/// exemplar timestamps are float seconds, converted to milliseconds as Prometheus does
/// (`int64(seconds * 1000)`, truncating). Like Prometheus it does not check family suffixes
/// (`_total`, `_bucket`, …) or that families are contiguous.
///
/// ```swift
/// let text = "# TYPE foo counter\nfoo_total 17 1520879607.789 # {id=\"x\"} 5\n# EOF\n"
/// var parser = OpenMetricsParser(Array(text.utf8))
/// while let entry = try parser.next() {
///     guard case .series = entry else { continue }
///     print(try parser.labels(), parser.value, parser.timestamp!)  // … 17.0 1520879607789
///     print(try parser.exemplar()!.labels)                         // {id="x"}
/// }
/// ```
/// Complexity: O(n) in the input; a sample allocates nothing until its labels are built.
package struct OpenMetricsParser: ExpositionParser {
    /// Which Prometheus release's grammar and error wording to follow.
    package enum Dialect: Sendable, Hashable {
        /// Prometheus 3: quoted UTF-8 names, trailing label commas, exemplars on any sample,
        /// `le`/`quantile` values normalised to float form (`le="1"` → `le="1.0"`).
        case prometheus3
        /// Prometheus 2.42 (promtool's backfill): legacy names only, no trailing commas,
        /// exemplars only after `_total`/`_bucket` samples, label values kept as written.
        case prometheus2_42
    }

    var lexer: TextLexer
    let dialect: Dialect
    var line = SeriesLine()
    var type: MetricType = .unknown
    var assembler = LabelAssembler()
    var finished = false

    var hasExemplar = false
    var exemplarOffsets: [Int] = []
    var exemplarValue: Double = 0
    var exemplarTimestamp: Timestamp? = nil

    /// A parser over `bytes`. The array is shared, not copied.
    package init(_ bytes: [UInt8], dialect: Dialect = .prometheus3) {
        self.dialect = dialect
        lexer = TextLexer(bytes, virtualNewline: false, quotedNames: dialect == .prometheus3)
    }

    var legacy: Bool { dialect == .prometheus2_42 }

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
            normalizeFor: legacy ? nil : type, errorOffset: line.lineStart, to: &buffer)
    }

    /// The current sample's exemplar: labels sorted and unescaped, value, and timestamp in
    /// milliseconds. Nil when the sample has none.
    package mutating func exemplar() throws(ExpositionError) -> Exemplar? {
        guard hasExemplar else { return nil }
        var bytes: [UInt8] = []
        try assembler.append(
            lexer.bytes, metricName: nil, offsets: exemplarOffsets, normalizeFor: nil,
            errorOffset: line.lineStart, to: &bytes)
        return Exemplar(labels: Labels(encoded: bytes), value: exemplarValue, timestamp: exemplarTimestamp)
    }

    package mutating func next() throws(ExpositionError) -> ExpositionEntry? {
        if finished { return nil }
        line.reset(at: lexer.i)
        hasExemplar = false
        exemplarOffsets.removeAll(keepingCapacity: true)
        exemplarTimestamp = nil
        let t = lexer.lexOpenMetrics()
        switch t {
        case .eofWord:
            guard lexer.lexOpenMetrics() == .eof else {
                throw lexer.error(.dataAfterEOF, "unexpected data after # EOF", at: lexer.start)
            }
            finished = true
            return nil
        case .eof:
            throw lexer.error(.missingEOF, "data does not end with # EOF", at: lexer.i)
        case .help, .type, .unit:
            return try metadata(t)
        case .braceOpen:
            try parseLabels(exemplar: false)
            line.seriesEnd = lexer.i
            try parseSeriesEndOfLine(lexer.lexOpenMetrics())
            return .series
        case .metricName:
            line.nameStart = lexer.start
            line.nameEnd = lexer.i
            line.seriesEnd = lexer.i
            var t2 = lexer.lexOpenMetrics()
            if t2 == .braceOpen {
                try parseLabels(exemplar: false)
                line.seriesEnd = lexer.i
                t2 = lexer.lexOpenMetrics()
            }
            try parseSeriesEndOfLine(t2)
            return .series
        default:
            if legacy {
                let current = lexer.i < lexer.end ? [lexer.byte(at: lexer.i)] : [0]
                throw lexer.error(
                    .syntax, "\"\(t.goName)\" \(GoQuote.quote(current)) is not a valid start token", at: lexer.i)
            }
            throw lexer.parseError("expected a valid start token", t, lineStart: line.lineStart)
        }
    }

    /// `# HELP`, `# TYPE` or `# UNIT` after its keyword token.
    private mutating func metadata(_ t: Token) throws(ExpositionError) -> ExpositionEntry {
        let t2 = lexer.lexOpenMetrics()
        guard t2 == .metricName else { throw syntaxError("expected metric name after \(t.goName)", t2) }
        var name = lexer.token
        let quotedName = lexer.bytes[name.lowerBound] == ASCII.quote
        if quotedName { name = name.lowerBound + 1..<name.upperBound - 1 }
        guard lexer.lexOpenMetrics() == .text else {
            throw lexer.error(.syntax, "expected text in \(t.goName)", at: lexer.start)
        }
        let token = lexer.token
        let text = token.count > 1 ? token.lowerBound + 1..<token.upperBound - 1 : token.upperBound..<token.upperBound
        let b = lexer.bytes
        let nameString = quotedName ? Escapes.string(b, name) : String(decoding: b[name], as: UTF8.self)
        switch t {
        case .type:
            guard let type = MetricType(openMetricsName: b[text]) else {
                throw lexer.error(.invalidMetricType, "invalid metric type \(lexer.quoted(text))", at: text.lowerBound)
            }
            self.type = type
            return .type(name: nameString, type: type)
        case .help:
            guard GoQuote.isValidUTF8(b, text) else {
                let message =
                    legacy
                    ? "help text is not a valid utf8 string"
                    : "help text \(lexer.quoted(text)) is not a valid utf8 string"
                throw lexer.error(.invalidUTF8, message, at: text.lowerBound)
            }
            return .help(name: nameString, text: Escapes.string(b, text))
        default:
            let unit = b[text]
            if !unit.isEmpty {
                let metric = b[name]
                let isSuffix =
                    metric.count >= unit.count + 1 && metric.suffix(unit.count).elementsEqual(unit)
                    && b[name.upperBound - unit.count - 1] == UInt8(ascii: "_")
                guard isSuffix else {
                    let message =
                        legacy
                        ? "unit not a suffix of metric \(lexer.quoted(name))"
                        : "unit \(lexer.quoted(text)) not a suffix of metric \(lexer.quoted(name))"
                    throw lexer.error(.invalidUnit, message, at: text.lowerBound)
                }
            }
            return .unit(name: nameString, unit: String(decoding: unit, as: UTF8.self))
        }
    }

    /// Prometheus's `parseError`, in the dialect's wording.
    func syntaxError(_ expected: String, _ got: Token) -> ExpositionError {
        legacy ? lexer.legacyParseError(expected, got) : lexer.parseError(expected, got, lineStart: line.lineStart)
    }
}
