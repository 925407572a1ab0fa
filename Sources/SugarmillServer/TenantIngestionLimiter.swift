// TenantIngestionLimiter: a tenant's limits applied to what it pushes, with Mimir's error texts
// (the limit named, and the per-tenant setting to raise).

internal import HTTPAPI
internal import MetricModel
internal import Tenancy

/// Mimir's `ingestion_rate`/`ingestion_burst_size` (429) and label limits (400) for one tenant.
struct TenantIngestionLimiter: IngestionLimiter {
    let limits: TenantLimits
    let bucket: TokenBucket

    init(_ limits: TenantLimits) {
        self.limits = limits
        bucket = TokenBucket(rate: limits.ingestionRate, burst: limits.ingestionBurstSize)
    }

    func admit(samples: Int) -> String? {
        if limits.ingestionRate <= 0 || bucket.take(samples) { return nil }
        return "the request has been rejected because the tenant exceeded the ingestion rate limit, set to "
            + "\(goFormatG(limits.ingestionRate)) items/s with a maximum allowed burst of \(limits.ingestionBurstSize), "
            + "while adding \(samples) samples (err-mimir-tenant-max-ingestion-rate; limits ingestion_rate, ingestion_burst_size)"
    }

    func check(encodedLabels: UnsafeRawBufferPointer) -> String? {
        let shape = Labels.shape(encoded: encodedLabels)
        if (limits.maxLabelNamesPerSeries == 0 || shape.count <= limits.maxLabelNamesPerSeries)
            && (limits.maxLabelNameLength == 0 || shape.longestName <= limits.maxLabelNameLength)
            && (limits.maxLabelValueLength == 0 || shape.longestValue <= limits.maxLabelValueLength)
        {
            return nil
        }
        return problem(Labels(encoded: Array(encodedLabels)))
    }

    /// Which limit `labels` break, in Mimir's words.
    private func problem(_ labels: Labels) -> String? {
        let pairs = labels.pairs
        if limits.maxLabelNamesPerSeries > 0 && pairs.count > limits.maxLabelNamesPerSeries {
            return "received a series whose number of labels exceeds the limit (actual: \(pairs.count), limit: "
                + "\(limits.maxLabelNamesPerSeries)) series: '\(labels)' (err-mimir-max-label-names-per-series)"
        }
        for (name, value) in pairs {
            if limits.maxLabelNameLength > 0 && name.utf8.count > limits.maxLabelNameLength {
                return "received a series whose label name length exceeds the limit, label: '\(name)' series: '\(labels)' "
                    + "(err-mimir-label-name-too-long; limit max_label_name_length: \(limits.maxLabelNameLength))"
            }
            if limits.maxLabelValueLength > 0 && value.utf8.count > limits.maxLabelValueLength {
                return "received a series whose label value length exceeds the limit, value: '\(value.prefix(200))' (truncated) "
                    + "series: '\(labels)' (err-mimir-label-value-too-long; limit max_label_value_length: \(limits.maxLabelValueLength))"
            }
        }
        return nil
    }
}
