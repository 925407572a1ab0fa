// Prometheus's number and time template functions: humanize, humanize1024, humanizeDuration,
// humanizePercentage, humanizeTimestamp, toTime, toDuration, now and parseDuration. Their
// arguments go through `convertToFloat` (prometheus/common helpers/templates): floats, ints,
// uints, durations and numeric strings.

import MetricModel

extension TemplateFunctions {
    static func humanizeFunctions(_ context: PrometheusFunctionContext) -> [String: TemplateFunction] {
        [
            "humanize": numeric { v in
                if v == 0 || !v.isFinite { return g4(v) }
                var v = v
                var prefix = ""
                if v.magnitude >= 1 {
                    for p in ["k", "M", "G", "T", "P", "E", "Z", "Y"] where v.magnitude >= 1000 {
                        prefix = p
                        v /= 1000
                    }
                } else {
                    for p in ["m", "u", "n", "p", "f", "a", "z", "y"] where v.magnitude < 1 {
                        prefix = p
                        v *= 1000
                    }
                }
                return g4(v) + prefix
            },
            "humanize1024": numeric { v in
                if v.magnitude <= 1 || !v.isFinite { return g4(v) }
                var v = v
                var prefix = ""
                for p in ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] where v.magnitude >= 1024 {
                    prefix = p
                    v /= 1024
                }
                return g4(v) + prefix
            },
            "humanizeDuration": numeric(humanizeDuration),
            "humanizePercentage": numeric { g4($0 * 100) + "%" },
            "humanizeTimestamp": TemplateFunction([.interface]) { (a) throws(FunctionFailure) in
                let v = try convertToFloat(a[0])
                if !v.isFinite { return .text(g4(v)) }
                return .text(try time(fromSeconds: v).description)
            },
            "toTime": TemplateFunction([.interface]) { (a) throws(FunctionFailure) in
                let v = try convertToFloat(a[0])
                if !v.isFinite { throw FunctionFailure("value is NaN or Inf") }
                return .pointer(.time(try time(fromSeconds: v)), to: .time)
            },
            "toDuration": TemplateFunction([.interface]) { (a) throws(FunctionFailure) in
                .pointer(.int(goInt64(try convertToFloat(a[0]) * 1e9), .duration), to: .duration)
            },
            "now": TemplateFunction([]) { _ in .float(Double(context.timestamp) / 1000) },
            "parseDuration": TemplateFunction([.string]) { (a) throws(FunctionFailure) in
                .float(Double(try parseDuration(a[0].stringValue)) / 1e9)
            },
        ]
    }

    /// A function of one number that returns text.
    private static func numeric(_ body: @escaping @Sendable (Double) -> String) -> TemplateFunction {
        TemplateFunction([.interface]) { (a) throws(FunctionFailure) in .text(body(try convertToFloat(a[0]))) }
    }

    private static func g4(_ v: Double) -> String { GoFormat.sprintf("%.4g", [.float(v)]) }

    /// Go's conversion of a float64 to int64 on amd64: NaN and out-of-range values give the
    /// minimum int64.
    static func goInt64(_ v: Double) -> Int64 {
        guard v.isFinite, v > -9.223372036854775808e18, v < 9.223372036854775808e18 else { return Int64.min }
        return Int64(v)
    }

    /// prometheus/common's `ConvertToFloat`.
    static func convertToFloat(_ value: TemplateValue) throws(FunctionFailure) -> Double {
        switch value {
        case .float(let f): return f
        case .string(let s, .string): return try parseFloat(s)
        case .int(let d, .duration): return Double(d / 1_000_000_000) + Double(d % 1_000_000_000) / 1e9
        case .int(let i, .int), .int(let i, .int64): return Double(i)
        case .uint(let u, .uint), .uint(let u, .uint64): return Double(u)
        default: throw FunctionFailure("can't convert \(value.type?.name ?? "<nil>") to float")
        }
    }

    /// Go's `strconv.ParseFloat(s, 64)` with its error texts.
    private static func parseFloat(_ s: String) throws(FunctionFailure) -> Double {
        if let v = GoLiteral.parseFloat(s) { return v }
        let digits = s.filter { $0 != "_" }
        if let v = Double(digits), v.isInfinite, GoLiteral.parseFloat(digits.replacingFirstExponent()) != nil {
            throw FunctionFailure("strconv.ParseFloat: parsing \(goQuote(s)): value out of range")
        }
        throw FunctionFailure("strconv.ParseFloat: parsing \(goQuote(s)): invalid syntax")
    }

    /// Prometheus's `floatToTime`: seconds to a UTC time with millisecond precision.
    private static func time(fromSeconds v: Double) throws(FunctionFailure) -> GoTime {
        let nanoseconds = v * 1e9
        if nanoseconds > 9.223372036854775807e18 || nanoseconds < -9.223372036854775808e18 {
            throw FunctionFailure(
                "\(GoFormat.sprint([.float(v)])) cannot be represented as a nanoseconds timestamp since it overflows int64")
        }
        // model.TimeFromUnixNano truncates to milliseconds.
        let milliseconds = goInt64(nanoseconds) / 1_000_000
        return GoTime(seconds: 0, nanoseconds: milliseconds * 1_000_000)
    }

    /// prometheus/common's `HumanizeDuration`.
    private static func humanizeDuration(_ v: Double) -> String {
        if !v.isFinite { return g4(v) }
        if v == 0 { return g4(v) + "s" }
        if v.magnitude >= 1 {
            let sign = v < 0 ? "-" : ""
            let duration = goInt64(v.magnitude)
            let seconds = duration % 60
            let minutes = duration / 60 % 60
            let hours = duration / 3600 % 24
            let days = duration / 86400
            if days != 0 { return "\(sign)\(days)d \(hours)h \(minutes)m \(seconds)s" }
            if hours != 0 { return "\(sign)\(hours)h \(minutes)m \(seconds)s" }
            if minutes != 0 { return "\(sign)\(minutes)m \(seconds)s" }
            return sign + g4(v.magnitude) + "s"
        }
        var v = v
        var prefix = ""
        for p in ["m", "u", "n", "p", "f", "a", "z", "y"] where v.magnitude < 1 {
            prefix = p
            v *= 1000
        }
        return g4(v) + prefix + "s"
    }

    /// Prometheus 3's `model.ParseDurationAllowNegative`, in nanoseconds.
    private static func parseDuration(_ text: String) throws(FunctionFailure) -> Int64 {
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        do {
            let ns = try PrometheusDuration.nanoseconds(body)
            return negative ? -ns : ns
        } catch {
            switch error {
            case .empty: throw FunctionFailure("empty duration string")
            case .invalid: throw FunctionFailure("not a valid duration string: \(goQuote(body))")
            case .unknownUnit(let unit): throw FunctionFailure("unknown unit \(goQuote(unit)) in duration \(goQuote(body))")
            case .outOfRange: throw FunctionFailure("duration out of range")
            }
        }
    }
}

extension String {
    /// The text with its exponent made small, to tell "1e400" (out of range) from "1e" (bad).
    fileprivate func replacingFirstExponent() -> String {
        guard let e = firstIndex(where: { $0 == "e" || $0 == "E" }) else { return self }
        return String(self[..<e]) + "e0"
    }
}
