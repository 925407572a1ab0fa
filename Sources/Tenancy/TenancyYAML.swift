// The tenants file's YAML as plain values (`String`, `Bool`, `Int`, `Double`, `[Any]`,
// `[String: Any]`), typed as the YAML 1.1 resolver the file was first read with (Yams's default)
// typed them, so that the same files load the same way.

internal import YAML

enum TenancyYAML {
    /// A value the tenants file has no field for (null, a timestamp, binary): refused by every
    /// field's type check, as before.
    struct Other {}

    /// The first document of `text` as plain values; nil for an empty file.
    /// - Throws: `TenancyError` "parsing tenants file: yaml: line 3: …".
    static func load(_ text: String) throws(TenancyError) -> Any? {
        let root: Node?
        do { root = try Composer.compose(text) } catch { throw TenancyError("parsing tenants file: \(error.message)") }
        return try root.map { (node) throws(TenancyError) in try value(node) }
    }

    private static func value(_ node: Node) throws(TenancyError) -> Any {
        switch node {
        case .scalar(let scalar): return value(scalar)
        case .sequence(let sequence):
            var items: [Any] = []
            for item in sequence { items.append(try value(item)) }
            return items
        case .mapping(let mapping):
            var map: [String: Any] = [:]
            var allStrings = true
            for (key, item) in try flattened(mapping) {
                guard case .scalar(let scalar) = key, let name = value(scalar) as? String else {
                    allStrings = false
                    continue
                }
                if map[name] != nil {
                    throw TenancyError("parsing tenants file: line \(key.mark.line): key \(name.debugDescription) appears twice")
                }
                map[name] = try value(item)
            }
            return allStrings ? map : Other()
        }
    }

    /// The entries with `<<` merge keys replaced by the entries they bring in (explicit keys win).
    private static func flattened(_ mapping: Node.Mapping) throws(TenancyError) -> [(key: Node, value: Node)] {
        var explicit: [(key: Node, value: Node)] = []
        var merged: [(key: Node, value: Node)] = []
        for (key, item) in mapping {
            guard case .scalar(let scalar) = key, scalar.string == "<<", scalar.style == .plain, scalar.tag == nil else {
                explicit.append((key, item))
                continue
            }
            let sources: [Node]
            switch item {
            case .mapping: sources = [item]
            case .sequence(let sequence): sources = Array(sequence)
            default: throw TenancyError("parsing tenants file: line \(item.mark.line): << needs a mapping or a list of them")
            }
            for case .mapping(let source) in sources {
                for entry in try flattened(source) where !merged.contains(where: { $0.key == entry.key }) {
                    merged.append(entry)
                }
            }
        }
        let explicitKeys = explicit.map(\.key)
        return merged.filter { !explicitKeys.contains($0.key) } + explicit
    }

    // MARK: - Scalars

    private static let prefix = "tag:yaml.org,2002:"

    private static func value(_ scalar: Node.Scalar) -> Any {
        let text = scalar.string
        let tag: String
        if let explicit = scalar.tag {
            tag = explicit == "!" ? "str" : explicit.hasPrefix(prefix) ? String(explicit.dropFirst(prefix.count)) : explicit
        } else {
            tag = scalar.style == .plain ? implicitTag(text) : "str"
        }
        switch tag {
        case "bool":
            switch text.lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: return text
            }
        case "int": return integer(text) ?? text
        case "float": return scalar.style == .plain ? float(text) ?? text : text
        case "null": return ["~", "null", "Null", "NULL", ""].contains(text) ? Other() : text
        case "timestamp", "binary": return Other()
        default: return text
        }
    }

    /// The tag Yams's default resolver gives a plain scalar (YAML 1.1: `yes`/`off` are booleans).
    private static func implicitTag(_ text: String) -> String {
        if boolWords.contains(text) { return "bool" }
        if isInteger(text) { return "int" }
        if isFloat(text) { return "float" }
        if ["~", "null", "Null", "NULL", ""].contains(text) { return "null" }
        if isTimestamp(text) { return "timestamp" }
        return "str"
    }

    private static let boolWords: Set<String> = [
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
    ]

    /// `[-+]?(0b[01_]+ | 0o?[0-7_]+ | 0 | [1-9][0-9_]* | 0x[0-9a-fA-F_]+)`
    private static func isInteger(_ text: String) -> Bool {
        var body = Substring(text)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        func all(_ rest: Substring, _ allowed: (Character) -> Bool) -> Bool { !rest.isEmpty && rest.allSatisfy(allowed) }
        if body.hasPrefix("0b") { return all(body.dropFirst(2)) { $0 == "0" || $0 == "1" || $0 == "_" } }
        if body.hasPrefix("0x") { return all(body.dropFirst(2)) { $0.isHexDigit || $0 == "_" } }
        if body.hasPrefix("0o") && all(body.dropFirst(2), { ("0"..."7").contains($0) || $0 == "_" }) { return true }
        if body.hasPrefix("0") { return body == "0" || all(body.dropFirst(), { ("0"..."7").contains($0) || $0 == "_" }) }
        guard let first = body.first, ("1"..."9").contains(first) else { return false }
        return body.dropFirst().allSatisfy { $0.isASCII && $0.isNumber || $0 == "_" }
    }

    /// `[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)? | \.[0-9_]+([eE][-+][0-9]+)? | [-+]?\.inf | \.nan`
    private static func isFloat(_ text: String) -> Bool {
        if [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN"]
            .contains(text) { return true }
        var rest = Substring(text)
        let digit = { (c: Character) in c.isASCII && c.isNumber }
        if rest.first == "." {
            rest = rest.dropFirst()
            guard let first = rest.first, digit(first) else { return false }
        } else {
            if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }
            guard let first = rest.first, digit(first) else { return false }
        }
        rest = rest.drop { digit($0) || $0 == "_" }
        if rest.first == "." { rest = rest.dropFirst().drop { digit($0) || $0 == "_" } }
        if rest.first == "e" || rest.first == "E" {
            rest = rest.dropFirst()
            if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }
            guard let first = rest.first, digit(first) else { return false }
            rest = rest.drop(while: digit)
        }
        return rest.isEmpty
    }

    /// `YYYY-MM-DD`, or `YYYY-M-D` followed by a time (`T10:00:00`, ` 10:00:00.5 +01:00`).
    private static func isTimestamp(_ text: String) -> Bool {
        let parts = text.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[0].allSatisfy(\.isWholeNumberASCII) else { return false }
        guard (1...2).contains(parts[1].count), parts[1].allSatisfy(\.isWholeNumberASCII) else { return false }
        let day = parts[2].prefix(while: \.isWholeNumberASCII)
        guard (1...2).contains(day.count) else { return false }
        let time = parts[2].dropFirst(day.count)
        if time.isEmpty { return parts[1].count == 2 && day.count == 2 }
        guard let separator = time.first, separator == "T" || separator == "t" || separator == " " || separator == "\t" else {
            return false
        }
        return time.contains(":")
    }

    /// Yams's `Int.construct`: `_` ignored, `0b`, `0o`, `0x` and leading-`0` octal; nil past `Int`.
    private static func integer(_ text: String) -> Int? {
        var digits = Substring(text.replacing("_", with: ""))
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        var radix = 10
        for (prefix, base) in [("0b", 2), ("0o", 8), ("0x", 16)] where digits.hasPrefix(prefix) {
            radix = base
            digits = digits.dropFirst(2)
        }
        if radix == 10 && digits.count > 1 && digits.hasPrefix("0") {
            radix = 8
            digits = digits.dropFirst()
        }
        return Int((negative ? "-" : "") + digits, radix: radix)
    }

    /// Yams's `Double.construct`.
    private static func float(_ text: String) -> Double? {
        switch text.lowercased() {
        case ".inf", "+.inf": return .infinity
        case "-.inf": return -.infinity
        case ".nan": return .nan
        default: return Double(text.replacing("_", with: ""))
        }
    }
}

extension Character {
    fileprivate var isWholeNumberASCII: Bool { isASCII && isNumber }
}
