// The PromQL syntax tree as `/api/v1/parse_query` answers it: the JSON of Prometheus 3.14's
// `web/api/v1/translate_ast.go` (`translateAST`), keys in the sorted order Go's JSON encoder
// writes map keys in.

internal import MetricModel
internal import PromQL

extension JSONWriter {
    /// Writes `expr` as Prometheus's `translateAST` shapes it: one object per node, with
    /// `type` `aggregation`, `binaryExpr`, `call`, `matrixSelector`, `subquery`,
    /// `numberLiteral`, `parenExpr`, `stringLiteral`, `unaryExpr` or `vectorSelector`.
    ///
    /// A range, step or offset written as a duration expression is reported as 0 next to its
    /// `…Expr` tree, as Prometheus's parser leaves it until evaluation.
    ///
    /// - Throws: `APIError(.internal)` for a `fill` value of NaN or ±Inf, which Go's JSON
    ///   encoder cannot write either.
    mutating func syntaxTree(_ expr: Expr) throws(APIError) {
        switch expr {
        case .aggregate(let a):
            raw("{\"expr\":")
            try syntaxTree(a.expr)
            raw(",\"grouping\":")
            stringArray(a.grouping)
            raw(",\"op\":")
            string(a.op.rawValue)
            raw(",\"param\":")
            if let param = a.param { try syntaxTree(param) } else { raw("null") }
            raw(",\"type\":\"aggregation\",\"without\":")
            raw(a.without ? "true" : "false")
            raw("}")
        case .binary(let b):
            raw("{\"bool\":")
            raw(b.returnBool ? "true" : "false")
            raw(",\"lhs\":")
            try syntaxTree(b.lhs)
            raw(",\"matching\":")
            if let matching = b.matching { try vectorMatching(matching) } else { raw("null") }
            raw(",\"op\":")
            string(b.op.rawValue)
            raw(",\"rhs\":")
            try syntaxTree(b.rhs)
            raw(",\"type\":\"binaryExpr\"}")
        case .call(let c):
            raw("{\"args\":[")
            for (i, arg) in c.args.enumerated() {
                if i > 0 { byte(UInt8(ascii: ",")) }
                try syntaxTree(arg)
            }
            raw("],\"func\":{\"argTypes\":")
            stringArray(c.function.argTypes.map(Self.goValueType))
            raw(",\"name\":")
            string(c.function.name)
            raw(",\"returnType\":")
            string(Self.goValueType(c.function.returnType))
            raw(",\"variadic\":")
            raw(text: String(c.function.variadic))
            raw("},\"type\":\"call\"}")
        case .matrixSelector(let ms):
            let vs = ms.vectorSelector
            selectorHead(vs)
            raw(",\"range\":")
            raw(text: String(ms.rangeExpression == nil ? ms.rangeMilliseconds : 0))
            raw(",\"rangeExpr\":")
            durationExpression(ms.rangeExpression)
            selectorTail(vs, type: "matrixSelector")
        case .vectorSelector(let vs):
            selectorHead(vs)
            selectorTail(vs, type: "vectorSelector")
        case .subquery(let s):
            raw("{\"expr\":")
            try syntaxTree(s.expr)
            raw(",\"offset\":")
            raw(text: String(s.offsetExpression == nil ? s.offsetMilliseconds : 0))
            raw(",\"offsetExpr\":")
            durationExpression(s.offsetExpression)
            raw(",\"range\":")
            raw(text: String(s.rangeExpression == nil ? s.rangeMilliseconds : 0))
            raw(",\"rangeExpr\":")
            durationExpression(s.rangeExpression)
            raw(",\"startOrEnd\":")
            startOrEnd(s.atModifier)
            raw(",\"step\":")
            raw(text: String(s.stepExpression == nil ? s.stepMilliseconds : 0))
            raw(",\"stepExpr\":")
            durationExpression(s.stepExpression)
            raw(",\"timestamp\":")
            timestamp(s.atModifier)
            raw(",\"type\":\"subquery\"}")
        case .numberLiteral(let n):
            raw("{\"type\":\"numberLiteral\",\"val\":")
            string(goFormatShortest(n.value, exponent: false))
            raw("}")
        case .stringLiteral(let s):
            raw("{\"type\":\"stringLiteral\",\"val\":")
            string(s.value)
            raw("}")
        case .paren(let p):
            raw("{\"expr\":")
            try syntaxTree(p.expr)
            raw(",\"type\":\"parenExpr\"}")
        case .unary(let u):
            raw("{\"expr\":")
            try syntaxTree(u.expr)
            raw(",\"op\":")
            string(u.op.rawValue)
            raw(",\"type\":\"unaryExpr\"}")
        }
    }

    /// `anchored`, `matchers`, `name`, `offset`, `offsetExpr`: the keys both selectors start with.
    private mutating func selectorHead(_ vs: VectorSelector) {
        raw("{\"anchored\":")
        raw(vs.anchored ? "true" : "false")
        raw(",\"matchers\":[")
        for (i, m) in vs.matchers.enumerated() {
            if i > 0 { byte(UInt8(ascii: ",")) }
            raw("{\"name\":")
            string(m.name)
            raw(",\"type\":")
            string(m.type.rawValue)
            raw(",\"value\":")
            string(m.value)
            raw("}")
        }
        raw("],\"name\":")
        string(vs.name ?? "")
        raw(",\"offset\":")
        raw(text: String(vs.offsetExpression == nil ? vs.offsetMilliseconds : 0))
        raw(",\"offsetExpr\":")
        durationExpression(vs.offsetExpression)
    }

    /// `smoothed`, `startOrEnd`, `timestamp`, `type`: the keys both selectors end with.
    private mutating func selectorTail(_ vs: VectorSelector, type: StaticString) {
        raw(",\"smoothed\":")
        raw(vs.smoothed ? "true" : "false")
        raw(",\"startOrEnd\":")
        startOrEnd(vs.atModifier)
        raw(",\"timestamp\":")
        timestamp(vs.atModifier)
        raw(",\"type\":\"")
        raw(type)
        raw("\"}")
    }

    /// `"start"`, `"end"` or `null`.
    private mutating func startOrEnd(_ at: AtModifier?) {
        switch at {
        case .start: raw("\"start\"")
        case .end: raw("\"end\"")
        case .timestamp, .none: raw("null")
        }
    }

    /// The `@` time in milliseconds, or `null`.
    private mutating func timestamp(_ at: AtModifier?) {
        if case .timestamp(let milliseconds) = at { raw(text: String(milliseconds)) } else { raw("null") }
    }

    /// `{"card":…,"fillValues":{"lhs":…,"rhs":…},"include":[…],"labels":[…],"on":…}`.
    private mutating func vectorMatching(_ m: VectorMatching) throws(APIError) {
        raw("{\"card\":")
        string(m.cardinality.rawValue)
        raw(",\"fillValues\":{\"lhs\":")
        try jsonNumber(m.fillLeft)
        raw(",\"rhs\":")
        try jsonNumber(m.fillRight)
        raw("},\"include\":")
        stringArray(m.include)
        raw(",\"labels\":")
        stringArray(m.matchingLabels)
        raw(",\"on\":")
        raw(m.on ? "true" : "false")
        raw("}")
    }

    /// A float as Go's `encoding/json` writes it (`1e-7`, `0.5`, `1e+21`), or `null`.
    private mutating func jsonNumber(_ value: Double?) throws(APIError) {
        guard let value else { return raw("null") }
        guard value.isFinite else {
            throw APIError(.internal, "unsupported value: \(goFormatShortest(value, exponent: false))")
        }
        var text = Array(formatValue(value).utf8)
        // Go's encoder shortens a one-digit negative exponent: `e-07` → `e-7`.
        let n = text.count
        if n >= 4 && text[n - 4] == UInt8(ascii: "e") && text[n - 3] == UInt8(ascii: "-") && text[n - 2] == UInt8(ascii: "0") {
            text.remove(at: n - 2)
        }
        bytes.append(contentsOf: text)
    }

    /// A range, step or offset expression (`translateDurationExpr`), or `null`.
    private mutating func durationExpression(_ expr: DurationExpr?) {
        guard let expr else { return raw("null") }
        durationNode(expr, wrapped: false)
    }

    /// One duration node. Parentheses are the `wrapped` flag of what they enclose; a bare
    /// number in parentheses becomes a wrapped unary `+`, as Prometheus's parser builds it.
    private mutating func durationNode(_ expr: DurationExpr, wrapped: Bool) {
        switch expr {
        case .literal(let milliseconds):
            if wrapped { return durationOperation("+", nil, expr, wrapped: true) }
            durationNumber(Double(milliseconds) / 1000, isDuration: true)
        case .number(let value):
            if wrapped { return durationOperation("+", nil, expr, wrapped: true) }
            durationNumber(value, isDuration: false)
        case .step: durationOperation("step", nil, nil, wrapped: wrapped)
        case .range: durationOperation("range", nil, nil, wrapped: wrapped)
        case .negate(let operand): durationOperation("-", nil, operand, wrapped: wrapped)
        case .binary(let op, let lhs, let rhs): durationOperation(op.rawValue, lhs, rhs, wrapped: wrapped)
        case .minOf(let lhs, let rhs): durationOperation("min_of", lhs, rhs, wrapped: wrapped)
        case .maxOf(let lhs, let rhs): durationOperation("max_of", lhs, rhs, wrapped: wrapped)
        case .paren(let inner): durationNode(inner, wrapped: true)
        }
    }

    /// `{"lhs":…,"op":…,"rhs":…,"type":"durationExpr","wrapped":…}`.
    private mutating func durationOperation(_ op: String, _ lhs: DurationExpr?, _ rhs: DurationExpr?, wrapped: Bool) {
        raw("{\"lhs\":")
        if let lhs { durationNode(lhs, wrapped: false) } else { raw("null") }
        raw(",\"op\":")
        string(op)
        raw(",\"rhs\":")
        if let rhs { durationNode(rhs, wrapped: false) } else { raw("null") }
        raw(",\"type\":\"durationExpr\",\"wrapped\":")
        raw(wrapped ? "true" : "false")
        raw("}")
    }

    /// `{"duration":…,"type":"numberLiteral","val":"300"}`: seconds, as Go's `FormatFloat(v, 'f', -1, 64)`.
    private mutating func durationNumber(_ seconds: Double, isDuration: Bool) {
        raw("{\"duration\":")
        raw(isDuration ? "true" : "false")
        raw(",\"type\":\"numberLiteral\",\"val\":")
        string(goFormatShortest(seconds, exponent: false))
        raw("}")
    }

    /// Go's `ValueType` strings: `vector`, `matrix`, `scalar`, `string`, `none`.
    static func goValueType(_ type: ValueType) -> String {
        switch type {
        case .none: "none"
        case .vector: "vector"
        case .matrix: "matrix"
        case .scalar: "scalar"
        case .string: "string"
        }
    }
}
