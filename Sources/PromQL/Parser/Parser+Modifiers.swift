// Parser: what follows an expression — `[range]`, `[range:step]`, `offset …`, `@ …`,
// `anchored`, `smoothed` (matrix_selector, subquery_expr, offset_expr, step_invariant_expr,
// anchored_expr, smoothed_expr in the grammar) — with Prometheus's checks and messages
// (`addOffset`, `setTimestamp`, `getAtModifierVars`, `setAnchored`, `setSmoothed`).

internal import MetricModel

extension Parser {
    /// `expr[range]` or `expr[range:step]`; `[` is next.
    mutating func parseBrackets(after operand: Parsed) throws(ParseError) -> Parsed {
        let open = try next()
        contexts.append(ErrorContext(context: "subquery or range selector", expected: "number, duration, step(), or range()"))
        let range = try parseDurationExpression()
        contexts.removeLast()
        let after = try peek()
        try checkPositive(range)
        switch after.kind {
        case .rightBracket:
            let close = try next()
            return Parsed(expr: try matrixSelector(operand.expr, range: range, brackets: (open, close)), height: 1)
        case .colon:
            _ = try next()
            var step: DurationOperand?
            if try peek().kind != .rightBracket {
                let context = ErrorContext(
                    context: "subquery selector", expected: #"number, duration, step(), range(), or "]""#)
                contexts.append(context)
                step = try parseDurationExpression()
                contexts.removeLast()
                let close = try peek()
                if let step { try checkPositive(step) }
                guard close.kind == .rightBracket else { throw unexpected(close, in: "subquery selector", expected: #""]""#) }
            }
            let close = try next()
            var subquery = SubqueryExpr(
                expr: operand.expr, rangeMilliseconds: milliseconds(range, allowNegative: false),
                endPosition: close.end)
            subquery.rangeExpression = expressionTree(range)
            if let step {
                subquery.stepMilliseconds = milliseconds(step, allowNegative: false)
                subquery.stepExpression = expressionTree(step)
            }
            return try node(.subquery(subquery), height: operand.height + 1)
        default:
            throw unexpected(after, in: "subquery or range", expected: #"":" or "]""#)
        }
    }

    /// The range selector `expr[range]`, which needs a plain vector selector.
    private func matrixSelector(_ expr: Expr, range: DurationOperand, brackets: (Token, Token)) throws(ParseError) -> Expr {
        let errorRange = PositionRange(start: brackets.0.position, end: brackets.1.end)
        guard case .vectorSelector(let vs) = expr else {
            throw error(.invalid, "ranges only allowed for vector selectors", at: errorRange)
        }
        if vs.offsetMilliseconds != 0 || vs.offsetExpression != nil {
            throw error(.invalid, "no offset modifiers allowed before range", at: errorRange)
        }
        if vs.atModifier != nil { throw error(.invalid, "no @ modifiers allowed before range", at: errorRange) }
        var ms = MatrixSelector(
            vectorSelector: vs, rangeMilliseconds: milliseconds(range, allowNegative: false), endPosition: lastClosing)
        ms.rangeExpression = expressionTree(range)
        return .matrixSelector(ms)
    }

    /// `expr offset <duration>`; `offset` is next.
    mutating func parseOffset(of expr: Expr) throws(ParseError) -> Expr {
        _ = try next()
        contexts.append(ErrorContext(context: "offset", expected: "number, duration, step(), or range()"))
        let duration = try parseOffsetDuration()
        contexts.removeLast()
        let offset = milliseconds(duration, allowNegative: true)
        let tree = expressionTree(duration)
        let repeated = error(.invalid, "offset may not be set multiple times", at: expr.positionRange)
        switch expr {
        case .vectorSelector(var vs):
            if vs.offsetMilliseconds != 0 || vs.offsetExpression != nil { throw repeated }
            (vs.offsetMilliseconds, vs.offsetExpression) = (offset, tree)
            vs.positionRange.end = lastClosing
            return .vectorSelector(vs)
        case .matrixSelector(var ms):
            if ms.vectorSelector.offsetMilliseconds != 0 || ms.vectorSelector.offsetExpression != nil { throw repeated }
            (ms.vectorSelector.offsetMilliseconds, ms.vectorSelector.offsetExpression) = (offset, tree)
            ms.endPosition = lastClosing
            return .matrixSelector(ms)
        case .subquery(var sq):
            if sq.offsetMilliseconds != 0 || sq.offsetExpression != nil { throw repeated }
            (sq.offsetMilliseconds, sq.offsetExpression) = (offset, tree)
            sq.endPosition = lastClosing
            return .subquery(sq)
        default:
            let message = "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery"
            throw error(.invalid, message, at: expr.positionRange)
        }
    }

    /// `expr @ [+-]<number or duration>`, `expr @ start()` or `expr @ end()`; `@` is next.
    mutating func parseAt(of expr: Expr) throws(ParseError) -> Expr {
        _ = try next()
        contexts.append(ErrorContext(context: "@", expected: "timestamp"))
        defer { contexts.removeLast() }
        let token = try next()
        var modifier: AtModifier
        switch token.kind {
        case .number, .duration, .add, .sub:
            var literal = token
            if token.kind == .add || token.kind == .sub {
                literal = try next()
                guard literal.kind == .number || literal.kind == .duration else { throw syntaxError(literal) }
            }
            var seconds = try literalSeconds(literal)
            if token.kind == .sub { seconds = -seconds }
            if !seconds.isFinite || seconds >= 9_223_372_036_854_775_808.0 || seconds <= -9_223_372_036_854_775_808.0 {
                let shown = goFormatFixed(seconds, precision: 6)
                throw error(.invalid, "timestamp out of bounds for @ modifier: \(shown)", at: expr.positionRange)
            }
            modifier = .timestamp(goInt64((seconds * 1000).rounded()))
        case .start, .end:
            _ = try expect(.leftParen)
            _ = try expect(.rightParen)
            modifier = token.kind == .start ? .start : .end
        default:
            throw syntaxError(token)
        }
        let repeated = error(.invalid, "@ <timestamp> may not be set multiple times", at: expr.positionRange)
        switch expr {
        case .vectorSelector(var vs):
            if vs.atModifier != nil { throw repeated }
            vs.atModifier = modifier
            vs.positionRange.end = lastClosing
            return .vectorSelector(vs)
        case .matrixSelector(var ms):
            if ms.vectorSelector.atModifier != nil { throw repeated }
            ms.vectorSelector.atModifier = modifier
            ms.endPosition = lastClosing
            return .matrixSelector(ms)
        case .subquery(var sq):
            if sq.atModifier != nil { throw repeated }
            sq.atModifier = modifier
            sq.endPosition = lastClosing
            return .subquery(sq)
        default:
            let message = "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery"
            throw error(.invalid, message, at: expr.positionRange)
        }
    }

    /// `expr anchored` / `expr smoothed` (experimental extended range selectors).
    func setExtendedRange(_ anchored: Bool, of expr: Expr) throws(ParseError) -> Expr {
        let name = anchored ? "anchored" : "smoothed"
        let both = error(.invalid, "anchored and smoothed modifiers cannot be used together", at: expr.positionRange)
        switch expr {
        case .vectorSelector(var vs):
            if anchored { vs.anchored = true } else { vs.smoothed = true }
            if vs.anchored && vs.smoothed { throw both }
            return .vectorSelector(vs)
        case .matrixSelector(var ms):
            if anchored { ms.vectorSelector.anchored = true } else { ms.vectorSelector.smoothed = true }
            if ms.vectorSelector.anchored && ms.vectorSelector.smoothed { throw both }
            return .matrixSelector(ms)
        case .subquery:
            throw error(.invalid, "\(name) modifier is not supported for subqueries", at: expr.positionRange)
        default:
            throw error(.invalid, "\(name) modifier not implemented", at: expr.positionRange)
        }
    }
}
