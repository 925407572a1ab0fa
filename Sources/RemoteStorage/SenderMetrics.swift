// SenderMetrics: one endpoint's `prometheus_remote_storage_*` counters and gauges.

package import MetricModel
package import Synchronization

/// The counters of one remote-write queue, under Prometheus's names (rendered by the server).
package final class SenderMetrics: Sendable {
    package let remoteName: String
    package let url: String
    /// `prometheus_remote_storage_samples_total`: samples sent and stored.
    package let samplesSent = Counter()
    /// `prometheus_remote_storage_samples_failed_total`: dropped after a permanent error.
    package let samplesFailed = Counter()
    /// `prometheus_remote_storage_samples_retried_total`
    package let samplesRetried = Counter()
    /// `prometheus_remote_storage_samples_dropped_total`: dropped by relabeling, age or unknown series.
    package let samplesDropped = Counter()
    /// `prometheus_remote_storage_bytes_total`: compressed bytes sent.
    package let bytesSent = Counter()
    /// `prometheus_remote_storage_sent_batch_duration_seconds`'s buckets: client_golang's
    /// `DefBuckets` and 25, 60, 120, 300 (queue_manager.go).
    package static let batchDurationBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60, 120, 300]
    /// `prometheus_remote_storage_sent_batch_duration_seconds`: every send call, observed in µs.
    package let batchDuration = FixedBucketHistogram(bounds: SenderMetrics.batchDurationBounds, unitScale: 1e-6)
    /// The queue's configuration (`queue_config`): `…_shards_max`, `…_shards_min`,
    /// `…_shard_capacity`, `…_max_samples_per_send`.
    package let maxShards: Int
    package let minShards: Int
    package let shardCapacity: Int
    package let maxSamplesPerSend: Int
    /// WAL segments deleted before they were sent (samples lost).
    package let segmentsSkipped = Counter()
    /// Whether the queue has opened the WAL and is following it.
    package let following = Atomic<Bool>(false)
    /// `prometheus_remote_storage_samples_pending`
    package let samplesPending = Atomic<Int>(0)
    /// `prometheus_remote_storage_shards`
    package let shards = Atomic<Int>(0)
    /// `prometheus_remote_storage_queue_highest_sent_timestamp_seconds`, ms.
    package let highestSentTimestamp = Atomic<Int64>(0)

    package init(remoteName: String, url: String, maxShards: Int = 50, minShards: Int = 1, shardCapacity: Int = 10_000, maxSamplesPerSend: Int = 2_000) {
        self.remoteName = remoteName
        self.url = url
        self.maxShards = maxShards
        self.minShards = minShards
        self.shardCapacity = shardCapacity
        self.maxSamplesPerSend = maxSamplesPerSend
    }
}
