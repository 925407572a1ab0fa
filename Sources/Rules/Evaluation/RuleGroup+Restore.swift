// Restoring alerts' `for` state after a restart from the `ALERTS_FOR_STATE` series the rules
// wrote before it (Prometheus's `RestoreForState`), so a restart does not reset pending alerts.

import ChunkEncoding
import Logging
package import MetricModel
import Synchronization

extension RuleGroup {
    /// For each alerting rule whose `for` is at least the grace period: reads the last
    /// `ALERTS_FOR_STATE` sample of each alert within the outage tolerance and moves the alert's
    /// active time so the time it spent pending before the restart counts. Every alerting rule
    /// is marked restored afterwards, whatever happened.
    package func restoreForState(at time: Timestamp, context: RuleEvaluationContext) {
        defer { state.withLock { $0.shouldRestore = false } }
        for case .alerting(let rule) in rules {
            guard rule.holdDurationMs >= context.forGracePeriodMs else {
                rule.markRestored()
                continue
            }
            // Equality matchers compile nothing and cannot fail. The raw label templates are
            // matched, as Prometheus matches them.
            let pairs = [(Labels.metricNameLabel, "ALERTS_FOR_STATE"), ("alertname", rule.name)] + rule.labels.map { ($0.name, $0.value) }
            let matchers = pairs.compactMap { try? LabelMatcher(.equal, $0.0, $0.1) }
            let series: [SeriesData]
            do {
                series = try context.storage.select(
                    matchers: matchers, minTime: time - context.outageToleranceMs, maxTime: time, sorted: false)
            } catch {
                context.logger.error(
                    "Failed to restore 'for' state", metadata: ["alertname": "\(rule.name)", "stage": "Select", "err": "\(error)"])
                rule.markRestored()
                continue
            }
            var lastSamples: [Labels: (timestamp: Timestamp, value: Double)] = [:]
            for data in series {
                var iterator = SeriesSampleIterator(data.chunks, minTime: time - context.outageToleranceMs, maxTime: time)
                var last: (timestamp: Timestamp, value: Double)?
                while iterator.next() { last = (iterator.timestamp, iterator.value) }
                if let error = iterator.error {
                    context.logger.error(
                        "Failed to restore 'for' state",
                        metadata: ["alertname": "\(rule.name)", "stage": "Iterator", "err": "\(error)"])
                    continue
                }
                if let last { lastSamples[data.labels.droppingMetricName()] = last }
            }
            rule.restore(lastSamples: lastSamples, at: time, forGracePeriodMs: context.forGracePeriodMs)
        }
    }
}
