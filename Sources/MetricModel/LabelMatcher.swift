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

    /// Whether `value` (the empty string for a missing label) satisfies the matcher.
    package func matches(_ candidate: String) -> Bool {
        switch type {
        case .equal: return candidate == value
        case .notEqual: return candidate != value
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
    package let pattern: String
    package let message: String
    package var description: String { "error parsing regexp: \(message): `\(pattern)`" }
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
struct CompiledRegex: @unchecked Sendable {
    // Safety: Regex values are immutable after construction and only read concurrently.
    private enum Kind {
        case any  // .*
        case nonEmpty  // .+
        case literals(Set<String>)  // a|b|c with no meta characters
        case general(Regex<AnyRegexOutput>)
    }

    private let kind: Kind

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
            // Fast path: a set lookup instead of a backtracking match over every alternative.
            kind = .literals(alternatives)
            return
        }
        do {
            let regex = try Regex(pattern).dotMatchesNewlines()
            kind = .general(regex)
        } catch {
            throw MatcherError(pattern: pattern, message: "\(error)")
        }
    }

    /// The alternatives of `pattern` when it is only literals separated by `|`, where a literal
    /// may escape ASCII punctuation with a backslash (as Go's `regexp.QuoteMeta` writes it, so
    /// `a\.b|c` is `["a.b", "c"]`); nil when it uses any other regular-expression syntax.
    private static func literalAlternatives(_ pattern: String) -> Set<String>? {
        var alternatives = Set<String>()
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
                alternatives.insert(String(current))
                current = String.UnicodeScalarView()
            case ".", "+", "*", "?", "(", ")", "[", "]", "{", "}", "^", "$": return nil
            default: current.append(ch)
            }
        }
        if escaped { return nil }
        alternatives.insert(String(current))
        return alternatives
    }

    func matches(_ s: String) -> Bool {
        switch kind {
        case .any: return true
        case .nonEmpty: return !s.isEmpty
        case .literals(let set): return set.contains(s)
        case .general(let regex):
            return (try? regex.wholeMatch(in: s)) != nil
        }
    }
}
