// LabelMatcher: `=`, `!=`, `=~`, `!~` with Prometheus's semantics.

/// The four matcher kinds of PromQL selectors.
package enum MatchType: String, Sendable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case regexMatch = "=~"
    case regexNoMatch = "!~"
}

/// A matcher on one label, as in `job=~"api|web"`.
///
/// Regular expressions are fully anchored and `.` matches a newline, as in Prometheus.
/// A missing label is matched as if its value were the empty string, so a matcher that
/// matches `""` also matches series without the label.
///
/// ```swift
/// let m = try LabelMatcher(.regexMatch, "job", "api|web")
/// m.matches("api")   // true
/// m.matches("apix")  // false: anchored
/// ```
package struct LabelMatcher: Sendable, CustomStringConvertible {
    package let type: MatchType
    package let name: String
    package let value: String
    private let regex: CompiledRegex?

    /// Creates a matcher; throws `MatcherError` when a regular expression does not compile.
    package init(_ type: MatchType, _ name: String, _ value: String) throws(MatcherError) {
        self.type = type
        self.name = name
        self.value = value
        switch type {
        case .equal, .notEqual: regex = nil
        case .regexMatch, .regexNoMatch: regex = try CompiledRegex(value)
        }
    }

    /// The only values the matcher accepts when it names them all (`=`, or `=~` over literal
    /// alternatives such as `a|b|c`), sorted bytewise: postings are then looked up per value
    /// instead of testing every value of the label (Prometheus's `SetMatches`). nil otherwise.
    package var setMatches: [String]? {
        switch type {
        case .equal: return [value]
        case .regexMatch: return regex?.setMatches
        case .notEqual, .regexNoMatch: return nil
        }
    }

    /// Whether `value` (the empty string for a missing label) satisfies the matcher.
    package func matches(_ candidate: String) -> Bool {
        switch type {
        // Bytes, as Go compares strings (Swift's `==` is canonical equivalence).
        case .equal: return candidate.utf8.elementsEqual(value.utf8)
        case .notEqual: return !candidate.utf8.elementsEqual(value.utf8)
        case .regexMatch: return regex!.matches(candidate)
        case .regexNoMatch: return !regex!.matches(candidate)
        }
    }

    /// Whether the matcher matches a series that does not have the label.
    package var matchesEmpty: Bool { matches("") }

    /// `job=~"api|web"` as PromQL prints it.
    package var description: String {
        "\(name)\(type.rawValue)\(quoteForPromQL(value))"
    }
}

/// A matcher's regular expression failed to compile.
package struct MatcherError: Error, Sendable, CustomStringConvertible {
    /// The matcher's pattern.
    package let pattern: String
    /// Why it does not parse, with Go's wording and offending fragment.
    package let syntaxError: RegexSyntaxError
    /// Go's text, e.g. "error parsing regexp: missing closing ): `(`".
    package var description: String { syntaxError.description }
}

/// Quotes a string the way PromQL's printer does (`strconv.Quote`-like).
package func quoteForPromQL(_ s: String) -> String {
    var out = "\""
    for ch in s.unicodeScalars {
        switch ch {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default: out.unicodeScalars.append(ch)
        }
    }
    return out + "\""
}

/// A compiled, anchored regular expression with fast paths for the common simple forms.
///
/// Fast paths (string operations, no automaton) for patterns written only of literal text and
/// `.*` (which matches anything here, `.` matching `\n` too): `.*`, `.+`, `a|b|c`, `abc.*`,
/// `.*abc`, `.*abc.*`. Everything else runs the linear-time `RE2Regex`.
struct CompiledRegex: Sendable {
    private enum Kind {
        case any  // .*
        case nonEmpty  // .+
        case literals(Set<UTF8Key>)  // a|b|c with no meta characters
        case prefix(String)  // abc.*
        case suffix(String)  // .*abc
        case contains(String)  // .*abc.*
        case general(RE2Regex)
    }

    private let kind: Kind

    private static let meta: Set<Character> = ["\\", ".", "+", "*", "?", "(", ")", "[", "]", "{", "}", "^", "$", "|"]

    private static func isLiteral(_ s: Substring) -> Bool { !s.contains(where: { meta.contains($0) }) }

    init(_ pattern: String) throws(MatcherError) {
        if pattern == ".*" || pattern == "(?s:.*)" {
            kind = .any
            return
        }
        if pattern == ".+" || pattern == "(?s:.+)" {
            kind = .nonEmpty
            return
        }
        if let alternatives = Self.literalAlternatives(pattern) {
            // Fast path: a set lookup instead of running the automaton.
            kind = .literals(alternatives)
            return
        }
        let body = pattern.hasPrefix(".*") ? pattern.dropFirst(2) : pattern[...]
        let leadingAny = body.count != pattern.count
        let core = body.hasSuffix(".*") ? body.dropLast(2) : body
        let trailingAny = core.count != body.count
        if !core.isEmpty && Self.isLiteral(core) && (leadingAny || trailingAny) {
            switch (leadingAny, trailingAny) {
            case (true, true): kind = .contains(String(core))
            case (true, false): kind = .suffix(String(core))
            default: kind = .prefix(String(core))
            }
            return
        }
        do {
            kind = .general(try RE2Regex(prometheusAnchored: pattern))
        } catch {
            throw MatcherError(pattern: pattern, syntaxError: error)
        }
    }

    /// The alternatives of `pattern` when it is only literals separated by `|`, where a literal
    /// may escape ASCII punctuation with a backslash (as Go's `regexp.QuoteMeta` writes it, so
    /// `a\.b|c` is `["a.b", "c"]`); nil when it uses any other regular-expression syntax.
    private static func literalAlternatives(_ pattern: String) -> Set<UTF8Key>? {
        var alternatives = Set<UTF8Key>()
        var current = String.UnicodeScalarView()
        var escaped = false
        for ch in pattern.unicodeScalars {
            if escaped {
                guard ch.isASCII && (0x21...0x7E).contains(ch.value) && !ch.properties.isAlphabetic
                    && !("0"..."9").contains(ch)
                else { return nil }
                current.append(ch)
                escaped = false
                continue
            }
            switch ch {
            case "\\": escaped = true
            case "|":
                alternatives.insert(UTF8Key(String(current)))
                current = String.UnicodeScalarView()
            case ".", "+", "*", "?", "(", ")", "[", "]", "{", "}", "^", "$": return nil
            default: current.append(ch)
            }
        }
        if escaped { return nil }
        alternatives.insert(UTF8Key(String(current)))
        return alternatives
    }

    /// The literal alternatives, sorted bytewise, when the pattern is only those.
    var setMatches: [String]? {
        guard case .literals(let set) = kind else { return nil }
        return set.map(\.string).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    func matches(_ s: String) -> Bool {
        switch kind {
        case .any: return true
        case .nonEmpty: return !s.isEmpty
        case .literals(let set): return set.contains(UTF8Key(s))
        case .prefix(let p): return s.utf8.starts(with: p.utf8)
        case .suffix(let p): return s.utf8.reversed().starts(with: p.utf8.reversed())
        case .contains(let p): return Self.utf8(s, contains: p)
        case .general(let regex): return regex.matches(s)
        }
    }

    /// Byte-wise substring search (label values are short; a naive scan is fine).
    private static func utf8(_ s: String, contains needle: String) -> Bool {
        let hay = Array(s.utf8), n = Array(needle.utf8)
        if n.count > hay.count { return false }
        for i in 0...(hay.count - n.count) where hay[i] == n[0] {
            if hay[i..<(i + n.count)].elementsEqual(n) { return true }
        }
        return false
    }
}

/// A string compared and hashed by its UTF-8 bytes, as Go compares strings. Swift's `String`
/// equality is canonical equivalence: `"\u{212A}"` (Kelvin sign) would equal `"K"`.
package struct UTF8Key: Hashable, Sendable {
    package let string: String

    package init(_ string: String) { self.string = string }

    package static func == (lhs: UTF8Key, rhs: UTF8Key) -> Bool {
        lhs.string.utf8.count == rhs.string.utf8.count && lhs.string.utf8.elementsEqual(rhs.string.utf8)
    }

    package func hash(into hasher: inout Hasher) {
        var s = string
        s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
