// The notifier's long-running work: the send loop (batches to every Alertmanager, Prometheus's
// `sendLoop` and `sendAll`) and the discovery loop, until cancelled; then the queue is drained.

import AsyncHTTPClient
import Logging
import MetricModel
import NIOConcurrencyHelpers
import Scrape
import Synchronization

extension Notifier {
    /// Sends queued alerts and discovers Alertmanagers until the calling task is cancelled or
    /// `stop()` is called (a `Service`'s `run`; a service wrapping it calls `stop()` on graceful
    /// shutdown, after the rule manager has stopped). Then, with `drainOnShutdown`, what is
    /// queued — and what `send` still queues meanwhile — is sent before it returns; without, it
    /// is counted as dropped.
    ///
    /// Sends in flight are not cut short by the cancellation: each ends by its set's `timeout`.
    ///
    /// - Throws: `NotifierError` when called a second time.
    package func run() async throws {
        let alreadyRan = state.withLockedValue { state in
            defer { state.running = true }
            return state.running
        }
        guard !alreadyRan else { throw NotifierError("the notifier is already running") }
        // Not a child task, so that cancelling `run()` does not cancel the sends and the drain
        // (Prometheus sends with their own timeouts, not the manager's context). Its lifetime
        // stays inside `run()`: it ends when `wakeUps` finishes (`stop()`), and is awaited below.
        let sender = Task { await self.sendLoop() }
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.discoveryLoop() }
                await sender.value
                group.cancelAll()
            }
        } onCancel: {
            stop()
        }
        await clients.shutdown()
        logger.info("Notification manager stopped")
    }

    /// Asks `run()` to finish: no more batches are started but the queue is drained (or
    /// dropped), then `run()` returns (Prometheus's `Stop`). Safe to call more than once, and
    /// before `run()`.
    package func stop() {
        wakeUp.finish()
    }

    private func sendLoop() async {
        for await _ in wakeUps {
            await sendOneBatch()
            if metrics.queueLength.load(ordering: .relaxed) > 0 { wakeUp.yield() }
        }
        if drainOnShutdown {
            logger.info("Draining any remaining notifications...")
            while await sendOneBatch(stoppingWhenEmpty: true) {}
            logger.info("Remaining notifications drained")
        } else {
            let left = state.withLockedValue { state in
                defer {
                    state.queue = []
                    state.stopped = true
                }
                return state.queue.count
            }
            metrics.queueLength.store(0, ordering: .relaxed)
            if left > 0 {
                logger.warning(
                    "Draining remaining notifications on shutdown is disabled, and some notifications have been dropped",
                    metadata: ["count": "\(left)"])
                metrics.dropped.add(left)
            }
        }
    }

    /// Takes up to `maxBatchSize` alerts from the queue and sends them; counts them as dropped
    /// when a set tried did not take them. Returns false when the queue was empty (and then,
    /// with `stoppingWhenEmpty`, marks the notifier stopped in the same step).
    @discardableResult
    private func sendOneBatch(stoppingWhenEmpty: Bool = false) async -> Bool {
        let batch = state.withLockedValue { state -> [NotifierAlert] in
            let count = min(state.queue.count, maxBatchSize)
            let batch = Array(state.queue.prefix(count))
            state.queue.removeFirst(count)
            metrics.queueLength.store(state.queue.count, ordering: .relaxed)
            if batch.isEmpty && stoppingWhenEmpty { state.stopped = true }
            return batch
        }
        guard !batch.isEmpty else { return false }
        if await !sendAll(batch) { metrics.dropped.add(batch.count) }
        return true
    }

    /// Sends `alerts` to every Alertmanager of every set at once (Prometheus 3's `sendAll`): a
    /// set's `alert_relabel_configs` may drop alerts for it (a set left with none, or with no
    /// Alertmanagers, is not tried). True when every set tried took them from at least one of
    /// its Alertmanagers.
    func sendAll(_ alerts: [NotifierAlert]) async -> Bool {
        let begin = ContinuousClock.now
        let sets = state.withLockedValue { $0.sets }
        var shared: [UInt8]?
        var requests: [(set: Int, url: String, body: [UInt8], count: Int)] = []
        var tried: Set<Int> = []
        for (index, set) in sets.enumerated() {
            let alertmanagers = set.active
            guard !alertmanagers.isEmpty else { continue }
            let body: [UInt8]
            let count: Int
            if set.config.alertRelabelConfigs.isEmpty {
                body = shared ?? NotifierAlert.alertmanagerV2Body(alerts)
                count = alerts.count
                shared = body
            } else {
                let relabeled = NotifierAlert.relabeled(alerts, externalLabels: .empty, relabelConfigs: set.config.alertRelabelConfigs)
                guard !relabeled.isEmpty else { continue }
                body = NotifierAlert.alertmanagerV2Body(relabeled)
                count = relabeled.count
            }
            tried.insert(index)
            guard set.config.apiVersion == "v2" else {
                logger.error("Invalid Alertmanager API version, expected one of [v2]", metadata: ["api_version": "\(set.config.apiVersion)"])
                continue
            }
            for alertmanager in alertmanagers { requests.append((index, alertmanager.url, body, count)) }
        }
        let reached = await withTaskGroup(of: Int?.self) { group in
            for request in requests {
                let set = sets[request.set]
                group.addTask {
                    let failed: Bool
                    do throws(NotifierError) {
                        guard let client = self.clients.client(for: set.config.httpClient) else {
                            throw NotifierError("the notifier has stopped")
                        }
                        try await set.post(request.body, to: request.url, using: client)
                        failed = false
                    } catch {
                        self.logger.error(
                            "Error sending alerts",
                            metadata: ["alertmanager": "\(request.url)", "count": "\(request.count)", "err": "\(error)"])
                        failed = true
                    }
                    let elapsed = (ContinuousClock.now - begin).components
                    let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
                    self.metrics.recordSend(to: request.url, count: request.count, failed: failed, seconds: seconds)
                    return failed ? nil : request.set
                }
            }
            var reached: Set<Int> = []
            for await set in group { if let set { reached.insert(set) } }
            return reached
        }
        return tried.isSubset(of: reached)
    }

    /// Reads the discovery providers of every set as they fall due (at least once a second, so
    /// that sets a reload brings in are read promptly), until cancelled: it goes on while the
    /// queue is drained.
    private func discoveryLoop() async {
        while !Task.isCancelled {
            let sets = state.withLockedValue { $0.sets }
            var next = ContinuousClock.now + .seconds(1)
            for set in sets { next = min(next, await set.refresh()) }
            updateDiscoveredCount()
            do { try await Task.sleep(until: next, clock: .continuous) } catch { return }
        }
    }
}
