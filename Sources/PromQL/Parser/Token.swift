// PromQL tokens: kinds, keyword table and the descriptions Prometheus's error messages use
// (`promql/parser/lex.go`: ItemType, key, ItemTypeStr, Item.desc).

import MetricModel

/// The kind of a lexed PromQL token; mirrors Prometheus's `ItemType` for expressions.
package enum TokenKind: Sendable, Hashable {
    case eof
    case comment
    case identifier
    case metricIdentifier
    case number
    case duration
    case string
    case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket
    case comma, colon, eql
    // Operators.
    case add, sub, mul, div, mod, pow, at
    case eqlc, neq, lss, lte, gtr, gte, trimUpper, trimLower
    case eqlRegex, neqRegex
    case land, lor, lunless, atan2
    // Aggregators.
    case avg, bottomk, count, countValues, group, max, min, quantile, stddev, stdvar, sum, topk
    case limitk, limitRatio
    // Keywords.
    case bool, by, groupLeft, groupRight, fill, fillLeft, fillRight, ignoring, offset
    case smoothed, anchored, on, without
    // Preprocessors (inside `@ …()` and duration expressions).
    case start, end, step, range, maxOf, minOf

    /// Binary and set operators, `@` and `atan2` (Prometheus's `IsOperator`).
    package var isOperator: Bool {
        switch self {
        case .add, .sub, .mul, .div, .mod, .pow, .at, .eqlc, .neq, .lss, .lte, .gtr, .gte,
            .trimUpper, .trimLower, .eqlRegex, .neqRegex, .land, .lor, .lunless, .atan2:
            return true
        default:
            return false
        }
    }

    /// Aggregation operators such as `sum` (Prometheus's `IsAggregator`).
    package var isAggregator: Bool {
        switch self {
        case .avg, .bottomk, .count, .countValues, .group, .max, .min, .quantile, .stddev, .stdvar,
            .sum, .topk, .limitk, .limitRatio:
            return true
        default:
            return false
        }
    }

    /// Modifier keywords such as `by` or `offset` (Prometheus's `IsKeyword`).
    package var isKeyword: Bool {
        switch self {
        case .bool, .by, .groupLeft, .groupRight, .fill, .fillLeft, .fillRight, .ignoring, .offset,
            .smoothed, .anchored, .on, .without:
            return true
        default:
            return false
        }
    }

    /// Tokens the grammar accepts as a metric name (`metric_identifier` in the grammar).
    package var canBeMetricName: Bool {
        switch self {
        case .identifier, .metricIdentifier, .avg, .bottomk, .by, .count, .countValues, .fill,
            .fillLeft, .fillRight, .group, .land, .lor, .lunless, .max, .min, .offset, .quantile,
            .stddev, .stdvar, .sum, .topk, .without, .start, .end, .limitk, .limitRatio, .step,
            .range, .anchored, .smoothed, .maxOf, .minOf:
            return true
        default:
            return false
        }
    }

    /// The fixed spelling Prometheus prints for the kind (`ItemTypeStr`), if it has one.
    var fixedText: String? {
        switch self {
        case .leftParen: "("
        case .rightParen: ")"
        case .leftBrace: "{"
        case .rightBrace: "}"
        case .leftBracket: "["
        case .rightBracket: "]"
        case .comma: ","
        case .eql: "="
        case .colon: ":"
        case .sub: "-"
        case .add: "+"
        case .mul: "*"
        case .mod: "%"
        case .div: "/"
        case .eqlc: "=="
        case .neq: "!="
        case .lte: "<="
        case .lss: "<"
        case .gte: ">="
        case .gtr: ">"
        case .trimUpper: "</"
        case .trimLower: ">/"
        case .eqlRegex: "=~"
        case .neqRegex: "!~"
        case .pow: "^"
        case .at: "@"
        default: TokenKind.keywords.first { $0.value == self }?.key
        }
    }

    /// Lower-case words the lexer turns into keyword tokens (`inf`/`nan` are numbers).
    static let keywords: [String: TokenKind] = [
        "and": .land, "or": .lor, "unless": .lunless, "atan2": .atan2,
        "sum": .sum, "avg": .avg, "count": .count, "min": .min, "max": .max, "group": .group,
        "stddev": .stddev, "stdvar": .stdvar, "topk": .topk, "bottomk": .bottomk,
        "count_values": .countValues, "quantile": .quantile, "limitk": .limitk,
        "limit_ratio": .limitRatio,
        "offset": .offset, "smoothed": .smoothed, "anchored": .anchored, "by": .by,
        "without": .without, "on": .on, "ignoring": .ignoring, "group_left": .groupLeft,
        "group_right": .groupRight, "fill": .fill, "fill_left": .fillLeft,
        "fill_right": .fillRight, "bool": .bool,
        "start": .start, "end": .end, "step": .step, "range": .range, "max_of": .maxOf,
        "min_of": .minOf,
    ]

    /// Prometheus's `ItemType.desc()` for kinds without a fixed spelling.
    var kindDescription: String {
        switch self {
        case .eof: "end of input"
        case .comment: "comment"
        case .identifier: "identifier"
        case .metricIdentifier: "metric identifier"
        case .string: "string"
        case .number: "number"
        case .duration: "duration"
        default: fixedText.map { goQuote($0) } ?? "\(self)"
        }
    }
}

/// A byte range `[start, end)` in the query text, as Prometheus's `posrange.PositionRange`.
package struct PositionRange: Sendable, Hashable {
    /// Byte offset of the first byte.
    package var start: Int
    /// Byte offset just past the last byte.
    package var end: Int

    /// A range from `start` up to, not including, `end`.
    package init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }
}

/// One token: its kind and the byte range of its text in the input (get the text with
/// `Lexer.text(of:)`).
package struct Token: Sendable, Hashable {
    /// What the token is.
    package var kind: TokenKind
    /// Byte offset of the first byte of the token.
    package var position: Int
    /// Byte offset just past the token.
    package var end: Int

    /// A token of `kind` covering bytes `position..<end`.
    package init(_ kind: TokenKind, position: Int, end: Int) {
        self.kind = kind
        self.position = position
        self.end = end
    }

    /// The token's bytes as a range.
    package var positionRange: PositionRange { PositionRange(start: position, end: end) }
}

extension Token {
    /// Prometheus's `Item.String()`: how a token is shown inside messages.
    func display(_ text: String) -> String {
        switch kind {
        case .eof: return "EOF"
        case .identifier, .metricIdentifier: return goQuote(text)
        default:
            if kind.isKeyword { return "<\(text)>" }
            if kind.isOperator { return "<op:\(text)>" }
            if kind.isAggregator { return "<aggr:\(text)>" }
            if text.utf8.count > 10 { return goQuote(text, maxScalars: 10) + "..." }
            return goQuote(text)
        }
    }

    /// Prometheus's `Item.desc()`: `"}"`, `identifier "foo"`, `end of input`, `<op:+>`.
    func describe(_ text: String) -> String {
        if kind == .eof { return kind.kindDescription }
        if kind.fixedText != nil { return display(text) }
        return "\(kind.kindDescription) \(display(text))"
    }
}
