// ProtobufParser+Histogram: the native part of a protobuf `Histogram` as a MetricModel
// Histogram (integer counts, delta-encoded buckets) or FloatHistogram (absolute float counts),
// checked and compacted as Prometheus's ProtobufParser.Histogram() does.

internal import MetricModel

extension ProtobufParser {
    /// Sets `histogram` or `floatHistogram` from the current metric's native part.
    ///
    /// Float when `sample_count_float` or `zero_count_float` is positive (then `positive_count`
    /// / `negative_count` are the buckets), else integer (`positive_delta` / `negative_delta`).
    /// Gauge histograms get the gauge counter-reset hint. Spans must cover exactly the buckets
    /// given (Prometheus's checkNativeHistogramConsistency); with `validateHistograms`, the
    /// histogram must also pass `validate()`. Then empty buckets are compacted away
    /// (`Compact(0)`).
    mutating func buildNativeHistogram() throws(ExpositionError) {
        let h = metric.histogram
        let hint: CounterResetHint = familyType == .gaugeHistogram ? .gauge : .unknown
        do throws(HistogramError) {
            if h.isFloat {
                try checkSpans("positive", h.positiveSpans, h.positiveCounts.count)
                try checkSpans("negative", h.negativeSpans, h.negativeCounts.count)
                var fh = FloatHistogram(
                    counterResetHint: hint, schema: h.schema, zeroThreshold: h.zeroThreshold,
                    zeroCount: h.zeroCountFloat, count: h.sampleCountFloat, sum: h.sampleSum,
                    positiveSpans: h.positiveSpans, positiveBuckets: h.positiveCounts,
                    negativeSpans: h.negativeSpans, negativeBuckets: h.negativeCounts)
                if options.validateHistograms { try fh.validate() }
                fh.compact(maxEmptyBuckets: 0)
                floatHistogram = fh
            } else {
                try checkSpans("positive", h.positiveSpans, h.positiveDeltas.count)
                try checkSpans("negative", h.negativeSpans, h.negativeDeltas.count)
                var ih = Histogram(
                    counterResetHint: hint, schema: h.schema, zeroThreshold: h.zeroThreshold,
                    zeroCount: h.zeroCount, count: h.sampleCount, sum: h.sampleSum,
                    positiveSpans: h.positiveSpans, positiveBuckets: h.positiveDeltas,
                    negativeSpans: h.negativeSpans, negativeBuckets: h.negativeDeltas)
                if options.validateHistograms { try ih.validate() }
                ih.compact(maxEmptyBuckets: 0)
                histogram = ih
            }
        } catch {
            throw ExpositionError(
                .invalidHistogram, "histogram \"\(familyName)\": \(error.description)",
                byteOffset: family.metrics[nextMetric - 1].lowerBound)
        }
    }

    /// Prometheus's checkProtoSpanBucketConsistency: the spans' lengths add up to the buckets.
    private func checkSpans(_ side: String, _ spans: [BucketSpan], _ buckets: Int) throws(HistogramError) {
        var total = 0
        for span in spans { total += Int(span.length) }
        if total != buckets {
            throw HistogramError(
                .spansBucketsMismatch, context: "\(side) side: spans require \(total) buckets, have \(buckets)")
        }
    }

    /// Sets `histogram` or `floatHistogram` from the current metric's classic buckets, converted
    /// to custom buckets (schema -53) as Prometheus's convertToNHCB does: `_count` from
    /// `sample_count(_float)`, each bucket's cumulative count, the `+Inf` bucket added; integer
    /// unless a count is fractional. Gauge histograms get the gauge hint.
    mutating func buildCustomBucketsHistogram() throws(ExpositionError) {
        let h = metric.histogram
        var conversion = ClassicHistogramConversion()
        let converted: ClassicHistogramConversion.Converted
        do throws(ClassicHistogramConversionError) {
            try conversion.setCount(h.count)
            conversion.setSum(h.sampleSum)
            for bucket in h.buckets { try conversion.setBucketCount(le: bucket.upperBound, bucket.count) }
            converted = try conversion.convert()
        } catch {
            throw ExpositionError(
                .invalidHistogram, "histogram \"\(familyName)\": \(error.description)",
                byteOffset: family.metrics[nextMetric - 1].lowerBound)
        }
        switch converted {
        case .integer(var ih):
            if familyType == .gaugeHistogram { ih.counterResetHint = .gauge }
            histogram = ih
        case .float(var fh):
            if familyType == .gaugeHistogram { fh.counterResetHint = .gauge }
            floatHistogram = fh
        }
    }
}
