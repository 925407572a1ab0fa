// SeriesLine: where the current sample line's name, labels, value and timestamp are, as offsets
// into the input, shared by both parsers. Nothing is copied until labels are asked for.

internal import MetricModel

/// The parsed parts of one sample line.
struct SeriesLine {
    /// Start of the line (Go's `p.start`).
    var lineStart = 0
    /// End of the name-and-labels part (`p.series` ends here).
    var seriesEnd = 0
    /// The metric name without quotes; -1 until set (a `{` line sets it inside the braces).
    var nameStart = -1
    var nameEnd = -1
    /// Name start, name end, value start, value end for each label, quotes stripped.
    var labelOffsets: [Int] = []
    var value: Double = 0
    var timestamp: Timestamp? = nil

    /// Prepares for the line starting at `offset`, keeping the offsets' capacity.
    @inline(__always)
    mutating func reset(at offset: Int) {
        lineStart = offset
        seriesEnd = offset
        nameStart = -1
        nameEnd = -1
        labelOffsets.removeAll(keepingCapacity: true)
        timestamp = nil
    }

    var hasName: Bool { nameStart != -1 || nameEnd != -1 }

    /// The metric name with escapes resolved.
    func metricName(_ b: [UInt8]) -> String {
        guard nameStart >= 0, nameEnd >= nameStart else { return "" }
        return Escapes.string(b, nameStart..<nameEnd)
    }

    /// The canonical NaN Prometheus stores for any parsed NaN.
    static let normalNaN = Double(bitPattern: StaleNaN.normalNaNBits)
}
