// TextLexer+Errors: Prometheus's parse-error wording (`parseError` in promparse.go and
// openmetricsparse.go, 3.x and 2.42 forms) with the input quoted Go-style. Slow path only.

extension TextLexer {
    /// The bytes of `range` quoted as Go's `%q` prints them (the virtual newline included).
    func quoted(_ range: Range<Int>) -> String {
        GoQuote.quote(range.lazy.map { self.byte(at: $0) })
    }

    /// `<expected>, got "<token bytes>" ("<TOKEN>") while parsing: "<line so far>"` (3.x).
    func parseError(_ expected: String, _ got: Token, lineStart: Int) -> ExpositionError {
        let e = min(end, i + 1)
        let message = "\(expected), got \(quoted(start..<e)) (\"\(got.goName)\") while parsing: \(quoted(lineStart..<e))"
        return error(.syntax, message, at: start)
    }

    /// `<expected>, got "<TOKEN>"` (Prometheus 2.42).
    func legacyParseError(_ expected: String, _ got: Token) -> ExpositionError {
        error(.syntax, "\(expected), got \"\(got.goName)\"", at: start)
    }

    /// A number in `token` that Go's strconv rejected. `legacy` leaves out the
    /// ` while parsing: "<line>"` suffix, as Prometheus 2.42 does.
    func numberError(
        _ failure: GoNumber.Failure, in token: Range<Int>, lineStart: Int, integer: Bool = false, legacy: Bool = false
    ) -> ExpositionError {
        var message: String
        switch failure {
        case .unsupportedCharacter:
            message = "unsupported character in float"
        case .syntax, .range:
            let function = integer ? "ParseInt" : "ParseFloat"
            let reason = failure == .range ? "value out of range" : "invalid syntax"
            message = "strconv.\(function): parsing \(quoted(token)): \(reason)"
        }
        if !legacy { message += " while parsing: \(quoted(lineStart..<i))" }
        return error(.invalidNumber, message, at: token.lowerBound)
    }

    /// An error at `offset` with a position computed from the input.
    func error(_ code: ExpositionError.Code, _ message: String, at offset: Int) -> ExpositionError {
        ExpositionError(code, message, at: offset, in: bytes)
    }
}

extension TextLexer {
    /// Quoted names must be valid UTF-8 (Prometheus rejects them later, at append time).
    func checkQuotedName(_ token: Range<Int>) throws(ExpositionError) {
        guard token.count >= 2, GoQuote.isValidUTF8(bytes, token.lowerBound + 1..<token.upperBound - 1) else {
            throw error(.invalidUTF8, "invalid UTF-8 name: \(quoted(token))", at: token.lowerBound)
        }
    }
}
