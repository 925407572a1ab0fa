// The PromQL prettier (Prometheus 3.14 `promql/parser/prettier.go`, rules in
// `prettier_rules.md`): prints an expression over several lines once its one-line form
// (`AST+Printer.swift`) is longer than the line limit. `/api/v1/format_query` serves it.
//
// Each node is printed at a level: its parent has started a new line for it, and it indents
// itself by two spaces per level. A node whose one-line form fits the limit prints that form;
// one that does not splits and passes `level + 1` to its children. Selectors and literals never
// split. The output is Prometheus's byte for byte, quirks included (a subquery that fits is not
// indented; a unary operator trims its operand's indentation).

/// The line limit of Prometheus's prettier (`maxCharactersPerLine`), in bytes.
package let prettyMaxLineWidth = 100

extension Expr {
    /// The expression as Prometheus's `Pretty(level)` prints it: one line while it fits
    /// `maxLineWidth` bytes, else split over several lines, indented two spaces per level.
    ///
    /// ```swift
    /// let expr = try parseExpr("foo_1 + foo_2")
    /// print(expr.pretty(maxLineWidth: 10))
    /// //   foo_1
    /// // +
    /// //   foo_2
    /// ```
    ///
    /// - Parameters:
    ///   - level: the indentation level the text starts at (0 for a whole query).
    ///   - maxLineWidth: the one-line length, in UTF-8 bytes, above which a node splits;
    ///     Prometheus uses 100 and its tests 10.
    /// - Complexity: O(depth × length), as each split node prints its subtree once to measure it.
    package func pretty(level: Int = 0, maxLineWidth: Int = prettyMaxLineWidth) -> String {
        Prettier(maxLineWidth: maxLineWidth).pretty(self, level: level)
    }
}

/// One prettier run: the line limit, and a node printer per kind.
private struct Prettier {
    let maxLineWidth: Int

    func pretty(_ expr: Expr, level: Int) -> String {
        switch expr {
        case .vectorSelector, .matrixSelector, .numberLiteral, .stringLiteral:
            return indent(level) + expr.description
        case .paren(let p):
            let text = expr.description
            guard needsSplit(text) else { return indent(level) + text }
            return indent(level) + "(\n" + pretty(p.expr, level: level + 1) + "\n" + indent(level) + ")"
        case .unary(let u):
            // The operator takes the operand's place, so the operand's indentation goes.
            let operand = trimmingWhitespace(pretty(u.expr, level: level))
            return indent(level) + u.op.rawValue + operand
        case .binary(let b):
            let text = expr.description
            guard needsSplit(text) else { return indent(level) + text }
            return pretty(b.lhs, level: level + 1) + "\n" + indent(level) + b.op.rawValue
                + (b.returnBool ? " bool" : "") + matchingText(b.matching) + "\n" + pretty(b.rhs, level: level + 1)
        case .call(let c):
            let text = expr.description
            guard needsSplit(text) else { return indent(level) + text }
            return indent(level) + c.function.name + "(\n" + arguments(c.args, level: level + 1) + "\n"
                + indent(level) + ")"
        case .aggregate(let a):
            let text = expr.description
            guard needsSplit(text) else { return indent(level) + text }
            var out = indent(level) + aggregateOperatorText(a) + "(\n"
            if let param = a.param { out += pretty(param, level: level + 1) + ",\n" }
            return out + pretty(a.expr, level: level + 1) + "\n" + indent(level) + ")"
        case .subquery(let s):
            // Prometheus returns a subquery that fits without its indentation.
            let text = expr.description
            guard needsSplit(text) else { return text }
            return pretty(s.expr, level: level) + subqueryTimeSuffix(s)
        }
    }

    /// Call arguments, one a line, separated by commas (`Expressions.Pretty`).
    private func arguments(_ args: [Expr], level: Int) -> String {
        args.map { pretty($0, level: level) }.joined(separator: ",\n")
    }

    /// Prometheus's `needsSplit`: the one-line form is longer than the limit, in bytes.
    private func needsSplit(_ oneLine: String) -> Bool {
        oneLine.utf8.count > maxLineWidth
    }

    private func indent(_ level: Int) -> String {
        String(repeating: "  ", count: level)
    }
}

/// Go's `strings.TrimSpace`: Unicode white space removed from both ends.
private func trimmingWhitespace(_ s: String) -> String {
    let scalars = s.unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return String(scalars[first...last])
}
