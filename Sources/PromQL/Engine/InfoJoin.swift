// The step-by-step join behind info() (`combineWithInfoSeries` and `combineWithInfoVector` in
// `promql/info.go`): at each step the newest info series of every (info metric, identifying
// labels) group is picked, and each series of info()'s first argument takes the data labels
// of the groups it matches. A series' enriched label set is rebuilt only when the info
// series it joins with change, not at every step.

import MetricModel

/// Joins the series of info()'s first argument with info series, step by step.
struct InfoJoin {
    /// One lookup cursor per info series; the steps move them forward only.
    private var cursors: [LookbackCursor]
    private let infoLabels: [Labels]
    /// Info series with the same metric name and identifying labels; only the newest joins.
    private let groups: [[Int]]
    /// For each base series, the groups it can join with: at most one per info metric name.
    private let baseGroups: [[Int]]
    private let base: [EvalSeries]
    /// Base series that are info series themselves: passed through as they are.
    private let ignored: [Bool]

    init(_ info: [DecodedSeries], base: [EvalSeries], ignored: [Bool]) {
        let identifying = Evaluator.infoIdentifyingLabels
        let signatureLabels = [Labels.metricNameLabel] + identifying
        var groupIndex: [Labels: Int] = [:]
        var groups: [[Int]] = []
        var infoNames: [String] = []
        for (i, s) in info.enumerated() {
            let signature = s.labels.keeping(signatureLabels)
            if let g = groupIndex[signature] {
                groups[g].append(i)
            } else {
                groupIndex[signature] = groups.count
                groups.append([i])
                let name = s.labels.value(Labels.metricNameLabel)
                if !infoNames.contains(name) { infoNames.append(name) }
            }
        }
        var baseGroups: [[Int]] = []
        baseGroups.reserveCapacity(base.count)
        for (b, s) in base.enumerated() {
            var matching: [Int] = []
            if !ignored[b] {
                let identity = s.labels.keeping(identifying)
                for name in infoNames {
                    var signature = LabelsBuilder(identity)
                    signature.set(Labels.metricNameLabel, name)
                    if let g = groupIndex[signature.labels()] { matching.append(g) }
                }
            }
            baseGroups.append(matching)
        }
        self.cursors = info.map { LookbackCursor($0.samples) }
        self.infoLabels = info.map(\.labels)
        self.groups = groups
        self.baseGroups = baseGroups
        self.base = base
        self.ignored = ignored
    }

    /// The enriched series at every step of `ev`, with the info series read at `reference`.
    mutating func run(
        _ ev: Evaluator, _ selector: InfoSelector, _ reference: (at: Timestamp?, offset: Int64)
    ) throws(QueryError) -> [EvalSeries] {
        var chosen = [Int](repeating: -1, count: groups.count)
        var chosenTime = [Timestamp](repeating: 0, count: groups.count)
        var nextPoint = [Int](repeating: 0, count: base.count)
        // Cache per base series: the info series it joined with last, and the output it went to (-1: dropped).
        var lastChoice = [[Int]?](repeating: nil, count: base.count)
        var lastOutput = [Int](repeating: -1, count: base.count)
        var choice: [Int] = []
        var outputs: [EvalSeries] = []
        var outputIndex: [Labels: Int] = [:]
        var pointCount = 0

        for step in 0..<ev.numSteps {
            let t = ev.stepTime(step)
            let ref = (reference.at ?? t) &- reference.offset
            for g in groups.indices {
                chosen[g] = -1
                for m in groups[g] {
                    guard let sample = cursors[m].sample(at: ref, lookback: ev.lookbackDelta) else { continue }
                    if chosen[g] < 0 || sample.timestamp > chosenTime[g] {
                        chosen[g] = m
                        chosenTime[g] = sample.timestamp
                    } else if sample.timestamp == chosenTime[g] {
                        throw QueryError(
                            .execution,
                            "found duplicate series for info metric: existing \(infoLabels[chosen[g]]) @ \(chosenTime[g]), "
                                + "new \(infoLabels[m]) @ \(sample.timestamp)")
                    }
                }
            }
            for b in base.indices {
                let points = base[b].points
                while nextPoint[b] < points.count && points[nextPoint[b]].timestamp < t { nextPoint[b] += 1 }
                guard nextPoint[b] < points.count && points[nextPoint[b]].timestamp == t else { continue }
                let value = points[nextPoint[b]].value
                nextPoint[b] += 1

                choice.removeAll(keepingCapacity: true)
                for g in baseGroups[b] where chosen[g] >= 0 { choice.append(chosen[g]) }
                if lastChoice[b] != choice {
                    // Slow path: the info series joined with changed (or this is the first step).
                    lastChoice[b] = choice
                    lastOutput[b] = -1
                    if let labels = try enrichedLabels(b, choice, selector) {
                        if let o = outputIndex[labels] {
                            lastOutput[b] = o
                        } else {
                            lastOutput[b] = outputs.count
                            outputIndex[labels] = outputs.count
                            outputs.append(EvalSeries(labels: labels, dropName: base[b].dropName))
                        }
                    }
                }
                let o = lastOutput[b]
                guard o >= 0 else { continue }
                if outputs[o].points.last?.timestamp == t {
                    throw QueryError(.execution, "vector cannot contain metrics with the same labelset")
                }
                outputs[o].points.append(Sample(t, value))
                pointCount += 1
            }
        }
        try ev.context.addSamples(pointCount)
        return outputs
    }

    /// Base series `b` with the data labels of the info series `choice`; nil when it has no
    /// match and the selector requires one. Labels the base series has win; two info series
    /// that disagree on a label are an error.
    private func enrichedLabels(_ b: Int, _ choice: [Int], _ selector: InfoSelector) throws(QueryError) -> Labels? {
        let labels = base[b].labels
        if ignored[b] { return labels }
        if choice.isEmpty { return selector.requiresMatch ? nil : labels }
        var added: [(name: String, value: String)] = []
        for m in choice {
            for (name, value) in infoLabels[m].pairs {
                if name == Labels.metricNameLabel { continue }
                if !selector.dataLabelNames.isEmpty && !selector.dataLabelNames.contains(name) { continue }
                if let existing = added.first(where: { $0.name == name }) {
                    if existing.value != value { throw QueryError(.execution, "conflicting label: \(name)") }
                    continue
                }
                if labels[name] != nil { continue }
                added.append((name, value))
            }
        }
        if added.isEmpty { return labels }
        var builder = LabelsBuilder(labels)
        for (name, value) in added { builder.set(name, value) }
        return builder.labels()
    }
}
