// QueueManager: one remote_write endpoint. Reads what was stored from the WAL, relabels, batches,
// shards, sends with retries, and records how far it got (Prometheus's storage/remote QueueManager
// and wlog.Watcher, in rounds that end with a saved position).

package import Logging
package import MetricModel
package import Relabel
package import Scrape
internal import Snappy
internal import Remote
internal import TSDB
internal import Synchronization

/// Forwards the samples appended to one database's WAL to one remote-write endpoint.
///
/// Work goes in rounds: read WAL records until about `max_shards × max_samples_per_send` samples
/// are pending (or, once caught up, until `batch_send_deadline` has passed since the first), split
/// them over shards by series, send every shard's batches in parallel (each retried on 5xx, 429
/// when allowed, and network errors, with exponential backoff), then save the WAL position reached.
/// A restart resumes from the last saved position, so what was stored but not yet acknowledged is
/// sent (again, at worst) rather than lost. The very first start begins at the WAL's end.
package final class QueueManager: Sendable {
    package let config: RemoteWriteConfig
    package let metrics: SenderMetrics
    let walDirectory: String
    let progress: RemoteWriteProgress
    let externalLabels: Labels
    let logger: Logger
    let client: RemoteWriteClient
    /// How often the WAL is looked at once everything has been read.
    let pollIntervalMs: Int64

    package init(
        config: RemoteWriteConfig, walDirectory: String, progressDirectory: String, externalLabels: Labels,
        logger: Logger, pollIntervalMs: Int64 = 1_000
    ) throws(ScrapeError) {
        self.config = config
        self.walDirectory = walDirectory
        self.externalLabels = externalLabels
        self.logger = logger
        self.pollIntervalMs = pollIntervalMs
        metrics = SenderMetrics(
            remoteName: config.displayName, url: config.url, maxShards: config.queue.maxShards, minShards: config.queue.minShards,
            shardCapacity: config.queue.capacity, maxSamplesPerSend: config.queue.maxSamplesPerSend)
        progress = RemoteWriteProgress(directory: progressDirectory, name: config.displayName, url: config.url)
        client = try RemoteWriteClient(config: config)
    }

    /// Runs until the task is cancelled; what was read but not acknowledged is read again next time.
    package func run() async {
        let labels = SeriesTable(externalLabels: externalLabels, relabel: config.writeRelabelConfigs)
        var watcher: WALWatcher?
        while !Task.isCancelled && watcher == nil {
            do {
                watcher = try WALWatcher(directory: walDirectory, from: progress.load()) { labels.define($0) }
            } catch {
                logger.error("remote write cannot open the WAL", metadata: ["remote_name": "\(metrics.remoteName)", "err": "\(error)"])
                try? await Task.sleep(for: .seconds(5))
            }
        }
        guard let watcher else { return }
        metrics.following.store(true, ordering: .relaxed)
        logger.info(
            "remote write started", metadata: ["remote_name": "\(metrics.remoteName)", "url": "\(config.url)", "from": "\(watcher.position)"])
        let budget = config.queue.maxShards * config.queue.maxSamplesPerSend
        var pending: [PendingSample] = []
        var firstPendingAt: ContinuousClock.Instant?
        while !Task.isCancelled {
            let before = pending.count
            do {
                try watcher.poll(while: { record, _ in
                    switch record {
                    case .series(let series): labels.define(series)
                    case .samples(let samples):
                        for s in samples { pending.append(PendingSample(ref: s.ref.rawValue, timestamp: s.timestamp, value: s.value)) }
                    case .histogramSamples(let samples):
                        for s in samples {
                            pending.append(
                                PendingSample(ref: s.ref.rawValue, timestamp: s.timestamp, value: 0, histogram: PendingHistogram(.integer(s.histogram))))
                        }
                    case .floatHistogramSamples(let samples):
                        for s in samples {
                            pending.append(
                                PendingSample(ref: s.ref.rawValue, timestamp: s.timestamp, value: 0, histogram: PendingHistogram(.float(s.histogram))))
                        }
                    default: break
                    }
                    return pending.count < budget
                })
            } catch {
                logger.error("remote write cannot read the WAL", metadata: ["remote_name": "\(metrics.remoteName)", "err": "\(error)"])
            }
            let skipped = watcher.segmentsSkipped - metrics.segmentsSkipped.current
            if skipped > 0 {
                metrics.segmentsSkipped.add(skipped)
                logger.warning(
                    "WAL segments were deleted before remote write sent them",
                    metadata: ["remote_name": "\(metrics.remoteName)", "segments": "\(skipped)"])
            }
            if pending.count > before && firstPendingAt == nil { firstPendingAt = ContinuousClock.now }
            metrics.samplesPending.store(pending.count, ordering: .relaxed)
            let deadlinePassed = firstPendingAt.map { ContinuousClock.now - $0 >= .milliseconds(config.queue.batchSendDeadlineMs) } ?? false
            if pending.count >= budget || (!pending.isEmpty && (deadlinePassed || pending.count >= config.queue.maxSamplesPerSend)) {
                // A round sent in full is recorded even when stopping: otherwise a shutdown right
                // after it would send it again at the next start.
                let complete = await sendRound(pending, labels)
                if !complete { return }
                do { try progress.save(watcher.position) } catch {
                    logger.error("remote write cannot save its position", metadata: ["remote_name": "\(metrics.remoteName)", "err": "\(error)"])
                }
                pending.removeAll(keepingCapacity: true)
                firstPendingAt = nil
                metrics.samplesPending.store(0, ordering: .relaxed)
                if Task.isCancelled { return }
                continue
            }
            if pending.count == before {
                try? await Task.sleep(for: .milliseconds(pollIntervalMs))
            }
        }
    }

    package func shutdown() async {
        await client.shutdown()
    }
}

/// A sample read from the WAL, waiting to be sent.
struct PendingSample {
    var ref: UInt64
    var timestamp: Timestamp
    var value: Double
    /// A native histogram instead of `value` (boxed: float samples stay 32 bytes).
    var histogram: PendingHistogram?
}

/// A native-histogram sample read from the WAL, to send as remote write's `Histogram` message.
final class PendingHistogram: Sendable {
    let value: DecodedHistogram.Value

    init(_ value: DecodedHistogram.Value) { self.value = value }
}

/// The series of the WAL by ref, as they are sent: external labels added where missing, then
/// `write_relabel_configs` applied (nil: dropped).
final class SeriesTable: @unchecked Sendable {
    // Safety: used by one queue manager's run loop at a time; the send tasks only read it after
    // the loop has finished defining series for the round.
    private var byRef: [UInt64: [(String, String)]?] = [:]
    let externalLabels: Labels
    let relabel: [RelabelConfig]

    init(externalLabels: Labels, relabel: [RelabelConfig]) {
        self.externalLabels = externalLabels
        self.relabel = relabel
    }

    func define(_ series: [WALSeries]) {
        for s in series {
            var labels = s.labels
            if !externalLabels.isEmpty {
                var builder = LabelsBuilder(labels)
                for (name, value) in externalLabels.pairs where labels[name] == nil { builder.set(name, value) }
                labels = builder.labels()
            }
            let kept = relabel.isEmpty ? labels : labels.relabeled(relabel)
            byRef[s.ref.rawValue] = kept.map { $0.pairs.map { ($0.name, $0.value) } }
        }
    }

    /// The labels to send for `ref`: `.some(nil)` when relabeling dropped it, nil when unknown.
    func labels(_ ref: UInt64) -> [(String, String)]?? { byRef[ref] }
}
