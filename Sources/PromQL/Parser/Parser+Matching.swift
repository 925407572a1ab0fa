// Parser: what may follow a binary operator before its right operand (`bin_modifier`,
// `bool_modifier`, `on_or_ignoring`, `group_modifiers`, `fill_modifiers`, `fill_value`):
// `bool`, `on`/`ignoring (…)`, `group_left`/`group_right [(…)]` and the experimental
// `fill(v)`, `fill_left(v)`, `fill_right(v)`.

extension Parser {
    /// The modifiers after a binary operator. Like Prometheus, the matching is one-to-one
    /// unless grouped; `check` drops it when a side is not a vector and makes set operators
    /// many-to-many.
    mutating func parseBinaryModifiers() throws(ParseError) -> (VectorMatching, returnBool: Bool) {
        var matching = VectorMatching(cardinality: .oneToOne)
        var returnBool = false
        if try peek().kind == .bool {
            _ = try next()
            returnBool = true
        }
        let onOrIgnoring = try peek().kind
        if onOrIgnoring == .on || onOrIgnoring == .ignoring {
            _ = try next()
            matching.matchingLabels = try parseGroupingLabels()
            matching.on = onOrIgnoring == .on
            let group = try peek().kind
            if group == .groupLeft || group == .groupRight {
                _ = try next()
                matching.cardinality = group == .groupLeft ? .manyToOne : .oneToMany
                let following = try peek()
                if following.kind == .leftParen {
                    matching.include = try parseGroupingLabels()
                } else if !following.kind.canStartExpression && ![.fill, .fillLeft, .fillRight].contains(following.kind) {
                    // The labels are optional, but a token that cannot follow them is reported
                    // by their `grouping_labels: error` rule.
                    throw unexpected(following, in: "grouping opts", expected: #""(""#)
                }
            }
        }
        switch try peek().kind {
        case .fill:
            _ = try next()
            let value = try parseFillValue()
            matching.fillLeft = value
            matching.fillRight = value
        case .fillLeft:
            _ = try next()
            matching.fillLeft = try parseFillValue()
            if try peek().kind == .fillRight {
                _ = try next()
                matching.fillRight = try parseFillValue()
            }
        case .fillRight:
            _ = try next()
            matching.fillRight = try parseFillValue()
            if try peek().kind == .fillLeft {
                _ = try next()
                matching.fillLeft = try parseFillValue()
            }
        default:
            break
        }
        return (matching, returnBool)
    }

    /// `( [+|-] number_or_duration )`.
    private mutating func parseFillValue() throws(ParseError) -> Double {
        _ = try expect(.leftParen)
        var token = try next()
        var negative = false
        if token.kind == .add || token.kind == .sub {
            negative = token.kind == .sub
            token = try next()
        }
        guard token.kind == .number || token.kind == .duration else { throw syntaxError(token) }
        let value = try literalSeconds(token)
        _ = try expect(.rightParen)
        return negative ? -value : value
    }
}
