// Lexer: spaces, comments, identifiers and keywords, and the ASCII character classes
// Prometheus's lexer uses.

extension Lexer {
    mutating func skipSpaces() {
        while pos < input.count, isSpaceByte(input[pos]) { pos += 1 }
        ignore()
    }

    /// Go's `lexLineComment`: `#` up to (not including) the end of the line.
    mutating func lexLineComment() -> Token {
        pos += 1
        while pos < input.count, input[pos] != UInt8(ascii: "\n"), input[pos] != UInt8(ascii: "\r") {
            pos += 1
        }
        return emit(.comment)
    }

    /// `step`, `range`, `max_of` or `min_of` (any case) inside brackets; nil otherwise.
    mutating func scanDurationKeyword() -> Token? {
        while isAlpha(peekScalar()) { _ = nextScalar() }
        let word = String(decoding: input[start..<pos], as: UTF8.self).lowercased()
        switch word {
        case "step": return emit(.step)
        case "range": return emit(.range)
        case "max_of": return emit(.maxOf)
        case "min_of": return emit(.minOf)
        default: return nil
        }
    }

    /// An identifier, metric identifier (with `:`), keyword, or `inf`/`nan` number.
    mutating func lexKeywordOrIdentifier() -> Token {
        while true {
            let r = nextScalar()
            if !(isAlphaNumeric(r) || r == ":") {
                backup()
                break
            }
        }
        let word = String(decoding: input[start..<pos], as: UTF8.self).lowercased()
        if word == "inf" || word == "nan" { return emit(.number) }
        if let keyword = TokenKind.keywords[word] {
            if keyword == .fill || keyword == .fillLeft || keyword == .fillRight, !followedByLeftParen() {
                return emit(.identifier)
            }
            return emit(keyword)
        }
        return emit(word.utf8.contains(UInt8(ascii: ":")) ? .metricIdentifier : .identifier)
    }

    /// Whether the next non-space byte is `(`.
    func followedByLeftParen() -> Bool {
        var i = pos
        while i < input.count, isSpaceByte(input[i]) { i += 1 }
        return i < input.count && input[i] == UInt8(ascii: "(")
    }
}

// MARK: - Character classes (ASCII only, as in Prometheus)

@inline(__always)
func isSpaceByte(_ b: UInt8) -> Bool {
    b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r")
}

@inline(__always)
func isDigit(_ r: Unicode.Scalar) -> Bool { r >= "0" && r <= "9" }

@inline(__always)
func isAlpha(_ r: Unicode.Scalar) -> Bool { r == "_" || (r >= "a" && r <= "z") || (r >= "A" && r <= "Z") }

@inline(__always)
func isAlphaNumeric(_ r: Unicode.Scalar) -> Bool { isAlpha(r) || isDigit(r) }

/// First letters of `step`, `range`, `max_of`, `min_of`, in either case.
@inline(__always)
func isDurationKeywordStart(_ r: Unicode.Scalar) -> Bool {
    r == "s" || r == "r" || r == "m" || r == "S" || r == "R" || r == "M"
}
