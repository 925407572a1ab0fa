// Reading composed YAML nodes the way Prometheus's `yaml.UnmarshalStrict` (go-yaml v2) reads
// them: fields checked by name, nulls read as zero values, type mismatches collected.

package import YAML

/// Walks a composed document as go-yaml v2 in strict mode walks it for Prometheus.
///
/// Two kinds of failure, as in Go:
/// - type errors (a wrong kind of value, an unknown or repeated field) are collected and reported
///   together at the end as `yaml: unmarshal errors:\n  line N: …`;
/// - a section's own validation error (Go's `UnmarshalYAML` returning an error) is thrown at once.
///   Like Go, a section whose fields had type errors skips its validation (`hadTypeErrors(since:)`).
package final class ConfigDecoder {
    /// How a repeated mapping key is worded: go-yaml v2 (`prometheus.yml`) or v3 (rule files).
    package enum Dialect: Sendable {
        /// "key \"k\" already set in map", "field k already set in type T".
        case goYAMLv2
        /// "mapping key \"k\" already defined at line N".
        case goYAMLv3
    }

    package private(set) var typeErrors: [String] = []
    package let dialect: Dialect
    /// Accepted but not acted on, for `PrometheusConfig.notYetSupported`.
    var notYetSupported: [String] = []

    package init(dialect: Dialect = .goYAMLv2) {
        self.dialect = dialect
    }

    /// A mark to pass to `hadTypeErrors(since:)`.
    var typeErrorCount: Int { typeErrors.count }

    func hadTypeErrors(since mark: Int) -> Bool { typeErrors.count > mark }

    /// The collected type errors as go-yaml's `*yaml.TypeError`, nil when there are none.
    package var unmarshalError: ConfigError? {
        typeErrors.isEmpty ? nil : ConfigError("yaml: unmarshal errors:\n  " + typeErrors.joined(separator: "\n  "))
    }

    package func addTypeError(line: Int, _ message: String) {
        typeErrors.append("line \(line): \(message)")
    }

    /// go-yaml's `terror`: "cannot unmarshal !!str `abc` into uint".
    package func mismatch(_ node: Node, into goType: String) {
        var tag: String
        var shown = ""
        switch node {
        case .scalar(let scalar):
            tag = (try? scalar.goResolved().shortTag) ?? "!!str"
            if !scalar.explicitTag.isEmpty { tag = GoYAMLTag.short(scalar.explicitTag) }
            let bytes = Array(scalar.string.utf8)
            shown = bytes.count > 10 ? String(decoding: bytes[..<7], as: UTF8.self) + "..." : scalar.string
            shown = " `\(shown)`"
        case .mapping: tag = "!!map"
        case .sequence: tag = "!!seq"
        }
        addTypeError(line: node.line, "cannot unmarshal \(tag)\(shown) into \(goType)")
    }
}

extension Node {
    /// 1-based line of the node, as go-yaml reports it.
    package var line: Int { mark.line }

    /// go-yaml's null test before calling a field's own unmarshal function.
    package var isGoNull: Bool {
        if case .scalar(let scalar) = self { return scalar.isGoNull }
        return false
    }

    /// Null in any spelling (`~`, `null`, `Null`, empty): a Go slice, map or struct stays zero.
    package var isNullValue: Bool {
        guard case .scalar(let scalar) = self else { return false }
        return scalar.isGoNull || (try? scalar.goResolved()) == .null
    }
}

// MARK: - Scalars

extension ConfigDecoder {
    /// A Go `string` field: any scalar's text; null reads as "".
    package func string(_ node: Node, goType: String = "string") throws(ConfigError) -> String? {
        guard let bytes = try stringBytes(node, goType: goType) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The bytes of a string field, kept raw so invalid UTF-8 from `!!binary` can be reported.
    package func stringBytes(_ node: Node, goType: String = "string") throws(ConfigError) -> [UInt8]? {
        guard case .scalar(let scalar) = node else {
            mismatch(node, into: goType)
            return nil
        }
        switch try scalar.goResolved() {
        case .null: return []
        case .binary(let bytes): return bytes
        default: return Array(scalar.string.utf8)
        }
    }

    /// A Go `bool` field.
    package func bool(_ node: Node) throws(ConfigError) -> Bool? {
        guard case .scalar(let scalar) = node else {
            mismatch(node, into: "bool")
            return nil
        }
        switch try scalar.goResolved() {
        case .null: return false
        case .bool(let value): return value
        default:
            mismatch(node, into: "bool")
            return nil
        }
    }

    /// A Go `uint`/`uint64` field; floats are truncated as go-yaml does.
    package func unsigned(_ node: Node, goType: String = "uint") throws(ConfigError) -> UInt64? {
        try integer(node, goType: goType) { scalar in
            switch scalar {
            case .int(let value) where value >= 0: UInt64(value)
            case .uint(let value): value
            case .float(let value) where value >= 0 && value < 18_446_744_073_709_551_616.0: UInt64(value)
            default: nil
            }
        }
    }

    /// A Go `int` field.
    package func signed(_ node: Node, goType: String = "int") throws(ConfigError) -> Int64? {
        try integer(node, goType: goType) { scalar in
            switch scalar {
            case .int(let value): value
            case .uint(let value) where value <= UInt64(Int64.max): Int64(value)
            case .float(let value) where value >= -9_223_372_036_854_775_808.0 && value < 9_223_372_036_854_775_808.0:
                Int64(value)
            default: nil
            }
        }
    }

    /// An integer field: null is 0, `convert` takes what fits, anything else is a type error.
    private func integer<Value: FixedWidthInteger>(
        _ node: Node, goType: String, _ convert: (GoYAMLScalar) -> Value?
    ) throws(ConfigError) -> Value? {
        guard case .scalar(let scalar) = node else {
            mismatch(node, into: goType)
            return nil
        }
        let resolved = try scalar.goResolved()
        if resolved == .null { return 0 }
        guard let value = convert(resolved) else {
            mismatch(node, into: goType)
            return nil
        }
        return value
    }

    /// A Go `float64` field.
    package func float(_ node: Node) throws(ConfigError) -> Double? {
        guard case .scalar(let scalar) = node else {
            mismatch(node, into: "float64")
            return nil
        }
        switch try scalar.goResolved() {
        case .null: return 0
        case .int(let value): return Double(value)
        case .uint(let value): return Double(value)
        case .float(let value): return value
        default:
            mismatch(node, into: "float64")
            return nil
        }
    }

    /// A field whose Go type unmarshals itself from a string (`model.Duration`, `config.URL`, …):
    /// nil when the node is null (the field keeps its zero value) or not a scalar (a type error).
    package func customString(_ node: Node) throws(ConfigError) -> String? {
        if node.isGoNull { return nil }
        return try string(node)
    }

    /// `model.Duration`, in milliseconds; nil for null (zero) or a type error.
    package func duration(_ node: Node) throws(ConfigError) -> Int64? {
        guard let text = try customString(node) else { return nil }
        return try ModelDuration.parse(text)
    }

    /// `units.Base2Bytes` (`body_size_limit`), in bytes.
    func base2Bytes(_ node: Node) throws(ConfigError) -> Int64? {
        guard case .scalar(let scalar) = node else {
            mismatch(node, into: "units.Base2Bytes")
            return nil
        }
        if case .null = try scalar.goResolved() { return 0 }
        return try Base2Bytes.parse(scalar.string)
    }
}

// MARK: - Collections

extension ConfigDecoder {
    /// The elements of a Go slice field; null is an empty slice.
    package func elements(_ node: Node, goType: String) -> [Node]? {
        switch node {
        case .sequence(let sequence): return Array(sequence)
        case _ where node.isNullValue: return []
        default:
            mismatch(node, into: goType)
            return nil
        }
    }

    /// The entries of a Go slice of pointers (`[]*T`): nil for a null entry (Prometheus then
    /// reports "empty or null …"), entries `decode` drops (type errors) left out.
    func optionalElements<Element>(
        _ node: Node, goType: String, _ decode: (Node) throws(ConfigError) -> Element?
    ) throws(ConfigError) -> [Element?] {
        guard let items = elements(node, goType: goType) else { return [] }
        var values: [Element?] = []
        for item in items {
            if item.isGoNull {
                values.append(nil)
            } else if let value = try decode(item) {
                values.append(value)
            }
        }
        return values
    }

    /// A `[]string` field.
    package func strings(_ node: Node, goType: String = "[]string") throws(ConfigError) -> [String]? {
        guard let items = elements(node, goType: goType) else { return nil }
        var values: [String] = []
        for item in items {
            if let value = try string(item) { values.append(value) }
        }
        return values
    }

    /// The entries of a Go map field, keys as raw bytes (a `!!binary` key may not be UTF-8), in
    /// document order; a repeated key is go-yaml's strict "key \"k\" already set in map".
    /// `body` returns whether it stored the entry. Returns false for a type error.
    package func mapEntries(
        _ node: Node, goType: String, _ body: ([UInt8], Node) throws(ConfigError) -> Bool
    ) throws(ConfigError) -> Bool {
        switch node {
        case .mapping(let mapping):
            var seen: [[UInt8]: Int] = [:]
            for (keyNode, value) in mapping {
                if isMergeKey(keyNode) {
                    for merged in try mergedMappings(value).reversed() {
                        guard try mapEntries(merged, goType: goType, body) else { return false }
                    }
                    continue
                }
                guard let key = try stringBytes(keyNode) else { continue }
                if let first = seen[key] {
                    switch dialect {
                    case .goYAMLv2: addTypeError(line: value.line, "key \(GoString.quote(bytes: key)) already set in map")
                    case .goYAMLv3: repeatedKey(keyNode, GoString.quote(bytes: key), firstLine: first)
                    }
                    continue
                }
                if try body(key, value) { seen[key] = keyNode.line }
            }
            return true
        case _ where node.isNullValue:
            return true
        default:
            mismatch(node, into: goType)
            return false
        }
    }

    /// Calls `body` for each field of a Go struct, in document order, after go-yaml's strict
    /// checks: an unknown name is "field x not found in type T", a repeated one "field x already
    /// set in type T". Returns false when the node is not a mapping (a type error).
    @discardableResult
    package func fields(
        of node: Node, goType: String, known: Set<String>, _ body: (String, Node) throws(ConfigError) -> Void
    ) throws(ConfigError) -> Bool {
        switch node {
        case .mapping(let mapping):
            var seen: [String: Int] = [:]
            for (keyNode, value) in mapping {
                if isMergeKey(keyNode) {
                    for merged in try mergedMappings(value).reversed() {
                        try fields(of: merged, goType: goType, known: known, body)
                    }
                    continue
                }
                guard let key = try string(keyNode) else { continue }
                if dialect == .goYAMLv3, let first = seen[key] {
                    repeatedKey(keyNode, GoString.quote(key), firstLine: first)
                    continue
                }
                guard known.contains(key) else {
                    addTypeError(line: keyNode.line, "field \(key) not found in type \(goType)")
                    continue
                }
                if seen[key] != nil {
                    addTypeError(line: keyNode.line, "field \(key) already set in type \(goType)")
                    continue
                }
                seen[key] = keyNode.line
                try body(key, value)
            }
            return true
        case _ where node.isNullValue:
            return true
        default:
            mismatch(node, into: goType)
            return false
        }
    }

    /// go-yaml v3's check of unique keys, made before a mapping is decoded.
    private func repeatedKey(_ keyNode: Node, _ quotedKey: String, firstLine: Int) {
        addTypeError(line: keyNode.line, "mapping key \(quotedKey) already defined at line \(firstLine)")
    }

    private func isMergeKey(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.string == "<<" && scalar.style == .plain
    }

    /// The mappings a `<<` merge key brings in, in go-yaml's order (a sequence's later maps first).
    private func mergedMappings(_ node: Node) throws(ConfigError) -> [Node] {
        switch node {
        case .mapping: return [node]
        case .sequence(let sequence):
            let maps = Array(sequence)
            guard maps.allSatisfy({ if case .mapping = $0 { true } else { false } }) else { break }
            return maps
        default: break
        }
        throw ConfigError("yaml: map merge requires map or sequence of maps as the value")
    }
}
