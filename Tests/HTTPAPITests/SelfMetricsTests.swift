// The server's own /metrics against Prometheus 2.42's: a running server that has scraped
// itself and served HTTP requests exposes the TSDB, target, HTTP and remote-storage families
// under Prometheus's names and types, in an exposition our own parser reads, with well-formed
// histograms and summaries.

import Exposition
import Foundation
import HTTPAPI
import Logging
import MetricModel
import SugarmillServer
import Testing

@Suite struct SelfMetricsTests {
    /// Prometheus 2.42's families that we expose, with their type in Prometheus's source
    /// (tsdb/head.go, tsdb/db.go, tsdb/wlog/, tsdb/exemplar.go, scrape/scrape.go, scrape/manager.go,
    /// discovery/manager.go, web/web.go, storage/remote/).
    static let expected: [String: String] = [
        // Server
        "prometheus_build_info": "gauge",
        "prometheus_ready": "gauge",
        "prometheus_config_last_reload_successful": "gauge",
        "prometheus_config_last_reload_success_timestamp_seconds": "gauge",
        // TSDB
        "prometheus_tsdb_blocks_loaded": "gauge",
        "prometheus_tsdb_checkpoint_creations_failed_total": "counter",
        "prometheus_tsdb_checkpoint_creations_total": "counter",
        "prometheus_tsdb_checkpoint_deletions_total": "counter",
        "prometheus_tsdb_clean_start": "gauge",
        "prometheus_tsdb_compaction_chunk_range_seconds": "histogram",
        "prometheus_tsdb_compaction_chunk_samples": "histogram",
        "prometheus_tsdb_compaction_chunk_size_bytes": "histogram",
        "prometheus_tsdb_compaction_duration_seconds": "histogram",
        "prometheus_tsdb_compaction_populating_block": "gauge",
        "prometheus_tsdb_compactions_failed_total": "counter",
        "prometheus_tsdb_compactions_total": "counter",
        "prometheus_tsdb_data_replay_duration_seconds": "gauge",
        "prometheus_tsdb_exemplar_exemplars_appended_total": "counter",
        "prometheus_tsdb_exemplar_exemplars_in_storage": "gauge",
        "prometheus_tsdb_exemplar_last_exemplars_timestamp_seconds": "gauge",
        "prometheus_tsdb_exemplar_max_exemplars": "gauge",
        "prometheus_tsdb_exemplar_out_of_order_exemplars_total": "counter",
        "prometheus_tsdb_exemplar_series_with_exemplars_in_storage": "gauge",
        "prometheus_tsdb_head_active_appenders": "gauge",
        "prometheus_tsdb_head_chunks": "gauge",
        "prometheus_tsdb_head_chunks_created_total": "counter",
        "prometheus_tsdb_head_chunks_removed_total": "counter",
        "prometheus_tsdb_head_gc_duration_seconds": "summary",
        "prometheus_tsdb_head_max_time": "gauge",
        "prometheus_tsdb_head_max_time_seconds": "gauge",
        "prometheus_tsdb_head_min_time": "gauge",
        "prometheus_tsdb_head_min_time_seconds": "gauge",
        "prometheus_tsdb_head_samples_appended_total": "counter",
        "prometheus_tsdb_head_series": "gauge",
        "prometheus_tsdb_head_series_created_total": "counter",
        "prometheus_tsdb_head_series_removed_total": "counter",
        "prometheus_tsdb_head_truncations_total": "counter",
        "prometheus_tsdb_lowest_timestamp": "gauge",
        "prometheus_tsdb_lowest_timestamp_seconds": "gauge",
        "prometheus_tsdb_mmap_chunk_corruptions_total": "counter",
        "prometheus_tsdb_out_of_bound_samples_total": "counter",
        "prometheus_tsdb_out_of_order_samples_total": "counter",
        "prometheus_tsdb_retention_limit_bytes": "gauge",
        "prometheus_tsdb_size_retentions_total": "counter",
        "prometheus_tsdb_storage_blocks_bytes": "gauge",
        "prometheus_tsdb_symbol_table_size_bytes": "gauge",
        "prometheus_tsdb_time_retentions_total": "counter",
        "prometheus_tsdb_tombstone_cleanup_seconds": "histogram",
        "prometheus_tsdb_vertical_compactions_total": "counter",
        "prometheus_tsdb_wal_completed_pages_total": "counter",
        "prometheus_tsdb_wal_corruptions_total": "counter",
        "prometheus_tsdb_wal_fsync_duration_seconds": "summary",
        "prometheus_tsdb_wal_page_flushes_total": "counter",
        "prometheus_tsdb_wal_segment_current": "gauge",
        "prometheus_tsdb_wal_truncate_duration_seconds": "summary",
        "prometheus_tsdb_wal_truncations_failed_total": "counter",
        "prometheus_tsdb_wal_truncations_total": "counter",
        "prometheus_tsdb_wal_writes_failed_total": "counter",
        // Scraping and discovery
        "prometheus_sd_discovered_targets": "gauge",
        "prometheus_target_interval_length_seconds": "summary",
        "prometheus_target_metadata_cache_bytes": "gauge",
        "prometheus_target_metadata_cache_entries": "gauge",
        "prometheus_target_scrape_pool_exceeded_label_limits_total": "counter",
        "prometheus_target_scrape_pool_exceeded_target_limit_total": "counter",
        "prometheus_target_scrape_pool_reloads_failed_total": "counter",
        "prometheus_target_scrape_pool_reloads_total": "counter",
        "prometheus_target_scrape_pool_sync_total": "counter",
        "prometheus_target_scrape_pool_targets": "gauge",
        "prometheus_target_scrape_pools_failed_total": "counter",
        "prometheus_target_scrape_pools_total": "counter",
        "prometheus_target_scrapes_exceeded_body_size_limit_total": "counter",
        "prometheus_target_scrapes_exceeded_sample_limit_total": "counter",
        "prometheus_target_scrapes_sample_duplicate_timestamp_total": "counter",
        "prometheus_target_scrapes_sample_out_of_bounds_total": "counter",
        "prometheus_target_scrapes_sample_out_of_order_total": "counter",
        "prometheus_target_sync_failed_total": "counter",
        "prometheus_target_sync_length_seconds": "summary",
        // HTTP
        "prometheus_http_request_duration_seconds": "histogram",
        "prometheus_http_requests_total": "counter",
        "prometheus_http_response_size_bytes": "histogram",
        // Remote storage, without and with a queue
        "prometheus_remote_storage_exemplars_in_total": "counter",
        "prometheus_remote_storage_highest_timestamp_in_seconds": "gauge",
        "prometheus_remote_storage_histograms_in_total": "counter",
        "prometheus_remote_storage_samples_in_total": "counter",
    ]

    /// Families of queue managers (storage/remote/queue_manager.go): not in the fixture, which was
    /// captured without `remote_write`, so checked by name and type here.
    static let expectedWithQueue: [String: String] = [
        "prometheus_remote_storage_bytes_total": "counter",
        "prometheus_remote_storage_max_samples_per_send": "gauge",
        "prometheus_remote_storage_queue_highest_sent_timestamp_seconds": "gauge",
        "prometheus_remote_storage_samples_dropped_total": "counter",
        "prometheus_remote_storage_samples_failed_total": "counter",
        "prometheus_remote_storage_samples_pending": "gauge",
        "prometheus_remote_storage_samples_retried_total": "counter",
        "prometheus_remote_storage_samples_total": "counter",
        "prometheus_remote_storage_sent_batch_duration_seconds": "histogram",
        "prometheus_remote_storage_shard_capacity": "gauge",
        "prometheus_remote_storage_shards": "gauge",
        "prometheus_remote_storage_shards_max": "gauge",
        "prometheus_remote_storage_shards_min": "gauge",
    ]

    /// Prometheus 2.42's TSDB, target, HTTP and remote-storage families we deliberately do not
    /// expose, and why: each would be a made-up value.
    static let notExposed: [String: String] = [
        "prometheus_remote_storage_string_interner_zero_reference_releases_total": "no string interner: remote write reads labels from the WAL's series records",
        "prometheus_target_scrapes_cache_flush_forced_total": "the scrape cache is never force-flushed: it keeps only the last scrape's series",
        "prometheus_target_scrapes_exemplar_out_of_order_total": "scraped exemplars are not stored yet",
        "prometheus_tsdb_compactions_skipped_total": "compaction is never skipped (no --storage.tsdb.allow-overlapping-blocks switch)",
        "prometheus_tsdb_compactions_triggered_total": "compaction is run on a timer, not triggered by the appender",
        "prometheus_tsdb_head_out_of_order_samples_appended_total": "out-of-order ingestion is not supported: such samples are refused and counted in prometheus_tsdb_out_of_order_samples_total",
        "prometheus_tsdb_head_series_not_found_total": "appends by ref fall back to labels; never counted as not found",
        "prometheus_tsdb_head_truncations_failed_total": "head truncation cannot fail (in memory, no I/O)",
        "prometheus_tsdb_isolation_high_watermark": "no isolation watermarks: a commit is visible at once",
        "prometheus_tsdb_isolation_low_watermark": "no isolation watermarks: a commit is visible at once",
        "prometheus_tsdb_reloads_failures_total": "blocks are not reloaded from disk while running",
        "prometheus_tsdb_reloads_total": "blocks are not reloaded from disk while running",
        "prometheus_tsdb_snapshot_replay_error_total": "no chunk snapshots on shutdown",
        "prometheus_tsdb_too_old_samples_total": "out-of-order ingestion is not supported (counted as out of bound)",
    ]

    /// The family names of Prometheus 2.42's own /metrics.
    static func fixtureFamilies() throws -> Set<String> {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/prometheus-2.42-self-metrics/families.txt")
        return Set(try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init))
    }

    static func get(_ url: String) async throws -> String { try await UIBrowserTests.get(url) }

    /// A parsed exposition: each family's type and every sample as (name, labels, value).
    struct Parsed {
        var types: [String: String] = [:]
        var helps: Set<String> = []
        var samples: [(name: String, labels: Labels, value: Double)] = []

        init(_ text: String) throws {
            var parser = PromTextParser(Array(text.utf8))
            while let entry = try parser.next() {
                switch entry {
                case .type(let name, let type): types[name] = type.rawValue
                case .help(let name, _): helps.insert(name)
                case .series: samples.append((parser.metricName, try parser.labels(), parser.value))
                default: break
                }
            }
        }

        /// The label set without `__name__` and `label`, as text (the series a bucket belongs to).
        static func key(_ labels: Labels, without label: String) -> String {
            labels.pairs.filter { $0.0 != "__name__" && $0.0 != label }.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
        }

        /// Each histogram series: buckets cumulative in `le` order, `+Inf` equal to `_count`, a `_sum`.
        func checkHistogram(_ family: String) {
            var buckets: [String: [(le: Double, count: Double)]] = [:]
            var counts: [String: Double] = [:]
            var sums: Set<String> = []
            for s in samples {
                if s.name == family + "_bucket" {
                    buckets[Self.key(s.labels, without: "le"), default: []].append((Double(s.labels["le"] ?? "") ?? .nan, s.value))
                } else if s.name == family + "_count" {
                    counts[Self.key(s.labels, without: "")] = s.value
                } else if s.name == family + "_sum" {
                    sums.insert(Self.key(s.labels, without: ""))
                }
            }
            #expect(!buckets.isEmpty, "\(family) has no buckets")
            for (series, list) in buckets {
                #expect(list.map(\.le) == list.map(\.le).sorted(), "\(family){\(series)}: buckets out of order")
                #expect(list.map(\.count) == list.map(\.count).sorted(), "\(family){\(series)}: buckets not cumulative")
                #expect(list.last?.le == .infinity, "\(family){\(series)}: no +Inf bucket")
                #expect(list.last?.count == counts[series], "\(family){\(series)}: +Inf bucket is not _count")
                #expect(sums.contains(series), "\(family){\(series)}: no _sum")
            }
        }

        /// Each summary series: quantiles in order with values that do not decrease, `_sum` and `_count`.
        func checkSummary(_ family: String) {
            var quantiles: [String: [(q: Double, value: Double)]] = [:]
            var counts: [String: Double] = [:]
            var sums: Set<String> = []
            for s in samples {
                if s.name == family {
                    quantiles[Self.key(s.labels, without: "quantile"), default: []].append((Double(s.labels["quantile"] ?? "") ?? .nan, s.value))
                } else if s.name == family + "_count" {
                    counts[Self.key(s.labels, without: "")] = s.value
                } else if s.name == family + "_sum" {
                    sums.insert(Self.key(s.labels, without: ""))
                }
            }
            for (series, list) in quantiles {
                #expect(list.map(\.q) == [0.01, 0.05, 0.5, 0.9, 0.99] || list.map(\.q) == [0.5, 0.9, 0.99], "\(family){\(series)}")
                if counts[series] ?? 0 > 0 {
                    #expect(list.map(\.value) == list.map(\.value).sorted(), "\(family){\(series)}: quantiles decrease")
                }
                #expect(counts[series] != nil && sums.contains(series), "\(family){\(series)}: no _sum or _count")
            }
        }
    }

    @Test("a running server's /metrics has Prometheus 2.42's families, names and types, well formed")
    func prometheusFamiliesOnMetrics() async throws {
        let fixture = try Self.fixtureFamilies()
        for name in Self.expected.keys { #expect(fixture.contains(name), "\(name) is not one of Prometheus 2.42's families") }
        for name in Self.notExposed.keys { #expect(fixture.contains(name), "\(name) is not one of Prometheus 2.42's families") }
        try await withTemporaryDirectory { dir in
            let port = try freeTCPPort()
            let config = dir.appendingPathComponent("prometheus.yml").path
            try """
                global: {scrape_interval: 1s}
                scrape_configs:
                  - job_name: self
                    static_configs: [{targets: ["127.0.0.1:\(port)"]}]
                remote_write:
                  - url: http://127.0.0.1:1/api/v1/write
                    name: nowhere
                """.write(toFile: config, atomically: true, encoding: .utf8)
            var options = ServerOptions()
            options.configFile = config
            let text = try await withRunningServer(options, directory: dir, port: port) { port in
                let base = "http://127.0.0.1:\(port)"
                // Two scrapes of ourselves: one interval observed.
                #expect(try await eventuallyAsync(60) {
                    let text = try await Self.get(base + "/metrics")
                    let prefix = "prometheus_target_interval_length_seconds_count{interval=\"1s\"} "
                    return text.split(separator: "\n").contains { $0.hasPrefix(prefix) && $0 != prefix + "0" }
                })
                _ = try await Self.get(base + "/api/v1/label/job/values")
                _ = try await Self.get(base + "/api/v1/query?query=up")
                _ = try await Self.get(base + "/no/such/path")
                return try await Self.get(base + "/metrics")
            }

            let parsed = try Parsed(text)
            for (name, type) in Self.expected.merging(Self.expectedWithQueue, uniquingKeysWith: { a, _ in a }) {
                #expect(parsed.types[name] == type, "\(name): TYPE \(parsed.types[name] ?? "missing"), Prometheus's is \(type)")
                #expect(parsed.helps.contains(name), "\(name) has no HELP")
            }
            for name in Self.notExposed.keys { #expect(parsed.types[name] == nil, "\(name) is exposed: take it off the list") }
            for (name, type) in parsed.types {
                if type == "histogram" { parsed.checkHistogram(name) }
                if type == "summary" { parsed.checkSummary(name) }
            }
            // The server is ready, its config loaded a moment ago, and it says what it is.
            let value = { (name: String) in parsed.samples.first { $0.name == name }?.value }
            #expect(value("prometheus_ready") == 1 && value("prometheus_config_last_reload_successful") == 1)
            // A fresh data directory: no lock file was there before this server made one.
            #expect(value("prometheus_tsdb_clean_start") == 1)
            let loaded = value("prometheus_config_last_reload_success_timestamp_seconds") ?? 0
            #expect(abs(loaded - Date().timeIntervalSince1970) < 600, "reload timestamp \(loaded)")
            #expect(parsed.samples.first { $0.name == "prometheus_build_info" }?.labels["version"] == "3.0.0-sugarmill")
            // Requests by route pattern, as Prometheus names handlers; unmatched paths are not recorded.
            let handlers = Set(parsed.samples.filter { $0.name == "prometheus_http_requests_total" }.compactMap { $0.labels["handler"] })
            #expect(handlers.isSuperset(of: ["/metrics", "/api/v1/label/:name/values", "/api/v1/query"]), "\(handlers)")
            #expect(!handlers.contains { $0.contains("no/such") || $0 == "NotFound" })
            let okMetrics = parsed.samples.first {
                $0.name == "prometheus_http_requests_total" && $0.labels["handler"] == "/metrics" && $0.labels["code"] == "200"
            }
            #expect((okMetrics?.value ?? 0) >= 2)
            let queue = parsed.samples.first { $0.name == "prometheus_remote_storage_shards_max" }
            #expect(queue?.labels["remote_name"] == "nowhere" && queue?.labels["url"] == "http://127.0.0.1:1/api/v1/write")
            let pools = parsed.samples.first { $0.name == "prometheus_target_scrape_pool_targets" }
            #expect(pools?.labels["scrape_job"] == "self" && pools?.value == 1)
            #expect(parsed.samples.contains { $0.name == "prometheus_sd_discovered_targets" && $0.labels["config"] == "self" && $0.value == 1 })
            // The self-scrapes went through the WAL and into head chunks.
            #expect((value("prometheus_tsdb_wal_page_flushes_total") ?? 0) > 0)
            #expect((value("prometheus_tsdb_head_chunks_created_total") ?? 0) >= (value("prometheus_tsdb_head_series") ?? 1))
            #expect(value("prometheus_tsdb_compaction_populating_block") == 0)
            // Prometheus's buckets: ExponentialBuckets(32, 1.5, 12), (4, 1.5, 12), (100, 4, 10); DefBuckets.
            let bounds = { (family: String) in
                parsed.samples.filter { $0.name == family + "_bucket" }.compactMap { Double($0.labels["le"] ?? "") }
            }
            #expect(bounds("prometheus_tsdb_compaction_chunk_size_bytes") == [
                32, 48, 72, 108, 162, 243, 364.5, 546.75, 820.125, 1230.1875, 1845.28125, 2767.921875, .infinity,
            ])
            #expect(bounds("prometheus_tsdb_compaction_chunk_samples") == [
                4, 6, 9, 13.5, 20.25, 30.375, 45.5625, 68.34375, 102.515625, 153.7734375, 230.66015625, 345.990234375, .infinity,
            ])
            #expect(bounds("prometheus_tsdb_compaction_chunk_range_seconds") == [
                100, 400, 1600, 6400, 25600, 102400, 409600, 1_638_400, 6_553_600, 26_214_400, .infinity,
            ])
            #expect(bounds("prometheus_tsdb_tombstone_cleanup_seconds") == [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, .infinity])
            // Written as Go writes them (our parser reads `le` as Prometheus 3 does, normalized).
            #expect(text.contains("prometheus_tsdb_compaction_chunk_range_seconds_bucket{le=\"1.6384e+06\"} "))
            #expect(text.contains("prometheus_tsdb_tombstone_cleanup_seconds_bucket{le=\"1\"} "))
            // The fsync summary has Prometheus's quantiles; the truncation and head GC summaries none (client_golang's default).
            let quantiles = { (family: String) in
                parsed.samples.filter { $0.name == family }.compactMap { $0.labels["quantile"] }
            }
            #expect(quantiles("prometheus_tsdb_wal_fsync_duration_seconds") == ["0.5", "0.9", "0.99"])
            #expect(quantiles("prometheus_tsdb_wal_truncate_duration_seconds").isEmpty)
            #expect(quantiles("prometheus_tsdb_head_gc_duration_seconds").isEmpty)
        }
    }
}
