// The PromQL syntax tree (`promql/parser/ast.go` of Prometheus 3.x): one `Expr` enum whose cases
// carry structs named as in Prometheus. The parser builds it, the printer prints it back
// (`AST+Printer.swift`) and the engine evaluates it (`Engine/`).

package import MetricModel

/// A PromQL expression.
package indirect enum Expr: Sendable, Equatable, CustomStringConvertible {
    /// `metric{label="value"} @ 123 offset 5m`: an instant vector selector.
    case vectorSelector(VectorSelector)
    /// `metric{label="value"}[5m]`: a range vector selector.
    case matrixSelector(MatrixSelector)
    /// `1`, `0x1f`, `Inf`, `5m` (a duration used as a number: seconds).
    case numberLiteral(NumberLiteral)
    /// `"text"`.
    case stringLiteral(StringLiteral)
    /// `(expr)`.
    case paren(ParenExpr)
    /// `-expr`, `+expr`.
    case unary(UnaryExpr)
    /// `lhs op [bool] [on|ignoring (…)] [group_left|group_right (…)] [fill…] rhs`.
    case binary(BinaryExpr)
    /// `name(args…)`.
    case call(Call)
    /// `sum by (job) (expr)`, `topk(5, expr)`.
    case aggregate(AggregateExpr)
    /// `expr[range:step] @ t offset d`.
    case subquery(SubqueryExpr)

    /// The value type the expression evaluates to (Prometheus's `Type()`).
    package var type: ValueType {
        switch self {
        case .vectorSelector: .vector
        case .matrixSelector: .matrix
        case .numberLiteral: .scalar
        case .stringLiteral: .string
        case .paren(let p): p.expr.type
        case .unary(let u): u.expr.type
        case .binary(let b): (b.lhs.type == .scalar && b.rhs.type == .scalar) ? .scalar : .vector
        case .call(let c): c.function.returnType
        case .aggregate: .vector
        case .subquery: .matrix
        }
    }

    /// Where the expression is in the query, in bytes (Prometheus's `PositionRange()`).
    package var positionRange: PositionRange {
        switch self {
        case .vectorSelector(let vs): vs.positionRange
        case .matrixSelector(let ms): ms.positionRange
        case .numberLiteral(let n): n.positionRange
        case .stringLiteral(let s): s.positionRange
        case .paren(let p): p.positionRange
        case .unary(let u): PositionRange(start: u.startPosition, end: u.expr.positionRange.end)
        case .binary(let b): PositionRange(start: b.lhs.positionRange.start, end: b.rhs.positionRange.end)
        case .call(let c): c.positionRange
        case .aggregate(let a): a.positionRange
        case .subquery(let s): PositionRange(start: s.expr.positionRange.start, end: s.endPosition)
        }
    }

    /// The expression as Prometheus prints it (`Expr.String()`), e.g. `a{b="c"}[5m] offset 1m`.
    package var description: String { printed(self) }
}

/// A number literal. `isDuration` marks one written as a duration (`5m` → 300), which the
/// printer writes back as a duration.
package struct NumberLiteral: Sendable, Equatable {
    package var value: Double
    package var isDuration: Bool
    package var positionRange: PositionRange

    package init(value: Double, isDuration: Bool = false, positionRange: PositionRange) {
        self.value = value
        self.isDuration = isDuration
        self.positionRange = positionRange
    }

    /// Equality by bits, so that NaN literals compare equal to themselves.
    package static func == (lhs: NumberLiteral, rhs: NumberLiteral) -> Bool {
        lhs.value.bitPattern == rhs.value.bitPattern && lhs.isDuration == rhs.isDuration
            && lhs.positionRange == rhs.positionRange
    }
}

/// A string literal, unquoted.
package struct StringLiteral: Sendable, Equatable {
    package var value: String
    package var positionRange: PositionRange
    /// The literal's bytes when its escapes make them invalid UTF-8 (`"a\xc5z"`): `value` holds
    /// them repaired with U+FFFD, these as written, for messages that quote the literal.
    package var invalidUTF8: [UInt8]?

    package init(value: String, positionRange: PositionRange, invalidUTF8: [UInt8]? = nil) {
        self.value = value
        self.positionRange = positionRange
        self.invalidUTF8 = invalidUTF8
    }

    /// The literal quoted as Go's `strconv.Quote` does, invalid bytes as `\xNN`.
    package var goQuoted: String { invalidUTF8.map { goQuote(utf8: $0) } ?? goQuote(value) }
}

/// `(expr)`.
package struct ParenExpr: Sendable, Equatable {
    package var expr: Expr
    package var positionRange: PositionRange

    package init(expr: Expr, positionRange: PositionRange) {
        self.expr = expr
        self.positionRange = positionRange
    }
}

/// `-expr` or `+expr` (only `.add` and `.sub`).
package struct UnaryExpr: Sendable, Equatable {
    package var op: UnaryOperator
    package var expr: Expr
    package var startPosition: Int

    package init(op: UnaryOperator, expr: Expr, startPosition: Int) {
        self.op = op
        self.expr = expr
        self.startPosition = startPosition
    }
}

package enum UnaryOperator: String, Sendable, Hashable {
    case add = "+"
    case sub = "-"
}

/// The binary operators, spelled as Prometheus prints them.
package enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
    case add = "+", sub = "-", mul = "*", div = "/", mod = "%", pow = "^", atan2 = "atan2"
    case eql = "==", neq = "!=", gtr = ">", lss = "<", gte = ">=", lte = "<="
    case and = "and", or = "or", unless = "unless"
    /// Native-histogram trim operators `</` and `>/` (experimental).
    case trimUpper = "</", trimLower = ">/"

    /// `==`, `!=`, `>`, `<`, `>=`, `<=`: filter unless `bool` is given.
    package var isComparison: Bool {
        switch self {
        case .eql, .neq, .gtr, .lss, .gte, .lte: true
        default: false
        }
    }

    /// `and`, `or`, `unless`: set operators, many-to-many matching.
    package var isSetOperator: Bool {
        switch self {
        case .and, .or, .unless: true
        default: false
        }
    }
}

/// `lhs op rhs` with its vector matching.
package struct BinaryExpr: Sendable, Equatable {
    package var op: BinaryOperator
    package var lhs: Expr
    package var rhs: Expr
    /// Set when both sides are vectors (Prometheus sets it then, even without `on`/`ignoring`).
    package var matching: VectorMatching?
    /// `bool` after a comparison operator.
    package var returnBool: Bool

    package init(op: BinaryOperator, lhs: Expr, rhs: Expr, matching: VectorMatching? = nil, returnBool: Bool = false) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self.matching = matching
        self.returnBool = returnBool
    }
}

/// How the two sides of a binary operation between vectors are matched.
package struct VectorMatching: Sendable, Equatable {
    package enum Cardinality: String, Sendable, Hashable {
        case oneToOne = "one-to-one"
        case manyToOne = "many-to-one"
        case oneToMany = "one-to-many"
        case manyToMany = "many-to-many"
    }

    package var cardinality: Cardinality
    /// The labels of `on (…)` or `ignoring (…)`.
    package var matchingLabels: [String]
    /// True for `on (…)`, false for `ignoring (…)` (or neither).
    package var on: Bool
    /// The labels of `group_left (…)` / `group_right (…)` copied from the "one" side.
    package var include: [String]
    /// `fill(v)`, `fill_left(v)`, `fill_right(v)` (experimental): the value a missing side takes.
    package var fillLeft: Double?
    package var fillRight: Double?

    package init(
        cardinality: Cardinality = .oneToOne, matchingLabels: [String] = [], on: Bool = false, include: [String] = [],
        fillLeft: Double? = nil, fillRight: Double? = nil
    ) {
        self.cardinality = cardinality
        self.matchingLabels = matchingLabels
        self.on = on
        self.include = include
        self.fillLeft = fillLeft
        self.fillRight = fillRight
    }

    package static func == (lhs: VectorMatching, rhs: VectorMatching) -> Bool {
        lhs.cardinality == rhs.cardinality && lhs.matchingLabels == rhs.matchingLabels && lhs.on == rhs.on
            && lhs.include == rhs.include && lhs.fillLeft?.bitPattern == rhs.fillLeft?.bitPattern
            && lhs.fillRight?.bitPattern == rhs.fillRight?.bitPattern
    }
}

/// A function call; `function` comes from the function table (``PromQLFunction/named(_:)``).
package struct Call: Sendable, Equatable {
    package var function: PromQLFunction
    package var args: [Expr]
    package var positionRange: PositionRange

    package init(function: PromQLFunction, args: [Expr], positionRange: PositionRange) {
        self.function = function
        self.args = args
        self.positionRange = positionRange
    }
}

/// A PromQL function's signature (Prometheus's `Function`).
package struct PromQLFunction: Sendable, Hashable {
    package var name: String
    /// Argument types in order; with `variadic` != 0 the last one repeats.
    package var argTypes: [ValueType]
    /// 0: exactly `argTypes.count` arguments; n > 0: up to n more of the last type;
    /// -1: any number more. (Prometheus: `Variadic`.)
    package var variadic: Int
    package var returnType: ValueType
    /// Behind `--enable-feature=promql-experimental-functions` in Prometheus.
    package var experimental: Bool

    package init(name: String, argTypes: [ValueType], variadic: Int = 0, returnType: ValueType, experimental: Bool = false) {
        self.name = name
        self.argTypes = argTypes
        self.variadic = variadic
        self.returnType = returnType
        self.experimental = experimental
    }
}

/// The aggregation operators.
package enum AggregationOperator: String, Sendable, Hashable, CaseIterable {
    case sum, avg, count, min, max, group, stddev, stdvar, topk, bottomk, quantile
    case countValues = "count_values"
    case limitk
    case limitRatio = "limit_ratio"

    /// Whether the operator takes a parameter before the expression (`topk(5, x)`).
    package var takesParameter: Bool {
        switch self {
        case .topk, .bottomk, .quantile, .countValues, .limitk, .limitRatio: true
        default: false
        }
    }
}

/// `op [by|without (labels)] ([param,] expr)`.
package struct AggregateExpr: Sendable, Equatable {
    package var op: AggregationOperator
    package var expr: Expr
    package var param: Expr?
    package var grouping: [String]
    /// `without (…)` rather than `by (…)`.
    package var without: Bool
    package var positionRange: PositionRange

    package init(
        op: AggregationOperator, expr: Expr, param: Expr? = nil, grouping: [String] = [], without: Bool = false,
        positionRange: PositionRange
    ) {
        self.op = op
        self.expr = expr
        self.param = param
        self.grouping = grouping
        self.without = without
        self.positionRange = positionRange
    }
}

/// `expr[range:step]` with its own `offset` and `@`.
package struct SubqueryExpr: Sendable, Equatable {
    package var expr: Expr
    package var rangeMilliseconds: Int64
    /// The step as written; 0 when omitted (the engine uses its default step then).
    package var stepMilliseconds: Int64
    package var offsetMilliseconds: Int64
    package var atModifier: AtModifier?
    /// Duration expressions (experimental), when the range, step or offset was written as one;
    /// the engine evaluates these at query time (they may use `step()` and `range()`).
    package var rangeExpression: DurationExpr?
    package var stepExpression: DurationExpr?
    package var offsetExpression: DurationExpr?
    package var endPosition: Int

    package init(
        expr: Expr, rangeMilliseconds: Int64, stepMilliseconds: Int64 = 0, offsetMilliseconds: Int64 = 0,
        atModifier: AtModifier? = nil, endPosition: Int
    ) {
        self.expr = expr
        self.rangeMilliseconds = rangeMilliseconds
        self.stepMilliseconds = stepMilliseconds
        self.offsetMilliseconds = offsetMilliseconds
        self.atModifier = atModifier
        self.endPosition = endPosition
    }
}

/// An experimental duration expression (`[5m + step()]`, `offset (1h * 2)`), kept as a tree when
/// it cannot be folded at parse time (it mentions `step()` or `range()`).
package indirect enum DurationExpr: Sendable, Equatable {
    /// A duration literal (`5m`, `-1h30m`), in milliseconds.
    case literal(milliseconds: Int64)
    /// A plain number of seconds (`30`, `1.5`, `-2`), printed as written.
    case number(Double)
    /// `step()`: the query's step (0 for instant queries).
    case step
    /// `range()`: the range query's `end - start` (0 for instant queries).
    case range
    case negate(DurationExpr)
    case binary(BinaryOperator, DurationExpr, DurationExpr)
    case minOf(DurationExpr, DurationExpr)
    case maxOf(DurationExpr, DurationExpr)
    case paren(DurationExpr)
}

/// The value types of PromQL, named as Prometheus documents them in errors.
package enum ValueType: String, Sendable, Hashable {
    case none = "none"
    case vector = "instant vector"
    case matrix = "range vector"
    case scalar = "scalar"
    case string = "string"
}

/// The `@` modifier of a selector (or, later, a subquery).
package enum AtModifier: Sendable, Hashable {
    /// `@ 1609746000`: a fixed evaluation time, in milliseconds since the epoch.
    case timestamp(Timestamp)
    /// `@ start()`: the start of the range query (the query time for instant queries).
    case start
    /// `@ end()`: the end of the range query (the query time for instant queries).
    case end
}

/// An instant vector selector: `name{matchers} @ at offset offset`.
package struct VectorSelector: Sendable, Equatable {
    /// The metric name written before the braces; nil for `{…}` and `{"name"}` forms.
    package var name: String?
    /// All matchers in source order. A `name` written before the braces is included as
    /// a final `__name__="name"` matcher, as Prometheus does.
    package var matchers: [LabelMatcher]
    /// The `offset` as written, in milliseconds; negative for `offset -5m`, 0 when absent.
    package var offsetMilliseconds: Int64
    /// The `@` modifier, if any.
    package var atModifier: AtModifier?
    /// From the name (or `{`) to the end of the last modifier, in bytes.
    package var positionRange: PositionRange
    /// The `offset` written as a duration expression (experimental), evaluated at query time.
    package var offsetExpression: DurationExpr?
    /// `anchored` / `smoothed` (experimental extended range selectors).
    package var anchored = false
    package var smoothed = false

    /// A selector; `matchers` must already include the `__name__` matcher for `name`.
    package init(
        name: String?, matchers: [LabelMatcher], offsetMilliseconds: Int64 = 0, atModifier: AtModifier? = nil,
        positionRange: PositionRange
    ) {
        self.name = name
        self.matchers = matchers
        self.offsetMilliseconds = offsetMilliseconds
        self.atModifier = atModifier
        self.positionRange = positionRange
    }

    /// Equality of everything, matchers compared by type, name and value.
    package static func == (lhs: VectorSelector, rhs: VectorSelector) -> Bool {
        lhs.name == rhs.name && lhs.offsetMilliseconds == rhs.offsetMilliseconds
            && lhs.atModifier == rhs.atModifier && lhs.positionRange == rhs.positionRange
            && lhs.offsetExpression == rhs.offsetExpression && lhs.anchored == rhs.anchored
            && lhs.smoothed == rhs.smoothed
            && lhs.matchers.count == rhs.matchers.count
            && zip(lhs.matchers, rhs.matchers).allSatisfy {
                $0.type == $1.type && $0.name == $1.name && $0.value == $1.value
            }
    }
}

/// A range vector selector: `selector[range]`; modifiers live on the inner selector.
package struct MatrixSelector: Sendable, Equatable {
    /// The selector whose samples the range covers; carries `offset` and `@`.
    package var vectorSelector: VectorSelector
    /// The range, in milliseconds. The written range is always > 0; a sub-millisecond one
    /// (`[0.0001]`) truncates to 0 here, as Prometheus's engine truncates it.
    package var rangeMilliseconds: Int64
    /// Byte offset just past the `]` or the last modifier.
    package var endPosition: Int
    /// The range written as a duration expression (experimental), evaluated at query time.
    package var rangeExpression: DurationExpr?

    /// A range selector over `vectorSelector`.
    package init(vectorSelector: VectorSelector, rangeMilliseconds: Int64, endPosition: Int) {
        self.vectorSelector = vectorSelector
        self.rangeMilliseconds = rangeMilliseconds
        self.endPosition = endPosition
    }

    /// From the start of the selector to `endPosition`.
    package var positionRange: PositionRange {
        PositionRange(start: vectorSelector.positionRange.start, end: endPosition)
    }
}
