// Restoring the head from the WAL at start, repairing a torn or corrupt tail.

internal import MetricModel
internal import Logging
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif
internal import Synchronization

extension DB {
    /// Replays `wal/` (newest checkpoint, then segments) into the head.
    ///
    /// A corruption ends the replay at the last good record; the tail is then truncated and the
    /// corruption counted and logged. Only an I/O error makes this throw.
    func replayWAL(_ walDirectory: URL, mappedChunks: [UInt64: [HeadChunk]] = [:]) throws {
        guard FileManager.default.fileExists(atPath: walDirectory.path) else { return }
        let head = self.head
        let chunkRange = head.chunkRange
        let mapper = head.chunkMapper
        // Series records may repeat a label set under a new ref (as in Prometheus); map both refs.
        var byRef: [UInt64: MemSeries] = [:]
        var unknownRefs = 0
        var applied = 0
        var minTime = Timestamp.max
        var maxTime = Timestamp.min
        let started = Date()
        let minValid = head.minValidTime.load(ordering: .relaxed)
        var skipped = 0
        var chunksCreated = 0
        var inMappedChunks = 0
        var mappedAttached = 0
        let segments = (try? WALDirectory.segments(in: walDirectory.path)) ?? []
        walReplayStatus = WALReplayStatus(min: segments.first ?? 0, max: segments.last ?? 0, current: segments.first ?? 0)
        var invalidHistograms = 0
        /// Histogram samples, checked as the appender checks them: a record from another writer
        /// could hold one whose buckets do not match its spans, which the chunk cannot take.
        func replayHistogram(_ ref: SeriesRef, _ t: Timestamp, _ sample: HistogramHead.Last) {
            if t < minValid {
                skipped += 1
                return
            }
            guard let series = byRef[ref.rawValue] else {
                unknownRefs += 1
                return
            }
            if !series.hasOpenChunk, let end = series.chunks.last?.maxTime, t <= end {
                inMappedChunks += 1
                return
            }
            guard sample.isValid else {
                invalidHistograms += 1
                return
            }
            let stripe = head.refStripe(series.ref)
            let (ok, chunkCreated) = stripe.lock.withLock {
                series.append(t, sample, chunkRange: chunkRange, mapper: mapper)
            }
            if chunkCreated { chunksCreated += 1 }
            if ok {
                applied += 1
                minTime = Swift.min(minTime, t)
                maxTime = Swift.max(maxTime, t)
            }
        }
        let result = try WAL.replay(directory: walDirectory.path) { record in
            switch record {
            case .series(let list):
                for entry in list {
                    let (series, created) = head.getOrCreate(labels: entry.labels, ref: entry.ref)
                    series.loggedToWAL = true
                    byRef[entry.ref.rawValue] = series
                    if created, series.ref == entry.ref, let chunks = mappedChunks[entry.ref.rawValue] {
                        series.chunks = chunks
                        mappedAttached += chunks.count
                        head.updateTimeRange(minTime: chunks[0].minTime, maxTime: chunks[chunks.count - 1].maxTime)
                    }
                }
            case .samples(let list):
                for sample in list {
                    if sample.timestamp < minValid {
                        // Already persisted in a block (a crash between block write and WAL checkpoint).
                        skipped += 1
                        continue
                    }
                    guard let series = byRef[sample.ref.rawValue] else {
                        unknownRefs += 1
                        continue
                    }
                    if !series.hasOpenChunk, let end = series.chunks.last?.maxTime, sample.timestamp <= end {
                        // Already in a completed chunk loaded from chunks_head/.
                        inMappedChunks += 1
                        continue
                    }
                    // Replay is single-threaded and nothing else runs yet, but take the lock for clarity.
                    let stripe = head.refStripe(series.ref)
                    let (ok, chunkCreated) = stripe.lock.withLock {
                        series.append(sample.timestamp, sample.value, chunkRange: chunkRange, mapper: mapper)
                    }
                    if chunkCreated { chunksCreated += 1 }
                    if ok {
                        applied += 1
                        if sample.timestamp < minTime { minTime = sample.timestamp }
                        if sample.timestamp > maxTime { maxTime = sample.timestamp }
                    }
                }
            case .histogramSamples(let list):
                for sample in list { replayHistogram(sample.ref, sample.timestamp, .integer(sample.histogram)) }
            case .floatHistogramSamples(let list):
                for sample in list { replayHistogram(sample.ref, sample.timestamp, .float(sample.histogram)) }
            case .tombstones(let list):
                // Admin deletes (Prometheus's loadWAL): intervals of known series still in the head.
                for stone in list where stone.maxTime >= minValid && stone.minTime <= stone.maxTime {
                    guard let series = byRef[stone.ref.rawValue] else {
                        unknownRefs += 1
                        continue
                    }
                    head.tombstones.add(ref: series.ref.rawValue, stone.minTime...stone.maxTime)
                }
            case .unknown:
                // Other record kinds are skipped as Prometheus 2.42 does.
                break
            }
        }
        walReplayStatus.current = walReplayStatus.max
        if applied > 0 { head.updateTimeRange(minTime: minTime, maxTime: maxTime) }
        metrics.walReplayedSamples.add(applied)
        metrics.walUnknownRefs.add(unknownRefs)
        metrics.walSkippedOldSamples.add(skipped)
        metrics.mmappedChunksLoaded.add(mappedAttached)
        // Prometheus counts the chunks attached from chunks_head/ as created, like those cut at replay.
        metrics.headChunksCreated.add(mappedAttached + chunksCreated)
        if invalidHistograms > 0 {
            logger.warning("WAL replay skipped invalid native histograms", metadata: ["tsdb.wal.histograms": "\(invalidHistograms)"])
        }
        for warning in result.warnings {
            logger.warning("WAL replay warning", metadata: ["tsdb.wal.warning": "\(warning)"])
        }
        if let corruption = result.corruption {
            metrics.walCorruptions.add()
            logger.warning(
                "WAL corruption found, truncating to the last good record",
                metadata: [
                    "tsdb.wal.segment": "\(corruption.segment)", "tsdb.wal.offset": "\(corruption.offset)",
                    "tsdb.wal.reason": "\(corruption.reason)",
                ])
            if !options.readOnly {
                try WAL.repair(corruption)
                metrics.walRepairs.add()
            }
        }
        logger.info(
            "WAL replay completed",
            metadata: [
                "tsdb.wal.samples": "\(applied)", "tsdb.wal.series": "\(head.numSeries)",
                "tsdb.chunks_head.chunks": "\(mappedAttached)", "tsdb.chunks_head.samples_skipped": "\(inMappedChunks)",
                "tsdb.wal.unknown_refs": "\(unknownRefs)", "duration": "\(Date().timeIntervalSince(started))s",
            ])
    }
}

/// The WAL segments a replay reads, first to last, and the one it has reached: Prometheus's
/// `WALReplayStatus`. Replay ends before the server answers, so `current` is `max` by then.
package struct WALReplayStatus: Sendable, Equatable {
    package var min = 0
    package var max = 0
    package var current = 0

    package init(min: Int = 0, max: Int = 0, current: Int = 0) {
        self.min = min
        self.max = max
        self.current = current
    }
}

extension DB {
    /// The completed chunks in chunks_head/ by series ref, oldest first (XOR and native-histogram
    /// ones), leaving out those that end before `minValidTime` (already in a block) and any other
    /// encoding (out-of-order chunks, which this head does not hold).
    ///
    /// - Returns: the chunks, and whether some overlapped others of their series and were left out
    ///   (Prometheus's "out of sequence m-mapped chunk": a corruption, for which it drops them all).
    static func loadMappedChunks(
        _ mapper: ChunkDiskMapper, minValidTime: Timestamp
    ) throws -> (chunks: [UInt64: [HeadChunk]], overlapping: Bool) {
        var bySeries: [UInt64: [HeadChunk]] = [:]
        try mapper.iterateChunks { seriesRef, ref, minTime, maxTime, encoding, numSamples in
            guard (1...3).contains(encoding), numSamples > 0, maxTime >= minValidTime, minTime <= maxTime else { return }
            bySeries[seriesRef, default: []].append(.mapped(ref: ref, minTime: minTime, maxTime: maxTime, encoding: encoding))
        }
        var overlapping = false
        for key in bySeries.keys {
            bySeries[key]!.sort { $0.minTime < $1.minTime }
            // Overlapping chunks cannot come from one head; keep a strictly increasing run.
            var kept: [HeadChunk] = []
            for chunk in bySeries[key]! where kept.last.map({ $0.maxTime < chunk.minTime }) ?? true {
                kept.append(chunk)
            }
            if kept.count < bySeries[key]!.count { overlapping = true }
            bySeries[key] = kept
        }
        return (bySeries, overlapping)
    }
}
