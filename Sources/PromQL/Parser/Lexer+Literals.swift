// Lexer: string literals (Go escape rules), numbers and durations — ports of lexString,
// lexEscape, lexRawString, lexNumberOrDuration, scanNumber and acceptRemainingDuration.

import MetricModel

extension Lexer {
    /// A `"…"` or `'…'` string; the opening quote has been read.
    mutating func lexString() throws(ParseError) -> Token {
        while true {
            let r = nextScalar()
            if width == 0 || r == "\n" { throw error("unterminated quoted string") }
            if r == "\\" {
                try lexEscape()
                continue
            }
            if r == "\u{FFFD}" { throw error("invalid UTF-8 rune") }
            if r.value == UInt32(stringOpen) { break }
        }
        return emit(.string)
    }

    /// A `` `…` `` raw string; the opening backtick has been read.
    mutating func lexRawString() throws(ParseError) -> Token {
        while true {
            let r = nextScalar()
            if width == 0 { throw error("unterminated raw string") }
            if r == "\u{FFFD}" { throw error("invalid UTF-8 rune") }
            if r.value == UInt32(stringOpen) { break }
        }
        return emit(.string)
    }

    /// One escape sequence; the backslash has been read (Go's `go/scanner` rules).
    mutating func lexEscape() throws(ParseError) {
        var ch = nextScalar()
        var atEnd = width == 0
        let count: Int
        let base: UInt32
        let maxValue: UInt32
        switch ch {
        case _ where atEnd:
            throw error("escape sequence not terminated")
        case "a", "b", "f", "n", "r", "t", "v", "\\":
            return
        case _ where ch.value == UInt32(stringOpen):
            return
        case "0", "1", "2", "3", "4", "5", "6", "7":
            (count, base, maxValue) = (3, 8, 255)
        case "x":
            ch = nextScalar()
            atEnd = width == 0
            (count, base, maxValue) = (2, 16, 255)
        case "u":
            ch = nextScalar()
            atEnd = width == 0
            (count, base, maxValue) = (4, 16, 0x10FFFF)
        case "U":
            ch = nextScalar()
            atEnd = width == 0
            (count, base, maxValue) = (8, 16, 0x10FFFF)
        default:
            throw error("unknown escape sequence \(goUnicodeDescription(ch))")
        }
        var x: UInt32 = 0
        var remaining = count
        while remaining > 0 {
            let d = atEnd ? 16 : digitValue(ch)
            if d >= base {
                if atEnd { throw error("escape sequence not terminated") }
                throw error("illegal character \(goUnicodeDescription(ch)) in escape sequence")
            }
            x = x &* base &+ d
            remaining -= 1
            if remaining > 0 {
                ch = nextScalar()
                atEnd = width == 0
            }
        }
        if x > maxValue || (0xD800..<0xE000).contains(x) {
            throw error("escape sequence is an invalid Unicode code point")
        }
    }

    /// A number, or a duration such as `1h30m`; the first character is a digit or `.`.
    mutating func lexNumberOrDuration() throws(ParseError) -> Token {
        if scanNumber() { return emit(.number) }
        if acceptRemainingDuration() {
            backup()
            return emit(.duration)
        }
        let text = String(decoding: input[start..<pos], as: UTF8.self)
        throw error("bad number or duration syntax: \(goQuote(text))")
    }

    /// Go's `acceptRemainingDuration`: units `smhdwy` (and `ms`), digits and units repeating,
    /// then a non-alphanumeric character (consumed; the caller backs up).
    mutating func acceptRemainingDuration() -> Bool {
        if !accept("smhdwy") { return false }
        _ = accept("s")
        while accept("0123456789") {
            while accept("0123456789") {}
            if !accept("smhdw") { return false }
            _ = accept("s")
        }
        let r = nextScalar()
        return width == 0 || !isAlphaNumeric(r)
    }

    /// Go's `scanNumber`: decimal, hexadecimal (`0x…`), `_` separators, one `.`, one exponent.
    /// The text is not necessarily a valid number; the parser checks it.
    mutating func scanNumber() -> Bool {
        let initial = pos
        var hex = false
        if accept("0") && accept("xX") {
            _ = accept("_")
            hex = true
        }
        func acceptDigit(_ lexer: inout Lexer) -> Bool {
            hex ? lexer.accept("0123456789abcdefABCDEF") : lexer.accept("0123456789")
        }
        func isDigitNext(_ lexer: Lexer) -> Bool {
            hex ? lexer.isNext("0123456789abcdefABCDEF") : lexer.isNext("0123456789")
        }
        _ = accept(".")
        _ = acceptDigit(&self)
        var dotConsumed = false
        var exponentConsumed = false
        while isDigitNext(self) || isNext("._eE") {
            if isNext(".") && dotConsumed {
                _ = accept(".")
                return false
            }
            if isNext("eE") && exponentConsumed {
                _ = accept("eE")
                return false
            }
            if accept(".") {
                dotConsumed = true
                if accept("_.") { return false }
                if hex { return false }
                continue
            }
            if accept("eE") {
                exponentConsumed = true
                _ = accept("+-")
                if accept("._eE") || pos >= input.count { return false }
                continue
            }
            if accept("_") {
                if accept("._eE") || pos >= input.count { return false }
                continue
            }
            while acceptDigit(&self) {}
        }
        if pos == initial { return false }
        let next = peekScalar()
        return width == 0 || !isAlphaNumeric(next)
    }
}

/// The value of a hexadecimal digit, or 16 when `c` is not one.
private func digitValue(_ c: Unicode.Scalar) -> UInt32 {
    switch c {
    case "0"..."9": return c.value - 0x30
    case "a"..."f": return c.value - 0x61 + 10
    case "A"..."F": return c.value - 0x41 + 10
    default: return 16
    }
}
