// Parser: function calls, aggregations and their `by`/`without` grouping (`function_call`,
// `function_call_body`, `aggregate_expr`, `aggregate_modifier`, `grouping_labels` in the
// grammar), with the argument checks Prometheus makes while parsing (`newAggregateExpr`).

import MetricModel

extension Parser {
    /// `name(args…)`; `name` has been consumed and `(` is next.
    mutating func parseCall(name: Token) throws(ParseError) -> Parsed {
        let body = try parseCallBody()
        let functionName = text(name)
        guard let function = PromQLFunction.named(functionName) else {
            throw error(.invalid, "unknown function with name \(goQuote(functionName))", at: name.positionRange)
        }
        let call = Call(
            function: function, args: body.args, positionRange: PositionRange(start: name.position, end: body.close.end))
        return try node(.call(call), height: body.height + 1)
    }

    /// `( )` or `( expr, … )`, without a trailing comma.
    mutating func parseCallBody() throws(ParseError) -> (args: [Expr], height: Int, close: Token) {
        let open = try next()
        guard open.kind == .leftParen else { throw syntaxError(open) }
        var args: [Expr] = []
        var height = 0
        if try peek().kind == .rightParen { return (args, height, try next()) }
        while true {
            let arg = try parseExpression()
            args.append(arg.expr)
            height = max(height, arg.height)
            let separator = try next()
            if separator.kind == .rightParen { return (args, height, separator) }
            guard separator.kind == .comma else { throw syntaxError(separator) }
            // Prometheus reduces `args ,` (reporting the comma) on any token that cannot start
            // an expression, not only on `)`.
            if !(try peek().kind.canStartExpression) {
                throw error(.syntax, "trailing commas not allowed in function call args", at: separator.positionRange)
            }
        }
    }

    /// `op [by|without (…)] ([param,] expr) [by|without (…)]`; `op` has been consumed.
    mutating func parseAggregation(op token: Token) throws(ParseError) -> Parsed {
        contexts.append(ErrorContext(context: "aggregation", expected: ""))
        defer { contexts.removeLast() }
        var modifier: (labels: [String], without: Bool)?
        if try peek().kind != .leftParen { modifier = try parseAggregateModifier() }
        let body = try parseCallBody()
        var end = body.close.end
        if modifier == nil {
            let following = try peek().kind
            if following == .by || following == .without {
                modifier = try parseAggregateModifier()
                end = lastClosing
            }
        }
        let range = PositionRange(start: token.position, end: end)
        let op = Self.aggregationOperator(token.kind)
        guard !body.args.isEmpty else {
            throw error(.invalid, "no arguments for aggregate expression provided", at: range)
        }
        let wanted = op.takesParameter ? 2 : 1
        guard body.args.count == wanted else {
            let message = "wrong number of arguments for aggregate expression provided, expected \(wanted), got \(body.args.count)"
            throw error(.invalid, message, at: range)
        }
        let aggregate = AggregateExpr(
            op: op, expr: body.args[wanted - 1], param: op.takesParameter ? body.args[0] : nil,
            grouping: modifier?.labels ?? [], without: modifier?.without ?? false, positionRange: range)
        return try node(.aggregate(aggregate), height: body.height + 1)
    }

    /// `by (…)` or `without (…)`.
    private mutating func parseAggregateModifier() throws(ParseError) -> (labels: [String], without: Bool) {
        let keyword = try next()
        guard keyword.kind == .by || keyword.kind == .without else { throw syntaxError(keyword) }
        return (try parseGroupingLabels(), keyword.kind == .without)
    }

    static func aggregationOperator(_ kind: TokenKind) -> AggregationOperator {
        switch kind {
        case .avg: .avg
        case .bottomk: .bottomk
        case .count: .count
        case .countValues: .countValues
        case .group: .group
        case .max: .max
        case .min: .min
        case .quantile: .quantile
        case .stddev: .stddev
        case .stdvar: .stdvar
        case .topk: .topk
        case .limitk: .limitk
        case .limitRatio: .limitRatio
        default: .sum
        }
    }

    /// `( label, … )` after `by`, `without`, `on`, `ignoring`, `group_left`, `group_right`;
    /// labels are identifiers, keywords or quoted UTF-8 names, a trailing comma is allowed.
    mutating func parseGroupingLabels() throws(ParseError) -> [String] {
        contexts.append(ErrorContext(context: "grouping opts", expected: #""(""#))
        defer { contexts.removeLast() }
        let open = try next()
        guard open.kind == .leftParen else { throw syntaxError(open) }
        var labels: [String] = []
        contexts[contexts.count - 1].expected = "label"
        if try peek().kind == .rightParen {
            _ = try next()
            return labels
        }
        while true {
            labels.append(try parseGroupingLabel(try next()))
            contexts[contexts.count - 1].expected = #""," or ")""#
            let separator = try next()
            if separator.kind == .rightParen { return labels }
            guard separator.kind == .comma else { throw syntaxError(separator) }
            contexts[contexts.count - 1].expected = "label"
            if try peek().kind == .rightParen {
                _ = try next()
                return labels
            }
        }
    }

    /// One `grouping_label`: a `maybe_label` token or a string naming a UTF-8 label.
    private func parseGroupingLabel(_ token: Token) throws(ParseError) -> String {
        if token.kind == .string {
            let name = try unquote(token)
            if name.isEmpty {
                throw error(.invalid, "invalid label name for grouping: \(goQuote(name))", at: token.positionRange)
            }
            return name
        }
        guard token.kind.canBeGroupingLabel else { throw syntaxError(token) }
        return text(token)
    }
}

extension TokenKind {
    /// Tokens an expression can start with.
    var canStartExpression: Bool {
        switch self {
        case .number, .duration, .string, .leftParen, .leftBrace, .add, .sub: true
        default: canBeMetricName
        }
    }

    /// Tokens accepted as a label name in grouping lists (`maybe_label` in the grammar).
    var canBeGroupingLabel: Bool {
        switch self {
        case .avg, .bool, .bottomk, .by, .count, .countValues, .group, .groupLeft, .groupRight, .fill, .fillLeft,
            .fillRight, .identifier, .ignoring, .land, .lor, .lunless, .max, .metricIdentifier, .min, .offset, .on,
            .quantile, .stddev, .stdvar, .sum, .topk, .start, .end, .atan2, .limitk, .limitRatio, .step, .range,
            .anchored, .smoothed, .maxOf, .minOf:
            true
        default:
            false
        }
    }
}
