// Decoding a snappy-compressed protobuf WriteRequest without intermediate message objects.

internal import MetricModel
internal import Snappy

extension WriteRequest {
    /// Decompresses and decodes a remote-write 1.0 body into `self` (after `reset()`).
    ///
    /// Label sets are validated (non-empty UTF-8 names, UTF-8 values, a metric name, sorted,
    /// no duplicates); an invalid series is skipped and listed in `invalidSeries`.
    /// - Parameter scratch: reused for the decompressed bytes (no allocation once warm).
    /// - Throws: `RemoteWriteError` on malformed snappy or protobuf, `tooLarge` when the body
    ///   declares more than `maxDecompressedBytes`.
    package mutating func decode(
        snappyBody body: UnsafeRawBufferPointer, scratch: inout [UInt8], maxDecompressedBytes: Int = 256 << 20
    ) throws(RemoteWriteError) {
        try decompress(body, into: &scratch, maxDecompressedBytes: maxDecompressedBytes)
        try decode(protobuf: scratch)
    }

    /// Snappy-decompresses `body` into `scratch`, refusing more than `maxDecompressedBytes`.
    func decompress(
        _ body: UnsafeRawBufferPointer, into scratch: inout [UInt8], maxDecompressedBytes: Int
    ) throws(RemoteWriteError) {
        let length: Int
        do { length = try Snappy.decompressedLength(body) } catch {
            throw RemoteWriteError("snappy: corrupt input: \(error.message)")
        }
        if length > maxDecompressedBytes {
            throw RemoteWriteError(
                "decompressed body of \(length) bytes exceeds the limit of \(maxDecompressedBytes) bytes", tooLarge: true)
        }
        do {
            try Snappy.decompress(body, into: &scratch, maxLength: maxDecompressedBytes)
        } catch {
            throw RemoteWriteError("snappy: corrupt input: \(error.message)")
        }
    }

    /// `decode(snappyBody:scratch:maxDecompressedBytes:)` for a body held in an array.
    package mutating func decode(
        snappyBody body: [UInt8], scratch: inout [UInt8], maxDecompressedBytes: Int = 256 << 20
    ) throws(RemoteWriteError) {
        var failure: RemoteWriteError?
        body.withUnsafeBytes { raw in
            do throws(RemoteWriteError) {
                try self.decode(snappyBody: raw, scratch: &scratch, maxDecompressedBytes: maxDecompressedBytes)
            } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Decodes an uncompressed protobuf `WriteRequest` into `self` (after `reset()`).
    package mutating func decode(protobuf bytes: [UInt8]) throws(RemoteWriteError) {
        reset()
        try bytes.withUnsafeBufferPointer { (buf) throws(RemoteWriteError) in
            var reader = ProtoReader(buf, 0, buf.count)
            while !reader.isAtEnd {
                let (field, wire) = try reader.key()
                if field == 1 && wire == 2 {
                    let (start, end) = try reader.lengthDelimited()
                    try decodeTimeSeries(ProtoReader(buf, start, end))
                } else if field == 3 && wire == 2 {
                    let (start, end) = try reader.lengthDelimited()
                    if let m = try Self.decodeMetricMetadata(ProtoReader(buf, start, end)) { metadata.append(m) }
                } else {
                    try reader.skip(wire)
                }
            }
        }
    }

    private mutating func decodeTimeSeries(_ r: ProtoReader) throws(RemoteWriteError) {
        var reader = r
        let labelStart = labelBytes.count
        let sampleStart = samples.count
        // Borrow the scratch array (swap keeps its buffer uniquely referenced).
        var pairs: [(Range<Int>, Range<Int>)] = []
        swap(&pairs, &labelRanges)
        pairs.removeAll(keepingCapacity: true)
        defer { swap(&pairs, &labelRanges) }
        while !reader.isAtEnd {
            let (field, wire) = try reader.key()
            switch (field, wire) {
            case (1, 2):
                let (start, end) = try reader.lengthDelimited()
                pairs.append(try Self.decodeLabel(ProtoReader(reader.buffer, start, end)))
            case (2, 2):
                let (start, end) = try reader.lengthDelimited()
                samples.append(try Self.decodeSample(ProtoReader(reader.buffer, start, end)))
            case (3, 2):
                let (start, end) = try reader.lengthDelimited()
                exemplarCount += 1
                exemplars.append(try Self.decodeExemplar(ProtoReader(reader.buffer, start, end), series: series.count))
            case (4, 2):
                let (start, end) = try reader.lengthDelimited()
                histogramCount += 1
                histograms.append(try Self.decodeHistogram(ProtoReader(reader.buffer, start, end), series: series.count))
            default:
                try reader.skip(wire)
            }
        }
        if let problem = Self.validate(pairs, reader.buffer) {
            invalidSampleCount += samples.count - sampleStart
            samples.removeSubrange(sampleStart...)
            exemplars.removeAll { $0.series == series.count }
            invalidSampleCount += dropHistograms(ofSeries: series.count)
            invalidSeries.append(problem)
            return
        }
        for (name, value) in pairs where !value.isEmpty {
            LabelsEncoding.appendRaw(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: reader.buffer[name])), to: &labelBytes)
            LabelsEncoding.appendRaw(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: reader.buffer[value])), to: &labelBytes)
        }
        let hash = labelBytes.withUnsafeBytes { LabelHash.hash(UnsafeRawBufferPointer(rebasing: $0[labelStart...])) }
        series.append(Series(labels: labelStart..<labelBytes.count, samples: sampleStart..<samples.count, hash: hash))
    }

    /// A 1.0 `Exemplar`: labels (as `Label` messages), value, timestamp.
    private static func decodeExemplar(_ r: ProtoReader, series: Int) throws(RemoteWriteError) -> DecodedExemplar {
        var reader = r
        var pairs: [(String, String)] = []
        var value: UInt64 = 0
        var timestamp: Int64 = 0
        while !reader.isAtEnd {
            let (field, wire) = try reader.key()
            switch (field, wire) {
            case (1, 2):
                let (start, end) = try reader.lengthDelimited()
                let (name, text) = try decodeLabel(ProtoReader(reader.buffer, start, end))
                pairs.append((string(name, reader.buffer), string(text, reader.buffer)))
            case (2, 1): value = try reader.fixed64()
            case (3, 0): timestamp = Int64(bitPattern: try reader.varint())
            default: try reader.skip(wire)
            }
        }
        return DecodedExemplar(series: series, labels: Labels(pairs), value: Double(bitPattern: value), timestamp: timestamp)
    }

    /// A 1.0 `MetricMetadata` (type, metric_family_name, help, unit), which Prometheus sends
    /// alongside the series; nil without a family name.
    private static func decodeMetricMetadata(_ r: ProtoReader) throws(RemoteWriteError) -> SeriesMetadata? {
        var reader = r
        var type: UInt64 = 0
        var family = ""
        var help = ""
        var unit = ""
        func text(_ reader: inout ProtoReader) throws(RemoteWriteError) -> String {
            let (s, e) = try reader.lengthDelimited()
            return String(decoding: UnsafeBufferPointer(rebasing: reader.buffer[s..<e]), as: UTF8.self)
        }
        while !reader.isAtEnd {
            let (field, wire) = try reader.key()
            switch (field, wire) {
            case (1, 0): type = try reader.varint()
            case (2, 2): family = try text(&reader)
            case (4, 2): help = try text(&reader)
            case (5, 2): unit = try text(&reader)
            default: try reader.skip(wire)
            }
        }
        if family.isEmpty { return nil }
        let typeName = type < UInt64(metricTypes.count) ? metricTypes[Int(type)] : "unknown"
        return SeriesMetadata(metricName: family, type: typeName, help: help, unit: unit)
    }

    private static func decodeLabel(_ r: ProtoReader) throws(RemoteWriteError) -> (Range<Int>, Range<Int>) {
        var reader = r
        var name = reader.start..<reader.start
        var value = reader.start..<reader.start
        while !reader.isAtEnd {
            let (field, wire) = try reader.key()
            if field == 1 && wire == 2 {
                let (s, e) = try reader.lengthDelimited()
                name = s..<e
            } else if field == 2 && wire == 2 {
                let (s, e) = try reader.lengthDelimited()
                value = s..<e
            } else {
                try reader.skip(wire)
            }
        }
        return (name, value)
    }

    static func decodeSample(_ r: ProtoReader) throws(RemoteWriteError) -> Sample {
        var reader = r
        var value: UInt64 = 0
        var timestamp: Int64 = 0
        while !reader.isAtEnd {
            let (field, wire) = try reader.key()
            if field == 1 && wire == 1 {
                value = try reader.fixed64()
            } else if field == 2 && wire == 0 {
                timestamp = Int64(bitPattern: try reader.varint())
            } else {
                try reader.skip(wire)
            }
        }
        return Sample(timestamp, Double(bitPattern: value))
    }

    /// Prometheus's label checks for a remote-written series; nil when valid.
    static func validate(_ pairs: [(Range<Int>, Range<Int>)], _ buf: UnsafeBufferPointer<UInt8>) -> String? {
        var hasName = false
        var previous: Range<Int>?
        for (name, value) in pairs {
            let nameBytes = UnsafeBufferPointer(rebasing: buf[name])
            if name.isEmpty { return "invalid label set \(describe(pairs, buf)): empty label name" }
            if !isValidUTF8(nameBytes) { return "invalid label set \(describe(pairs, buf)): label name is not valid UTF-8" }
            if !isValidUTF8(UnsafeBufferPointer(rebasing: buf[value])) {
                return "invalid label set \(describe(pairs, buf)): value of label \(string(name, buf)) is not valid UTF-8"
            }
            if let previous {
                let order = compare(UnsafeBufferPointer(rebasing: buf[previous]), nameBytes)
                if order == 0 { return "invalid label set \(describe(pairs, buf)): duplicate label name \(string(name, buf))" }
                if order > 0 { return "invalid label set \(describe(pairs, buf)): label names are not sorted" }
            }
            if !value.isEmpty && isMetricName(nameBytes) { hasName = true }
            previous = name
        }
        if !hasName { return "invalid label set \(describe(pairs, buf)): missing metric name" }
        return nil
    }

    private static let metricNameBytes = Array(Labels.metricNameLabel.utf8)

    static func isMetricName(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        // "__name__" is 8 bytes: one comparison of a 64-bit word.
        guard name.count == 8 else { return false }
        return UnsafeRawBufferPointer(name).loadUnaligned(as: UInt64.self) == metricNameWord
    }

    private static let metricNameWord: UInt64 = metricNameBytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }

    private static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let n = min(a.count, b.count)
        for i in 0..<n where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        return a.count - b.count
    }

    private static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // Fast path: 8 bytes at a time while everything is ASCII (label names and values nearly always are).
        let n = bytes.count
        var i = 0
        let raw = UnsafeRawBufferPointer(bytes)
        while i + 8 <= n {
            // Safety: i + 8 <= n; loadUnaligned accepts any alignment.
            if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        while i < n && bytes[i] < 0x80 { i += 1 }
        if i == n { return true }
        // Slow path: a full UTF-8 validation of the rest.
        var iterator = UnsafeBufferPointer(rebasing: bytes[i...]).makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    static func string(_ r: Range<Int>, _ buf: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buf[r]), as: UTF8.self)
    }

    static func describe(_ pairs: [(Range<Int>, Range<Int>)], _ buf: UnsafeBufferPointer<UInt8>) -> String {
        "{" + pairs.map { "\(string($0.0, buf))=\(quoteForPromQL(string($0.1, buf)))" }.joined(separator: ", ") + "}"
    }

    /// Drops the histograms decoded for the series that would be `index` (its labels are
    /// invalid) and returns how many there were.
    mutating func dropHistograms(ofSeries index: Int) -> Int {
        var dropped = 0
        while let last = histograms.last, last.series == index {
            histograms.removeLast()
            dropped += 1
        }
        return dropped
    }
}
