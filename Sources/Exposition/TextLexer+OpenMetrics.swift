// TextLexer+OpenMetrics: the OpenMetrics 1.0 lexer, the rules of Prometheus's
// model/textparse/openmetricslex.l written out by hand. Without `quotedNames` it is the
// Prometheus 2.42 grammar (no `{"name"}`, no quoted label names).

extension TextLexer {
    /// The next OpenMetrics token (Go's `openMetricsLexer.Lex`).
    mutating func lexOpenMetrics() -> Token {
        if i >= end { return .eof }
        var c = byte(at: i)
        start = i
        while true {
            switch state {
            case .initial:
                if c == ASCII.hash {
                    guard next() == ASCII.space else { return .invalid }
                    c = next()
                    state = .comment
                    continue  // `#{S}` re-dispatches in sComment, keeping the token start.
                }
                if ASCII.isMetricStart(c) {
                    repeat { c = next() } while ASCII.isMetricByte(c)
                    state = .value
                    return .metricName
                }
                if c == ASCII.braceOpen && quotedNames {
                    _ = next()
                    state = .labels
                    return .braceOpen
                }
                return .invalid
            case .comment:
                switch c {
                case UInt8(ascii: "E"):
                    guard keyword("OF") else { return .invalid }
                    if next() == ASCII.newline { _ = next() }
                    state = .initial
                    return .eofWord
                case UInt8(ascii: "H"):
                    guard keyword("ELP ") else { return .invalid }
                    _ = next()
                    state = .meta1
                    return .help
                case UInt8(ascii: "T"):
                    guard keyword("YPE ") else { return .invalid }
                    _ = next()
                    state = .meta1
                    return .type
                case UInt8(ascii: "U"):
                    guard keyword("NIT ") else { return .invalid }
                    _ = next()
                    state = .meta1
                    return .unit
                default:
                    return .invalid
                }
            case .meta1:
                if c == ASCII.quote && quotedNames {
                    guard quoted(newlines: true) else { return .invalid }
                    state = .meta2
                    return .metricName
                }
                guard ASCII.isMetricStart(c) else { return .invalid }
                repeat { c = next() } while ASCII.isMetricByte(c)
                state = .meta2
                return .metricName
            case .meta2:
                guard c == ASCII.space else { return .invalid }
                c = next()
                while c != ASCII.newline {
                    if c == 0 { return .invalid }
                    c = next()
                }
                _ = next()
                state = .initial
                return .text
            case .labels, .exemplar:
                let exemplar = state == .exemplar
                switch c {
                case ASCII.quote where quotedNames:
                    guard quoted(newlines: !exemplar) else { return .invalid }
                    return .quotedString
                case ASCII.comma:
                    _ = next()
                    return .comma
                case ASCII.equal:
                    _ = next()
                    state = exemplar ? .exemplarValue : .labelValue
                    return .equal
                case ASCII.braceClose:
                    _ = next()
                    state = exemplar ? .exemplarValue : .value
                    return .braceClose
                default:
                    guard ASCII.isLabelStart(c) else { return .invalid }
                    repeat { c = next() } while ASCII.isLabelByte(c)
                    return .labelName
                }
            case .labelValue:
                guard c == ASCII.quote, quoted(newlines: false) else { return .invalid }
                state = .labels
                return .labelValue
            case .value, .exemplarValue:
                if c == ASCII.space {
                    guard Self.isOpenMetricsValueByte(next()) else { return .invalid }
                    skipValueBytes()
                    state = state == .value ? .timestamp : .exemplarTimestamp
                    return .value
                }
                if c == ASCII.braceOpen && state == .value {
                    _ = next()
                    state = .labels
                    return .braceOpen
                }
                if c == ASCII.quote && state == .exemplarValue {
                    guard quoted(newlines: false) else { return .invalid }
                    state = .exemplar
                    return .labelValue
                }
                return .invalid
            case .timestamp, .exemplarTimestamp:
                if c == ASCII.newline {
                    _ = next()
                    state = .initial
                    return .linebreak
                }
                guard c == ASCII.space else { return .invalid }
                c = next()
                if c == ASCII.hash && state == .timestamp {
                    // `{S}#{S}\{` starts an exemplar; ` #x…` is still a timestamp token.
                    c = next()
                    if c == ASCII.space {
                        guard next() == ASCII.braceOpen else { return .invalid }
                        _ = next()
                        state = .exemplar
                        return .comment
                    }
                    if Self.isOpenMetricsValueByte(c) { skipValueBytes() }
                    return .timestamp
                }
                guard Self.isOpenMetricsValueByte(c) else { return .invalid }
                skipValueBytes()
                return .timestamp
            }
        }
    }

    /// `[^ \n]` minus NUL: the bytes of an OpenMetrics value or timestamp.
    @inline(__always)
    static func isOpenMetricsValueByte(_ c: UInt8) -> Bool {
        c != 0 && c != ASCII.space && c != ASCII.newline
    }

    /// Advances past value bytes; the byte under the cursor is already one.
    @inline(__always)
    private mutating func skipValueBytes() {
        var c: UInt8
        repeat { c = next() } while Self.isOpenMetricsValueByte(c)
    }
}
