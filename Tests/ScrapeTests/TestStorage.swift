// An in-memory Storage for scrape tests: records committed samples per series and rejects what
// the TSDB head rejects (out of order, duplicate value for a timestamp).

import MetricModel
import Synchronization

final class TestStorage: Storage, @unchecked Sendable {
    // Safety: all state is behind `lock`.
    private let lock = Mutex<State>(State())

    struct State {
        var refs: [Labels: SeriesRef] = [:]
        var labelsByRef: [UInt64: Labels] = [:]
        var samples: [Labels: [Sample]] = [:]
        var histograms: [Labels: [(Timestamp, Histogram)]] = [:]
        var commits = 0
    }

    func appender() -> any Appender { TestAppender(self) }

    /// Committed samples of the series with these labels.
    func samples(_ labels: Labels) -> [Sample] { lock.withLock { $0.samples[labels] ?? [] } }

    /// Committed native histograms of the series with these labels.
    func histograms(_ labels: Labels) -> [(Timestamp, Histogram)] { lock.withLock { $0.histograms[labels] ?? [] } }

    fileprivate func commit(histograms: [(Labels, Timestamp, Histogram)]) {
        lock.withLock { state in
            for (labels, t, h) in histograms { state.histograms[labels, default: []].append((t, h)) }
        }
    }

    /// Every series with committed samples.
    var series: [Labels] { lock.withLock { $0.samples.keys.sorted() } }

    var commits: Int { lock.withLock { $0.commits } }

    /// The latest committed value of a series named `name` carrying `labels` (plus any others).
    func last(_ name: String, _ labels: [String: String] = [:]) -> Sample? {
        lock.withLock { state in
            state.samples.first { key, _ in
                key.metricName == name && labels.allSatisfy { key[$0.key] == $0.value }
            }?.value.last
        }
    }

    fileprivate func commit(_ batch: [(Labels, Sample)]) throws(AppendError) {
        try lock.withLock { (state: inout State) throws(AppendError) in
            // Check first: a batch goes in whole or not at all.
            var lastTimes: [Labels: Sample] = [:]
            for (labels, sample) in batch {
                let previous = lastTimes[labels] ?? state.samples[labels]?.last
                if let previous {
                    if sample.timestamp < previous.timestamp { throw .outOfOrder }
                    if sample.timestamp == previous.timestamp && sample.value.bitPattern != previous.value.bitPattern {
                        throw .duplicateSampleForTimestamp
                    }
                }
                lastTimes[labels] = sample
            }
            for (labels, sample) in batch {
                if let last = state.samples[labels]?.last, last.timestamp == sample.timestamp { continue }
                state.samples[labels, default: []].append(sample)
            }
            state.commits += 1
        }
    }

    fileprivate func ref(for labels: Labels) -> SeriesRef {
        lock.withLock { state in
            if let ref = state.refs[labels] { return ref }
            let ref = SeriesRef(UInt64(state.refs.count + 1))
            state.refs[labels] = ref
            state.labelsByRef[ref.rawValue] = labels
            return ref
        }
    }

    fileprivate func lastSample(_ labels: Labels) -> Sample? { lock.withLock { $0.samples[labels]?.last } }

    func select(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp, sorted: Bool) throws -> [SeriesData] { [] }
    func labelNames(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] { [] }
    func labelValues(name: String, matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] { [] }
}

final class TestAppender: Appender {
    private let storage: TestStorage
    private var batch: [(Labels, Sample)] = []
    private var pendingLast: [Labels: Sample] = [:]
    private var histogramBatch: [(Labels, Timestamp, Histogram)] = []

    init(_ storage: TestStorage) { self.storage = storage }

    /// Native histograms are kept apart, without the float checks.
    func append(_ ref: SeriesRef?, _ labels: Labels, _ timestamp: Timestamp, _ histogram: Histogram) throws(AppendError) -> SeriesRef {
        histogramBatch.append((labels, timestamp, histogram))
        return storage.ref(for: labels)
    }

    func append(_ ref: SeriesRef?, _ labels: Labels, _ timestamp: Timestamp, _ value: Double) throws(AppendError) -> SeriesRef {
        if labels.isEmpty { throw .invalidLabels("empty label set") }
        if let previous = pendingLast[labels] ?? storage.lastSample(labels) {
            if timestamp < previous.timestamp { throw .outOfOrder }
            if timestamp == previous.timestamp && value.bitPattern != previous.value.bitPattern {
                throw .duplicateSampleForTimestamp
            }
        }
        pendingLast[labels] = Sample(timestamp, value)
        batch.append((labels, Sample(timestamp, value)))
        return storage.ref(for: labels)
    }

    func commit() throws {
        try storage.commit(batch)
        storage.commit(histograms: histogramBatch)
        histogramBatch = []
        batch = []
        pendingLast = [:]
    }

    func rollback() {
        histogramBatch = []
        batch = []
        pendingLast = [:]
    }
}
