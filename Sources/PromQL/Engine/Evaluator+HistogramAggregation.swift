// sum, avg, count, group, min, max, stddev, stdvar and quantile over inputs that hold native
// histograms, step by step as Prometheus's `aggregation` does: sum and avg add histograms
// (a group mixing floats and histograms yields nothing, with a warning), count and group count
// them, and the others ignore them with an info annotation.

import MetricModel

private struct MixedGroup {
    var seen = false
    var floatValue = 0.0
    var floatMean = 0.0
    var floatKahanC = 0.0
    var count = 0.0
    var floatIncrementalMean = false
    var histograms: HistogramAccumulator?
    var hasFloat = false
    var hasHistogram = false
    var incompatibleHistograms = false
    var dropName = false
    var values: [Double] = []
}

extension Evaluator {
    /// The aggregation of `input` (some series hold histograms) into `groupLabels`.
    func aggregateWithHistograms(
        _ a: AggregateExpr, _ input: [EvalSeries], _ seriesGroup: [Int], _ groupLabels: [Labels], _ param: AggregationParameter?
    ) throws(QueryError) -> [EvalSeries] {
        let op = a.op
        let position = a.expr.positionRange
        var output = groupLabels.map { EvalSeries(labels: $0) }
        var groups = [MixedGroup](repeating: MixedGroup(), count: groupLabels.count)
        var floats = StepCursor(count: input.count)
        var histogramCursor = HistogramStepCursor(count: input.count)
        func ignored() {
            context.annotations.info(HistogramAnnotations.ignoredInAggregation(op.rawValue), at: position)
        }
        func failed(_ error: HistogramError, _ si: Int) {
            if error.kind == .incompatibleSchema {
                context.annotations.warn(
                    HistogramAnnotations.mixedExponentialCustom(metricName: input[si].labels.metricName ?? ""), at: position)
            }
        }
        for step in 0..<numSteps {
            let t = stepTime(step)
            for g in groups.indices { groups[g] = MixedGroup() }
            for si in input.indices {
                let f = floats.value(input, si, at: t)
                let h = histogramCursor.index(input, si, at: t).map { input[si].histograms[$0].histogram }
                guard f != nil || h != nil else { continue }
                let gi = seriesGroup[si]
                let value = f ?? 0
                if !groups[gi].seen {
                    var g = MixedGroup(seen: true, floatValue: value, floatMean: value, count: 1, dropName: input[si].dropName)
                    switch op {
                    case .sum, .avg:
                        if let h {
                            g.histograms = HistogramAccumulator(h)
                            g.hasHistogram = true
                        } else {
                            g.hasFloat = true
                        }
                    case .stddev, .stdvar:
                        if h != nil {
                            g.seen = false
                            ignored()
                        } else {
                            g.floatValue = value.isNaN || value.isInfinite ? .nan : 0
                        }
                    case .quantile:
                        if h != nil {
                            g.seen = false
                            ignored()
                        }
                        g.values = [value]
                    case .group:
                        g.floatValue = 1
                    case .min, .max:
                        if h != nil {
                            g.seen = false
                            ignored()
                        }
                    default:
                        break
                    }
                    groups[gi] = g
                    continue
                }
                if groups[gi].incompatibleHistograms { continue }
                if input[si].dropName { groups[gi].dropName = true }
                switch op {
                case .sum, .avg:
                    if op == .avg { groups[gi].count += 1 }
                    if let h {
                        groups[gi].hasHistogram = true
                        guard groups[gi].histograms != nil else { break }
                        do {
                            if op == .sum { try groups[gi].histograms!.add(h) } else { try groups[gi].histograms!.addToMean(h) }
                        } catch {
                            failed(error, si)
                            groups[gi].incompatibleHistograms = true
                        }
                    } else {
                        groups[gi].hasFloat = true
                        if op == .sum {
                            (groups[gi].floatValue, groups[gi].floatKahanC) = kahanInc(value, groups[gi].floatValue, groups[gi].floatKahanC)
                        } else {
                            var g = groups[gi]
                            kahanMeanInc(
                                value, count: g.count, sum: &g.floatValue, mean: &g.floatMean, compensation: &g.floatKahanC,
                                incremental: &g.floatIncrementalMean)
                            groups[gi] = g
                        }
                    }
                case .group:
                    break
                case .max, .min:
                    if h != nil {
                        ignored()
                        continue
                    }
                    let better = op == .max ? groups[gi].floatValue < value : groups[gi].floatValue > value
                    if better || groups[gi].floatValue.isNaN { groups[gi].floatValue = value }
                case .count:
                    groups[gi].count += 1
                case .stddev, .stdvar:
                    if h != nil {
                        ignored()
                        continue
                    }
                    groups[gi].count += 1
                    let delta = value - groups[gi].floatMean
                    groups[gi].floatMean += delta / groups[gi].count
                    groups[gi].floatValue += delta * (value - groups[gi].floatMean)
                case .quantile:
                    if h != nil {
                        ignored()
                        continue
                    }
                    groups[gi].values.append(value)
                default:
                    break
                }
            }
            for gi in groups.indices where groups[gi].seen {
                var g = groups[gi]
                var histogram: FloatHistogram? = nil
                var value = g.floatValue
                switch op {
                case .sum, .avg:
                    if g.hasFloat && g.hasHistogram {
                        context.annotations.warn(HistogramAnnotations.mixedFloatsHistogramsAggregation, at: position)
                        continue
                    }
                    if g.incompatibleHistograms { continue }
                    if let accumulator = g.histograms {
                        if accumulator.customBoundsReconciled {
                            context.annotations.info(HistogramAnnotations.mismatchedCustomBuckets(.aggregation), at: position)
                        }
                        var h = op == .sum ? accumulator.total() : accumulator.average()
                        h.compact(maxEmptyBuckets: 0)
                        histogram = h
                        if accumulator.counterResetCollision {
                            context.annotations.warn(HistogramAnnotations.counterResetCollision(.aggregation), at: position)
                        }
                    } else if op == .avg {
                        value = g.floatIncrementalMean ? g.floatMean + g.floatKahanC : g.floatValue / g.count + g.floatKahanC / g.count
                    } else {
                        value = g.floatValue.isInfinite ? g.floatValue : g.floatValue + g.floatKahanC
                    }
                case .count: value = g.count
                case .stdvar: value = g.floatValue / g.count
                case .stddev: value = (g.floatValue / g.count).squareRoot()
                case .quantile: value = quantileOf(param?.values[step] ?? .nan, &g.values)
                default: break
                }
                if let histogram {
                    output[gi].histograms.append(HistogramSample(t, histogram))
                } else {
                    output[gi].points.append(Sample(t, value))
                }
                output[gi].dropName = g.dropName
            }
        }
        let result = output.filter { !$0.isEmpty }
        try context.addSamples(result.reduce(0) { $0 + $1.points.count + $1.histograms.count })
        return result
    }
}
