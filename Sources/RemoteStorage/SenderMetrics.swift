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
    /// `prometheus_remote_storage_sent_batch_duration_seconds` sum (µs) and count.
    package let batchDurationMicroseconds = Counter()
    package let batches = Counter()
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

    package init(remoteName: String, url: String) {
        self.remoteName = remoteName
        self.url = url
    }
}
