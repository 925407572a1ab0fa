// OTLP attribute keys as Prometheus label names, after github.com/prometheus/otlptranslator
// v1.0.0 (label_namer.go, strconv.go) with escaping on, and Prometheus 3's `otlp:` defaults
// (`label_name_underscore_sanitization: true`, `label_name_preserve_multiple_underscores: true`).

internal import MetricModel

/// Builds Prometheus label names from OTLP attribute keys.
///
/// Every character outside `[a-zA-Z0-9]` becomes `_` (one per character, so `字符` gives
/// `__`); a leading digit gets `key_` in front, and so does a single leading `_` (with
/// `underscoreSanitization`); names that start with `__` are kept as they are.
///
/// ```swift
/// let namer = OTLPLabelNamer()
/// try namer.name("http.method")   // "http_method"
/// try namer.name("123label")      // "key_123label"
/// try namer.name("_private")      // "key_private"
/// try namer.name("__reserved__")  // "__reserved__"
/// ```
package struct OTLPLabelNamer: Sendable {
    /// Prefix `key` to names starting with a single `_` (`label_name_underscore_sanitization`).
    package var underscoreSanitization = true
    /// Keep runs of `_` (`label_name_preserve_multiple_underscores`); when false they collapse
    /// to one, except that a reserved `__name__`-style frame is kept.
    package var preserveMultipleUnderscores = true

    package init(underscoreSanitization: Bool = true, preserveMultipleUnderscores: Bool = true) {
        self.underscoreSanitization = underscoreSanitization
        self.preserveMultipleUnderscores = preserveMultipleUnderscores
    }

    /// The label name for `key`; throws for an empty key or one that leaves only underscores.
    package func name(_ key: String) throws(RemoteWriteError) -> String {
        if key.isEmpty { throw RemoteWriteError("label name is empty") }
        var name = sanitize(key)
        if let first = name.utf8.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) {
            name = "key_" + name
        } else if underscoreSanitization, name.hasPrefix("_"), !name.hasPrefix("__") {
            name = "key" + name
        }
        if name.utf8.allSatisfy({ $0 == UInt8(ascii: "_") }) {
            throw RemoteWriteError("normalization for label name \(goQuote(key)) resulted in invalid name \(goQuote(name))")
        }
        return name
    }

    /// `[a-zA-Z0-9]`: the characters kept in a label name.
    private static func isLabelNameCharacter(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "a"..."z", "A"..."Z", "0"..."9": true
        default: false
        }
    }

    private func sanitize(_ key: String) -> String {
        var out = String.UnicodeScalarView()
        if preserveMultipleUnderscores {
            for scalar in key.unicodeScalars { out.append(Self.isLabelNameCharacter(scalar) ? scalar : "_") }
            return String(out)
        }
        // `__x__` keeps its frame: only the inside is sanitized.
        // Compared as bytes, as Go does: `_` never sits inside a multi-byte character.
        let underscores = "__".utf8
        let reserved = key.utf8.count >= 4 && key.utf8.starts(with: underscores) && key.utf8.reversed().starts(with: underscores)
        let inner = reserved ? Substring(key.utf8.dropFirst(2).dropLast(2)) : Substring(key)
        var lastWasUnderscore = false
        for scalar in inner.unicodeScalars {
            if Self.isLabelNameCharacter(scalar) {
                out.append(scalar)
                lastWasUnderscore = false
            } else if !lastWasUnderscore {
                out.append("_")
                lastWasUnderscore = true
            }
        }
        return reserved ? "__" + String(out) + "__" : String(out)
    }
}
