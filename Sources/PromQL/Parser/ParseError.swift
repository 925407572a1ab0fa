// ParseError: the PromQL module's one error type, shaped like Prometheus's `ParseErr`
// (`1:5: parse error: unexpected …`) and reused for API parameter and duration errors.

/// An error from the PromQL lexer, parser, duration parser or API parameter parsing.
///
/// With a position its `description` reads exactly like Prometheus's `ParseErr.Error()`:
/// `<line>:<column>: parse error: <message>`, where the column counts bytes from 1. Without
/// one (duration and parameter errors) it is just the message, as Prometheus prints those.
///
/// ```swift
/// do { _ = try parseExpr("foo{") } catch { print(error) }
/// // 1:5: parse error: unexpected end of input inside braces
/// ```
package struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable classification of the failure.
    package enum Code: String, Sendable, Hashable {
        /// The input is not valid PromQL (lexer or grammar error).
        case syntax
        /// The input parses but is rejected by Prometheus's checks (types, matchers, ranges).
        case invalid
        /// Valid PromQL that this parser does not implement (no longer produced: the whole
        /// Prometheus 3.14 grammar parses; kept for callers that match on it).
        case unsupported
        /// A bad duration string (`model.ParseDuration` rules).
        case badDuration
        /// A bad HTTP API parameter (timestamp or duration).
        case badParameter
    }

    /// What kind of failure this is.
    package let code: Code
    /// The message without position prefix, e.g. `unexpected end of input`.
    package let message: String
    /// Where in the query the error is, in bytes; nil for errors not tied to a query.
    package let positionRange: PositionRange?
    /// `line:column` (1-based, column in bytes) or Prometheus's `unknown position` /
    /// `invalid position`; nil when there is no position.
    package let position: String?

    /// An error at `range` of `query`.
    package init(_ code: Code, _ message: String, at range: PositionRange, in query: some StringProtocol) {
        self.code = code
        self.message = message
        self.positionRange = range
        self.position = ParseError.lineColumn(of: range.start, in: query)
    }

    /// An error that is not tied to a position in a query.
    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
        self.positionRange = nil
        self.position = nil
    }

    /// `<line>:<column>: parse error: <message>`, or just the message without a position.
    package var description: String {
        guard let position else { return message }
        return "\(position): parse error: \(message)"
    }

    /// Prometheus's `PositionRange.StartPosInput`: lines counted by `\n`, columns in bytes.
    static func lineColumn(of offset: Int, in query: some StringProtocol) -> String {
        let bytes = query.utf8
        if bytes.isEmpty { return "unknown position" }
        if offset < 0 || offset > bytes.count { return "invalid position" }
        var line = 1
        var lastLineBreak = -1
        for (i, byte) in bytes.prefix(offset).enumerated() where byte == UInt8(ascii: "\n") {
            line += 1
            lastLineBreak = i
        }
        return "\(line):\(offset - lastLineBreak)"
    }
}
