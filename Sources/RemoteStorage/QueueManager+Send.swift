// QueueManager+Send: one round's samples split over shards, encoded in batches, sent with retries.

internal import Logging
internal import MetricModel
internal import Remote
internal import Scrape
internal import Snappy
internal import Synchronization
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

extension QueueManager {
    /// Shards for `count` samples: one per `max_samples_per_send`, within `min_shards…max_shards`.
    func shardCount(for count: Int) -> Int {
        let wanted = (count + config.queue.maxSamplesPerSend - 1) / config.queue.maxSamplesPerSend
        return min(max(wanted, config.queue.minShards), config.queue.maxShards)
    }

    /// Sends `samples`: shard by series (so each series' samples stay in order), batches of
    /// `max_samples_per_send` per shard one after another, shards in parallel. Returns when every
    /// batch is stored or given up (permanent errors): true; or when cancelled first: false.
    func sendRound(_ samples: [PendingSample], _ table: SeriesTable) async -> Bool {
        let shards = shardCount(for: samples.count)
        metrics.shards.store(shards, ordering: .relaxed)
        let oldest = Int64(Date().timeIntervalSince1970 * 1000) - config.queue.sampleAgeLimitMs
        var perShard = [[PendingSample]](repeating: [], count: shards)
        var dropped = 0
        for sample in samples {
            guard let known = table.labels(sample.ref), known != nil else {
                dropped += 1  // dropped by relabeling, or a series the WAL never defined
                continue
            }
            if config.queue.sampleAgeLimitMs > 0 && sample.timestamp < oldest {
                dropped += 1
                continue
            }
            perShard[Int(sample.ref % UInt64(shards))].append(sample)
        }
        metrics.samplesDropped.add(dropped)
        return await withTaskGroup(of: Bool.self) { group in
            for shard in perShard where !shard.isEmpty {
                group.addTask {
                    var start = 0
                    while start < shard.count {
                        let end = min(start + self.config.queue.maxSamplesPerSend, shard.count)
                        guard !Task.isCancelled, await self.sendBatch(shard[start..<end], table) else { return false }
                        start = end
                    }
                    return true
                }
            }
            var complete = true
            for await shardComplete in group { complete = complete && shardComplete }
            return complete
        }
    }

    /// Encodes one batch (series in first-seen order, each with its samples) and sends it until it
    /// is stored or rejected (true), or the task is cancelled first (false).
    func sendBatch(_ batch: ArraySlice<PendingSample>, _ table: SeriesTable) async -> Bool {
        var order: [UInt64] = []
        var bySeries: [UInt64: (samples: [Sample], histograms: [(Timestamp, DecodedHistogram.Value)])] = [:]
        var highest: Int64 = 0
        for sample in batch {
            if bySeries[sample.ref] == nil { order.append(sample.ref) }
            if let histogram = sample.histogram {
                bySeries[sample.ref, default: ([], [])].histograms.append((sample.timestamp, histogram.value))
            } else {
                bySeries[sample.ref, default: ([], [])].samples.append(Sample(sample.timestamp, sample.value))
            }
            highest = max(highest, sample.timestamp)
        }
        let series = order.map { ref in
            (labels: (table.labels(ref) ?? nil) ?? [], samples: bySeries[ref]!.samples, histograms: bySeries[ref]!.histograms)
        }
        let protobuf =
            config.protobufMessage == "io.prometheus.write.v2.Request"
            ? WriteRequest.encodeV2(series.map { V2Series(labels: $0.labels, samples: $0.samples, histograms: $0.histograms) })
            : WriteRequest.encode(series)
        let body = Snappy.compress(protobuf)
        var backoffMs = config.queue.minBackoffMs
        var attempt = 0
        while !Task.isCancelled {
            let started = ContinuousClock.now
            // Each try is a span of its own (a new trace: the batch serves no request), as in Prometheus.
            let outcome = await Spans.withSpan("Remote Send Batch") { span in
                span.set("request_size", body.count)
                span.set("samples", batch.count)
                span.set("try", attempt)
                span.set("remote_name", metrics.remoteName)
                span.set("remote_url", config.url)
                let outcome = await client.send(body, attempt: attempt)
                switch outcome {
                case .stored: break
                case .rejected(let reason), .retry(let reason, _): span.fail(reason)
                }
                return outcome
            }
            let elapsed = ContinuousClock.now - started
            metrics.batchDuration.observe(Int(elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000))
            switch outcome {
            case .stored:
                metrics.samplesSent.add(batch.count)
                metrics.bytesSent.add(body.count)
                var current = metrics.highestSentTimestamp.load(ordering: .relaxed)
                while highest > current {
                    let (exchanged, now) = metrics.highestSentTimestamp.compareExchange(
                        expected: current, desired: highest, ordering: .relaxed)
                    if exchanged { break }
                    current = now
                }
                return true
            case .rejected(let reason):
                metrics.samplesFailed.add(batch.count)
                logger.error(
                    "remote write batch rejected; its samples are dropped",
                    metadata: ["remote_name": "\(metrics.remoteName)", "samples": "\(batch.count)", "err": "\(reason)"])
                return true
            case .retry(let reason, let retryAfterMs):
                metrics.samplesRetried.add(batch.count)
                if attempt == 0 || attempt % 10 == 0 {
                    logger.warning(
                        "remote write failed, retrying",
                        metadata: ["remote_name": "\(metrics.remoteName)", "attempt": "\(attempt + 1)", "err": "\(reason)"])
                }
                let wait = max(backoffMs, retryAfterMs ?? 0)
                try? await Task.sleep(for: .milliseconds(wait))
                backoffMs = min(backoffMs * 2, config.queue.maxBackoffMs)
                attempt += 1
            }
        }
        return false
    }
}
