// Parse errors of RE2 patterns, worded as Go's `regexp/syntax` words them: Prometheus shows
// these texts to users, e.g. "error parsing regexp: missing closing ): `(a`".

/// A regular expression that does not parse, with the offending part of the pattern.
///
/// `description` is Go's `syntax.Error.Error()` text:
/// ```swift
/// do { _ = try RE2Regex("a**") } catch { print(error) }
/// // error parsing regexp: invalid nested repetition operator: `**`
/// ```
package struct RegexSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure; `rawValue` is Go's `syntax.ErrorCode` text.
    package enum Code: String, Sendable {
        case invalidCharClass = "invalid character class"
        case invalidCharRange = "invalid character class range"
        case invalidEscape = "invalid escape sequence"
        case invalidNamedCapture = "invalid named capture"
        case invalidPerlOp = "invalid or unsupported Perl syntax"
        case invalidRepeatOp = "invalid nested repetition operator"
        case invalidRepeatSize = "invalid repeat count"
        case missingBracket = "missing closing ]"
        case missingParen = "missing closing )"
        case missingRepeatArgument = "missing argument to repetition operator"
        case trailingBackslash = "trailing backslash at end of expression"
        case unexpectedParen = "unexpected )"
        case nestingDepth = "expression nests too deeply"
        case tooLarge = "expression too large"
    }

    package let code: Code
    /// The offending fragment (for missing or unexpected parentheses: the whole pattern).
    package let expression: String

    package init(_ code: Code, _ expression: String) {
        self.code = code
        self.expression = expression
    }

    package var description: String { "error parsing regexp: \(code.rawValue): `\(expression)`" }
}
