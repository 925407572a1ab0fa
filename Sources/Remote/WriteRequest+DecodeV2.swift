// Decoding a remote write 2.0 `io.prometheus.write.v2.Request` (compat-apis.md §4.4) into the
// same flat form as 1.0: symbol references resolved to label bytes, samples, metadata.

internal import MetricModel
internal import Snappy

extension WriteRequest {
    /// Decompresses and decodes a remote write 2.0 body into `self` (after `reset()`); as
    /// `decode(snappyBody:scratch:maxDecompressedBytes:)`, with the same label checks.
    package mutating func decodeV2(
        snappyBody body: UnsafeRawBufferPointer, scratch: inout [UInt8], maxDecompressedBytes: Int = 256 << 20
    ) throws(RemoteWriteError) {
        try decompress(body, into: &scratch, maxDecompressedBytes: maxDecompressedBytes)
        try decodeV2(protobuf: scratch)
    }

    /// Decodes an uncompressed `io.prometheus.write.v2.Request` into `self` (after `reset()`).
    ///
    /// Symbols may come anywhere in the message: a first pass collects them, a second decodes the
    /// series. A reference outside the symbol table, an odd number of label references, or a
    /// series without samples or histograms makes the request invalid.
    package mutating func decodeV2(protobuf bytes: [UInt8]) throws(RemoteWriteError) {
        reset()
        try bytes.withUnsafeBufferPointer { (buf) throws(RemoteWriteError) in
            var symbols: [Range<Int>] = []
            var reader = ProtoReader(buf, 0, buf.count)
            while !reader.isAtEnd {
                let (field, wire) = try reader.key()
                if field == 4 && wire == 2 {
                    let (start, end) = try reader.lengthDelimited()
                    symbols.append(start..<end)
                } else {
                    try reader.skip(wire)
                }
            }
            reader = ProtoReader(buf, 0, buf.count)
            while !reader.isAtEnd {
                let (field, wire) = try reader.key()
                if field == 5 && wire == 2 {
                    let (start, end) = try reader.lengthDelimited()
                    try decodeTimeSeriesV2(ProtoReader(buf, start, end), symbols)
                } else {
                    try reader.skip(wire)
                }
            }
        }
    }

    private mutating func decodeTimeSeriesV2(_ r: ProtoReader, _ symbols: [Range<Int>]) throws(RemoteWriteError) {
        var reader = r
        let labelStart = labelBytes.count
        let sampleStart = samples.count
        var refs: [UInt32] = []
        var histograms = 0
        var metadataField: (Int, Int)?
        var exemplarFields: [(Int, Int)] = []
        while !reader.isAtEnd {
            let (field, wire) = try reader.key()
            switch (field, wire) {
            case (1, 0), (1, 2):
                try Self.readRefs(&reader, wire: wire, into: &refs)
            case (2, 2):
                let (start, end) = try reader.lengthDelimited()
                samples.append(try Self.decodeSample(ProtoReader(reader.buffer, start, end)))
            case (3, 2):
                let (start, end) = try reader.lengthDelimited()
                self.histograms.append(try Self.decodeHistogram(ProtoReader(reader.buffer, start, end), series: series.count))
                histograms += 1
            case (4, 2):
                exemplarFields.append(try reader.lengthDelimited())
                exemplarCount += 1
            case (5, 2):
                metadataField = try reader.lengthDelimited()
            default:
                try reader.skip(wire)
            }
        }
        histogramCount += histograms
        if refs.count % 2 != 0 {
            throw RemoteWriteError("parsing labels for series \(refs): odd number of label references")
        }
        var pairs: [(Range<Int>, Range<Int>)] = []
        pairs.reserveCapacity(refs.count / 2)
        for i in stride(from: 0, to: refs.count, by: 2) {
            guard Int(refs[i]) < symbols.count, Int(refs[i + 1]) < symbols.count else {
                throw RemoteWriteError(
                    "parsing labels for series \(refs): reference \(max(refs[i], refs[i + 1])) is outside the \(symbols.count) symbols")
            }
            pairs.append((symbols[Int(refs[i])], symbols[Int(refs[i + 1])]))
        }
        // Prometheus sorts a 2.0 series' labels (`desymbolizeLabels`); duplicates stay invalid.
        let buf = reader.buffer
        pairs.sort { a, b in
            UnsafeBufferPointer(rebasing: buf[a.0]).lexicographicallyPrecedes(UnsafeBufferPointer(rebasing: buf[b.0]))
        }
        if let problem = Self.validate(pairs, buf) {
            invalidSampleCount += samples.count - sampleStart + dropHistograms(ofSeries: series.count)
            samples.removeSubrange(sampleStart...)
            invalidSeries.append(problem)
            return
        }
        if samples.count == sampleStart && histograms == 0 {
            invalidSeries.append("TimeSeries must contain at least one sample or histogram for series \(Self.describe(pairs, buf))")
            return
        }
        var metricName = ""
        for (name, value) in pairs where !value.isEmpty {
            let nameBytes = UnsafeBufferPointer(rebasing: buf[name])
            if Self.isMetricName(nameBytes) { metricName = String(decoding: UnsafeBufferPointer(rebasing: buf[value]), as: UTF8.self) }
            LabelsEncoding.appendRaw(UnsafeRawBufferPointer(nameBytes), to: &labelBytes)
            LabelsEncoding.appendRaw(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buf[value])), to: &labelBytes)
        }
        let hash = labelBytes.withUnsafeBytes { LabelHash.hash(UnsafeRawBufferPointer(rebasing: $0[labelStart...])) }
        series.append(Series(labels: labelStart..<labelBytes.count, samples: sampleStart..<samples.count, hash: hash))
        for (start, end) in exemplarFields {
            exemplars.append(try Self.decodeExemplarV2(ProtoReader(buf, start, end), symbols, series: series.count - 1))
        }
        if let (start, end) = metadataField {
            if let m = try Self.decodeMetadata(ProtoReader(buf, start, end), symbols, metricName: metricName) {
                metadata.append(m)
            }
        }
    }

    /// A 2.0 `Exemplar`: label references, value, timestamp.
    private static func decodeExemplarV2(
        _ r: ProtoReader, _ symbols: [Range<Int>], series: Int
    ) throws(RemoteWriteError) -> DecodedExemplar {
        var reader = r
        var refs: [UInt32] = []
        var value: UInt64 = 0
        var timestamp: Int64 = 0
        while !reader.isAtEnd {
            let (field, wire) = try reader.key()
            switch (field, wire) {
            case (1, 0), (1, 2): try readRefs(&reader, wire: wire, into: &refs)
            case (2, 1): value = try reader.fixed64()
            case (3, 0): timestamp = Int64(bitPattern: try reader.varint())
            default: try reader.skip(wire)
            }
        }
        guard refs.count % 2 == 0, refs.allSatisfy({ Int($0) < symbols.count }) else {
            throw RemoteWriteError("parsing exemplar: label references \(refs) do not fit the \(symbols.count) symbols")
        }
        var pairs: [(String, String)] = []
        for i in stride(from: 0, to: refs.count, by: 2) {
            pairs.append((string(symbols[Int(refs[i])], reader.buffer), string(symbols[Int(refs[i + 1])], reader.buffer)))
        }
        return DecodedExemplar(series: series, labels: Labels(pairs), value: Double(bitPattern: value), timestamp: timestamp)
    }

    /// Label references, packed (wire type 2) or one by one (wire type 0).
    private static func readRefs(_ reader: inout ProtoReader, wire: UInt8, into refs: inout [UInt32]) throws(RemoteWriteError) {
        if wire == 0 {
            refs.append(try symbolRef(reader.varint()))
            return
        }
        let (start, end) = try reader.lengthDelimited()
        var packed = ProtoReader(reader.buffer, start, end)
        while !packed.isAtEnd { refs.append(try symbolRef(packed.varint())) }
    }

    private static func symbolRef(_ value: UInt64) throws(RemoteWriteError) -> UInt32 {
        guard value <= UInt64(UInt32.max) else { throw RemoteWriteError("proto: label reference \(value) overflows uint32") }
        return UInt32(value)
    }

    /// Prometheus's names for `Metadata.MetricType` 0…7.
    static let metricTypes = ["unknown", "counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset"]

    /// The series' metadata; nil when it says nothing (unspecified type, no help, no unit).
    private static func decodeMetadata(
        _ r: ProtoReader, _ symbols: [Range<Int>], metricName: String
    ) throws(RemoteWriteError) -> SeriesMetadata? {
        var reader = r
        var type: UInt64 = 0
        var help: UInt64 = 0
        var unit: UInt64 = 0
        while !reader.isAtEnd {
            let (field, wire) = try reader.key()
            switch (field, wire) {
            case (1, 0): type = try reader.varint()
            case (3, 0): help = try reader.varint()
            case (4, 0): unit = try reader.varint()
            default: try reader.skip(wire)
            }
        }
        func symbol(_ ref: UInt64, _ what: String) throws(RemoteWriteError) -> String {
            guard ref < UInt64(symbols.count) else {
                throw RemoteWriteError("parsing metadata for series \(metricName): \(what) reference \(ref) is outside the \(symbols.count) symbols")
            }
            return String(decoding: UnsafeBufferPointer(rebasing: reader.buffer[symbols[Int(ref)]]), as: UTF8.self)
        }
        let helpText = try symbol(help, "help")
        let unitText = try symbol(unit, "unit")
        if type == 0 && helpText.isEmpty && unitText.isEmpty { return nil }
        let typeName = type < UInt64(metricTypes.count) ? metricTypes[Int(type)] : "unknown"
        return SeriesMetadata(metricName: metricName, type: typeName, help: helpText, unit: unitText)
    }
}
