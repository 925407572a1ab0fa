// OpenMetricsFloat: Prometheus's labels.FormatOpenMetricsFloat — Go's shortest `%g`
// (strconv 'g', -1) with ".0" added when neither "." nor "e" appears. Prometheus 3 rewrites
// `le` (histogram) and `quantile` (summary) label values with it.

/// Formatting of floats the way Prometheus renders `le` and `quantile` values.
enum OpenMetricsFloat {
    /// `FormatOpenMetricsFloat(f)`: `1.0`, `0.25`, `1e-05`, `1e+06`, `+Inf`, `NaN`.
    static func format(_ f: Double) -> String {
        if f == 1 { return "1.0" }
        if f == 0 { return "0.0" }
        if f == -1 { return "-1.0" }
        if f.isNaN { return "NaN" }
        if f.isInfinite { return f > 0 ? "+Inf" : "-Inf" }
        let s = goShortestG(f)
        if s.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") }) { return s }
        return s + ".0"
    }

    /// Go's `strconv.FormatFloat(f, 'g', -1, 64)` for finite, non-zero `f`.
    static func goShortestG(_ f: Double) -> String {
        // The standard library prints the shortest round-tripping digits, as Go does; take
        // the digits and decimal exponent from its output and lay them out Go's way.
        let (digits, pointPosition) = shortestDigits(f.magnitude)
        let sign = f < 0 ? "-" : ""
        let exponent = pointPosition - 1
        if exponent < -4 || exponent >= 6 {  // shortest: Go decides with precision 6
            // %e: d[.ddd]e±dd
            var mantissa = String(digits.first!)
            if digits.count > 1 { mantissa += "." + String(digits.dropFirst()) }
            let e = abs(exponent)
            let expDigits = e < 10 ? "0\(e)" : "\(e)"
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + expDigits
        }
        // %f with exactly the shortest digits.
        if pointPosition <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + String(digits)
        }
        if pointPosition >= digits.count {
            return sign + String(digits) + String(repeating: "0", count: pointPosition - digits.count)
        }
        let head = digits.prefix(pointPosition)
        let tail = digits.dropFirst(pointPosition)
        return sign + String(head) + "." + String(tail)
    }

    /// The shortest decimal digits of a positive finite `f` (no leading/trailing zeros) and
    /// the position of the decimal point relative to them (`0.0123` → ("123", -1)).
    static func shortestDigits(_ f: Double) -> (digits: [Character], pointPosition: Int) {
        let text = f.description  // "123.45", "1e-05", "1.2345e+20", "100000.0"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var integerPart = mantissa
        var fraction: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            integerPart = mantissa[..<dot]
            fraction = mantissa[mantissa.index(after: dot)...]
        }
        var all = Array(integerPart) + Array(fraction)
        var point = integerPart.count + exponent
        while let first = all.first, first == "0" {
            all.removeFirst()
            point -= 1
        }
        while let last = all.last, last == "0" { all.removeLast() }
        return (all, point)
    }
}
