// How the HTTP API writes sample values and timestamps (spec/compat-apis.md §1.3), byte for
// byte as Prometheus's `util/jsonutil` (MarshalFloat, MarshalTimestamp) does.

internal import MetricModel

/// A sample value as Prometheus writes it inside JSON strings.
///
/// Go's `strconv.FormatFloat(v, fmt, -1, 64)` with the shortest round-trip digits, where
/// `fmt` is `'e'` when `0 < |v| < 1e-6` or `|v| >= 1e21` and `'f'` otherwise; the exponent
/// has a sign and at least two digits. Special values are `NaN`, `+Inf`, `-Inf`; negative
/// zero is `-0`. Every NaN (including the stale marker) prints as `NaN`.
///
/// ```swift
/// formatValue(1)          // "1"
/// formatValue(0.1)        // "0.1"
/// formatValue(1.2345678e-6) // "0.0000012345678"
/// formatValue(1e-7)       // "1e-07"
/// formatValue(1e21)       // "1e+21"
/// formatValue(.infinity)  // "+Inf"
/// ```
package func formatValue(_ v: Double) -> String {
    let magnitude = v.magnitude
    let exponent = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)
    return goFormatShortest(v, exponent: exponent)
}

/// A timestamp in milliseconds as Prometheus writes it into JSON: a number of seconds.
///
/// The integer seconds, then — only when the milliseconds are not a whole second — a dot
/// and exactly three digits. Prometheus keeps trailing zeros there (`1.500`, `0.010`), so
/// we do too; JSON readers see the same number either way.
///
/// ```swift
/// formatTimestamp(1_435_781_451_781)  // "1435781451.781"
/// formatTimestamp(1_435_781_430_000)  // "1435781430"
/// formatTimestamp(-1_500)             // "-1.500"
/// formatTimestamp(1)                  // "0.001"
/// ```
package func formatTimestamp(_ milliseconds: Int64) -> String {
    let magnitude = milliseconds.magnitude
    var out = milliseconds < 0 ? "-" : ""
    out += String(magnitude / 1000)
    let fraction = magnitude % 1000
    if fraction != 0 {
        out += fraction < 10 ? ".00" : (fraction < 100 ? ".0" : ".")
        out += String(fraction)
    }
    return out
}

/// ``formatValue(_:)`` appended to a byte buffer without intermediate strings or arrays: the
/// JSON writer of query results calls this once per point (21,690 times for a 1h/15s range
/// query over 90 series), where the string version's allocations showed in profiles.
///
/// Integral values below 1e15 are printed directly; others lay out the shortest round-trip digits
/// of Swift's `description` (the same digits Go's `strconv` picks) the Go way.
package func appendValue(_ v: Double, to out: inout [UInt8]) {
    if v.isNaN { return out.append(contentsOf: "NaN".utf8) }
    if v.isInfinite { return out.append(contentsOf: (v < 0 ? "-Inf" : "+Inf").utf8) }
    if v.sign == .minus { out.append(UInt8(ascii: "-")) }
    let magnitude = v.magnitude
    if magnitude < 1e15 && magnitude == magnitude.rounded(.towardZero) {
        appendDecimal(UInt64(magnitude), to: &out)
        return
    }
    if magnitude < 1e9 {
        // At most 3 decimals (exporter data: 0.53, 12.5, 1024.125): when the double nearest to
        // k / 10^d is this value, those digits are its shortest round-trip text. Below 1e9 an ulp is
        // far below 10^-3, so no shorter decimal can round to it (smaller d was tried first), and
        // k and 10^d are exact, so the division is the correctly rounded k / 10^d.
        var scale = 10.0
        for decimals in 1...3 {
            // Round to an integer (nearest, ties to even) by adding and removing 2^52: exact for
            // 0 <= x < 2^52, without a libm call. A tie never matches below anyway.
            let k = (magnitude * scale + 0x1p52) - 0x1p52
            if k / scale == magnitude {
                appendFixed(UInt64(k), decimals: decimals, to: &out)
                return
            }
            scale *= 10
        }
    }
    if magnitude >= 1e-4 && magnitude < 1e15 {
        // Not integral here, so below 2^52: Swift's `description` is then plain `ddd.ddd` with the
        // shortest round-trip digits and no exponent, exactly Go's text (checked against
        // goFormatShortest and recorded Go output in APIFormatTests).
        var text = magnitude.description
        text.withUTF8 { out.append(contentsOf: $0) }
        return
    }
    let exponentForm = magnitude < 1e-6 || magnitude >= 1e21
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digits in
        // `description` of a positive finite double: `d.ddd`, `ddd.0`, `d.ddde-07` or `de+21`,
        // at most 17 significant digits.
        var count = 0
        var pointAt = -1
        var exponent = 0
        var exponentSign = 1
        var inExponent = false
        for c in magnitude.description.utf8 {
            switch c {
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            case UInt8(ascii: "-"): exponentSign = -1
            case UInt8(ascii: "+"): break
            case UInt8(ascii: "."): pointAt = count
            default:
                if inExponent {
                    exponent = exponent * 10 + Int(c &- UInt8(ascii: "0"))
                } else if count < 32 {
                    digits[count] = c
                    count += 1
                }
            }
        }
        var point = (pointAt < 0 ? count : pointAt) + exponentSign * exponent
        var start = 0
        while start < count && digits[start] == UInt8(ascii: "0") {
            start += 1
            point -= 1
        }
        var end = count
        while end > start && digits[end - 1] == UInt8(ascii: "0") { end -= 1 }
        let significant = UnsafeBufferPointer(rebasing: digits[start..<end])
        if exponentForm {
            out.append(significant[0])
            if significant.count > 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: significant[1...])
            }
            let e = point - 1
            out.append(contentsOf: (e < 0 ? "e-" : "e+").utf8)
            if e.magnitude < 10 { out.append(UInt8(ascii: "0")) }
            appendDecimal(UInt64(e.magnitude), to: &out)
        } else if point <= 0 {
            out.append(contentsOf: "0.".utf8)
            for _ in 0..<(-point) { out.append(UInt8(ascii: "0")) }
            out.append(contentsOf: significant)
        } else if point >= significant.count {
            out.append(contentsOf: significant)
            for _ in 0..<(point - significant.count) { out.append(UInt8(ascii: "0")) }
        } else {
            out.append(contentsOf: significant[..<point])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: significant[point...])
        }
    }
}

/// ``formatTimestamp(_:)`` appended to a byte buffer.
package func appendTimestamp(_ milliseconds: Int64, to out: inout [UInt8]) {
    if milliseconds < 0 { out.append(UInt8(ascii: "-")) }
    let magnitude = milliseconds.magnitude
    appendDecimal(magnitude / 1000, to: &out)
    let fraction = magnitude % 1000
    if fraction != 0 {
        out.append(UInt8(ascii: "."))
        out.append(UInt8(ascii: "0") &+ UInt8(fraction / 100))
        out.append(UInt8(ascii: "0") &+ UInt8(fraction / 10 % 10))
        out.append(UInt8(ascii: "0") &+ UInt8(fraction % 10))
    }
}

/// The decimal digits of `n`.
private func appendDecimal(_ n: UInt64, to out: inout [UInt8]) {
    appendFixed(n, decimals: 0, to: &out)
}

/// `n / 10^decimals` in decimal: the digits of `n` with a point before the last `decimals` of
/// them (and `0.` and zeros in front when `n` has no more digits than that). Laid out back to
/// front in a stack buffer, then appended at once.
private func appendFixed(_ n: UInt64, decimals: Int, to out: inout [UInt8]) {
    if n < 10 && decimals == 0 { return out.append(UInt8(ascii: "0") &+ UInt8(n)) }
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buffer in
        var i = 48
        var rest = n
        var written = 0
        // Digits, two per division, with the point inserted after `decimals` of them.
        @inline(__always) func put(_ digit: UInt64) {
            if written == decimals && decimals > 0 {
                i -= 1
                buffer[i] = UInt8(ascii: ".")
            }
            i -= 1
            buffer[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: digit)
            written += 1
        }
        while rest >= 100 {
            let pair = rest % 100
            rest /= 100
            put(pair % 10)
            put(pair / 10)
        }
        put(rest % 10)
        if rest >= 10 { put(rest / 10) }
        // Leading zeros up to the point, and the zero before it.
        while written <= decimals && decimals > 0 { put(0) }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[i..<48]))
    }
}

