// label_replace, label_join and the merge of series that end up with the same labels
// (`promql/functions.go`: evalLabelReplace, evalLabelJoin; engine.go:
// mergeSeriesWithSameLabelset).

import MetricModel

extension Evaluator {
    func labelReplace(_ args: [Expr]) throws(QueryError) -> [EvalSeries] {
        let dst = stringArg(args[1])
        let replacement = stringArg(args[2])
        let src = stringArg(args[3])
        let pattern = stringArg(args[4])
        // As Prometheus: the pattern is pasted into `^(?s:…)$` and compiled as Go's regexp.
        guard let regex = try? RE2Regex("^(?s:" + pattern + ")$") else {
            throw QueryError(.execution, "invalid regular expression in label_replace(): \(pattern)")
        }
        if !isValidLabelName(dst) {
            throw QueryError(.execution, "invalid destination label name in label_replace(): \(dst)")
        }
        var input = try evalSeries(args[0])
        for i in input.indices {
            let value = input[i].labels.value(src)
            guard let match = regex.firstMatch(in: value) else { continue }
            let expanded = regex.expand(replacement, match: match, in: value)
            input[i].labels = input[i].labels.setting(dst, expanded)
            if dst == Labels.metricNameLabel { input[i].dropName = false }
        }
        return try mergeSeriesWithSameLabels(input)
    }

    func labelJoin(_ args: [Expr]) throws(QueryError) -> [EvalSeries] {
        let dst = stringArg(args[1])
        let separator = stringArg(args[2])
        var sources: [String] = []
        for a in args.dropFirst(3) {
            let src = stringArg(a)
            if !isValidLabelName(src) {
                throw QueryError(.execution, "invalid source label name in label_join(): \(src)")
            }
            sources.append(src)
        }
        if !isValidLabelName(dst) {
            throw QueryError(.execution, "invalid destination label name in label_join(): \(dst)")
        }
        var input = try evalSeries(args[0])
        for i in input.indices {
            let joined = sources.map { input[i].labels.value($0) }.joined(separator: separator)
            input[i].labels = input[i].labels.setting(dst, joined)
            if dst == Labels.metricNameLabel { input[i].dropName = false }
        }
        return try mergeSeriesWithSameLabels(input)
    }

    private func stringArg(_ e: Expr) -> String {
        if case .stringLiteral(let s) = unwrapParens(e) { return s.value }
        return ""
    }
}

/// Merges series that have the same labels (after label functions or name removal); two
/// points at the same time are an error.
func mergeSeriesWithSameLabels(_ series: [EvalSeries]) throws(QueryError) -> [EvalSeries] {
    if series.count <= 1 { return series }
    var index: [Labels: Int] = [:]
    var merged: [EvalSeries] = []
    var needsSort: Set<Int> = []
    for s in series {
        if let i = index[s.labels] {
            merged[i].points.append(contentsOf: s.points)
            merged[i].histograms.append(contentsOf: s.histograms)
            needsSort.insert(i)
        } else {
            index[s.labels] = merged.count
            merged.append(s)
        }
    }
    for i in needsSort {
        merged[i].points.sort { $0.timestamp < $1.timestamp }
        merged[i].histograms.sort { $0.timestamp < $1.timestamp }
        var times = merged[i].points.map(\.timestamp)
        if !merged[i].histograms.isEmpty {
            times.append(contentsOf: merged[i].histograms.map(\.timestamp))
            times.sort()
        }
        for k in times.indices.dropFirst() where times[k] == times[k - 1] {
            throw QueryError(.execution, "vector cannot contain metrics with the same labelset")
        }
    }
    return merged
}
