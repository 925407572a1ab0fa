// A one-line dump of a parsed tree in the form our Prometheus comparison harness prints for
// Prometheus's own AST (every field the parser sets, positions as `@start-end`), so expected
// trees in tests can be taken from Prometheus and compared as text.

import MetricModel
import PromQL

/// `B(+,false,nil,N(1,false)@0-1,N(2,false)@4-5)@0-5` for `1 + 2`; see the cases in
/// `ParserTreeTests` for every node. `canonical` leaves positions out and sorts matchers, for
/// trees that were printed and parsed again.
func prometheusDump(_ expr: Expr, canonical: Bool = false) -> String {
    let sub = { (e: Expr) in prometheusDump(e, canonical: canonical) }
    let position = { (r: PositionRange) in canonical ? "" : "@\(r.start)-\(r.end)" }
    switch expr {
    case .vectorSelector(let vs): return dumpSelector(vs, canonical: canonical)
    case .matrixSelector(let ms):
        let range = ms.rangeExpression.map { "expr:" + dump($0) } ?? "\(ms.rangeMilliseconds)"
        return "MS(\(dumpSelector(ms.vectorSelector, canonical: canonical));range=\(range))" + position(ms.positionRange)
    case .numberLiteral(let n): return "N(\(goFormatG(n.value)),\(n.isDuration))" + position(n.positionRange)
    case .stringLiteral(let s): return "S(\(goQuote(s.value)))" + position(s.positionRange)
    case .paren(let p): return "P(\(sub(p.expr)))" + position(p.positionRange)
    case .unary(let u): return "U(\(u.op.rawValue),\(sub(u.expr)))" + position(expr.positionRange)
    case .binary(let b):
        var matching = "nil"
        if let vm = b.matching {
            let fills = (vm.fillLeft.map(goFormatG) ?? "nil") + "," + (vm.fillRight.map(goFormatG) ?? "nil")
            matching = "M(\(vm.cardinality.rawValue),\(vm.on),\(list(vm.matchingLabels)),\(list(vm.include)),\(fills))"
        }
        return "B(\(b.op.rawValue),\(b.returnBool),\(matching),\(sub(b.lhs)),\(sub(b.rhs)))"
            + position(expr.positionRange)
    case .call(let c):
        return "C(\(c.function.name);\(c.args.map(sub).joined(separator: ";")))" + position(c.positionRange)
    case .aggregate(let a):
        let param = a.param.map(sub) ?? "nil"
        return "A(\(a.op.rawValue),\(a.without),\(list(a.grouping)),\(param),\(sub(a.expr)))"
            + position(a.positionRange)
    case .subquery(let s):
        let range = s.rangeExpression.map { "expr:" + dump($0) } ?? "\(s.rangeMilliseconds)"
        let step = s.stepExpression.map { "expr:" + dump($0) } ?? "\(s.stepMilliseconds)"
        let offset = dumpOffset(s.offsetMilliseconds, s.offsetExpression)
        return "SQ(\(sub(s.expr));range=\(range);step=\(step);off=\(offset);at=\(dump(s.atModifier)))"
            + position(expr.positionRange)
    }
}


private func dumpSelector(_ vs: VectorSelector, canonical: Bool) -> String {
    var texts = vs.matchers.map { $0.name + $0.type.rawValue + goQuote($0.value) }
    if canonical { texts.sort() }
    let matchers = texts.joined(separator: ",")
    let offset = dumpOffset(vs.offsetMilliseconds, vs.offsetExpression)
    return "VS(\(vs.name ?? "");\(matchers);off=\(offset);at=\(dump(vs.atModifier));a=\(vs.anchored);s=\(vs.smoothed))"
        + (canonical ? "" : dump(vs.positionRange))
}

/// Prometheus keeps 0 in the offset when an expression gives it; so does the dump.
private func dumpOffset(_ milliseconds: Int64, _ expression: DurationExpr?) -> String {
    expression.map { "expr:" + dump($0) } ?? "\(milliseconds)"
}

private func dump(_ e: DurationExpr) -> String {
    switch e {
    case .literal(let ms): "lit(\(ms))"
    case .number(let v): "num(\(goFormatG(v)))"
    case .step: "step"
    case .range: "range"
    case .negate(let x): "neg(\(dump(x)))"
    case .paren(let x): "paren(\(dump(x)))"
    case .minOf(let a, let b): "minOf(\(dump(a)),\(dump(b)))"
    case .maxOf(let a, let b): "maxOf(\(dump(a)),\(dump(b)))"
    case .binary(let op, let a, let b): "bin(\(op.rawValue),\(dump(a)),\(dump(b)))"
    }
}

private func dump(_ at: AtModifier?) -> String {
    switch at {
    case .none: "nil"
    case .timestamp(let ms): "\(ms)"
    case .start: "start"
    case .end: "end"
    }
}

private func dump(_ range: PositionRange) -> String { "@\(range.start)-\(range.end)" }

private func list(_ labels: [String]) -> String { "[" + labels.joined(separator: ",") + "]" }
