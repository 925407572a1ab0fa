// HeadAppender: buffers one batch of samples, validated against the head, until commit.

package import MetricModel
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// One batch of appends to the head. Not thread-safe: one appender per request or scrape.
///
/// `append` validates each sample (out of bounds, out of order, duplicate) and throws for that
/// sample only; the rest of the batch stays appendable. `commit` writes the batch to the WAL
/// and then makes it visible, before returning.
package final class HeadAppender: Appender {
    struct PendingSample {
        /// Unretained: the head owns its series for its whole life (see `SeriesTable`),
        /// which saves a retain/release pair per sample on the hot path.
        let unmanagedSeries: Unmanaged<MemSeries>
        /// The series' ref, so that the WAL record is written without touching the series.
        let ref: UInt64
        let timestamp: Timestamp
        let value: Double

        @inline(__always)
        var series: MemSeries { unmanagedSeries.takeUnretainedValue() }

        /// Runs `body` on the series without retaining it.
        @inline(__always)
        func withSeries<R>(_ body: (MemSeries) -> R) -> R {
            unmanagedSeries._withUnsafeGuaranteedRef(body)
        }
    }

    /// A native-histogram sample of the batch.
    struct PendingHistogram {
        let unmanagedSeries: Unmanaged<MemSeries>
        let ref: UInt64
        let timestamp: Timestamp
        let sample: HistogramHead.Last
        /// Float samples appended before it: commit applies both lists in the order of the appends.
        let floatsBefore: Int

        var series: MemSeries { unmanagedSeries.takeUnretainedValue() }
    }

    /// Set in `MemSeries.pendingIndex` when the index is into `pendingHistograms`.
    static let histogramIndexFlag: UInt32 = 1 << 31

    private let db: DB
    /// Marks the series this appender has pending samples for.
    private let owner = PendingOwner.next()
    private let head: Head
    private let minValidTime: Timestamp
    /// The newest timestamp taken: the wall clock plus the creation grace period (or no limit).
    private let maxValidTime: Timestamp
    private(set) var pending: [PendingSample] = []
    private(set) var pendingHistograms: [PendingHistogram] = []
    /// Whether some series has pending samples of two kinds (float, integer or float histogram):
    /// the WAL records must then follow the order of the appends, not be grouped by kind.
    private var mixedKinds = false
    private var batchMinTime: Timestamp = .max
    private var batchMaxTime: Timestamp = .min
    private var done = false

    init(db: DB, head: Head) {
        self.db = db
        self.head = head
        self.minValidTime = head.appendableMinValidTime
        let grace = db.options.creationGracePeriodMs
        maxValidTime = grace > 0 ? Timestamp(Date().timeIntervalSince1970 * 1000) + grace : .max
        head.appenders.register(ObjectIdentifier(self), minValidTime: minValidTime)
    }

    package func append(
        _ ref: SeriesRef?, _ labels: Labels, _ timestamp: Timestamp, _ value: Double
    ) throws(AppendError) -> SeriesRef {
        try checkBounds(timestamp)
        if let ref, let appended = try append(known: ref, timestamp, value) { return appended }
        return try append(try series(labels), timestamp, value)
    }

    /// The series with `labels`, created if the head's series limits admit a new one.
    private func series(_ labels: Labels) throws(AppendError) -> MemSeries {
        if labels.isEmpty { throw .invalidLabels("empty labelset") }
        if head.seriesLimits.isSet, head.series(labels: labels) == nil {
            let refusal = labels.bytes.withUnsafeBytes { encoded -> AppendError? in
                do throws(AppendError) { try head.admitNewSeries(encoded: encoded) } catch { return error }
                return nil
            }
            if let refusal { throw refusal }
        }
        return head.getOrCreate(labels: labels).series
    }

    package func append(
        _ ref: SeriesRef?, encodedLabels: UnsafeRawBufferPointer, hash: UInt64, _ timestamp: Timestamp, _ value: Double
    ) throws(AppendError) -> SeriesRef {
        try checkBounds(timestamp)
        if let ref, let appended = try append(known: ref, timestamp, value) { return appended }
        return try append(try series(encoded: encodedLabels, hash: hash), timestamp, value)
    }

    /// The series with these encoded labels, created if the head's series limits admit a new one.
    private func series(encoded encodedLabels: UnsafeRawBufferPointer, hash: UInt64) throws(AppendError) -> MemSeries {
        // Fast path: an existing series, found without building a Labels value.
        if let known = head.series(hash: hash, encoded: encodedLabels) { return known }
        if encodedLabels.isEmpty { throw .invalidLabels("empty labelset") }
        if head.seriesLimits.isSet { try head.admitNewSeries(encoded: encodedLabels) }
        return head.getOrCreate(labels: Labels(encoded: Array(encodedLabels))).series
    }

    @inline(__always)
    private func checkBounds(_ timestamp: Timestamp) throws(AppendError) {
        if timestamp < minValidTime || timestamp > maxValidTime {
            db.metrics.outOfBoundSamples.add()
            throw .outOfBounds
        }
    }

    package func append(existing ref: SeriesRef, _ timestamp: Timestamp, _ value: Double) throws(AppendError) -> SeriesRef? {
        try checkBounds(timestamp)
        return try append(known: ref, timestamp, value)
    }

    /// Appends to the series with `ref`, looked up and validated under one lock of its stripe
    /// (the per-sample path of scrapes and remote write); nil when no series has that ref.
    @inline(__always)
    private func append(known ref: SeriesRef, _ timestamp: Timestamp, _ value: Double) throws(AppendError) -> SeriesRef? {
        let result = head.withRefStripe(ref) { stripe -> Result<SeriesRef, AppendError>? in
            stripe.lock.lock()
            // In the table under its stripe's lock means not removed (truncation removes both at once).
            guard let series = stripe.series.unmanaged(ref.rawValue) else {
                stripe.lock.unlock()
                return nil
            }
            return series._withUnsafeGuaranteedRef { series -> Result<SeriesRef, AppendError> in
                do throws(AppendError) {
                    return .success(try appendLocked(series, stripe, timestamp, value))
                } catch {
                    return .failure(error)
                }
            }
        }
        return try result?.get()
    }

    @inline(__always)
    private func append(_ found: MemSeries, _ timestamp: Timestamp, _ value: Double) throws(AppendError) -> SeriesRef {
        var series = found
        var stripe = head.refStripe(series.ref)
        // Validate and mark as pending in one critical section.
        stripe.lock.lock()
        if series.removed {
            // Head truncation removed it between lookup and lock: use (or create) the live one.
            stripe.lock.unlock()
            series = head.getOrCreate(labels: found.labels).series
            stripe = head.refStripe(series.ref)
            stripe.lock.lock()
        }
        return try appendLocked(series, stripe, timestamp, value)
    }

    /// Validates the sample and marks it pending; called with `stripe` locked, returns with it unlocked.
    @inline(__always)
    private func appendLocked(
        _ series: MemSeries, _ stripe: Head.RefStripe, _ timestamp: Timestamp, _ value: Double
    ) throws(AppendError) -> SeriesRef {
        let bits = value.bitPattern
        let owner = self.owner
        let error: AppendError? = {
            let problem: AppendError?
            if series.pendingOwner == owner {
                // An earlier sample of this batch is newer than anything committed.
                if series.pendingIndex & Self.histogramIndexFlag != 0 {
                    problem = pendingCheck(timestamp, after: series.pendingIndex, sample: nil)
                    if problem == nil { mixedKinds = true }
                } else {
                    let previous = pending[Int(series.pendingIndex)]
                    if timestamp > previous.timestamp {
                        problem = nil
                    } else if timestamp < previous.timestamp {
                        problem = .outOfOrder
                    } else {
                        problem = bits == previous.value.bitPattern ? nil : .duplicateSampleForTimestamp
                    }
                }
            } else {
                problem = series.appendable(timestamp, bits)
            }
            if problem == nil {
                series.pendingOwner = owner
                // The sample is appended to `pending` right after the lock is released, at this index
                // (the appender is used by one thread at a time). A batch never nears 2^32 samples.
                series.pendingIndex = UInt32(truncatingIfNeeded: pending.count)
            }
            return problem
        }()
        stripe.lock.unlock()
        if let error { throw counted(error) }
        let ref = series.ref
        pending.append(
            PendingSample(unmanagedSeries: Unmanaged.passUnretained(series), ref: ref.rawValue, timestamp: timestamp, value: value))
        if timestamp < batchMinTime { batchMinTime = timestamp }
        if timestamp > batchMaxTime { batchMaxTime = timestamp }
        return ref
    }

    package func append(
        _ ref: SeriesRef?, _ labels: Labels, _ timestamp: Timestamp, _ histogram: Histogram
    ) throws(AppendError) -> SeriesRef {
        let sample = try admissible(.integer(histogram), at: timestamp)
        return try append(series(ref, labels), timestamp, sample)
    }

    package func append(
        _ ref: SeriesRef?, _ labels: Labels, _ timestamp: Timestamp, _ histogram: FloatHistogram
    ) throws(AppendError) -> SeriesRef {
        let sample = try admissible(.float(histogram), at: timestamp)
        return try append(series(ref, labels), timestamp, sample)
    }

    package func append(
        _ ref: SeriesRef?, encodedLabels: UnsafeRawBufferPointer, hash: UInt64, _ timestamp: Timestamp, _ histogram: Histogram
    ) throws(AppendError) -> SeriesRef {
        let sample = try admissible(.integer(histogram), at: timestamp)
        return try append(series(ref, encoded: encodedLabels, hash: hash), timestamp, sample)
    }

    package func append(
        _ ref: SeriesRef?, encodedLabels: UnsafeRawBufferPointer, hash: UInt64, _ timestamp: Timestamp, _ histogram: FloatHistogram
    ) throws(AppendError) -> SeriesRef {
        let sample = try admissible(.float(histogram), at: timestamp)
        return try append(series(ref, encoded: encodedLabels, hash: hash), timestamp, sample)
    }

    /// `sample` when it is a valid histogram in bounds — checked before its series is looked up,
    /// so that a refused sample never creates one.
    private func admissible(_ sample: HistogramHead.Last, at timestamp: Timestamp) throws(AppendError) -> HistogramHead.Last {
        do throws(HistogramError) {
            switch sample {
            case .integer(let h): try h.validate()
            case .float(let h): try h.validate()
            }
        } catch {
            throw .invalidHistogram(error.description)
        }
        try checkBounds(timestamp)
        return sample
    }

    /// The series with `ref`, or else with `labels` (see ``series(_:)``).
    private func series(_ ref: SeriesRef?, _ labels: Labels) throws(AppendError) -> MemSeries {
        if let ref, let known = head.series(ref: ref) { return known }
        return try series(labels)
    }

    /// The series with `ref`, or else with these encoded labels (see ``series(encoded:hash:)``).
    private func series(_ ref: SeriesRef?, encoded: UnsafeRawBufferPointer, hash: UInt64) throws(AppendError) -> MemSeries {
        if let ref, let known = head.series(ref: ref) { return known }
        return try series(encoded: encoded, hash: hash)
    }

    /// Appends a validated native histogram in bounds to its series (found or created as for
    /// floats): the sample is checked against the series and this batch under the series' stripe lock.
    private func append(_ series: MemSeries, _ timestamp: Timestamp, _ sample: HistogramHead.Last) throws(AppendError) -> SeriesRef {
        var found = series
        var stripe = head.refStripe(found.ref)
        stripe.lock.lock()
        if found.removed {
            stripe.lock.unlock()
            found = head.getOrCreate(labels: found.labels).series
            stripe = head.refStripe(found.ref)
            stripe.lock.lock()
        }
        let owner = self.owner
        let problem: AppendError?
        if found.pendingOwner == owner {
            problem = found.pendingIndex & Self.histogramIndexFlag != 0
                ? pendingCheck(timestamp, after: found.pendingIndex, sample: sample)
                : pending[Int(found.pendingIndex)].timestamp < timestamp ? nil : .outOfOrder
            if problem == nil && !mixedKinds {
                let previousKind = found.pendingIndex & Self.histogramIndexFlag != 0
                    ? pendingHistograms[Int(found.pendingIndex & ~Self.histogramIndexFlag)].sample.walKind : .samples
                mixedKinds = previousKind != sample.walKind
            }
        } else {
            problem = found.appendable(timestamp, sample)
        }
        if problem == nil {
            found.pendingOwner = owner
            found.pendingIndex = UInt32(truncatingIfNeeded: pendingHistograms.count) | Self.histogramIndexFlag
        }
        stripe.lock.unlock()
        if let problem { throw counted(problem) }
        pendingHistograms.append(
            PendingHistogram(
                unmanagedSeries: Unmanaged.passUnretained(found), ref: found.ref.rawValue, timestamp: timestamp,
                sample: sample, floatsBefore: pending.count))
        if timestamp < batchMinTime { batchMinTime = timestamp }
        if timestamp > batchMaxTime { batchMaxTime = timestamp }
        return found.ref
    }

    /// `error`, counted in the head's metrics when it is a refusal Prometheus counts.
    private func counted(_ error: AppendError) -> AppendError {
        switch error {
        case .outOfOrder: db.metrics.outOfOrderSamples.add()
        case .duplicateSampleForTimestamp: db.metrics.duplicateSamples.add()
        default: break
        }
        return error
    }

    /// Checks a sample at `timestamp` against this batch's pending histogram at `index` (flagged)
    /// of the same series: later is fine; the same time only for an identical histogram (`sample`;
    /// nil for a float sample, never identical).
    private func pendingCheck(_ timestamp: Timestamp, after index: UInt32, sample: HistogramHead.Last?) -> AppendError? {
        let previous = pendingHistograms[Int(index & ~Self.histogramIndexFlag)]
        if timestamp > previous.timestamp { return nil }
        if timestamp < previous.timestamp { return .outOfOrder }
        return sample.map { previous.sample.isIdentical(to: $0) } == true ? nil : .duplicateSampleForTimestamp
    }

    package func commit() throws {
        guard !done else { return }
        done = true
        defer {
            pending.removeAll()
            pendingHistograms.removeAll()
            head.appenders.deregister(ObjectIdentifier(self))
        }
        if pending.isEmpty && pendingHistograms.isEmpty { return }
        try db.commit(
            pending, pendingHistograms, inAppendOrder: mixedKinds, minTime: batchMinTime, maxTime: batchMaxTime,
            owner: owner)
    }

    package func rollback() {
        guard !done else { return }
        done = true
        defer { head.appenders.deregister(ObjectIdentifier(self)) }
        for series in pending.lazy.map(\.series) + pendingHistograms.lazy.map(\.series) {
            let stripe = head.refStripe(series.ref)
            stripe.lock.withLock {
                if series.pendingOwner == owner { series.pendingOwner = .nobody }
            }
        }
        pending.removeAll()
        pendingHistograms.removeAll()
    }

    deinit {
        if !done { rollback() }
    }
}
