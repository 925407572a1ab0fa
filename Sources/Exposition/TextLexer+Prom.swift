// TextLexer+Prom: the Prometheus text format 0.0.4 lexer, the rules of Prometheus's
// model/textparse/promlex.l (3.x, with quoted UTF-8 names), written out by hand.

extension TextLexer {
    /// The next token of Prometheus text format (Go's `promlexer.Lex`).
    mutating func lexProm() -> Token {
        if i >= end { return .eof }
        var c = byte(at: i)
        start = i
        while true {
            switch state {
            case .initial:
                if c == ASCII.hash {
                    c = next()
                    guard ASCII.isBlank(c) else { return consumeComment() }
                    repeat { c = next() } while ASCII.isBlank(c)
                    state = .comment
                    continue  // `#[ \t]+` re-dispatches in sComment, keeping the token start.
                }
                if ASCII.isMetricStart(c) {
                    repeat { c = next() } while ASCII.isMetricByte(c)
                    state = .value
                    return .metricName
                }
                if c == ASCII.newline {
                    _ = next()
                    state = .initial
                    return .linebreak
                }
                if ASCII.isBlank(c) { return blanks() }
                if c == 0 {
                    _ = next()
                    return .eof
                }
                if c == ASCII.braceOpen && quotedNames {
                    _ = next()
                    state = .labels
                    return .braceOpen
                }
                return promAbort()
            case .comment:
                switch c {
                case UInt8(ascii: "H"):
                    guard keyword("ELP"), metadataBlanks() else { return promAbort() }
                    state = .meta1
                    return .help
                case UInt8(ascii: "T"):
                    guard keyword("YPE"), metadataBlanks() else { return promAbort() }
                    state = .meta1
                    return .type
                case ASCII.space, ASCII.tab:
                    return blanks()
                default:
                    return promAbort()
                }
            case .meta1:
                if c == ASCII.quote && quotedNames {
                    guard quoted(newlines: true) else { return promAbort() }
                    state = .meta2
                    return .metricName
                }
                if ASCII.isMetricStart(c) {
                    repeat { c = next() } while ASCII.isMetricByte(c)
                    state = .meta2
                    return .metricName
                }
                if ASCII.isBlank(c) { return blanks() }
                return promAbort()
            case .meta2:
                // `[ \t]+` and `{C}*` compete; the longer match wins, whitespace on a tie.
                if ASCII.isBlank(c) {
                    repeat { c = next() } while ASCII.isBlank(c)
                    if c == 0 || c == ASCII.newline { return .whitespace }
                }
                while c != 0 && c != ASCII.newline { c = next() }
                state = .initial
                return .text
            case .labels:
                switch c {
                case ASCII.quote where quotedNames:
                    guard quoted(newlines: true) else { return promAbort() }
                    state = .labels
                    return .quotedString
                case ASCII.comma:
                    _ = next()
                    return .comma
                case ASCII.equal:
                    _ = next()
                    state = .labelValue
                    return .equal
                case ASCII.space, ASCII.tab:
                    return blanks()
                case ASCII.braceClose:
                    _ = next()
                    state = .value
                    return .braceClose
                default:
                    guard ASCII.isLabelStart(c) else { return promAbort() }
                    repeat { c = next() } while ASCII.isLabelByte(c)
                    return .labelName
                }
            case .labelValue:
                if c == ASCII.quote {
                    guard quoted(newlines: true) else { return promAbort() }
                    state = .labels
                    return .labelValue
                }
                if ASCII.isBlank(c) { return blanks() }
                return promAbort()
            case .value:
                if ASCII.isBlank(c) { return blanks() }
                if c == ASCII.braceOpen {
                    _ = next()
                    state = .labels
                    return .braceOpen
                }
                guard Self.isPromValueByte(c) else { return promAbort() }
                repeat { c = next() } while Self.isPromValueByte(c)
                state = .timestamp
                return .value
            case .timestamp:
                if c == ASCII.newline {
                    _ = next()
                    state = .initial
                    return .linebreak
                }
                if ASCII.isBlank(c) { return blanks() }
                guard ASCII.isDigit(c) else { return promAbort() }
                repeat { c = next() } while ASCII.isDigit(c)
                return .timestamp
            case .exemplar, .exemplarValue, .exemplarTimestamp:
                return promAbort()
            }
        }
    }

    /// `[^{ \t\n]` minus NUL: the bytes of a 0.0.4 sample value.
    @inline(__always)
    static func isPromValueByte(_ c: UInt8) -> Bool {
        c != 0 && c != ASCII.space && c != ASCII.tab && c != ASCII.newline && c != ASCII.braceOpen
    }

    /// `[ \t]+` starting at the blank under the cursor.
    @inline(__always)
    private mutating func blanks() -> Token {
        var c: UInt8
        repeat { c = next() } while ASCII.isBlank(c)
        return .whitespace
    }

    /// The `[\t ]+` after `HELP`/`TYPE`; false when there is none.
    private mutating func metadataBlanks() -> Bool {
        var c = next()
        guard ASCII.isBlank(c) else { return false }
        repeat { c = next() } while ASCII.isBlank(c)
        return true
    }

    /// No rule matched: a comment swallows the rest of its line, anything else is invalid.
    private mutating func promAbort() -> Token {
        state == .comment ? consumeComment() : .invalid
    }

    /// Consumes up to (not including) the newline: a comment, or EOF at a NUL byte.
    private mutating func consumeComment() -> Token {
        guard i < end else { return .eof }
        var c = byte(at: i)
        while true {
            if c == 0 { return .eof }
            if c == ASCII.newline {
                state = .initial
                return .comment
            }
            c = next()
        }
    }
}
