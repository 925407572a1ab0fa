// Request bodies of the Grafana JSON data source API (spec/compat-apis.md §3): JSON decoded without
// a schema, so that each endpoint checks the fields it reads and names the one that is wrong.

#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif
internal import PromQL

/// A JSON document. Numbers are doubles (JSON has no NaN or infinity, so they are finite).
package enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Writes the value back as JSON (object keys sorted, so the output is stable).
    func write(to w: inout JSONWriter) {
        switch self {
        case .null: w.raw("null")
        case .bool(let value): value ? w.raw("true") : w.raw("false")
        case .number(let value): appendValue(value, to: &w.bytes)
        case .string(let value): w.string(value)
        case .array(let elements):
            w.byte(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                element.write(to: &w)
            }
            w.byte(UInt8(ascii: "]"))
        case .object(let members):
            w.byte(UInt8(ascii: "{"))
            for (i, key) in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.string(key)
                w.byte(UInt8(ascii: ":"))
                members[key]!.write(to: &w)
            }
            w.byte(UInt8(ascii: "}"))
        }
    }

    /// Deepest nesting of arrays and objects accepted in a request body. Grafana's bodies nest
    /// four or five levels; the limit keeps the recursive decoding far from the end of the stack.
    static let maxDepth = 64

    /// Whether `bytes` nests arrays and objects deeper than ``maxDepth`` (brackets inside strings
    /// do not count). A scan of the bytes, before any decoding.
    static func nestsTooDeep(_ bytes: some Collection<UInt8>) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for b in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if b == UInt8(ascii: "\\") {
                    escaped = true
                } else if b == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maxDepth { return true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return false
    }
}

/// A field of a request body and its path (`targets[0].refId`), for error messages. An absent
/// field and a JSON `null` read the same: as not given.
package struct JSONField {
    /// nil when the field is absent.
    package let value: JSONValue?
    /// Where the field is: `range.from`, `targets[2]`; empty for the whole body.
    let path: String

    /// The whole body: absent when it is empty or only white space.
    package static func body(_ bytes: some Collection<UInt8>) throws(APIError) -> JSONField {
        guard bytes.contains(where: { !Self.isWhiteSpace($0) }) else { return JSONField(value: nil, path: "") }
        if JSONValue.nestsTooDeep(bytes) {
            throw APIError(.badData, "request body nests arrays and objects deeper than \(JSONValue.maxDepth) levels")
        }
        let value: JSONValue
        do { value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes)) } catch {
            throw APIError(.badData, "request body is not valid JSON: \(Self.reason(error))")
        }
        guard case .object = value else { throw APIError(.badData, "request body must be a JSON object") }
        return JSONField(value: value, path: "")
    }

    private static func isWhiteSpace(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") || b == UInt8(ascii: "\t")
    }

    /// Why the decoder gave up, in a few words. A syntax error says nothing more; the one valid
    /// JSON that ``JSONValue`` cannot hold is a number beyond a double's range, so a type mismatch
    /// means that number.
    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.typeMismatch(_, let context):
            var path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            if path.hasPrefix(".") { path.removeFirst() }
            return path.isEmpty ? "a number is out of range" : "a number in \"\(path)\" is out of range"
        case DecodingError.dataCorrupted(let context):
            return context.underlyingError.map { "\($0)" } ?? "syntax error"
        default:
            return "\(error)"
        }
    }

    /// Not given, or `null`.
    var isAbsent: Bool { value == nil || value == .null }

    /// The member `key` of this object (absent when this is not an object).
    subscript(key: String) -> JSONField {
        let childPath = path.isEmpty ? key : "\(path).\(key)"
        guard case .object(let members)? = value else { return JSONField(value: nil, path: childPath) }
        return JSONField(value: members[key], path: childPath)
    }

    /// An error naming this field.
    func invalid(_ why: String) -> APIError { Self.invalid(path, why) }

    /// `bad_data`: `invalid field "<path>": <why>`.
    static func invalid(_ path: String, _ why: String) -> APIError {
        APIError(.badData, "invalid field \"\(path)\": \(why)")
    }

    /// The error for a required field that is absent.
    var missing: APIError { APIError(.badData, "missing field \"\(path)\"") }

    /// The string, nil when absent; another type is an error.
    func string() throws(APIError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw invalid("must be a string")
        }
    }

    /// The number, nil when absent; another type is an error.
    func number() throws(APIError) -> Double? {
        switch value {
        case nil, .null?: return nil
        case .number(let n)?: return n
        default: throw invalid("must be a number")
        }
    }

    /// The Boolean, nil when absent; another type is an error.
    func bool() throws(APIError) -> Bool? {
        switch value {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        default: throw invalid("must be true or false")
        }
    }

    /// The elements with their paths, nil when absent; another type is an error.
    func array() throws(APIError) -> [JSONField]? {
        switch value {
        case nil, .null?: return nil
        case .array(let elements)?:
            return elements.enumerated().map { JSONField(value: $0.element, path: "\(path)[\($0.offset)]") }
        default: throw invalid("must be an array")
        }
    }

    /// Checks that the field is an object when given; true when it is one.
    @discardableResult
    func object() throws(APIError) -> Bool {
        switch value {
        case nil, .null?: return false
        case .object?: return true
        default: throw invalid("must be an object")
        }
    }

    /// A required string.
    func requiredString() throws(APIError) -> String {
        guard let s = try string() else { throw missing }
        return s
    }

    /// A required object (check only; read its members with the subscript).
    func requireObject() throws(APIError) {
        guard try object() else { throw missing }
    }
}
