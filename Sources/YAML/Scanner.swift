// The YAML scanner: text to tokens, a port of go-yaml v2's scannerc.go (itself libyaml's
// scanner) so that what it accepts, and the words and lines of what it refuses, are go-yaml's.
// Tokens are produced on demand, as the composer asks for them, which decides which of two
// problems in a text is reported, as in go-yaml.

struct Scanner {
    /// A place where a simple (implicit) key may start: `key: value` is only known to be a key
    /// when the `:` is found.
    struct SimpleKey {
        var possible = false
        var required = false
        var tokenNumber = 0
        var mark = Position()
    }

    /// go-yaml's `max_flow_level` and `max_indents`.
    static let maxLevel = 10_000

    /// The input followed by `Reader.padding` zero bytes.
    let bytes: [UInt8]
    var pos = 0
    var mark = Position()

    var tokens: [Token] = []
    var head = 0
    var tokensParsed = 0
    var tokenAvailable = false
    var streamStartProduced = false
    var streamEndProduced = false

    var indent = -1
    var indents: [Int] = []
    var simpleKeyAllowed = false
    var simpleKeys: [SimpleKey] = []
    var simpleKeysByToken: [Int: Int] = [:]
    var flowLevel = 0

    init(checkedBytes: [UInt8]) {
        bytes = checkedBytes
    }

    // MARK: - The composer's side

    /// The next token, scanning as many as needed to know it (a possible simple key needs the
    /// text up to its `:`).
    mutating func peek() throws(YAMLError) -> Token {
        if !tokenAvailable {
            try fetchMoreTokens()
            tokenAvailable = true
        }
        return tokens[head]
    }

    /// Drops the token `peek()` returned.
    mutating func skipToken() {
        tokenAvailable = false
        tokensParsed += 1
        streamEndProduced = tokens[head].kind == .streamEnd
        head += 1
        if head >= 64 && head * 2 >= tokens.count {
            tokens.removeFirst(head)
            head = 0
        }
    }

    private mutating func fetchMoreTokens() throws(YAMLError) {
        while true {
            if head != tokens.count {
                guard let index = simpleKeysByToken[tokensParsed] else { break }
                guard try isValidSimpleKey(at: index) else { break }
            }
            try fetchNextToken()
        }
    }

    // MARK: - Characters

    /// The byte `offset` after the current one.
    @inline(__always) func at(_ offset: Int = 0) -> UInt8 { bytes[pos + offset] }

    /// The UTF-8 length of a character from its first byte, 0 for a byte that cannot start one.
    static func width(_ lead: UInt8) -> Int {
        if lead & 0x80 == 0 { return 1 }
        if lead & 0xE0 == 0xC0 { return 2 }
        if lead & 0xF0 == 0xE0 { return 3 }
        if lead & 0xF8 == 0xF0 { return 4 }
        return 0
    }

    func isZ(_ offset: Int = 0) -> Bool { at(offset) == 0 && pos + offset >= bytes.count - Reader.padding }
    func isBlank(_ offset: Int = 0) -> Bool { at(offset) == 0x20 || at(offset) == 0x09 }
    func isSpace(_ offset: Int = 0) -> Bool { at(offset) == 0x20 }
    func isTab(_ offset: Int = 0) -> Bool { at(offset) == 0x09 }

    /// CR, LF, NEL, LS or PS.
    func isBreak(_ offset: Int = 0) -> Bool {
        let byte = at(offset)
        if byte == 0x0D || byte == 0x0A { return true }
        if byte == 0xC2 && at(offset + 1) == 0x85 { return true }
        return byte == 0xE2 && at(offset + 1) == 0x80 && (at(offset + 2) == 0xA8 || at(offset + 2) == 0xA9)
    }

    func isBreakZ(_ offset: Int = 0) -> Bool { isBreak(offset) || isZ(offset) }
    func isBlankZ(_ offset: Int = 0) -> Bool { isBlank(offset) || isBreakZ(offset) }

    /// `[0-9A-Za-z_-]`
    func isAlpha(_ offset: Int = 0) -> Bool {
        let byte = at(offset)
        return byte >= 0x30 && byte <= 0x39 || byte >= 0x41 && byte <= 0x5A || byte >= 0x61 && byte <= 0x7A
            || byte == 0x5F || byte == 0x2D
    }

    func isDigit(_ offset: Int = 0) -> Bool { at(offset) >= 0x30 && at(offset) <= 0x39 }

    func hexValue(_ offset: Int) -> Int? {
        let byte = at(offset)
        switch byte {
        case 0x30...0x39: return Int(byte - 0x30)
        case 0x41...0x46: return Int(byte - 0x41 + 10)
        case 0x61...0x66: return Int(byte - 0x61 + 10)
        default: return nil
        }
    }

    /// Moves past one character (not a line break).
    mutating func skip() {
        guard !isZ() else { return }
        mark.index += 1
        mark.column += 1
        pos += max(Self.width(at()), 1)
    }

    /// Moves past one line break (CR LF counts as one).
    mutating func skipLine() {
        if at() == 0x0D && at(1) == 0x0A {
            mark.index += 2
            mark.column = 0
            mark.line += 1
            pos += 2
        } else if isBreak() {
            mark.index += 1
            mark.column = 0
            mark.line += 1
            pos += Self.width(at())
        }
    }

    /// Appends one character to `text` and moves past it.
    mutating func read(into text: inout [UInt8]) {
        let width = max(Self.width(at()), 1)
        text.append(contentsOf: bytes[pos..<(pos + width)])
        mark.index += 1
        mark.column += 1
        pos += width
    }

    /// Appends one line break to `text` (CR, LF, CR LF and NEL as LF; LS and PS kept) and moves
    /// past it.
    mutating func readLine(into text: inout [UInt8]) {
        if at() == 0x0D && at(1) == 0x0A {
            text.append(0x0A)
            pos += 2
            mark.index += 1
        } else if at() == 0x0D || at() == 0x0A {
            text.append(0x0A)
            pos += 1
        } else if at() == 0xC2 && at(1) == 0x85 {
            text.append(0x0A)
            pos += 2
        } else if at() == 0xE2 && at(1) == 0x80 && (at(2) == 0xA8 || at(2) == 0xA9) {
            text.append(contentsOf: bytes[pos..<(pos + 3)])
            pos += 3
        } else {
            return
        }
        mark.index += 1
        mark.column = 0
        mark.line += 1
    }

    // MARK: - Errors

    func scannerError(_ context: Position, _ problem: String) -> YAMLError {
        YAMLError.scanner(problem, at: mark, context: context)
    }

    // MARK: - Token queue

    /// Inserts a token `offset` places after the head, or at the end for a negative offset.
    mutating func insert(_ token: Token, at offset: Int = -1) {
        if offset < 0 {
            tokens.append(token)
        } else {
            tokens.insert(token, at: head + offset)
        }
    }
}

// MARK: - Simple keys, indentation and flow levels

extension Scanner {
    /// Whether the simple key at `index` can still be one: on the current line and at most
    /// 1024 characters back. One that cannot is no longer possible; a required one is an error.
    mutating func isValidSimpleKey(at index: Int) throws(YAMLError) -> Bool {
        let key = simpleKeys[index]
        guard key.possible else { return false }
        if key.mark.line < mark.line || key.mark.index + 1024 < mark.index {
            if key.required { throw scannerError(key.mark, "could not find expected ':'") }
            simpleKeys[index].possible = false
            return false
        }
        return true
    }

    mutating func saveSimpleKey() throws(YAMLError) {
        let required = flowLevel == 0 && indent == mark.column
        guard simpleKeyAllowed else { return }
        let key = SimpleKey(
            possible: true, required: required, tokenNumber: tokensParsed + (tokens.count - head), mark: mark)
        try removeSimpleKey()
        simpleKeys[simpleKeys.count - 1] = key
        simpleKeysByToken[key.tokenNumber] = simpleKeys.count - 1
    }

    mutating func removeSimpleKey() throws(YAMLError) {
        let last = simpleKeys.count - 1
        guard simpleKeys[last].possible else { return }
        if simpleKeys[last].required { throw scannerError(simpleKeys[last].mark, "could not find expected ':'") }
        simpleKeys[last].possible = false
        simpleKeysByToken[simpleKeys[last].tokenNumber] = nil
    }

    mutating func increaseFlowLevel() throws(YAMLError) {
        simpleKeys.append(SimpleKey(tokenNumber: tokensParsed + (tokens.count - head), mark: mark))
        flowLevel += 1
        if flowLevel > Self.maxLevel {
            throw scannerError(simpleKeys[simpleKeys.count - 1].mark, "exceeded max depth of \(Self.maxLevel)")
        }
    }

    mutating func decreaseFlowLevel() {
        guard flowLevel > 0 else { return }
        flowLevel -= 1
        let last = simpleKeys.removeLast()
        simpleKeysByToken[last.tokenNumber] = nil
    }

    /// Opens a block collection at `column` when it is deeper than the current one; `number`
    /// is the token number to insert its start before (-1: at the end).
    mutating func rollIndent(_ column: Int, number: Int, _ kind: Token.Kind, _ at: Position) throws(YAMLError) {
        guard flowLevel == 0, indent < column else { return }
        indents.append(indent)
        indent = column
        if indents.count > Self.maxLevel {
            throw scannerError(simpleKeys[simpleKeys.count - 1].mark, "exceeded max depth of \(Self.maxLevel)")
        }
        insert(Token(kind, start: at, end: at), at: number > -1 ? number - tokensParsed : -1)
    }

    /// Closes the block collections deeper than `column`.
    mutating func unrollIndent(_ column: Int) {
        guard flowLevel == 0 else { return }
        while indent > column {
            insert(Token(.blockEnd, start: mark, end: mark))
            indent = indents.removeLast()
        }
    }
}
