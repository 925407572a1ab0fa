// Builders for expression trees and results, so engine tests do not depend on the parser.

import MetricModel
import PromQL
import Testing

let noPosition = PositionRange(start: 0, end: 0)

/// `name{label="value", …}` with optional offset and `@`.
func sel(_ name: String?, _ matchers: [(String, String)] = [], offset: Int64 = 0, at: AtModifier? = nil) -> Expr {
    .vectorSelector(vectorSelector(name, matchers, offset: offset, at: at))
}

func vectorSelector(_ name: String?, _ matchers: [(String, String)] = [], offset: Int64 = 0, at: AtModifier? = nil) -> VectorSelector {
    var ms = matchers.map { try! LabelMatcher(.equal, $0.0, $0.1) }
    if let name { ms.append(try! LabelMatcher(.equal, "__name__", name)) }
    return VectorSelector(name: name, matchers: ms, offsetMilliseconds: offset, atModifier: at, positionRange: noPosition)
}

/// `selector[range]`.
func range(_ name: String?, _ matchers: [(String, String)] = [], _ rangeMs: Int64, offset: Int64 = 0, at: AtModifier? = nil) -> Expr {
    .matrixSelector(MatrixSelector(vectorSelector: vectorSelector(name, matchers, offset: offset, at: at), rangeMilliseconds: rangeMs, endPosition: 0))
}

func num(_ v: Double) -> Expr { .numberLiteral(NumberLiteral(value: v, positionRange: noPosition)) }
func str(_ s: String) -> Expr { .stringLiteral(StringLiteral(value: s, positionRange: noPosition)) }

func bin(_ op: BinaryOperator, _ l: Expr, _ r: Expr, matching: VectorMatching? = nil, bool: Bool = false) -> Expr {
    var m = matching
    if m == nil && l.type == .vector && r.type == .vector {
        m = VectorMatching(cardinality: op.isSetOperator ? .manyToMany : .oneToOne)
    }
    return .binary(BinaryExpr(op: op, lhs: l, rhs: r, matching: m, returnBool: bool))
}

func call(_ name: String, _ args: Expr..., returns: ValueType = .vector) -> Expr {
    .call(Call(function: PromQLFunction(name: name, argTypes: [], returnType: returns), args: args, positionRange: noPosition))
}

func agg(_ op: AggregationOperator, _ e: Expr, param: Expr? = nil, by: [String] = [], without: Bool = false) -> Expr {
    .aggregate(AggregateExpr(op: op, expr: e, param: param, grouping: by, without: without, positionRange: noPosition))
}

func subquery(_ e: Expr, range: Int64, step: Int64 = 0, offset: Int64 = 0, at: AtModifier? = nil) -> Expr {
    .subquery(SubqueryExpr(expr: e, rangeMilliseconds: range, stepMilliseconds: step, offsetMilliseconds: offset, atModifier: at, endPosition: 0))
}

let minute: Int64 = 60_000

/// An engine over a storage loaded from promqltest `load` syntax.
func engine(_ script: String, options: EngineOptions = EngineOptions()) throws -> Engine {
    Engine(querier: try MemoryStorage(loading: script), options: options)
}

/// The instant vector result as `labels => value`, sorted by labels.
func vector(_ result: QueryResult) -> [String: Double] {
    guard case .vector(let v) = result.value else { return [:] }
    var out: [String: Double] = [:]
    for s in v { out[s.labels.description] = s.value }
    return out
}

/// The matrix result as `labels => [values]`.
func matrix(_ result: QueryResult) -> [String: [Double]] {
    guard case .matrix(let m) = result.value else { return [:] }
    var out: [String: [Double]] = [:]
    for s in m { out[s.labels.description] = s.samples.map(\.value) }
    return out
}

func scalar(_ result: QueryResult) -> Double? {
    if case .scalar(_, let v) = result.value { return v }
    return nil
}
