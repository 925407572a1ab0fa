// The PromQL lexer: a byte-level port of Prometheus's state machine (`promql/parser/lex.go`,
// Prometheus 3.x) for expressions, with the same tokens, positions and error messages.
// Series descriptions (promtool / test-file syntax) are not lexed.

import MetricModel

/// Splits a PromQL query into tokens, exactly as Prometheus's lexer does.
///
/// The lexer is context sensitive like Prometheus's: inside `{…}` keywords are plain
/// identifiers, and right after `[` only duration-expression tokens are accepted.
/// Positions are byte offsets into the UTF-8 input. The first error ends the scan.
///
/// ```swift
/// var lexer = Lexer(#"rate(http_requests_total{job="api"}[5m])"#)
/// while true {
///     let token = try lexer.next()
///     if token.kind == .eof { break }
///     print(token.kind, lexer.text(of: token))
/// }
/// ```
///
/// Complexity: O(n) in the input length; no allocation per token.
package struct Lexer {
    enum State { case statements, durationExpr, done }

    /// The query text as UTF-8 bytes.
    let input: [UInt8]
    let query: String
    var state: State = .statements
    /// Current position.
    var pos = 0
    /// Start of the token being scanned.
    var start = 0
    /// Width of the last code point read by `nextScalar`, for `backup`.
    var width = 0
    var parenDepth = 0
    var braceOpen = false
    var bracketOpen = false
    var gotColon = false
    var gotDuration = false
    /// The quote character of the string being read.
    var stringOpen: UInt8 = 0

    /// Creates a lexer over `query`.
    package init(_ query: String) {
        self.query = query
        self.input = Array(query.utf8)
    }

    /// The source text of `token`, quotes and all for strings.
    package func text(of token: Token) -> String {
        String(decoding: input[token.position..<token.end], as: UTF8.self)
    }

    /// The next token; `.eof` at the end (and on every call after it).
    ///
    /// - Throws: `ParseError` with Prometheus's lexer message, positioned at the start of
    ///   the offending token.
    package mutating func next() throws(ParseError) -> Token {
        while true {
            switch state {
            case .done:
                return Token(.eof, position: pos, end: pos)
            case .durationExpr:
                if let token = try lexDurationExpr() { return token }
            case .statements:
                if braceOpen {
                    if let token = try lexInsideBraces() { return token }
                } else if let token = try lexStatements() {
                    return token
                }
            }
        }
    }

    // MARK: - Primitives (Go's next/peek/backup/emit/accept)

    /// Returned by `nextScalar` at the end of input, where it also sets `width` to 0
    /// (which is how callers tell it from a real U+0000).
    static let eof: Unicode.Scalar = "\u{0}"

    /// Reads one code point; `Lexer.eof` with `width == 0` at the end.
    mutating func nextScalar() -> Unicode.Scalar {
        guard pos < input.count else {
            width = 0
            return Lexer.eof
        }
        let b0 = input[pos]
        var value = UInt32(b0)
        var n = 1
        if b0 >= 0xF0 {
            n = 4
            value &= 0x07
        } else if b0 >= 0xE0 {
            n = 3
            value &= 0x0F
        } else if b0 >= 0xC0 {
            n = 2
            value &= 0x1F
        }
        if n > 1 {
            for i in 1..<n where pos + i < input.count {
                value = value << 6 | UInt32(input[pos + i] & 0x3F)
            }
        }
        width = n
        pos += n
        return Unicode.Scalar(value) ?? "\u{FFFD}"
    }

    mutating func peekScalar() -> Unicode.Scalar {
        let r = nextScalar()
        backup()
        return r
    }

    mutating func backup() { pos -= width }

    mutating func emit(_ kind: TokenKind) -> Token {
        let token = Token(kind, position: start, end: pos)
        start = pos
        return token
    }

    mutating func ignore() { start = pos }

    /// The next byte without consuming it; 0 at the end.
    func peekByte() -> UInt8 { pos < input.count ? input[pos] : 0 }

    /// Consumes the next byte if it is one of `valid` (all ASCII).
    mutating func accept(_ valid: StaticString) -> Bool {
        guard pos < input.count else { return false }
        let b = input[pos]
        let ok = valid.withUTF8Buffer { $0.contains(b) }
        if ok {
            pos += 1
            width = 1
        }
        return ok
    }

    /// Whether the next byte is one of `valid` (all ASCII).
    func isNext(_ valid: StaticString) -> Bool {
        guard pos < input.count else { return false }
        let b = input[pos]
        return valid.withUTF8Buffer { $0.contains(b) }
    }

    func error(_ message: String) -> ParseError {
        ParseError(.syntax, message, at: PositionRange(start: start, end: input.count), in: query)
    }

    // MARK: - Top-level state (Go's lexStatements)

    mutating func lexStatements() throws(ParseError) -> Token? {
        if peekByte() == UInt8(ascii: "#") { return lexLineComment() }
        let r = nextScalar()
        if width == 0 {
            if parenDepth != 0 { throw error("unclosed left parenthesis") }
            if bracketOpen { throw error("unclosed left bracket") }
            state = .done
            return emit(.eof)
        }
        switch r {
        case ",": return emit(.comma)
        case " ", "\t", "\n", "\r":
            skipSpaces()
            return nil
        case "*": return emit(.mul)
        case "/": return emit(.div)
        case "%": return emit(.mod)
        case "+": return emit(.add)
        case "-": return emit(.sub)
        case "^": return emit(.pow)
        case "@": return emit(.at)
        case "=":
            let t = peekScalar()
            if t == "=" {
                _ = nextScalar()
                return emit(.eqlc)
            }
            if t == "~" { throw error("unexpected character after '=': \(goQuoteRune(t))") }
            return emit(.eql)
        case "!":
            let t = nextScalar()
            if t != "=" || width == 0 {
                throw error("unexpected character after '!': \(goQuoteRune(width == 0 ? "\u{FFFD}" : t))")
            }
            return emit(.neq)
        case "<":
            if accept("=") { return emit(.lte) }
            if accept("/") { return emit(.trimUpper) }
            return emit(.lss)
        case ">":
            if accept("=") { return emit(.gte) }
            if accept("/") { return emit(.trimLower) }
            return emit(.gtr)
        case "\"", "'":
            stringOpen = UInt8(r.value)
            return try lexString()
        case "`":
            stringOpen = UInt8(r.value)
            return try lexRawString()
        case "(":
            parenDepth += 1
            return emit(.leftParen)
        case ")":
            let token = emit(.rightParen)
            parenDepth -= 1
            if parenDepth < 0 { throw error("unexpected right parenthesis \(goQuoteRune(r))") }
            return token
        case "{":
            braceOpen = true
            return emit(.leftBrace)
        case "[":
            if bracketOpen { throw error("unexpected left bracket \(goQuoteRune(r))") }
            gotColon = false
            let token = emit(.leftBracket)
            skipSpaces()
            bracketOpen = true
            state = .durationExpr
            return token
        case "]":
            if !bracketOpen { throw error("unexpected right bracket \(goQuoteRune(r))") }
            bracketOpen = false
            return emit(.rightBracket)
        default:
            if isDigit(r) || (r == "." && isDigit(peekScalar())) {
                backup()
                return try lexNumberOrDuration()
            }
            if isAlpha(r) || r == ":" {
                if !bracketOpen {
                    backup()
                    return lexKeywordOrIdentifier()
                }
                if r == ":" {
                    if gotColon { throw error("unexpected colon \(goQuoteRune(r))") }
                    gotColon = true
                    return emit(.colon)
                }
                if isDurationKeywordStart(r), let token = scanDurationKeyword() { return token }
                throw error("unexpected character: \(goQuoteRune(r)), expected ':'")
            }
            throw error("unexpected character: \(goQuoteRune(r))")
        }
    }

    // MARK: - Inside braces (Go's lexInsideBraces)

    mutating func lexInsideBraces() throws(ParseError) -> Token? {
        if peekByte() == UInt8(ascii: "#") { return lexLineComment() }
        let r = nextScalar()
        if width == 0 { throw error("unexpected end of input inside braces") }
        switch r {
        case " ", "\t", "\n", "\r":
            skipSpaces()
            return nil
        case ",": return emit(.comma)
        case "\"", "'":
            stringOpen = UInt8(r.value)
            return try lexString()
        case "`":
            stringOpen = UInt8(r.value)
            return try lexRawString()
        case "=":
            if accept("~") { return emit(.eqlRegex) }
            return emit(.eql)
        case "!":
            let t = nextScalar()
            if width != 0, t == "~" { return emit(.neqRegex) }
            if width != 0, t == "=" { return emit(.neq) }
            let shown: Unicode.Scalar = width == 0 ? "\u{FFFD}" : t
            throw error("unexpected character after '!' inside braces: \(goQuoteRune(shown))")
        case "{": throw error("unexpected left brace \(goQuoteRune(r))")
        case "}":
            braceOpen = false
            return emit(.rightBrace)
        default:
            if isAlpha(r) {
                while isAlphaNumeric(peekScalar()) { _ = nextScalar() }
                return emit(.identifier)
            }
            throw error("unexpected character inside braces: \(goQuoteRune(r))")
        }
    }

    // MARK: - Right after `[` (Go's lexDurationExpr)

    mutating func lexDurationExpr() throws(ParseError) -> Token? {
        let r = nextScalar()
        if width == 0 { throw error("unexpected end of input in duration expression") }
        switch r {
        case "]":
            bracketOpen = false
            gotColon = false
            state = .statements
            return emit(.rightBracket)
        case ":":
            let token = emit(.colon)
            if !gotDuration { throw error("unexpected colon before duration in duration expression") }
            if gotColon { throw error("unexpected repeated colon in duration expression") }
            gotColon = true
            return token
        case "(":
            parenDepth += 1
            return emit(.leftParen)
        case ")":
            let token = emit(.rightParen)
            parenDepth -= 1
            if parenDepth < 0 { throw error("unexpected right parenthesis \(goQuoteRune(r))") }
            return token
        case " ", "\t", "\n", "\r":
            skipSpaces()
            return nil
        case "+": return emit(.add)
        case "-": return emit(.sub)
        case "*": return emit(.mul)
        case "/": return emit(.div)
        case "%": return emit(.mod)
        case "^": return emit(.pow)
        case ",": return emit(.comma)
        default:
            if isDurationKeywordStart(r) {
                if let token = scanDurationKeyword() { return token }
                throw error("unexpected character in duration expression: \(goQuoteRune(r))")
            }
            if isDigit(r) || (r == "." && isDigit(peekScalar())) {
                backup()
                gotDuration = true
                state = .statements
                return try lexNumberOrDuration()
            }
            throw error("unexpected character in duration expression: \(goQuoteRune(r))")
        }
    }
}
