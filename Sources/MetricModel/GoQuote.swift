// Go's string and rune quoting (`strconv.Quote`, `%q`, `%#U`), which Prometheus's error
// messages and PromQL printer use; reproduced so our messages match byte for byte.

/// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
package func goIsPrint(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    if v < 0x80 { return v >= 0x20 && v < 0x7F }
    switch scalar.properties.generalCategory {
    case .spaceSeparator, .lineSeparator, .paragraphSeparator,
        .control, .format, .surrogate, .privateUse, .unassigned:
        return false
    default:
        return true
    }
}

/// Appends the escaped form of `scalar` inside a Go quoted literal delimited by `quote`.
private func appendGoEscaped(_ scalar: Unicode.Scalar, quote: Unicode.Scalar, to out: inout String) {
    if scalar == quote || scalar == "\\" {
        out.append("\\")
        out.unicodeScalars.append(scalar)
        return
    }
    if goIsPrint(scalar) {
        out.unicodeScalars.append(scalar)
        return
    }
    switch scalar {
    case "\u{07}": out += "\\a"
    case "\u{08}": out += "\\b"
    case "\u{0C}": out += "\\f"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    case "\u{0B}": out += "\\v"
    default:
        let v = scalar.value
        if v < 0x20 || v == 0x7F {
            out += "\\x" + hexDigits(v, width: 2)
        } else if v < 0x10000 {
            out += "\\u" + hexDigits(v, width: 4)
        } else {
            out += "\\U" + hexDigits(v, width: 8)
        }
    }
}

/// Lower-case hexadecimal, zero-padded to `width`.
package func hexDigits(_ v: UInt32, width: Int) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: max(0, width - s.count)) + s
}

/// Go's `strconv.Quote(s)`: a double-quoted literal with Go escapes.
///
/// ```swift
/// goQuote("a\"b\n")  // "\"a\\\"b\\n\""
/// ```
package func goQuote(_ s: some StringProtocol) -> String {
    var out = "\""
    for scalar in s.unicodeScalars { appendGoEscaped(scalar, quote: "\"", to: &out) }
    out += "\""
    return out
}

/// Go's `strconv.Quote` of bytes that may not be valid UTF-8: a byte that does not start a
/// valid sequence is written as `\xNN` and decoding goes on at the next byte, as Go does.
package func goQuote(utf8 bytes: some Collection<UInt8>) -> String {
    let b = Array(bytes)
    var out = "\""
    var i = 0
    while i < b.count {
        let lead = b[i]
        let width = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
        if width > 0, i + width <= b.count, let text = String(validating: b[i..<(i + width)], as: UTF8.self),
            let scalar = text.unicodeScalars.first
        {
            appendGoEscaped(scalar, quote: "\"", to: &out)
            i += width
        } else {
            out += "\\x" + hexDigits(UInt32(lead), width: 2)
            i += 1
        }
    }
    out += "\""
    return out
}

/// Go's `fmt.Sprintf("%.Nq", s)`: quotes at most `maxScalars` leading code points of `s`.
package func goQuote(_ s: some StringProtocol, maxScalars: Int) -> String {
    var out = "\""
    for (i, scalar) in s.unicodeScalars.enumerated() {
        if i == maxScalars { break }
        appendGoEscaped(scalar, quote: "\"", to: &out)
    }
    out += "\""
    return out
}

/// Go's `strconv.QuoteRune(r)` (`%q` of a rune): `'x'`.
package func goQuoteRune(_ scalar: Unicode.Scalar) -> String {
    var out = "'"
    appendGoEscaped(scalar, quote: "'", to: &out)
    out += "'"
    return out
}

/// Go's `%#U`: `U+0063 'c'`, or just `U+000A` when the code point is not printable.
package func goUnicodeDescription(_ scalar: Unicode.Scalar) -> String {
    var out = "U+" + hexDigits(scalar.value, width: 4).uppercased()
    if goIsPrint(scalar) {
        out += " '"
        out.unicodeScalars.append(scalar)
        out += "'"
    }
    return out
}
