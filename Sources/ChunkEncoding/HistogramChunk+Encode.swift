// Native-histogram samples in time order as chunks, cut as Prometheus's head cuts them
// (`histogramsAppendPreprocessor`, `appendHistogram`, `appendFloatHistogram` in tsdb/head_append.go).

package import MetricModel

extension HistogramChunk {
    /// `samples` (in time order) as histogram chunks (encoding 2), cut as Prometheus's head cuts
    /// them (see ``HistogramChunkCutter``).
    ///
    /// ```swift
    /// HistogramChunk.chunks([(1000, h1), (2000, h2)])   // one chunk, minTime 1000, maxTime 2000
    /// ```
    /// A sample whose timestamp is not after the previous one is dropped, as the head rejects it.
    package static func chunks(
        _ samples: some Sequence<(Int64, Histogram)>, chunkRangeMilliseconds: Int64 = HistogramChunkCutter.defaultChunkRange
    ) -> [ChunkData] {
        HistogramChunkCutter.cut(samples, into: HistogramChunk.self, chunkRange: chunkRangeMilliseconds).map(\.chunkData)
    }
}

extension FloatHistogramChunk {
    /// `samples` (in time order) as float-histogram chunks (encoding 3), cut as Prometheus's head
    /// cuts them (see ``HistogramChunkCutter``).
    package static func chunks(
        _ samples: some Sequence<(Int64, FloatHistogram)>, chunkRangeMilliseconds: Int64 = HistogramChunkCutter.defaultChunkRange
    ) -> [ChunkData] {
        HistogramChunkCutter.cut(samples, into: FloatHistogramChunk.self, chunkRange: chunkRangeMilliseconds).map(\.chunkData)
    }
}

/// When Prometheus's head starts a new histogram chunk (`histogramsAppendPreprocessor`):
///
/// * at the end of the chunk range (2 h by default, aligned to multiples of it);
/// * once a chunk reaches a quarter of the 1024-byte target, its end time is predicted so that the
///   rest of the range fills chunks of about 1024 bytes; it is cut at that time;
/// * at 2048 bytes whatever the prediction says;
/// * but, within a chunk range, not before the chunk holds 10 samples.
///
/// The appender cuts too (counter reset, layout change: ``HistogramAppendResult/newChunk(_:)``);
/// such a chunk gets a fresh end time of the range's end, and, as in Prometheus, keeps the
/// "end time predicted" flag of the chunk before it.
package struct HistogramChunkCutter: Sendable {
    /// Prometheus's default chunk range: 2 hours, in milliseconds.
    package static let defaultChunkRange: Int64 = 7_200_000
    /// `chunkenc.TargetBytesPerHistogramChunk`.
    package static let targetBytes = 1024
    /// `chunkenc.MinSamplesPerHistogramChunk`.
    package static let minSamples = 10

    let chunkRange: Int64
    /// When the open chunk should end.
    var nextAt: Int64 = .min
    /// Whether `nextAt` was predicted from the open chunk's fill rate.
    var endTimePredicted = false

    package init(chunkRange: Int64 = defaultChunkRange) {
        self.chunkRange = chunkRange
    }

    /// The end of the chunk range holding `t` (Prometheus's `rangeForTimestamp`).
    func rangeEnd(_ t: Int64) -> Int64 { (t / chunkRange) &* chunkRange &+ chunkRange }

    /// Whether a sample at `t` starts a new chunk after the open one (which holds at least one
    /// sample); updates the prediction, and on a cut starts the new chunk's range. Call for every
    /// in-order sample before appending it.
    package mutating func startsNewChunk(at t: Int64, chunkMinTime: Int64, chunkMaxTime: Int64, samples: Int, bytes: Int) -> Bool {
        let nextRangeStart = endTimePredicted ? rangeEnd(chunkMinTime) : nextAt
        if !endTimePredicted && bytes >= Self.targetBytes / 4 {
            let ratioToFull = Double(Self.targetBytes) / Double(bytes)
            nextAt = Self.chunkEndTime(start: chunkMinTime, current: chunkMaxTime, max: nextAt, ratioToFull: ratioToFull)
            endTimePredicted = true
        }
        let cut = (t >= nextAt || bytes >= Self.targetBytes * 2) && (samples >= Self.minSamples || t >= nextRangeStart)
        if cut { openedChunk(at: t) }
        return cut
    }

    /// Records that the head opened a new chunk at `t` (`cutNewHeadChunk`): it ends at the range's
    /// end at the latest, and its end time is not predicted yet.
    package mutating func openedChunk(at t: Int64) {
        nextAt = rangeEnd(t)
        endTimePredicted = false
    }

    /// Records a chunk the appender started at `t`: the head sets its end to the range's end but
    /// leaves the prediction flag as it was.
    package mutating func appenderStartedChunk(at t: Int64) {
        nextAt = rangeEnd(t)
    }

    /// Prometheus's `computeChunkEndTime`: the end that splits `[start, max]` into equal chunks,
    /// assuming the samples so far fill `1 / ratioToFull` of one.
    static func chunkEndTime(start: Int64, current: Int64, max: Int64, ratioToFull: Double) -> Int64 {
        let n = Double(max &- start) / (Double(current &- start &+ 1) * ratioToFull)
        if n <= 1 { return max }
        return Int64(Double(start) + Double(max &- start) / n.rounded(.down))
    }

    /// Appends `samples` to chunks of kind `Chunk` the way the head does, returning every chunk.
    static func cut<Chunk: HistogramChunkAppending>(
        _ samples: some Sequence<(Int64, Chunk.Sample)>, into: Chunk.Type, chunkRange: Int64
    ) -> [Chunk] {
        var cutter = HistogramChunkCutter(chunkRange: chunkRange)
        var done: [Chunk] = []
        var open: Chunk?
        for (t, sample) in samples {
            if let completed = cutter.append(t, sample, to: &open).completed { done.append(completed) }
        }
        if let open { done.append(open) }
        return done
    }

    /// Appends one sample the way the head does: to `open` (nil before the series' first chunk),
    /// or to a new chunk when it is time to cut or the sample does not fit, which `open` becomes.
    /// The chunk is taken out of `open` while it is appended to, so that its storage has one owner
    /// and grows in place (a copy left behind made every append copy the chunk's bytes and arrays).
    /// - Returns: whether the sample was appended (not when `t` is not after the open chunk's last
    ///   sample: the head rejects it) and the chunk this append completed, if it did.
    mutating func append<Chunk: HistogramChunkAppending>(
        _ t: Int64, _ sample: Chunk.Sample, to open: inout Chunk?
    ) -> (appended: Bool, completed: Chunk?) {
        var previous: Chunk?
        var chunk: Chunk
        if open != nil {
            chunk = open.take()!
            guard t > chunk.maxTime else {
                open = chunk
                return (false, nil)
            }
            if startsNewChunk(
                at: t, chunkMinTime: chunk.minTime, chunkMaxTime: chunk.maxTime, samples: chunk.count, bytes: chunk.byteCount)
            {
                previous = chunk
                chunk = Chunk()
            }
        } else {
            chunk = Chunk()
            openedChunk(at: t)
        }
        switch chunk.appendSample(t, sample, previous: previous) {
        case .appended, .recoded:
            open = chunk
            return (true, previous)
        case .newChunk(let next):
            appenderStartedChunk(at: t)
            open = next
            return (true, chunk)
        }
    }
}

/// The open native-histogram chunk of a head series: integer (encoding 2) or float (encoding 3)
/// samples, appended and cut as Prometheus's head does (see ``HistogramChunkCutter``). A sample of
/// the other kind completes the chunk and opens one of its own kind.
///
/// ```swift
/// var open = OpenHistogramChunk(chunkRange: 7_200_000)
/// if let completed = open.append(1000, h) { persist(completed) }
/// open.chunkData   // the open chunk's bytes so far
/// ```
package struct OpenHistogramChunk: Sendable {
    // At most one is set. Two optionals rather than an enum: an append borrows the chunk in place
    // (`inout`), where taking it out of an enum payload copied its arrays, a retain each.
    private var integer: HistogramChunk?
    private var float: FloatHistogramChunk?
    private var cutter: HistogramChunkCutter

    package init(chunkRange: Int64 = HistogramChunkCutter.defaultChunkRange) {
        cutter = HistogramChunkCutter(chunkRange: chunkRange)
    }

    /// Samples in the open chunk.
    package var count: Int { integer?.count ?? float?.count ?? 0 }
    /// Timestamp of the oldest sample; `.max` when empty.
    package var minTime: Int64 { integer?.minTime ?? float?.minTime ?? .max }
    /// Timestamp of the newest sample; `.min` when empty.
    package var maxTime: Int64 { integer?.maxTime ?? float?.maxTime ?? .min }

    /// The open chunk as chunk data (a copy of its bytes); nil when empty.
    package var chunkData: ChunkData? {
        if let integer, !integer.isEmpty { return integer.chunkData }
        if let float, !float.isEmpty { return float.chunkData }
        return nil
    }

    /// Appends an integer histogram at `t` (after the open chunk's last sample: not checked here
    /// beyond dropping the sample). Bucket counts must match spans.
    /// - Returns: the chunk this append completed, if it did.
    package mutating func append(_ t: Int64, _ h: Histogram) -> ChunkData? {
        let other = float?.chunkData
        float = nil
        let step = cutter.append(t, h, to: &integer)
        guard step.appended else { return nil }
        return step.completed?.chunkData ?? other
    }

    /// Appends a float histogram at `t` (see ``append(_:_:)-(_,Histogram)``).
    package mutating func append(_ t: Int64, _ h: FloatHistogram) -> ChunkData? {
        let other = integer?.chunkData
        integer = nil
        let step = cutter.append(t, h, to: &float)
        guard step.appended else { return nil }
        return step.completed?.chunkData ?? other
    }
}
