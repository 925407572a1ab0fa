// MemSeries: one series in the head — its labels, completed chunks and the open head chunk.

internal import MetricModel
internal import ChunkEncoding
internal import Synchronization

/// One in-memory series. All mutable state is guarded by the lock of the series' ref stripe.
final class MemSeries: @unchecked Sendable {
    // Safety: every var below is read and written only while holding
    // `Head.refStripes[ref & mask].lock`; `ref`, `labels` are immutable.
    let ref: SeriesRef
    let labels: Labels

    /// Completed chunks, oldest first: in `chunks_head/` when the head has a chunk mapper
    /// (24 bytes of memory each), in memory otherwise or when writing the file failed.
    var chunks: [HeadChunk] = []
    /// The open chunk, or nil before the first sample / right after a cut.
    var headChunk: XORChunk?
    // The two flags and `pendingIndex` sit right after `headChunk` (which ends in three UInt8
    // fields), in what would be alignment padding: the object is 136 bytes, a 144-byte malloc chunk.
    /// Whether a Series record for this series is in the WAL. Guarded by the WAL lock, not the stripe lock.
    var loggedToWAL = false
    /// Set (under the ref stripe lock) when head truncation removed the series; an appender
    /// that finds it set looks the series up again.
    var removed = false
    /// Where, in `pendingOwner`'s list of uncommitted samples, its newest sample for this series is.
    var pendingIndex: UInt32 = 0
    /// The uncommitted appender that last validated a sample for this series (in the 4 bytes of
    /// padding after `pendingIndex`).
    var pendingOwner = PendingOwner.nobody
    /// When the head chunk must be cut (`spec/tsdb-format.md` §3.4).
    var nextAt: Timestamp = .min
    /// The open native-histogram chunk and last histogram, for series that have had histogram
    /// samples; nil for the others (8 bytes per series). At most one of it and `headChunk` holds
    /// samples: a sample of the other kind completes the open chunk.
    var histograms: HistogramHead?

    /// Newest sample's timestamp (`.min` before the first): always the open chunk's last one.
    /// The open chunk is only dropped (head truncation) when older than the head's new minimum,
    /// below which appends are out of bounds anyway. Not stored: 16 bytes per series.
    @inline(__always)
    var lastTimestamp: Timestamp {
        if let open = headChunk, open.count > 0 { return open.maxTime }
        if let histograms, histograms.open.count > 0 { return histograms.open.maxTime }
        // No open chunk yet after a restart that loaded completed chunks from chunks_head/.
        return chunks.last?.maxTime ?? .min
    }

    /// Oldest sample's timestamp, nil before the first.
    var firstTimestamp: Timestamp? {
        if let first = chunks.first { return first.minTime }
        if let open = headChunk, open.count > 0 { return open.minTime }
        if let histograms, histograms.open.count > 0 { return histograms.open.minTime }
        return nil
    }

    /// Whether an open (float or histogram) chunk holds samples.
    var hasOpenChunk: Bool {
        (headChunk?.count ?? 0) > 0 || (histograms?.open.count ?? 0) > 0
    }

    /// Newest sample's value bits (0 before the first).
    @inline(__always)
    var lastValueBits: UInt64 { headChunk?.lastValueBits ?? 0 }

    init(ref: SeriesRef, labels: Labels) {
        self.ref = ref
        self.labels = labels
    }

    /// Prometheus's appendability check (`memSeries.appendable`).
    @inline(__always)
    func appendable(_ t: Timestamp, _ valueBits: UInt64) -> AppendError? {
        if lastTimestamp == .min || t > lastTimestamp { return nil }
        if t < lastTimestamp { return .outOfOrder }
        // Only completed (memory-mapped) chunks: the last value is not at hand; Prometheus calls
        // any sample at or before their end out of order.
        if (headChunk?.count ?? 0) == 0 { return .outOfOrder }
        // Same timestamp: identical value (by bits) is an idempotent re-send, else a duplicate.
        return valueBits == lastValueBits ? nil : .duplicateSampleForTimestamp
    }

    /// Appends a sample already validated. `appended` is false if it was a no-op duplicate or out
    /// of order; `chunkCreated` is true when a new head chunk was cut for it (Prometheus's
    /// `memSeries.append` results, counted in `prometheus_tsdb_head_chunks_created_total`).
    @inline(__always)
    func append(
        _ t: Timestamp, _ v: Double, chunkRange: Int64, mapper: ChunkDiskMapper? = nil
    ) -> (appended: Bool, chunkCreated: Bool) {
        if lastTimestamp != .min && t <= lastTimestamp { return (false, false) }
        if headChunk == nil, let last = histograms?.last, histograms!.open.count > 0, v.bitPattern == StaleNaN.bits {
            // Prometheus's head keeps a stale marker after a histogram in the histogram chunk.
            return append(t, last.staleMarker, chunkRange: chunkRange, mapper: mapper)
        }
        var chunkCreated = false
        if headChunk == nil || t >= nextAt || headChunk!.count >= 2 * Self.samplesPerChunk {
            cutChunk(at: t, chunkRange: chunkRange, mapper: mapper)
            chunkCreated = true
        }
        headChunk!.append(t, v)
        let count = headChunk!.count
        if count == Self.samplesPerChunk / 4 {
            nextAt = Self.computeChunkEndTime(start: headChunk!.minTime, current: t, max: nextAt)
        }
        return (true, chunkCreated)
    }

    static let samplesPerChunk = 120

    private func cutChunk(at t: Timestamp, chunkRange: Int64, mapper: ChunkDiskMapper?) {
        if let open = headChunk, open.count > 0 {
            // In memory until written: without a mapper (tools, backfill), or when the write fails (disk full).
            complete(ChunkData(minTime: open.minTime, maxTime: open.maxTime, encoding: 1, bytes: open.bytes), mapper: mapper)
        }
        if histograms != nil { completeHistogramChunk(mapper: mapper) }
        headChunk = XORChunk()
        nextAt = Self.rangeEnd(t, chunkRange)
    }

    /// Adds a completed chunk, writing it to `chunks_head/` when there is a mapper.
    private func complete(_ chunk: ChunkData, mapper: ChunkDiskMapper?) {
        chunks.append(.memory(chunk))
        if let mapper { mapChunksInMemory(mapper) }
    }

    /// Completes the open histogram chunk, if it holds samples (a float sample follows).
    private func completeHistogramChunk(mapper: ChunkDiskMapper?) {
        guard let histograms, let open = histograms.open.chunkData else { return }
        complete(open, mapper: mapper)
        histograms.open = OpenHistogramChunk(chunkRange: histograms.chunkRange)
    }

    /// Prometheus's appendability check for a native-histogram sample (`appendableHistogram`):
    /// a sample at the newest timestamp is accepted (as a no-op) only when it is the same histogram.
    func appendable(_ t: Timestamp, _ sample: HistogramHead.Last) -> AppendError? {
        if lastTimestamp == .min || t > lastTimestamp { return nil }
        if t < lastTimestamp { return .outOfOrder }
        guard let last = histograms?.last, histograms!.open.count > 0 else { return .outOfOrder }
        return last.isIdentical(to: sample) ? nil : .duplicateSampleForTimestamp
    }

    /// Appends a native-histogram sample already validated (see ``append(_:_:chunkRange:mapper:)``).
    func append(
        _ t: Timestamp, _ sample: HistogramHead.Last, chunkRange: Int64, mapper: ChunkDiskMapper? = nil
    ) -> (appended: Bool, chunkCreated: Bool) {
        if lastTimestamp != .min && t <= lastTimestamp { return (false, false) }
        if let open = headChunk {
            if open.count > 0 {
                complete(ChunkData(minTime: open.minTime, maxTime: open.maxTime, encoding: 1, bytes: open.bytes), mapper: mapper)
            }
            headChunk = nil
        }
        let state = histograms ?? HistogramHead(chunkRange: chunkRange)
        histograms = state
        var chunkCreated = state.open.count == 0
        let completed: ChunkData?
        switch sample {
        case .integer(let h): completed = state.open.append(t, h)
        case .float(let h): completed = state.open.append(t, h)
        }
        if let completed {
            complete(completed, mapper: mapper)
            chunkCreated = true
        }
        state.last = sample
        return (true, chunkCreated)
    }

    /// Writes the completed chunks still in memory to `chunks_head/`, oldest first, stopping at the
    /// first write that fails. The mapped chunks thus stay a prefix of `chunks`: replay relies on
    /// it, skipping the WAL's samples up to the end of a series' last mapped chunk. (Mapping a
    /// newer chunk past one whose write failed lost the older one's samples at the next start.)
    private func mapChunksInMemory(_ mapper: ChunkDiskMapper) {
        var index = chunks.endIndex
        while index > chunks.startIndex, case .memory = chunks[index - 1] { index -= 1 }
        while index < chunks.endIndex, case .memory(let data) = chunks[index] {
            guard
                let ref = try? mapper.write(
                    seriesRef: ref.rawValue, minTime: data.minTime, maxTime: data.maxTime, encoding: data.encoding, data: data.bytes)
            else {
                mapper.writeFailures.add()
                return
            }
            chunks[index] = .mapped(ref: ref, minTime: data.minTime, maxTime: data.maxTime, encoding: data.encoding)
            index += 1
        }
    }

    /// `(t/width)*width + width` with Go's truncating division.
    /// Saturates at `Int64.max` so extreme timestamps never trap.
    static func rangeEnd(_ t: Timestamp, _ width: Int64) -> Timestamp {
        let (end, overflow) = ((t / width) * width).addingReportingOverflow(width)
        return overflow ? .max : end
    }

    /// Prometheus 2.42 `computeChunkEndTime`: aims at 120 samples per chunk at a steady rate.
    /// Extreme timestamps (differences that overflow) keep `max`, never trap.
    static func computeChunkEndTime(start: Timestamp, current: Timestamp, max: Timestamp) -> Timestamp {
        let (span, o1) = max.subtractingReportingOverflow(start)
        let (elapsed, o2) = current.subtractingReportingOverflow(start)
        let (width, o3) = elapsed.addingReportingOverflow(1).partialValue.multipliedReportingOverflow(by: 4)
        if o1 || o2 || o3 || width <= 0 { return max }
        let n = span / width
        if n <= 1 { return max }
        return start + span / n
    }

    /// Whether any chunk overlaps `[minTime, maxTime]` (no chunk bytes read).
    func hasChunks(overlapping minTime: Timestamp, _ maxTime: Timestamp) -> Bool {
        if chunks.contains(where: { $0.maxTime >= minTime && $0.minTime <= maxTime }) { return true }
        if let open = headChunk, open.count > 0, open.maxTime >= minTime, open.minTime <= maxTime { return true }
        // Read in place (`open` copied out would be a retain of each of its arrays).
        if let histograms, histograms.open.count > 0, histograms.open.maxTime >= minTime, histograms.open.minTime <= maxTime {
            return true
        }
        return false
    }

    /// Completed and open chunks overlapping `[minTime, maxTime]`, open chunk copied.
    ///
    /// With `shareOpenChunk` the open chunk's storage is handed out instead of a copy of its
    /// bytes: the stream followed by zero bytes, which readers accept (they stop after the
    /// header's sample count) but which must not be persisted. Copy-on-write keeps the snapshot
    /// intact: an append while a reader still holds it copies the storage first.
    func chunks(
        overlapping minTime: Timestamp, _ maxTime: Timestamp, mapper: ChunkDiskMapper?, shareOpenChunk: Bool = false
    ) throws -> [ChunkData] {
        var result: [ChunkData] = []
        for chunk in chunks where chunk.maxTime >= minTime && chunk.minTime <= maxTime {
            switch chunk {
            case .memory(let data):
                result.append(data)
            case .mapped(let ref, let lo, let hi, let encoding):
                guard let mapper else { throw TSDBError.io("head chunk \(ref) without a chunk mapper") }
                result.append(ChunkData(minTime: lo, maxTime: hi, encoding: encoding, bytes: try mapper.chunk(ref)))
            }
        }
        if let histograms, histograms.open.count > 0, histograms.open.maxTime >= minTime, histograms.open.minTime <= maxTime,
            let data = histograms.open.chunkData
        {
            result.append(data)
        }
        if let open = headChunk, open.count > 0, open.maxTime >= minTime, open.minTime <= maxTime {
            result.append(
                ChunkData(
                    minTime: open.minTime, maxTime: open.maxTime, encoding: 1,
                    bytes: shareOpenChunk ? open.storage : open.bytes))
        }
        return result
    }

    /// Drops every chunk that ends before `minTime` (it is in a block now).
    /// - Returns: how many chunks were dropped, and whether the series can go (nothing is left and
    ///   no appender has a sample pending).
    func truncateChunks(before minTime: Timestamp) -> (removed: Int, empty: Bool) {
        let before = chunks.count
        chunks.removeAll { $0.maxTime < minTime }
        var removed = before - chunks.count
        if let open = headChunk, open.count > 0, open.maxTime < minTime {
            headChunk = nil
            removed += 1
        }
        if let histograms, histograms.open.count > 0, histograms.open.maxTime < minTime {
            self.histograms = nil
            removed += 1
        }
        return (removed, chunks.isEmpty && !hasOpenChunk && pendingOwner == .nobody)
    }

    var numChunks: Int { chunks.count + (hasOpenChunk ? 1 : 0) }
}

/// A completed head chunk: memory-mapped from `chunks_head/` or held in memory.
enum HeadChunk {
    case memory(ChunkData)
    /// `encoding` as stored: 1 XOR, 2 histogram, 3 float histogram.
    case mapped(ref: HeadChunkRef, minTime: Timestamp, maxTime: Timestamp, encoding: UInt8)

    var minTime: Timestamp {
        switch self {
        case .memory(let data): return data.minTime
        case .mapped(_, let minTime, _, _): return minTime
        }
    }

    var maxTime: Timestamp {
        switch self {
        case .memory(let data): return data.maxTime
        case .mapped(_, _, let maxTime, _): return maxTime
        }
    }
}

/// The native-histogram state of a head series: its open histogram chunk and newest histogram.
/// Guarded, as the series, by its ref stripe's lock.
final class HistogramHead: @unchecked Sendable {
    /// A native-histogram sample: integer counts (as scraped) or float counts (as computed).
    enum Last: Sendable {
        case integer(Histogram)
        case float(FloatHistogram)

        /// A stale marker of the same kind.
        var staleMarker: Last {
            switch self {
            case .integer: return .integer(Histogram(sum: StaleNaN.value))
            case .float: return .float(FloatHistogram(sum: StaleNaN.value))
            }
        }

        /// The WAL record type it is logged in.
        var walKind: WALRecordType {
            switch self {
            case .integer(let h): return h.usesCustomBuckets ? .customBucketsHistogramSamples : .histogramSamples
            case .float(let h): return h.usesCustomBuckets ? .customBucketsFloatHistogramSamples : .floatHistogramSamples
            }
        }

        /// Whether the histogram is one the head can store (Prometheus's `Validate`).
        var isValid: Bool {
            switch self {
            case .integer(let h): return (try? h.validate()) != nil
            case .float(let h): return (try? h.validate()) != nil
            }
        }

        /// Same kind and same histogram (Prometheus's `Equals`: counts by bits, hint ignored).
        func isIdentical(to other: Last) -> Bool {
            switch (self, other) {
            case (.integer(let a), .integer(let b)): return a == b
            case (.float(let a), .float(let b)): return a == b
            default: return false
            }
        }
    }

    let chunkRange: Int64
    var open: OpenHistogramChunk
    /// The newest histogram appended (duplicates at its timestamp are compared with it).
    var last: Last?

    init(chunkRange: Int64) {
        self.chunkRange = chunkRange
        open = OpenHistogramChunk(chunkRange: chunkRange)
    }
}

/// The appender with uncommitted samples for a series: a number given to each appender, 4 bytes
/// where an `ObjectIdentifier?` would take 16 of `MemSeries`. Numbers are reused only after 2^32
/// appenders, and a series' owner is cleared when its appender commits or rolls back.
struct PendingOwner: Equatable, Sendable {
    private let number: UInt32

    /// No appender.
    static let nobody = PendingOwner(number: 0)

    private static let counter = Atomic<UInt32>(0)

    private init(number: UInt32) { self.number = number }

    /// A number for a new appender (never `nobody`'s).
    static func next() -> PendingOwner {
        while true {
            let number = counter.wrappingAdd(1, ordering: .relaxed).newValue
            if number != 0 { return PendingOwner(number: number) }
        }
    }
}
