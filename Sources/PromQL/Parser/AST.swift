// The PromQL syntax tree (`promql/parser/ast.go`). Only selectors exist so far; the other
// node kinds (number and string literals, parentheses, unary and binary expressions,
// function calls, aggregations, subqueries) become further `Expr` cases (issue #4).

package import MetricModel

/// A PromQL expression.
///
/// New node kinds are added as cases; their payloads are structs named as in Prometheus
/// (`BinaryExpr`, `Call`, `AggregateExpr`, `SubqueryExpr`, …) holding child `Expr`s, which
/// is why the enum is `indirect`.
package indirect enum Expr: Sendable, Equatable, CustomStringConvertible {
    /// `metric{label="value"} @ 123 offset 5m`: an instant vector selector.
    case vectorSelector(VectorSelector)
    /// `metric{label="value"}[5m]`: a range vector selector.
    case matrixSelector(MatrixSelector)

    /// The value type the expression evaluates to.
    package var type: ValueType {
        switch self {
        case .vectorSelector: .vector
        case .matrixSelector: .matrix
        }
    }

    /// Where the expression is in the query, in bytes.
    package var positionRange: PositionRange {
        switch self {
        case .vectorSelector(let vs): vs.positionRange
        case .matrixSelector(let ms): ms.positionRange
        }
    }

    /// The expression as Prometheus prints it (`Expr.String()`), e.g. `a{b="c"}[5m] offset 1m`.
    package var description: String {
        switch self {
        case .vectorSelector(let vs): vs.description
        case .matrixSelector(let ms): ms.description
        }
    }
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
