// How the test harness prints a histogram in its failure messages (Prometheus's
// `FloatHistogram.TestExpression`): the `{{…}}` notation, one span per side.

import MetricModel

extension FloatHistogram {
    /// The histogram in the DSL's `{{…}}` notation, fields that are zero left out.
    package var testExpression: String {
        var m = self
        m.compact(maxEmptyBuckets: Int.max)
        var parts: [String] = []
        if m.schema != 0 { parts.append("schema:\(m.schema)") }
        if m.count != 0 { parts.append("count:\(goFormatG(m.count))") }
        if m.sum != 0 { parts.append("sum:\(goFormatG(m.sum))") }
        if m.zeroCount != 0 { parts.append("z_bucket:\(goFormatG(m.zeroCount))") }
        if m.zeroThreshold != 0 { parts.append("z_bucket_w:\(goFormatG(m.zeroThreshold))") }
        if m.usesCustomBuckets { parts.append("custom_values:[\(m.customValues.map(goFormatG).joined(separator: " "))]") }
        switch m.counterResetHint {
        case .unknown: break
        case .counterReset: parts.append("counter_reset_hint:reset")
        case .notCounterReset: parts.append("counter_reset_hint:not_reset")
        case .gauge: parts.append("counter_reset_hint:gauge")
        }
        func side(_ bucketsKey: String, _ offsetKey: String, _ buckets: [Double], _ spans: [BucketSpan]) {
            for span in spans where span.offset != 0 { parts.append("\(offsetKey):\(span.offset)") }
            if !buckets.isEmpty { parts.append("\(bucketsKey):[\(buckets.map(goFormatG).joined(separator: " "))]") }
        }
        side("buckets", "offset", m.positiveBuckets, m.positiveSpans)
        side("n_buckets", "n_offset", m.negativeBuckets, m.negativeSpans)
        return "{{" + parts.joined(separator: " ") + "}}"
    }
}
