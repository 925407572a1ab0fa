// Go's `strconv.FormatFloat` for float64: shortest round-trip ('f' / 'e', precision -1) and
// fixed precision ('f', n), as Prometheus's JSON encoder and PromQL printer use it, and its OTLP
// translator for `le` and `quantile` label values.
//
// Shortest digits come from Swift's `description` (also shortest, closest to the exact
// value), re-laid out the Go way. Fixed precision expands the double exactly with a small
// base-1e9 big integer and rounds half to even, as Go's `decimal.Round` does.

/// A non-negative decimal `0.d₁d₂… × 10^point` with ASCII digits, no leading zeros.
struct DecimalDigits {
    var digits: [UInt8]
    var point: Int
}

/// The shortest round-trip digits of `|v|` (finite), parsed from Swift's `description`.
func shortestDigits(_ v: Double) -> DecimalDigits {
    if v == 0 { return DecimalDigits(digits: [], point: 0) }
    var mantissa: [UInt8] = []
    var pointAt: Int? = nil
    var exponent = 0
    var exponentSign = 1
    var inExponent = false
    var exponentDigits = 0
    for c in v.magnitude.description.utf8 {
        switch c {
        case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
        case UInt8(ascii: "-") where inExponent: exponentSign = -1
        case UInt8(ascii: "+"): break
        case UInt8(ascii: "."): pointAt = mantissa.count
        default:
            if inExponent {
                exponent = exponent * 10 + Int(c - UInt8(ascii: "0"))
                exponentDigits += 1
            } else {
                mantissa.append(c)
            }
        }
    }
    var point = (pointAt ?? mantissa.count) + exponentSign * exponent
    // Strip leading zeros (moving the point) and trailing zeros.
    var start = 0
    while start < mantissa.count, mantissa[start] == UInt8(ascii: "0") {
        start += 1
        point -= 1
    }
    var end = mantissa.count
    while end > start, mantissa[end - 1] == UInt8(ascii: "0") { end -= 1 }
    return DecimalDigits(digits: Array(mantissa[start..<end]), point: point)
}

/// Go's `strconv.FormatFloat(v, 'f', -1, 64)` or, with `exponent`, `'e'`.
///
/// ```swift
/// goFormatShortest(1e-7, exponent: true)   // "1e-07"
/// goFormatShortest(0.1, exponent: false)   // "0.1"
/// ```
package func goFormatShortest(_ v: Double, exponent: Bool) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
    var out = v.sign == .minus ? "-" : ""
    let d = shortestDigits(v)
    let digits = d.digits.isEmpty ? [UInt8(ascii: "0")] : d.digits
    if exponent {
        out.unicodeScalars.append(Unicode.Scalar(digits[0]))
        if digits.count > 1 {
            out += "."
            out += String(decoding: digits[1...], as: UTF8.self)
        }
        let e = d.digits.isEmpty ? 0 : d.point - 1
        out += e < 0 ? "e-" : "e+"
        let magnitude = String(e.magnitude)
        if magnitude.count < 2 { out += "0" }
        out += magnitude
        return out
    }
    if d.digits.isEmpty { return out + "0" }
    if d.point <= 0 {
        out += "0." + String(repeating: "0", count: -d.point)
        out += String(decoding: d.digits, as: UTF8.self)
    } else if d.point >= d.digits.count {
        out += String(decoding: d.digits, as: UTF8.self)
        out += String(repeating: "0", count: d.point - d.digits.count)
    } else {
        out += String(decoding: d.digits[..<d.point], as: UTF8.self)
        out += "."
        out += String(decoding: d.digits[d.point...], as: UTF8.self)
    }
    return out
}

/// Go's `strconv.FormatFloat(v, 'f', precision, 64)`, which is also what Go's `%.Nf` prints
/// (`NaN`, `+Inf`, `-Inf` included): the exact value rounded half to even.
///
/// ```swift
/// goFormatFixed(2.345, precision: 3)   // "2.345"
/// goFormatFixed(0.0625, precision: 3)  // "0.062"
/// ```
package func goFormatFixed(_ v: Double, precision: Int) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
    var d = exactDigits(v.magnitude)
    roundHalfEven(&d, keep: d.point + precision)
    var out = v.sign == .minus ? "-" : ""
    if d.point <= 0 {
        out += "0"
    } else {
        for i in 0..<d.point {
            out.unicodeScalars.append(Unicode.Scalar(i < d.digits.count ? d.digits[i] : UInt8(ascii: "0")))
        }
    }
    if precision > 0 {
        out += "."
        for i in 0..<precision {
            let index = d.point + i
            let c = index >= 0 && index < d.digits.count ? d.digits[index] : UInt8(ascii: "0")
            out.unicodeScalars.append(Unicode.Scalar(c))
        }
    }
    return out
}

/// Rounds `d` to `keep` significant digits, ties to even (Go's `decimal.Round`).
private func roundHalfEven(_ d: inout DecimalDigits, keep: Int) {
    guard keep < d.digits.count else { return }
    if keep < 0 {
        d = DecimalDigits(digits: [], point: 0)
        return
    }
    let next = d.digits[keep]
    var roundUp = next > UInt8(ascii: "5")
    if next == UInt8(ascii: "5") {
        let moreNonZero = d.digits[(keep + 1)...].contains { $0 != UInt8(ascii: "0") }
        roundUp = moreNonZero || (keep > 0 && (d.digits[keep - 1] - UInt8(ascii: "0")) % 2 == 1)
    }
    d.digits.removeSubrange(keep...)
    if roundUp {
        var i = keep - 1
        while i >= 0, d.digits[i] == UInt8(ascii: "9") {
            d.digits[i] = UInt8(ascii: "0")
            i -= 1
        }
        if i >= 0 {
            d.digits[i] += 1
        } else {
            d.digits.insert(UInt8(ascii: "1"), at: 0)
            d.point += 1
        }
    }
    while let last = d.digits.last, last == UInt8(ascii: "0") { d.digits.removeLast() }
    if d.digits.isEmpty { d.point = 0 }
}

/// The exact decimal expansion of a finite, non-negative double.
func exactDigits(_ v: Double) -> DecimalDigits {
    if v == 0 { return DecimalDigits(digits: [], point: 0) }
    // v = mantissa × 2^exponent with an integer mantissa.
    var mantissa = v.significandBitPattern
    var exponent = Int(v.exponentBitPattern)
    if exponent == 0 {
        exponent = -1074
    } else {
        mantissa |= 1 << 52
        exponent -= 1075
    }
    // Limbs in base 1e9, least significant first.
    var limbs: [UInt64] = [mantissa % 1_000_000_000, (mantissa / 1_000_000_000) % 1_000_000_000,
                           mantissa / 1_000_000_000_000_000_000]
    func multiply(by factor: UInt64) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let p = limbs[i] * factor + carry
            limbs[i] = p % 1_000_000_000
            carry = p / 1_000_000_000
        }
        while carry > 0 {
            limbs.append(carry % 1_000_000_000)
            carry /= 1_000_000_000
        }
    }
    var scale = 0  // value = N / 10^scale
    if exponent >= 0 {
        var e = exponent
        while e >= 29 { multiply(by: 1 << 29); e -= 29 }
        if e > 0 { multiply(by: 1 << UInt64(e)) }
    } else {
        scale = -exponent
        var e = scale
        while e >= 12 { multiply(by: 244_140_625); e -= 12 }  // 5^12
        var rest: UInt64 = 1
        for _ in 0..<e { rest *= 5 }
        if rest > 1 { multiply(by: rest) }
    }
    while limbs.count > 1, limbs.last == 0 { limbs.removeLast() }
    var text = String(limbs.last!)
    for limb in limbs.dropLast().reversed() {
        let s = String(limb)
        text += String(repeating: "0", count: 9 - s.count) + s
    }
    var digits = Array(text.utf8)
    var point = digits.count - scale
    var start = 0
    while start < digits.count, digits[start] == UInt8(ascii: "0") {
        start += 1
        point -= 1
    }
    digits.removeSubrange(..<start)
    while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
    return DecimalDigits(digits: digits, point: point)
}

/// Go's `%g` / `strconv.FormatFloat(v, 'g', -1, 64)`: shortest digits, exponent form when
/// the decimal exponent is below -4 or at least 6 (what `promtool tsdb dump` prints).
///
/// ```swift
/// goFormatG(100000)    // "100000"
/// goFormatG(1234567)   // "1.234567e+06"
/// goFormatG(0.00001)   // "1e-05"
/// ```
package func goFormatG(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
    let d = shortestDigits(v)
    let exponent = d.digits.isEmpty ? 0 : d.point - 1
    return goFormatShortest(v, exponent: exponent < -4 || exponent >= 6)
}
