// GoQuote: Go's `%q` / strconv.Quote for byte strings, and utf8.Valid — needed to word
// errors exactly as Prometheus does and to apply its UTF-8 checks. Slow path only, except
// `isValidUTF8`, which runs on every label value (ASCII fast path first).

/// Go string helpers over raw bytes (also used by Scrape to word config errors).
package enum GoQuote {
    /// `strconv.Quote(string(bytes))`: printable runes verbatim, `\"` and `\\` escaped, the
    /// usual `\n`/`\t`-style escapes, `\xNN` for invalid UTF-8 and control bytes, `\uNNNN`
    /// / `\UNNNNNNNN` for other non-printable runes.
    package static func quote(_ bytes: some Collection<UInt8>) -> String {
        let b = Array(bytes)
        var out = "\""
        var k = 0
        while k < b.count {
            guard let (scalar, width) = decodeScalar(b, k) else {
                out += "\\x" + hex(UInt32(b[k]), digits: 2)
                k += 1
                continue
            }
            k += width
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x07: out += "\\a"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x0B: out += "\\v"
            default:
                if isPrint(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + hex(scalar.value, digits: 2)
                } else if scalar.value < 0x10000 {
                    out += "\\u" + hex(scalar.value, digits: 4)
                } else {
                    out += "\\U" + hex(scalar.value, digits: 8)
                }
            }
        }
        return out + "\""
    }

    /// Go's `unicode.IsPrint`: categories L, M, N, P, S and the ASCII space.
    static func isPrint(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 { return s.value >= 0x20 && s.value < 0x7F }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    /// `utf8.Valid` over `bytes[range]`.
    @inline(__always)
    static func isValidUTF8(_ b: [UInt8], _ range: Range<Int>) -> Bool {
        var k = range.lowerBound
        while k < range.upperBound {
            if b[k] < 0x80 {
                k += 1
                continue
            }
            guard let (_, width) = decodeScalar(b, k, limit: range.upperBound) else { return false }
            k += width
        }
        return true
    }

    /// Decodes one well-formed UTF-8 scalar at `k` (shortest form, no surrogates, <= U+10FFFF).
    static func decodeScalar(_ b: [UInt8], _ k: Int, limit: Int? = nil) -> (Unicode.Scalar, Int)? {
        let end = limit ?? b.count
        let c0 = b[k]
        if c0 < 0x80 { return (Unicode.Scalar(c0), 1) }
        let width: Int
        var value: UInt32
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch c0 {
        case 0xC2...0xDF: width = 2; value = UInt32(c0 & 0x1F)
        case 0xE0: width = 3; value = 0; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: width = 3; value = UInt32(c0 & 0x0F)
        case 0xED: width = 3; value = 0x0D; high = 0x9F
        case 0xF0: width = 4; value = 0; low = 0x90
        case 0xF1...0xF3: width = 4; value = UInt32(c0 & 0x07)
        case 0xF4: width = 4; value = 4; high = 0x8F
        default: return nil
        }
        guard k + width <= end else { return nil }
        for j in 1..<width {
            let c = b[k + j]
            if j == 1 {
                guard c >= low && c <= high else { return nil }
            } else {
                guard c >= 0x80 && c <= 0xBF else { return nil }
            }
            value = value << 6 | UInt32(c & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, width)
    }

    private static func hex(_ v: UInt32, digits: Int) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }
}
