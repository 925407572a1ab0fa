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
    /// Scratch for one series' label ranges, reused across series.
    var labelRanges: [(Range<Int>, Range<Int>)] = []

    package init() {}

    /// Empties the request, keeping capacity for the next decode.
    package mutating func reset() {
        labelBytes.removeAll(keepingCapacity: true)
        series.removeAll(keepingCapacity: true)
        samples.removeAll(keepingCapacity: true)
        invalidSeries.removeAll(keepingCapacity: true)
        labelRanges.removeAll(keepingCapacity: true)
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
