// Why a template did not parse or execute, in Go's and Prometheus's words.

/// A template that does not parse or fails while executing.
///
/// `message` is the text Prometheus shows, e.g.
/// `error parsing template __alert_X: template: __alert_X:1: function "foo" not defined`.
package struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}
