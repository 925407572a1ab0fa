// Remote write 1.0: the decoded form of a `prometheus.WriteRequest` (compat-apis.md §4.3).

package import MetricModel

/// A decoded remote-write 1.0 request: series with validated, sorted labels and their samples.
///
/// Storage is flat and reusable: one byte buffer for all label sets, one array for all
/// samples, and per series the ranges into them. `reset()` keeps the capacity.
package struct WriteRequest: Sendable {
    /// One time series of the request.
    package struct Series: Sendable {
        /// Range in `labelBytes` holding the flat `Labels` encoding.
        package var labels: Range<Int>
        /// Range in `samples`.
        package var samples: Range<Int>
        /// `LabelHash` of the label bytes.
        package var hash: UInt64
    }

    package var labelBytes: [UInt8] = []
    package var series: [Series] = []
    package var samples: [Sample] = []
    /// Label sets that were rejected (series skipped), with the reason; the request is then a 400.
    package var invalidSeries: [String] = []
    /// Samples of the rejected series (not in `samples`).
    package var invalidSampleCount = 0
    /// Native-histogram samples of the valid series, in order.
    package var histograms: [DecodedHistogram] = []
    /// Native-histogram samples in the request, of valid series or not.
    package var histogramCount = 0
    /// Exemplars of the valid series, in order.
    package var exemplars: [DecodedExemplar] = []
    /// Exemplars in the request, of valid series or not.
    package var exemplarCount = 0
    /// Metadata sent with the series (remote write 2.0), one entry per series that has some.
    package var metadata: [SeriesMetadata] = []
    /// Scratch for one series' label ranges, reused across series.
    var labelRanges: [(Range<Int>, Range<Int>)] = []

    package init() {}

    /// Empties the request, keeping capacity for the next decode.
    package mutating func reset() {
        labelBytes.removeAll(keepingCapacity: true)
        series.removeAll(keepingCapacity: true)
        samples.removeAll(keepingCapacity: true)
        invalidSeries.removeAll(keepingCapacity: true)
        invalidSampleCount = 0
        labelRanges.removeAll(keepingCapacity: true)
        histogramCount = 0
        histograms.removeAll(keepingCapacity: true)
        exemplarCount = 0
        exemplars.removeAll(keepingCapacity: true)
        metadata.removeAll(keepingCapacity: true)
    }

    /// The labels of series `i`.
    package func labels(of i: Int) -> Labels {
        Labels(encoded: Array(labelBytes[series[i].labels]))
    }

    /// Calls `body` with the flat label encoding of series `i` (no allocation).
    package func withEncodedLabels<T>(of i: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try labelBytes.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[series[i].labels]))
        }
    }

    /// Total number of samples.
    package var sampleCount: Int { samples.count }
}

/// An exemplar of a series of the request: `series` indexes `WriteRequest.series`.
package struct DecodedExemplar: Sendable, Equatable {
    package var series: Int
    package var labels: Labels
    package var value: Double
    package var timestamp: Timestamp

    package init(series: Int, labels: Labels, value: Double, timestamp: Timestamp) {
        self.series = series
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }

    package static func == (a: DecodedExemplar, b: DecodedExemplar) -> Bool {
        a.series == b.series && a.labels == b.labels && a.value.bitPattern == b.value.bitPattern && a.timestamp == b.timestamp
    }
}

/// A series' metadata from remote write 2.0: its metric family's type, help and unit.
package struct SeriesMetadata: Sendable, Equatable {
    /// The series' metric name.
    package var metricName: String
    /// Prometheus's type name: `counter`, `gauge`, `histogram`, `gaugehistogram`, `summary`,
    /// `info`, `stateset`, or `unknown`.
    package var type: String
    package var help: String
    package var unit: String

    package init(metricName: String, type: String, help: String, unit: String) {
        self.metricName = metricName
        self.type = type
        self.help = help
        self.unit = unit
    }
}

/// The remote-write protobuf message a request carries, from its Content-Type.
package enum RemoteWriteMessage: Sendable, Equatable {
    /// `prometheus.WriteRequest` (remote write 1.0).
    case v1
    /// `io.prometheus.write.v2.Request`.
    case v2

    /// Prometheus 3's reading of the Content-Type: none or `application/x-protobuf` is 1.0,
    /// `proto=` names the message; nil for anything else (answer 415).
    package init?(contentType: String?) {
        guard let contentType, !contentType.isEmpty else {
            self = .v1
            return
        }
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: " \t") }
        guard parts[0].lowercased() == "application/x-protobuf" else { return nil }
        var message = RemoteWriteMessage.v1
        for parameter in parts.dropFirst() {
            let kv = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: " \t\"") }
            guard kv.count == 2, kv[0].lowercased() == "proto" else { continue }
            switch kv[1] {
            case "prometheus.WriteRequest": message = .v1
            case "io.prometheus.write.v2.Request": message = .v2
            default: return nil
            }
        }
        self = message
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = self
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}

/// Why a request body could not be decoded. Each message names the problem for the 400 reply.
package struct RemoteWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    /// True when the body decompresses to more than the allowed size (answer 413, not 400).
    package var tooLarge = false
    package init(_ message: String, tooLarge: Bool = false) {
        self.message = message
        self.tooLarge = tooLarge
    }
    package var description: String { message }
}
