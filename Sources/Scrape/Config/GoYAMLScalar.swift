// How go-yaml v2 (the YAML library Prometheus reads its config with) types a scalar: YAML 1.1
// booleans (`yes`, `off`), `~`/`null`, base-prefixed integers, `.inf`. This decides which
// values a field accepts and how a mismatch is worded, e.g. "cannot unmarshal !!str `x` into uint".

import MetricModel
import YAML

/// A scalar's value as go-yaml v2's `resolve` types it.
enum GoYAMLScalar: Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case float(Double)
    case string(String)
    case timestamp(String)
    /// `!!binary`, base64-decoded.
    case binary([UInt8])

    /// The short tag go-yaml names the value by in errors (`!!str`, `!!int`, …).
    var shortTag: String {
        switch self {
        case .null: "!!null"
        case .bool: "!!bool"
        case .int, .uint: "!!int"
        case .float: "!!float"
        case .string: "!!str"
        case .timestamp: "!!timestamp"
        case .binary: "!!binary"
        }
    }
}

enum GoYAMLTag {
    static let prefix = "tag:yaml.org,2002:"
    static let str = prefix + "str"
    static let bool = prefix + "bool"
    static let int = prefix + "int"
    static let float = prefix + "float"
    static let null = prefix + "null"
    static let timestamp = prefix + "timestamp"
    static let binary = prefix + "binary"

    /// `!!str` for `tag:yaml.org,2002:str`, other tags unchanged.
    static func short(_ tag: String) -> String {
        tag.hasPrefix(prefix) ? "!!" + tag.dropFirst(prefix.count) : tag
    }
}

extension Node.Scalar {
    /// The tag as written (long form), or "" for a plain scalar without one. Quoted and block
    /// scalars without one carry `!!str`, as go-yaml treats them; the non-specific `!` is "".
    var explicitTag: String {
        if let tag { return tag == "!" ? "" : tag }
        return style == .plain ? "" : GoYAMLTag.str
    }

    /// go-yaml's `prepare` test: values that never reach a field's own unmarshal function.
    var isGoNull: Bool {
        let tag = explicitTag
        if tag == GoYAMLTag.null { return true }
        guard tag.isEmpty else { return false }
        return string == "null" || string == "~" || (string.isEmpty && style != .singleQuoted && style != .doubleQuoted)
    }

    /// The value as go-yaml v2's `resolve` types it.
    ///
    /// - Throws: `ConfigError` "yaml: cannot decode !!str `x` as a !!int" for a tag its text
    ///   does not fit, and for `!!binary` text that is not base64.
    func goResolved() throws(ConfigError) -> GoYAMLScalar {
        let tag = explicitTag
        switch tag {
        case "", GoYAMLTag.str, GoYAMLTag.bool, GoYAMLTag.int, GoYAMLTag.float, GoYAMLTag.null, GoYAMLTag.timestamp:
            break
        case GoYAMLTag.binary:
            guard let bytes = Base64.decode(string) else {
                throw ConfigError("yaml: !!binary value contains invalid base64 data")
            }
            return .binary(bytes)
        default:
            return .string(string)
        }
        let resolved = tag == GoYAMLTag.str ? GoYAMLScalar.string(string) : GoYAMLScalar.implicit(string, tag: tag)
        if tag.isEmpty || tag == GoYAMLTag.str { return resolved }
        switch (tag, resolved) {
        case (GoYAMLTag.bool, .bool), (GoYAMLTag.int, .int), (GoYAMLTag.int, .uint), (GoYAMLTag.float, .float),
            (GoYAMLTag.null, .null), (GoYAMLTag.timestamp, .timestamp):
            return resolved
        case (GoYAMLTag.float, .int(let value)):
            return .float(Double(value))
        default:
            throw ConfigError("yaml: cannot decode \(resolved.shortTag) `\(string)` as a \(GoYAMLTag.short(tag))")
        }
    }
}

extension GoYAMLScalar {
    /// go-yaml v2's implicit typing of a plain scalar's text.
    static func implicit(_ text: String, tag: String) -> GoYAMLScalar {
        guard let first = text.utf8.first else { return .null }
        if let known = keywords[text] { return known }
        switch first {
        case UInt8(ascii: "."):
            if let value = Double(text) { return .float(value) }
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"):
            if tag.isEmpty || tag == GoYAMLTag.timestamp, looksLikeTimestamp(text) { return .timestamp(text) }
            let plain = text.replacing("_", with: "")
            if let value = GoInteger.parseSigned(plain) { return .int(value) }
            if let value = GoInteger.parseUnsigned(plain) { return .uint(value) }
            if isYAMLStyleFloat(plain), let value = Double(plain) { return .float(value) }
        default:
            break
        }
        return .string(text)
    }

    private static let keywords: [String: GoYAMLScalar] = {
        var map: [String: GoYAMLScalar] = [:]
        for word in ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"] { map[word] = .bool(true) }
        for word in ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"] { map[word] = .bool(false) }
        for word in ["~", "null", "Null", "NULL"] { map[word] = .null }
        for word in [".nan", ".NaN", ".NAN"] { map[word] = .float(.nan) }
        for word in [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"] { map[word] = .float(.infinity) }
        for word in ["-.inf", "-.Inf", "-.INF"] { map[word] = .float(-.infinity) }
        return map
    }()

    /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
    static func isYAMLStyleFloat(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let integerDigits = bytes.prefix(while: isDigit).count
        bytes = bytes.dropFirst(integerDigits)
        var fractionDigits = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            fractionDigits = bytes.prefix(while: isDigit).count
            bytes = bytes.dropFirst(fractionDigits)
            if integerDigits == 0 && fractionDigits == 0 { return false }
        } else if integerDigits == 0 {
            return false
        }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            let exponentDigits = bytes.prefix(while: isDigit).count
            if exponentDigits == 0 { return false }
            bytes = bytes.dropFirst(exponentDigits)
        }
        return bytes.isEmpty
    }

    /// go-yaml only tries timestamps on text starting `YYYY-`, in a few layouts; a config never
    /// needs one, so recognising the shape is enough to word errors the same way.
    private static func looksLikeTimestamp(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 8, bytes[4] == UInt8(ascii: "-") else { return false }
        guard bytes[0..<4].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return false }
        let date = bytes[5...].prefix { $0 != UInt8(ascii: "T") && $0 != UInt8(ascii: "t") && $0 != UInt8(ascii: " ") }
        let parts = date.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ (1...2).contains($0.count) }) else { return false }
        return parts.allSatisfy { $0.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)` / `ParseUint(s, 0, 64)`: `0x`, `0o`, `0b` and leading-`0`
/// octal prefixes.
enum GoInteger {
    static func parseSigned(_ text: String) -> Int64? {
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        guard let magnitude = parseUnsigned(String(digits)) else { return nil }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    static func parseUnsigned(_ text: String) -> UInt64? {
        var digits = Substring(text)
        var radix: UInt64 = 10
        let lower = digits.lowercased()
        if lower.hasPrefix("0x") {
            radix = 16
            digits = digits.dropFirst(2)
        } else if lower.hasPrefix("0o") {
            radix = 8
            digits = digits.dropFirst(2)
        } else if lower.hasPrefix("0b") {
            radix = 2
            digits = digits.dropFirst(2)
        } else if digits.count > 1, digits.first == "0" {
            radix = 8
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        var value: UInt64 = 0
        for character in digits {
            guard let digit = character.hexDigitValue.map(UInt64.init), digit < radix else { return nil }
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: radix)
            let (sum, overflowB) = shifted.addingReportingOverflow(digit)
            if overflowA || overflowB { return nil }
            value = sum
        }
        return value
    }
}

