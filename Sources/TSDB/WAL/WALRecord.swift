// WAL record values: series, float samples and tombstones (spec/tsdb-format.md §6.3, Prometheus `tsdb/record`).

package import MetricModel

/// The first byte of a decoded WAL record (spec §6.3). Types 4–6 are recognised but not decoded.
package enum WALRecordType: UInt8, Sendable, CaseIterable {
    case series = 1
    case samples = 2
    case tombstones = 3
    case exemplars = 4
    case mmapMarkers = 5
    case metadata = 6
    case histogramSamples = 7
    case floatHistogramSamples = 8
    case customBucketsHistogramSamples = 9
    case customBucketsFloatHistogramSamples = 10
}

/// A series definition: Prometheus `record.RefSeries`. The ref is a head series ref (a counter from 1).
package struct WALSeries: Sendable, Equatable {
    package var ref: SeriesRef
    package var labels: Labels

    package init(ref: SeriesRef, labels: Labels) {
        self.ref = ref
        self.labels = labels
    }
}

/// One float sample of a series: Prometheus `record.RefSample`. Equality compares value bits,
/// so stale markers (`StaleNaN.bits`) and NaN payloads round-trip exactly.
package struct WALSample: Sendable, Equatable {
    package var ref: SeriesRef
    package var timestamp: Timestamp
    package var value: Double

    package init(ref: SeriesRef, timestamp: Timestamp, value: Double) {
        self.ref = ref
        self.timestamp = timestamp
        self.value = value
    }

    package static func == (lhs: WALSample, rhs: WALSample) -> Bool {
        lhs.ref == rhs.ref && lhs.timestamp == rhs.timestamp && lhs.value.bitPattern == rhs.value.bitPattern
    }
}

/// A deleted interval `[minTime, maxTime]` of one series: one entry of a tombstones record.
package struct WALTombstone: Sendable, Equatable {
    package var ref: SeriesRef
    package var minTime: Timestamp
    package var maxTime: Timestamp

    package init(ref: SeriesRef, minTime: Timestamp, maxTime: Timestamp) {
        self.ref = ref
        self.minTime = minTime
        self.maxTime = maxTime
    }
}

/// A decoded WAL record.
///
/// ```swift
/// var buffer: [UInt8] = []
/// WALRecord.encodeSamples([WALSample(ref: SeriesRef(1), timestamp: 1000, value: 1)], into: &buffer)
/// let record = try WALRecord(decoding: buffer)   // .samples([...])
/// ```
package enum WALRecord: Sendable, Equatable {
    /// Type 1.
    case series([WALSeries])
    /// Type 2.
    case samples([WALSample])
    /// Type 3.
    case tombstones([WALTombstone])
    /// Types 7 and 9 (integer native histograms, exponential and custom buckets).
    case histogramSamples([WALHistogramSample])
    /// Types 8 and 10 (float native histograms, exponential and custom buckets).
    case floatHistogramSamples([WALFloatHistogramSample])
    /// Any other type byte (exemplars, mmap markers, metadata, or unknown), skipped on
    /// replay as Prometheus 2.42 does. A zero-length record is `.unknown(type: 0)`.
    case unknown(type: UInt8)
}
