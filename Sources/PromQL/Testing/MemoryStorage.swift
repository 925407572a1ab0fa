// MemoryStorage: an in-memory Querier over series of floats and native histograms, encoded
// into chunks the way the head does (XOR chunks of at most 120 samples; float-histogram chunks
// cut as Prometheus cuts them). Holds the data of promqltest scripts; engine unit tests can use
// it directly.

package import MetricModel
internal import ChunkEncoding

/// In-memory series for tests: append samples, then query through ``Querier``.
///
/// A value type: an `Engine` built on it sees a snapshot, and later appends do not change it.
///
/// ```swift
/// var storage = MemoryStorage()
/// try storage.append(Labels(["__name__": "up"]), [Sample(0, 1), Sample(60_000, 0)])
/// let engine = Engine(querier: storage)
/// ```
///
/// Native histograms are appended with ``append(_:values:)``; they are stored in float-histogram
/// chunks (encoding 3), so they read back with the counter-reset hints Prometheus's chunks give.
package struct MemoryStorage: Querier, Sendable {
    /// Samples per chunk before a new one is cut, as Prometheus's head does.
    package static let samplesPerChunk = 120

    struct Series: Sendable {
        var labels: Labels
        var samples: [Sample] = []
        /// Native-histogram samples, in time order, between or after the float ones.
        var histograms: [HistogramSample] = []
        var chunks: [ChunkData] = []
        /// The series has native-histogram samples besides any floats.
        var nativeHistogram = false
        /// Start timestamps by sample timestamp, for the samples that have one.
        var startTimestamps: [Timestamp: Timestamp] = [:]

        /// The newest sample's timestamp, float or histogram.
        var lastTimestamp: Timestamp? {
            switch (samples.last?.timestamp, histograms.last?.timestamp) {
            case (let f?, let h?): Swift.max(f, h)
            case (let f, let h): f ?? h
            }
        }
    }

    /// Sorted by labels.
    private(set) var series: [Series] = []
    private var indexByLabels: [Labels: Int] = [:]

    package init() {}

    /// Number of series, native-histogram ones included.
    package var seriesCount: Int { series.count }

    /// Appends float samples to a series, creating it if needed.
    ///
    /// - Parameters:
    ///   - labels: The series.
    ///   - samples: In increasing time order, all after the series' last sample.
    ///   - startTimestamps: Start timestamps of some of those samples, by sample timestamp
    ///     (a promqltest `@st` line).
    /// - Throws: `AppendError.outOfOrder` when a timestamp is not after the previous one; the
    ///   series is left unchanged.
    package mutating func append(
        _ labels: Labels, _ samples: [Sample], startTimestamps: [Timestamp: Timestamp] = [:]
    ) throws(AppendError) {
        let index = seriesIndex(labels)
        var last = series[index].lastTimestamp
        for s in samples {
            if let last, s.timestamp <= last { throw AppendError.outOfOrder }
            last = s.timestamp
        }
        guard !samples.isEmpty else { return }
        if !series[index].histograms.isEmpty {
            return try append(labels, values: samples.map { ($0.timestamp, .float($0.value)) }, startTimestamps: startTimestamps)
        }
        series[index].startTimestamps.merge(startTimestamps) { _, new in new }
        let firstNew = series[index].samples.count
        series[index].samples.append(contentsOf: samples)
        // Re-encode from the first chunk that is not full: earlier chunks do not change.
        let keptChunks = firstNew / Self.samplesPerChunk
        series[index].chunks.removeSubrange(keptChunks...)
        series[index].chunks.append(contentsOf: Self.encode(series[index].samples[(keptChunks * Self.samplesPerChunk)...]))
    }

    /// A value of a series that may hold native histograms.
    package enum Value: Sendable {
        case float(Double)
        case histogram(FloatHistogram)
    }

    /// Appends floats and native histograms to a series, creating it if needed. A stale marker
    /// that follows a histogram becomes a histogram stale marker, as Prometheus's head does.
    ///
    /// - Throws: `AppendError.outOfOrder` when a timestamp is not after the previous one; the
    ///   series is left unchanged.
    package mutating func append(
        _ labels: Labels, values: [(Timestamp, Value)], startTimestamps: [Timestamp: Timestamp] = [:]
    ) throws(AppendError) {
        let index = seriesIndex(labels)
        var last = series[index].lastTimestamp
        for (t, _) in values {
            if let last, t <= last { throw AppendError.outOfOrder }
            last = t
        }
        guard !values.isEmpty else { return }
        series[index].startTimestamps.merge(startTimestamps) { _, new in new }
        var lastWasHistogram = (series[index].histograms.last?.timestamp ?? .min) > (series[index].samples.last?.timestamp ?? .min)
        for (t, value) in values {
            switch value {
            case .float(let v) where lastWasHistogram && StaleNaN.isStale(v):
                series[index].histograms.append(HistogramSample(t, FloatHistogram(sum: v)))
            case .float(let v):
                series[index].samples.append(Sample(t, v))
                lastWasHistogram = false
            case .histogram(let h):
                series[index].histograms.append(HistogramSample(t, h))
                lastWasHistogram = true
            }
        }
        if !series[index].histograms.isEmpty { series[index].nativeHistogram = true }
        series[index].chunks = Self.encodeMixed(series[index].samples, series[index].histograms)
    }

    /// Chunks of a series with histograms: a new chunk at every switch between floats and
    /// histograms; float runs in XOR chunks, histogram runs in float-histogram chunks.
    static func encodeMixed(_ floats: [Sample], _ histograms: [HistogramSample]) -> [ChunkData] {
        var chunks: [ChunkData] = []
        var f = 0
        var h = 0
        while f < floats.count || h < histograms.count {
            if h >= histograms.count || (f < floats.count && floats[f].timestamp < histograms[h].timestamp) {
                let end = histograms.indices.contains(h) ? histograms[h].timestamp : .max
                let start = f
                while f < floats.count && floats[f].timestamp < end { f += 1 }
                chunks.append(contentsOf: encode(floats[start..<f]))
            } else {
                let end = floats.indices.contains(f) ? floats[f].timestamp : .max
                let start = h
                while h < histograms.count && histograms[h].timestamp < end { h += 1 }
                chunks.append(contentsOf: FloatHistogramChunk.chunks(histograms[start..<h].lazy.map { ($0.timestamp, $0.histogram) }))
            }
        }
        return chunks
    }

    /// Marks a series as holding native histograms, creating it if needed.
    package mutating func markNativeHistogram(_ labels: Labels) {
        series[seriesIndex(labels)].nativeHistogram = true
    }

    /// Whether any series matching all `matchers` holds native histograms.
    package func readsNativeHistograms(_ matchers: [LabelMatcher]) -> Bool {
        series.contains { $0.nativeHistogram && Self.matches($0.labels, matchers) }
    }

    /// The labels of the native-histogram series, sorted.
    package var nativeHistogramSeries: [Labels] {
        series.filter(\.nativeHistogram).map(\.labels)
    }

    /// Index of the series for `labels`, inserted in label order when new.
    private mutating func seriesIndex(_ labels: Labels) -> Int {
        if let i = indexByLabels[labels] { return i }
        let position = series.partitionPoint { $0.labels < labels }
        series.insert(Series(labels: labels), at: position)
        for i in position..<series.count { indexByLabels[series[i].labels] = i }
        return position
    }

    /// Chunks of at most ``samplesPerChunk`` samples.
    static func encode(_ samples: ArraySlice<Sample>) -> [ChunkData] {
        XORChunk.chunks(samples, samplesPerChunk: samplesPerChunk)
    }

    static func matches(_ labels: Labels, _ matchers: [LabelMatcher]) -> Bool {
        matchers.allSatisfy { $0.matches(labels[$0.name] ?? "") }
    }

    // MARK: Querier

    /// Matching series with their chunks that overlap `[minTime, maxTime]`; series without such
    /// a chunk are left out. Always sorted by labels.
    package func select(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp, sorted: Bool) throws -> [SeriesData] {
        var out: [SeriesData] = []
        for s in series where Self.matches(s.labels, matchers) {
            let chunks = s.chunks.filter { $0.maxTime >= minTime && $0.minTime <= maxTime }
            if !chunks.isEmpty {
                out.append(SeriesData(
                    labels: s.labels, chunks: chunks, startTimestamps: s.startTimestamps.isEmpty ? nil : s.startTimestamps))
            }
        }
        return out
    }

    package func labelNames(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] {
        var names: Set<String> = []
        for s in try select(matchers: matchers, minTime: minTime, maxTime: maxTime, sorted: false) {
            s.labels.forEach { name, _ in names.insert(name) }
        }
        return names.sorted()
    }

    package func labelValues(name: String, matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] {
        var values: Set<String> = []
        for s in try select(matchers: matchers, minTime: minTime, maxTime: maxTime, sorted: false) {
            if let v = s.labels[name] { values.insert(v) }
        }
        return values.sorted()
    }
}

extension Array {
    /// The first index whose element fails `belongsBefore` (binary search; the array must be partitioned).
    fileprivate func partitionPoint(_ belongsBefore: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if belongsBefore(self[mid]) { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
