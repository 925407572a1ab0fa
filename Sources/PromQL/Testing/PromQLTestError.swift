// PromQLTestError: what went wrong in a promqltest script, with the file line it happened on.

/// An error in a promqltest script (`promql/promqltest` DSL) or in running one of its
/// non-eval commands.
///
/// Separate from ``ParseError`` (PromQL text) and ``QueryError`` (evaluation): a script error
/// is about the test file, and a runner reports it as `file:line: message`.
///
/// ```swift
/// do { _ = try PromQLTestFile(parsing: "lode 5m", name: "x.test") } catch { print(error) }
/// // x.test:1: invalid command "lode 5m"
/// ```
package struct PromQLTestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable classification of the failure.
    package enum Code: String, Sendable, Hashable {
        /// A line the DSL does not allow (unknown command, bad series line, bad `expect`).
        case syntax
        /// A `load` that the storage rejects (a sample out of order).
        case load
    }

    package var code: Code
    /// The file's name as given to the parser (usually its base name).
    package var file: String
    /// 1-based line number in the file.
    package var line: Int
    package var message: String

    package init(_ code: Code, file: String, line: Int, _ message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`.
    package var description: String { "\(file):\(line): \(message)" }
}

/// A syntax error inside one line, before the line number is known.
struct DSLLineError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
