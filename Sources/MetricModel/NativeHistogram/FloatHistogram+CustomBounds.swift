// Custom-bucket (NHCB) histograms whose bounds differ: adding them on the bounds both share, and
// detecting counter resets across them (Prometheus's intersectCustomBucketBounds,
// addCustomBucketsWithMismatches and detectResetWithMismatchedCustomBounds).

extension HistogramSchema {
    /// The bounds in both `a` and `b` (compared with `==`), in order; empty when either is.
    package static func intersectCustomBounds(_ a: [Double], _ b: [Double]) -> [Double] {
        var result: [Double] = []
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                result.append(a[i])
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return result
    }
}

extension FloatHistogram {
    /// Adds (or subtracts) `other`'s buckets with both histograms mapped onto the bounds they
    /// share: each bucket goes into the first shared bucket whose upper bound is ≥ its own.
    /// Every sum is a Kahan step, as in Prometheus; the terms go to `compensation` when given
    /// (and are dropped otherwise). Buckets that end up 0, with 0 compensation, are left out.
    mutating func addWithMismatchedBounds(
        _ other: FloatHistogram, negative: Bool, compensation: inout FloatHistogram?
    ) {
        let bounds = HistogramSchema.intersectCustomBounds(customValues, other.customValues)
        var targets = [Double](repeating: 0, count: bounds.count + 1)
        var targetTerms = [Double](repeating: 0, count: bounds.count + 1)

        func map(_ spans: [BucketSpan], _ buckets: [Double], _ ownBounds: [Double], subtract: Bool, terms: [Double]?) {
            var sourceIndex = 0
            var position = 0
            var intersectIndex = 0
            for span in spans {
                sourceIndex += Int(span.offset)
                for _ in 0..<span.length {
                    defer {
                        sourceIndex += 1
                        position += 1
                    }
                    guard position < buckets.count else { continue }
                    var target = targets.count - 1  // The +Inf bucket unless a shared bound fits.
                    if sourceIndex < ownBounds.count {
                        let bound = ownBounds[sourceIndex]
                        while intersectIndex < bounds.count {
                            if bounds[intersectIndex] >= bound {
                                target = intersectIndex
                                break
                            }
                            intersectIndex += 1
                        }
                    }
                    if subtract {
                        (targets[target], targetTerms[target]) = KahanSum.dec(
                            buckets[position], targets[target], targetTerms[target])
                    } else {
                        (targets[target], targetTerms[target]) = KahanSum.inc(
                            buckets[position], targets[target], targetTerms[target])
                        if let terms {
                            (targets[target], targetTerms[target]) = KahanSum.inc(
                                terms[position], targets[target], targetTerms[target])
                        }
                    }
                }
            }
        }

        map(positiveSpans, positiveBuckets, customValues, subtract: false, terms: compensation?.positiveBuckets)
        map(other.positiveSpans, other.positiveBuckets, other.customValues, subtract: negative, terms: nil)

        var spans: [BucketSpan] = []
        var buckets: [Double] = []
        var terms: [Double] = []
        var lastIndex = -1
        for i in targets.indices where targets[i] != 0 || targetTerms[i] != 0 {
            buckets.append(targets[i])
            terms.append(targetTerms[i])
            if !spans.isEmpty && i == lastIndex + 1 {
                spans[spans.count - 1].length += 1
            } else {
                let offset = spans.isEmpty ? i : i - lastIndex - 1
                spans.append(BucketSpan(offset: Int32(truncatingIfNeeded: offset), length: 1))
            }
            lastIndex = i
        }
        positiveSpans = spans
        positiveBuckets = buckets
        customValues = bounds
        if compensation != nil {
            compensation!.positiveBuckets = terms
            compensation!.customValues = bounds
        }
    }

    /// Whether any count fell, comparing this histogram and `previous` (both custom buckets
    /// with different bounds) on the bounds they share: the counts up to each shared bound,
    /// not yet compared, are summed on both sides and compared.
    func detectResetWithMismatchedCustomBounds(_ previous: FloatHistogram) -> Bool {
        var current = RollUp(positiveBucketIterator())
        var earlier = RollUp(previous.positiveBucketIterator())
        var currentPosition = 0
        var previousPosition = 0
        while currentPosition <= customValues.count && previousPosition <= previous.customValues.count {
            let currentBound = currentPosition < customValues.count ? customValues[currentPosition] : .infinity
            let previousBound =
                previousPosition < previous.customValues.count ? previous.customValues[previousPosition] : .infinity
            if currentBound == previousBound {
                if current.sum(upTo: currentBound) < earlier.sum(upTo: currentBound) { return true }
                currentPosition += 1
                previousPosition += 1
            } else if currentBound < previousBound {
                currentPosition += 1
            } else {
                previousPosition += 1
            }
        }
        return false
    }
}

/// Sums a forward bucket iterator's counts up to successive bounds (Prometheus's
/// `rollupSumForBound` with its started / has-more state).
private struct RollUp {
    var iterator: FloatHistogram.BucketIterator
    var bucket: HistogramBucket<Double>?
    var started = false
    var hasMore = false

    init(_ iterator: FloatHistogram.BucketIterator) { self.iterator = iterator }

    /// The counts of the buckets not summed before whose upper bound is ≤ `bound`; 0 once the
    /// iterator is exhausted.
    mutating func sum(upTo bound: Double) -> Double {
        guard !started || hasMore else { return 0 }
        if !started {
            started = true
            bucket = iterator.next()
        }
        var sum = 0.0
        guard var current = bucket else {
            hasMore = false
            return 0
        }
        while current.upper <= bound {
            sum += current.count
            guard let next = iterator.next() else {
                hasMore = false
                bucket = nil
                return sum
            }
            current = next
        }
        bucket = current
        hasMore = true
        return sum
    }
}
