// histogram_quantile over classic `le` buckets (`promql/quantile.go`: BucketQuantile,
// coalesceBuckets, ensureMonotonicAndIgnoreSmallDeltas). Native histograms come later.

import MetricModel

struct Bucket {
    var upperBound: Double
    var count: Double
}

/// Relative tolerance under which bucket count differences are float noise.
private let smallDeltaTolerance = 1e-12

/// `almost.Equal`.
func almostEqual(_ a: Double, _ b: Double, _ epsilon: Double) -> Bool {
    if a.isNaN && b.isNaN { return true }
    if a == b { return true }
    let minNormal = 2.2250738585072014e-308
    let absSum = a.magnitude + b.magnitude
    let diff = (a - b).magnitude
    if a == 0 || b == 0 || absSum < minNormal { return diff < epsilon * minNormal }
    return diff / Swift.min(absSum, .greatestFiniteMagnitude) < epsilon
}

/// The result of `bucketQuantile` and whether monotonicity had to be forced.
struct BucketQuantileResult {
    var value: Double
    var forcedMonotonic = false
    var minBucket = Double.infinity
    var maxBucket = -Double.infinity
    var maxDiff = 0.0
}

/// The φ-quantile of classic buckets, interpolated linearly within a bucket.
func bucketQuantile(_ q: Double, _ bucketsIn: [Bucket]) -> BucketQuantileResult {
    if q.isNaN { return BucketQuantileResult(value: .nan) }
    if q < 0 { return BucketQuantileResult(value: -.infinity) }
    if q > 1 { return BucketQuantileResult(value: .infinity) }
    var buckets = bucketsIn.sorted { $0.upperBound < $1.upperBound }
    guard let last = buckets.last, last.upperBound == .infinity else { return BucketQuantileResult(value: .nan) }

    // Coalesce buckets with the same upper bound.
    var coalesced: [Bucket] = []
    for b in buckets {
        if let l = coalesced.last, l.upperBound == b.upperBound {
            coalesced[coalesced.count - 1].count += b.count
        } else {
            coalesced.append(b)
        }
    }
    buckets = coalesced

    var result = BucketQuantileResult(value: .nan)
    var prev = buckets[0].count
    for i in 1..<buckets.count {
        let curr = buckets[i].count
        if curr == prev { continue }
        if almostEqual(prev, curr, smallDeltaTolerance) {
            buckets[i].count = prev
            continue
        }
        if curr < prev {
            buckets[i].count = prev
            result.forcedMonotonic = true
            result.minBucket = Swift.min(result.minBucket, buckets[i].upperBound)
            result.maxBucket = Swift.max(result.maxBucket, buckets[i].upperBound)
            result.maxDiff = Swift.max(result.maxDiff, prev - curr)
            continue
        }
        prev = curr
    }

    if buckets.count < 2 { return result }
    let observations = buckets[buckets.count - 1].count
    if observations == 0 { return result }
    var rank = q * observations
    // First bucket (among all but the last) whose count reaches the rank.
    var b = buckets.count - 1
    var lo = 0
    var hi = buckets.count - 1
    while lo < hi {
        let mid = (lo + hi) / 2
        if buckets[mid].count >= rank { hi = mid } else { lo = mid + 1 }
    }
    b = lo
    if b == buckets.count - 1 {
        result.value = buckets[buckets.count - 2].upperBound
    } else if b == 0 && buckets[0].upperBound <= 0 {
        result.value = buckets[0].upperBound
    } else {
        var bucketStart = 0.0
        let bucketEnd = buckets[b].upperBound
        var count = buckets[b].count
        if b > 0 {
            bucketStart = buckets[b - 1].upperBound
            count -= buckets[b - 1].count
            rank -= buckets[b - 1].count
        }
        result.value = bucketStart + (bucketEnd - bucketStart) * (rank / count)
    }
    return result
}

extension Evaluator {
    func histogramQuantile(_ c: Call, _ args: [Expr]) throws(QueryError) -> [EvalSeries] {
        let qs = try scalarValues(args[0])
        let input = try evalSeries(args[1])
        let qPosition = c.args[0].positionRange
        let bucketsPosition = c.args[1].positionRange

        // Group the bucket series once: labels without `le`.
        var groupIndex: [Labels: Int] = [:]
        var groupLabels: [Labels] = []
        var seriesGroup = [Int](repeating: -1, count: input.count)
        var seriesBound = [Double](repeating: .nan, count: input.count)
        for (i, s) in input.enumerated() {
            let le = s.labels.value("le")
            guard case .success(let bound) = goParseFloat(le) else { continue }
            seriesBound[i] = bound
            let key = s.labels.removing(["le"])
            if let g = groupIndex[key] {
                seriesGroup[i] = g
            } else {
                seriesGroup[i] = groupLabels.count
                groupIndex[key] = groupLabels.count
                groupLabels.append(key)
            }
        }

        var output = groupLabels.map { EvalSeries(labels: $0, dropName: true) }
        var buckets = [[Bucket]](repeating: [], count: groupLabels.count)
        var cursor = StepCursor(count: input.count)
        for step in 0..<numSteps {
            let t = stepTime(step)
            let q = qs[step]
            var any = false
            for g in buckets.indices { buckets[g].removeAll(keepingCapacity: true) }
            for si in input.indices {
                guard let v = cursor.value(input, si, at: t) else { continue }
                any = true
                let g = seriesGroup[si]
                if g < 0 {
                    let labels = input[si].labels
                    var text = "bucket label \"le\" is missing or has a malformed value of \(goQuote(labels.value("le")))"
                    if let name = labels.metricName { text += " for metric name \(goQuote(name))" }
                    context.annotations.warn(text, at: bucketsPosition)
                    continue
                }
                buckets[g].append(Bucket(upperBound: seriesBound[si], count: v))
            }
            if q.isNaN || q < 0 || q > 1 { context.annotations.warn(invalidQuantile(q), at: qPosition) }
            if !any { continue }
            for g in buckets.indices where !buckets[g].isEmpty {
                let r = bucketQuantile(q, buckets[g])
                if r.forcedMonotonic {
                    var text = "PromQL info: input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)"
                    if let name = groupLabels[g].metricName { text += " for metric name \(goQuote(name))" }
                    context.annotations.add(
                        AnnotationSet.Entry(
                            kind: .info, text: text, position: bucketsPosition,
                            monotonicity: .init(
                                minTime: t, maxTime: t, minBucket: r.minBucket, maxBucket: r.maxBucket, maxDiff: r.maxDiff,
                                count: 0)))
                }
                output[g].points.append(Sample(t, r.value))
            }
        }
        return output.filter { !$0.points.isEmpty }
    }
}
