// FanoutStorage: local storage plus the `remote_read` endpoints of the config in force, as the
// query engine's one Querier (Prometheus's fanout storage with remote read as secondaries).

package import Logging
package import MetricModel
package import Scrape
internal import Synchronization
internal import TSDB

/// Reads local storage and the remote-read endpoints that want a query; writes go to local storage.
///
/// Series found in several places are merged, local samples winning on equal timestamps. An
/// endpoint that fails is logged and counted and its series left out (Prometheus turns such
/// failures into warnings of the query): the local answer still comes back.
package final class FanoutStorage: Storage {
    package let local: any Storage
    /// The oldest time local storage holds (ms), for `read_recent: false`.
    let localStart: @Sendable () -> Timestamp
    let logger: Logger
    private let remotes = Mutex<[RemoteReadQuerier]>([])
    /// `prometheus_remote_storage_read_queries_failed_total` (ours: failed remote selects).
    package let failures = Counter()

    package init(local: any Storage, localStart: @escaping @Sendable () -> Timestamp, logger: Logger) {
        self.local = local
        self.localStart = localStart
        self.logger = logger
    }

    /// Replaces the remote-read endpoints with those of `config`.
    package func apply(_ config: PrometheusConfig) async {
        var fresh: [RemoteReadQuerier] = []
        for rr in config.remoteRead {
            do { fresh.append(try RemoteReadQuerier(config: rr, externalLabels: config.global.externalLabels)) } catch {
                logger.error("remote read cannot start", metadata: ["url": "\(rr.url)", "err": "\(error)"])
            }
        }
        let old = remotes.withLock { remotes in
            let old = remotes
            remotes = fresh
            return old
        }
        for querier in old { await querier.shutdown() }
    }

    /// Whether any remote-read endpoint is configured (reads may then wait on the network).
    package var hasRemotes: Bool { !remotes.withLock { $0.isEmpty } }

    package func shutdown() async {
        for querier in remotes.withLock({ $0 }) { await querier.shutdown() }
    }

    package func appender() -> any Appender { local.appender() }

    package func select(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp, sorted: Bool) throws -> [SeriesData] {
        let wanted = remotes.withLock { $0 }.filter { $0.wants(matchers, minTime: minTime, localStart: localStart()) }
        if wanted.isEmpty { return try local.select(matchers: matchers, minTime: minTime, maxTime: maxTime, sorted: sorted) }
        var sources: [any Querier] = [local]
        for remote in wanted {
            do {
                let series = try remote.select(matchers: matchers, minTime: minTime, maxTime: maxTime, sorted: false)
                sources.append(FixedQuerier(series: series))
            } catch {
                failures.add()
                logger.warning("remote read failed", metadata: ["url": "\(remote.config.url)", "err": "\(error)"])
            }
        }
        return try FanoutQuerier(sources).select(matchers: matchers, minTime: minTime, maxTime: maxTime, sorted: sorted)
    }

    package func labelNames(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] {
        try local.labelNames(matchers: matchers, minTime: minTime, maxTime: maxTime)
    }

    package func labelValues(name: String, matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] {
        try local.labelValues(name: name, matchers: matchers, minTime: minTime, maxTime: maxTime)
    }
}

/// Series already read, as a Querier (a remote endpoint's answer inside a fanout).
struct FixedQuerier: Querier {
    let series: [SeriesData]

    func select(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp, sorted: Bool) throws -> [SeriesData] { series }
    func labelNames(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] { [] }
    func labelValues(name: String, matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] { [] }
}
