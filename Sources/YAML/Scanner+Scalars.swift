// Scanning scalars (scannerc.go): plain with line folding, single- and double-quoted with
// escapes, literal `|` and folded `>` block scalars with chomping and indentation indicators.

extension Scanner {
    // MARK: - Block scalars

    mutating func scanBlockScalar(literal: Bool) throws(YAMLError) -> Token {
        let start = mark
        skip()
        var chomping = 0
        var increment = 0
        if at() == UInt8(ascii: "+") || at() == UInt8(ascii: "-") {
            chomping = at() == UInt8(ascii: "+") ? 1 : -1
            skip()
            if isDigit() {
                if at() == UInt8(ascii: "0") { throw scannerError(start, "found an indentation indicator equal to 0") }
                increment = Int(at() - UInt8(ascii: "0"))
                skip()
            }
        } else if isDigit() {
            if at() == UInt8(ascii: "0") { throw scannerError(start, "found an indentation indicator equal to 0") }
            increment = Int(at() - UInt8(ascii: "0"))
            skip()
            if at() == UInt8(ascii: "+") || at() == UInt8(ascii: "-") {
                chomping = at() == UInt8(ascii: "+") ? 1 : -1
                skip()
            }
        }
        while isBlank() { skip() }
        if at() == UInt8(ascii: "#") {
            while !isBreakZ() { skip() }
        }
        guard isBreakZ() else { throw scannerError(start, "did not find expected comment or line break") }
        if isBreak() { skipLine() }

        var end = mark
        var blockIndent = 0
        if increment > 0 { blockIndent = indent >= 0 ? indent + increment : increment }
        var text: [UInt8] = []
        var leadingBreak: [UInt8] = []
        var trailingBreaks: [UInt8] = []
        try scanBlockScalarBreaks(&blockIndent, &trailingBreaks, start, &end)

        var leadingBlank = false
        while mark.column == blockIndent && !isZ() {
            let trailingBlank = isBlank()
            if !literal && !leadingBlank && !trailingBlank && leadingBreak.first == 0x0A {
                if trailingBreaks.isEmpty { text.append(0x20) }
            } else {
                text += leadingBreak
            }
            leadingBreak.removeAll(keepingCapacity: true)
            text += trailingBreaks
            trailingBreaks.removeAll(keepingCapacity: true)
            leadingBlank = isBlank()
            while !isBreakZ() { read(into: &text) }
            readLine(into: &leadingBreak)
            try scanBlockScalarBreaks(&blockIndent, &trailingBreaks, start, &end)
        }
        if chomping != -1 { text += leadingBreak }
        if chomping == 1 { text += trailingBreaks }

        var token = Token(.scalar, start: start, end: end)
        token.value = text
        token.style = literal ? .literal : .folded
        return token
    }

    /// Skips the indentation and empty lines before a block scalar's next line, collecting the
    /// line breaks; finds the scalar's indentation when it has none yet.
    private mutating func scanBlockScalarBreaks(
        _ blockIndent: inout Int, _ breaks: inout [UInt8], _ start: Position, _ end: inout Position
    ) throws(YAMLError) {
        end = mark
        var maxIndent = 0
        while true {
            while (blockIndent == 0 || mark.column < blockIndent) && isSpace() { skip() }
            if mark.column > maxIndent { maxIndent = mark.column }
            if (blockIndent == 0 || mark.column < blockIndent) && isTab() {
                throw scannerError(start, "found a tab character where an indentation space is expected")
            }
            guard isBreak() else { break }
            readLine(into: &breaks)
            end = mark
        }
        if blockIndent == 0 {
            blockIndent = max(maxIndent, indent + 1, 1)
        }
    }

    // MARK: - Quoted scalars

    mutating func scanFlowScalar(single: Bool) throws(YAMLError) -> Token {
        let start = mark
        let quote = single ? UInt8(ascii: "'") : UInt8(ascii: "\"")
        skip()
        var text: [UInt8] = []
        var gap = ScalarGap()
        while true {
            if mark.column == 0 && isDocumentIndicator() {
                throw scannerError(start, "found unexpected document indicator")
            }
            if isZ() { throw scannerError(start, "found unexpected end of stream") }

            gap.leadingBlanks = false
            while !isBlankZ() {
                if single && at() == quote && at(1) == quote {
                    text.append(quote)
                    skip()
                    skip()
                } else if at() == quote {
                    break
                } else if !single && at() == UInt8(ascii: "\\") && isBreak(1) {
                    skip()
                    skipLine()
                    gap.leadingBlanks = true
                    break
                } else if !single && at() == UInt8(ascii: "\\") {
                    try scanEscape(into: &text, start: start)
                } else {
                    read(into: &text)
                }
            }
            if at() == quote { break }
            try scanGap(&gap, plainIndent: nil, start: start)
            gap.flush(into: &text)
        }
        skip()
        var token = Token(.scalar, start: start, end: mark)
        token.value = text
        token.style = single ? .singleQuoted : .doubleQuoted
        return token
    }

    /// Reads the blanks and line breaks between two runs of a quoted or plain scalar's text.
    /// `plainIndent`: a plain scalar's indentation, left of which a tab after a break is an error.
    private mutating func scanGap(_ gap: inout ScalarGap, plainIndent: Int?, start: Position) throws(YAMLError) {
        while isBlank() || isBreak() {
            if isBlank() {
                if let plainIndent, gap.leadingBlanks && mark.column < plainIndent && isTab() {
                    throw scannerError(start, "found a tab character that violates indentation")
                }
                if !gap.leadingBlanks { read(into: &gap.whitespaces) } else { skip() }
            } else if !gap.leadingBlanks {
                gap.whitespaces.removeAll(keepingCapacity: true)
                readLine(into: &gap.leadingBreak)
                gap.leadingBlanks = true
            } else {
                readLine(into: &gap.trailingBreaks)
            }
        }
    }

    /// One `\` escape of a double-quoted scalar, as UTF-8.
    private mutating func scanEscape(into text: inout [UInt8], start: Position) throws(YAMLError) {
        var codeLength = 0
        switch at(1) {
        case UInt8(ascii: "0"): text.append(0)
        case UInt8(ascii: "a"): text.append(0x07)
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "t"), 0x09: text.append(0x09)
        case UInt8(ascii: "n"): text.append(0x0A)
        case UInt8(ascii: "v"): text.append(0x0B)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "r"): text.append(0x0D)
        case UInt8(ascii: "e"): text.append(0x1B)
        case UInt8(ascii: " "): text.append(0x20)
        case UInt8(ascii: "\""): text.append(0x22)
        case UInt8(ascii: "'"): text.append(0x27)
        case UInt8(ascii: "\\"): text.append(0x5C)
        case UInt8(ascii: "N"): text += [0xC2, 0x85]
        case UInt8(ascii: "_"): text += [0xC2, 0xA0]
        case UInt8(ascii: "L"): text += [0xE2, 0x80, 0xA8]
        case UInt8(ascii: "P"): text += [0xE2, 0x80, 0xA9]
        case UInt8(ascii: "x"): codeLength = 2
        case UInt8(ascii: "u"): codeLength = 4
        case UInt8(ascii: "U"): codeLength = 8
        default: throw scannerError(start, "found unknown escape character")
        }
        skip()
        skip()
        guard codeLength > 0 else { return }
        var value = 0
        for offset in 0..<codeLength {
            guard let digit = hexValue(offset) else { throw scannerError(start, "did not find expected hexdecimal number") }
            value = value << 4 + digit
        }
        guard let scalar = Unicode.Scalar(UInt32(value)) else {
            throw scannerError(start, "found invalid Unicode character escape code")
        }
        text += Array(String(Character(scalar)).utf8)
        for _ in 0..<codeLength { skip() }
    }

    // MARK: - Plain scalars

    mutating func scanPlainScalar() throws(YAMLError) -> Token {
        var text: [UInt8] = []
        var gap = ScalarGap()
        let scalarIndent = indent + 1
        let start = mark
        var end = mark
        while true {
            if mark.column == 0 && isDocumentIndicator() { break }
            if at() == UInt8(ascii: "#") { break }
            while !isBlankZ() {
                if at() == UInt8(ascii: ":") && isBlankZ(1) { break }
                if flowLevel > 0 && Self.flowIndicators.contains(at()) { break }
                gap.flush(into: &text)
                read(into: &text)
                end = mark
            }
            guard isBlank() || isBreak() else { break }
            try scanGap(&gap, plainIndent: scalarIndent, start: start)
            if flowLevel == 0 && mark.column < scalarIndent { break }
        }
        var token = Token(.scalar, start: start, end: end)
        token.value = text
        token.style = .plain
        if gap.leadingBlanks { simpleKeyAllowed = true }
        return token
    }

    /// `,?[]{}`: what ends a plain scalar inside a flow collection.
    private static let flowIndicators: [UInt8] = Array(",?[]{}".utf8)
}

/// The blanks and line breaks between two runs of a quoted or plain scalar's text.
struct ScalarGap {
    /// Whether the gap has a line break.
    var leadingBlanks = false
    /// Blanks before the first line break.
    var whitespaces: [UInt8] = []
    var leadingBreak: [UInt8] = []
    var trailingBreaks: [UInt8] = []

    /// Appends the gap to `text` and empties it. Line folding: a single line feed becomes a
    /// space, more are kept less one; other breaks (LS, PS) are kept as they are.
    mutating func flush(into text: inout [UInt8]) {
        if leadingBlanks {
            if leadingBreak.first == 0x0A {
                if trailingBreaks.isEmpty { text.append(0x20) } else { text += trailingBreaks }
            } else {
                text += leadingBreak
                text += trailingBreaks
            }
            leadingBreak.removeAll(keepingCapacity: true)
            trailingBreaks.removeAll(keepingCapacity: true)
            leadingBlanks = false
        } else {
            text += whitespaces
            whitespaces.removeAll(keepingCapacity: true)
        }
    }
}
