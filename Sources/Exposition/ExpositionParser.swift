// ExpositionParser: what the Prometheus text and OpenMetrics pull parsers have in common, so a
// scrape loop can be generic over the negotiated format (`some ExpositionParser`).

package import MetricModel

/// A pull parser over one exposition held in memory.
///
/// Call `next()` until it returns nil. After `.series`, the series accessors describe that
/// sample until the next call; they read the caller's bytes in place.
///
/// ```swift
/// func ingest(_ parser: inout some ExpositionParser) throws(ExpositionError) {
///     while let entry = try parser.next() {
///         guard case .series = entry else { continue }
///         let labels = try parser.labels()
///         store(labels, parser.timestamp ?? scrapeTime, parser.value)
///     }
/// }
/// ```
package protocol ExpositionParser {
    /// The next entry; nil at the end of the input. Throws on the first malformed line.
    mutating func next() throws(ExpositionError) -> ExpositionEntry?

    /// The current sample's metric name, escapes resolved.
    var metricName: String { get }
    /// The current sample's name-and-labels text exactly as in the input (Prometheus's
    /// `Series()` bytes, a good scrape-cache key); no copy.
    var series: ArraySlice<UInt8> { get }
    /// Where ``series`` is in the input bytes (no slice, so no reference counting).
    var seriesRange: Range<Int> { get }
    /// The current sample's value; any NaN is Prometheus's normal NaN (`0x7FF8000000000001`).
    var value: Double { get }
    /// The current sample's own timestamp in milliseconds, if it has one.
    var timestamp: Timestamp? { get }
    /// The type from the most recent `# TYPE` line (Prometheus keeps it across families).
    var metricType: MetricType { get }

    /// The current sample's labels with `__name__`, sorted, escapes resolved, empty values
    /// dropped. Throws `.invalidLabels` for a repeated label name.
    mutating func labels() throws(ExpositionError) -> Labels
    /// Appends the flat sorted encoding of `labels()` to `buffer` without building a `Labels`.
    mutating func appendLabels(to buffer: inout [UInt8]) throws(ExpositionError)
    /// The current sample's exemplar, if it has one (OpenMetrics only).
    mutating func exemplar() throws(ExpositionError) -> Exemplar?
}

extension ExpositionParser {
    /// Builds the label set through `appendLabels(to:)`.
    package mutating func labels() throws(ExpositionError) -> Labels {
        var bytes: [UInt8] = []
        try appendLabels(to: &bytes)
        return Labels(encoded: bytes)
    }
}
