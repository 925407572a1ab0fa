// NotifierMetrics: the notifier's `prometheus_notifications_*` families (Prometheus's
// notifier/metric.go), counted as alerts go out and written in the text exposition format.

package import MetricModel
package import Synchronization
import NIOConcurrencyHelpers

/// What the notifier counts, under Prometheus's names.
///
/// Per Alertmanager (label `alertmanager`, its URL): alerts sent and alerts affected by errors,
/// both set to 0 when the Alertmanager is discovered and removed when it goes away, and the
/// latency of sends (from the start of the batch, as Prometheus measures it) as a summary and
/// a histogram. Thread-safety: everything may be called concurrently.
package final class NotifierMetrics: Sendable {
    /// `prometheus_notifications_dropped_total`: dropped from a full queue, after failing to
    /// reach every set of Alertmanagers, or left queued at shutdown without draining.
    package let dropped = Counter()
    /// `prometheus_notifications_queue_length`
    package let queueLength = Atomic<Int>(0)
    /// `prometheus_notifications_queue_capacity`
    package let queueCapacity: Int
    /// `prometheus_notifications_alertmanagers_discovered`: active Alertmanagers of every set.
    package let alertmanagersDiscovered = Atomic<Int>(0)

    /// The histogram's bucket bounds (Prometheus's classic buckets for it).
    static let latencyBuckets: [Double] = [0.01, 0.1, 1, 10]
    /// How many recent sends the summary's quantiles are taken over (Prometheus: the last 10 minutes).
    static let summaryWindow = 512

    private struct Series {
        var sent = 0
        var errors = 0
        var latency: Latency?
    }

    private struct Latency {
        var count = 0
        var sum = 0.0
        /// Per bucket of `latencyBuckets`, observations at most its bound (not cumulative).
        var buckets = [Int](repeating: 0, count: NotifierMetrics.latencyBuckets.count)
        /// The last `summaryWindow` observations, oldest overwritten first.
        var recent: [Double] = []
        var next = 0

        mutating func observe(_ seconds: Double) {
            count += 1
            sum += seconds
            if let bucket = NotifierMetrics.latencyBuckets.firstIndex(where: { seconds <= $0 }) { buckets[bucket] += 1 }
            if recent.count < NotifierMetrics.summaryWindow {
                recent.append(seconds)
            } else {
                recent[next] = seconds
                next = (next + 1) % NotifierMetrics.summaryWindow
            }
        }
    }

    private let series = NIOLockedValueBox<[String: Series]>([:])

    package init(queueCapacity: Int) {
        self.queueCapacity = queueCapacity
    }

    /// Alerts sent to `alertmanager` (successfully or not, as Prometheus counts them); nil when
    /// it has no series.
    package func sent(_ alertmanager: String) -> Int? { series.withLockedValue { $0[alertmanager]?.sent } }

    /// Alerts whose send to `alertmanager` failed; nil when it has no series.
    package func errors(_ alertmanager: String) -> Int? { series.withLockedValue { $0[alertmanager]?.errors } }

    /// Sends to `alertmanager` whose latency was observed.
    package func latencyCount(_ alertmanager: String) -> Int {
        series.withLockedValue { $0[alertmanager]?.latency?.count ?? 0 }
    }

    /// Starts the series of newly discovered Alertmanagers at 0 (those present keep theirs).
    func track(_ alertmanagers: [String]) {
        series.withLockedValue { all in
            for url in alertmanagers where all[url] == nil { all[url] = Series() }
        }
    }

    /// Removes the series of Alertmanagers no longer discovered.
    func forget(_ alertmanagers: [String]) {
        series.withLockedValue { all in
            for url in alertmanagers { all[url] = nil }
        }
    }

    /// One request to `alertmanager` with `count` alerts, finished `seconds` after its batch began.
    func recordSend(to alertmanager: String, count: Int, failed: Bool, seconds: Double) {
        series.withLockedValue { all in
            var entry = all[alertmanager] ?? Series()
            if failed { entry.errors += count }
            entry.sent += count
            var latency = entry.latency ?? Latency()
            latency.observe(seconds)
            entry.latency = latency
            all[alertmanager] = entry
        }
    }
}

extension NotifierMetrics {
    /// Every family in the text exposition format (0.0.4), sorted by name as client_golang
    /// writes them; a family with no series is left out.
    package func exposition() -> String {
        let all = series.withLockedValue { $0 }.sorted { $0.key < $1.key }
        let timed = all.compactMap { url, entry in entry.latency.map { (label: Self.label(url), latency: $0) } }
        var out = ""
        /// One family: its samples as (name suffix, labels, value); none leaves it out.
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(suffix: String, labels: String, value: String)]) {
            guard !samples.isEmpty else { return }
            let name = "prometheus_notifications_" + name
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples { out += "\(name)\(sample.suffix)\(sample.labels) \(sample.value)\n" }
        }
        family("alertmanagers_discovered", "gauge", "The number of alertmanagers discovered and active.", [
            ("", "", "\(alertmanagersDiscovered.load(ordering: .relaxed))"),
        ])
        family("dropped_total", "counter", "Total number of alerts dropped due to errors when sending to Alertmanager.", [
            ("", "", "\(dropped.current)"),
        ])
        family("errors_total", "counter", "Total number of sent alerts affected by errors.", all.map { url, entry in
            ("", "{\(Self.label(url))}", "\(entry.errors)")
        })
        family("latency_histogram_seconds", "histogram", "Latency histogram for sending alert notifications.", timed.flatMap { label, latency in
            var cumulative = 0
            let buckets = zip(Self.latencyBuckets, latency.buckets).map { bound, count in
                cumulative += count
                return ("_bucket", "{\(label),le=\"\(goFormatG(bound))\"}", "\(cumulative)")
            }
            return buckets + [
                ("_bucket", "{\(label),le=\"+Inf\"}", "\(latency.count)"),
                ("_sum", "{\(label)}", goFormatG(latency.sum)), ("_count", "{\(label)}", "\(latency.count)"),
            ]
        })
        family("latency_seconds", "summary", "Latency quantiles for sending alert notifications.", timed.flatMap { label, latency in
            let sorted = latency.recent.sorted()
            let quantiles = [0.5, 0.9, 0.99].map { quantile in
                let rank = min(sorted.count - 1, max(0, Int((quantile * Double(sorted.count)).rounded(.up)) - 1))
                return ("", "{\(label),quantile=\"\(quantile)\"}", goFormatG(sorted[rank]))
            }
            return quantiles + [("_sum", "{\(label)}", goFormatG(latency.sum)), ("_count", "{\(label)}", "\(latency.count)")]
        })
        family("queue_capacity", "gauge", "The capacity of the alert notifications queue.", [("", "", "\(queueCapacity)")])
        family("queue_length", "gauge", "The number of alert notifications in the queue.", [
            ("", "", "\(queueLength.load(ordering: .relaxed))"),
        ])
        family("sent_total", "counter", "Total number of alerts sent.", all.map { url, entry in
            ("", "{\(Self.label(url))}", "\(entry.sent)")
        })
        return out
    }

    /// `alertmanager="<url>"`, the value escaped for the text format.
    private static func label(_ url: String) -> String { MetricsText.label("alertmanager", url) }
}
