// Head: the in-memory block of recent data — striped series maps and the postings index.

package import MetricModel
internal import Synchronization
internal import ChunkEncoding

/// The in-memory part of the database: every series with its recent chunks.
///
/// Series are found by label hash (`hashStripes`) or by ref (`refStripes`); each stripe has
/// its own lock, so appenders and queriers on different series never contend.
/// Thread-safety: all methods may be called concurrently.
package final class Head: @unchecked Sendable {
    // Safety: the stripes and postings guard their state with their own locks;
    // the atomics are atomics; `chunkRange` is immutable.
    static let stripeBits = 8
    static let stripeCount = 1 << stripeBits
    static let stripeMask = UInt64(stripeCount - 1)

    final class HashStripe: @unchecked Sendable {
        // Safety: `table` only under `lock`.
        let lock = Lock()
        var table = SeriesTable()
    }

    final class RefStripe: @unchecked Sendable {
        // Safety: `series`, and the mutable state of every MemSeries in it, only under `lock`.
        let lock = Lock()
        var series = RefTable(stripeBits: Head.stripeBits)

        deinit { series.releaseAll() }
    }

    let hashStripes: [HashStripe]
    let refStripes: [RefStripe]
    /// `refStripes` unretained (they own themselves through `refStripes`), for the per-sample
    /// paths: a stripe shared by every appending thread, retained and released per sample, would
    /// move its reference count's cache line between cores on every sample.
    private let unmanagedRefStripes: [Unmanaged<RefStripe>]
    let postings = MemPostings()
    /// Open appenders, for head compaction to wait on.
    let appenders = AppenderTracker()
    /// Intervals deleted through the admin API, applied at query time (`HeadTombstones.swift`).
    package let tombstones = HeadTombstones()
    /// Where completed chunks go (`chunks_head/`); nil keeps them in memory (tools, backfill).
    /// Set once by the DB before the head is used.
    nonisolated(unsafe) var chunkMapper: ChunkDiskMapper?
    /// Completed chunks whose write to `chunks_head/` failed (they stay in memory until one succeeds).
    package var chunkWriteFailures: Int { chunkMapper?.writeFailures.current ?? 0 }
    /// Chunk range in ms: chunks never span a multiple of it (the min block duration, 2h).
    let chunkRange: Int64

    private let lastRef = Atomic<UInt64>(0)
    private let seriesCount = Atomic<Int>(0)
    private let minTimeAtomic = Atomic<Int64>(.max)
    private let maxTimeAtomic = Atomic<Int64>(.min)
    /// Samples older than this are out of bounds (the max time of the newest persisted block).
    let minValidTime = Atomic<Int64>(.min)
    /// Caps on the series appenders may create (a tenant's limits); WAL replay is not capped.
    package let seriesLimits = SeriesLimits()

    package init(chunkRange: Int64 = 2 * 3600 * 1000) {
        self.chunkRange = chunkRange
        hashStripes = (0..<Self.stripeCount).map { _ in HashStripe() }
        refStripes = (0..<Self.stripeCount).map { _ in RefStripe() }
        unmanagedRefStripes = refStripes.map { Unmanaged.passUnretained($0) }
    }

    /// Number of series in the head.
    package var numSeries: Int { seriesCount.load(ordering: .relaxed) }
    /// Lowest and highest sample timestamps appended (Int64.max / .min when empty).
    package var minTime: Timestamp { minTimeAtomic.load(ordering: .relaxed) }
    package var maxTime: Timestamp { maxTimeAtomic.load(ordering: .relaxed) }

    @inline(__always)
    func refStripe(_ ref: SeriesRef) -> RefStripe {
        refStripes[Int(ref.rawValue & Self.stripeMask)]
    }

    /// Runs `body` with the stripe of `ref`, without retaining it.
    @inline(__always)
    func withRefStripe<R>(_ ref: SeriesRef, _ body: (RefStripe) -> R) -> R {
        unmanagedRefStripes.withUnsafeBufferPointer { stripes in
            stripes[Int(ref.rawValue & Self.stripeMask)]._withUnsafeGuaranteedRef(body)
        }
    }

    /// The series with these labels, if it exists.
    func series(labels: Labels) -> MemSeries? {
        labels.bytes.withUnsafeBytes { series(hash: labels.hash, encoded: $0) }
    }

    /// The series whose flat label encoding is `encoded` (hash `hash`), if it exists.
    @inline(__always)
    func series(hash: UInt64, encoded: UnsafeRawBufferPointer) -> MemSeries? {
        let stripe = hashStripes[Int(hash & Self.stripeMask)]
        stripe.lock.lock()
        defer { stripe.lock.unlock() }
        return stripe.table.find(hash: hash, encoded: encoded)
    }

    /// The series with this ref, if it exists.
    func series(ref: SeriesRef) -> MemSeries? {
        let stripe = refStripe(ref)
        return stripe.lock.withLock { stripe.series[ref.rawValue] }
    }

    /// Finds or creates the series; `created` is true for the caller that created it.
    /// - Parameter ref: the ref to use when creating (WAL replay); nil allocates the next one.
    func getOrCreate(labels: Labels, ref wantedRef: SeriesRef? = nil) -> (series: MemSeries, created: Bool) {
        let stripe = hashStripes[Int(labels.hash & Self.stripeMask)]
        stripe.lock.lock()
        let found = labels.bytes.withUnsafeBytes { stripe.table.find(hash: labels.hash, encoded: $0) }
        if let existing = found {
            stripe.lock.unlock()
            return (existing, false)
        }
        let ref: SeriesRef
        if let wantedRef {
            ref = wantedRef
            // Keep the counter above every replayed ref.
            var current = lastRef.load(ordering: .relaxed)
            while current < wantedRef.rawValue {
                let (exchanged, original) = lastRef.compareExchange(
                    expected: current, desired: wantedRef.rawValue, ordering: .relaxed)
                if exchanged { break }
                current = original
            }
        } else {
            ref = SeriesRef(lastRef.add(1, ordering: .relaxed).newValue)
        }
        let series = MemSeries(ref: ref, labels: labels)
        // Own the series in its ref stripe before the unretained hash table can hand it out.
        let rs = refStripe(ref)
        rs.lock.withLock { rs.series.insert(series) }
        stripe.table.insert(hash: labels.hash, series)
        stripe.lock.unlock()

        postings.add(ref, labels)
        seriesCount.add(1, ordering: .relaxed)
        return (series, true)
    }

    /// Throws when a new series with these labels (flat encoding) would go over
    /// `seriesLimits`. Checked before creating, so concurrent appenders may overshoot by the
    /// series they create at once. Allocates only to read the metric name for a per-metric limit.
    func admitNewSeries(encoded: UnsafeRawBufferPointer) throws(AppendError) {
        let perUser = seriesLimits.maxSeries
        if perUser > 0 && numSeries >= perUser { throw .seriesLimit(perMetric: false, limit: perUser) }
        let perMetric = seriesLimits.maxSeriesPerMetric
        if perMetric > 0, let name = Labels.metricName(encoded: encoded),
            postings.count(name: Labels.metricNameLabel, value: name) >= perMetric
        {
            throw .seriesLimit(perMetric: true, limit: perMetric)
        }
    }

    /// Widens the head's time range to include `t`.
    @inline(__always)
    func updateTimeRange(minTime t0: Timestamp, maxTime t1: Timestamp) {
        var lo = minTimeAtomic.load(ordering: .relaxed)
        while t0 < lo {
            let (done, orig) = minTimeAtomic.compareExchange(expected: lo, desired: t0, ordering: .relaxed)
            if done { break }
            lo = orig
        }
        var hi = maxTimeAtomic.load(ordering: .relaxed)
        while t1 > hi {
            let (done, orig) = maxTimeAtomic.compareExchange(expected: hi, desired: t1, ordering: .relaxed)
            if done { break }
            hi = orig
        }
    }

    /// Oldest timestamp an appender accepts now (`appendableMinValidTime` in Prometheus):
    /// the newer of the persisted-block bound and half a chunk range before the head's max time.
    var appendableMinValidTime: Timestamp {
        let maxT = maxTime
        let bound = minValidTime.load(ordering: .relaxed)
        if maxT == .min { return bound }
        let (halfRangeBack, overflow) = maxT.subtractingReportingOverflow(chunkRange / 2)
        return overflow ? bound : Swift.max(bound, halfRangeBack)
    }

    func adjustSeriesCount(by delta: Int) {
        seriesCount.add(delta, ordering: .relaxed)
    }

    /// After truncation the head's data starts at `t` at the earliest (or it is empty).
    func resetMinTime(to t: Timestamp) {
        var lowest = Timestamp.max
        for stripe in refStripes {
            stripe.lock.withLock {
                for s in stripe.series {
                    if let first = s.firstTimestamp { lowest = Swift.min(lowest, first) }
                }
            }
        }
        _ = t
        minTimeAtomic.store(lowest, ordering: .relaxed)
    }

    /// Number of chunks across all series (completed + open).
    package var numChunks: Int {
        var total = 0
        for stripe in refStripes {
            stripe.lock.withLock {
                for s in stripe.series { total += s.numChunks }
            }
        }
        return total
    }
}

/// How many series appenders may create in a head; 0: no limit. Read on every new series,
/// changed at runtime (a tenant's limits updated).
package final class SeriesLimits: Sendable {
    private let perUser = Atomic<Int>(0)
    private let perMetric = Atomic<Int>(0)

    /// Series in the head (`max_global_series_per_user`).
    package var maxSeries: Int {
        get { perUser.load(ordering: .relaxed) }
        set { perUser.store(newValue, ordering: .relaxed) }
    }
    /// Series with one metric name (`max_global_series_per_metric`).
    package var maxSeriesPerMetric: Int {
        get { perMetric.load(ordering: .relaxed) }
        set { perMetric.store(newValue, ordering: .relaxed) }
    }
    /// Whether any limit is set.
    var isSet: Bool { maxSeries > 0 || maxSeriesPerMetric > 0 }
}
