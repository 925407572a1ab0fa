// Scraping the protobuf exposition format: native histograms stored when scrape_native_histograms
// is on, under the bucket limit and min bucket factor; floats as for text.

import MetricModel
import Testing

@testable import Scrape

@Suite struct ProtobufScrapeTests {
    static let contentType = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"
    static let target = Labels(["instance": "host:9100", "job": "node"])

    /// Protobuf wire bytes, written field by field from metrics.proto.
    struct Message {
        var bytes: [UInt8] = []

        mutating func varint(_ field: UInt64, _ value: UInt64) {
            key(field, 0)
            Self.appendVarint(value, &bytes)
        }

        mutating func sint(_ field: UInt64, _ value: Int64) { varint(field, UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

        mutating func double(_ field: UInt64, _ value: Double) {
            key(field, 1)
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }

        mutating func message(_ field: UInt64, _ inner: Message) {
            key(field, 2)
            Self.appendVarint(UInt64(inner.bytes.count), &bytes)
            bytes += inner.bytes
        }

        mutating func string(_ field: UInt64, _ text: String) {
            key(field, 2)
            Self.appendVarint(UInt64(text.utf8.count), &bytes)
            bytes += Array(text.utf8)
        }

        private mutating func key(_ field: UInt64, _ wire: UInt64) { Self.appendVarint(field << 3 | wire, &bytes) }

        static func appendVarint(_ value: UInt64, _ out: inout [UInt8]) {
            var n = value
            while n >= 0x80 {
                out.append(UInt8(truncatingIfNeeded: n) | 0x80)
                n >>= 7
            }
            out.append(UInt8(n))
        }
    }

    /// A body with one counter and one native histogram (schema 3, buckets at indexes 0…5 with
    /// counts 1…6; `k` scales every count), each family delimited by its length.
    static func body(k: UInt64) -> [UInt8] {
        var counter = Message()
        counter.string(1, "requests_total")
        counter.varint(3, 0)  // COUNTER
        var metric = Message()
        var value = Message()
        value.double(1, Double(k))
        metric.message(3, value)  // Metric.counter
        counter.message(4, metric)

        var histogram = Message()
        histogram.varint(1, 21 * k)  // sample_count
        histogram.double(2, 10.5 * Double(k))  // sample_sum
        histogram.sint(5, 3)  // schema
        histogram.double(6, 0.001)  // zero_threshold
        histogram.varint(7, 0)  // zero_count
        var span = Message()
        span.sint(1, 0)
        span.varint(2, 6)
        histogram.message(12, span)
        for _ in 0..<6 { histogram.sint(13, Int64(k)) }  // counts k, 2k, … 6k as deltas
        var family = Message()
        family.string(1, "latency_seconds")
        family.varint(3, 4)  // HISTOGRAM
        var histogramMetric = Message()
        var label = Message()
        label.string(1, "path")
        label.string(2, "/api")
        histogramMetric.message(1, label)
        histogramMetric.message(7, histogram)
        family.message(4, histogramMetric)

        var out: [UInt8] = []
        for message in [counter, family] {
            Message.appendVarint(UInt64(message.bytes.count), &out)
            out += message.bytes
        }
        return out
    }

    func scrape(_ session: ScrapeSession, _ storage: TestStorage, _ body: [UInt8], at time: Timestamp) -> ScrapeError? {
        let app = storage.appender()
        let (_, error) = session.append(body: body, contentType: Self.contentType, time: time, now: time, to: app)
        if error != nil { app.rollback() } else { try? app.commit() }
        return error
    }

    static let histogramLabels = Labels(["__name__": "latency_seconds", "path": "/api", "instance": "host:9100", "job": "node"])

    @Test func nativeHistogramsAreStoredWhenEnabled() throws {
        var options = ScrapeSession.Options()
        options.nativeHistograms = true
        let storage = TestStorage()
        let session = ScrapeSession(targetLabels: Self.target, options: options)
        #expect(scrape(session, storage, Self.body(k: 1), at: 1000) == nil)
        #expect(scrape(session, storage, Self.body(k: 2), at: 2000) == nil)
        #expect(storage.samples(Labels(["__name__": "requests_total", "instance": "host:9100", "job": "node"])) == [Sample(1000, 1), Sample(2000, 2)])
        let stored = storage.histograms(Self.histogramLabels)
        #expect(stored.map(\.0) == [1000, 2000])
        #expect(stored.first?.1.schema == 3)
        #expect(stored.last?.1.count == 42)
        #expect(stored.first?.1.positiveSpans == [BucketSpan(offset: 0, length: 6)])
        #expect(session.metadata["latency_seconds"]?.type == "histogram")
    }

    @Test func withoutScrapeNativeHistogramsOnlyTheClassicPartIsKept() throws {
        let storage = TestStorage()
        let session = ScrapeSession(targetLabels: Self.target, options: ScrapeSession.Options())
        #expect(scrape(session, storage, Self.body(k: 1), at: 1000) == nil)
        #expect(storage.histograms(Self.histogramLabels).isEmpty)
        // The histogram has no classic buckets: only its _count and _sum series.
        let count = Labels(["__name__": "latency_seconds_count", "path": "/api", "instance": "host:9100", "job": "node"])
        #expect(storage.samples(count) == [Sample(1000, 21)])
    }

    @Test func bucketLimitAndMinFactorLowerTheSchema() throws {
        var options = ScrapeSession.Options()
        options.nativeHistograms = true
        options.nativeHistogramMinBucketFactor = 1.1  // schema 3 (factor 1.09) is too fine: 2 (1.19)
        let storage = TestStorage()
        let session = ScrapeSession(targetLabels: Self.target, options: options)
        #expect(scrape(session, storage, Self.body(k: 1), at: 1000) == nil)
        #expect(storage.histograms(Self.histogramLabels).first?.1.schema == 2)

        var limited = ScrapeSession.Options()
        limited.nativeHistograms = true
        limited.limits.nativeHistogramBucketLimit = 2
        let storage2 = TestStorage()
        let session2 = ScrapeSession(targetLabels: Self.target, options: limited)
        #expect(scrape(session2, storage2, Self.body(k: 1), at: 1000) == nil)
        let h = try #require(storage2.histograms(Self.histogramLabels).first?.1)
        #expect(h.positiveBuckets.count <= 2)
        #expect(h.count == 21)
    }
}
