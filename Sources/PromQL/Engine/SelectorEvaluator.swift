// SelectorEvaluator: evaluates vector and matrix selectors against a Querier (the part of the
// PromQL engine that exists so far; the full evaluator is issue #4).

package import MetricModel
internal import ChunkEncoding

/// The value of an evaluated expression, in the shapes of the HTTP API.
package enum QueryValue: Sendable {
    /// One sample per series at the evaluation time.
    case vector([(labels: Labels, timestamp: Timestamp, value: Double)])
    /// Samples per series, sorted by labels.
    case matrix([(labels: Labels, samples: [Sample])])
}

/// An evaluation failure; `message` uses Prometheus's wording where it has one.
package struct EvaluationError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

/// Evaluates selector expressions at one instant.
package struct SelectorEvaluator: Sendable {
    package let querier: any Querier
    /// `--query.lookback-delta` in ms.
    package var lookbackDeltaMs: Int64

    package init(querier: any Querier, lookbackDeltaMs: Int64 = 5 * 60 * 1000) {
        self.querier = querier
        self.lookbackDeltaMs = lookbackDeltaMs
    }

    /// Evaluates `expr` as an instant query at `time` (ms).
    package func evaluate(_ expr: Expr, at time: Timestamp) throws -> QueryValue {
        switch expr {
        case .vectorSelector(let selector):
            return .vector(try instantVector(selector, at: time))
        case .matrixSelector(let matrix):
            return .matrix(try rangeSelection(matrix, at: time))
        default:
            throw EvaluationError("unsupported expression: only selectors are evaluated so far")
        }
    }

    /// The instant a selector reads at: its `@` time (an instant query's start and end are
    /// both the query time) or the evaluation time, minus its offset.
    private func effectiveTime(_ selector: VectorSelector, _ time: Timestamp) -> Timestamp {
        var base = time
        switch selector.atModifier {
        case .timestamp(let t): base = t
        case .start, .end, nil: break
        }
        let (t, overflow) = base.subtractingReportingOverflow(selector.offsetMilliseconds)
        return overflow ? (selector.offsetMilliseconds > 0 ? .min : .max) : t
    }

    /// `t - range + 1` (left-open range start), saturating instead of trapping.
    static func rangeStart(_ t: Timestamp, _ range: Int64) -> Timestamp {
        let (start, overflow) = t.subtractingReportingOverflow(range)
        if overflow { return .min }
        return start == .max ? start : start + 1
    }

    /// The newest sample in `(t - lookback, t]` per series, unless it is a stale marker.
    func instantVector(_ selector: VectorSelector, at time: Timestamp) throws -> [(labels: Labels, timestamp: Timestamp, value: Double)] {
        let t = effectiveTime(selector, time)
        let minT = Self.rangeStart(t, lookbackDeltaMs)
        let series = try querier.select(matchers: selector.matchers, minTime: minT, maxTime: t, sorted: true)
        var result: [(labels: Labels, timestamp: Timestamp, value: Double)] = []
        var iterator = SeriesSampleIterator([])
        for s in series {
            iterator.reset(s.chunks, minTime: minT, maxTime: t)
            var found: Sample?
            if iterator.seek(to: minT) {
                repeat {
                    let ts = iterator.timestamp
                    let v = iterator.value
                    if ts > t { break }
                    found = Sample(ts, v)
                } while iterator.next()
            }
            if let iteratorError = iterator.error { throw EvaluationError(iteratorError.description) }
            if let found, !StaleNaN.isStale(found.value) {
                result.append((s.labels, time, found.value))
            }
        }
        return result
    }

    /// Raw samples in the left-open range `(t - range, t]` per series, stale markers dropped.
    func rangeSelection(_ matrix: MatrixSelector, at time: Timestamp) throws -> [(labels: Labels, samples: [Sample])] {
        let t = effectiveTime(matrix.vectorSelector, time)
        let minT = Self.rangeStart(t, matrix.rangeMilliseconds)
        let series = try querier.select(matchers: matrix.vectorSelector.matchers, minTime: minT, maxTime: t, sorted: true)
        var result: [(labels: Labels, samples: [Sample])] = []
        var iterator = SeriesSampleIterator([])
        var samples: [Sample] = []
        for s in series {
            iterator.reset(s.chunks, minTime: minT, maxTime: t)
            samples.removeAll(keepingCapacity: true)
            if iterator.seek(to: minT) {
                repeat {
                    let ts = iterator.timestamp
                    let v = iterator.value
                    if ts > t { break }
                    if !StaleNaN.isStale(v) { samples.append(Sample(ts, v)) }
                } while iterator.next()
            }
            if let iteratorError = iterator.error { throw EvaluationError(iteratorError.description) }
            if !samples.isEmpty { result.append((s.labels, samples)) }
        }
        return result
    }
}
