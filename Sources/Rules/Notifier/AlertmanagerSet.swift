// One `alertmanagers` entry at run time (Prometheus's `alertmanagerSet`): its config, the
// request every send starts from, its discovery providers and the Alertmanagers they found.

import AsyncHTTPClient
import Logging
import MetricModel
import NIOConcurrencyHelpers
import NIOHTTP1
import Relabel
import Scrape

/// The Alertmanagers of one `alertmanagers` entry and how to reach them.
///
/// Static targets are known at once; file and HTTP service discovery are read by `refresh`,
/// which the notifier's run loop calls. Thread-safety: all methods may be called concurrently.
final class AlertmanagerSet: Sendable {
    let config: AlertmanagerConfig
    /// Everything in the config that makes a set different; a reloaded config with an equal
    /// fingerprint keeps the running set (Prometheus compares a hash of the config).
    let fingerprint: String
    /// Method, headers and TLS of every send; the URL, body and authorization are added per send.
    let requestTemplate: HTTPClientRequest
    private let providers: [Provider]
    private let metrics: NotifierMetrics
    private let logger: Logger
    private let state: NIOLockedValueBox<State>

    /// A discovery provider after the static targets: what it reads and how often.
    private enum Provider: Sendable {
        case file(FileDiscovery)
        case http(HTTPSDConfig)

        /// How often it is read: a file at least every `FileDiscovery.pollIntervalMs`, never
        /// more often than every 100 ms (a zero interval, which Prometheus cannot run either).
        var refreshIntervalMs: Int64 {
            switch self {
            case .file(let discovery): max(100, min(discovery.config.refreshIntervalMs, FileDiscovery.pollIntervalMs))
            case .http(let config): max(100, config.refreshIntervalMs)
            }
        }

        func groups() async throws -> [TargetGroup] {
            switch self {
            case .file(let discovery): discovery.groups()
            case .http(let config): try await HTTPDiscovery.groups(config)
            }
        }
    }

    private struct State {
        /// Target groups by provider: the static ones first, then `providers` in order.
        var groups: [[TargetGroup]]
        /// When each provider is read next; due at once when the set is made.
        var nextRefresh: [ContinuousClock.Instant]
        var active: [DiscoveredAlertmanager] = []
        var dropped: [DiscoveredAlertmanager] = []
    }

    static let userAgent = "Sugarmill/0.1 (Prometheus compatible)"

    /// - Throws: `NotifierError` when the TLS settings cannot be used (Prometheus's
    ///   `NewClientFromConfig` error, which `ApplyConfig` returns).
    init(config: AlertmanagerConfig, metrics: NotifierMetrics, logger: Logger) throws(NotifierError) {
        self.config = config
        self.metrics = metrics
        self.logger = logger
        fingerprint = Self.fingerprint(config)
        var template = HTTPClientRequest(url: "")
        template.method = .POST
        template.headers.add(name: "User-Agent", value: Self.userAgent)
        template.headers.add(name: "Content-Type", value: "application/json")
        do {
            template.tlsConfiguration = try config.httpClient.tls.clientConfiguration()
        } catch {
            throw NotifierError(error.message)
        }
        requestTemplate = template
        providers = config.fileSDConfigs.map { .file(FileDiscovery($0)) } + config.httpSDConfigs.map { .http($0) }
        let staticGroups = config.staticConfigs.enumerated().map { index, group in
            var group = group
            if group.source.isEmpty { group.source = String(index) }
            return group
        }
        let now = ContinuousClock.now
        state = NIOLockedValueBox(
            State(groups: [staticGroups] + providers.map { _ in [] }, nextRefresh: providers.map { _ in now }))
        rebuild()
    }

    /// The Alertmanagers alerts go to, in discovery order, one per URL.
    var active: [DiscoveredAlertmanager] { state.withLockedValue { $0.active } }

    /// The Alertmanagers `relabel_configs` dropped.
    var dropped: [DiscoveredAlertmanager] { state.withLockedValue { $0.dropped } }

    /// Reads the providers that are due; returns when the next one is.
    func refresh() async -> ContinuousClock.Instant {
        for (index, provider) in providers.enumerated() {
            let due = state.withLockedValue { $0.nextRefresh[index] }
            guard due <= .now else { continue }
            do {
                let groups = try await provider.groups()
                let changed = state.withLockedValue { state in
                    guard state.groups[index + 1] != groups else { return false }
                    state.groups[index + 1] = groups
                    return true
                }
                if changed { rebuild() }
            } catch where !Task.isCancelled {
                logger.error("alertmanager discovery failed", metadata: ["err": "\(error)"])
            } catch {}
            state.withLockedValue { $0.nextRefresh[index] = .now + .milliseconds(provider.refreshIntervalMs) }
        }
        return state.withLockedValue { $0.nextRefresh.min() } ?? .now + .seconds(3600)
    }

    /// Recomputes the Alertmanagers from every provider's groups (Prometheus's `sync`): a group
    /// with a URL for an address is skipped, Alertmanagers are deduplicated by URL, new ones get
    /// their counters at 0 and gone ones lose theirs.
    private func rebuild() {
        let groups = state.withLockedValue { $0.groups }.flatMap { $0 }
        var active: [DiscoveredAlertmanager] = []
        var dropped: [DiscoveredAlertmanager] = []
        for group in groups {
            do throws(NotifierError) {
                let found = try DiscoveredAlertmanager.alertmanagers(in: group, config: config)
                active += found.active
                dropped += found.dropped
            } catch {
                logger.error("Creating discovered Alertmanagers failed", metadata: ["err": "\(error)"])
            }
        }
        var seen: Set<String> = []
        active = active.filter { seen.insert($0.url).inserted }
        let previous = state.withLockedValue { state in
            defer {
                state.active = active
                state.dropped = dropped
            }
            return state.active.map(\.url)
        }
        metrics.track(active.map(\.url))
        metrics.forget(previous.filter { !seen.contains($0) })
    }

    static func fingerprint(_ config: AlertmanagerConfig) -> String {
        func describe(_ step: RelabelConfig) -> String {
            "\(step.sourceLabels)|\(step.separator)|\(step.regexPattern)|\(step.modulus)|\(step.targetLabel)|\(step.replacement)|\(step.action)"
        }
        let parts = [
            "\(config.httpClient)", config.scheme, config.pathPrefix, "\(config.timeoutMs)", config.apiVersion,
            "\(config.staticConfigs)", "\(config.fileSDConfigs)", "\(config.httpSDConfigs)",
        ] + config.relabelConfigs.map { "relabel " + describe($0) } + config.alertRelabelConfigs.map { "alert " + describe($0) }
        return parts.joined(separator: "\u{1F}")
    }
}
