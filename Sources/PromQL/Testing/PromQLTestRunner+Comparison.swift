// Comparing a query's result and annotations with an eval's expectations, by the harness's
// rules (`spec/promqltest-dsl.md` §6-§7): floats with a relative tolerance, vectors as sets
// (or in order with `expect ordered`), matrices as sets of sorted series.

import MetricModel

/// Prometheus's `almost.Equal(a, b, epsilon)` (`util/almost`), as the harness compares values.
///
/// The stale marker equals only itself; any two other NaNs are equal; `==` values are equal
/// (±Inf included); when either side is 0 (or both are subnormal) the difference must be
/// below `epsilon` times the smallest normal float, which in practice means exactly equal;
/// otherwise the difference relative to `|a| + |b|` must be below `epsilon`.
///
/// ```swift
/// almostEqual(1, 1.0000001)  // true
/// almostEqual(0, 1e-300)     // false
/// ```
package func almostEqual(_ a: Double, _ b: Double, epsilon: Double = 1e-6) -> Bool {
    if StaleNaN.isStale(a) || StaleNaN.isStale(b) { return StaleNaN.isStale(a) && StaleNaN.isStale(b) }
    if a.isNaN && b.isNaN { return true }
    if a == b { return true }
    let absSum = a.magnitude + b.magnitude
    let diff = (a - b).magnitude
    if a == 0 || b == 0 || absSum < Double.leastNormalMagnitude {
        return diff < epsilon * Double.leastNormalMagnitude
    }
    return diff / min(absSum, Double.greatestFiniteMagnitude) < epsilon
}

extension PromQLTestRunner {
    /// Why `value` does not meet `eval`'s expected result, or nil when it does.
    ///
    /// - Parameter points: Where the expected points of a matrix sit: the range of a range
    ///   eval or of `expect range vector`; nil for a plain instant eval (which then cannot
    ///   expect a matrix, as upstream).
    package static func mismatch(_ value: PromQLValue, _ eval: EvalCommand, points: StepRange?) -> String? {
        switch value {
        case .matrix(let matrix):
            if eval.ordered { return "expected ordered result, but query returned a matrix" }
            if eval.expectedScalar != nil { return "expected scalar result, but got matrix \(describe(matrix))" }
            return matrixMismatch(matrix, eval, points: points ?? StepRange(start: eval.evalTime, end: .min, step: 0))
        case .vector(let vector):
            if eval.expectedScalar != nil { return "expected scalar result, but got vector \(describe(vector))" }
            return vectorMismatch(vector, eval)
        case .scalar(_, let v):
            guard let expected = eval.expectedScalar else {
                return "expected vector or matrix result, but got scalar \(formatValue(v))"
            }
            return almostEqual(expected, v) ? nil : "expected scalar \(formatValue(expected)) but got \(formatValue(v))"
        case .string(_, let s):
            let expected = eval.expectedString ?? ""
            return expected == s ? nil : "expected string \(goQuote(expected)) but got \(goQuote(s))"
        }
    }

    static func vectorMismatch(_ vector: [VectorSample], _ eval: EvalCommand) -> String? {
        var seen = Set<Labels>()
        for (index, sample) in vector.enumerated() {
            guard let expected = eval.expectedSeries.first(where: { $0.labels == sample.labels }) else {
                return "unexpected metric \(sample.labels) in result, has value \(sample.histogram?.testExpression ?? formatValue(sample.value))"
            }
            if eval.ordered && expected.position != index + 1 {
                return "expected metric \(sample.labels) at position \(expected.position) but was at \(index + 1)"
            }
            guard let first = expected.values.first else { return "expected line for \(sample.labels) has no value" }
            let value: Double
            switch (first, sample.histogram) {
            case (.histogram(let h), nil):
                return "expected histogram \(h.histogram.testExpression) for \(sample.labels) but got float value \(formatValue(sample.value))"
            case (.histogram(let want), let got?):
                if !histogramsMatch(want, got) {
                    return "expected \(want.histogram.testExpression) for \(sample.labels) but got \(got.testExpression)"
                }
                value = 0
            case (_, let got?):
                return "expected float value \(first) for \(sample.labels) but got histogram \(got.testExpression)"
            case (.omitted, nil): value = 0
            case (.float(let v), nil): value = v
            }
            if !almostEqual(value, sample.value) {
                return "expected \(formatValue(value)) for \(sample.labels) but got \(formatValue(sample.value))"
            }
            seen.insert(sample.labels)
        }
        if let missing = eval.expectedSeries.first(where: { !seen.contains($0.labels) }) {
            return "expected metric \(missing.labels) with \(missing.values) not found"
        }
        return nil
    }

    static func matrixMismatch(_ matrix: [MatrixSeries], _ eval: EvalCommand, points: StepRange) -> String? {
        if let unsorted = unsortedIndex(matrix) {
            return "matrix results should always be sorted by labels, but series \(matrix[unsorted].labels) comes after \(matrix[unsorted - 1].labels)"
        }
        var seen = Set<Labels>()
        for series in matrix {
            guard let expected = eval.expectedSeries.first(where: { $0.labels == series.labels }) else {
                return "unexpected metric \(series.labels) in result, has \(describe(series))"
            }
            seen.insert(series.labels)
            var floats: [Sample] = []
            var histograms: [(Timestamp, HistogramDescription)] = []
            for (i, value) in expected.values.enumerated() {
                let t = points.start + Int64(i) * points.step
                if t > points.end {
                    return "expected \(expected.values.count) points for \(series.labels), but query time range cannot return this many points"
                }
                switch value {
                case .omitted: break
                case .float(let v): floats.append(Sample(t, v))
                case .histogram(let h): histograms.append((t, h))
                }
            }
            if floats.count != series.samples.count || histograms.count != series.histograms.count {
                return "expected \(floats.count) float points and \(histograms.count) histogram points for \(series.labels), but got \(describe(series))"
            }
            for (i, (want, got)) in zip(floats, series.samples).enumerated() {
                if want.timestamp != got.timestamp {
                    return "expected float value at index \(i) for \(series.labels) to have timestamp \(want.timestamp), but it had timestamp \(got.timestamp) (result has \(describe(series)))"
                }
                if !almostEqual(want.value, got.value) {
                    return "expected float value at index \(i) (t=\(got.timestamp)) for \(series.labels) to be \(formatValue(want.value)), but got \(formatValue(got.value)) (result has \(describe(series)))"
                }
            }
            for (i, ((t, want), got)) in zip(histograms, series.histograms).enumerated() {
                if t != got.timestamp {
                    return "expected histogram value at index \(i) for \(series.labels) to have timestamp \(t), but it had timestamp \(got.timestamp) (result has \(describe(series)))"
                }
                if !histogramsMatch(want, got.histogram) {
                    return "expected histogram value at index \(i) (t=\(got.timestamp)) for \(series.labels) to be \(want.histogram.testExpression), but got \(got.histogram.testExpression) (result has \(describe(series)))"
                }
            }
        }
        if let missing = eval.expectedSeries.first(where: { !seen.contains($0.labels) }) {
            return "expected metric \(missing.labels) not found"
        }
        return nil
    }

    /// The harness's `compareNativeHistogram` on both sides compacted: schema, custom bounds,
    /// zero threshold and spans exactly, counts, sum and buckets with the float rule, and the
    /// counter-reset hint only when the expected value wrote it.
    static func histogramsMatch(_ expected: HistogramDescription, _ actual: FloatHistogram) -> Bool {
        var want = expected.histogram
        want.compact(maxEmptyBuckets: 0)
        var got = actual
        got.compact(maxEmptyBuckets: 0)
        guard want.schema == got.schema, almostEqual(want.count, got.count), almostEqual(want.sum, got.sum) else { return false }
        if want.usesCustomBuckets && !HistogramSchema.customBoundsMatch(want.customValues, got.customValues) { return false }
        guard want.zeroThreshold == got.zeroThreshold, almostEqual(want.zeroCount, got.zeroCount) else { return false }
        func bucketsMatch(_ a: [Double], _ b: [Double]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { almostEqual($0, $1) }
        }
        guard BucketSpan.layoutsMatch(want.negativeSpans, got.negativeSpans), bucketsMatch(want.negativeBuckets, got.negativeBuckets),
            BucketSpan.layoutsMatch(want.positiveSpans, got.positiveSpans), bucketsMatch(want.positiveBuckets, got.positiveBuckets)
        else { return false }
        return !expected.counterResetHintSet || want.counterResetHint == got.counterResetHint
    }

    /// The first index whose series sorts before the previous one (Prometheus's label order).
    static func unsortedIndex(_ matrix: [MatrixSeries]) -> Int? {
        guard matrix.count > 1 else { return nil }
        for i in 1..<matrix.count where Labels.compare(matrix[i - 1].labels, matrix[i].labels) > 0 { return i }
        return nil
    }

    // MARK: Annotations

    /// Why the annotations do not meet `eval`'s `expect warn|info|no_warn|no_info` lines, or nil.
    package static func annotationMismatch(_ annotations: Annotations, _ eval: EvalCommand) -> String? {
        let warnings = annotations.warnings.map { rendered($0, prefix: "PromQL warning: ") }
        let infos = annotations.infos.map { rendered($0, prefix: "PromQL info: ") }
        if eval.legacyWarn && warnings.isEmpty { return "expected warnings but got none" }
        if eval.legacyInfo && infos.isEmpty { return "expected info annotations but got none" }
        if let why = expectedAnnotationMismatch(eval.warnings, warnings, "warn") { return why }
        if let why = expectedAnnotationMismatch(eval.infos, infos, "info") { return why }
        if eval.noWarn && !warnings.isEmpty { return "unexpected warning annotations: \(warnings)" }
        if eval.noInfo && !infos.isEmpty { return "unexpected info annotations: \(infos)" }
        return nil
    }

    /// Every expectation matches some annotation and every annotation matches some expectation.
    static func expectedAnnotationMismatch(_ expected: [MessageMatch], _ actual: [String], _ kind: String) -> String? {
        guard !expected.isEmpty else { return nil }
        if actual.isEmpty { return "expected \(kind) annotations but none were found" }
        for e in expected where !actual.contains(where: { annotationMatches(e, $0) }) {
            return "expected \(kind) annotation matching \(e) but no matching annotation was found, found: \(actual)"
        }
        for a in actual where !expected.contains(where: { annotationMatches($0, a) }) {
            return "unexpected \(kind) annotation \(goQuote(a))"
        }
        return nil
    }

    /// Annotation texts as Prometheus renders them: `PromQL warning: <text> (<line>:<col>)`.
    /// An engine may hand over the bare text; the prefix is added here.
    static func rendered(_ text: String, prefix: String) -> String {
        text.hasPrefix(prefix) ? text : prefix + text
    }

    /// `msg:` matches exactly; when the engine's text has no `(line:col)` position, the expected
    /// text is compared without its position (a fallback the DSL notes allow).
    static func annotationMatches(_ expectation: MessageMatch, _ annotation: String) -> Bool {
        if expectation.matches(annotation) { return true }
        if case .exact(let text) = expectation, positionSuffix(annotation) == nil, let suffix = positionSuffix(text) {
            return text.dropLast(suffix) == annotation[...]
        }
        return false
    }

    /// Length of a trailing ` (12:34)`, or nil.
    static func positionSuffix(_ s: String) -> Int? {
        let b = Array(s.utf8)
        guard b.last == UInt8(ascii: ")"), let open = b.lastIndex(of: UInt8(ascii: "(")), open > 0,
            b[open - 1] == UInt8(ascii: " ")
        else { return nil }
        let inner = b[(open + 1)..<(b.count - 1)]
        let parts = inner.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(ByteScanner.isDigit) }) else { return nil }
        return b.count - open + 1
    }

    // MARK: Describing results

    static func describe(_ samples: [Sample]) -> String {
        let points = samples.prefix(8).map { "\(formatValue($0.value)) @[\($0.timestamp)]" }
        let more = samples.count > 8 ? " …" : ""
        return "\(samples.count) float point\(samples.count == 1 ? "" : "s") [\(points.joined(separator: " "))\(more)]"
    }

    static func describe(_ vector: [VectorSample]) -> String {
        vector.prefix(5).map { "\($0.labels) => \($0.histogram?.testExpression ?? formatValue($0.value))" }.joined(separator: ", ") + (vector.count > 5 ? ", …" : "")
    }

    static func describe(_ series: MatrixSeries) -> String {
        guard !series.histograms.isEmpty else { return describe(series.samples) }
        let points = series.histograms.prefix(4).map { "\($0.histogram.testExpression) @[\($0.timestamp)]" }
        let more = series.histograms.count > 4 ? " …" : ""
        return "\(describe(series.samples)), \(series.histograms.count) histogram points [\(points.joined(separator: " "))\(more)]"
    }

    static func describe(_ matrix: [MatrixSeries]) -> String {
        matrix.prefix(3).map { "\($0.labels) => \(describe($0))" }.joined(separator: ", ") + (matrix.count > 3 ? ", …" : "")
    }
}
