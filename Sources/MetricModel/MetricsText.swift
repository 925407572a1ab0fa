// MetricsText: writes self-metric families in the text exposition format (0.0.4) as
// client_golang does: `# HELP`, `# TYPE`, then the samples; histograms and summaries whole.

/// A text exposition being written.
///
/// ```swift
/// var out = MetricsText()
/// out.family("prometheus_target_scrape_pools_total", .counter, "Total number of scrape pool creation attempts.")
/// out.sample("prometheus_target_scrape_pools_total", value: 3)
/// out.text  // "# HELP …\n# TYPE … counter\nprometheus_target_scrape_pools_total 3\n"
/// ```
package struct MetricsText: Sendable {
    package enum Kind: String, Sendable { case counter, gauge, histogram, summary, untyped }

    package var text = ""

    package init() {}

    /// `# HELP` and `# TYPE` of a family.
    package mutating func family(_ name: String, _ kind: Kind, _ help: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(kind.rawValue)\n"
    }

    /// One sample; `labels` is the inside of the braces (`code="200",handler="/metrics"`), already escaped.
    package mutating func sample(_ name: String, _ labels: String = "", value: String) {
        text += labels.isEmpty ? "\(name) \(value)\n" : "\(name){\(labels)} \(value)\n"
    }

    package mutating func sample(_ name: String, _ labels: String = "", value: Int) {
        sample(name, labels, value: String(value))
    }

    package mutating func sample(_ name: String, _ labels: String = "", value: Double) {
        sample(name, labels, value: goFormatG(value))
    }

    /// A family with one sample.
    package mutating func single(_ name: String, _ kind: Kind, _ help: String, _ value: Int) {
        family(name, kind, help)
        sample(name, value: value)
    }

    /// A family with one sample (a gauge measured in a fraction: seconds, or bytes past 2^53).
    package mutating func single(_ name: String, _ kind: Kind, _ help: String, _ value: Double) {
        family(name, kind, help)
        sample(name, value: value)
    }

    /// A histogram's `_bucket` (cumulative, `+Inf` equal to `_count`), `_sum` and `_count` lines.
    package mutating func histogram(_ name: String, _ labels: String = "", _ h: FixedBucketHistogram.Snapshot, bounds: [Double]) {
        let prefix = labels.isEmpty ? "" : labels + ","
        for (bound, count) in zip(bounds, h.cumulativeCounts) {
            sample(name + "_bucket", prefix + "le=\"\(goFormatG(bound))\"", value: count)
        }
        sample(name + "_bucket", prefix + "le=\"+Inf\"", value: h.count)
        sample(name + "_sum", labels, value: h.sum)
        sample(name + "_count", labels, value: h.count)
    }

    /// A summary's quantile, `_sum` and `_count` lines.
    package mutating func summary(_ name: String, _ labels: String = "", _ s: Summary.Snapshot) {
        let prefix = labels.isEmpty ? "" : labels + ","
        for (quantile, value) in s.quantiles {
            sample(name, prefix + "quantile=\"\(goFormatG(quantile))\"", value: value)
        }
        sample(name + "_sum", labels, value: s.sum)
        sample(name + "_count", labels, value: s.count)
    }

    /// `name="value"` with the value escaped for the text format (`\`, `"`, newline).
    package static func label(_ name: String, _ value: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return "\(name)=\"\(escaped)\""
    }
}
