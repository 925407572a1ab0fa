// ExpositionLint+Rules: promlint's rules over one metric family, with its exact problem texts
// (client_golang `prometheus/testutil/promlint`, `validations/`).

extension LintFamily {
    /// Appends every problem of this family, rule by rule, in promlint's order.
    func lint(into problems: inout [LintProblem]) {
        func problem(_ text: String) { problems.append(LintProblem(metric: name, text: text)) }
        let lowercased = name.lowercased()

        // lintHelp
        if !hasHelp { problem("no help text") }

        // lintMetricUnits
        if let (unit, base) = Self.unit(in: name), unit != base {
            problem("use base unit \"\(base)\" instead of \"\(unit)\"")
        }

        // lintCounter
        let hasTotalSuffix = name.hasSuffix("_total")
        if type == .counter && !hasTotalSuffix {
            problem("counter metrics should have \"_total\" suffix")
        } else if type != .unknown && type != .counter && hasTotalSuffix {
            problem("non-counter metrics should not have \"_total\" suffix")
        }

        // lintHistogramSummaryReserved (not for untyped metrics)
        if type != .unknown {
            let isHistogram = type == .histogram
            let isSummary = type == .summary
            if !isHistogram && name.hasSuffix("_bucket") {
                problem("non-histogram metrics should not have \"_bucket\" suffix")
            }
            if !isHistogram && !isSummary && name.hasSuffix("_count") {
                problem("non-histogram and non-summary metrics should not have \"_count\" suffix")
            }
            if !isHistogram && !isSummary && name.hasSuffix("_sum") {
                problem("non-histogram and non-summary metrics should not have \"_sum\" suffix")
            }
            for labels in metrics {
                for label in labels {
                    if !isHistogram && label == "le" { problem("non-histogram metrics should not have \"le\" label") }
                    if !isSummary && label == "quantile" { problem("non-summary metrics should not have \"quantile\" label") }
                }
            }
        }

        // lintMetricTypeInName: every type of client_model's MetricType but UNTYPED.
        for typeName in ["counter", "gauge", "histogram", "summary", "gauge_histogram"]
        where Self.hasWord(typeName, in: lowercased) {
            problem("metric name should not include type '\(typeName)'")
        }

        // lintReservedChars
        if name.contains(":") { problem("metric names should not contain ':'") }

        // lintCamelCase
        if Self.isCamelCase(name) { problem("metric names should be written in 'snake_case' not 'camelCase'") }
        for labels in metrics {
            for label in labels where Self.isCamelCase(label) {
                problem("label names should be written in 'snake_case' not 'camelCase'")
            }
        }

        // lintUnitAbbreviations: one problem per abbreviation found.
        for abbreviation in Self.unitAbbreviations where Self.hasWord(abbreviation, in: lowercased) {
            problem("metric names should not contain abbreviated units")
        }
    }

    /// Whether `name` contains `_word_` or ends in `_word`.
    static func hasWord(_ word: String, in name: String) -> Bool {
        name.contains("_\(word)_") || name.hasSuffix("_\(word)")
    }

    /// Whether `name` matches promlint's `[a-z][A-Z]`.
    static func isCamelCase(_ name: String) -> Bool {
        var previousIsLower = false
        for byte in name.utf8 {
            if previousIsLower && byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { return true }
            previousIsLower = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
        }
        return false
    }

    /// The first `_`-separated word of `name` that is a known unit, optionally SI/IEC-prefixed,
    /// with its base unit (current promlint's `metricUnits`).
    static func unit(in name: String) -> (unit: String, base: String)? {
        for word in name.split(separator: "_", omittingEmptySubsequences: false) {
            if let base = units[String(word)] { return (String(word), base) }
            for prefix in unitPrefixes where word.hasPrefix(prefix) {
                if let base = units[String(word.dropFirst(prefix.count))] { return (String(word), base) }
            }
        }
        return nil
    }

    /// Each unit promlint knows and its base unit.
    static let units: [String: String] = [
        "amperes": "amperes", "bytes": "bytes", "celsius": "celsius", "grams": "grams", "joules": "joules",
        "kelvin": "kelvin", "meters": "meters", "metres": "metres", "seconds": "seconds", "volts": "volts",
        "minutes": "seconds", "hours": "seconds", "days": "seconds", "weeks": "seconds",
        "kelvins": "kelvin", "fahrenheit": "celsius", "rankine": "celsius",
        "inches": "meters", "yards": "meters", "miles": "meters",
        "bits": "bytes", "calories": "joules", "pounds": "grams", "ounces": "grams",
    ]

    /// The unit prefixes promlint recognises (its list, `mibi` spelling included).
    static let unitPrefixes = [
        "pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo", "kibi",
        "mega", "mibi", "giga", "gibi", "tera", "tebi", "peta", "pebi",
    ]

    /// Abbreviated units promlint discourages.
    static let unitAbbreviations = ["s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d"]
}
