// Native-histogram WAL records: types 7 and 8 (HistogramSamples, FloatHistogramSamples) and their
// custom-bucket variants 9 and 10 (spec/tsdb-format.md §6.3, Prometheus `tsdb/record`).

package import MetricModel
package import ChunkEncoding

/// One integer native-histogram sample of a series: Prometheus `record.RefHistogramSample`.
package struct WALHistogramSample: Sendable {
    package var ref: SeriesRef
    package var timestamp: Timestamp
    package var histogram: Histogram

    package init(ref: SeriesRef, timestamp: Timestamp, histogram: Histogram) {
        self.ref = ref
        self.timestamp = timestamp
        self.histogram = histogram
    }
}

/// One float native-histogram sample of a series: Prometheus `record.RefFloatHistogramSample`.
package struct WALFloatHistogramSample: Sendable {
    package var ref: SeriesRef
    package var timestamp: Timestamp
    package var histogram: FloatHistogram

    package init(ref: SeriesRef, timestamp: Timestamp, histogram: FloatHistogram) {
        self.ref = ref
        self.timestamp = timestamp
        self.histogram = histogram
    }
}

extension WALHistogramSample: Equatable {
    /// Same series, time and histogram, the counter-reset hint included (the WAL keeps it).
    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.ref == rhs.ref && lhs.timestamp == rhs.timestamp && lhs.histogram == rhs.histogram
            && lhs.histogram.counterResetHint == rhs.histogram.counterResetHint
    }
}

extension WALFloatHistogramSample: Equatable {
    /// Same series, time and histogram, the counter-reset hint included (the WAL keeps it).
    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.ref == rhs.ref && lhs.timestamp == rhs.timestamp && lhs.histogram == rhs.histogram
            && lhs.histogram.counterResetHint == rhs.histogram.counterResetHint
    }
}

/// What the two histogram sample kinds share for their WAL records.
protocol WALHistogramEntry {
    var ref: SeriesRef { get }
    var timestamp: Timestamp { get }
    /// Reads the histogram payload; nil when its schema is unknown (the payload is read all the same).
    init?(ref: SeriesRef, timestamp: Timestamp, decoding reader: inout ByteReader) throws(DecodeError)
    func encodeHistogram(into buffer: inout [UInt8])
}

extension WALRecord {
    /// Appends a histogram samples record: type 7, or 9 when `customBuckets` (every sample must
    /// then use custom buckets, and none otherwise). Layout as type 2's: `BE64 ref0`, `BE64 t0`,
    /// then per sample `varint(ref - ref0)`, `varint(t - t0)` and the histogram (spec §6.3).
    /// An empty list gives a record of just the type byte.
    package static func encodeHistogramSamples(
        _ samples: some Collection<WALHistogramSample>, customBuckets: Bool, into buffer: inout [UInt8]
    ) {
        encodeEntries(samples, type: customBuckets ? .customBucketsHistogramSamples : .histogramSamples, into: &buffer)
    }

    /// Appends a float histogram samples record: type 8, or 10 when `customBuckets`.
    package static func encodeFloatHistogramSamples(
        _ samples: some Collection<WALFloatHistogramSample>, customBuckets: Bool, into buffer: inout [UInt8]
    ) {
        encodeEntries(
            samples, type: customBuckets ? .customBucketsFloatHistogramSamples : .floatHistogramSamples, into: &buffer)
    }

    /// Appends the samples of a type 7 or 9 record to `samples`. Samples of an unknown schema are
    /// left out and counted in `skipped` (Prometheus logs and skips them); those of a reserved
    /// exponential schema (9…52, from a newer writer) are reduced to schema 8, as Prometheus does.
    /// - Throws: `DecodeError` on a wrong type byte, truncation, or a count past the record's end.
    package static func decodeHistogramSamples(
        _ record: [UInt8], into samples: inout [WALHistogramSample], skipped: inout Int
    ) throws(DecodeError) {
        try decodeEntries(record, types: [.histogramSamples, .customBucketsHistogramSamples], into: &samples, skipped: &skipped)
    }

    /// Appends the samples of a type 8 or 10 record to `samples` (see ``decodeHistogramSamples(_:into:skipped:)``).
    package static func decodeFloatHistogramSamples(
        _ record: [UInt8], into samples: inout [WALFloatHistogramSample], skipped: inout Int
    ) throws(DecodeError) {
        try decodeEntries(
            record, types: [.floatHistogramSamples, .customBucketsFloatHistogramSamples], into: &samples, skipped: &skipped)
    }

    private static func encodeEntries<Entry: WALHistogramEntry>(
        _ samples: some Collection<Entry>, type: WALRecordType, into buffer: inout [UInt8]
    ) {
        buffer.append(type.rawValue)
        guard let first = samples.first else { return }
        ByteWriter.be64(first.ref.rawValue, to: &buffer)
        ByteWriter.be64(UInt64(bitPattern: first.timestamp), to: &buffer)
        let ref0 = Int64(bitPattern: first.ref.rawValue)
        for sample in samples {
            ByteWriter.varint(Int64(bitPattern: sample.ref.rawValue) &- ref0, to: &buffer)
            ByteWriter.varint(sample.timestamp &- first.timestamp, to: &buffer)
            sample.encodeHistogram(into: &buffer)
        }
    }

    private static func decodeEntries<Entry: WALHistogramEntry>(
        _ record: [UInt8], types: [WALRecordType], into samples: inout [Entry], skipped: inout Int
    ) throws(DecodeError) {
        guard let type = record.first, types.contains(where: { $0.rawValue == type }) else {
            throw DecodeError("record type \(record.first.map { "\($0)" } ?? "none"), expected \(types[0])")
        }
        var reader = ByteReader(record, offset: 1)
        if reader.isAtEnd { return }
        let ref0 = Int64(bitPattern: try reader.be64())
        let t0 = Int64(bitPattern: try reader.be64())
        while !reader.isAtEnd {
            let ref = SeriesRef(UInt64(bitPattern: ref0 &+ (try reader.varint())))
            let timestamp = t0 &+ (try reader.varint())
            if let sample = try Entry(ref: ref, timestamp: timestamp, decoding: &reader) {
                samples.append(sample)
            } else {
                skipped += 1
            }
        }
    }
}

/// The histogram payload of records 7–10, shared by both kinds (Prometheus `EncodeHistogram`,
/// `DecodeHistogram` and their float versions).
enum WALHistogramCoding {
    static func encodeHeader(hint: CounterResetHint, schema: Int32, zeroThreshold: Double, into buffer: inout [UInt8]) {
        buffer.append(hint.rawValue)
        ByteWriter.varint(Int64(schema), to: &buffer)
        ByteWriter.be64(zeroThreshold.bitPattern, to: &buffer)
    }

    static func encodeSpans(_ spans: [BucketSpan], into buffer: inout [UInt8]) {
        ByteWriter.uvarint(UInt64(spans.count), to: &buffer)
        for span in spans {
            ByteWriter.varint(Int64(span.offset), to: &buffer)
            ByteWriter.uvarint(UInt64(span.length), to: &buffer)
        }
    }

    static func encodeCustomValues(_ values: [Double], schema: Int32, into buffer: inout [UInt8]) {
        guard HistogramSchema.isCustomBuckets(schema) else { return }
        ByteWriter.uvarint(UInt64(values.count), to: &buffer)
        for value in values { ByteWriter.be64(value.bitPattern, to: &buffer) }
    }

    /// The counter-reset hint byte; an unknown value reads as `.unknown`.
    static func hint(_ reader: inout ByteReader) throws(DecodeError) -> CounterResetHint {
        CounterResetHint(rawValue: try reader.byte()) ?? .unknown
    }

    static func schema(_ reader: inout ByteReader) throws(DecodeError) -> Int32 {
        let raw = try reader.varint()
        guard let schema = Int32(exactly: raw) else { throw DecodeError("histogram schema \(raw) out of range") }
        return schema
    }

    /// A count of entries that each take at least `minBytes`, checked against what is left.
    static func count(_ reader: inout ByteReader, minBytes: Int) throws(DecodeError) -> Int {
        let count = try reader.uvarint()
        guard count <= UInt64(reader.remaining / minBytes) else {
            throw DecodeError("\(count) histogram entries in \(reader.remaining) bytes")
        }
        return Int(count)
    }

    static func spans(_ reader: inout ByteReader) throws(DecodeError) -> [BucketSpan] {
        let count = try count(&reader, minBytes: 2)
        var spans: [BucketSpan] = []
        spans.reserveCapacity(count)
        for _ in 0..<count {
            let offset = try reader.varint()
            let length = try reader.uvarint()
            guard let offset = Int32(exactly: offset), let length = UInt32(exactly: length) else {
                throw DecodeError("histogram span (\(offset), \(length)) out of range")
            }
            spans.append(BucketSpan(offset: offset, length: length))
        }
        return spans
    }

    static func floats(_ reader: inout ByteReader) throws(DecodeError) -> [Double] {
        let count = try count(&reader, minBytes: 8)
        var values: [Double] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(Double(bitPattern: try reader.be64())) }
        return values
    }

    static func customValues(_ reader: inout ByteReader, schema: Int32) throws(DecodeError) -> [Double] {
        HistogramSchema.isCustomBuckets(schema) ? try floats(&reader) : []
    }

    /// What Prometheus's decoder does with a schema: keeps a valid one, reduces a reserved
    /// exponential one (from a newer writer) to the finest in use, skips an unknown one.
    /// Applies Prometheus's decoder rule to `h`'s schema; false when the sample is to be skipped.
    static func fitSchema<H: WALSchemaReducible>(of h: inout H) throws(DecodeError) -> Bool {
        if HistogramSchema.isValid(h.schema) { return true }
        guard HistogramSchema.isKnown(h.schema) else { return false }
        do throws(HistogramError) { try h.reduceResolution(to: HistogramSchema.exponentialMax) } catch {
            throw DecodeError("histogram of schema \(h.schema): \(error)")
        }
        return true
    }
}

extension WALHistogramSample: WALHistogramEntry {
    init?(ref: SeriesRef, timestamp: Timestamp, decoding reader: inout ByteReader) throws(DecodeError) {
        var h = Histogram()
        h.counterResetHint = try WALHistogramCoding.hint(&reader)
        h.schema = try WALHistogramCoding.schema(&reader)
        h.zeroThreshold = Double(bitPattern: try reader.be64())
        h.zeroCount = try reader.uvarint()
        h.count = try reader.uvarint()
        h.sum = Double(bitPattern: try reader.be64())
        h.positiveSpans = try WALHistogramCoding.spans(&reader)
        h.negativeSpans = try WALHistogramCoding.spans(&reader)
        h.positiveBuckets = try Self.deltas(&reader)
        h.negativeBuckets = try Self.deltas(&reader)
        h.customValues = try WALHistogramCoding.customValues(&reader, schema: h.schema)
        guard try WALHistogramCoding.fitSchema(of: &h) else { return nil }
        self.init(ref: ref, timestamp: timestamp, histogram: h)
    }

    private static func deltas(_ reader: inout ByteReader) throws(DecodeError) -> [Int64] {
        let count = try WALHistogramCoding.count(&reader, minBytes: 1)
        var values: [Int64] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try reader.varint()) }
        return values
    }

    func encodeHistogram(into buffer: inout [UInt8]) {
        let h = histogram
        WALHistogramCoding.encodeHeader(hint: h.counterResetHint, schema: h.schema, zeroThreshold: h.zeroThreshold, into: &buffer)
        ByteWriter.uvarint(h.zeroCount, to: &buffer)
        ByteWriter.uvarint(h.count, to: &buffer)
        ByteWriter.be64(h.sum.bitPattern, to: &buffer)
        WALHistogramCoding.encodeSpans(h.positiveSpans, into: &buffer)
        WALHistogramCoding.encodeSpans(h.negativeSpans, into: &buffer)
        for buckets in [h.positiveBuckets, h.negativeBuckets] {
            ByteWriter.uvarint(UInt64(buckets.count), to: &buffer)
            for delta in buckets { ByteWriter.varint(delta, to: &buffer) }
        }
        WALHistogramCoding.encodeCustomValues(h.customValues, schema: h.schema, into: &buffer)
    }
}

extension WALFloatHistogramSample: WALHistogramEntry {
    init?(ref: SeriesRef, timestamp: Timestamp, decoding reader: inout ByteReader) throws(DecodeError) {
        var h = FloatHistogram()
        h.counterResetHint = try WALHistogramCoding.hint(&reader)
        h.schema = try WALHistogramCoding.schema(&reader)
        h.zeroThreshold = Double(bitPattern: try reader.be64())
        h.zeroCount = Double(bitPattern: try reader.be64())
        h.count = Double(bitPattern: try reader.be64())
        h.sum = Double(bitPattern: try reader.be64())
        h.positiveSpans = try WALHistogramCoding.spans(&reader)
        h.negativeSpans = try WALHistogramCoding.spans(&reader)
        h.positiveBuckets = try WALHistogramCoding.floats(&reader)
        h.negativeBuckets = try WALHistogramCoding.floats(&reader)
        h.customValues = try WALHistogramCoding.customValues(&reader, schema: h.schema)
        guard try WALHistogramCoding.fitSchema(of: &h) else { return nil }
        self.init(ref: ref, timestamp: timestamp, histogram: h)
    }

    func encodeHistogram(into buffer: inout [UInt8]) {
        let h = histogram
        WALHistogramCoding.encodeHeader(hint: h.counterResetHint, schema: h.schema, zeroThreshold: h.zeroThreshold, into: &buffer)
        for value in [h.zeroCount, h.count, h.sum] { ByteWriter.be64(value.bitPattern, to: &buffer) }
        WALHistogramCoding.encodeSpans(h.positiveSpans, into: &buffer)
        WALHistogramCoding.encodeSpans(h.negativeSpans, into: &buffer)
        for buckets in [h.positiveBuckets, h.negativeBuckets] {
            ByteWriter.uvarint(UInt64(buckets.count), to: &buffer)
            for value in buckets { ByteWriter.be64(value.bitPattern, to: &buffer) }
        }
        WALHistogramCoding.encodeCustomValues(h.customValues, schema: h.schema, into: &buffer)
    }
}

/// A histogram whose resolution can be lowered (both kinds).
protocol WALSchemaReducible {
    var schema: Int32 { get }
    mutating func reduceResolution(to targetSchema: Int32) throws(HistogramError)
}

extension Histogram: WALSchemaReducible {}
extension FloatHistogram: WALSchemaReducible {}
