// The storage protocols: the contract between TSDB and everything that reads or writes it.

/// Why a single sample was not appended. Each case keeps the rest of a batch appendable.
package enum AppendError: Error, Sendable, Equatable {
    /// The sample is older than the newest sample of its series.
    case outOfOrder
    /// The sample is older than the oldest time the head accepts.
    case outOfBounds
    /// Same timestamp as the newest sample of the series, different value.
    case duplicateSampleForTimestamp
    /// The label set is not valid (message says why).
    case invalidLabels(String)
    /// The series is new and the storage holds as many series as it may (a tenant's
    /// `max_global_series_per_user`, or `max_global_series_per_metric` when `perMetric`).
    case seriesLimit(perMetric: Bool, limit: Int)
    /// A native histogram the storage cannot take: invalid (message says why, in Prometheus's
    /// words), or native histograms are not stored by this appender.
    case invalidHistogram(String)

    /// Whether the series was refused for a series limit (its later samples would be too).
    package var isSeriesLimit: Bool {
        if case .seriesLimit = self { return true }
        return false
    }

    /// Prometheus's wording (`storage/interface.go`).
    package var message: String {
        switch self {
        case .outOfOrder: return "out of order sample"
        case .outOfBounds: return "out of bounds"
        case .duplicateSampleForTimestamp: return "duplicate sample for timestamp"
        case .invalidLabels(let why): return why
        case .invalidHistogram(let why): return why
        // Mimir's wording, with the setting to raise.
        case .seriesLimit(false, let limit):
            return "per-user series limit of \(limit) exceeded (err-mimir-max-series-per-user). To adjust the related "
                + "per-tenant limit, configure max_global_series_per_user, or contact your service administrator"
        case .seriesLimit(true, let limit):
            return "per-metric series limit of \(limit) exceeded (err-mimir-max-series-per-metric). To adjust the related "
                + "per-tenant limit, configure max_global_series_per_metric, or contact your service administrator"
        }
    }
}

/// A storage failure caused by a system call, with its `errno`: lets layers that do not know the
/// storage's error type tell a full or read-only disk (retry later) from other failures.
package protocol SystemCallFailure: Error {
    /// The `errno` of the failed call, if one failed.
    var errnoCode: Int32? { get }
}

/// Appends samples; one per scrape, request or rule evaluation. Not thread-safe.
///
/// Samples become visible and durable together at `commit()`.
package protocol Appender: AnyObject {
    /// Appends one float sample, returning a reference the caller may pass next time for the same series.
    func append(_ ref: SeriesRef?, _ labels: Labels, _ timestamp: Timestamp, _ value: Double) throws(AppendError) -> SeriesRef
    /// Appends one float sample for the series whose labels are given in their flat encoding
    /// (`Labels.bytes`: sorted, validated) with its `LabelHash`. Lets decoders that already hold
    /// the bytes skip building a `Labels` for series that exist.
    func append(
        _ ref: SeriesRef?, encodedLabels: UnsafeRawBufferPointer, hash: UInt64, _ timestamp: Timestamp, _ value: Double
    ) throws(AppendError) -> SeriesRef
    /// Appends one float sample to the series with `ref`, without its labels; nil when the
    /// storage has no series with that ref (the caller then appends with the labels).
    func append(existing ref: SeriesRef, _ timestamp: Timestamp, _ value: Double) throws(AppendError) -> SeriesRef?
    /// Appends one integer native-histogram sample (Prometheus's `AppendHistogram`). The storage
    /// validates it (Prometheus's `Validate`), refusing an invalid one with `.invalidHistogram`.
    func append(_ ref: SeriesRef?, _ labels: Labels, _ timestamp: Timestamp, _ histogram: Histogram) throws(AppendError) -> SeriesRef
    /// Appends one float native-histogram sample.
    func append(
        _ ref: SeriesRef?, _ labels: Labels, _ timestamp: Timestamp, _ histogram: FloatHistogram
    ) throws(AppendError) -> SeriesRef
    /// Appends one integer native-histogram sample for the series whose labels are given in their
    /// flat encoding with its `LabelHash` (as the float variant: no `Labels` built for a series
    /// that exists).
    func append(
        _ ref: SeriesRef?, encodedLabels: UnsafeRawBufferPointer, hash: UInt64, _ timestamp: Timestamp, _ histogram: Histogram
    ) throws(AppendError) -> SeriesRef
    /// The same for a float native-histogram sample.
    func append(
        _ ref: SeriesRef?, encodedLabels: UnsafeRawBufferPointer, hash: UInt64, _ timestamp: Timestamp, _ histogram: FloatHistogram
    ) throws(AppendError) -> SeriesRef
    /// Writes the batch to the WAL, then makes it visible.
    func commit() throws
    /// Drops the batch.
    func rollback()
}

extension Appender {
    /// Default: the storage keeps no native histograms.
    package func append(
        _ ref: SeriesRef?, _ labels: Labels, _ timestamp: Timestamp, _ histogram: Histogram
    ) throws(AppendError) -> SeriesRef {
        throw .invalidHistogram("native histograms are not supported by this storage")
    }

    /// Default: the storage keeps no native histograms.
    package func append(
        _ ref: SeriesRef?, _ labels: Labels, _ timestamp: Timestamp, _ histogram: FloatHistogram
    ) throws(AppendError) -> SeriesRef {
        throw .invalidHistogram("native histograms are not supported by this storage")
    }

    /// Default: the storage cannot append by ref alone.
    package func append(existing ref: SeriesRef, _ timestamp: Timestamp, _ value: Double) throws(AppendError) -> SeriesRef? {
        nil
    }

    /// Default: builds the `Labels` and calls `append(_:_:_:_:)`.
    package func append(
        _ ref: SeriesRef?, encodedLabels: UnsafeRawBufferPointer, hash: UInt64, _ timestamp: Timestamp, _ value: Double
    ) throws(AppendError) -> SeriesRef {
        try append(ref, Labels(encoded: Array(encodedLabels)), timestamp, value)
    }

    /// Default: builds the `Labels` and calls `append(_:_:_:_:)`.
    package func append(
        _ ref: SeriesRef?, encodedLabels: UnsafeRawBufferPointer, hash: UInt64, _ timestamp: Timestamp, _ histogram: Histogram
    ) throws(AppendError) -> SeriesRef {
        try append(ref, Labels(encoded: Array(encodedLabels)), timestamp, histogram)
    }

    /// Default: builds the `Labels` and calls `append(_:_:_:_:)`.
    package func append(
        _ ref: SeriesRef?, encodedLabels: UnsafeRawBufferPointer, hash: UInt64, _ timestamp: Timestamp, _ histogram: FloatHistogram
    ) throws(AppendError) -> SeriesRef {
        try append(ref, Labels(encoded: Array(encodedLabels)), timestamp, histogram)
    }
}

/// One encoded chunk of a series.
package struct ChunkData: Sendable {
    /// First and last sample timestamps, inclusive.
    package var minTime: Timestamp
    package var maxTime: Timestamp
    /// Chunk encoding byte (1 = XOR).
    package var encoding: UInt8
    /// The chunk payload (`spec/tsdb-format.md` §3 for XOR).
    package var bytes: [UInt8]

    package init(minTime: Timestamp, maxTime: Timestamp, encoding: UInt8, bytes: [UInt8]) {
        self.minTime = minTime
        self.maxTime = maxTime
        self.encoding = encoding
        self.bytes = bytes
    }
}

/// A series with its chunks overlapping a query range, in time order.
package struct SeriesData: Sendable {
    package var labels: Labels
    package var chunks: [ChunkData]
    /// Start timestamps (OpenTelemetry start time, Prometheus's "created timestamp") of the
    /// samples that have one, keyed by the sample's timestamp; nil when no sample has one.
    /// Read by PromQL's `rate`, `irate`, `increase`, `resets` and `start_timestamp` when the
    /// engine uses start timestamps. Only test storage fills it so far: the TSDB keeps none.
    package var startTimestamps: [Timestamp: Timestamp]?

    package init(labels: Labels, chunks: [ChunkData], startTimestamps: [Timestamp: Timestamp]? = nil) {
        self.labels = labels
        self.chunks = chunks
        self.startTimestamps = startTimestamps
    }
}

/// Reads series, label names and label values over a time range.
package protocol Querier: Sendable {
    /// Series matching every matcher, with their chunks overlapping `[minTime, maxTime]`.
    /// Sorted by labels when `sorted` is true.
    func select(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp, sorted: Bool) throws -> [SeriesData]
    /// Label names of series with samples in range that match all matchers (all series when empty), sorted.
    func labelNames(matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String]
    /// Values of `name` for matching series, sorted.
    func labelValues(name: String, matchers: [LabelMatcher], minTime: Timestamp, maxTime: Timestamp) throws -> [String]
}

/// Something that hands out appenders and queriers: the DB of one tenant.
package protocol Storage: Querier {
    func appender() -> any Appender
}
