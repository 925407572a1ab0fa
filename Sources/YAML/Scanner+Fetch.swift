// Choosing the next token from the next character (scannerc.go's `yaml_parser_fetch_next_token`
// and the `fetch_*` functions it calls): indicators, document markers, keys and values.

extension Scanner {
    mutating func fetchNextToken() throws(YAMLError) {
        if !streamStartProduced {
            indent = -1
            simpleKeys.append(SimpleKey())
            simpleKeyAllowed = true
            streamStartProduced = true
            insert(Token(.streamStart, start: mark, end: mark))
            return
        }
        try scanToNextToken()
        unrollIndent(mark.column)
        if isZ() { return try fetchStreamEnd() }

        let byte = at()
        if mark.column == 0 && byte == UInt8(ascii: "%") { return try fetchDirective() }
        if mark.column == 0 && isDocumentIndicator() {
            return try fetchDocumentIndicator(byte == UInt8(ascii: "-") ? .documentStart : .documentEnd)
        }
        switch byte {
        case UInt8(ascii: "["): return try fetchFlowCollectionStart(.flowSequenceStart)
        case UInt8(ascii: "{"): return try fetchFlowCollectionStart(.flowMappingStart)
        case UInt8(ascii: "]"): return try fetchFlowCollectionEnd(.flowSequenceEnd)
        case UInt8(ascii: "}"): return try fetchFlowCollectionEnd(.flowMappingEnd)
        case UInt8(ascii: ","): return try fetchFlowEntry()
        case UInt8(ascii: "-") where isBlankZ(1): return try fetchBlockEntry()
        case UInt8(ascii: "?") where flowLevel > 0 || isBlankZ(1): return try fetchKey()
        case UInt8(ascii: ":") where flowLevel > 0 || isBlankZ(1): return try fetchValue()
        case UInt8(ascii: "*"): return try fetchAnchor(.alias)
        case UInt8(ascii: "&"): return try fetchAnchor(.anchor)
        case UInt8(ascii: "!"): return try fetchTag()
        case UInt8(ascii: "|") where flowLevel == 0: return try fetchBlockScalar(literal: true)
        case UInt8(ascii: ">") where flowLevel == 0: return try fetchBlockScalar(literal: false)
        case UInt8(ascii: "'"): return try fetchFlowScalar(single: true)
        case UInt8(ascii: "\""): return try fetchFlowScalar(single: false)
        default: break
        }
        // A plain scalar starts with any other non-blank character, or with `-`, `?` or `:`
        // followed by a non-blank one (`?` and `:` only outside flow collections).
        if !(isBlankZ() || Self.indicators.contains(byte))
            || (byte == UInt8(ascii: "-") && !isBlank(1))
            || (flowLevel == 0 && (byte == UInt8(ascii: "?") || byte == UInt8(ascii: ":")) && !isBlankZ(1)) {
            return try fetchPlainScalar()
        }
        throw scannerError(mark, "found character that cannot start any token")
    }

    /// The characters that cannot start a plain scalar on their own.
    private static let indicators: [UInt8] = Array("-?:,[]{}#&*!|>'\"%@`".utf8)

    /// `---` or `...` followed by a blank or the end of a line.
    func isDocumentIndicator() -> Bool {
        let byte = at()
        guard byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") else { return false }
        return at(1) == byte && at(2) == byte && isBlankZ(3)
    }

    /// Skips blanks, comments and line breaks up to the next token. Tabs count as blanks only
    /// where no simple key may start (inside flow collections, after a key or a value
    /// indicator on the same line), as in libyaml.
    mutating func scanToNextToken() throws(YAMLError) {
        while true {
            if mark.column == 0 && at() == 0xEF && at(1) == 0xBB && at(2) == 0xBF { skip() }
            while at() == UInt8(ascii: " ") || ((flowLevel > 0 || !simpleKeyAllowed) && at() == 0x09) { skip() }
            if at() == UInt8(ascii: "#") {
                while !isBreakZ() { skip() }
            }
            guard isBreak() else { break }
            skipLine()
            if flowLevel == 0 { simpleKeyAllowed = true }
        }
    }

    private mutating func fetchStreamEnd() throws(YAMLError) {
        if mark.column != 0 {
            mark.column = 0
            mark.line += 1
        }
        unrollIndent(-1)
        try removeSimpleKey()
        simpleKeyAllowed = false
        insert(Token(.streamEnd, start: mark, end: mark))
    }

    private mutating func fetchDirective() throws(YAMLError) {
        unrollIndent(-1)
        try removeSimpleKey()
        simpleKeyAllowed = false
        insert(try scanDirective())
    }

    private mutating func fetchDocumentIndicator(_ kind: Token.Kind) throws(YAMLError) {
        unrollIndent(-1)
        try removeSimpleKey()
        simpleKeyAllowed = false
        let start = mark
        skip()
        skip()
        skip()
        insert(Token(kind, start: start, end: mark))
    }

    private mutating func fetchFlowCollectionStart(_ kind: Token.Kind) throws(YAMLError) {
        try saveSimpleKey()
        try increaseFlowLevel()
        simpleKeyAllowed = true
        let start = mark
        skip()
        insert(Token(kind, start: start, end: mark))
    }

    private mutating func fetchFlowCollectionEnd(_ kind: Token.Kind) throws(YAMLError) {
        try removeSimpleKey()
        decreaseFlowLevel()
        simpleKeyAllowed = false
        let start = mark
        skip()
        insert(Token(kind, start: start, end: mark))
    }

    private mutating func fetchFlowEntry() throws(YAMLError) {
        try removeSimpleKey()
        simpleKeyAllowed = true
        let start = mark
        skip()
        insert(Token(.flowEntry, start: start, end: mark))
    }

    private mutating func fetchBlockEntry() throws(YAMLError) {
        if flowLevel == 0 {
            guard simpleKeyAllowed else { throw scannerError(mark, "block sequence entries are not allowed in this context") }
            try rollIndent(mark.column, number: -1, .blockSequenceStart, mark)
        }
        try removeSimpleKey()
        simpleKeyAllowed = true
        let start = mark
        skip()
        insert(Token(.blockEntry, start: start, end: mark))
    }

    private mutating func fetchKey() throws(YAMLError) {
        if flowLevel == 0 {
            guard simpleKeyAllowed else { throw scannerError(mark, "mapping keys are not allowed in this context") }
            try rollIndent(mark.column, number: -1, .blockMappingStart, mark)
        }
        try removeSimpleKey()
        simpleKeyAllowed = flowLevel == 0
        let start = mark
        skip()
        insert(Token(.key, start: start, end: mark))
    }

    private mutating func fetchValue() throws(YAMLError) {
        let last = simpleKeys.count - 1
        if try isValidSimpleKey(at: last) {
            let key = simpleKeys[last]
            insert(Token(.key, start: key.mark, end: key.mark), at: key.tokenNumber - tokensParsed)
            try rollIndent(key.mark.column, number: key.tokenNumber, .blockMappingStart, key.mark)
            simpleKeys[last].possible = false
            simpleKeysByToken[key.tokenNumber] = nil
            simpleKeyAllowed = false
        } else {
            if flowLevel == 0 {
                guard simpleKeyAllowed else { throw scannerError(mark, "mapping values are not allowed in this context") }
                try rollIndent(mark.column, number: -1, .blockMappingStart, mark)
            }
            simpleKeyAllowed = flowLevel == 0
        }
        let start = mark
        skip()
        insert(Token(.value, start: start, end: mark))
    }

    private mutating func fetchAnchor(_ kind: Token.Kind) throws(YAMLError) {
        try saveSimpleKey()
        simpleKeyAllowed = false
        insert(try scanAnchor(kind))
    }

    private mutating func fetchTag() throws(YAMLError) {
        try saveSimpleKey()
        simpleKeyAllowed = false
        insert(try scanTag())
    }

    private mutating func fetchBlockScalar(literal: Bool) throws(YAMLError) {
        try removeSimpleKey()
        simpleKeyAllowed = true
        insert(try scanBlockScalar(literal: literal))
    }

    private mutating func fetchFlowScalar(single: Bool) throws(YAMLError) {
        try saveSimpleKey()
        simpleKeyAllowed = false
        insert(try scanFlowScalar(single: single))
    }

    private mutating func fetchPlainScalar() throws(YAMLError) {
        try saveSimpleKey()
        simpleKeyAllowed = false
        insert(try scanPlainScalar())
    }
}
