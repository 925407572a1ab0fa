// Prometheus's appendability rules for histogram chunks: what appends, what recodes, what starts a
// new chunk and with which counter-reset header (histogram.go / float_histogram.go `appendable`).

import ChunkEncoding
import MetricModel
import Testing

private func spans(_ pairs: Int...) -> [BucketSpan] {
    stride(from: 0, to: pairs.count - 1, by: 2).map { BucketSpan(offset: Int32(pairs[$0]), length: UInt32(pairs[$0 + 1])) }
}

/// A counter histogram with one positive span of `buckets` (delta-encoded) starting at index 0.
private func counter(_ count: UInt64, _ buckets: [Int64], spans s: [BucketSpan]? = nil, zero: UInt64 = 0) -> Histogram {
    Histogram(zeroCount: zero, count: count, sum: Double(count), positiveSpans: s ?? spans(0, buckets.count), positiveBuckets: buckets)
}

private func chunk(_ samples: Histogram...) -> HistogramChunk {
    var c = HistogramChunk()
    for (i, h) in samples.enumerated() { _ = c.append(Int64(i + 1) * 1000, h) }
    return c
}

@Suite struct HistogramChunkAppendTests {
    @Test func countDropStartsCounterResetChunk() throws {
        var c = chunk(counter(10, [4, 0]))
        let before = c.bytes
        let next = try #require(c.append(5000, counter(9, [4, 0])).newChunk)
        #expect(c.bytes == before)
        #expect(next.counterResetHeader == .counterReset && next.count == 1 && next.minTime == 5000)
    }

    @Test func bucketDropOrLossIsAReset() throws {
        var c = chunk(counter(10, [4, 2]))  // absolute [4, 6]
        let outcome1 = c.append(5000, counter(11, [4, 1]))
        #expect(outcome1.newChunk?.counterResetHeader == .counterReset)  // 6 → 5
        let outcome2 = c.append(5000, counter(11, [4]))
        #expect(outcome2.newChunk?.counterResetHeader == .counterReset)  // bucket 1 gone
        let outcome3 = c.append(5000, counter(11, [1], zero: 0))
        #expect(outcome3.newChunk?.counterResetHeader == .counterReset)
        var z = chunk(counter(10, [4, 2], zero: 3))
        let outcome4 = z.append(5000, counter(11, [4, 2], zero: 2))
        #expect(outcome4.newChunk?.counterResetHeader == .counterReset)
    }

    @Test func layoutChangesStartUnknownChunks() {
        var c = chunk(counter(10, [4, 2]))
        var schema = counter(11, [4, 2])
        schema.schema = 1
        let outcome5 = c.append(5000, schema)
        #expect(outcome5.newChunk?.counterResetHeader == .unknown)
        var threshold = counter(11, [4, 2])
        threshold.zeroThreshold = 0.5
        let outcome6 = c.append(5000, threshold)
        #expect(outcome6.newChunk?.counterResetHeader == .unknown)
        var explicit = counter(11, [4, 2])
        explicit.counterResetHint = .counterReset
        let outcome7 = c.append(5000, explicit)
        #expect(outcome7.newChunk?.counterResetHeader == .counterReset)
    }

    @Test func customBoundsChangeIsAReset() {
        let a = Histogram(schema: -53, count: 2, sum: 1, positiveSpans: spans(0, 1), positiveBuckets: [2], customValues: [1, 2])
        var b = a
        b.customValues = [1, 3]
        var c = chunk(a)
        let outcome8 = c.append(5000, b)
        #expect(outcome8.newChunk?.counterResetHeader == .counterReset)
        var same = a
        same.count = 3
        same.positiveBuckets = [3]
        let outcome9 = c.append(5000, same)
        #expect(outcome9.isAppended)
    }

    @Test func sampleAfterStaleMarkerStartsUnknownChunk() {
        var c = chunk(counter(10, [4, 2]), Histogram(sum: StaleNaN.value))
        let outcome10 = c.append(5000, Histogram(sum: StaleNaN.value))
        #expect(outcome10.isAppended)
        let outcome11 = c.append(6000, counter(11, [4, 2]))
        #expect(outcome11.newChunk?.counterResetHeader == .unknown)
    }

    /// New buckets before, between and after the chunk's: the chunk is re-encoded, earlier samples
    /// get empty buckets there, and the header survives.
    @Test func newBucketsRecodeTheChunk() throws {
        var c = HistogramChunk()
        _ = c.append(1000, counter(3, [1, 1], spans: spans(1, 1, 1, 1)), previous: chunk(counter(1, [1, 0], spans: spans(1, 1, 1, 1))))
        #expect(c.counterResetHeader == .notCounterReset)
        _ = c.append(2000, counter(4, [2, 0], spans: spans(1, 1, 1, 1)))
        let wider = counter(9, [1, 1, 0, 0, 1], spans: spans(0, 5))  // absolute [1, 2, 2, 2, 3]
        let outcome12 = c.append(3000, wider)
        #expect(outcome12.isRecoded)
        #expect(c.counterResetHeader == .notCounterReset && c.count == 3 && c.minTime == 1000)
        let decoded = decodeAll(c.bytes)
        #expect(decoded.error == nil)
        #expect(decoded.samples.map(\.1.positiveSpans) == Array(repeating: spans(0, 5), count: 3))
        #expect(decoded.floats.map(\.positiveBuckets) == [[0, 1, 0, 2, 0], [0, 2, 0, 2, 0], [1, 2, 2, 2, 3]])
    }

    /// A sample that lacks a bucket that is empty in the chunk is widened to the chunk's layout.
    @Test func missingEmptyBucketIsFilledIn() {
        var c = chunk(counter(3, [0, 3, -3], spans: spans(0, 3)))  // absolute [0, 3, 0]
        let outcome13 = c.append(2000, counter(4, [4], spans: spans(1, 1)))
        #expect(outcome13.isAppended)
        let decoded = decodeAll(c.bytes)
        #expect(decoded.floats.last?.positiveBuckets == [0, 4, 0])
        #expect(decoded.samples.last?.1.positiveSpans == spans(0, 3))
        // And both at once: a new bucket and a missing empty one.
        let outcome14 = c.append(3000, counter(6, [5, -4], spans: spans(1, 1, 2, 1)))
        #expect(outcome14.isRecoded)  // buckets 1 and 4
        let after = decodeAll(c.bytes)
        #expect(after.error == nil)
        #expect(after.floats.map(\.positiveBuckets) == [[0, 3, 0, 0], [0, 4, 0, 0], [0, 5, 0, 1]])
        #expect(after.samples.last?.1.positiveSpans == spans(0, 3, 1, 1))
    }

    @Test func gaugesFallAndChangeBuckets() throws {
        func gauge(_ count: UInt64, _ buckets: [Int64], _ s: [BucketSpan]) -> Histogram {
            Histogram(counterResetHint: .gauge, count: count, sum: 1, positiveSpans: s, positiveBuckets: buckets)
        }
        var c = HistogramChunk()
        _ = c.append(1000, gauge(5, [5], spans(0, 1)))
        #expect(c.counterResetHeader == .gauge)
        let outcome15 = c.append(2000, gauge(2, [2], spans(0, 1)))
        #expect(outcome15.isAppended)
        let outcome16 = c.append(3000, gauge(3, [1, 2], spans(1, 2)))
        #expect(outcome16.isRecoded)  // bucket 0 gone, 2 new
        let decoded = decodeAll(c.bytes)
        #expect(decoded.floats.map(\.positiveBuckets) == [[5, 0, 0], [2, 0, 0], [0, 1, 3]])
        #expect(decoded.samples.map(\.1.counterResetHint) == [.gauge, .gauge, .gauge])
        // A counter sample cannot join a gauge chunk, nor a gauge a counter chunk.
        let outcome17 = c.append(4000, counter(3, [3]))
        #expect(outcome17.newChunk?.counterResetHeader == .notCounterReset)
        var counterChunk = chunk(counter(1, [1]))
        let outcome18 = counterChunk.append(5000, gauge(1, [1], spans(0, 1)))
        #expect(outcome18.newChunk?.counterResetHeader == .gauge)
        // Schema changes cut gauge chunks too.
        var other = gauge(1, [1], spans(0, 1))
        other.schema = 2
        let outcome19 = c.append(4000, other)
        #expect(outcome19.newChunk?.counterResetHeader == .gauge)

        var floats = FloatHistogramChunk()
        _ = floats.append(1000, gauge(5, [5], spans(0, 1)).toFloat())
        let outcome20 = floats.append(2000, counter(3, [3]).toFloat())
        #expect(outcome20.newChunk?.counterResetHeader == .unknown)
    }

    /// The header of a chunk continuing a series, worked out against the previous chunk.
    @Test func headersAgainstPreviousChunk() {
        let previous = chunk(counter(10, [10]))
        var next = HistogramChunk()
        _ = next.append(9000, counter(12, [12]), previous: previous)
        #expect(next.counterResetHeader == .notCounterReset)
        var reset = HistogramChunk()
        _ = reset.append(9000, counter(2, [2]), previous: previous)
        #expect(reset.counterResetHeader == .counterReset)
        var schema = HistogramChunk()
        var coarser = counter(12, [12])
        coarser.schema = -1
        _ = schema.append(9000, coarser, previous: previous)
        #expect(schema.counterResetHeader == .unknown)
        var first = HistogramChunk()
        _ = first.append(9000, counter(2, [2]))
        #expect(first.counterResetHeader == .unknown)

        var floatPrevious = FloatHistogramChunk()
        _ = floatPrevious.append(1000, counter(10, [10]).toFloat())
        var floatSchema = FloatHistogramChunk()
        _ = floatSchema.append(9000, coarser.toFloat(), previous: floatPrevious)
        #expect(floatSchema.counterResetHeader == .notCounterReset)  // float chunks: reset or not, never unknown
        var floatReset = FloatHistogramChunk()
        _ = floatReset.append(9000, counter(2, [2]).toFloat(), previous: floatPrevious)
        #expect(floatReset.counterResetHeader == .counterReset)
    }

    /// Prometheus 3.x hints: `.unknown` for a chunk's first sample whatever its header, then
    /// `.notCounterReset`.
    @Test func iteratorHintsFollowPrometheus3() throws {
        var c = chunk(counter(10, [10]))
        let next = try #require(c.append(2000, counter(1, [1])).newChunk)
        var it = next.makeIterator()
        #expect(it.counterResetHeader == .counterReset)
        let moved1 = it.next()
        #expect(moved1 && it.histogram.counterResetHint == .unknown)
        var both = c.makeIterator()
        let moved2 = both.next()
        let moved3 = both.next()
        #expect(moved2 && moved3 == false)
        #expect(CounterResetHeader.counterReset.hint(forSampleAt: 1) == .notCounterReset)
        #expect(CounterResetHeader.gauge.hint(forSampleAt: 0) == .gauge)
    }
}
