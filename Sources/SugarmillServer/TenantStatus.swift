// TenantStatus: `/api/v1/status/tenant` — the calling tenant's usage against its limits.

internal import HTTPAPI
internal import MetricModel
internal import TSDB
internal import Tenancy

extension TenantConfig {
    /// `{"tenant":…,"limits":{…},"usage":{…}}` with Mimir's limit names; usage from its database
    /// and its remote-write counters. Tenant ids need no JSON escaping (`TenancyConfig.validate`).
    func statusJSON(db: DB, remoteWrite: RemoteWriteMetrics) -> [UInt8] {
        let l = limits
        let limitsJSON = [
            "\"ingestion_rate\":\(l.ingestionRate)", "\"ingestion_burst_size\":\(l.ingestionBurstSize)",
            "\"max_global_series_per_user\":\(l.maxGlobalSeriesPerUser)",
            "\"max_global_series_per_metric\":\(l.maxGlobalSeriesPerMetric)",
            "\"max_label_names_per_series\":\(l.maxLabelNamesPerSeries)", "\"max_label_name_length\":\(l.maxLabelNameLength)",
            "\"max_label_value_length\":\(l.maxLabelValueLength)",
            "\"max_fetched_series_per_query\":\(l.maxFetchedSeriesPerQuery)",
            "\"max_samples_per_query\":\(l.maxSamplesPerQuery)", "\"query_timeout_seconds\":\(Double(l.queryTimeoutMs) / 1000)",
            "\"retention_period_seconds\":\(Double(l.retentionPeriodMs) / 1000)",
        ].joined(separator: ",")
        let usage = [
            "\"active_series\":\(db.head.numSeries)", "\"samples_ingested_total\":\(remoteWrite.samplesIngested.current)",
            "\"samples_rejected_total\":\(remoteWrite.samplesRejected.current)",
            "\"requests_rejected_total\":\(remoteWrite.requestsRejected.current)",
        ].joined(separator: ",")
        return Array("{\"tenant\":\"\(id)\",\"limits\":{\(limitsJSON)},\"usage\":{\(usage)}}".utf8)
    }
}
