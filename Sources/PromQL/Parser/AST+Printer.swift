// Printing selectors the way Prometheus's `String()` methods do (`promql/parser/printer.go`),
// so that printing a parsed expression and parsing it again gives the same tree.

import MetricModel

extension VectorSelector: CustomStringConvertible {
    /// `name{a="b",c!="d"} @ 10.000 offset 5m`: matchers sorted by their printed form, the
    /// name's own `__name__` matcher left out, `@` before `offset`.
    package var description: String {
        selectorText + atText + extendedRangeText + offsetText
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
        } else if out.isEmpty {
            // `{}` (allowed as info()'s data-label selector): Prometheus prints nothing, which does
            // not parse again (`info(m, )`); we keep the braces (found by fuzzing).
            out = "{}"
        }
        return out
    }

    /// ` @ 1.500`, ` @ start()`, ` @ end()` or empty.
    var atText: String { atModifierText(atModifier) }

    /// ` anchored`, ` smoothed` or empty.
    var extendedRangeText: String {
        anchored ? " anchored" : smoothed ? " smoothed" : ""
    }

    /// ` offset 5m`, ` offset -1h`, ` offset (1h * 2)` or empty.
    var offsetText: String { offsetModifierText(offsetMilliseconds, offsetExpression) }
}

extension MatrixSelector: CustomStringConvertible {
    /// `name{…}[5m] anchored @ 10.000 offset 1m`: modifiers go after the range.
    package var description: String {
        let range = rangeExpression.map { $0.description } ?? formatDuration(rangeMilliseconds)
        return vectorSelector.selectorText + "[" + range + "]" + vectorSelector.extendedRangeText
            + vectorSelector.atText + vectorSelector.offsetText
    }
}

/// A matcher as Prometheus's `Matcher.String()` prints it: the name quoted when it is not a
/// legacy label name (`"a.b"="c"`), the value always quoted with Go escapes.
func promQLMatcherText(_ m: LabelMatcher) -> String {
    let name = needsQuoting(m.name) ? printerQuote(m.name) : m.name
    return name + m.type.rawValue + printerQuote(m.value)
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

/// ` @ 1.500`, ` @ start()`, ` @ end()` or empty.
private func atModifierText(_ modifier: AtModifier?) -> String {
    switch modifier {
    case .none: ""
    case .timestamp(let ms): " @ " + goFormatFixed(Double(ms) / 1000.0, precision: 3)
    case .start: " @ start()"
    case .end: " @ end()"
    }
}

/// ` offset 5m`, ` offset -1h`, ` offset (1h * 2)` (the expression wins when there is one) or empty.
private func offsetModifierText(_ milliseconds: Int64, _ expression: DurationExpr?) -> String {
    if let expression { return " offset " + expression.description }
    if milliseconds > 0 { return " offset " + formatDuration(milliseconds) }
    if milliseconds < 0 { return " offset -" + formatDuration(0 &- milliseconds) }
    return ""
}

/// `Expr.String()` of Prometheus's printer (`promql/parser/printer.go`), one node at a time.
func printed(_ expr: Expr) -> String {
    switch expr {
    case .vectorSelector(let vs): return vs.description
    case .matrixSelector(let ms): return ms.description
    case .numberLiteral(let n): return numberText(n.value, isDuration: n.isDuration)
    case .stringLiteral(let s): return s.invalidUTF8.map { goQuote(utf8: $0) } ?? printerQuote(s.value)
    case .paren(let p): return "(" + printed(p.expr) + ")"
    case .unary(let u): return u.op.rawValue + printed(u.expr)
    case .binary(let b):
        return printed(b.lhs) + " " + b.op.rawValue + (b.returnBool ? " bool" : "") + matchingText(b.matching) + " "
            + printed(b.rhs)
    case .call(let c): return c.function.name + "(" + c.args.map(printed).joined(separator: ", ") + ")"
    case .aggregate(let a):
        var out = aggregateOperatorText(a) + "("
        if let param = a.param { out += printed(param) + ", " }
        return out + printed(a.expr) + ")"
    case .subquery(let s): return printed(s.expr) + subqueryTimeSuffix(s)
    }
}

/// `sum`, `sum by (job) `, `sum without () `: the operator and its grouping, with the trailing
/// space Prometheus's `AggregateExpr.ShortString()` keeps before the `(`.
func aggregateOperatorText(_ a: AggregateExpr) -> String {
    var out = a.op.rawValue
    if a.without {
        out += " without (" + a.grouping.map(labelNameText).joined(separator: ", ") + ") "
    } else if !a.grouping.isEmpty {
        out += " by (" + a.grouping.map(labelNameText).joined(separator: ", ") + ") "
    }
    return out
}

/// `[5m:1m] @ 10.000 offset 1m`: what a subquery adds after its expression
/// (`getSubqueryTimeSuffix`).
func subqueryTimeSuffix(_ s: SubqueryExpr) -> String {
    let range = s.rangeExpression.map { $0.description } ?? formatDuration(s.rangeMilliseconds)
    var step = ""
    if let expression = s.stepExpression {
        step = expression.description
    } else if s.stepMilliseconds != 0 {
        step = formatDuration(s.stepMilliseconds)
    }
    return "[" + range + ":" + step + "]" + atModifierText(s.atModifier)
        + offsetModifierText(s.offsetMilliseconds, s.offsetExpression)
}

/// `NumberLiteral.String()`: `strconv.FormatFloat(v, 'f', -1, 64)`, or a duration
/// (`model.Duration(v*1e9)`, whole milliseconds) for one written as a duration.
func numberText(_ value: Double, isDuration: Bool) -> String {
    guard isDuration else { return goFormatShortest(value, exponent: false) }
    if value < 0 { return "-" + formatDuration(goInt64(-value * 1e9) / 1_000_000) }
    return formatDuration(goInt64(value * 1e9) / 1_000_000)
}

/// ` on (a, b) group_left (c) fill (0)`, ` ignoring (a)` or empty, as `getMatchingStr` prints it.
func matchingText(_ matching: VectorMatching?) -> String {
    guard let vm = matching else { return "" }
    let grouped = vm.cardinality == .manyToOne || vm.cardinality == .oneToMany
    var out = ""
    if vm.on || !vm.matchingLabels.isEmpty || grouped {
        out += " " + (vm.on ? "on" : "ignoring") + " (" + vm.matchingLabels.map(labelNameText).joined(separator: ", ") + ")"
    }
    if grouped {
        out += " group_" + (vm.cardinality == .manyToOne ? "left" : "right")
        out += " (" + vm.include.map(labelNameText).joined(separator: ", ") + ")"
    }
    if let left = vm.fillLeft, let right = vm.fillRight, left == right {
        out += " fill (" + goFormatG(left) + ")"
    } else {
        if let left = vm.fillLeft { out += " fill_left (" + goFormatG(left) + ")" }
        if let right = vm.fillRight { out += " fill_right (" + goFormatG(right) + ")" }
    }
    return out
}

/// A label name in a grouping list: quoted when it is not a legacy name.
private func labelNameText(_ name: String) -> String {
    needsQuoting(name) ? printerQuote(name) : name
}

extension DurationExpr: CustomStringConvertible {
    /// `DurationExpr.String()`: `5m + step()`, `(1h)`, `-min_of(10s, range())`.
    package var description: String {
        switch self {
        case .literal(let ms): ms < 0 ? "-" + formatDuration(0 &- ms) : formatDuration(ms)
        case .number(let value): numberText(value, isDuration: false)
        case .step: "step()"
        case .range: "range()"
        case .negate(let operand): "-" + operand.description
        case .binary(let op, let lhs, let rhs): lhs.description + " " + op.rawValue + " " + rhs.description
        case .minOf(let a, let b): "min_of(" + a.description + ", " + b.description + ")"
        case .maxOf(let a, let b): "max_of(" + a.description + ", " + b.description + ")"
        case .paren(let inner): "(" + inner.description + ")"
        }
    }
}

/// `strconv.Quote` for the printer, with U+FFFD escaped as `\ufffd`. Go's lexer rejects a raw
/// U+FFFD in a string ("invalid UTF-8 rune"), and our strings hold U+FFFD wherever the query had
/// an invalid byte (`"\xc5"`, which Go would print back as `\xc5`), so a raw one would make the
/// printed query unparsable (found by fuzzing).
func printerQuote(_ s: String) -> String {
    let quoted = goQuote(s)
    guard quoted.unicodeScalars.contains("\u{FFFD}") else { return quoted }
    var out = ""
    for scalar in quoted.unicodeScalars {
        if scalar == "\u{FFFD}" { out += "\\ufffd" } else { out.unicodeScalars.append(scalar) }
    }
    return out
}
