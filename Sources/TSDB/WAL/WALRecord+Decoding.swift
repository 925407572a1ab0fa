// Decoders for WAL series, samples and tombstones records (spec/tsdb-format.md §6.3).
//
// Every read is bounds-checked; malformed input throws `DecodeError`, never traps. Label bytes
// are not checked for valid UTF-8 (Prometheus does not either); they go straight into the flat
// `Labels` encoding.

package import ChunkEncoding
import MetricModel

extension WALRecord {
    /// The record's type byte, or nil for an empty record.
    package static func typeByte(of record: [UInt8]) -> UInt8? {
        record.first
    }

    /// Decodes any record. Types other than 1–3 and 7–10 give `.unknown(type:)` without looking
    /// further. Histograms of an unknown schema are left out (Prometheus skips them too).
    /// - Throws: `DecodeError` when a series, samples, tombstones or histogram record is malformed.
    package init(decoding record: [UInt8]) throws(DecodeError) {
        guard let type = record.first else {
            self = .unknown(type: 0)
            return
        }
        switch WALRecordType(rawValue: type) {
        case .series:
            var series: [WALSeries] = []
            try WALRecord.decodeSeries(record, into: &series)
            self = .series(series)
        case .samples:
            var samples: [WALSample] = []
            try WALRecord.decodeSamples(record, into: &samples)
            self = .samples(samples)
        case .tombstones:
            var tombstones: [WALTombstone] = []
            try WALRecord.decodeTombstones(record, into: &tombstones)
            self = .tombstones(tombstones)
        case .histogramSamples, .customBucketsHistogramSamples:
            var histograms: [WALHistogramSample] = []
            var skipped = 0
            try WALRecord.decodeHistogramSamples(record, into: &histograms, skipped: &skipped)
            self = .histogramSamples(histograms)
        case .floatHistogramSamples, .customBucketsFloatHistogramSamples:
            var histograms: [WALFloatHistogramSample] = []
            var skipped = 0
            try WALRecord.decodeFloatHistogramSamples(record, into: &histograms, skipped: &skipped)
            self = .floatHistogramSamples(histograms)
        default:
            self = .unknown(type: type)
        }
    }

    /// Appends the entries of a Series record to `series`.
    /// - Throws: `DecodeError` on a wrong type byte, truncation, or a label count or length that
    ///   runs past the record.
    package static func decodeSeries(_ record: [UInt8], into series: inout [WALSeries]) throws(DecodeError) {
        var reader = try reader(record, expecting: .series)
        while !reader.isAtEnd {
            let ref = try reader.be64()
            let count = try reader.uvarint()
            // Each label takes at least two bytes (two zero lengths): reject absurd counts early.
            guard count <= UInt64(reader.remaining / 2) else {
                throw DecodeError("series \(ref): \(count) labels in \(reader.remaining) bytes")
            }
            let start = reader.offset
            for _ in 0..<count {
                _ = try reader.uvarintBytes()
                _ = try reader.uvarintBytes()
            }
            // Re-encode with minimal varints so equal label sets have equal bytes.
            var bytes: [UInt8] = []
            bytes.reserveCapacity(reader.offset - start)
            var labelReader = ByteReader(record, offset: start, end: reader.offset)
            while !labelReader.isAtEnd {
                LabelsEncoding.appendString(try labelReader.uvarintBytes(), to: &bytes)
            }
            series.append(WALSeries(ref: SeriesRef(ref), labels: Labels(encoded: bytes)))
        }
    }

    /// Appends the samples of a Samples record to `samples`.
    /// - Throws: `DecodeError` on a wrong type byte or truncation.
    package static func decodeSamples(_ record: [UInt8], into samples: inout [WALSample]) throws(DecodeError) {
        var reader = try reader(record, expecting: .samples)
        if reader.isAtEnd { return }
        let ref0 = Int64(bitPattern: try reader.be64())
        let t0 = Int64(bitPattern: try reader.be64())
        while !reader.isAtEnd {
            let deltaRef = try reader.varint()
            let deltaTime = try reader.varint()
            let bits = try reader.be64()
            samples.append(WALSample(
                ref: SeriesRef(UInt64(bitPattern: ref0 &+ deltaRef)),
                timestamp: t0 &+ deltaTime,
                value: Double(bitPattern: bits)
            ))
        }
    }

    /// Appends the intervals of a Tombstones record to `tombstones`.
    /// - Throws: `DecodeError` on a wrong type byte or truncation.
    package static func decodeTombstones(_ record: [UInt8], into tombstones: inout [WALTombstone]) throws(DecodeError) {
        var reader = try reader(record, expecting: .tombstones)
        while !reader.isAtEnd {
            let ref = try reader.be64()
            let minTime = try reader.varint()
            let maxTime = try reader.varint()
            tombstones.append(WALTombstone(ref: SeriesRef(ref), minTime: minTime, maxTime: maxTime))
        }
    }

    private static func reader(_ record: [UInt8], expecting type: WALRecordType) throws(DecodeError) -> ByteReader {
        guard let first = record.first else { throw DecodeError("empty record, expected \(type)") }
        guard first == type.rawValue else { throw DecodeError("record type \(first), expected \(type)") }
        return ByteReader(record, offset: 1)
    }
}
