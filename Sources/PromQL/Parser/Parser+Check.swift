// Parser: the checks Prometheus runs on a parsed tree (`checkAST` in parse.go) — operand and
// argument types, vector matching, selectors that could match everything — with its messages,
// positions and order, so the first error reported is Prometheus's first error. Like
// checkAST it also completes binary expressions' vector matching.

import MetricModel

extension Parser {
    /// Checks `expr` and completes its vector matching: none unless both sides are instant
    /// vectors, many-to-many for `and`, `or`, `unless`.
    func check(_ expr: inout Expr) throws(ParseError) {
        _ = try checkedType(&expr)
    }

    /// Prometheus's `checkAST(node)`: checks the subtree, returns its type.
    private func checkedType(_ expr: inout Expr, bypassEmptyMatcherCheck: Bool = false) throws(ParseError) -> ValueType {
        switch expr {
        case .vectorSelector(let vs):
            try check(vs, bypassEmptyMatcherCheck: bypassEmptyMatcherCheck)
        case .matrixSelector(let ms):
            try check(ms.vectorSelector, bypassEmptyMatcherCheck: false)
        case .numberLiteral, .stringLiteral:
            break
        case .paren(var paren):
            _ = try checkedType(&paren.expr)
            expr = .paren(paren)
        case .unary(var unary):
            let type = try checkedType(&unary.expr)
            expr = .unary(unary)
            if type != .scalar && type != .vector {
                let message = "unary expression only allowed on expressions of type scalar or instant vector, got \(goQuote(type.rawValue))"
                throw error(.invalid, message, at: expr.positionRange)
            }
        case .binary(var binary):
            try check(&binary)
            expr = .binary(binary)
        case .call(var call):
            try check(&call)
            expr = .call(call)
        case .aggregate(var aggregate):
            try expectType(&aggregate.expr, .vector, in: "aggregation expression")
            switch aggregate.op {
            case .topk, .bottomk, .quantile, .limitk, .limitRatio:
                if var param = aggregate.param {
                    try expectType(&param, .scalar, in: "aggregation parameter")
                    aggregate.param = param
                }
            case .countValues:
                if var param = aggregate.param {
                    try expectType(&param, .string, in: "aggregation parameter")
                    aggregate.param = param
                }
            default:
                break
            }
            expr = .aggregate(aggregate)
        case .subquery(var subquery):
            let type = try checkedType(&subquery.expr)
            expr = .subquery(subquery)
            if type != .vector {
                let message = "subquery is only allowed on instant vector, got \(type.goName) instead"
                throw error(.invalid, message, at: expr.positionRange)
            }
        }
        return expr.type
    }

    /// Prometheus's `expectType`: checks `expr`, which must be of type `wanted`.
    private func expectType(_ expr: inout Expr, _ wanted: ValueType, in context: String) throws(ParseError) {
        let type = try checkedType(&expr)
        if type != wanted {
            let message = "expected type \(wanted.rawValue) in \(context), got \(type.rawValue)"
            throw error(.invalid, message, at: expr.positionRange)
        }
    }

    private func check(_ binary: inout BinaryExpr) throws(ParseError) {
        let lhsType = try checkedType(&binary.lhs)
        let rhsType = try checkedType(&binary.rhs)
        let op = binary.op
        let whole = PositionRange(start: binary.lhs.positionRange.start, end: binary.rhs.positionRange.end)
        if binary.returnBool && !op.isComparison {
            throw error(.invalid, "bool modifier can only be used on comparison operators", at: operatorRange(binary))
        }
        if op.isComparison && !binary.returnBool && lhsType == .scalar && rhsType == .scalar {
            throw error(.invalid, "comparisons between scalars must use BOOL modifier", at: operatorRange(binary))
        }
        var matching = binary.matching ?? VectorMatching()
        if op.isSetOperator && matching.cardinality == .oneToOne { matching.cardinality = .manyToMany }
        if matching.on, let label = matching.matchingLabels.first(where: matching.include.contains) {
            let message = "label \(goQuote(label)) must not occur in ON and GROUP clause at once"
            throw error(.invalid, message, at: operatorRange(binary))
        }
        let onlyScalarsAndVectors = "binary expression must contain only scalar and instant vector types"
        if lhsType != .scalar && lhsType != .vector {
            throw error(.invalid, onlyScalarsAndVectors, at: binary.lhs.positionRange)
        }
        if rhsType != .scalar && rhsType != .vector {
            throw error(.invalid, onlyScalarsAndVectors, at: binary.rhs.positionRange)
        }
        let fills = matching.fillLeft != nil || matching.fillRight != nil
        if lhsType != .vector || rhsType != .vector {
            if !matching.matchingLabels.isEmpty {
                throw error(.invalid, "vector matching only allowed between instant vectors", at: whole)
            }
            if fills {
                throw error(.invalid, "filling in missing series only allowed between instant vectors", at: whole)
            }
            binary.matching = nil
        } else {
            if op.isSetOperator {
                if matching.cardinality == .oneToMany || matching.cardinality == .manyToOne {
                    throw error(.invalid, "no grouping allowed for \(goQuote(op.rawValue)) operation", at: whole)
                }
                if matching.cardinality != .manyToMany {
                    throw error(.invalid, "set operations must always be many-to-many", at: whole)
                }
                if fills { throw error(.invalid, "filling in missing series not allowed for set operators", at: whole) }
            }
            binary.matching = matching
        }
        if (lhsType == .scalar || rhsType == .scalar) && op.isSetOperator {
            throw error(.invalid, "set operator \(goQuote(op.rawValue)) not allowed in binary scalar expression", at: whole)
        }
    }

    /// The operator between the operands, spaces trimmed (only its start is reported).
    private func operatorRange(_ binary: BinaryExpr) -> PositionRange {
        let input = lexer.input
        var start = binary.lhs.positionRange.end
        while start < input.count, isSpaceByte(input[start]) { start += 1 }
        var end = binary.rhs.positionRange.start - 1
        while end > start, isSpaceByte(input[end]) { end -= 1 }
        return PositionRange(start: start, end: end)
    }

    private func check(_ call: inout Call) throws(ParseError) {
        let function = call.function
        let name = goQuote(function.name)
        let declared = function.argTypes.count
        let count = call.args.count
        if function.variadic == 0 {
            if declared != count {
                throw error(.invalid, "expected \(declared) argument(s) in call to \(name), got \(count)", at: call.positionRange)
            }
        } else {
            let required = declared - 1
            if required > count {
                throw error(
                    .invalid, "expected at least \(required) argument(s) in call to \(name), got \(count)", at: call.positionRange)
            }
            if function.variadic > 0 && required + function.variadic < count {
                let message = "expected at most \(required + function.variadic) argument(s) in call to \(name), got \(count)"
                throw error(.invalid, message, at: call.positionRange)
            }
        }
        var bypass = false
        if function.name == "info" && count > 1 {
            let labels = call.args[1]
            if labels.type != .vector {
                let message = "expected type instant vector in call to function \(name), got \(labels.type.rawValue)"
                throw error(.invalid, message, at: call.positionRange)
            }
            guard case .vectorSelector(let vs) = labels else {
                throw error(.invalid, "expected label selectors only", at: labels.positionRange)
            }
            if vs.name != nil {
                throw error(.invalid, "expected label selectors only, got vector selector instead", at: labels.positionRange)
            }
            bypass = true
        }
        for i in call.args.indices {
            var typeIndex = i
            if i >= declared {
                if function.variadic == 0 { break }
                typeIndex = declared - 1
            }
            let type = try checkedType(&call.args[i], bypassEmptyMatcherCheck: bypass && i == 1)
            if type != function.argTypes[typeIndex] {
                let message = "expected type \(function.argTypes[typeIndex].rawValue) in call to function \(name), got \(type.rawValue)"
                throw error(.invalid, message, at: call.args[i].positionRange)
            }
        }
    }

    /// Rejects selectors that set the metric name twice or could match every series.
    private func check(_ vs: VectorSelector, bypassEmptyMatcherCheck: Bool) throws(ParseError) {
        if let name = vs.name {
            // The last matcher is the one for `name`; any other `__name__` matcher repeats it.
            for m in vs.matchers.dropLast() where m.name == "__name__" {
                throw error(
                    .invalid, "metric name must not be set twice: \(goQuote(name)) or \(goQuote(m.value))",
                    at: vs.positionRange)
            }
            return
        }
        if !bypassEmptyMatcherCheck && !vs.matchers.contains(where: { !$0.matchesEmpty }) {
            throw error(.invalid, "vector selector must contain at least one non-empty matcher", at: vs.positionRange)
        }
    }
}

extension ValueType {
    /// The type as Go's `ValueType.String()` spells it (`vector`, `matrix`), used in the
    /// subquery error where Prometheus does not use the documented name.
    var goName: String {
        switch self {
        case .vector: "vector"
        case .matrix: "matrix"
        default: rawValue
        }
    }
}
