// Parser: vector selectors and label matchers (`vector_selector`, `label_matchers`,
// `label_matcher` in generated_parser.y), with Prometheus's error messages.

import MetricModel

extension Parser {
    /// `name` or `name{…}`; `name` has been consumed.
    mutating func parseSelector(name: Token) throws(ParseError) -> VectorSelector {
        if try peek().kind == .leftBrace {
            let open = try next()
            return try parseBraces(open: open, name: name)
        }
        var vs = VectorSelector(name: nil, matchers: [], positionRange: name.positionRange)
        appendNameMatcher(name, to: &vs)
        return vs
    }

    /// `{…}` after an optional metric name; `{` has been consumed.
    mutating func parseBraces(open: Token, name: Token?) throws(ParseError) -> VectorSelector {
        var matchers: [LabelMatcher] = []
        var token = try next()
        while token.kind != .rightBrace {
            matchers.append(try parseMatcher(first: token))
            let separator = try next()
            if separator.kind == .rightBrace {
                token = separator
                break
            }
            guard separator.kind == .comma else {
                throw unexpected(separator, in: "label matching", expected: #""," or "}""#)
            }
            token = try next()
        }
        let start = name?.position ?? open.position
        var vs = VectorSelector(
            name: nil, matchers: matchers, positionRange: PositionRange(start: start, end: token.end))
        if let name { appendNameMatcher(name, to: &vs) }
        return vs
    }

    /// Prometheus's `assembleVectorSelector`: the name outside braces becomes the last matcher.
    private func appendNameMatcher(_ name: Token, to vs: inout VectorSelector) {
        let value = text(name)
        vs.name = value
        // An equality matcher never fails to compile.
        if let matcher = try? LabelMatcher(.equal, "__name__", value) { vs.matchers.append(matcher) }
    }

    /// One `label op "value"`, `"label" op "value"` or `"metric name"` matcher.
    private mutating func parseMatcher(first: Token) throws(ParseError) -> LabelMatcher {
        switch first.kind {
        case .identifier:
            let op = try next()
            guard let type = matchType(op.kind) else {
                throw unexpected(op, in: "label matching", expected: "label matching operator")
            }
            let value = try next()
            guard value.kind == .string else { throw unexpected(value, in: "label matching", expected: "string") }
            return try makeMatcher(type, name: text(first), nameToken: first, value: value)
        case .string:
            let name = try unquote(first)
            guard let type = matchType(try peek().kind) else {
                return try makeMatcher(.equal, name: "__name__", nameToken: first, valueText: name)
            }
            _ = try next()
            let value = try next()
            guard value.kind == .string else { throw unexpected(value, in: "label matching", expected: "string") }
            return try makeMatcher(type, name: name, nameToken: first, value: value)
        default:
            throw unexpected(first, in: "label matching", expected: #"identifier or "}""#)
        }
    }

    private func matchType(_ kind: TokenKind) -> MatchType? {
        switch kind {
        case .eql: .equal
        case .neq: .notEqual
        case .eqlRegex: .regexMatch
        case .neqRegex: .regexNoMatch
        default: nil
        }
    }

    private func makeMatcher(_ type: MatchType, name: String, nameToken: Token, value: Token) throws(ParseError)
        -> LabelMatcher
    {
        try makeMatcher(type, name: name, nameToken: nameToken, valueText: try unquote(value), end: value.end)
    }

    private func makeMatcher(
        _ type: MatchType, name: String, nameToken: Token, valueText: String, end: Int? = nil
    ) throws(ParseError) -> LabelMatcher {
        do {
            return try LabelMatcher(type, name, valueText)
        } catch {
            let range = PositionRange(start: nameToken.position, end: end ?? nameToken.end)
            throw self.error(.invalid, error.description, at: range)
        }
    }

    /// The value of a string token (Prometheus's `unquoteString`).
    func unquote(_ token: Token) throws(ParseError) -> String {
        String(decoding: try unquoteBytes(token), as: UTF8.self)
    }

    /// The bytes of a string token, not necessarily valid UTF-8.
    func unquoteBytes(_ token: Token) throws(ParseError) -> [UInt8] {
        guard let bytes = unquotePromQLBytes(lexer.input[token.position..<token.end]) else {
            let raw = text(token)
            throw error(.syntax, "error unquoting string \(goQuote(raw)): invalid syntax", at: token.positionRange)
        }
        return bytes
    }
}
