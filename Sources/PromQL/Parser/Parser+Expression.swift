// Parser: the expression grammar (`expr`, `binary_expr`, `unary_expr`, `paren_expr`, literals
// and the postfix modifiers) as precedence climbing with the precedences and associativity
// of generated_parser.y.

extension Parser {
    /// Binding strength of a binary operator (`%left`/`%right` lines of the grammar, lowest
    /// first); nil for tokens that are not binary operators.
    static func precedence(_ kind: TokenKind) -> Int? {
        switch kind {
        case .lor: 1
        case .land, .lunless: 2
        case .eqlc, .neq, .gtr, .lss, .gte, .lte, .trimUpper, .trimLower: 3
        case .add, .sub: 4
        case .mul, .div, .mod, .atan2: 5
        case .pow: 6
        default: nil
        }
    }

    /// The precedence of unary `+`/`-` (`%prec MUL`): their operand takes in `^` only.
    static let unaryOperandPrecedence = 6

    static func binaryOperator(_ kind: TokenKind) -> BinaryOperator {
        switch kind {
        case .add: .add
        case .sub: .sub
        case .mul: .mul
        case .div: .div
        case .mod: .mod
        case .pow: .pow
        case .atan2: .atan2
        case .eqlc: .eql
        case .neq: .neq
        case .gtr: .gtr
        case .lss: .lss
        case .gte: .gte
        case .lte: .lte
        case .land: .and
        case .lor: .or
        case .lunless: .unless
        case .trimUpper: .trimUpper
        default: .trimLower
        }
    }

    /// An expression whose binary operators all bind at least as strongly as `minPrecedence`.
    /// `^` is right-associative, every other operator left-associative.
    mutating func parseExpression(minPrecedence: Int = 1) throws(ParseError) -> Parsed {
        try descend(at: try peek())
        defer { depth -= 1 }
        var lhs = try parseUnary()
        while true {
            let token = try peek()
            guard let precedence = Self.precedence(token.kind), precedence >= minPrecedence else { return lhs }
            _ = try next()
            let op = Self.binaryOperator(token.kind)
            let (matching, returnBool) = try parseBinaryModifiers()
            let rhs = try parseExpression(minPrecedence: op == .pow ? precedence : precedence + 1)
            let binary = BinaryExpr(op: op, lhs: lhs.expr, rhs: rhs.expr, matching: matching, returnBool: returnBool)
            lhs = try node(.binary(binary), height: max(lhs.height, rhs.height) + 1)
        }
    }

    /// `unary_op expr %prec MUL`; a sign in front of a number literal is folded into it, as
    /// Prometheus does (`-1` is the literal -1, its range starting at the sign).
    mutating func parseUnary() throws(ParseError) -> Parsed {
        let token = try peek()
        guard token.kind == .add || token.kind == .sub else {
            let primary = try parsePrimary()
            return try parsePostfix(primary)
        }
        _ = try next()
        let operand = try parseExpression(minPrecedence: Self.unaryOperandPrecedence)
        if case .numberLiteral(var literal) = operand.expr {
            if token.kind == .sub { literal.value = -literal.value }
            literal.positionRange.start = token.position
            return Parsed(expr: .numberLiteral(literal), height: operand.height)
        }
        let unary = UnaryExpr(op: token.kind == .sub ? .sub : .add, expr: operand.expr, startPosition: token.position)
        return try node(.unary(unary), height: operand.height + 1)
    }

    /// Literals, parentheses, selectors, function calls and aggregations.
    mutating func parsePrimary() throws(ParseError) -> Parsed {
        let token = try next()
        switch token.kind {
        case .number, .duration:
            return Parsed(expr: .numberLiteral(try numberLiteral(token)), height: 1)
        case .string:
            let bytes = try unquoteBytes(token)
            let value = String(validating: bytes, as: UTF8.self)
            let literal = StringLiteral(
                value: value ?? String(decoding: bytes, as: UTF8.self), positionRange: token.positionRange,
                invalidUTF8: value == nil ? bytes : nil)
            return Parsed(expr: .stringLiteral(literal), height: 1)
        case .leftParen:
            let inner = try parseExpression()
            let close = try next()
            guard close.kind == .rightParen else { throw syntaxError(close) }
            let paren = ParenExpr(expr: inner.expr, positionRange: PositionRange(start: token.position, end: close.end))
            return try node(.paren(paren), height: inner.height + 1)
        case .leftBrace:
            return Parsed(expr: .vectorSelector(try parseBraces(open: token, name: nil)), height: 1)
        default:
            guard token.kind.canBeMetricName else { throw syntaxError(token) }
            let following = try peek().kind
            if token.kind.isAggregator && (following == .leftParen || following == .by || following == .without) {
                return try parseAggregation(op: token)
            }
            if following == .leftParen && token.kind.canBeFunctionName {
                return try parseCall(name: token)
            }
            return Parsed(expr: .vectorSelector(try parseSelector(name: token)), height: 1)
        }
    }

    /// `number_duration_literal`: a number (`ParseInt` base 0, else `ParseFloat`) or a duration.
    func numberLiteral(_ token: Token) throws(ParseError) -> NumberLiteral {
        NumberLiteral(value: try literalSeconds(token), isDuration: token.kind == .duration, positionRange: token.positionRange)
    }

    /// Range/subquery brackets, `offset`, `@`, `anchored` and `smoothed` after an expression.
    /// They bind tighter than any operator (`%right LEFT_BRACKET`, `%nonassoc OFFSET`, and `@`
    /// without precedence, which yacc shifts).
    mutating func parsePostfix(_ primary: Parsed) throws(ParseError) -> Parsed {
        var current = primary
        while true {
            let token = try peek()
            switch token.kind {
            case .leftBracket:
                current = try parseBrackets(after: current)
            case .offset:
                current.expr = try parseOffset(of: current.expr)
            case .at:
                current.expr = try parseAt(of: current.expr)
            case .anchored, .smoothed:
                _ = try next()
                current.expr = try setExtendedRange(token.kind == .anchored, of: current.expr)
            default:
                return current
            }
        }
    }
}

extension TokenKind {
    /// Tokens a function call can start with: identifiers and the preprocessors `start`,
    /// `end`, `step`, `range`, `max_of`, `min_of` (`function_call` in the grammar).
    var canBeFunctionName: Bool {
        switch self {
        case .identifier, .start, .end, .step, .range, .maxOf, .minOf: true
        default: false
        }
    }
}
