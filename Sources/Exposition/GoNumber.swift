// GoNumber: Go's strconv.ParseFloat(s, 64) and ParseInt(s, 10, 64) over byte ranges, without
// Foundation, plus Prometheus's `parseFloat` wrapper that rejects `p`, `P` and `_`.
// Fast path: up to 19 significant digits with |exponent| <= 22 convert exactly in registers;
// everything else goes through the standard library's correctly rounded parser.

internal import MetricModel

/// Number parsing with Go's grammar and errors.
enum GoNumber {
    /// Why a number did not parse, as Go's `strconv.ErrSyntax` / `ErrRange`.
    enum Failure: Error, Equatable {
        case syntax
        case range
        /// Prometheus's `unsupported character in float` (a `p`, `P` or `_`).
        case unsupportedCharacter
    }

    /// Prometheus's `parseFloat`: rejects `pP_` first, then `strconv.ParseFloat(s, 64)`.
    @inline(__always)
    static func prometheusFloat(_ b: [UInt8], _ r: Range<Int>) throws(Failure) -> Double {
        // Digits only, at most 15 (most counters and gauges): exact in a Double, as Go reads them.
        if !r.isEmpty && r.count <= 15 {
            var n: UInt64 = 0
            var plain = true
            for k in r {
                let digit = b[k] &- UInt8(ascii: "0")
                if digit > 9 {
                    plain = false
                    break
                }
                n = n &* 10 &+ UInt64(digit)
            }
            if plain { return Double(n) }
        }
        for k in r {
            let c = b[k]
            if c == UInt8(ascii: "p") || c == UInt8(ascii: "P") || c == UInt8(ascii: "_") {
                throw .unsupportedCharacter
            }
        }
        return try parseFloat(b, r)
    }

    /// `strconv.ParseFloat(s, 64)`: decimal or hexadecimal (`0x1.8p3`) floats, `_` digit
    /// separators, case-insensitive `inf`/`infinity` (optionally signed) and `nan`.
    /// Overflow to ±Inf is a `.range` failure, as in Go.
    static func parseFloat(_ b: [UInt8], _ r: Range<Int>) throws(Failure) -> Double {
        guard !r.isEmpty else { throw .syntax }
        if let special = try special(b, r) { return special }
        var k = r.lowerBound
        let end = r.upperBound
        var negative = false
        if b[k] == UInt8(ascii: "+") || b[k] == UInt8(ascii: "-") {
            negative = b[k] == UInt8(ascii: "-")
            k += 1
        }
        if k + 2 < end && b[k] == UInt8(ascii: "0") && b[k + 1] | 0x20 == UInt8(ascii: "x") {
            return try hexFloat(b, r, digitsFrom: k + 2)
        }
        // Fast path: mantissa in a UInt64, decimal point position, exponent.
        var mantissa: UInt64 = 0
        var significant = 0  // significant digits taken into `mantissa`
        var truncated = false
        var decimalPoint = 0  // position of the point relative to the significant digits
        var sawDot = false
        var sawDigits = false
        var underscores = false
        var digitsSeen = 0  // significant digits, including ones not taken
        loop: while k < end {
            let c = b[k]
            switch c {
            case UInt8(ascii: "_"):
                underscores = true
            case UInt8(ascii: "."):
                if sawDot { break loop }
                sawDot = true
                decimalPoint = digitsSeen
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigits = true
                if c == UInt8(ascii: "0") && digitsSeen == 0 {
                    decimalPoint -= 1  // leading zero
                } else {
                    digitsSeen += 1
                    if significant < 19 {
                        mantissa = mantissa &* 10 &+ UInt64(c &- 0x30)
                        significant += 1
                    } else if c != UInt8(ascii: "0") {
                        truncated = true
                    }
                }
            default:
                break loop
            }
            k += 1
        }
        guard sawDigits else { throw .syntax }
        if !sawDot { decimalPoint = digitsSeen }
        var exponent = 0
        if k < end && b[k] | 0x20 == UInt8(ascii: "e") {
            k += 1
            guard k < end else { throw .syntax }
            var exponentSign = 1
            if b[k] == UInt8(ascii: "+") {
                k += 1
            } else if b[k] == UInt8(ascii: "-") {
                k += 1
                exponentSign = -1
            }
            guard k < end, ASCII.isDigit(b[k]) else { throw .syntax }
            while k < end && (ASCII.isDigit(b[k]) || b[k] == UInt8(ascii: "_")) {
                if b[k] == UInt8(ascii: "_") {
                    underscores = true
                } else if exponent < 10000 {
                    exponent = exponent * 10 + Int(b[k] &- 0x30)
                }
                k += 1
            }
            exponent *= exponentSign
        }
        guard k == end else { throw .syntax }
        if underscores && !goUnderscoreOK(b[r]) { throw .syntax }

        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        let power = decimalPoint + exponent - significant
        if !truncated && mantissa < (1 << 53) && power >= -22 && power <= 22 {
            var f = Double(mantissa)
            f = power >= 0 ? f * pow10[power] : f / pow10[-power]
            return negative ? -f : f
        }
        return try slowPath(b, r, underscores: underscores)
    }

    /// `strconv.ParseInt(s, 10, 64)` for a run of ASCII digits (the 0.0.4 timestamp token).
    static func parseInt64(_ b: [UInt8], _ r: Range<Int>) throws(Failure) -> Int64 {
        guard !r.isEmpty else { throw .syntax }
        var value: Int64 = 0
        for k in r {
            let d = b[k] &- 0x30
            guard d < 10 else { throw .syntax }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(d))
            if o1 || o2 { throw .range }
            value = s
        }
        return value
    }

    /// Go's `special`: `[+-]inf`, `[+-]infinity`, `nan`, any case, and nothing after them.
    private static func special(_ b: [UInt8], _ r: Range<Int>) throws(Failure) -> Double? {
        var k = r.lowerBound
        var sign = 1.0
        var first = b[k] | 0x20
        if b[k] == UInt8(ascii: "+") || b[k] == UInt8(ascii: "-") {
            if b[k] == UInt8(ascii: "-") { sign = -1 }
            k += 1
            guard k < r.upperBound else { return nil }
            first = b[k] | 0x20
            guard first == UInt8(ascii: "i") else { return nil }
        }
        if first == UInt8(ascii: "i") {
            var n = commonPrefixIgnoringCase(b, k..<r.upperBound, "infinity")
            if n > 3 && n < 8 { n = 3 }
            guard n == 3 || n == 8 else { return nil }
            guard k + n == r.upperBound else { throw .syntax }
            return sign * .infinity
        }
        if first == UInt8(ascii: "n") && commonPrefixIgnoringCase(b, k..<r.upperBound, "nan") == 3 {
            guard k + 3 == r.upperBound else { throw .syntax }
            return .nan
        }
        return nil
    }

    private static func commonPrefixIgnoringCase(_ b: [UInt8], _ r: Range<Int>, _ word: StaticString) -> Int {
        let n = min(r.count, word.utf8CodeUnitCount)
        for j in 0..<n where b[r.lowerBound + j] | 0x20 != word.utf8Start[j] {
            return j
        }
        return n
    }

    /// Go's hexadecimal float grammar: hex digits with an optional point, then a mandatory
    /// `p` exponent. Converted by the standard library (exact rounding, as Go).
    private static func hexFloat(_ b: [UInt8], _ r: Range<Int>, digitsFrom start: Int) throws(Failure) -> Double {
        var k = start
        let end = r.upperBound
        var sawDigits = false
        var sawDot = false
        var underscores = false
        while k < end {
            let c = b[k]
            if c == UInt8(ascii: "_") {
                underscores = true
            } else if c == UInt8(ascii: ".") {
                if sawDot { break }
                sawDot = true
            } else if ASCII.isDigit(c) || (c | 0x20) &- UInt8(ascii: "a") < 6 {
                sawDigits = true
            } else {
                break
            }
            k += 1
        }
        guard sawDigits, k < end, b[k] | 0x20 == UInt8(ascii: "p") else { throw .syntax }
        k += 1
        if k < end && (b[k] == UInt8(ascii: "+") || b[k] == UInt8(ascii: "-")) { k += 1 }
        guard k < end, ASCII.isDigit(b[k]) else { throw .syntax }
        while k < end && (ASCII.isDigit(b[k]) || b[k] == UInt8(ascii: "_")) {
            if b[k] == UInt8(ascii: "_") { underscores = true }
            k += 1
        }
        guard k == end else { throw .syntax }
        if underscores && !goUnderscoreOK(b[r]) { throw .syntax }
        return try slowPath(b, r, underscores: underscores)
    }

    /// Correctly rounded conversion of already validated text by the standard library
    /// (a small-string, allocation-free for up to 15 bytes).
    private static func slowPath(_ b: [UInt8], _ r: Range<Int>, underscores: Bool) throws(Failure) -> Double {
        let text: String
        if underscores {
            text = String(decoding: b[r].lazy.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        } else {
            text = String(decoding: b[r], as: UTF8.self)
        }
        guard let value = Double(text) else { throw .syntax }
        if value.isInfinite { throw .range }
        return value
    }

    /// Exact powers of ten representable in a Double.
    private static let pow10: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
