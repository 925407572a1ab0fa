// The PromQL parser: entry points, token handling and error reporting. A hand-written
// recursive-descent port of Prometheus 3.14's `generated_parser.y` that builds the same trees
// and reports the same first error; expressions are in `Parser+Expression.swift`, the checks
// Prometheus runs after parsing (`checkAST`) in `Parser+Check.swift`.

package import MetricModel

/// Parses a PromQL expression, with every experimental syntax of Prometheus 3.14 enabled
/// (duration expressions, `anchored`/`smoothed`, `fill` modifiers, experimental functions).
///
/// ```swift
/// let expr = try parseExpr(#"sum by (job) (rate(http_requests_total{job="api"}[5m]))"#)
/// print(expr)  // sum by (job) (rate(http_requests_total{job="api"}[5m]))
/// ```
///
/// - Throws: `ParseError` with Prometheus's message and position, e.g. `1:5: parse error:
///   unexpected end of input inside braces`. Expressions nested deeper than
///   ``maxExpressionDepth`` are rejected instead of exhausting the stack.
package func parseExpr(_ input: String) throws(ParseError) -> Expr {
    var parser = Parser(input)
    var expr = try parser.parseQuery()
    try parser.check(&expr)
    return expr
}

/// How deeply expressions may nest (parentheses, operands, arguments, operator chains),
/// counted in tree levels. Prometheus has no limit; ours keeps parsing, checking, printing
/// and evaluation within the stack of any thread.
package let maxExpressionDepth = 500

/// Parses a series selector as used by `match[]` (`ParseMetricSelector`): a metric name
/// and/or braces, nothing else. The metric name, if written before the braces, is returned
/// as a final `__name__="…"` matcher.
///
/// Like Prometheus, this does not require a non-empty matcher (`{}` parses); the HTTP
/// layer rejects those with `match[] must contain at least one non-empty matcher`.
///
/// ```swift
/// let matchers = try parseMetricSelector(#"up{job="node"}"#)  // [job="node", __name__="up"]
/// ```
package func parseMetricSelector(_ input: String) throws(ParseError) -> [LabelMatcher] {
    var parser = Parser(input)
    let first = try parser.next()
    let selector: VectorSelector
    if first.kind == .leftBrace {
        selector = try parser.parseBraces(open: first, name: nil)
    } else if first.kind.canBeMetricName {
        selector = try parser.parseSelector(name: first)
    } else {
        throw parser.unexpected(first)
    }
    let end = try parser.next()
    guard end.kind == .eof else { throw parser.unexpected(end) }
    return selector.matchers
}

/// An expression and its height in tree levels, which the parser keeps below
/// ``maxExpressionDepth``.
struct Parsed {
    var expr: Expr
    var height: Int
}

/// Where a syntax error is reported: the `error` rule of the innermost grammar construct
/// being parsed (`unexpected X in <context>, expected <expected>`).
struct ErrorContext {
    var context: String
    var expected: String
}

/// Parser state: the lexer, one token of lookahead, Prometheus's `lastClosing`, the error
/// contexts of the constructs being parsed and the nesting depth.
struct Parser {
    var lexer: Lexer
    var lookahead: Token?
    /// End of the last `}`, `)`, `]`, number or duration read (Prometheus's `lastClosing`).
    var lastClosing = 0
    var contexts: [ErrorContext] = []
    /// Nesting of the recursive descent, capped at ``maxExpressionDepth``.
    var depth = 0

    init(_ input: String) {
        lexer = Lexer(input)
    }

    var query: String { lexer.query }

    // MARK: Tokens

    /// The next non-comment token, consumed.
    mutating func next() throws(ParseError) -> Token {
        if let token = lookahead {
            lookahead = nil
            return token
        }
        return try fetch()
    }

    /// The next non-comment token, not consumed.
    mutating func peek() throws(ParseError) -> Token {
        if let token = lookahead { return token }
        let token = try fetch()
        lookahead = token
        return token
    }

    /// Consumes the next token, which must be of `kind`.
    mutating func expect(_ kind: TokenKind) throws(ParseError) -> Token {
        let token = try next()
        guard token.kind == kind else { throw syntaxError(token) }
        return token
    }

    private mutating func fetch() throws(ParseError) -> Token {
        while true {
            let token = try lexer.next()
            switch token.kind {
            case .comment: continue
            case .rightBrace, .rightParen, .rightBracket, .duration, .number: lastClosing = token.end
            default: break
            }
            return token
        }
    }

    func text(_ token: Token) -> String { lexer.text(of: token) }

    // MARK: Errors

    func error(_ code: ParseError.Code, _ message: String, at range: PositionRange) -> ParseError {
        ParseError(code, message, at: range, in: query)
    }

    /// Prometheus's `unexpected(context, expected)`: `unexpected <token>[ in <context>][, expected <what>]`.
    func unexpected(_ token: Token, in context: String = "", expected: String = "") -> ParseError {
        var message = "unexpected " + token.describe(text(token))
        if !context.isEmpty { message += " in " + context }
        if !expected.isEmpty { message += ", expected " + expected }
        return error(.syntax, message, at: token.positionRange)
    }

    /// A syntax error at `token`, worded by the innermost construct with an error rule, as
    /// the generated parser reports it after unwinding to that rule.
    func syntaxError(_ token: Token) -> ParseError {
        guard let context = contexts.last else { return unexpected(token) }
        return unexpected(token, in: context.context, expected: context.expected)
    }

    /// Runs `body` with `context` as the innermost error context.
    mutating func within<T>(
        _ context: String, expected: String = "", _ body: (inout Parser) throws(ParseError) -> T
    ) throws(ParseError) -> T {
        contexts.append(ErrorContext(context: context, expected: expected))
        defer { contexts.removeLast() }
        return try body(&self)
    }

    /// Descends one level, or throws when that would nest deeper than ``maxExpressionDepth``.
    mutating func descend(at token: Token) throws(ParseError) {
        depth += 1
        if depth > maxExpressionDepth { throw tooDeep(at: token.positionRange) }
    }

    /// A node `height` levels high, or an error when that is more than ``maxExpressionDepth``.
    func node(_ expr: Expr, height: Int) throws(ParseError) -> Parsed {
        if height > maxExpressionDepth { throw tooDeep(at: expr.positionRange) }
        return Parsed(expr: expr, height: height)
    }

    func tooDeep(at range: PositionRange) -> ParseError {
        error(.invalid, "expression nesting too deep: more than \(maxExpressionDepth) levels", at: range)
    }

    // MARK: Entry

    /// `start: START_EXPRESSION expr EOF`.
    mutating func parseQuery() throws(ParseError) -> Expr {
        if try peek().kind == .eof {
            throw error(.syntax, "no expression found in input", at: PositionRange(start: 0, end: 0))
        }
        let parsed = try parseExpression()
        let end = try next()
        guard end.kind == .eof else { throw syntaxError(end) }
        return parsed.expr
    }
}
