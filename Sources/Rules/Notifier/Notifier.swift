// The notifier (Prometheus's `notifier.Manager`, as released in 3.x): alerts from the rule manager
// are queued, given the external labels and alert relabeling, and sent in batches to every
// discovered Alertmanager. Sending and discovery run in `run()` (Notifier+Run).

import Logging
package import MetricModel
import NIOConcurrencyHelpers
import Relabel
package import Scrape
import Synchronization

/// Sends alerts to Alertmanagers.
///
/// ```swift
/// let notifier = Notifier(options: NotifierOptions(logger: logger))
/// try notifier.applyConfig(config.alerting, externalLabels: config.global.externalLabels)
/// async let running: Void = notifier.run()        // until stop() or its task is cancelled
/// notifier.send([NotifierAlert(labels: Labels(["alertname": "Down"]), startsAt: now)])
/// notifier.stop()                                 // sends what is queued, then run() returns
/// ```
///
/// Alerts wait in one queue of `queueCapacity` (the oldest dropped for newer ones when full); each
/// batch goes to every Alertmanager of every set at once, and counts as sent when each set that
/// was tried took it from at least one of its Alertmanagers (else it is counted as dropped). No
/// retries: the rule manager sends firing alerts again every `--rules.alert.resend-delay`.
/// Thread-safety: all methods may be called concurrently; `run()` runs once.
package final class Notifier: Sendable {
    package let metrics: NotifierMetrics
    let logger: Logger
    let maxBatchSize: Int
    let drainOnShutdown: Bool
    private let queueCapacity: Int
    let state: NIOLockedValueBox<State>
    /// Wakes the send loop when alerts are queued (holds at most one wake-up, as Prometheus's
    /// `more` channel); finished when the notifier stops.
    let wakeUps: AsyncStream<Void>
    let wakeUp: AsyncStream<Void>.Continuation
    let clients = NotifierClients()

    struct State {
        var queue: [NotifierAlert] = []
        var externalLabels: Labels
        var alertRelabelConfigs: [RelabelConfig]
        /// The sets of `alertmanagers`, in config order.
        var sets: [AlertmanagerSet] = []
        var running = false
        /// The send loop has ended: nothing queued from now on would be sent.
        var stopped = false
    }

    package init(options: NotifierOptions) {
        logger = options.logger
        maxBatchSize = options.effectiveBatchSize
        drainOnShutdown = options.drainOnShutdown
        let queueCapacity = max(0, options.queueCapacity)
        self.queueCapacity = queueCapacity
        metrics = NotifierMetrics(queueCapacity: queueCapacity)
        state = NIOLockedValueBox(State(externalLabels: options.externalLabels, alertRelabelConfigs: options.alertRelabelConfigs))
        (wakeUps, wakeUp) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues `alerts`: the external labels an alert lacks are added, `alert_relabel_configs`
    /// applied (dropped alerts are gone, uncounted), and when the queue is full the oldest
    /// queued alerts make room (counted in `prometheus_notifications_dropped_total`).
    ///
    /// Never blocks on the network. After the notifier has stopped, alerts are ignored.
    package func send(_ alerts: [NotifierAlert]) {
        let (externalLabels, relabelConfigs, stopped) = state.withLockedValue {
            ($0.externalLabels, $0.alertRelabelConfigs, $0.stopped)
        }
        guard !stopped else { return }
        var queued = NotifierAlert.relabeled(alerts, externalLabels: externalLabels, relabelConfigs: relabelConfigs)[...]
        guard !queued.isEmpty else { return }
        // Queue capacity should be much larger than one batch; if not, the batch's oldest go.
        let overBatch = max(0, queued.count - queueCapacity)
        queued = queued.suffix(queueCapacity)
        let overQueue = state.withLockedValue { state in
            let excess = max(0, state.queue.count + queued.count - queueCapacity)
            state.queue.removeFirst(excess)
            state.queue += queued
            metrics.queueLength.store(state.queue.count, ordering: .relaxed)
            return excess
        }
        if overBatch > 0 {
            logger.warning("Alert batch larger than queue capacity, dropping alerts", metadata: ["num_dropped": "\(overBatch)"])
        }
        if overQueue > 0 {
            logger.warning("Alert notification queue full, dropping alerts", metadata: ["num_dropped": "\(overQueue)"])
        }
        metrics.dropped.add(overBatch + overQueue)
        wakeUp.yield()
    }

    /// Applies a (re)loaded `alerting:` section and the global external labels. A set whose
    /// config is unchanged keeps its Alertmanagers and discovery; new sets know their static
    /// targets at once and discover the others within a second of `run()`'s next look.
    ///
    /// - Throws: `NotifierError` when a set's HTTP client options cannot be used (unreadable
    ///   TLS files); the previous config then stays in force.
    package func applyConfig(_ config: AlertingConfig, externalLabels: Labels) throws {
        let previous = state.withLockedValue { $0.sets }
        var sets: [AlertmanagerSet] = []
        for alertmanagerConfig in config.alertmanagers {
            let fingerprint = AlertmanagerSet.fingerprint(alertmanagerConfig)
            let unchanged = previous.first { old in old.fingerprint == fingerprint && !sets.contains { $0 === old } }
            if let unchanged {
                sets.append(unchanged)
            } else {
                sets.append(try AlertmanagerSet(config: alertmanagerConfig, metrics: metrics, logger: logger))
            }
        }
        state.withLockedValue { state in
            state.sets = sets
            state.externalLabels = externalLabels
            state.alertRelabelConfigs = config.alertRelabelConfigs
        }
        let kept = Set(sets.flatMap { $0.active.map(\.url) })
        for removed in previous where !sets.contains(where: { $0 === removed }) {
            metrics.forget(removed.active.map(\.url).filter { !kept.contains($0) })
        }
        updateDiscoveredCount()
    }

    /// The URLs of the Alertmanagers alerts go to, and of those `relabel_configs` dropped, set
    /// by set in config order (for `/api/v1/alertmanagers`).
    package func alertmanagers() -> (active: [String], dropped: [String]) {
        let sets = state.withLockedValue { $0.sets }
        return (sets.flatMap { $0.active.map(\.url) }, sets.flatMap { $0.dropped.map(\.url) })
    }

    /// Sets `prometheus_notifications_alertmanagers_discovered`.
    func updateDiscoveredCount() {
        let count = state.withLockedValue { $0.sets }.reduce(0) { $0 + $1.active.count }
        metrics.alertmanagersDiscovered.store(count, ordering: .relaxed)
    }
}
