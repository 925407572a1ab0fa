// ExpositionEntry: what one call to a parser's `next()` found.

/// One entry of an exposition, as returned by `PromTextParser.next()` and
/// `OpenMetricsParser.next()`.
///
/// Metadata entries carry their text; a sample is just `.series`, and its name, labels,
/// value, timestamp and exemplar are read from the parser, so the hot path allocates nothing.
///
/// ```swift
/// var parser = OpenMetricsParser(Array("# TYPE up gauge\nup 1\n# EOF\n".utf8))
/// while let entry = try parser.next() {
///     if case .series = entry { print(parser.metricName, parser.value) }  // up 1.0
/// }
/// ```
package enum ExpositionEntry: Sendable, Hashable {
    /// `# TYPE <name> <type>`.
    case type(name: String, type: MetricType)
    /// `# HELP <name> <text>`, with the text unescaped as the format defines.
    case help(name: String, text: String)
    /// `# UNIT <name> <unit>` (OpenMetrics only); an empty unit means none.
    case unit(name: String, unit: String)
    /// Any other `#` line (Prometheus text only), the whole line without its newline.
    case comment(String)
    /// A sample line; read it through the parser's series accessors.
    case series
}
