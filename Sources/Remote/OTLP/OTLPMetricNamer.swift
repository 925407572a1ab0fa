// OTLP metric names as Prometheus metric names, after github.com/prometheus/otlptranslator
// v1.0.0 (metric_namer.go) with escaping on: Prometheus 3's default translation strategy
// `UnderscoreEscapingWithSuffixes`, and `UnderscoreEscapingWithoutSuffixes`.

internal import MetricModel

/// The kind of an OTLP metric, as the naming rules see it.
package enum OTLPMetricKind: Sendable, Equatable {
    case gauge
    /// A monotonic sum: a Prometheus counter, named with `_total`.
    case monotonicCounter
    /// A non-monotonic sum: a Prometheus gauge.
    case nonMonotonicCounter
    case histogram
    case exponentialHistogram
    case summary
    /// A metric without data.
    case unknown
}

/// Builds Prometheus metric names from OTLP names, units and kinds.
///
/// With suffixes (the default), the name is split into words at every character outside
/// `[a-zA-Z0-9:]` (so runs of `_` collapse and leading or trailing ones go), the unit's words
/// are appended unless the name already has them, `total` goes last for monotonic counters and
/// `ratio` for gauges of unit `1`; a leading digit gets a `_` in front.
///
/// ```swift
/// let namer = OTLPMetricNamer()
/// try namer.name("http.server.duration", unit: "s", kind: .histogram)   // "http_server_duration_seconds"
/// try namer.name("requests", unit: "By", kind: .monotonicCounter)       // "requests_bytes_total"
/// try namer.name("cpu.utilization", unit: "1", kind: .gauge)            // "cpu_utilization_ratio"
/// ```
package struct OTLPMetricNamer: Sendable {
    /// Add unit, `_total` and `_ratio` suffixes (`…WithSuffixes` strategies).
    package var addSuffixes = true

    package init(addSuffixes: Bool = true) {
        self.addSuffixes = addSuffixes
    }

    /// The Prometheus name of a metric; throws when nothing valid is left of it.
    package func name(_ name: String, unit: String, kind: OTLPMetricKind) throws(RemoteWriteError) -> String {
        let normalized = addSuffixes ? withSuffixes(name, unit: unit, kind: kind) : withoutSuffixes(name)
        if normalized.isEmpty {
            throw RemoteWriteError("normalization for metric \(goQuote(name)) resulted in empty name")
        }
        if normalized != name && normalized.utf8.allSatisfy({ $0 == UInt8(ascii: "_") }) {
            throw RemoteWriteError("normalization for metric \(goQuote(name)) resulted in invalid name \(goQuote(normalized))")
        }
        return normalized
    }

    /// `[a-zA-Z0-9:]`: the characters kept in a metric name.
    static func isMetricNameCharacter(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "a"..."z", "A"..."Z", "0"..."9", ":": true
        default: false
        }
    }

    private func withSuffixes(_ name: String, unit: String, kind: OTLPMetricKind) -> String {
        var words = Self.words(of: name, keepingUnderscores: false)
        let (main, per) = OTLPUnit.suffixes(unit)
        var mainWord = OTLPUnit.cleanUp(main)
        var perWord = OTLPUnit.cleanUp(per)
        if words.contains(mainWord) { mainWord = "" }
        if perWord == "per_" {
            perWord = ""
        } else {
            if perWord.hasSuffix("_") { perWord.removeLast() }
            if words.contains(perWord) { perWord = "" }
        }
        if !perWord.isEmpty, mainWord.hasSuffix("_") { mainWord.removeLast() }
        if !mainWord.isEmpty { words.append(mainWord) }
        if !perWord.isEmpty { words.append(perWord) }
        if kind == .monotonicCounter {
            words.removeAll { $0 == "total" }
            words.append("total")
        }
        if unit == "1" && kind == .gauge {
            words.removeAll { $0 == "ratio" }
            words.append("ratio")
        }
        return Self.underscoreLeadingDigit(words.joined(separator: "_"))
    }

    private func withoutSuffixes(_ name: String) -> String {
        Self.underscoreLeadingDigit(Self.words(of: name, keepingUnderscores: true).joined(separator: "_"))
    }

    /// The runs of metric-name characters in `name` (and of `_` too when `keepingUnderscores`),
    /// as Go's `strings.FieldsFunc` splits: no empty words.
    private static func words(of name: String, keepingUnderscores: Bool) -> [String] {
        var words: [String] = []
        var word = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            if isMetricNameCharacter(scalar) || (keepingUnderscores && scalar == "_") {
                word.append(scalar)
            } else if !word.isEmpty {
                words.append(String(word))
                word = String.UnicodeScalarView()
            }
        }
        if !word.isEmpty { words.append(String(word)) }
        return words
    }

    private static func underscoreLeadingDigit(_ name: String) -> String {
        guard let first = name.utf8.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return name }
        return "_" + name
    }
}
