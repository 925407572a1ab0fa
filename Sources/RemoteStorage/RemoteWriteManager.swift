// RemoteWriteManager: the queue managers of the `remote_write` section in force, started, kept or
// replaced on each config load, stopped at shutdown.

package import Logging
package import MetricModel
package import Scrape
internal import Synchronization

/// Runs one ``QueueManager`` per `remote_write` entry of the config in force.
///
/// ```swift
/// let manager = RemoteWriteManager(walDirectory: "data/wal", progressDirectory: "data/remote_write", logger: logger)
/// await manager.apply(config)   // on every config load
/// await manager.shutdown()
/// ```
/// Each queue runs in a task it owns (as scrape loops do): a queue whose settings did not change
/// keeps running across a reload; a changed or removed one is stopped, its position saved as of
/// its last completed round.
package final class RemoteWriteManager: Sendable {
    let walDirectory: String
    let progressDirectory: String
    let logger: Logger
    private let running = Mutex<[String: (queue: QueueManager, task: Task<Void, Never>, key: String)]>([:])

    package init(walDirectory: String, progressDirectory: String, logger: Logger) {
        self.walDirectory = walDirectory
        self.progressDirectory = progressDirectory
        self.logger = logger
    }

    /// Starts, keeps or stops queues to match `config.remoteWrite`.
    package func apply(_ config: PrometheusConfig) async {
        var wanted: [String: (RemoteWriteConfig, String)] = [:]
        for rw in config.remoteWrite {
            wanted[rw.displayName] = (rw, Self.key(rw, config.global.externalLabels))
        }
        let stopping = running.withLock { running in
            var stopping: [(queue: QueueManager, task: Task<Void, Never>, key: String)] = []
            for (name, entry) in running where wanted[name]?.1 != entry.key {
                stopping.append(entry)
                running[name] = nil
            }
            return stopping
        }
        for entry in stopping {
            entry.task.cancel()
            await entry.task.value
            await entry.queue.shutdown()
        }
        for (name, (rw, key)) in wanted where running.withLock({ $0[name] == nil }) {
            do {
                let queue = try QueueManager(
                    config: rw, walDirectory: walDirectory, progressDirectory: progressDirectory,
                    externalLabels: config.global.externalLabels, logger: logger)
                let task = Task { await queue.run() }
                running.withLock { $0[name] = (queue, task, key) }
            } catch {
                logger.error("remote write cannot start", metadata: ["remote_name": "\(name)", "err": "\(error)"])
            }
        }
    }

    /// Stops every queue.
    package func shutdown() async {
        let all = running.withLock { running in
            let all = Array(running.values)
            running.removeAll()
            return all
        }
        for entry in all {
            entry.task.cancel()
            await entry.task.value
            await entry.queue.shutdown()
        }
    }

    /// The running queues' metrics.
    package var metrics: [SenderMetrics] { running.withLock { $0.values.map(\.queue.metrics) } }

    /// What makes a queue's settings the same across reloads.
    static func key(_ rw: RemoteWriteConfig, _ external: Labels) -> String {
        "\(rw.url)|\(rw.remoteTimeoutMs)|\(rw.headers.map { "\($0.name)=\($0.value)" })|\(rw.protobufMessage)|\(rw.queue)|"
            + "\(rw.httpClient)|\(rw.writeRelabelConfigs.count)|\(rw.writeRelabelConfigs.map { "\($0)" })|\(external)"
    }
}
