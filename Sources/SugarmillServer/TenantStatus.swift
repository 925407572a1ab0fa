// TenantStatus: `/api/v1/status/tenant` — the calling tenant's usage against its limits.

internal import HTTPAPI
internal import MetricModel
internal import TSDB
internal import Tenancy

extension TenantUsage {
    /// `{"tenant":…,"limits":{…},"usage":{…}}` with Mimir's limit names (durations in seconds).
    /// Tenant ids need no JSON escaping (`TenancyConfig.validate`).
    func statusJSON(limits: TenantLimits) -> [UInt8] {
        let limitsJSON = limits.named.map { "\"\($0.name)\":\(jsonNumber($0.value))" }.joined(separator: ",")
        let discarded = discardedSamples.map { "\"\($0.reason)\":\($0.count)" }.joined(separator: ",")
        let usage = [
            "\"active_series\":\(db.head.numSeries)", "\"samples_ingested_total\":\(samplesIngested)",
            "\"samples_discarded_total\":{\(discarded)}",
            "\"requests_rejected_total\":\(remoteWrite.requestsRejected.current + remoteWrite.otlp.requestsRejected.current)",
            "\"query_samples_processed_total\":\(querySamplesProcessed.current)",
        ].joined(separator: ",")
        return Array("{\"tenant\":\"\(id)\",\"limits\":{\(limitsJSON)},\"usage\":{\(usage)}}".utf8)
    }

    /// Whole numbers without a fraction, as JSON readers expect counts.
    private func jsonNumber(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}
