// An in-memory storage with appenders, for rule unit tests (`sugarmill test rules`) and the
// rules' own tests: PromQL's MemoryStorage behind a lock, batches applied at commit.

import ChunkEncoding
package import MetricModel
package import PromQL
import Synchronization

/// A `Storage` in memory. Appends follow the TSDB's rules per series: a sample older than the
/// series' newest is out of order; one at the same time with another value is a duplicate.
package final class MemoryRuleStorage: Storage, Sendable {
    private let data: Mutex<MemoryStorage>

    package init(_ data: MemoryStorage = MemoryStorage()) {
        self.data = Mutex(data)
    }

    /// The data as it stands.
    package var snapshot: MemoryStorage { data.withLock { $0 } }

    package func appender() -> any Appender { MemoryRuleAppender(storage: self) }

    package func select(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp, sorted: Bool) throws -> [SeriesData] {
        try snapshot.select(matchers: matchers, minTime: minTime, maxTime: maxTime, sorted: sorted)
    }

    package func labelNames(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] {
        try snapshot.labelNames(matchers: matchers, minTime: minTime, maxTime: maxTime)
    }

    package func labelValues(name: String, matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String] {
        try snapshot.labelValues(name: name, matchers: matchers, minTime: minTime, maxTime: maxTime)
    }

    /// The newest sample of a series, if it has one.
    func newest(_ labels: Labels) -> Sample? {
        guard let matchers = try? [LabelMatcher(.equal, Labels.metricNameLabel, labels.metricName ?? "")] else { return nil }
        let series = (try? snapshot.select(matchers: matchers, minTime: .min, maxTime: .max, sorted: false)) ?? []
        guard let match = series.first(where: { $0.labels == labels }) else { return nil }
        return MemoryRuleStorage.lastSample(match)
    }

    static func lastSample(_ series: SeriesData) -> Sample? {
        var last: Sample?
        var iterator = SeriesSampleIterator(series.chunks, minTime: .min, maxTime: .max)
        while iterator.next() { last = Sample(iterator.timestamp, iterator.value) }
        return last
    }

    fileprivate func apply(_ batch: [Labels: [Sample]]) {
        data.withLock { data in
            for (labels, samples) in batch {
                try? data.append(labels, samples)
            }
        }
    }
}

/// Buffers one batch; checks each sample against the series' newest stored and buffered sample.
final class MemoryRuleAppender: Appender {
    private let storage: MemoryRuleStorage
    private var batch: [Labels: [Sample]] = [:]

    init(storage: MemoryRuleStorage) {
        self.storage = storage
    }

    func append(_ ref: SeriesRef?, _ labels: Labels, _ timestamp: Timestamp, _ value: Double) throws(AppendError) -> SeriesRef {
        let newest = batch[labels]?.last ?? storage.newest(labels)
        if let newest {
            if timestamp < newest.timestamp { throw .outOfOrder }
            if timestamp == newest.timestamp {
                if newest.value.bitPattern == value.bitPattern { return SeriesRef(0) }
                throw .duplicateSampleForTimestamp
            }
        }
        batch[labels, default: []].append(Sample(timestamp, value))
        return SeriesRef(0)
    }

    func commit() throws {
        storage.apply(batch)
        batch = [:]
    }

    func rollback() {
        batch = [:]
    }
}
