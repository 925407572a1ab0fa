// The error of composing a YAML document, worded and numbered as go-yaml v2 words it
// ("yaml: line 3: mapping values are not allowed in this context"), so that messages built on it
// read like Prometheus's.

/// Text that is not a YAML document go-yaml v2 accepts.
///
/// `message` is go-yaml's: `yaml: ` and, where go-yaml names one, `line N: `, then the problem.
/// Like go-yaml, scanner errors name the 1-based line of the problem, parser errors the 0-based
/// one (one less), and a line of 0 is left out.
///
/// ```swift
/// do { _ = try Composer.compose("a: [1, 2") }
/// catch { print(error.message) }  // yaml: line 1: did not find expected ',' or ']'
/// ```
package struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which stage found the problem (libyaml's error kinds, plus the composer's own).
    package enum Code: String, Sendable, Hashable {
        /// Not UTF-8, or a character YAML does not allow.
        case reader
        /// A token cannot be read (a tab in indentation, an unterminated quote).
        case scanner
        /// Tokens in an order the grammar does not allow.
        case parser
        /// A well-formed document that cannot be composed: an unknown alias, too much aliasing.
        case composer
        /// Nesting deeper than `Composer.maxDepth`.
        case tooDeep
    }

    package var code: Code
    /// The problem alone, without `yaml: line N: `.
    package var problem: String
    /// The line go-yaml names in the message, nil when it names none.
    package var line: Int?

    package init(_ code: Code, _ problem: String, line: Int? = nil) {
        self.code = code
        self.problem = problem
        self.line = line
    }

    /// go-yaml's text: `yaml: line 4: did not find expected ',' or ']'`.
    package var message: String {
        if let line { return "yaml: line \(line): \(problem)" }
        return "yaml: \(problem)"
    }

    package var description: String { message }

    /// A scanner error (go-yaml's `parser.fail` for `yaml_SCANNER_ERROR`): the problem's 0-based
    /// line plus one, else the context's 0-based line, else none.
    static func scanner(_ problem: String, at problemMark: Position, context contextMark: Position) -> YAMLError {
        let line = problemMark.line != 0 ? problemMark.line + 1 : contextMark.line != 0 ? contextMark.line : nil
        return YAMLError(.scanner, problem, line: line)
    }

    /// A parser error: the problem's 0-based line, else the context's, else none.
    static func parser(_ problem: String, at problemMark: Position, context contextMark: Position? = nil) -> YAMLError {
        let contextLine = contextMark?.line ?? 0
        let line = problemMark.line != 0 ? problemMark.line : contextLine != 0 ? contextLine : nil
        return YAMLError(.parser, problem, line: line)
    }
}

/// A place in the text as libyaml counts it: 0-based character index, line and column.
struct Position: Sendable, Hashable {
    var index = 0
    var line = 0
    var column = 0

    /// The 1-based mark a node carries.
    var mark: Mark { Mark(line: line + 1, column: column + 1) }
}
