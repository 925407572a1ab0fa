// Parser: durations after `[`, `:` and `offset` (`duration_expr`, `paren_duration_expr`,
// `positive_duration_expr`, `offset_duration_expr`): literals, and the experimental duration
// arithmetic with `step()`, `range()`, `min_of`, `max_of` and parentheses.

import MetricModel

/// A duration as the grammar builds it: a bare number literal (possibly signed), or an
/// expression tree once operators, functions or parentheses are involved.
enum DurationOperand {
    case literal(NumberLiteral)
    case tree(DurationExpr, height: Int)

    /// The tree form: duration literals in milliseconds, plain numbers as written.
    var expression: DurationExpr {
        switch self {
        case .literal(let literal):
            if literal.isDuration {
                return .literal(milliseconds: goInt64(literal.value * 1e9) / 1_000_000)
            }
            return .number(literal.value)
        case .tree(let tree, _): return tree
        }
    }

    var height: Int {
        switch self {
        case .literal: 1
        case .tree(_, let height): height
        }
    }
}

extension Parser {
    /// `duration_expr` with operators binding at least as strongly as `minPrecedence`.
    mutating func parseDurationExpression(minPrecedence: Int = 1) throws(ParseError) -> DurationOperand {
        try descend(at: try peek())
        defer { depth -= 1 }
        let first: DurationOperand
        let token = try peek()
        if token.kind == .add || token.kind == .sub {
            _ = try next()
            let operand = try parseDurationExpression(minPrecedence: Self.unaryOperandPrecedence)
            first = try applySign(token, to: operand)
        } else {
            first = try parseDurationPrimary()
        }
        return try continueDurationExpression(first, minPrecedence: minPrecedence)
    }

    /// Binary operators after `lhs`, as far as they bind at least as strongly as `minPrecedence`.
    mutating func continueDurationExpression(_ lhs: DurationOperand, minPrecedence: Int) throws(ParseError)
        -> DurationOperand
    {
        var lhs = lhs
        while true {
            let token = try peek()
            guard [.add, .sub, .mul, .div, .mod, .pow].contains(token.kind),
                let precedence = Self.precedence(token.kind), precedence >= minPrecedence
            else { return lhs }
            _ = try next()
            let op = Self.binaryOperator(token.kind)
            let rhs = try parseDurationExpression(minPrecedence: op == .pow ? precedence : precedence + 1)
            if op == .div || op == .mod, case .literal(let divisor) = rhs, divisor.value == 0 {
                throw error(.invalid, op == .div ? "division by zero" : "modulo by zero", at: token.positionRange)
            }
            let height = max(lhs.height, rhs.height) + 1
            if height > maxExpressionDepth { throw tooDeep(at: token.positionRange) }
            lhs = .tree(.binary(op, lhs.expression, rhs.expression), height: height)
        }
    }

    /// A literal, `step()`, `range()`, `min_of(a, b)`, `max_of(a, b)` or `(expr)`.
    mutating func parseDurationPrimary() throws(ParseError) -> DurationOperand {
        let token = try next()
        switch token.kind {
        case .number, .duration:
            let literal = try numberLiteral(token)
            try checkDurationRange(literal.value, at: literal.positionRange)
            return .literal(literal)
        case .step, .range:
            _ = try expect(.leftParen)
            _ = try expect(.rightParen)
            return .tree(token.kind == .step ? .step : .range, height: 1)
        case .maxOf, .minOf:
            _ = try expect(.leftParen)
            let a = try parseDurationExpression()
            _ = try expect(.comma)
            let b = try parseDurationExpression()
            _ = try expect(.rightParen)
            let tree: DurationExpr = token.kind == .maxOf ? .maxOf(a.expression, b.expression) : .minOf(a.expression, b.expression)
            return .tree(tree, height: max(a.height, b.height) + 1)
        case .leftParen:
            let inner = try parseDurationExpression()
            _ = try expect(.rightParen)
            return wrapped(inner)
        default:
            throw syntaxError(token)
        }
    }

    /// `offset_duration_expr`: a literal, signed literal, `step()`, `range()`, `min_of`/`max_of`
    /// or a signed parenthesis ends the offset, so `foo offset 1m + 1` adds 1 to the selector;
    /// only a duration expression starting with `(` or a repeated sign goes on with operators.
    mutating func parseOffsetDuration() throws(ParseError) -> DurationOperand {
        let token = try peek()
        switch token.kind {
        case .number, .duration:
            _ = try next()
            let literal = try numberLiteral(token)
            try checkDurationRange(literal.value, at: literal.positionRange)
            return .literal(literal)
        case .step, .range, .maxOf, .minOf:
            return try parseDurationPrimary()
        case .add, .sub:
            _ = try next()
            let operand = try peek()
            switch operand.kind {
            case .number, .duration:
                _ = try next()
                var literal = try numberLiteral(operand)
                if token.kind == .sub { literal.value = -literal.value }
                try checkDurationRange(literal.value, at: token.positionRange)
                literal.positionRange.start = token.position
                return .literal(literal)
            case .step, .range, .maxOf, .minOf:
                return try applySign(token, to: try parseDurationPrimary())
            case .leftParen:
                _ = try next()
                let inner = try parseDurationExpression()
                _ = try expect(.rightParen)
                return try applySign(token, to: wrapped(inner))
            default:
                let signed = try applySign(token, to: try parseDurationExpression(minPrecedence: Self.unaryOperandPrecedence))
                return try continueDurationExpression(signed, minPrecedence: 1)
            }
        case .leftParen:
            return try parseDurationExpression()
        default:
            throw syntaxError(try next())
        }
    }

    /// Prometheus's `applyUnaryOpToDurationExpr`: a sign folds into a literal (range-checked at
    /// the sign), `-` negates a tree, `+` leaves it alone.
    private func applySign(_ sign: Token, to operand: DurationOperand) throws(ParseError) -> DurationOperand {
        switch operand {
        case .literal(var literal):
            if sign.kind == .sub { literal.value = -literal.value }
            try checkDurationRange(literal.value, at: sign.positionRange)
            literal.positionRange.start = sign.position
            return .literal(literal)
        case .tree(let tree, let height):
            guard sign.kind == .sub else { return operand }
            return .tree(.negate(tree), height: height + 1)
        }
    }

    /// Prometheus's `wrapParenDurationExpr`: parentheses are kept (once) so the printer can
    /// write them back.
    private func wrapped(_ operand: DurationOperand) -> DurationOperand {
        if case .tree(.paren, _) = operand { return operand }
        return .tree(.paren(operand.expression), height: operand.height + 1)
    }

    /// Prometheus's `durationLiteralOutOfRange`: beyond ±2⁶³ ns. NaN is rejected too
    /// (Prometheus lets it through and gets an arbitrary duration).
    func checkDurationRange(_ seconds: Double, at range: PositionRange) throws(ParseError) {
        if seconds.isNaN || seconds > 9_223_372_036.854_775_808 || seconds < -9_223_372_036.854_775_808 {
            throw error(.invalid, "duration out of range", at: range)
        }
    }

    /// `positive_duration_expr`: a literal range or step must be greater than 0 (expressions
    /// are checked when evaluated).
    func checkPositive(_ operand: DurationOperand) throws(ParseError) {
        if case .literal(let literal) = operand, literal.value <= 0 {
            throw error(.invalid, "duration must be greater than 0", at: literal.positionRange)
        }
    }

    /// The milliseconds of a duration: a literal as Prometheus rounds it (`math.Round(s*1e9)`
    /// nanoseconds), an expression folded when it does not use `step()` or `range()`, else 0.
    func milliseconds(_ operand: DurationOperand, allowNegative: Bool) -> Int64 {
        switch operand {
        case .literal(let literal):
            return durationMilliseconds(literal.value)
        case .tree(let tree, _):
            guard tree.isConstant else { return 0 }
            return (try? tree.milliseconds(stepMilliseconds: 0, rangeMilliseconds: 0, allowNegative: allowNegative)) ?? 0
        }
    }

    /// The tree to keep for an expression (nil for a plain literal).
    func expressionTree(_ operand: DurationOperand) -> DurationExpr? {
        if case .tree(let tree, _) = operand { return tree }
        return nil
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
