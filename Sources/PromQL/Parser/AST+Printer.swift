// Printing selectors the way Prometheus's `String()` methods do (`promql/parser/printer.go`),
// so that printing a parsed expression and parsing it again gives the same tree.

import MetricModel

extension VectorSelector: CustomStringConvertible {
    /// `name{a="b",c!="d"} @ 10.000 offset 5m`: matchers sorted by their printed form, the
    /// name's own `__name__` matcher left out, `@` before `offset`.
    package var description: String {
        var out = selectorText
        out += atText
        out += offsetText
        return out
    }

    /// The name and braces only.
    var selectorText: String {
        var labels: [String] = []
        for m in matchers {
            if m.name == "__name__" && m.type == .equal && m.value == (name ?? "") && !m.value.isEmpty { continue }
            labels.append(promQLMatcherText(m))
        }
        var out = name ?? ""
        if !labels.isEmpty {
            labels.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            out += "{" + labels.joined(separator: ",") + "}"
        }
        return out
    }

    /// ` @ 1.500`, ` @ start()`, ` @ end()` or empty.
    var atText: String {
        switch atModifier {
        case .none: ""
        case .timestamp(let ms): " @ " + goFormatFixed(Double(ms) / 1000.0, precision: 3)
        case .start: " @ start()"
        case .end: " @ end()"
        }
    }

    /// ` offset 5m`, ` offset -1h` or empty.
    var offsetText: String {
        if offsetMilliseconds > 0 { return " offset " + formatDuration(offsetMilliseconds) }
        if offsetMilliseconds < 0 { return " offset -" + formatDuration(0 &- offsetMilliseconds) }
        return ""
    }
}

extension MatrixSelector: CustomStringConvertible {
    /// `name{…}[5m] @ 10.000 offset 1m`: modifiers go after the range.
    package var description: String {
        vectorSelector.selectorText + "[" + formatDuration(rangeMilliseconds) + "]" + vectorSelector.atText
            + vectorSelector.offsetText
    }
}

/// A matcher as Prometheus's `Matcher.String()` prints it: the name quoted when it is not a
/// legacy label name (`"a.b"="c"`), the value always quoted with Go escapes.
func promQLMatcherText(_ m: LabelMatcher) -> String {
    let name = needsQuoting(m.name) ? goQuote(m.name) : m.name
    return name + m.type.rawValue + goQuote(m.value)
}

/// Prometheus's `shouldQuoteName`: anything but `[a-zA-Z_][a-zA-Z0-9_]*`, and the empty name.
private func needsQuoting(_ name: String) -> Bool {
    if name.isEmpty { return true }
    for (i, c) in name.unicodeScalars.enumerated() {
        if c == "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (i > 0 && c >= "0" && c <= "9") {
            continue
        }
        return true
    }
    return false
}

/// `Expr.String()` of Prometheus's printer (`promql/parser/printer.go`), one node at a time.
func printed(_ expr: Expr) -> String {
    switch expr {
    case .vectorSelector(let vs): return vs.description
    case .matrixSelector(let ms): return ms.description
    case .numberLiteral(let n):
        if n.isDuration, n.value.isFinite, let ms = Int64(exactly: (n.value * 1000).rounded()) {
            return ms < 0 ? "-" + formatDuration(-ms) : formatDuration(ms)
        }
        return goFormatShortest(n.value, exponent: false)
    case .stringLiteral(let s): return goQuote(s.value)
    case .paren(let p): return "(" + printed(p.expr) + ")"
    case .unary(let u): return u.op.rawValue + printed(u.expr)
    case .binary(let b):
        return printed(b.lhs) + " " + b.op.rawValue + (b.returnBool ? " bool" : "") + matchingText(b.matching) + " "
            + printed(b.rhs)
    case .call(let c): return c.function.name + "(" + c.args.map(printed).joined(separator: ", ") + ")"
    case .aggregate(let a):
        var out = a.op.rawValue
        if a.without {
            out += " without (" + a.grouping.map(labelNameText).joined(separator: ", ") + ") "
        } else if !a.grouping.isEmpty {
            out += " by (" + a.grouping.map(labelNameText).joined(separator: ", ") + ") "
        }
        out += "("
        if let param = a.param { out += printed(param) + ", " }
        return out + printed(a.expr) + ")"
    case .subquery(let s):
        var out = printed(s.expr) + "[" + formatDuration(s.rangeMilliseconds) + ":"
        if s.stepMilliseconds != 0 { out += formatDuration(s.stepMilliseconds) }
        out += "]"
        switch s.atModifier {
        case .none: break
        case .timestamp(let ms): out += " @ " + goFormatFixed(Double(ms) / 1000.0, precision: 3)
        case .start: out += " @ start()"
        case .end: out += " @ end()"
        }
        if s.offsetMilliseconds > 0 { out += " offset " + formatDuration(s.offsetMilliseconds) }
        if s.offsetMilliseconds < 0 { out += " offset -" + formatDuration(0 &- s.offsetMilliseconds) }
        return out
    }
}

/// ` on (a, b) group_left (c)`, ` ignoring (a)` or empty, as `getMatchingStr` prints it.
private func matchingText(_ matching: VectorMatching?) -> String {
    guard let vm = matching, vm.on || !vm.matchingLabels.isEmpty else { return "" }
    var out = " " + (vm.on ? "on" : "ignoring") + " (" + vm.matchingLabels.map(labelNameText).joined(separator: ", ") + ")"
    if vm.cardinality == .manyToOne || vm.cardinality == .oneToMany {
        out += " group_" + (vm.cardinality == .manyToOne ? "left" : "right")
        out += " (" + vm.include.map(labelNameText).joined(separator: ", ") + ")"
    }
    return out
}

/// A label name in a grouping list: quoted when it is not a legacy name.
private func labelNameText(_ name: String) -> String {
    needsQuoting(name) ? goQuote(name) : name
}
