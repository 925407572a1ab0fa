// ParseOpenMetrics: reads a whole OpenMetrics file into samples grouped by series — the input
// side of `sugarmill tsdb create-blocks-from openmetrics`, accepting what promtool 2.42's
// backfill (cmd/promtool/backfill.go) accepts.

package import MetricModel

/// Parses an OpenMetrics exposition and groups its samples by series, in input order.
///
/// This is what `promtool tsdb create-blocks-from openmetrics` (2.42) reads: the same
/// OpenMetrics grammar (`dialect`, by default Prometheus 2.42's), and every sample must carry
/// a timestamp (`expected timestamp for series got none`, as promtool's first pass reports).
/// Metadata, exemplars and `_created` handling play no part; `_created` lines are ordinary
/// series, as in promtool. Series appear in order of first appearance; each series' samples
/// keep their input order, unsorted and not deduplicated — promtool hands them to the TSDB
/// appender as they come, and that appender decides what an out-of-order or repeated
/// timestamp means.
///
/// - Parameters:
///   - bytes: the whole file.
///   - dialect: `.prometheus2_42` (promtool's grammar) or `.prometheus3` (UTF-8 names, …).
/// - Returns: one entry per distinct label set, with its samples.
/// - Throws: `ExpositionError` at the first syntax or missing-timestamp problem, else at the
///   first label set the TSDB would refuse (repeated name, empty set), with Prometheus's
///   wording and the line.
///
/// ```swift
/// let series = try parseOpenMetrics(Array("a{x=\"1\"} 1 10.5\na{x=\"1\"} 2 20\n# EOF\n".utf8))
/// // [({__name__="a", x="1"}, [Sample(10500, 1.0), Sample(20000, 2.0)])]
/// ```
/// Complexity: O(n) in the input plus one hash lookup per sample.
package func parseOpenMetrics(
    _ bytes: [UInt8], dialect: OpenMetricsParser.Dialect = .prometheus2_42
) throws(ExpositionError) -> [(labels: Labels, samples: [Sample])] {
    var parser = OpenMetricsParser(bytes, dialect: dialect)
    var result: [(labels: Labels, samples: [Sample])] = []
    var index: [Labels: Int] = [:]
    var scratch: [UInt8] = []
    // promtool reads the whole file once (syntax, timestamps) before it appends anything, so a
    // label-set error only wins when the rest of the file parses.
    var labelError: ExpositionError? = nil
    while let entry = try parser.next() {
        guard case .series = entry else { continue }
        guard let timestamp = parser.timestamp else {
            throw ExpositionError(
                .missingTimestamp, "expected timestamp for series got none", at: parser.line.lineStart, in: bytes)
        }
        if labelError != nil { continue }
        scratch.removeAll(keepingCapacity: true)
        do {
            try parser.appendLabels(to: &scratch)
        } catch {
            labelError = error
            continue
        }
        guard !scratch.isEmpty else {
            labelError = ExpositionError(
                .invalidLabels, "empty labelset: invalid sample", at: parser.line.lineStart, in: bytes)
            continue
        }
        let labels = Labels(encoded: scratch)
        let sample = Sample(timestamp, parser.value)
        if let k = index[labels] {
            result[k].samples.append(sample)
        } else {
            index[labels] = result.count
            result.append((labels, [sample]))
        }
    }
    if let labelError { throw labelError }
    return result
}
