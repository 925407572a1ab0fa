// Go's literal syntax as text/template reads it: `strconv.Unquote` for "…" and `…` strings,
// `strconv.UnquoteChar` for 'c' constants, and `strconv.ParseInt` / `ParseUint` with base 0
// (prefixes 0x 0o 0b, a leading 0 for octal, `_` between digits) and `ParseFloat`.

enum GoLiteral {
    /// Go's `strconv.ErrSyntax` text.
    static let invalidSyntax = "invalid syntax"

    /// `strconv.Unquote` of a double-quoted or raw string literal; nil when malformed.
    /// Escapes of single bytes (`\xff`, `\377`) that are not UTF-8 decode as U+FFFD.
    static func unquote(_ literal: String) -> String? {
        let bytes = Array(literal.utf8)
        guard bytes.count >= 2, let quote = bytes.first, bytes.last == quote else { return nil }
        let body = bytes[1..<(bytes.count - 1)]
        if quote == UInt8(ascii: "`") {
            guard !body.contains(UInt8(ascii: "`")) else { return nil }
            return String(decoding: body.filter { $0 != UInt8(ascii: "\r") }, as: UTF8.self)
        }
        guard quote == UInt8(ascii: "\"") else { return nil }
        var out: [UInt8] = []
        var i = body.startIndex
        while i < body.endIndex {
            guard let (decoded, next) = unquoteOne(body, at: i, quote: quote) else { return nil }
            out.append(contentsOf: decoded)
            i = next
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `strconv.UnquoteChar` of a character constant `'x'`: its code point, or an error text.
    static func unquoteChar(_ literal: String) -> Result<UInt32, ParseMessage> {
        let bytes = Array(literal.utf8)
        guard bytes.count >= 2 else { return .failure(ParseMessage(invalidSyntax)) }
        let body = bytes[1...]
        guard let (decoded, next) = unquoteOne(body, at: body.startIndex, quote: UInt8(ascii: "'"), rune: true)
        else { return .failure(ParseMessage(invalidSyntax)) }
        guard next == bytes.count - 1, bytes.last == UInt8(ascii: "'") else {
            return .failure(ParseMessage("malformed character constant: \(literal)"))
        }
        if decoded.count == 1 { return .success(UInt32(decoded[0])) }
        let scalar = String(decoding: decoded, as: UTF8.self).unicodeScalars.first?.value ?? 0xFFFD
        return .success(scalar)
    }

    /// One character or escape at `i`: its bytes (UTF-8, or the single byte of `\x`/octal
    /// escapes; in a rune, those are code points) and the index after it.
    private static func unquoteOne(
        _ s: ArraySlice<UInt8>, at i: Int, quote: UInt8, rune: Bool = false
    ) -> ([UInt8], Int)? {
        let c = s[i]
        if c == quote && (quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"")) { return nil }
        if c >= 0x80 {
            let text = String(decoding: s[i...].prefix(4), as: UTF8.self)
            guard let scalar = text.unicodeScalars.first else { return nil }
            return (Array(String(scalar).utf8), i + max(1, scalar == "\u{FFFD}" ? 1 : UTF8.width(scalar)))
        }
        guard c == UInt8(ascii: "\\") else { return ([c], i + 1) }
        guard i + 1 < s.endIndex else { return nil }
        let e = s[i + 1]
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "a"): 7, UInt8(ascii: "b"): 8, UInt8(ascii: "f"): 12, UInt8(ascii: "n"): 10,
            UInt8(ascii: "r"): 13, UInt8(ascii: "t"): 9, UInt8(ascii: "v"): 11, UInt8(ascii: "\\"): 92,
        ]
        if let byte = simple[e] { return ([byte], i + 2) }
        switch e {
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            guard e == quote else { return nil }
            return ([e], i + 2)
        case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = e == UInt8(ascii: "x") ? 2 : e == UInt8(ascii: "u") ? 4 : 8
            guard i + 2 + count <= s.endIndex else { return nil }
            var v: UInt32 = 0
            for d in s[(i + 2)..<(i + 2 + count)] {
                guard let h = hexValue(d) else { return nil }
                v = v * 16 + UInt32(h)
            }
            if e == UInt8(ascii: "x") { return (rune ? Array(String(Unicode.Scalar(UInt8(v))).utf8) : [UInt8(v)], i + 4) }
            guard let scalar = Unicode.Scalar(v) else { return nil }
            return (Array(String(scalar).utf8), i + 2 + count)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            guard i + 4 <= s.endIndex else { return nil }
            var v: UInt32 = 0
            for d in s[(i + 1)..<(i + 4)] {
                guard d >= UInt8(ascii: "0"), d <= UInt8(ascii: "7") else { return nil }
                v = v * 8 + UInt32(d - UInt8(ascii: "0"))
            }
            guard v <= 255 else { return nil }
            return (rune ? Array(String(Unicode.Scalar(UInt8(v))).utf8) : [UInt8(v)], i + 4)
        default:
            return nil
        }
    }

    private static func hexValue(_ d: UInt8) -> UInt8? {
        switch d {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): d - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): d - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): d - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The magnitude of an unsigned integer literal with Go's base-0 rules, nil when malformed
    /// or too big for 64 bits.
    private static func parseMagnitude(_ text: Substring) -> UInt64? {
        var digits = text
        var base: UInt64 = 10
        let lower = digits.lowercased()
        if lower.hasPrefix("0x") {
            base = 16
            digits = digits.dropFirst(2)
        } else if lower.hasPrefix("0o") {
            base = 8
            digits = digits.dropFirst(2)
        } else if lower.hasPrefix("0b") {
            base = 2
            digits = digits.dropFirst(2)
        } else if digits.count > 1 && digits.first == "0" {
            base = 8
            digits = digits.dropFirst()
        }
        guard underscoreOK(text) else { return nil }
        var value: UInt64 = 0
        var sawDigit = false
        for c in digits.utf8 where c != UInt8(ascii: "_") {
            guard let d = hexValue(c), UInt64(d) < base else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: base)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            value = a
            sawDigit = true
        }
        return sawDigit ? value : nil
    }

    /// Go's `underscoreOK`: an `_` must sit between digits (a base prefix counts as one).
    private static func underscoreOK(_ text: Substring) -> Bool {
        var s = Array(text.utf8)
        if let first = s.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { s.removeFirst() }
        enum Last { case start, digit, underscore, other }
        var last = Last.start
        var i = 0
        var hex = false
        if s.count >= 2, s[0] == UInt8(ascii: "0"), "bBoOxX".utf8.contains(s[1]) {
            i = 2
            last = .digit
            hex = s[1] | 0x20 == UInt8(ascii: "x")
        }
        while i < s.count {
            let c = s[i]
            if (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (hex && hexValue(c) != nil) {
                last = .digit
            } else if c == UInt8(ascii: "_") {
                if last != .digit { return false }
                last = .underscore
            } else {
                if last == .underscore { return false }
                last = .other
            }
            i += 1
        }
        return last != .underscore
    }

    /// `strconv.ParseUint(text, 0, 64)`.
    static func parseUnsigned(_ text: String) -> UInt64? {
        guard let first = text.first, first != "+", first != "-" else { return nil }
        return parseMagnitude(text[...])
    }

    /// `strconv.ParseInt(text, 0, 64)`.
    static func parseSigned(_ text: String) -> Int64? {
        var body = text[...]
        var negative = false
        if body.first == "+" || body.first == "-" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        guard let magnitude = parseMagnitude(body) else { return nil }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// `strconv.ParseFloat(text, 64)` for Go float literals (decimal or hex, `_` separators);
    /// nil when malformed or out of range. Also the `inf`/`nan` spellings ParseFloat accepts.
    static func parseFloat(_ text: String) -> Double? {
        var body = text[...]
        var sign = 1.0
        if body.first == "+" || body.first == "-" {
            if body.first == "-" { sign = -1 }
            body = body.dropFirst()
        }
        switch body.lowercased() {
        case "inf", "infinity": return sign * .infinity
        case "nan": return .nan
        default: break
        }
        if body.contains("_") {
            guard underscoreOK(body) else { return nil }
            body = Substring(body.filter { $0 != "_" })
        }
        guard let first = body.first, first.isNumber || first == "." else { return nil }
        guard body.allSatisfy({ $0.isASCII && ($0.isHexDigit || ".xXpPeE+-".contains($0)) }) else { return nil }
        let isHex = body.lowercased().hasPrefix("0x")
        if isHex && !body.lowercased().contains("p") { return nil }
        if !isHex && body.contains(where: { "abcdfABCDFxXpP".contains($0) }) { return nil }
        guard let v = Double(String(body)), v.isFinite else { return nil }
        return sign * v
    }
}

/// A parse error's text before it gets its `template: name:line: ` prefix.
struct ParseMessage: Error {
    var text: String

    init(_ text: String) {
        self.text = text
    }
}
