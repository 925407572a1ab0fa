// Cutting histogram series into chunks as Prometheus's head does (HistogramChunkCutter), and
// decoders that meet truncated or garbage chunks.

import ChunkEncoding
import MetricModel
import Testing

/// A scrape-like counter series: `n` samples every `step` ms from `start`, with `buckets` buckets
/// whose counts only grow (bucket j by j % 4 + 1 per sample), so no sample is a counter reset.
private func scraped(_ n: Int, start: Int64 = 0, step: Int64 = 15_000, buckets: Int = 20) -> [(Int64, Histogram)] {
    (0..<n).map { i in
        let k = Int64(i)
        let absolute = (0..<buckets).map { j in Int64(j + 1) * 3 + Int64(j % 4 + 1) * k }
        let deltas = absolute.indices.map { j in j == 0 ? absolute[0] : absolute[j] - absolute[j - 1] }
        return (start + k * step, Histogram(
            count: UInt64(absolute.reduce(0, +)), sum: Double(i) * 10.5,
            positiveSpans: [BucketSpan(offset: 0, length: UInt32(buckets))], positiveBuckets: deltas))
    }
}

@Suite struct HistogramChunkCuttingTests {
    @Test func chunksStayWithinRangesAndSizes() throws {
        let series = scraped(2000)  // 8 h 20 min
        let chunks = HistogramChunk.chunks(series)
        #expect(chunks.count > 4)
        var decoded: [(Int64, Histogram)] = []
        for chunk in chunks {
            #expect(chunk.encoding == 2)
            // Never across a 2 h boundary, never far past the 1024-byte target.
            #expect(chunk.minTime / 7_200_000 == chunk.maxTime / 7_200_000)
            #expect(chunk.bytes.count < 2048 + 200)
            var it = HistogramIterator(chunk.bytes)
            while it.next() { decoded.append((it.timestamp, it.histogram)) }
            #expect(it.error == nil)
            #expect(decoded.last?.0 == chunk.maxTime)
        }
        #expect(decoded.map(\.0) == series.map(\.0))
        #expect(decoded.map(\.1) == series.map(\.1))
        // Chunks cut by size continue the series: no reset.
        #expect(chunks.dropFirst().allSatisfy { CounterResetHeader(chunkByte: $0.bytes[2]) == .notCounterReset })
        // Full chunks hold at least 10 samples (only range ends may cut earlier).
        let sampleCounts = chunks.map { Int($0.bytes[0]) << 8 | Int($0.bytes[1]) }
        #expect(sampleCounts.dropLast().allSatisfy { $0 >= 10 })
    }

    /// Prometheus's prediction: at a quarter of 1024 bytes (here 263 bytes after 26 samples, 375 s
    /// in), the rest of the 2 h range is split into chunks that would each reach 1024 bytes:
    /// floor(7200 / (375 × 1024 / 263)) = 4 chunks of 30 min, then 3 of the remaining 90 min, …
    @Test func predictedEndTimesSplitTheRange() {
        var cutter = HistogramChunkCutter()
        cutter.openedChunk(at: 0)
        var samples = 1
        var chunkMinTime: Int64 = 0
        var last: Int64 = 0
        var cuts: [Int64] = []
        for i in 1..<480 {
            let t = Int64(i) * 15_000
            if cutter.startsNewChunk(at: t, chunkMinTime: chunkMinTime, chunkMaxTime: last, samples: samples, bytes: 3 + 10 * samples) {
                cuts.append(t)
                chunkMinTime = t
                samples = 0
            }
            samples += 1
            last = t
        }
        #expect(cuts == [1_800_000, 3_600_000, 5_400_000])
    }

    /// Past 2048 bytes a chunk is cut, but not before it holds 10 samples, unless the range ends.
    @Test func sizeLimitAndMinimumSamples() {
        var cutter = HistogramChunkCutter()
        cutter.openedChunk(at: 0)
        let nineSamples = cutter.startsNewChunk(at: 1000, chunkMinTime: 0, chunkMaxTime: 0, samples: 9, bytes: 5000)
        let tenSamples = cutter.startsNewChunk(at: 2000, chunkMinTime: 0, chunkMaxTime: 1000, samples: 10, bytes: 5000)
        let rangeEnd = cutter.startsNewChunk(at: 7_200_000, chunkMinTime: 2000, chunkMaxTime: 2000, samples: 1, bytes: 100)
        #expect(!nineSamples && tenSamples && rangeEnd)
    }

    @Test func counterResetStartsAChunk() throws {
        var series = scraped(30)
        let reset = Histogram(count: 1, sum: 1, positiveSpans: [BucketSpan(offset: 0, length: 1)], positiveBuckets: [1])
        series.insert((series[14].0 + 1, reset), at: 15)
        let chunks = HistogramChunk.chunks(series)
        let resetChunk = try #require(chunks.first { $0.minTime == series[15].0 })
        #expect(CounterResetHeader(chunkByte: resetChunk.bytes[2]) == .counterReset)
    }

    @Test func outOfOrderSamplesAreDropped() {
        let series = scraped(5)
        let chunks = HistogramChunk.chunks(series + [series[2]] + [(series[4].0 + 1, series[4].1)])
        #expect(chunks.count == 1)
        #expect(Int(chunks[0].bytes[1]) == 6)
    }

    @Test func floatSeriesCutAlike() {
        let series = scraped(2000).map { ($0.0, $0.1.toFloat()) }
        let chunks = FloatHistogramChunk.chunks(series)
        #expect(chunks.allSatisfy { $0.encoding == 3 && $0.minTime / 7_200_000 == $0.maxTime / 7_200_000 })
        var decoded: [FloatHistogram] = []
        for chunk in chunks {
            var it = FloatHistogramIterator(chunk.bytes)
            while it.next() { decoded.append(it.floatHistogram) }
        }
        #expect(decoded == series.map(\.1))
    }

    /// Every prefix of a real chunk, and random garbage, decodes without trapping; a cut chunk says so.
    @Test(arguments: [UInt64(7), 99])
    func truncatedAndGarbageChunksFailCleanly(seed: UInt64) {
        let bytes = HistogramChunk.chunks(scraped(12)).first?.bytes ?? []
        let floatBytes = FloatHistogramChunk.chunks(scraped(12).map { ($0.0, $0.1.toFloat()) }).first?.bytes ?? []
        for cut in 0..<bytes.count {
            var it = HistogramIterator(Array(bytes[..<cut]))
            while it.next() {}
            #expect(it.error != nil, "prefix of \(cut) bytes")
        }
        for cut in 0..<floatBytes.count {
            var it = FloatHistogramIterator(Array(floatBytes[..<cut]))
            while it.next() {}
            #expect(it.error != nil, "prefix of \(cut) bytes")
        }
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<300 {
            let garbage = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var it = HistogramIterator(garbage)
            var n = 0
            while it.next() { n += 1 }
            #expect(n <= it.sampleCount)
            var floats = FloatHistogramIterator(garbage)
            while floats.next() {}
        }
    }

    /// The layout's zero-threshold byte and custom-bound encodings (histogram_meta.go).
    @Test func zeroThresholdBytes() {
        func thresholdByte(_ threshold: Double) -> [UInt8] {
            var c = HistogramChunk()
            _ = c.append(0, Histogram(zeroThreshold: threshold))
            return Array(c.bytes[3..<(threshold == 0 || c.bytes[3] != 0xFF ? 4 : 12)])
        }
        #expect(thresholdByte(0) == [0])
        #expect(thresholdByte(0x1p-128) == [116])
        #expect(thresholdByte(0x1p-243) == [1])
        #expect(thresholdByte(0x1p10) == [254])
        #expect(thresholdByte(0x1p11) == [0xFF, 0x40, 0xA0, 0, 0, 0, 0, 0, 0])
        #expect(thresholdByte(0.001).first == 0xFF)
        #expect(thresholdByte(-0.5).first == 0xFF)
    }

    @Test func varbitEdges() {
        let signed: [Int64] = [
            0, 1, -1, 4, -3, 5, -4, 32, -31, 33, 256, -255, 2048, -2047, 131_072, -131_071, 16_777_216,
            -16_777_215, 36_028_797_018_963_968, -36_028_797_018_963_967, .max, .min,
        ]
        let unsigned: [UInt64] = [0, 7, 8, 63, 64, 511, 4095, 262_143, 33_554_431, 33_554_432, 1 << 56 - 1, 1 << 56, .max]
        var w = BitWriter()
        for v in signed { w.writeVarbitInt(v) }
        for v in unsigned { w.writeVarbitUint(v) }
        var r = BitReader(w.bytes)
        #expect(signed.map { _ in r.readVarbitInt() } == signed.map { Optional($0) })
        #expect(unsigned.map { _ in r.readVarbitUint() } == unsigned.map { Optional($0) })
        // Bucket sizes: 4 → `10 100` (5 bits), -3 → `10 101`, 5 needs `110` + 6 bits.
        var small = BitWriter()
        small.writeVarbitInt(4)
        small.writeVarbitInt(-3)
        #expect(small.bytes == [0b1010_0101, 0b0100_0000] && small.bitCount == 10)
    }
}
