// PromQLTestRunner: runs promqltest scripts against our Engine over a MemoryStorage and
// reports one outcome per eval, with the upstream harness's checks (`promql/promqltest/test.go`).

import MetricModel

/// Runs promqltest scripts (Prometheus's PromQL acceptance tests) against ``Engine``.
///
/// ```swift
/// let report = PromQLTestRunner().run(source: text, name: "functions.test")
/// for line in report.failureLines { print(line) }
/// print(PromQLTestSummary(report))  // "812 passed, 3 failed, 108 skipped"
/// ```
///
/// Every eval ends as passed or failed (with a one-line reason); each outcome also says whether
/// the eval reads native histograms.
/// An error saying "not implemented" (or an `.unsupported` parse error) never counts as the
/// failure an `expect fail` eval asks for, so a stub engine cannot pass those.
package struct PromQLTestRunner: Sendable {
    /// How to run the suite.
    package struct Options: Sendable {
        /// The engine configuration the suite assumes: 5m lookback, 1m default subquery step,
        /// experimental functions, delayed name removal and start timestamps on, at most 10000
        /// samples per query.
        package var engine: EngineOptions = {
            var options = EngineOptions()
            options.lookbackDeltaMs = 5 * 60 * 1000
            options.defaultSubqueryStepMs = 60_000
            options.maxSamples = 10_000
            options.experimentalFunctions = true
            options.delayedNameRemoval = true
            options.useStartTimestamps = true
            return options
        }()
        /// Re-run each instant eval with every selector pinned by `@` at other times (upstream does).
        package var atModifierVariants = true
        /// Re-run each instant eval as a range query around its time and compare the point at
        /// its time (upstream does, except for `expect ordered`, `range vector` and `string`).
        package var rangeModeCheck = true

        package init() {}
    }

    package var options: Options

    package init(options: Options = Options()) {
        self.options = options
    }

    /// Parses and runs one script; a script that does not parse yields a report with that
    /// error and no outcomes.
    package func run(source: String, name: String) -> PromQLTestReport {
        do {
            return run(try PromQLTestFile(parsing: source, name: name))
        } catch {
            return PromQLTestReport(file: name, errors: [error], outcomes: [])
        }
    }

    /// Runs the commands of a parsed script in order, against one storage.
    package func run(_ file: PromQLTestFile) -> PromQLTestReport {
        var report = PromQLTestReport(file: file.name, errors: [], outcomes: [])
        var storage = MemoryStorage()
        for command in file.commands {
            switch command {
            case .clear:
                storage = MemoryStorage()
            case .load(let load):
                do { try storage.apply(load, file: file.name) } catch { report.errors.append(error) }
            case .eval(let eval):
                report.outcomes.append(EvalOutcome(
                    file: file.name, eval: eval, status: run(eval, storage),
                    readsNativeHistograms: storage.nativeHistogramReason(for: eval) != nil))
            }
        }
        return report
    }

    /// One eval against the storage as loaded so far.
    package func run(_ eval: EvalCommand, _ storage: MemoryStorage) -> EvalOutcome.Status {
        let expr: Expr
        do { expr = try parseExpr(eval.expression) } catch {
            // Upstream reports some invalid queries when the query is created rather than parsed;
            // our parser may reject those already, so an expected failure that names its message
            // can match here too. A bare `expect fail` cannot: any parser bug would satisfy it.
            if error.code != .unsupported, let fail = eval.fail, fail != .any,
                fail.matches(error.message) || fail.matches(error.description)
            {
                return .passed
            }
            return .failed("\(error)")
        }
        let engine = Engine(querier: storage, options: options.engine)
        switch eval.kind {
        case .range(let range):
            return status(rangeEval(engine, expr, eval, range))
        case .instant:
            let time = eval.evalTime
            if let why = instantEval(engine, expr, text: eval.expression, at: time, eval) { return .failed(why) }
            guard options.atModifierVariants, let variants = Self.atModifierVariants(of: expr, at: time) else { return .passed }
            let text = variants.expr.description
            for t in variants.times {
                if let why = instantEval(engine, variants.expr, text: text, at: t, eval) {
                    return .failed("with every selector @ \(formatTimestamp(time)) and query time \(formatTimestamp(t)): \(why)")
                }
            }
            return .passed
        }
    }

    private func status(_ failure: String?) -> EvalOutcome.Status {
        failure.map { .failed($0) } ?? .passed
    }

    /// Why an error does not satisfy the eval, or nil when it is the expected failure.
    package static func errorMismatch(_ error: QueryError, _ eval: EvalCommand) -> String? {
        if isNotImplemented(error.message) { return "not implemented: \(error.message)" }
        guard let fail = eval.fail else { return "error evaluating query: \(error.message)" }
        return fail.matches(error.message) ? nil : "expected error matching \(fail), but got: \(error.message)"
    }

    /// Whether an error only says the engine lacks the feature.
    static func isNotImplemented(_ message: String) -> Bool {
        message.lowercased().contains("not implemented")
    }

    func rangeEval(_ engine: Engine, _ expr: Expr, _ eval: EvalCommand, _ range: StepRange) -> String? {
        let result: QueryResult
        do {
            result = try engine.rangeQuery(expr, start: range.start, end: range.end, step: range.step, query: eval.expression)
        } catch {
            return Self.errorMismatch(error, eval)
        }
        if eval.fail != nil { return "expected error evaluating query but got none" }
        if let why = Self.annotationMismatch(result.annotations, eval) { return why }
        return Self.mismatch(result.value, eval, points: range)
    }

    /// One run of an instant eval (the original or an @-variant), with its range-mode check.
    ///
    /// `text` is the query as upstream would send it (the printed @-variant), used for the
    /// `start()`-style test; annotation positions refer to the eval's own text, from which
    /// the expression's positions come (the @-variant keeps them).
    func instantEval(_ engine: Engine, _ expr: Expr, text: String, at time: Timestamp, _ eval: EvalCommand) -> String? {
        let result: QueryResult
        do { result = try engine.instantQuery(expr, at: time, query: eval.expression) } catch {
            return Self.errorMismatch(error, eval)
        }
        if eval.fail != nil { return "expected error evaluating query but got none" }
        if let why = Self.annotationMismatch(result.annotations, eval) { return why }
        if let why = Self.mismatch(result.value, eval, points: eval.rangeVector) { return why }

        guard options.rangeModeCheck, !eval.excludeFromRangeQuery, !Self.usesQueryContextFunction(text) else { return nil }
        let rangeResult: QueryResult
        do {
            rangeResult = try engine.rangeQuery(
                expr, start: time - 60_000, end: time + 60_000, step: 60_000, query: eval.expression)
        } catch {
            return "in range mode: error evaluating query: \(error.message)"
        }
        if eval.ordered { return nil }
        guard case .matrix(let matrix) = rangeResult.value else {
            return "in range mode: range query returned a \(kind(rangeResult.value)), not a matrix"
        }
        if let i = Self.unsortedIndex(matrix) {
            return "in range mode: matrix not sorted by labels: \(matrix[i].labels) after \(matrix[i - 1].labels)"
        }
        var vector: [VectorSample] = []
        for series in matrix {
            if let point = series.samples.first(where: { $0.timestamp == time }) {
                vector.append(VectorSample(labels: series.labels, timestamp: time, value: point.value))
            } else if let point = series.histograms.first(where: { $0.timestamp == time }) {
                vector.append(VectorSample(labels: series.labels, timestamp: time, histogram: point.histogram))
            }
        }
        let atTime: PromQLValue
        if case .scalar = result.value {
            guard let first = vector.first else { return "in range mode: no point at the eval time for a scalar result" }
            atTime = .scalar(timestamp: time, value: first.value)
        } else {
            atTime = .vector(vector)
        }
        return Self.mismatch(atTime, eval, points: eval.rangeVector).map { "in range mode: \($0)" }
    }

    /// Upstream's `(start|end|range|step)\(\)` test: such queries differ between instant and range mode.
    static func usesQueryContextFunction(_ text: String) -> Bool {
        ["start()", "end()", "range()", "step()"].contains { text.contains($0) }
    }

    private func kind(_ value: PromQLValue) -> String {
        switch value {
        case .scalar: "scalar"
        case .string: "string"
        case .vector: "vector"
        case .matrix: "matrix"
        }
    }
}
