// Encoders for WAL series, samples and tombstones records (spec/tsdb-format.md §6.3).
//
// Hot path: every encoder appends to a caller-owned buffer that the caller reuses
// (`buffer.removeAll(keepingCapacity: true)` between records), so encoding allocates nothing
// once the buffer has grown.

package import MetricModel
import ChunkEncoding

extension WALRecord {
    /// Appends a Series record (type 1): per series `BE64 ref`, `uvarint nLabels`, then each label as
    /// `uvarint len, name, uvarint len, value`.
    ///
    /// The label pairs are copied straight from `Labels.bytes`, which already uses that layout.
    package static func encodeSeries(_ series: [WALSeries], into buffer: inout [UInt8]) {
        encodeSeries(series.count, into: &buffer) { (series[$0].ref.rawValue, series[$0].labels) }
    }

    /// Appends a Series record for `count` series supplied by index, without building an array
    /// first (the head's commit path).
    ///
    /// ```swift
    /// WALRecord.encodeSeries(created.count, into: &buffer) { i in (created[i].ref.rawValue, created[i].labels) }
    /// ```
    package static func encodeSeries(
        _ count: Int, into buffer: inout [UInt8], _ series: (Int) -> (ref: UInt64, labels: Labels)
    ) {
        buffer.append(WALRecordType.series.rawValue)
        for i in 0..<count {
            let entry = series(i)
            ByteWriter.be64(entry.ref, to: &buffer)
            ByteWriter.uvarint(UInt64(entry.labels.count), to: &buffer)
            buffer.append(contentsOf: entry.labels.bytes)
        }
    }

    /// Appends a Samples record (type 2): `BE64 ref0`, `BE64 t0`, then per sample
    /// `varint(ref - ref0)`, `varint(t - t0)`, `BE64 value bits`. Deltas are relative to the **first**
    /// sample, which is itself written with deltas 0, 0 (spec §6.3 DOC ERRATUM). An empty list
    /// gives a record of just the type byte, as in Prometheus.
    package static func encodeSamples(_ samples: [WALSample], into buffer: inout [UInt8]) {
        encodeSamples(samples.count, into: &buffer) {
            (samples[$0].ref.rawValue, samples[$0].timestamp, samples[$0].value)
        }
    }

    /// Appends a Samples record for `count` samples supplied by index, without building an
    /// array first (the head's commit path). Same layout as ``encodeSamples(_:into:)``.
    ///
    /// ```swift
    /// WALRecord.encodeSamples(batch.count, into: &buffer) { i in (batch[i].ref, batch[i].t, batch[i].v) }
    /// ```
    package static func encodeSamples(
        _ count: Int, into buffer: inout [UInt8], _ sample: (Int) -> (ref: UInt64, timestamp: Timestamp, value: Double)
    ) {
        buffer.append(WALRecordType.samples.rawValue)
        guard count > 0 else { return }
        let first = sample(0)
        ByteWriter.be64(first.ref, to: &buffer)
        ByteWriter.be64(UInt64(bitPattern: first.timestamp), to: &buffer)
        let ref0 = Int64(bitPattern: first.ref)
        for i in 0..<count {
            let entry = i == 0 ? first : sample(i)
            ByteWriter.varint(Int64(bitPattern: entry.ref) &- ref0, to: &buffer)
            ByteWriter.varint(entry.timestamp &- first.timestamp, to: &buffer)
            ByteWriter.be64(entry.value.bitPattern, to: &buffer)
        }
    }

    /// Appends a Tombstones record (type 3): per interval `BE64 ref`, `varint minTime`, `varint maxTime`.
    package static func encodeTombstones(_ tombstones: [WALTombstone], into buffer: inout [UInt8]) {
        buffer.append(WALRecordType.tombstones.rawValue)
        for tombstone in tombstones {
            ByteWriter.be64(tombstone.ref.rawValue, to: &buffer)
            ByteWriter.varint(tombstone.minTime, to: &buffer)
            ByteWriter.varint(tombstone.maxTime, to: &buffer)
        }
    }

    /// Appends this record's encoding. `.unknown(type:)` encodes as its type byte alone
    /// (nothing at all for type 0, the empty record).
    package func encode(into buffer: inout [UInt8]) {
        switch self {
        case .series(let series): WALRecord.encodeSeries(series, into: &buffer)
        case .samples(let samples): WALRecord.encodeSamples(samples, into: &buffer)
        case .tombstones(let tombstones): WALRecord.encodeTombstones(tombstones, into: &buffer)
        case .histogramSamples(let samples):
            WALRecord.encodeHistogramSamples(
                samples, customBuckets: samples.first?.histogram.usesCustomBuckets ?? false, into: &buffer)
        case .floatHistogramSamples(let samples):
            WALRecord.encodeFloatHistogramSamples(
                samples, customBuckets: samples.first?.histogram.usesCustomBuckets ?? false, into: &buffer)
        case .unknown(let type): if type != 0 { buffer.append(type) }
        }
    }
}
