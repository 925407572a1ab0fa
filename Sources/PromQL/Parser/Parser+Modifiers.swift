// Parser: `[range]`, `offset <duration>` and `@ <timestamp>` / `@ start()` / `@ end()`
// after a selector (matrix_selector, offset_expr, step_invariant_expr in the grammar).

extension Parser {
    /// `expr[range]`; the subquery form `[range:step]` is reported as unsupported.
    mutating func parseRange(of expr: Expr) throws(ParseError) -> Expr {
        let open = try next()
        let context = "subquery or range selector"
        let expected = "number, duration, step(), or range()"
        let (value, range) = try parseDurationLiteral(context: context, expected: expected, peekFirst: false)
        let after = try peek()
        if [.add, .sub, .mul, .div, .mod, .pow].contains(after.kind) {
            throw error(.unsupported, "experimental duration expression is not enabled", at: range)
        }
        if value <= 0 { throw error(.invalid, "duration must be greater than 0", at: range) }
        if after.kind == .colon {
            throw unsupported("subquery", at: PositionRange(start: open.position, end: after.end))
        }
        guard after.kind == .rightBracket else {
            throw unexpected(after, in: "subquery or range", expected: #"":" or "]""#)
        }
        let close = try next()
        let brackets = PositionRange(start: open.position, end: close.end)
        guard case .vectorSelector(let vs) = expr else {
            throw error(.invalid, "ranges only allowed for vector selectors", at: brackets)
        }
        if vs.offsetMilliseconds != 0 { throw error(.invalid, "no offset modifiers allowed before range", at: brackets) }
        if vs.atModifier != nil { throw error(.invalid, "no @ modifiers allowed before range", at: brackets) }
        let ms = MatrixSelector(
            vectorSelector: vs, rangeMilliseconds: durationMilliseconds(value), endPosition: close.end)
        return .matrixSelector(ms)
    }

    /// `expr offset [+-]<number or duration>`.
    mutating func parseOffset(of expr: Expr) throws(ParseError) -> Expr {
        _ = try next()
        let (value, _) = try parseDurationLiteral(
            context: "offset", expected: "number, duration, step(), or range()", peekFirst: true)
        let offset = durationMilliseconds(value)
        switch expr {
        case .vectorSelector(var vs):
            if vs.offsetMilliseconds != 0 {
                throw error(.invalid, "offset may not be set multiple times", at: expr.positionRange)
            }
            vs.offsetMilliseconds = offset
            vs.positionRange.end = lastClosing
            return .vectorSelector(vs)
        case .matrixSelector(var ms):
            if ms.vectorSelector.offsetMilliseconds != 0 {
                throw error(.invalid, "offset may not be set multiple times", at: expr.positionRange)
            }
            ms.vectorSelector.offsetMilliseconds = offset
            ms.endPosition = lastClosing
            return .matrixSelector(ms)
        default:
            throw unsupported("offset on \(expr.type.rawValue)", at: expr.positionRange)
        }
    }

    /// `expr @ [+-]<number or duration>`, `expr @ start()` or `expr @ end()`.
    mutating func parseAt(of expr: Expr) throws(ParseError) -> Expr {
        _ = try next()
        let token = try next()
        var modifier: AtModifier
        switch token.kind {
        case .number, .duration, .add, .sub:
            var literal = token
            if token.kind == .add || token.kind == .sub {
                literal = try next()
                guard literal.kind == .number || literal.kind == .duration else {
                    throw unexpected(literal, in: "@", expected: "timestamp")
                }
            }
            var seconds = try literalSeconds(literal)
            if token.kind == .sub { seconds = -seconds }
            if !seconds.isFinite || seconds >= 9_223_372_036_854_775_808.0 || seconds <= -9_223_372_036_854_775_808.0 {
                let shown = goFormatFixed(seconds, precision: 6)
                throw error(.invalid, "timestamp out of bounds for @ modifier: \(shown)", at: expr.positionRange)
            }
            modifier = .timestamp(goInt64((seconds * 1000).rounded()))
        case .start, .end:
            for kind in [TokenKind.leftParen, .rightParen] {
                let paren = try next()
                guard paren.kind == kind else { throw unexpected(paren, in: "@", expected: "timestamp") }
            }
            modifier = token.kind == .start ? .start : .end
        default:
            throw unexpected(token, in: "@", expected: "timestamp")
        }
        switch expr {
        case .vectorSelector(var vs):
            if vs.atModifier != nil {
                throw error(.invalid, "@ <timestamp> may not be set multiple times", at: expr.positionRange)
            }
            vs.atModifier = modifier
            vs.positionRange.end = lastClosing
            return .vectorSelector(vs)
        case .matrixSelector(var ms):
            if ms.vectorSelector.atModifier != nil {
                throw error(.invalid, "@ <timestamp> may not be set multiple times", at: expr.positionRange)
            }
            ms.vectorSelector.atModifier = modifier
            ms.endPosition = lastClosing
            return .matrixSelector(ms)
        default:
            throw unsupported("offset on \(expr.type.rawValue)", at: expr.positionRange)
        }
    }

    /// `[+-]* (number | duration)` in seconds, with Prometheus's range checks; `step()`,
    /// `range()`, `max_of(…)`, `min_of(…)` and `(…)` are experimental duration expressions,
    /// which Prometheus rejects unless enabled. `peekFirst` reads the next token before the
    /// range checks, where Prometheus's grammar needs it to decide the reduction.
    private mutating func parseDurationLiteral(context: String, expected: String, peekFirst: Bool)
        throws(ParseError) -> (Double, PositionRange)
    {
        var token = try next()
        var signs: [Token] = []
        while token.kind == .add || token.kind == .sub {
            signs.append(token)
            token = try next()
        }
        guard token.kind == .number || token.kind == .duration else {
            try rejectDurationExpression(token, context: context, expected: expected)
        }
        var value = try literalSeconds(token)
        var range = token.positionRange
        if peekFirst { _ = try peek() }
        try checkDurationRange(value, at: range)
        if !signs.isEmpty { _ = try peek() }
        for sign in signs.reversed() {
            if sign.kind == .sub { value = -value }
            range.start = sign.position
            try checkDurationRange(value, at: sign.positionRange)
        }
        return (value, range)
    }

    /// Throws for a token that cannot start a duration literal.
    private mutating func rejectDurationExpression(_ token: Token, context: String, expected: String)
        throws(ParseError) -> Never
    {
        let experimental = "experimental duration expression is not enabled"
        switch token.kind {
        case .step, .range, .maxOf, .minOf:
            let open = try next()
            guard open.kind == .leftParen else { throw unexpected(open, in: context, expected: expected) }
            if token.kind == .step || token.kind == .range {
                let close = try next()
                guard close.kind == .rightParen else { throw unexpected(close, in: context, expected: expected) }
                throw error(.unsupported, experimental, at: PositionRange(start: token.position, end: close.end))
            }
            throw error(.unsupported, experimental, at: token.positionRange)
        case .leftParen:
            // Prometheus flags the first operand inside the parentheses.
            throw error(.unsupported, experimental, at: try peek().positionRange)
        default:
            throw unexpected(token, in: context, expected: expected)
        }
    }

    /// Prometheus's `durationLiteralOutOfRange`: beyond ±2⁶³ ns. NaN is rejected too
    /// (Prometheus lets it through and gets an arbitrary duration).
    private func checkDurationRange(_ seconds: Double, at range: PositionRange) throws(ParseError) {
        if seconds.isNaN || seconds > 9_223_372_036.854_775_808 || seconds < -9_223_372_036.854_775_808 {
            throw error(.invalid, "duration out of range", at: range)
        }
    }

    /// A number token's value (`number()`: `ParseInt(s, 0, 64)`, then `ParseFloat`) or a
    /// duration token's value in seconds (`time.Duration.Seconds()`).
    func literalSeconds(_ token: Token) throws(ParseError) -> Double {
        let s = text(token)
        if token.kind == .duration {
            let nanoseconds: Int64
            do {
                nanoseconds = try parseDurationNanoseconds(s)
            } catch {
                throw self.error(.syntax, error.message, at: token.positionRange)
            }
            return Double(nanoseconds / 1_000_000_000) + Double(nanoseconds % 1_000_000_000) / 1e9
        }
        if case .success(let n) = goParseInt(s) { return Double(n) }
        switch goParseFloat(s) {
        case .success(let f):
            return f
        case .failure(let failure):
            let message = "error parsing number: strconv.ParseFloat: parsing \(goQuote(s)): \(failure)"
            throw error(.syntax, message, at: token.positionRange)
        }
    }
}

/// Seconds to whole milliseconds as Prometheus does: `time.Duration(math.Round(s*1e9))`,
/// then truncating nanoseconds to milliseconds.
func durationMilliseconds(_ seconds: Double) -> Int64 {
    goInt64((seconds * 1e9).rounded()) / 1_000_000
}
