// The commands of a promqltest script (`spec/promqltest-dsl.md`), as the parser produces them
// and the runner executes them.

package import MetricModel

/// A parsed promqltest script: its commands in file order.
///
/// ```swift
/// let file = try PromQLTestFile(parsing: """
///     load 1m
///       up{job="a"} 1 2 3
///
///     eval instant at 2m up
///       up{job="a"} 3
///     """, name: "example.test")
/// file.evals.count  // 1
/// ```
package struct PromQLTestFile: Sendable {
    /// Name used in messages (`file:line`).
    package var name: String
    package var commands: [PromQLTestCommand]

    package init(name: String, commands: [PromQLTestCommand]) {
        self.name = name
        self.commands = commands
    }

    /// The eval commands, in file order.
    package var evals: [EvalCommand] {
        commands.compactMap { if case .eval(let e) = $0 { e } else { nil } }
    }
}

/// One command of a script.
package enum PromQLTestCommand: Sendable {
    /// `load <step>` or `load_with_nhcb <step>` and its series lines.
    case load(LoadCommand)
    /// `clear`: drop all data.
    case clear(line: Int)
    /// `eval …` and its expectations.
    case eval(EvalCommand)
}

/// `load <step>`: series whose i-th value is at `i * step` ms.
package struct LoadCommand: Sendable {
    package var line: Int
    package var stepMilliseconds: Int64
    /// `load_with_nhcb`: classic histograms are also loaded as native histograms with custom buckets.
    package var withNHCB: Bool
    /// In order of first appearance; a label set given twice keeps the later line's values.
    package var series: [Series]

    package init(line: Int, stepMilliseconds: Int64, withNHCB: Bool, series: [Series] = []) {
        self.line = line
        self.stepMilliseconds = stepMilliseconds
        self.withNHCB = withNHCB
        self.series = series
    }
}

extension LoadCommand {
    /// One series line of a `load` block.
    package struct Series: Sendable {
        package var line: Int
        package var labels: Labels
        package var values: [SequenceValue]
        /// From a preceding `name{…}@st` line: each value's start-timestamp offset in ms (nil: none).
        /// Loaded into the storage as start timestamps (sample time plus offset).
        package var startTimestampOffsets: [Int64?]?

        package init(line: Int, labels: Labels, values: [SequenceValue], startTimestampOffsets: [Int64?]? = nil) {
            self.line = line
            self.labels = labels
            self.values = values
            self.startTimestampOffsets = startTimestampOffsets
        }

        /// True when any value is a `{{…}}` histogram.
        package var hasHistograms: Bool { values.contains { $0.isHistogram } }
    }
}

/// `from A to B step S` in milliseconds.
package struct StepRange: Sendable, Equatable {
    package var start: Timestamp
    package var end: Timestamp
    package var step: Int64

    package init(start: Timestamp, end: Timestamp, step: Int64) {
        self.start = start
        self.end = end
        self.step = step
    }
}

/// How an `expect fail|warn|info` line matches a message.
package enum MessageMatch: Sendable, Equatable, CustomStringConvertible {
    /// No `msg:`/`regex:`: anything matches.
    case any
    /// `msg: text`: the whole message, exactly.
    case exact(String)
    /// `regex: pattern`: an unanchored search, as Go's `MatchString` (RE2 syntax).
    case regex(String)

    /// Whether `message` satisfies this expectation.
    package func matches(_ message: String) -> Bool {
        switch self {
        case .any: return true
        case .exact(let text): return text == message
        case .regex(let pattern):
            guard let regex = try? RE2Regex(pattern) else { return false }
            return regex.matches(message)
        }
    }

    package var description: String {
        switch self {
        case .any: "anything"
        case .exact(let text): "message \(goQuote(text))"
        case .regex(let pattern): "pattern \(goQuote(pattern))"
        }
    }
}

/// An expected result series: labels, values, and its 1-based position among the result lines.
package struct ExpectedSeries: Sendable, Equatable {
    package var labels: Labels
    package var values: [SequenceValue]
    package var position: Int

    package init(labels: Labels, values: [SequenceValue], position: Int) {
        self.labels = labels
        self.values = values
        self.position = position
    }
}

/// `eval instant at T expr` or `eval range from A to B step S expr`, with its expectations.
package struct EvalCommand: Sendable {
    /// Instant at a time (ms), or a range query.
    package enum Kind: Sendable, Equatable {
        case instant(at: Timestamp)
        case range(StepRange)
    }

    /// Line of the `eval` header, 1-based.
    package var line: Int
    /// The PromQL expression, verbatim.
    package var expression: String
    package var kind: Kind
    /// `expect range vector from A to B step S` (instant only): the result is a matrix whose
    /// points sit at `A + i*S`; the query then runs at `B`.
    package var rangeVector: StepRange?

    /// `expect ordered` or `eval_ordered`.
    package var ordered = false
    /// `expect fail …` (`.any` for the legacy `eval_fail`, refined by `expected_fail_message`/`_regexp`).
    package var fail: MessageMatch?
    /// `expect warn …` lines; with the legacy `eval_warn`, `[.any]`.
    package var warnings: [MessageMatch] = []
    package var infos: [MessageMatch] = []
    /// `eval_warn` / `eval_info`: at least one such annotation, whatever else.
    package var legacyWarn = false
    package var legacyInfo = false
    package var noWarn = false
    package var noInfo = false

    /// A bare number line: the result is that scalar.
    package var expectedScalar: Double?
    /// `expect string "…"`.
    package var expectedString: String?
    /// Result lines, keyed by label set (a repeated label set keeps the later line).
    package var expectedSeries: [ExpectedSeries] = []

    /// Set by `expect range vector` and `expect string`: no range-mode cross-check.
    package var excludeFromRangeQuery = false

    package init(line: Int, expression: String, kind: Kind) {
        self.line = line
        self.expression = expression
        self.kind = kind
    }

    /// The time an instant eval runs at: its `at`, or the end of `expect range vector`.
    package var evalTime: Timestamp {
        if let rangeVector { return rangeVector.end }
        if case .instant(let t) = kind { return t }
        return 0
    }

    /// Whether any expected value is a `{{…}}` histogram.
    package var expectsHistograms: Bool {
        expectedSeries.contains { $0.values.contains { $0.isHistogram } }
    }
}
