// Grafana's ad-hoc filters (`filters`, formerly `adhocFilters`) as label matchers, and the rewrite
// that adds them to every selector of a PromQL expression, as Grafana's Prometheus data source does.

internal import MetricModel
internal import PromQL

enum AdHocFilters {
    /// The matchers of `filters` and `adhocFilters` (both read, in that order). Each filter is
    /// `{key, operator, value}` with operator `=`, `!=`, `=~` or `!~`; Grafana's `<` and `>`
    /// compare numbers, which no label matcher does, so they are rejected.
    static func matchers(_ body: JSONField) throws(APIError) -> [LabelMatcher] {
        var matchers: [LabelMatcher] = []
        for key in ["filters", "adhocFilters"] {
            for filter in try body[key].array() ?? [] {
                guard try filter.object() else { throw filter.invalid("must be an object") }
                let name = try filter["key"].requiredString()
                if name.isEmpty { throw filter["key"].invalid("must not be empty") }
                let op = try filter["operator"].requiredString()
                guard let type = MatchType(rawValue: op) else {
                    throw filter["operator"].invalid("operator \(goQuote(op)) is not supported (use =, !=, =~ or !~)")
                }
                let value = try filter["value"].string() ?? ""
                do { matchers.append(try LabelMatcher(type, name, value)) } catch {
                    throw filter["value"].invalid("\(error)")
                }
            }
        }
        return matchers
    }
}

extension Expr {
    /// The expression with `extra` added to the matchers of every vector selector, including
    /// those inside range selectors, subqueries, calls and aggregations.
    ///
    /// ```swift
    /// try parseExpr("sum(rate(x[5m]))").addingMatchers([LabelMatcher(.equal, "job", "api")])
    /// // sum(rate(x{job="api"}[5m]))
    /// ```
    func addingMatchers(_ extra: [LabelMatcher]) -> Expr {
        if extra.isEmpty { return self }
        switch self {
        case .vectorSelector(var selector):
            selector.matchers += extra
            return .vectorSelector(selector)
        case .matrixSelector(var selector):
            selector.vectorSelector.matchers += extra
            return .matrixSelector(selector)
        case .numberLiteral, .stringLiteral:
            return self
        case .paren(var paren):
            paren.expr = paren.expr.addingMatchers(extra)
            return .paren(paren)
        case .unary(var unary):
            unary.expr = unary.expr.addingMatchers(extra)
            return .unary(unary)
        case .binary(var binary):
            binary.lhs = binary.lhs.addingMatchers(extra)
            binary.rhs = binary.rhs.addingMatchers(extra)
            return .binary(binary)
        case .call(var call):
            call.args = call.args.map { $0.addingMatchers(extra) }
            return .call(call)
        case .aggregate(var aggregate):
            aggregate.expr = aggregate.expr.addingMatchers(extra)
            aggregate.param = aggregate.param?.addingMatchers(extra)
            return .aggregate(aggregate)
        case .subquery(var subquery):
            subquery.expr = subquery.expr.addingMatchers(extra)
            return .subquery(subquery)
        }
    }
}
