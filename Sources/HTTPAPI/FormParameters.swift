// FormParameters: request parameters from the URL query and a form-encoded body, merged.

/// Parameters of an API request: the URL's query string merged with an
/// `application/x-www-form-urlencoded` body, as Go's `r.FormValue` / `r.Form` see them
/// (body values first, then URL values).
struct FormParameters: Sendable {
    private var values: [String: [String]] = [:]

    init() {}

    /// Parses `a=1&b=2&match[]=x` (percent-decoding, `+` as space) and adds the pairs.
    mutating func add(encoded query: Substring) {
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(kv[0])
            let value = kv.count > 1 ? Self.decode(kv[1]) : ""
            values[key, default: []].append(value)
        }
    }

    /// The first value of `name`, or nil.
    subscript(name: String) -> String? { values[name]?.first }

    /// Every value of `name` (for `match[]`).
    func all(_ name: String) -> [String] { values[name] ?? [] }

    static func decode(_ s: Substring) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if b == UInt8(ascii: "%"), it.count >= 2, let hi = hexValue(it[it.startIndex]),
                let lo = hexValue(it[it.startIndex + 1])
            {
                out.append(hi << 4 | lo)
                it = it.dropFirst(2)
            } else {
                out.append(b)
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
