// SelfMetrics: renders the server's own metrics in the text format, under Prometheus's names.

internal import TSDB
internal import MetricModel
internal import HTTPAPI
internal import RemoteStorage
internal import Scrape
internal import Synchronization
internal import Glibc
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// Renders `/metrics` for one server.
struct SelfMetrics: Sendable {
    let db: DB
    let remoteWrite: RemoteWriteMetrics
    /// `prometheus_web_federation_errors_total`
    let federationErrors: Counter
    let queryLogger: QueryLogger
    let remoteWriteQueues: RemoteWriteManager?
    /// The scrape manager, for `prometheus_target_*`; nil without scraping.
    let scrape: ScrapeManager?
    let startTime: Double
    /// Exemplars received by remote write (`prometheus_tsdb_exemplar_*`).
    var exemplars: ExemplarStorage?
    /// The server-wide families (the overload gates: `Server.serverMetrics`).
    var serverMetrics: @Sendable () -> String = { "" }

    func render() -> String {
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ value: String, labels: String = "") {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name)\(labels) \(value)\n"
        }
        let m = db.metrics
        let head = db.head
        metric("prometheus_tsdb_head_series", "gauge", "Total number of series in the head block.", "\(head.numSeries)")
        metric("prometheus_tsdb_head_chunks", "gauge", "Total number of chunks in the head block.", "\(head.numChunks)")
        metric(
            "prometheus_tsdb_head_samples_appended_total", "counter", "Total number of appended samples.",
            "\(m.samplesAppended.current)", labels: "{type=\"float\"}")
        out += "prometheus_tsdb_head_samples_appended_total{type=\"histogram\"} \(m.histogramsAppended.current)\n"
        metric(
            "prometheus_tsdb_head_series_created_total", "counter", "Total number of series created in the head",
            "\(m.seriesCreated.current)")
        metric(
            "prometheus_tsdb_head_min_time", "gauge", "Minimum time bound of the head block.",
            head.minTime == .max ? "9.223372036854776e+18" : "\(head.minTime)")
        metric(
            "prometheus_tsdb_head_max_time", "gauge", "Maximum timestamp of the head block.",
            head.maxTime == .min ? "-9.223372036854776e+18" : "\(head.maxTime)")
        metric(
            "prometheus_tsdb_out_of_order_samples_total", "counter", "Total number of out of order samples ingestion failed attempts.",
            "\(m.outOfOrderSamples.current + m.duplicateSamples.current)", labels: "{type=\"float\"}")
        metric(
            "prometheus_tsdb_out_of_bound_samples_total", "counter", "Total number of out of bound samples ingestion failed attempts.",
            "\(m.outOfBoundSamples.current)", labels: "{type=\"float\"}")
        metric(
            "prometheus_tsdb_wal_corruptions_total", "counter", "Total number of WAL corruptions.", "\(m.walCorruptions.current)")
        metric(
            "prometheus_tsdb_wal_writes_failed_total", "counter", "Total number of write log writes that failed.",
            "\(m.walWritesFailed.current)")
        metric(
            "prometheus_tsdb_wal_truncations_total", "counter", "Total number of write log truncations attempted.",
            "\(m.walTruncations.current)")
        metric(
            "sugarmill_tsdb_wal_repairs_total", "counter", "Torn WAL tails truncated at the last good record at start.",
            "\(m.walRepairs.current)")
        out += Self.tsdbFamilies(db, exemplars: exemplars)
        metric(
            "prometheus_tsdb_compactions_total", "counter", "Total number of compactions that were executed for the partition.",
            "\(m.compactionsTotal.current)")
        metric(
            "prometheus_tsdb_compactions_failed_total", "counter", "Total number of compactions that failed for the partition.",
            "\(m.compactionsFailed.current)")
        metric(
            "sugarmill_tsdb_wal_replayed_samples", "gauge", "Samples restored from the WAL at the last start.",
            "\(m.walReplayedSamples.current)")
        metric(
            "sugarmill_tsdb_wal_unknown_refs_total", "counter", "WAL samples that referred to an unknown series at replay.",
            "\(m.walUnknownRefs.current)")
        metric(
            "sugarmill_remote_write_requests_total", "counter", "Remote-write requests by outcome.",
            "\(remoteWrite.requestsOK.current)", labels: "{code=\"2xx\"}")
        out += "sugarmill_remote_write_requests_total{code=\"4xx\"} \(remoteWrite.requestsRejected.current)\n"
        out += "sugarmill_remote_write_requests_total{code=\"5xx\"} \(remoteWrite.requestsFailed.current)\n"
        metric(
            "sugarmill_remote_write_samples_ingested_total", "counter", "Samples stored from remote write.",
            "\(remoteWrite.samplesIngested.current)")
        metric(
            "sugarmill_remote_write_samples_rejected_total", "counter", "Samples refused from remote write.",
            "\(remoteWrite.samplesRejected.current)")
        metric(
            "sugarmill_remote_write_decode_errors_total", "counter", "Remote-write bodies that failed to decode.",
            "\(remoteWrite.decodeErrors.current)")
        out += Self.reasons(
            "sugarmill_remote_write_rejected_requests_total", "Remote-write requests refused, by reason.",
            remoteWrite.rejectedRequests)
        out += Self.reasons(
            "sugarmill_remote_write_rejected_samples_total", "Remote-written samples refused, by reason.",
            remoteWrite.rejectedSamples)
        let otlp = remoteWrite.otlp
        metric("sugarmill_otlp_requests_total", "counter", "OTLP metrics requests by outcome.", "\(otlp.requestsOK.current)", labels: "{code=\"2xx\"}")
        out += "sugarmill_otlp_requests_total{code=\"4xx\"} \(otlp.requestsRejected.current)\n"
        out += "sugarmill_otlp_requests_total{code=\"5xx\"} \(otlp.requestsFailed.current)\n"
        metric("sugarmill_otlp_samples_ingested_total", "counter", "Samples stored from OTLP.", "\(otlp.samplesIngested.current)")
        metric("sugarmill_otlp_decode_errors_total", "counter", "OTLP bodies that failed to decode.", "\(otlp.decodeErrors.current)")
        metric(
            "prometheus_web_federation_errors_total", "counter",
            "Total number of errors that occurred while sending federation responses.", "\(federationErrors.current)")
        metric(
            "prometheus_engine_query_log_enabled", "gauge", "State of the query log.", queryLogger.isEnabled ? "1" : "0")
        metric(
            "prometheus_engine_query_log_failures_total", "counter", "The number of query log failures.",
            "\(queryLogger.failures.current)")
        if let scrape { out += scrape.metricsExposition() }
        metric(
            "sugarmill_tsdb_block_open_failures_total", "counter",
            "Block directories that could not be opened and were skipped (left on disk, tried again at the next start).",
            "\(m.blockOpenFailures.current)")
        metric(
            "sugarmill_tsdb_head_chunk_write_failures_total", "counter",
            "Completed head chunks that could not be written to chunks_head/ (kept in memory, written later).",
            "\(db.head.chunkWriteFailures)")
        out += serverMetrics()
        out += Self.remoteStorageIn(db, exemplarsIn: exemplars?.appended.current ?? 0)
        if let remoteWriteQueues { out += Self.render(remoteWriteQueues.metrics) }
        out += Self.processFamilies(startTime: startTime)
        return out
    }

    /// `process_cpu_seconds_total`, `process_resident_memory_bytes`, `process_start_time_seconds`.
    static func processFamilies(startTime: Double) -> String {
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ value: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n"
        }
        if let process = ProcessStats.read() {
            metric("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", "\(process.cpuSeconds)")
            metric("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", "\(process.residentBytes)")
        }
        metric("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", "\(startTime)")
        return out
    }
}

extension SelfMetrics {
    /// One counter family labelled by `reason` (nothing until a reason was counted).
    static func reasons(_ name: String, _ help: String, _ counters: ReasonCounters, label: String = "reason") -> String {
        let all = counters.snapshot
        guard !all.isEmpty else { return "" }
        var out = "# HELP \(name) \(help)\n# TYPE \(name) counter\n"
        for (reason, count) in all { out += "\(name){\(label)=\"\(reason)\"} \(count)\n" }
        return out
    }

    /// Prometheus's engine gauges (`promql/engine.go`) and our count of shed queries.
    static func render(_ gate: QueryGate) -> String {
        """
        # HELP prometheus_engine_queries The current number of queries being executed or waiting.
        # TYPE prometheus_engine_queries gauge
        prometheus_engine_queries \(gate.current)
        # HELP prometheus_engine_queries_concurrent_max The max number of concurrent queries.
        # TYPE prometheus_engine_queries_concurrent_max gauge
        prometheus_engine_queries_concurrent_max \(gate.maxConcurrency)
        # HELP sugarmill_engine_queries_shed_total Queries answered 503 without being evaluated, by reason: the queue was full (--query.max-queue-length) or the query waited its whole timeout.
        # TYPE sugarmill_engine_queries_shed_total counter
        sugarmill_engine_queries_shed_total{reason="queue_full"} \(gate.shedQueueFull.current)
        sugarmill_engine_queries_shed_total{reason="timeout"} \(gate.shedTimedOut.current)

        """
    }

    /// The ingest gate's bytes in flight, limit and shed requests.
    static func render(_ gate: IngestGate) -> String {
        """
        # HELP sugarmill_ingest_inflight_bytes Bytes of remote-write and OTLP requests held in memory now.
        # TYPE sugarmill_ingest_inflight_bytes gauge
        sugarmill_ingest_inflight_bytes \(gate.inflightBytes)
        # HELP sugarmill_ingest_inflight_bytes_max The limit on sugarmill_ingest_inflight_bytes (--web.ingest.max-inflight-bytes).
        # TYPE sugarmill_ingest_inflight_bytes_max gauge
        sugarmill_ingest_inflight_bytes_max \(gate.maxInflightBytes)
        # HELP sugarmill_ingest_shed_requests_total Remote-write and OTLP requests answered 503 for want of room under --web.ingest.max-inflight-bytes.
        # TYPE sugarmill_ingest_shed_requests_total counter
        sugarmill_ingest_shed_requests_total \(gate.shedRequests.current)

        """
    }

    /// `prometheus_remote_storage_*` for each remote-write queue, labelled by `remote_name` and
    /// `url` (storage/remote/queue_manager.go), in name order.
    static func render(_ queues: [SenderMetrics]) -> String {
        guard !queues.isEmpty else { return "" }
        var out = MetricsText()
        let sorted = queues.sorted { $0.remoteName < $1.remoteName }
        func labels(_ q: SenderMetrics) -> String { MetricsText.label("remote_name", q.remoteName) + "," + MetricsText.label("url", q.url) }
        func family(_ name: String, _ kind: MetricsText.Kind, _ help: String, _ value: (SenderMetrics) -> String) {
            let name = "prometheus_remote_storage_" + name
            out.family(name, kind, help)
            for q in sorted { out.sample(name, labels(q), value: value(q)) }
        }
        family(
            "bytes_total", .counter,
            "The total number of bytes of data (not metadata) sent by the queue after compression. Note that when exemplars over remote write is enabled the exemplars included in a remote write request count towards this metric."
        ) { "\($0.bytesSent.current)" }
        family(
            "max_samples_per_send", .gauge,
            "The maximum number of samples to be sent, in a single request, to the remote storage. Note that, when sending of exemplars over remote write is enabled, exemplars count towards this limt."
        ) { "\($0.maxSamplesPerSend)" }
        family("queue_highest_sent_timestamp_seconds", .gauge,
            "Timestamp from a WAL sample, the highest timestamp successfully sent by this queue, in seconds since epoch.") {
            goFormatG(Double($0.highestSentTimestamp.load(ordering: .relaxed)) / 1000)
        }
        family("samples_dropped_total", .counter,
            "Total number of samples which were dropped after being read from the WAL before being sent via remote write, either via relabelling or unintentionally because of an unknown reference ID.") {
            "\($0.samplesDropped.current)"
        }
        family("samples_failed_total", .counter,
            "Total number of samples which failed on send to remote storage, non-recoverable errors.") { "\($0.samplesFailed.current)" }
        family("samples_pending", .gauge, "The number of samples pending in the queues shards to be sent to the remote storage.") {
            "\($0.samplesPending.load(ordering: .relaxed))"
        }
        family("samples_retried_total", .counter,
            "Total number of samples which failed on send to remote storage but were retried because the send error was recoverable.") {
            "\($0.samplesRetried.current)"
        }
        family("samples_total", .counter, "Total number of samples sent to remote storage.") { "\($0.samplesSent.current)" }
        let duration = "prometheus_remote_storage_sent_batch_duration_seconds"
        out.family(duration, .histogram, "Duration of send calls to the remote storage.")
        for q in sorted { out.histogram(duration, labels(q), q.batchDuration.snapshot, bounds: SenderMetrics.batchDurationBounds) }
        family("shard_capacity", .gauge, "The capacity of each shard of the queue used for parallel sending to the remote storage.") {
            "\($0.shardCapacity)"
        }
        family("shards", .gauge, "The number of shards used for parallel sending to the remote storage.") {
            "\($0.shards.load(ordering: .relaxed))"
        }
        family("shards_max", .gauge, "The maximum number of shards that the queue is allowed to run.") { "\($0.maxShards)" }
        family("shards_min", .gauge, "The minimum number of shards that the queue is allowed to run.") { "\($0.minShards)" }
        out.family(
            "sugarmill_remote_storage_wal_segments_skipped_total", .counter,
            "WAL segments deleted before remote write read them (their samples were not sent).")
        for q in sorted { out.sample("sugarmill_remote_storage_wal_segments_skipped_total", labels(q), value: q.segmentsSkipped.current) }
        return out.text
    }

    /// The families Prometheus's remote storage shows without any queue (storage/remote/write.go),
    /// for the samples appended to `db`: every sample goes to the WAL that the queues follow.
    static func remoteStorageIn(_ db: DB, exemplarsIn: Int) -> String {
        var out = MetricsText()
        out.single(
            "prometheus_remote_storage_exemplars_in_total", .counter,
            "Exemplars in to remote storage, compare to exemplars out for queue managers.", exemplarsIn)
        let maxTime = db.head.maxTime
        out.family(
            "prometheus_remote_storage_highest_timestamp_in_seconds", .gauge,
            "Highest timestamp that has come into the remote storage via the Appender interface, in seconds since epoch.")
        out.sample("prometheus_remote_storage_highest_timestamp_in_seconds", value: maxTime == .min ? 0 : Double(maxTime / 1000))
        out.single(
            "prometheus_remote_storage_histograms_in_total", .counter,
            "HistogramSamples in to remote storage, compare to histograms out for queue managers.", db.metrics.histogramsAppended.current)
        out.single(
            "prometheus_remote_storage_samples_in_total", .counter,
            "Samples in to remote storage, compare to samples out for queue managers.", db.metrics.samplesAppended.current)
        return out.text
    }
}

/// CPU and memory of this process from /proc.
struct ProcessStats {
    var cpuSeconds: Double
    var residentBytes: Int

    static func read() -> ProcessStats? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // Fields after the command: state(0) … utime(11) stime(12) … rss(21).
        guard fields.count > 21, let utime = Double(fields[11]), let stime = Double(fields[12]), let rss = Int(fields[21])
        else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        return ProcessStats(cpuSeconds: (utime + stime) / ticks, residentBytes: rss * page)
    }
}
