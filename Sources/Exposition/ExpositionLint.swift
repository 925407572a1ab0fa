// ExpositionLint: the checks of `promtool check metrics` (client_golang's
// `prometheus/testutil/promlint`) over a Prometheus text 0.0.4 exposition.
//
// Samples are grouped into families as client_golang's `expfmt.TextParser` groups them: by exact
// name, else `_sum`/`_count` into a declared summary and `_bucket`/`_sum`/`_count` into a declared
// histogram; `quantile` on a summary and `le` on a histogram are not labels, and samples of a
// summary or histogram with the same other labels are one metric. Families without samples are
// dropped, so a lone `# HELP` or `# TYPE` is never linted.

/// One lint finding: `metric` is the family name, `text` promlint's wording.
///
/// `sugarmill check metrics` prints each as `"\(metric) \(text)"`, as promtool does.
package struct LintProblem: Sendable, Hashable {
    /// The metric family name the problem is about.
    package var metric: String
    /// What is wrong, worded exactly as promlint words it.
    package var text: String

    /// A problem about `metric`.
    package init(metric: String, text: String) {
        self.metric = metric
        self.text = text
    }
}

/// Lints a Prometheus text 0.0.4 exposition as promtool's `check metrics` does.
///
/// Returns the problems sorted by metric name, then text (duplicates kept, as promlint keeps
/// them: a camelCase label on three series is three problems).
///
/// ```swift
/// let problems = try lintExposition(Array("# TYPE hits counter\nhits 1\n".utf8))
/// // hits counter metrics should have "_total" suffix
/// // hits no help text
/// ```
/// - Throws: `ExpositionError` for input that does not parse, or repeats a label name on a
///   line, a `# HELP` for a name, or a `# TYPE` for a name (or gives it after its samples).
/// - Complexity: O(n) in the input plus O(p log p) to sort p problems.
package func lintExposition(_ bytes: [UInt8]) throws(ExpositionError) -> [LintProblem] {
    var families = LintFamilies()
    var parser = PromTextParser(bytes)
    while let entry = try parser.next() {
        let lineStart = parser.line.lineStart
        switch entry {
        case let .help(helpName, _):
            // As in expfmt, `# HELP s_sum` of a declared summary `s` is about `s`.
            let name = families.familyName(of: helpName)
            if families.byName[name]?.hasHelp == true {
                throw ExpositionError(.syntax, "second HELP line for metric name \"\(name)\"", at: lineStart, in: bytes)
            }
            families.byName[name, default: LintFamily(name: name)].hasHelp = true
        case let .type(typeName, type):
            let name = families.familyName(of: typeName)
            if let family = families.byName[name], family.hasType || !family.metrics.isEmpty {
                throw ExpositionError(
                    .syntax, "second TYPE line for metric name \"\(name)\", or TYPE reported after samples",
                    at: lineStart, in: bytes)
            }
            families.byName[name, default: LintFamily(name: name)].type = type
            families.byName[name]!.hasType = true
        case .series:
            try families.add(parser.metricName, labelOffsets: parser.line.labelOffsets, bytes, lineStart: lineStart)
        case .comment, .unit:
            break
        }
    }
    var problems: [LintProblem] = []
    for family in families.byName.values where !family.metrics.isEmpty {
        family.lint(into: &problems)
    }
    problems.sort { ($0.metric, $0.text) < ($1.metric, $1.text) }
    return problems
}

/// The families of one exposition, keyed by name, as `expfmt.TextParser` builds them.
struct LintFamilies {
    var byName: [String: LintFamily] = [:]

    /// Adds one sample to the family `expfmt` would put it in.
    mutating func add(_ name: String, labelOffsets: [Int], _ bytes: [UInt8], lineStart: Int) throws(ExpositionError) {
        let familyName = self.familyName(of: name)
        let type = byName[familyName]?.type ?? .unknown
        var labels: [(name: String, value: String)] = []
        var k = 0
        while k + 3 < labelOffsets.count {
            let labelName = Escapes.string(bytes, labelOffsets[k]..<labelOffsets[k + 1])
            let value = String(decoding: bytes[labelOffsets[k + 2]..<labelOffsets[k + 3]], as: UTF8.self)
            k += 4
            if labels.contains(where: { $0.name == labelName }) {
                throw ExpositionError(.invalidLabels, "duplicate label names for metric \"\(name)\"", at: lineStart, in: bytes)
            }
            // Not labels to expfmt: the summary's quantile and the histogram's bucket bound.
            if (type == .summary && labelName == "quantile") || (type == .histogram && labelName == "le") { continue }
            labels.append((labelName, value))
        }
        byName[familyName, default: LintFamily(name: familyName)].add(labels.map(\.name), signature: labels)
    }

    /// `name` itself if a family has it, else the summary or histogram it is a part of, else `name`.
    func familyName(of name: String) -> String {
        if byName[name] != nil { return name }
        for (suffix, types) in [("_sum", [MetricType.summary, .histogram]), ("_count", [.summary, .histogram]), ("_bucket", [.histogram])]
        where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if let family = byName[base], types.contains(family.type) { return base }
        }
        return name
    }
}

/// One metric family: its name, whether it has HELP, its type and each metric's label names.
struct LintFamily {
    var name: String
    var hasHelp = false
    var hasType = false
    var type: MetricType = .unknown
    /// Label names of each metric (one per sample, or per label set for summaries and histograms).
    var metrics: [[String]] = []
    /// Summary and histogram metrics by their label set, as index into `metrics`.
    var metricIndex: [String: Int] = [:]

    init(name: String) { self.name = name }

    mutating func add(_ labelNames: [String], signature labels: [(name: String, value: String)]) {
        guard type == .summary || type == .histogram else {
            metrics.append(labelNames)
            return
        }
        let key = labels.sorted { $0.name < $1.name }.map { "\($0.name)\u{FF}\($0.value)" }.joined(separator: "\u{FE}")
        if metricIndex[key] == nil {
            metricIndex[key] = metrics.count
            metrics.append(labelNames)
        }
    }
}
