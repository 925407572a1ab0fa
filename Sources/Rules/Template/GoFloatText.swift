// Go's `strconv.FormatFloat(v, fmt, prec, 64)` for the formats fmt's verbs need: 'e' 'E' 'f'
// 'g' 'G' with any precision (shortest with -1), 'b', and 'x' 'X' (shortest only). Shortest
// and fixed-point digits come from MetricModel's Go float helpers; 'e' and 'g' with a
// precision round the exact decimal expansion half to even, as Go's `decimal.Round` does.

import MetricModel

enum GoFloatText {
    /// Decimal digits `0.d₁d₂… × 10^point` (ASCII, no leading or trailing zeros; empty for 0).
    private struct Digits {
        var digits: [UInt8]
        var point: Int
    }

    /// `strconv.FormatFloat(v, format, precision, 64)`; precision -1 means shortest.
    static func format(_ v: Double, _ format: Character, _ precision: Int) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
        let sign = v.sign == .minus ? "-" : ""
        switch format {
        case "f", "F":
            return precision < 0 ? goFormatShortest(v, exponent: false) : goFormatFixed(v, precision: precision)
        case "e", "E":
            let d = precision < 0 ? shortest(v) : rounded(v, significant: precision + 1)
            return sign + exponentForm(d, precision: precision < 0 ? max(d.digits.count - 1, 0) : precision, e: format)
        case "g", "G":
            if precision < 0 {
                let text = goFormatG(v)
                return format == "G" ? text.uppercased() : text
            }
            let p = max(precision, 1)
            let d = rounded(v, significant: p)
            let exponent = d.point - 1
            var eprec = p
            if eprec > d.digits.count && d.digits.count >= d.point { eprec = d.digits.count }
            if exponent < -4 || exponent >= eprec {
                return sign + exponentForm(d, precision: min(p, max(d.digits.count, 1)) - 1, e: format == "g" ? "e" : "E")
            }
            return sign + fixedForm(d, precision: max((p > d.point ? d.digits.count : p) - d.point, 0))
        case "b":
            return sign + binaryForm(v.magnitude)
        default:
            return sign + hexForm(v.magnitude, precision: precision, upper: format == "X")
        }
    }

    private static func shortest(_ v: Double) -> Digits {
        parse(goFormatShortest(v.magnitude, exponent: false))
    }

    /// The exact decimal value of `v`, rounded half to even to `significant` digits.
    private static func rounded(_ v: Double, significant: Int) -> Digits {
        guard v != 0 else { return Digits(digits: [], point: 0) }
        let fractionDigits = max(0, -Int(v.magnitude.ulp.exponent))
        var d = parse(goFormatFixed(v.magnitude, precision: fractionDigits))
        guard significant < d.digits.count else { return d }
        let next = d.digits[significant]
        var up = next > UInt8(ascii: "5")
        if next == UInt8(ascii: "5") {
            let beyond = d.digits[(significant + 1)...].contains { $0 != UInt8(ascii: "0") }
            up = beyond || (significant > 0 && (d.digits[significant - 1] - UInt8(ascii: "0")) % 2 == 1)
        }
        d.digits.removeSubrange(significant...)
        if up {
            var i = significant - 1
            while i >= 0, d.digits[i] == UInt8(ascii: "9") {
                d.digits.removeLast()
                i -= 1
            }
            if i >= 0 {
                d.digits[i] += 1
            } else {
                d.digits = [UInt8(ascii: "1")]
                d.point += 1
            }
        }
        while d.digits.last == UInt8(ascii: "0") { d.digits.removeLast() }
        return d
    }

    /// Digits of a plain decimal text such as "0.00125" or "1200".
    private static func parse(_ text: String) -> Digits {
        var digits: [UInt8] = []
        var point: Int? = nil
        for c in text.utf8 {
            if c == UInt8(ascii: ".") {
                point = digits.count
            } else if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                digits.append(c)
            }
        }
        var p = point ?? digits.count
        while digits.first == UInt8(ascii: "0") {
            digits.removeFirst()
            p -= 1
        }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        return Digits(digits: digits, point: digits.isEmpty ? 0 : p)
    }

    /// Go's `fmtE`: d.ddde±dd.
    private static func exponentForm(_ d: Digits, precision: Int, e: Character) -> String {
        var out = String(UnicodeScalar(d.digits.first ?? UInt8(ascii: "0")))
        if precision > 0 {
            out += "."
            for i in 1...precision {
                out.unicodeScalars.append(UnicodeScalar(i < d.digits.count ? d.digits[i] : UInt8(ascii: "0")))
            }
        }
        let exponent = d.digits.isEmpty ? 0 : d.point - 1
        let magnitude = String(exponent.magnitude)
        return out + String(e) + (exponent < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" : "") + magnitude
    }

    /// Go's `fmtF`: ddd.ddd with `precision` fraction digits.
    private static func fixedForm(_ d: Digits, precision: Int) -> String {
        var out = ""
        if d.point > 0 {
            for i in 0..<d.point { out.unicodeScalars.append(UnicodeScalar(i < d.digits.count ? d.digits[i] : UInt8(ascii: "0"))) }
        } else {
            out = "0"
        }
        if precision > 0 {
            out += "."
            for i in 0..<precision {
                let j = d.point + i
                out.unicodeScalars.append(UnicodeScalar(j >= 0 && j < d.digits.count ? d.digits[j] : UInt8(ascii: "0")))
            }
        }
        return out
    }

    /// Go's 'b' format: mantissa "p" binary exponent, e.g. 4503599627370496p-52.
    private static func binaryForm(_ v: Double) -> String {
        if v == 0 { return "0p-1074" }
        var mantissa = v.significandBitPattern
        var exponent = Int(v.exponentBitPattern)
        if exponent == 0 {
            exponent = 1
        } else {
            mantissa |= 1 << 52
        }
        exponent -= 1075
        return "\(mantissa)p" + (exponent >= 0 ? "+" : "") + String(exponent)
    }

    /// Go's 'x' format (`fmtX`): 0x1.8p+01, the mantissa rounded to `precision` hex digits
    /// (half to even) when 0 ≤ precision < 15, else as short as it goes.
    private static func hexForm(_ v: Double, precision: Int, upper: Bool) -> String {
        var exponent = 0
        var mantissa: UInt64 = 0
        if v != 0 {
            mantissa = v.significandBitPattern
            exponent = Int(v.exponentBitPattern)
            if exponent == 0 {
                exponent = 1
            } else {
                mantissa |= 1 << 52
            }
            exponent -= 1023
        }
        // The leading 1 at bit 60.
        mantissa <<= 8
        while mantissa != 0 && mantissa & (1 << 60) == 0 {
            mantissa <<= 1
            exponent -= 1
        }
        if precision >= 0 && precision < 15 {
            let shift = UInt64(precision * 4)
            let extra = (mantissa << shift) & ((1 << 60) - 1)
            mantissa >>= 60 - shift
            if extra | (mantissa & 1) > 1 << 59 { mantissa += 1 }
            mantissa <<= 60 - shift
            if mantissa & (1 << 61) != 0 {
                mantissa >>= 1
                exponent += 1
            }
        }
        let digits = Array(upper ? "0123456789ABCDEF" : "0123456789abcdef")
        var out = upper ? "0X" : "0x"
        out.append(digits[Int((mantissa >> 60) & 1)])
        mantissa <<= 4
        if precision < 0 && mantissa != 0 {
            out += "."
            while mantissa != 0 {
                out.append(digits[Int((mantissa >> 60) & 15)])
                mantissa <<= 4
            }
        } else if precision > 0 {
            out += "."
            for _ in 0..<precision {
                out.append(digits[Int((mantissa >> 60) & 15)])
                mantissa <<= 4
            }
        }
        let e = String(exponent.magnitude)
        return out + (upper ? "P" : "p") + (exponent < 0 ? "-" : "+") + (e.count < 2 ? "0" : "") + e
    }
}
