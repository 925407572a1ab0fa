// Escapes: the backslash escapes of label values, quoted names and HELP text, resolved the way
// Prometheus's `lvalReplacer` and `helpReplacer` do (unknown escapes are kept verbatim).

/// The escape rules of label values and HELP text.
enum Escapes {
    /// Prometheus's `lvalReplacer`: `\"`, `\\` and `\n`; any other backslash stays as it is.
    @inline(__always)
    static func unescapeLabelValue(_ b: [UInt8], _ r: Range<Int>, to out: inout [UInt8]) {
        unescape(b, r, quotes: true, to: &out)
    }

    /// Appends `uvarint(len) value` with label-value escapes resolved.
    @inline(__always)
    static func appendUnescapedString(_ b: [UInt8], _ r: Range<Int>, to out: inout [UInt8]) {
        var escapes = 0
        var k = r.lowerBound
        while k < r.upperBound {
            if b[k] == ASCII.backslash && k + 1 < r.upperBound && isEscaped(b[k + 1], quotes: true) {
                escapes += 1
                k += 2
            } else {
                k += 1
            }
        }
        appendLength(r.count - escapes, to: &out)
        if escapes == 0 {
            for k in r { out.append(b[k]) }
        } else {
            unescape(b, r, quotes: true, to: &out)
        }
    }

    /// Appends `uvarint(n)`, the length prefix of the flat label encoding (`LabelsEncoding`).
    @inline(__always)
    static func appendLength(_ count: Int, to out: inout [UInt8]) {
        var n = UInt(count)
        while n >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: n) | 0x80)
            n >>= 7
        }
        out.append(UInt8(n))
    }

    /// Unescapes text: label values and OpenMetrics HELP take `\"` too (`quotes`), 0.0.4 HELP
    /// only `\\` and `\n` (Prometheus's `helpReplacer`).
    static func unescape(_ b: [UInt8], _ r: Range<Int>, quotes: Bool, to out: inout [UInt8]) {
        var k = r.lowerBound
        while k < r.upperBound {
            let c = b[k]
            if c == ASCII.backslash && k + 1 < r.upperBound && isEscaped(b[k + 1], quotes: quotes) {
                let e = b[k + 1]
                out.append(e == UInt8(ascii: "n") ? ASCII.newline : e)
                k += 2
            } else {
                out.append(c)
                k += 1
            }
        }
    }

    /// The text with escapes resolved, as a String.
    static func string(_ b: [UInt8], _ r: Range<Int>, quotes: Bool = true) -> String {
        guard b[r].contains(ASCII.backslash) else { return String(decoding: b[r], as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(r.count)
        unescape(b, r, quotes: quotes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    private static func isEscaped(_ c: UInt8, quotes: Bool) -> Bool {
        c == ASCII.backslash || c == UInt8(ascii: "n") || (quotes && c == ASCII.quote)
    }
}
