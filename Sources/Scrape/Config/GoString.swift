// Go's `%q` for the error texts Prometheus words with it (`"job" is not a valid label name`),
// Exposition's `GoQuote` over a string's bytes.

import Exposition

enum GoString {
    /// `strconv.Quote`: printable characters verbatim, `\"` `\\` and control characters escaped.
    static func quote(_ text: String) -> String {
        GoQuote.quote(text.utf8)
    }

    /// `strconv.Quote` over raw bytes: invalid UTF-8 shows as `\xff`.
    static func quote(bytes: [UInt8]) -> String {
        GoQuote.quote(bytes)
    }
}
