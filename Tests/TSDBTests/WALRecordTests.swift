// Record codec tests: golden bytes, round trips and malformed input (spec/tsdb-format.md §6.3).

import Testing
import ChunkEncoding
import MetricModel
import TSDB

@Suite("WAL record codec")
struct WALRecordTests {
    @Test("samples record golden bytes: varint deltas relative to the first sample")
    func samplesGolden() {
        var buffer: [UInt8] = []
        WALRecord.encodeSamples([
            WALSample(ref: SeriesRef(5), timestamp: 1000, value: 1.0),
            WALSample(ref: SeriesRef(3), timestamp: 990, value: StaleNaN.value),
            WALSample(ref: SeriesRef(70), timestamp: 1064, value: -0.0),
        ], into: &buffer)
        let expected: [UInt8] = [
            0x02,
            0, 0, 0, 0, 0, 0, 0, 5,  // ref0
            0, 0, 0, 0, 0, 0, 0x03, 0xE8,  // t0 = 1000
            0x00, 0x00, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0,  // first: deltas 0, 0, value 1.0
            0x03, 0x13, 0x7F, 0xF0, 0, 0, 0, 0, 0, 0x02,  // ref -2, t -10, stale NaN
            0x82, 0x01, 0x80, 0x01, 0x80, 0, 0, 0, 0, 0, 0, 0,  // ref +65 (zigzag 130), t +64 (128), -0.0
        ]
        #expect(buffer == expected)
    }

    @Test("series and tombstones records golden bytes")
    func seriesAndTombstonesGolden() {
        var buffer: [UInt8] = []
        WALRecord.encodeSeries([WALSeries(ref: SeriesRef(1), labels: Labels(["__name__": "up", "job": "a"]))], into: &buffer)
        #expect(buffer == [
            0x01, 0, 0, 0, 0, 0, 0, 0, 1, 0x02,
            0x08, 0x5F, 0x5F, 0x6E, 0x61, 0x6D, 0x65, 0x5F, 0x5F, 0x02, 0x75, 0x70,  // __name__ = up
            0x03, 0x6A, 0x6F, 0x62, 0x01, 0x61,  // job = a
        ])
        buffer.removeAll(keepingCapacity: true)
        WALRecord.encodeTombstones([WALTombstone(ref: SeriesRef(294), minTime: -1, maxTime: 63)], into: &buffer)
        #expect(buffer == [0x03, 0, 0, 0, 0, 0, 0, 0x01, 0x26, 0x01, 0x7E])
    }

    @Test("empty records of each type, and unknown types")
    func emptyAndUnknown() throws {
        for record in [WALRecord.series([]), .samples([]), .tombstones([]), .histogramSamples([]), .floatHistogramSamples([])] {
            var buffer: [UInt8] = []
            record.encode(into: &buffer)
            #expect(buffer.count == 1)
            #expect(try WALRecord(decoding: buffer) == record)
        }
        #expect(try WALRecord(decoding: []) == .unknown(type: 0))
        for type: UInt8 in [4, 5, 6, 13, 200, 255] {
            #expect(try WALRecord(decoding: [type, 1, 2, 3]) == .unknown(type: type))
        }
    }

    @Test("round trip of random series, samples and tombstones", arguments: [1, 2, 3, 42] as [UInt64])
    func roundTrip(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        var series: [WALSeries] = []
        for i in 0..<50 {
            var pairs: [(String, String)] = [("__name__", "metric_\(i)")]
            for k in 0..<Int.random(in: 0...6, using: &random) {
                let length = [1, 5, 127, 128, 300].randomElement(using: &random)!
                pairs.append(("label\(k)", String(repeating: "é", count: length)))
            }
            series.append(WALSeries(ref: SeriesRef(UInt64.random(in: 0...UInt64.max, using: &random)), labels: Labels(pairs)))
        }
        let specialValues: [UInt64] = [StaleNaN.bits, StaleNaN.normalNaNBits, 0x8000_0000_0000_0000, 0x7FF0_0000_0000_0000, 0]
        var samples: [WALSample] = []
        for _ in 0..<500 {
            let bits = Bool.random(using: &random) ? specialValues.randomElement(using: &random)! : random.next()
            let timestamp = [Int64.min, Int64.max, -1, 0, Int64.random(in: -1_000_000...1_000_000, using: &random)]
                .randomElement(using: &random)!
            samples.append(WALSample(ref: SeriesRef(random.next() >> UInt64.random(in: 0...63, using: &random)),
                                     timestamp: timestamp, value: Double(bitPattern: bits)))
        }
        let tombstones = (0..<20).map { _ in
            WALTombstone(ref: SeriesRef(random.next()), minTime: Int64(bitPattern: random.next()), maxTime: Int64(bitPattern: random.next()))
        }
        var buffer: [UInt8] = []
        for record in [WALRecord.series(series), .samples(samples), .tombstones(tombstones)] {
            buffer.removeAll(keepingCapacity: true)
            record.encode(into: &buffer)
            #expect(try WALRecord(decoding: buffer) == record, "seed \(seed)")
        }
        // The decode-into variants append, so a reused output array accumulates.
        var decoded: [WALSample] = []
        buffer.removeAll(keepingCapacity: true)
        WALRecord.encodeSamples(samples, into: &buffer)
        try WALRecord.decodeSamples(buffer, into: &decoded)
        try WALRecord.decodeSamples(buffer, into: &decoded)
        #expect(decoded == samples + samples, "seed \(seed)")
    }

    @Test("index-closure encoders write the same bytes as the array encoders")
    func closureEncoders() {
        let samples = (0..<20).map { WALSample(ref: SeriesRef(UInt64(40 - $0)), timestamp: Int64($0) * 15 - 100, value: Double($0)) }
        var viaArray: [UInt8] = [], viaClosure: [UInt8] = []
        WALRecord.encodeSamples(samples, into: &viaArray)
        WALRecord.encodeSamples(samples.count, into: &viaClosure) { (samples[$0].ref.rawValue, samples[$0].timestamp, samples[$0].value) }
        #expect(viaArray == viaClosure)
        let series = (1...5).map { WALSeries(ref: SeriesRef(UInt64($0)), labels: Labels(["__name__": "m", "i": "\($0)"])) }
        viaArray.removeAll(keepingCapacity: true)
        viaClosure.removeAll(keepingCapacity: true)
        WALRecord.encodeSeries(series, into: &viaArray)
        WALRecord.encodeSeries(series.count, into: &viaClosure) { (series[$0].ref.rawValue, series[$0].labels) }
        #expect(viaArray == viaClosure)
    }

    @Test("decoded series labels use the canonical flat encoding")
    func seriesLabelsCanonical() throws {
        // A non-minimal uvarint length (0x83 0x00 = 3) still decodes to the canonical bytes.
        let record: [UInt8] = [0x01, 0, 0, 0, 0, 0, 0, 0, 7, 0x01, 0x83, 0x00, 0x6A, 0x6F, 0x62, 0x01, 0x61]
        var series: [WALSeries] = []
        try WALRecord.decodeSeries(record, into: &series)
        #expect(series == [WALSeries(ref: SeriesRef(7), labels: Labels(["job": "a"]))])
        #expect(series[0].labels["job"] == "a")
    }

    @Test("every truncation of a valid record throws and never traps", arguments: [7, 8] as [UInt64])
    func truncations(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var records: [[UInt8]] = []
        var buffer: [UInt8] = []
        WALRecord.encodeSeries([WALSeries(ref: SeriesRef(9), labels: Labels(["a": "b", "cc": String(repeating: "x", count: 200)]))], into: &buffer)
        records.append(buffer)
        buffer = []
        WALRecord.encodeSamples((0..<3).map { WALSample(ref: SeriesRef(UInt64($0) * 1000), timestamp: Int64($0) * 100_000, value: 1) }, into: &buffer)
        records.append(buffer)
        buffer = []
        WALRecord.encodeTombstones([WALTombstone(ref: SeriesRef(1), minTime: -5_000_000, maxTime: 5_000_000)], into: &buffer)
        records.append(buffer)
        for record in records {
            for length in 1..<record.count {
                let prefix = Array(record[..<length])
                // A shorter samples/tombstones record can be valid only at an entry boundary; anything
                // else must throw. Either way: no trap, and no more entries than the original.
                if let decoded = try? WALRecord(decoding: prefix) {
                    switch decoded {
                    case .series(let s): #expect(s.isEmpty, "seed \(seed)")
                    case .samples(let s): #expect(s.count < 3, "seed \(seed)")
                    case .tombstones(let t): #expect(t.isEmpty, "seed \(seed)")
                    case .histogramSamples, .floatHistogramSamples, .unknown: Issue.record("unexpected \(decoded), seed \(seed)")
                    }
                }
            }
            // Random garbage after the type byte never traps.
            for _ in 0..<200 {
                var garbage = [record[0]] + random.bytes(Int.random(in: 0...64, using: &random))
                if Bool.random(using: &random) { garbage[min(garbage.count - 1, 9)] = 0xFF }
                _ = try? WALRecord(decoding: garbage)
            }
        }
        #expect(throws: DecodeError.self) {
            var samples: [WALSample] = []
            try WALRecord.decodeSamples([0x01], into: &samples)
        }
        #expect(throws: DecodeError.self) {
            var series: [WALSeries] = []
            try WALRecord.decodeSeries([0x01, 0, 0, 0, 0, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0x7F], into: &series)
        }
    }
}
