// FormParameters: request parameters from the URL query and a form-encoded body, merged, with
// Go's `url.ParseQuery` rules.

internal import MetricModel

/// Parameters of an API request: the URL's query string merged with an
/// `application/x-www-form-urlencoded` body, as Go's `r.FormValue` / `r.Form` see them
/// (body values first, then URL values).
///
/// As Go's `url.ParseQuery`, a pair with a bad escape (`%zz`) or a `;` in it is left out and
/// the first such problem kept in ``parseError``: most endpoints ignore it (as `FormValue`
/// does), those that call Go's `ParseForm` answer 400 with it.
struct FormParameters: Sendable {
    private var values: [String: [String]] = [:]
    /// Go's error for the first pair that was left out, e.g. `invalid URL escape "%zz"`.
    private(set) var parseError: String?

    init() {}

    /// Parses `a=1&b=2&match[]=x` (percent-decoding, `+` as space) and adds the pairs.
    mutating func add(encoded query: Substring) {
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            if part.contains(";") {
                if parseError == nil { parseError = "invalid semicolon separator in query" }
                continue
            }
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            do {
                let key = try Self.decode(kv[0])
                let value = kv.count > 1 ? try Self.decode(kv[1]) : ""
                values[key, default: []].append(value)
            } catch {
                if parseError == nil { parseError = error.message }
            }
        }
    }

    /// The first value of `name`, or nil.
    subscript(name: String) -> String? { values[name]?.first }

    /// Every value of `name` (for `match[]`).
    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// Go's `ParseForm` result: throws Prometheus's 400 for a query string Go would not parse.
    func checkParsed() throws(APIError) {
        if let parseError { throw APIError(.badData, "error parsing form values: \(parseError)") }
    }

    static func decode(_ s: Substring) throws(FormDecodingError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        let bytes = Array(s.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
                i += 1
            } else if b == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) else {
                    let bad = bytes[i..<min(i + 3, bytes.count)]
                    throw FormDecodingError(message: "invalid URL escape \(goQuote(String(decoding: bad, as: UTF8.self)))")
                }
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(b)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// A percent-escape Go's `url.QueryUnescape` rejects.
struct FormDecodingError: Error {
    var message: String
}

/// Go's `strconv.Atoi`, with its error text: `strconv.Atoi: parsing "abc": invalid syntax`.
func goAtoi(_ text: String) throws(FormDecodingError) -> Int {
    if let n = Int(text) { return n }
    var digits = Substring(text)
    if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
    let outOfRange = !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    throw FormDecodingError(
        message: "strconv.Atoi: parsing \(goQuote(text)): \(outOfRange ? "value out of range" : "invalid syntax")")
}
