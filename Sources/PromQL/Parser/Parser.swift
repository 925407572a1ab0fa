// The PromQL parser: entry points, token handling, the expression skeleton and the checks
// Prometheus runs after parsing (`checkAST`). A hand-written recursive-descent port of
// `generated_parser.y` that reproduces its error messages; only selectors so far.

package import MetricModel

/// Parses a PromQL expression.
///
/// Implemented so far: instant and range vector selectors with `offset` and `@`
/// (`metric{a="b"}[5m] offset -1m @ end()`). Other valid PromQL throws
/// `ParseError` with code `.unsupported`; invalid PromQL throws Prometheus's message.
///
/// ```swift
/// let expr = try parseExpr(#"http_requests_total{job="api"}[5m] offset 1m"#)
/// print(expr)  // http_requests_total{job="api"}[5m] offset 1m
/// ```
///
/// - Throws: `ParseError`, e.g. `1:1: parse error: vector selector must contain at least
///   one non-empty matcher`.
package func parseExpr(_ input: String) throws(ParseError) -> Expr {
    var parser = Parser(input)
    let expr = try parser.parseExpression()
    try parser.check(expr)
    return expr
}

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

/// Parser state: the lexer, one token of lookahead and Prometheus's `lastClosing`.
struct Parser {
    var lexer: Lexer
    var lookahead: Token?
    /// End of the last `}`, `)`, `]`, number or duration read (Prometheus's `lastClosing`).
    var lastClosing = 0

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

    /// Valid PromQL we do not parse yet. A lexer error later in the input is returned
    /// instead, since it makes the query invalid whatever the grammar (Prometheus would
    /// report it unless a grammar error came first).
    mutating func unsupported(_ what: String, at range: PositionRange) -> ParseError {
        do {
            while try lexer.next().kind != .eof {}
        } catch {
            return error
        }
        return self.error(.unsupported, "unsupported expression: \(what) (only selectors are implemented)", at: range)
    }

    // MARK: Expressions

    /// `expr` of the grammar, restricted to selectors and their modifiers.
    mutating func parseExpression() throws(ParseError) -> Expr {
        if try peek().kind == .eof {
            throw error(.syntax, "no expression found in input", at: PositionRange(start: 0, end: 0))
        }
        var expr = try parsePrimary()
        while true {
            let token = try peek()
            switch token.kind {
            case .eof:
                return expr
            case .leftBracket:
                expr = try parseRange(of: expr)
            case .offset:
                expr = try parseOffset(of: expr)
            case .at:
                expr = try parseAt(of: expr)
            case .anchored, .smoothed:
                let name = token.kind == .anchored ? "anchored" : "smoothed"
                throw error(.unsupported, "\(name) modifier is experimental and not enabled", at: expr.positionRange)
            default:
                if token.kind.isOperator {
                    throw unsupported("binary operator \(goQuote(text(token)))", at: token.positionRange)
                }
                throw unexpected(token)
            }
        }
    }

    /// A selector, or an `.unsupported` error naming the other kind of expression found.
    mutating func parsePrimary() throws(ParseError) -> Expr {
        let token = try next()
        switch token.kind {
        case .leftBrace:
            return .vectorSelector(try parseBraces(open: token, name: nil))
        case .number, .duration:
            throw unsupported("number literal \(goQuote(text(token)))", at: token.positionRange)
        case .string:
            throw unsupported("string literal", at: token.positionRange)
        case .leftParen:
            throw unsupported("parenthesized expression", at: token.positionRange)
        case .add, .sub:
            throw unsupported("unary expression \(goQuote(text(token)))", at: token.positionRange)
        default:
            guard token.kind.canBeMetricName else { throw unexpected(token) }
            let following = try peek().kind
            if token.kind.isAggregator && (following == .leftParen || following == .by || following == .without) {
                throw unsupported("aggregation \(goQuote(text(token)))", at: token.positionRange)
            }
            if token.kind == .identifier && following == .leftParen {
                throw unsupported("function call \(goQuote(text(token)))", at: token.positionRange)
            }
            return .vectorSelector(try parseSelector(name: token))
        }
    }

    // MARK: Checks after parsing (Prometheus's checkAST)

    /// Rejects selectors that set the metric name twice or could match every series.
    func check(_ expr: Expr) throws(ParseError) {
        switch expr {
        case .vectorSelector(let vs): try check(vs)
        case .matrixSelector(let ms): try check(ms.vectorSelector)
        case .numberLiteral, .stringLiteral: break
        case .paren(let p): try check(p.expr)
        case .unary(let u): try check(u.expr)
        case .binary(let b):
            try check(b.lhs)
            try check(b.rhs)
        case .call(let c): for arg in c.args { try check(arg) }
        case .aggregate(let a):
            if let param = a.param { try check(param) }
            try check(a.expr)
        case .subquery(let s): try check(s.expr)
        }
    }

    func check(_ vs: VectorSelector) throws(ParseError) {
        if let name = vs.name {
            // The last matcher is the one for `name`; any other `__name__` matcher repeats it.
            for m in vs.matchers.dropLast() where m.name == "__name__" {
                throw error(
                    .invalid, "metric name must not be set twice: \(goQuote(name)) or \(goQuote(m.value))",
                    at: vs.positionRange)
            }
            return
        }
        if !vs.matchers.contains(where: { !$0.matchesEmpty }) {
            throw error(.invalid, "vector selector must contain at least one non-empty matcher", at: vs.positionRange)
        }
    }
}
