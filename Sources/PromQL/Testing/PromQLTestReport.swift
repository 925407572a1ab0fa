// The results of running promqltest scripts: per-eval outcomes, per-file reports and the
// suite's closing line `N passed, N failed, N skipped`.

/// Why an eval was not run. Only native histograms are a reason: everything else runs and
/// passes or fails.
package enum SkipReason: Sendable, Equatable, CustomStringConvertible {
    /// The eval reads or expects native-histogram samples, which our engine does not have.
    case nativeHistogram(String)

    package var description: String {
        switch self {
        case .nativeHistogram(let why): "native histograms: \(why)"
        }
    }
}

/// What happened to one eval.
package struct EvalOutcome: Sendable, Equatable {
    package enum Status: Sendable, Equatable {
        case passed
        /// With a one-line reason.
        case failed(String)
        case skipped(SkipReason)
    }

    package var file: String
    /// Line of the `eval` header.
    package var line: Int
    package var expression: String
    package var status: Status
    /// Whether the eval reads or expects native histograms (the suite inventory's "NH evals",
    /// `spec/promqltest-dsl.md` §11): how far native-histogram support has come is counted on these.
    package var readsNativeHistograms: Bool

    package init(file: String, eval: EvalCommand, status: Status, readsNativeHistograms: Bool = false) {
        self.file = file
        line = eval.line
        expression = eval.expression
        self.status = status
        self.readsNativeHistograms = readsNativeHistograms
    }

    /// `file:line: expression: reason` for a failed eval, nil otherwise.
    package var failureLine: String? {
        guard case .failed(let reason) = status else { return nil }
        return "\(file):\(line): \(expression): \(reason)"
    }
}

/// The outcomes of one script, and the errors of its DSL or `load` commands.
package struct PromQLTestReport: Sendable {
    package var file: String
    /// A parse error (then there are no outcomes) or `load` errors; each counts as a failure.
    package var errors: [PromQLTestError]
    package var outcomes: [EvalOutcome]

    package init(file: String, errors: [PromQLTestError], outcomes: [EvalOutcome]) {
        self.file = file
        self.errors = errors
        self.outcomes = outcomes
    }

    package var passed: Int { outcomes.count { $0.status == .passed } }
    package var failed: Int { errors.count + outcomes.count { $0.failureLine != nil } }
    package var skipped: Int { outcomes.count { if case .skipped = $0.status { true } else { false } } }

    /// One line per script error and per failed eval, in file order.
    package var failureLines: [String] {
        errors.map(\.description) + outcomes.compactMap(\.failureLine)
    }
}

/// Totals over scripts; prints as `N passed, N failed, N skipped`.
package struct PromQLTestSummary: Sendable, Equatable, CustomStringConvertible {
    package var passed = 0
    package var failed = 0
    package var skipped = 0

    package init() {}

    package init(_ reports: PromQLTestReport...) {
        for report in reports { add(report) }
    }

    package mutating func add(_ report: PromQLTestReport) {
        passed += report.passed
        failed += report.failed
        skipped += report.skipped
    }

    package var description: String { "\(passed) passed, \(failed) failed, \(skipped) skipped" }
}
