// Splits a template into text and the tokens of its actions, as Go's text/template/parse lexer
// does: `{{` `}}` delimiters with `{{- ` / ` -}}` trim markers, `{{/* */}}` comments, and inside
// actions numbers, strings, raw strings, characters, fields, variables, identifiers, keywords
// and punctuation. Errors carry Go's texts ("unclosed action", "bad character U+002B '+'").

import MetricModel

/// One lexical item and where it starts.
struct TemplateToken {
    enum Kind: Equatable {
        case error, bool, char, charConstant, complex, assign, declare, eof, field, identifier
        case leftDelim, leftParen, number, pipe, rawString, rightDelim, rightParen, space, string, text
        case variable
        // Keywords.
        case block, breakKeyword, continueKeyword, dot, define, elseKeyword, end, ifKeyword, nilKeyword
        case range, template, with

        var isKeyword: Bool {
            switch self {
            case .block, .breakKeyword, .continueKeyword, .dot, .define, .elseKeyword, .end, .ifKeyword,
                .nilKeyword, .range, .template, .with:
                true
            default: false
            }
        }
    }

    var kind: Kind
    /// Byte offset in the template text.
    var position: Int
    /// The item's text (for `.error`, the message).
    var value: String
    /// 1 + the newlines before `position`.
    var line: Int

    /// Go's `item.String()`, how parse errors show a token.
    var quoted: String {
        switch kind {
        case .eof: return "EOF"
        case .error: return value
        case _ where kind.isKeyword: return "<\(value)>"
        case _ where value.utf8.count > 10: return goQuote(value, maxScalars: 10) + "..."
        default: return goQuote(value)
        }
    }
}

/// The lexer: `tokens(of:)` runs it to the end of the input or the first error.
struct TemplateLexer {
    private let input: [UInt8]
    private var pos = 0
    private var start = 0
    private var parenDepth = 0
    private var tokens: [TemplateToken] = []
    private var lineCursor = 0
    private var lineCount = 1

    private init(_ text: String) {
        input = Array(text.utf8)
    }

    /// All tokens of `text`, ending with `.eof` or `.error`.
    static func tokens(of text: String) -> [TemplateToken] {
        var lexer = TemplateLexer(text)
        lexer.run()
        return lexer.tokens
    }

    private enum State {
        case text, leftDelim, comment, rightDelim, insideAction, space, identifier, field, variable
        case char, number, quote, rawQuote, done
    }

    private mutating func run() {
        var state = State.text
        while state != .done {
            switch state {
            case .text: state = lexText()
            case .leftDelim: state = lexLeftDelim()
            case .comment: state = lexComment()
            case .rightDelim: state = lexRightDelim()
            case .insideAction: state = lexInsideAction()
            case .space: state = lexSpace()
            case .identifier: state = lexIdentifier()
            case .field: state = lexFieldOrVariable(.field)
            case .variable: state = atTerminator() ? emit(.variable, then: .insideAction) : lexFieldOrVariable(.variable)
            case .char: state = lexQuoted(close: UInt8(ascii: "'"), kind: .charConstant, error: "unterminated character constant")
            case .number: state = lexNumber()
            case .quote: state = lexQuoted(close: UInt8(ascii: "\""), kind: .string, error: "unterminated quoted string")
            case .rawQuote: state = lexRawQuote()
            case .done: break
            }
        }
    }

    // MARK: Reading

    private static let eof: Unicode.Scalar = "\u{10FFFF}"

    /// The scalar at `at` and its width in bytes; `eof` past the end.
    private func scalar(at index: Int) -> (Unicode.Scalar, Int) {
        guard index < input.count else { return (Self.eof, 0) }
        let b0 = input[index]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        var decoder = UTF8()
        var iterator = input[index...].makeIterator()
        if case .scalarValue(let s) = decoder.decode(&iterator) { return (s, UTF8.width(s)) }
        return ("\u{FFFD}", 1)
    }

    private mutating func next() -> Unicode.Scalar {
        let (s, width) = scalar(at: pos)
        pos += width
        return s
    }

    private func peek() -> Unicode.Scalar { scalar(at: pos).0 }

    private func hasPrefix(_ prefix: String, at index: Int) -> Bool {
        let p = Array(prefix.utf8)
        guard index >= 0, index + p.count <= input.count else { return false }
        return input[index..<(index + p.count)].elementsEqual(p)
    }

    private static func isSpace(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" || s == "\r" || s == "\n" }

    private static func isSpaceByte(_ b: UInt8) -> Bool { isSpace(Unicode.Scalar(b)) }

    /// Go's `isAlphaNumeric`: `_`, a letter or a decimal digit.
    static func isAlphaNumeric(_ s: Unicode.Scalar) -> Bool {
        if s == "_" { return true }
        if s == eof { return false }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber:
            return true
        default:
            return false
        }
    }

    private func hasLeftTrimMarker(at index: Int) -> Bool {
        index + 1 < input.count && input[index] == UInt8(ascii: "-") && Self.isSpaceByte(input[index + 1])
    }

    private func hasRightTrimMarker(at index: Int) -> Bool {
        index + 1 < input.count && Self.isSpaceByte(input[index]) && input[index + 1] == UInt8(ascii: "-")
    }

    private func atRightDelim() -> (delim: Bool, trim: Bool) {
        if hasRightTrimMarker(at: pos) && hasPrefix("}}", at: pos + 2) { return (true, true) }
        return (hasPrefix("}}", at: pos), false)
    }

    // MARK: Emitting

    private mutating func line(at position: Int) -> Int {
        while lineCursor < position {
            if input[lineCursor] == UInt8(ascii: "\n") { lineCount += 1 }
            lineCursor += 1
        }
        return lineCount
    }

    private mutating func emit(_ kind: TemplateToken.Kind, then next: State) -> State {
        let value = String(decoding: input[start..<pos], as: UTF8.self)
        tokens.append(TemplateToken(kind: kind, position: start, value: value, line: line(at: start)))
        start = pos
        return next
    }

    private mutating func error(_ message: String) -> State {
        tokens.append(TemplateToken(kind: .error, position: start, value: message, line: line(at: start)))
        return .done
    }

    // MARK: States

    private mutating func lexText() -> State {
        var x = pos
        while x + 1 < input.count, !(input[x] == UInt8(ascii: "{") && input[x + 1] == UInt8(ascii: "{")) { x += 1 }
        guard x + 1 < input.count else {
            pos = input.count
            if pos > start { _ = emit(.text, then: .done) }
            return emit(.eof, then: .done)
        }
        var trimmed = x
        if hasLeftTrimMarker(at: x + 2) {
            while trimmed > start, Self.isSpaceByte(input[trimmed - 1]) { trimmed -= 1 }
        }
        pos = trimmed
        if pos > start { _ = emit(.text, then: .text) }
        pos = x
        start = pos
        return .leftDelim
    }

    private mutating func lexLeftDelim() -> State {
        pos += 2
        let afterMarker = hasLeftTrimMarker(at: pos) ? 2 : 0
        if hasPrefix("/*", at: pos + afterMarker) {
            pos += afterMarker
            start = pos
            return .comment
        }
        _ = emit(.leftDelim, then: .insideAction)
        pos += afterMarker
        start = pos
        parenDepth = 0
        return .insideAction
    }

    private mutating func lexComment() -> State {
        pos += 2
        var i = pos
        while i + 1 < input.count, !(input[i] == UInt8(ascii: "*") && input[i + 1] == UInt8(ascii: "/")) { i += 1 }
        guard i + 1 < input.count else { return error("unclosed comment") }
        pos = i + 2
        let (delim, trim) = atRightDelim()
        guard delim else { return error("comment ends before closing delimiter") }
        pos += trim ? 4 : 2
        if trim { skipLeadingSpace() }
        start = pos
        return .text
    }

    private mutating func skipLeadingSpace() {
        while pos < input.count, Self.isSpaceByte(input[pos]) { pos += 1 }
    }

    private mutating func lexRightDelim() -> State {
        let trim = hasRightTrimMarker(at: pos)
        if trim {
            pos += 2
            start = pos
        }
        pos += 2
        _ = emit(.rightDelim, then: .text)
        if trim {
            skipLeadingSpace()
            start = pos
        }
        return .text
    }

    private mutating func lexInsideAction() -> State {
        if atRightDelim().delim {
            return parenDepth == 0 ? .rightDelim : error("unclosed left paren")
        }
        let r = next()
        switch r {
        case Self.eof: return error("unclosed action")
        case _ where Self.isSpace(r):
            pos -= 1
            return .space
        case "=": return emit(.assign, then: .insideAction)
        case ":":
            guard next() == "=" else { return error("expected :=") }
            return emit(.declare, then: .insideAction)
        case "|": return emit(.pipe, then: .insideAction)
        case "\"": return .quote
        case "`": return .rawQuote
        case "$": return .variable
        case "'": return .char
        case "." where pos < input.count && !(input[pos] >= UInt8(ascii: "0") && input[pos] <= UInt8(ascii: "9")):
            return .field
        case ".", "+", "-", "0"..."9":
            pos -= 1
            return .number
        case _ where Self.isAlphaNumeric(r):
            pos -= UTF8.width(r)
            return .identifier
        case "(":
            parenDepth += 1
            return emit(.leftParen, then: .insideAction)
        case ")":
            _ = emit(.rightParen, then: .insideAction)
            parenDepth -= 1
            return parenDepth < 0 ? error("unexpected right paren \(goUnicodeDescription(r))") : .insideAction
        case _ where r.value < 0x80 && goIsPrint(r):
            return emit(.char, then: .insideAction)
        default:
            return error("unrecognized character in action: \(goUnicodeDescription(r))")
        }
    }

    private mutating func lexSpace() -> State {
        var spaces = 0
        while Self.isSpace(peek()) {
            pos += 1
            spaces += 1
        }
        // A trim-marked closing delimiter starts with a space.
        if hasRightTrimMarker(at: pos - 1) && hasPrefix("}}", at: pos + 1) {
            pos -= 1
            if spaces == 1 { return .rightDelim }
        }
        return emit(.space, then: .insideAction)
    }

    /// Go's `atTerminator`: whether what follows may end an identifier.
    private func atTerminator() -> Bool {
        let r = peek()
        if Self.isSpace(r) { return true }
        switch r {
        case Self.eof, ".", ",", "|", ":", ")", "(", "}": return true
        default: return false
        }
    }

    private mutating func absorbAlphaNumerics() -> Unicode.Scalar {
        while true {
            let (r, width) = scalar(at: pos)
            guard Self.isAlphaNumeric(r) else { return r }
            pos += width
        }
    }

    private static let keywords: [String: TemplateToken.Kind] = [
        ".": .dot, "block": .block, "break": .breakKeyword, "continue": .continueKeyword, "define": .define,
        "else": .elseKeyword, "end": .end, "if": .ifKeyword, "range": .range, "nil": .nilKeyword,
        "template": .template, "with": .with,
    ]

    private mutating func lexIdentifier() -> State {
        let stop = absorbAlphaNumerics()
        guard atTerminator() else { return error("bad character \(goUnicodeDescription(stop))") }
        let word = String(decoding: input[start..<pos], as: UTF8.self)
        if let keyword = Self.keywords[word] { return emit(keyword, then: .insideAction) }
        if word == "true" || word == "false" { return emit(.bool, then: .insideAction) }
        return emit(.identifier, then: .insideAction)
    }

    private mutating func lexFieldOrVariable(_ kind: TemplateToken.Kind) -> State {
        if atTerminator() { return emit(kind == .variable ? .variable : .dot, then: .insideAction) }
        let stop = absorbAlphaNumerics()
        guard atTerminator() else { return error("bad character \(goUnicodeDescription(stop))") }
        return emit(kind, then: .insideAction)
    }

    /// A quoted string or character constant; the opening quote is read. Syntax is checked by
    /// the parser.
    private mutating func lexQuoted(close: UInt8, kind: TemplateToken.Kind, error message: String) -> State {
        while true {
            var r = next()
            if r == "\\" {
                r = next()
                if r != Self.eof && r != "\n" { continue }
                return error(message)
            }
            if r == Self.eof || r == "\n" { return error(message) }
            if r.value == UInt32(close) { return emit(kind, then: .insideAction) }
        }
    }

    private mutating func lexRawQuote() -> State {
        while true {
            switch next() {
            case Self.eof: return error("unterminated raw quoted string")
            case "`": return emit(.rawString, then: .insideAction)
            default: continue
            }
        }
    }

    private mutating func lexNumber() -> State {
        guard scanNumber() else { return badNumber() }
        let sign = peek()
        if sign == "+" || sign == "-" {
            // Complex: 1+2i, no spaces, must end in 'i'.
            guard scanNumber(), input[pos - 1] == UInt8(ascii: "i") else { return badNumber() }
            return emit(.complex, then: .insideAction)
        }
        return emit(.number, then: .insideAction)
    }

    private mutating func badNumber() -> State {
        error("bad number syntax: \(goQuote(String(decoding: input[start..<pos], as: UTF8.self)))")
    }

    private mutating func accept(_ valid: String) -> Bool {
        guard pos < input.count, valid.utf8.contains(input[pos]) else { return false }
        pos += 1
        return true
    }

    private mutating func acceptRun(_ valid: String) {
        while accept(valid) {}
    }

    private mutating func scanNumber() -> Bool {
        _ = accept("+-")
        var digits = "0123456789_"
        if accept("0") {
            if accept("xX") {
                digits = "0123456789abcdefABCDEF_"
            } else if accept("oO") {
                digits = "01234567_"
            } else if accept("bB") {
                digits = "01_"
            }
        }
        acceptRun(digits)
        if accept(".") { acceptRun(digits) }
        if digits.utf8.count == 11 && accept("eE") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        if digits.utf8.count == 23 && accept("pP") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        _ = accept("i")
        let (r, width) = scalar(at: pos)
        if Self.isAlphaNumeric(r) {
            pos += width
            return false
        }
        return true
    }
}
