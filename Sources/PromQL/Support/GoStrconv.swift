// Go's `strconv.ParseInt(s, 0, 64)` and `strconv.ParseFloat(s, 64)` acceptance rules and
// results, plus Go's float→int64 conversion, so PromQL numbers and API parameters parse
// exactly as in Prometheus. Digits are converted by Swift's correctly rounded parser.

internal import MetricModel

/// Why a Go `strconv` parse failed; `description` is Go's `NumError.Err` text.
enum GoNumberError: Error, CustomStringConvertible {
    case syntax
    case range

    var description: String {
        switch self {
        case .syntax: "invalid syntax"
        case .range: "value out of range"
        }
    }
}

@inline(__always)
private func lower(_ c: UInt8) -> UInt8 { c | 0x20 }

@inline(__always)
private func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

/// Go's `strconv.ParseInt(s, 0, 64)`: sign, `0x`/`0o`/`0b`/leading-`0` prefixes, underscores.
func goParseInt(_ text: some StringProtocol) -> Result<Int64, GoNumberError> {
    let all = Array(text.utf8)[...]
    var s = all
    guard !s.isEmpty else { return .failure(.syntax) }
    var negative = false
    if s.first == UInt8(ascii: "+") {
        s = s.dropFirst()
    } else if s.first == UInt8(ascii: "-") {
        negative = true
        s = s.dropFirst()
    }
    guard !s.isEmpty else { return .failure(.syntax) }
    let unsignedText = s
    var base: UInt64 = 10
    if s.first == UInt8(ascii: "0") {
        let second = s.count >= 3 ? lower(s[s.startIndex + 1]) : 0
        switch second {
        case UInt8(ascii: "b"): base = 2; s = s.dropFirst(2)
        case UInt8(ascii: "o"): base = 8; s = s.dropFirst(2)
        case UInt8(ascii: "x"): base = 16; s = s.dropFirst(2)
        default: base = 8; s = s.dropFirst()
        }
    }
    var n: UInt64 = 0
    var underscores = false
    var overflow = false
    for c in s {
        let d: UInt64
        if c == UInt8(ascii: "_") {
            underscores = true
            continue
        } else if isDigit(c) {
            d = UInt64(c - UInt8(ascii: "0"))
        } else if lower(c) >= UInt8(ascii: "a") && lower(c) <= UInt8(ascii: "z") {
            d = UInt64(lower(c) - UInt8(ascii: "a") + 10)
        } else {
            return .failure(.syntax)
        }
        if d >= base { return .failure(.syntax) }
        if overflow { continue }
        let (m, o1) = n.multipliedReportingOverflow(by: base)
        let (a, o2) = m.addingReportingOverflow(d)
        if o1 || o2 { overflow = true } else { n = a }
    }
    if overflow { return .failure(.range) }
    if underscores && !goUnderscoreOK(unsignedText) { return .failure(.syntax) }
    let cutoff: UInt64 = 1 << 63
    if !negative && n >= cutoff { return .failure(.range) }
    if negative && n > cutoff { return .failure(.range) }
    return .success(negative ? Int64(bitPattern: 0 &- n) : Int64(n))
}

/// Go's `strconv.ParseFloat(s, 64)`: decimal and `0x…p…` hexadecimal floats with optional
/// sign and underscores, `inf`/`infinity`/`nan` in any case; overflow is `.range`.
func goParseFloat(_ text: some StringProtocol) -> Result<Double, GoNumberError> {
    let s = Array(text.utf8)
    if let special = goSpecialFloat(s) { return .success(special) }
    guard let cleaned = goReadFloat(s), let value = Double(cleaned) else { return .failure(.syntax) }
    if value.isInfinite { return .failure(.range) }
    return .success(value)
}

/// Go's `special`: `[+-]inf`, `[+-]infinity`, `nan`, case-insensitive, whole string only.
private func goSpecialFloat(_ s: [UInt8]) -> Double? {
    var i = 0
    var sign: Double = 1
    if let first = s.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
        if first == UInt8(ascii: "-") { sign = -1 }
        i = 1
    }
    let rest = String(decoding: s[i...], as: UTF8.self).lowercased()
    if rest == "inf" || rest == "infinity" { return sign * .infinity }
    if i == 0 && rest == "nan" { return .nan }
    return nil
}

/// Go's `readFloat` syntax check over the whole string; returns the text without
/// underscores (ready for Swift's parser) when Go would accept it.
private func goReadFloat(_ s: [UInt8]) -> String? {
    var i = 0
    var out: [UInt8] = []
    out.reserveCapacity(s.count)
    var underscores = false
    if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
        out.append(s[i])
        i += 1
    }
    var hex = false
    if i + 2 < s.count, s[i] == UInt8(ascii: "0"), lower(s[i + 1]) == UInt8(ascii: "x") {
        hex = true
        out.append(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: "x")])
        i += 2
    }
    var sawDot = false
    var sawDigits = false
    while i < s.count {
        let c = s[i]
        if c == UInt8(ascii: "_") {
            underscores = true
        } else if c == UInt8(ascii: ".") {
            if sawDot { break }
            sawDot = true
            out.append(c)
        } else if isDigit(c) || (hex && lower(c) >= UInt8(ascii: "a") && lower(c) <= UInt8(ascii: "f")) {
            sawDigits = true
            out.append(c)
        } else {
            break
        }
        i += 1
    }
    guard sawDigits else { return nil }
    let expChar = hex ? UInt8(ascii: "p") : UInt8(ascii: "e")
    if i < s.count, lower(s[i]) == expChar {
        out.append(expChar)
        i += 1
        guard i < s.count else { return nil }
        if s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
            out.append(s[i])
            i += 1
        }
        guard i < s.count, isDigit(s[i]) else { return nil }
        while i < s.count, isDigit(s[i]) || s[i] == UInt8(ascii: "_") {
            if s[i] == UInt8(ascii: "_") { underscores = true } else { out.append(s[i]) }
            i += 1
        }
    } else if hex {
        return nil
    }
    guard i == s.count else { return nil }
    if underscores && !goUnderscoreOK(s[...]) { return nil }
    return String(decoding: out, as: UTF8.self)
}

/// Go's `int64(f)` on amd64: truncation toward zero, and `Int64.min` for NaN and for values
/// outside the Int64 range (the CPU's "integer indefinite" result).
func goInt64(_ f: Double) -> Int64 {
    guard f.isFinite, f >= -9_223_372_036_854_775_808.0, f < 9_223_372_036_854_775_808.0 else {
        return .min
    }
    return Int64(f)
}
