// ServerOptions: the settings of `sugarmill serve`, named after Prometheus's flags.

internal import MetricModel
internal import PromQL
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// What `sugarmill serve` was asked to do; each field names the Prometheus flag it comes from.
package struct ServerOptions: Sendable {
    /// `--config.file`; nil runs with an empty configuration.
    package var configFile: String?
    /// `--storage.tsdb.path`
    package var storagePath = "Storage/"
    /// `--web.listen-address` (`host:port`)
    package var listenAddress = "0.0.0.0:9090"
    /// `--log.level`: debug, info, warn, error
    package var logLevel = "info"
    /// `--log.format`: logfmt or json
    package var logFormat = "logfmt"
    /// `--storage.tsdb.min-block-duration` in ms
    package var minBlockDurationMs: Int64 = 2 * 3600 * 1000
    /// `--storage.tsdb.max-block-duration` in ms; nil = 10 % of the retention time, at most 31 days
    package var maxBlockDurationMs: Int64?
    /// `--storage.tsdb.retention.time` in ms (Prometheus's default: 15d)
    package var retentionMs: Int64 = 15 * 24 * 3600 * 1000
    /// `--storage.tsdb.retention.size` in bytes; 0 = no size limit
    package var retentionBytes: Int64 = 0
    /// `--storage.tsdb.wal-compression`
    package var walCompression = true
    /// `--storage.tsdb.creation-grace-period` in ms (ours; 0 = none, as Prometheus): samples
    /// stamped further ahead of the wall clock are refused, so that one of them cannot move the
    /// head's end into the future and make every present-day sample out of bounds.
    package var creationGracePeriodMs: Int64 = 3_600_000
    /// `--storage.tsdb.wal-segment-size` in bytes
    package var walSegmentSizeBytes = 128 * 1024 * 1024
    /// `--storage.tsdb.no-lockfile`: do not create `<data>/lock` (each tenant's in multi-tenant mode)
    package var noLockfile = false
    /// `--web.enable-admin-api`: serve `/api/v1/admin/tsdb/*` (off: "admin APIs disabled")
    package var enableAdminAPI = false
    /// `--web.enable-lifecycle`: serve `POST /-/reload` (off: "Lifecycle API is not enabled.")
    package var enableLifecycle = false
    /// `--query.lookback-delta` in ms
    package var lookbackDeltaMs: Int64 = 5 * 60 * 1000
    /// `--query.timeout` in ms
    package var queryTimeoutMs: Int64 = 2 * 60 * 1000
    /// `--query.max-samples`
    package var queryMaxSamples = 50_000_000
    /// `--query.max-concurrency`: queries evaluating at once (Prometheus's default: 20).
    package var queryMaxConcurrency = 20
    /// `--query.max-queue-length` (ours): queries waiting for a slot at once; more are answered
    /// 503 at once. Prometheus lets any number wait.
    package var queryMaxQueueLength = 200
    /// `--web.ingest.max-inflight-bytes` (ours): bytes of remote-write and OTLP requests in memory
    /// at once; requests past it are answered 503. 0: no limit.
    package var ingestMaxInflightBytes: Int64 = 512 << 20
    /// `--storage.remote.read-concurrent-limit` (Prometheus's default 10; 0: no limit)
    package var remoteReadConcurrentLimit = 10
    /// `--web.max-connections` (Prometheus's default 512; 0: no limit): connections beyond it are
    /// closed at once (Prometheus leaves them waiting in the listen backlog).
    package var maxConnections = 512
    /// `--tenancy.config.file`: multi-tenant mode with the tenants of this file; nil: single tenant.
    package var tenancyConfigFile: String?
    /// `--web.cors.origin`: a regex the whole `Origin` header must match for CORS headers.
    package var corsOrigin = ".*"
    /// `--web.enable-remote-write-receiver` (accepted; the receiver is always on).
    package var enableRemoteWriteReceiver = false
    /// `--web.enable-otlp-receiver` (accepted; the receiver is always on).
    package var enableOTLPReceiver = false

    /// `--enable-feature`: the features asked for (comma-separated values, flag repeatable).
    /// Sugarmill's own: `fault-injection`. Prometheus's are accepted; most are on anyway.
    package var enabledFeatures: Set<String> = []
    /// `--rules.alert.for-outage-tolerance`: how long an outage may last for alerts' `for` state to be restored.
    package var ruleOutageToleranceMs: Int64 = 3_600_000
    /// `--rules.alert.for-grace-period`: the least time left before a restored alert fires.
    package var ruleForGracePeriodMs: Int64 = 600_000
    /// `--rules.alert.resend-delay`: how long before a firing alert is sent to Alertmanager again.
    package var ruleResendDelayMs: Int64 = 60_000
    /// `--web.external-url`: the URL Sugarmill is reached at (alerts' generator URLs, templates);
    /// nil: `http://<hostname>:<port>`, as Prometheus.
    package var externalURL: String?
    /// `--alertmanager.notification-queue-capacity`: alerts waiting to be sent.
    package var notificationQueueCapacity = 10_000
    /// `--alertmanager.notification-batch-size`: alerts sent in one request.
    package var notificationBatchSize = 256
    /// `--alertmanager.drain-notification-queue-on-shutdown`.
    package var drainNotificationQueue = true

    package init() {}

    /// Every flag by Prometheus's name with its value in force, for `/api/v1/status/flags`.
    package var flags: [String: String] {
        let maxBlock = maxBlockDurationMs ?? min(retentionMs / 10, 31 * 24 * 3600 * 1000)
        return [
            "config.file": configFile ?? "prometheus.yml",
            "enable-feature": enabledFeatures.sorted().joined(separator: ","),
            "log.format": logFormat,
            "log.level": logLevel,
            "query.lookback-delta": PrometheusDuration.format(milliseconds: lookbackDeltaMs),
            "query.max-concurrency": String(queryMaxConcurrency),
            "query.max-queue-length": String(queryMaxQueueLength),
            "query.max-samples": String(queryMaxSamples),
            "query.timeout": PrometheusDuration.format(milliseconds: queryTimeoutMs),
            "alertmanager.notification-queue-capacity": String(notificationQueueCapacity),
            "alertmanager.notification-batch-size": String(notificationBatchSize),
            "alertmanager.drain-notification-queue-on-shutdown": String(drainNotificationQueue),
            "rules.alert.for-grace-period": PrometheusDuration.format(milliseconds: ruleForGracePeriodMs),
            "rules.alert.for-outage-tolerance": PrometheusDuration.format(milliseconds: ruleOutageToleranceMs),
            "rules.alert.resend-delay": PrometheusDuration.format(milliseconds: ruleResendDelayMs),
            "web.external-url": externalURL ?? "",
            "storage.tsdb.creation-grace-period": PrometheusDuration.format(milliseconds: creationGracePeriodMs),
            "storage.tsdb.max-block-duration": PrometheusDuration.format(milliseconds: maxBlock),
            "storage.tsdb.min-block-duration": PrometheusDuration.format(milliseconds: minBlockDurationMs),
            "storage.tsdb.no-lockfile": String(noLockfile),
            "storage.tsdb.path": storagePath,
            "storage.tsdb.retention.size": formatByteSize(retentionBytes),
            "storage.tsdb.retention.time": PrometheusDuration.format(milliseconds: retentionMs),
            "storage.tsdb.wal-compression": String(walCompression),
            "storage.tsdb.wal-segment-size": formatByteSize(Int64(walSegmentSizeBytes)),
            "web.cors.origin": corsOrigin,
            "tenancy.config.file": tenancyConfigFile ?? "",
            "web.enable-admin-api": String(enableAdminAPI),
            "web.enable-lifecycle": String(enableLifecycle),
            "web.enable-otlp-receiver": String(enableOTLPReceiver),
            "web.enable-remote-write-receiver": String(enableRemoteWriteReceiver),
            "web.ingest.max-inflight-bytes": formatByteSize(ingestMaxInflightBytes),
            "web.max-connections": String(maxConnections),
            "storage.remote.read-concurrent-limit": String(remoteReadConcurrentLimit),
            "web.listen-address": listenAddress,
        ]
    }

    /// Splits `host:port`; an empty host means all interfaces.
    package func hostAndPort() throws(ServerError) -> (String, Int) {
        guard let colon = listenAddress.lastIndex(of: ":"), let port = Int(listenAddress[listenAddress.index(after: colon)...]),
            (0...65535).contains(port)
        else {
            throw ServerError("invalid --web.listen-address \"\(listenAddress)\": expected host:port")
        }
        var host = String(listenAddress[..<colon])
        if host.isEmpty { host = "0.0.0.0" }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }
}

/// A startup or configuration error, printed to the operator.
package struct ServerError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

/// Parses a flag duration (`2h`, `5m`, `90s`) with Prometheus's duration syntax; nil if invalid.
package func parseFlagDuration(_ s: String) -> Int64? {
    try? parseDuration(s)
}

/// A byte count as Prometheus prints its size flags (`units.Base2Bytes`): `512MiB`, `1GiB512MiB`, `0B`.
package func formatByteSize(_ bytes: Int64) -> String {
    guard bytes > 0 else { return "0B" }
    let units: [(String, Int64)] = [
        ("EiB", 1 << 60), ("PiB", 1 << 50), ("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("B", 1),
    ]
    var rest = bytes
    var text = ""
    for (unit, factor) in units where rest >= factor {
        text += "\(rest / factor)\(unit)"
        rest %= factor
    }
    return text
}

/// Parses a byte size as Prometheus's flags take it (`512MB`, `10GB`, `1TiB`…: units B, KB, MB, GB,
/// TB, PB, EB with base 1024 as in Prometheus's `units.Base2Bytes`); nil if invalid.
package func parseByteSize(_ s: String) -> Int64? {
    let units: [(String, Int64)] = [
        ("EB", 1 << 60), ("PB", 1 << 50), ("TB", 1 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("B", 1),
    ]
    var text = s.uppercased()
    text = text.replacing("IB", with: "B")
    for (suffix, factor) in units where text.hasSuffix(suffix) {
        guard let n = Int64(text.dropLast(suffix.count)), n >= 0 else { return nil }
        let (bytes, overflow) = n.multipliedReportingOverflow(by: factor)
        return overflow ? nil : bytes
    }
    return Int64(text).flatMap { $0 >= 0 ? $0 : nil }
}
