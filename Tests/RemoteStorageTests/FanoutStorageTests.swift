// Remote read as a client: FanoutStorage asking remote_read endpoints, merging with local data;
// native histograms read from our own server in both response types, and bad answers.

import ChunkEncoding
import Foundation
import HTTPAPI
import Hummingbird
import HTTPTypes
import MetricModel
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Remote
import RemoteStorage
import Scrape
import Snappy
import SwiftProtobuf
import Testing
import TSDB
import WireFormat

/// A remote-read endpoint serving fixed series; it records the matchers it was asked.
final class ReadServer: Sendable {
    let series: [(labels: [(String, String)], samples: [Sample])]
    let asked = NIOLockedValueBox<[[String]]>([])
    /// The `traceparent` header of each request (nil without one).
    let traceparents = NIOLockedValueBox<[String?]>([])
    let fail: Bool

    init(series: [(labels: [(String, String)], samples: [Sample])], fail: Bool = false) {
        self.series = series
        self.fail = fail
    }

    func handle(_ request: Request) async throws -> Response {
        var request = request
        traceparents.withLockedValue { $0.append(request.headers[HTTPField.Name("traceparent")!]) }
        let body = try await request.collectBody(upTo: 1 << 20)
        let read = try Prometheus_ReadRequest(serializedBytes: try Snappy.decompress(Array(body.readableBytesView)))
        asked.withLockedValue { $0.append(read.queries[0].matchers.map { "\($0.name)=\($0.value)" }) }
        if fail { return Response(status: .internalServerError) }
        var result = Prometheus_QueryResult()
        for (labels, samples) in series {
            var ts = Prometheus_TimeSeries()
            ts.labels = labels.map { name, value in
                var l = Prometheus_Label()
                l.name = name
                l.value = value
                return l
            }
            ts.samples = samples.filter { $0.timestamp >= read.queries[0].startTimestampMs && $0.timestamp <= read.queries[0].endTimestampMs }
                .map { s in
                    var p = Prometheus_Sample()
                    p.timestamp = s.timestamp
                    p.value = s.value
                    return p
                }
            result.timeseries.append(ts)
        }
        var response = Prometheus_ReadResponse()
        response.results = [result]
        return Response(
            status: .ok, headers: [.contentType: "application/x-protobuf", .contentEncoding: "snappy"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: Snappy.compress(try response.serializedBytes() as [UInt8]))))
    }
}

func withReadServer<T: Sendable>(_ server: ReadServer, _ body: @Sendable (Int) async throws -> T) async throws -> T {
    let router = Router()
    router.post("/read") { request, _ in try await server.handle(request) }
    return try await withServer(router, body)
}

@Suite(.serialized) struct FanoutStorageTests {
    static func config(_ port: Int, _ change: (inout RemoteReadConfig) -> Void = { _ in }) -> PrometheusConfig {
        var config = PrometheusConfig()
        config.global.externalLabels = Labels(["region": "eu"])
        var rr = RemoteReadConfig(url: "http://127.0.0.1:\(port)/read")
        rr.readRecent = true
        change(&rr)
        config.remoteRead = [rr]
        return config
    }

    static func samples(_ series: SeriesData) -> [Sample] {
        var iterator = SeriesSampleIterator(series.chunks)
        var out: [Sample] = []
        while iterator.next() { out.append(Sample(iterator.timestamp, iterator.value)) }
        return out
    }

    @Test func mergesRemoteSeriesWithLocalOnesFilteringExternalLabels() async throws {
        try await withTemporaryDirectory { dir in
            let db = try DB(directory: dir, logger: quiet)
            defer { try? db.close() }
            _ = try db.appender().appendAndCommit(Labels(["__name__": "up", "job": "a"]), [Sample(3000, 1), Sample(4000, 1)])
            let server = ReadServer(series: [
                ([("__name__", "up"), ("job", "a"), ("region", "eu")], [Sample(1000, 7), Sample(2000, 7), Sample(3000, 9)]),
                ([("__name__", "up"), ("job", "b"), ("region", "eu")], [Sample(1000, 0)]),
            ])
            try await withReadServer(server) { port in
                let fanout = FanoutStorage(local: db, localStart: { db.minTime }, logger: quiet)
                await fanout.apply(Self.config(port))
                let series = try await blocking { try fanout.select(
                    matchers: [try LabelMatcher(.equal, "__name__", "up")], minTime: 0, maxTime: 10_000, sorted: true) }
                await fanout.shutdown()
                #expect(series.map(\.labels) == [Labels(["__name__": "up", "job": "a"]), Labels(["__name__": "up", "job": "b"])])
                // Local wins on 3000; the remote's older samples fill in before it.
                #expect(Self.samples(series[0]) == [Sample(1000, 7), Sample(2000, 7), Sample(3000, 1), Sample(4000, 1)])
                #expect(server.asked.withLockedValue { $0 } == [["__name__=up", "region=eu"]])
            }
        }
    }

    @Test func requiredMatchersReadRecentAndFailures() async throws {
        try await withTemporaryDirectory { dir in
            let db = try DB(directory: dir, logger: quiet)
            defer { try? db.close() }
            _ = try db.appender().appendAndCommit(Labels(["__name__": "up", "job": "a"]), [Sample(5000, 1)])
            let server = ReadServer(series: [([("__name__", "up"), ("job", "x")], [Sample(1000, 1)])])
            try await withReadServer(server) { port in
                let up = try LabelMatcher(.equal, "__name__", "up")
                // required_matchers: asked only when the query has job="x".
                let fanout = FanoutStorage(local: db, localStart: { db.minTime }, logger: quiet)
                await fanout.apply(Self.config(port) { $0.requiredMatchers = [("job", "x")] })
                #expect(try await blocking { try fanout.select(matchers: [up], minTime: 0, maxTime: 9000, sorted: true) }.count == 1)
                #expect(try await blocking { try fanout.select(matchers: [up, try LabelMatcher(.equal, "job", "x")], minTime: 0, maxTime: 9000, sorted: true) }.count == 1)
                #expect(server.asked.withLockedValue { $0.count } == 1)
                // Without read_recent: only queries that reach before the local data (5000).
                await fanout.apply(Self.config(port) { $0.readRecent = false })
                _ = try await blocking { try fanout.select(matchers: [up], minTime: 6000, maxTime: 9000, sorted: true) }
                #expect(server.asked.withLockedValue { $0.count } == 1)
                _ = try await blocking { try fanout.select(matchers: [up], minTime: 0, maxTime: 9000, sorted: true) }
                #expect(server.asked.withLockedValue { $0.count } == 2)
                await fanout.shutdown()
            }
            // An endpoint that fails: the local answer, and the failure counted.
            let failing = ReadServer(series: [], fail: true)
            try await withReadServer(failing) { port in
                let fanout = FanoutStorage(local: db, localStart: { db.minTime }, logger: quiet)
                await fanout.apply(Self.config(port))
                let series = try await blocking { try fanout.select(
                    matchers: [try LabelMatcher(.equal, "__name__", "up")], minTime: 0, maxTime: 9000, sorted: true) }
                await fanout.shutdown()
                #expect(series.count == 1)
                #expect(fanout.failures.current == 1)
            }
        }
    }

    @Test func aQuerysTraceGoesOnToRemoteReadsAsANewSpan() async throws {
        try await withTemporaryDirectory { dir in
            let db = try DB(directory: dir, logger: quiet)
            defer { try? db.close() }
            let server = ReadServer(series: [([("__name__", "up"), ("region", "eu")], [Sample(1000, 1)])])
            try await withReadServer(server) { port in
                let fanout = FanoutStorage(local: db, localStart: { db.minTime }, logger: quiet)
                await fanout.apply(Self.config(port))
                let trace = try #require(TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                let matchers = [try LabelMatcher(.equal, "__name__", "up")]
                _ = try await blocking {
                    try TraceContext.$current.withValue(trace) { try fanout.select(matchers: matchers, minTime: 0, maxTime: 10_000, sorted: true) }
                }
                _ = try await blocking { try fanout.select(matchers: matchers, minTime: 0, maxTime: 10_000, sorted: true) }
                await fanout.shutdown()
                let headers = server.traceparents.withLockedValue { $0 }
                #expect(headers.count == 2)
                let sent = try #require(headers.first.flatMap { $0 }.flatMap { TraceContext(traceparent: $0) })
                #expect(sent.traceID == trace.traceID && sent.flags == trace.flags && sent.spanID != trace.spanID)
                #expect(headers.last == .some(nil), "no trace, no header")
            }
        }
    }
}

/// Native histograms through remote read, both ways: our server encodes them, our client decodes
/// them, in SAMPLES and in STREAMED_XOR_CHUNKS answers.
@Suite(.serialized) struct RemoteReadHistogramTests {
    static func exponential(_ i: Int64) -> Histogram {
        Histogram(
            schema: 2, zeroThreshold: 0.01, zeroCount: UInt64(i), count: UInt64(5 * i + 1), sum: Double(i) * 2.5,
            positiveSpans: [BucketSpan(offset: -2, length: 2), BucketSpan(offset: 3, length: 1)],
            positiveBuckets: [i, 0, 1], negativeSpans: [BucketSpan(offset: 1, length: 1)], negativeBuckets: [i])
    }

    static func custom(_ i: Int64) -> Histogram {
        Histogram(
            schema: -53, count: UInt64(3 * i), sum: Double(i), positiveSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 1, length: 1)],
            positiveBuckets: [i, 0, 0], customValues: [0.1, 0.5, 2.5])
    }

    /// What the server stores: integer, float and custom-bucket (-53) histograms, integer and
    /// float, and a float series beside them.
    static let stored: [(labels: Labels, samples: [StoredSample])] = [
        (Labels(["__name__": "rr_float"]), (1...3).map { StoredSample($0 * 1000, .floatHistogram(exponential($0).toFloat())) }),
        (Labels(["__name__": "rr_int"]), (1...3).map { StoredSample($0 * 1000, .histogram(exponential($0))) }),
        (Labels(["__name__": "rr_nhcb"]), (1...3).map { StoredSample($0 * 1000, .histogram(custom($0))) }),
        (Labels(["__name__": "rr_nhcb_float"]), (1...3).map { StoredSample($0 * 1000, .floatHistogram(custom($0).toFloat())) }),
        (Labels(["__name__": "rr_up"]), (1...3).map { StoredSample($0 * 1000, .float(Double($0))) }),
    ]

    /// Equal samples: same timestamp and kind, histograms equal as Prometheus's `Equals` has it.
    static func same(_ a: [StoredSample], _ b: [StoredSample]) -> Bool {
        a.count == b.count
            && zip(a, b).allSatisfy { x, y in
                guard x.timestamp == y.timestamp else { return false }
                switch (x.value, y.value) {
                case (.float(let u), .float(let v)): return u.bitPattern == v.bitPattern
                case (.histogram(let u), .histogram(let v)): return u == v
                case (.floatHistogram(let u), .floatHistogram(let v)): return u == v
                default: return false
                }
            }
    }

    @Test(arguments: [false, true])
    func roundTripThroughOurServer(streamedChunks: Bool) async throws {
        try await withTemporaryDirectory { dir in
            let db = try DB(directory: dir, logger: quiet)
            defer { try? db.close() }
            let app = db.appender()
            for (labels, samples) in Self.stored {
                for sample in samples {
                    switch sample.value {
                    case .float(let v): _ = try app.append(nil, labels, sample.timestamp, v)
                    case .histogram(let h): _ = try app.append(nil, labels, sample.timestamp, h)
                    case .floatHistogram(let h): _ = try app.append(nil, labels, sample.timestamp, h)
                    }
                }
            }
            try app.commit()
            let router = Router()
            PrometheusAPI(storage: db, logger: quiet, selfMetrics: { "" }).register(on: router)
            try await withServer(router) { port in
                let querier = try RemoteReadQuerier(
                    config: RemoteReadConfig(url: "http://127.0.0.1:\(port)/api/v1/read"), externalLabels: .empty,
                    acceptsStreamedChunks: streamedChunks)
                let matchers = [try LabelMatcher(.regexMatch, "__name__", "rr_.*")]
                let all: [SeriesData]
                let late: [SeriesData]
                do {
                    all = try await blocking { try querier.select(matchers: matchers, minTime: 0, maxTime: 10_000, sorted: true) }
                    // Streamed chunks are whole on the wire: the client keeps only the range.
                    late = try await blocking { try querier.select(matchers: matchers, minTime: 1500, maxTime: 2500, sorted: true) }
                } catch {
                    // An HTTP client dropped without shutdown traps; a failed read must fail the test only.
                    await querier.shutdown()
                    throw error
                }
                await querier.shutdown()
                #expect(all.map(\.labels) == Self.stored.map(\.labels))
                #expect(late.map(\.labels) == Self.stored.map(\.labels))
                for ((labels, want), (got, gotLate)) in zip(Self.stored, zip(all, late)) {
                    let samples = try got.chunks.flatMap { try ChunkSamples.decode($0) }
                    #expect(Self.same(samples, want), "\(labels)")
                    let lateSamples = try gotLate.chunks.flatMap { try ChunkSamples.decode($0) }
                    #expect(Self.same(lateSamples, want.filter { $0.timestamp == 2000 }), "\(labels) from 1500 to 2500")
                }
            }
        }
    }

    /// One message of a streamed answer: `uvarint(length) · CRC32C (big-endian) · message`.
    static func frame(_ message: [UInt8], checksum: UInt32? = nil) -> [UInt8] {
        var out: [UInt8] = []
        var length = UInt64(message.count)
        while length >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: length) | 0x80)
            length >>= 7
        }
        out.append(UInt8(length))
        let crc = checksum ?? CRC32C.checksum(message)
        out += [UInt8(crc >> 24), UInt8(truncatingIfNeeded: crc >> 16), UInt8(truncatingIfNeeded: crc >> 8), UInt8(truncatingIfNeeded: crc)]
        return out + message
    }

    static func chunked(_ type: Prometheus_Chunk.Encoding, _ data: [UInt8]) throws -> [UInt8] {
        var chunk = Prometheus_Chunk()
        chunk.type = type
        chunk.minTimeMs = 1000
        chunk.maxTimeMs = 1000
        chunk.data = Data(data)
        var series = Prometheus_ChunkedSeries()
        series.labels = [Self.label]
        series.chunks = [chunk]
        var response = Prometheus_ChunkedReadResponse()
        response.chunkedSeries = [series]
        return try response.serializedBytes()
    }

    static let label: Prometheus_Label = {
        var label = Prometheus_Label()
        label.name = "__name__"
        label.value = "x"
        return label
    }()

    static func samples(_ histogram: Prometheus_Histogram) throws -> [UInt8] {
        var series = Prometheus_TimeSeries()
        series.labels = [Self.label]
        series.histograms = [histogram]
        var result = Prometheus_QueryResult()
        result.timeseries = [series]
        var response = Prometheus_ReadResponse()
        response.results = [result]
        return Snappy.compress(try response.serializedBytes() as [UInt8])
    }

    @Test func badAnswersAreErrorsNotCrashes() async throws {
        let chunkedType = "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse"
        let good = try Self.chunked(.histogram, HistogramChunk.chunks([(Int64(1000), Self.exponential(1))])[0].bytes)
        var hugeSchema = Prometheus_Histogram(timestamp: 1000, Self.exponential(1))
        hugeSchema.schema = 60
        let cases: [(contentType: String, body: [UInt8], error: String)] = [
            ("application/x-protobuf",
             try Self.samples(Prometheus_Histogram(timestamp: 1000, Histogram(count: 3, positiveSpans: [BucketSpan(offset: 0, length: 2)], positiveBuckets: [3]))),
             "series {__name__=\"x\"}: histogram at 1000: positive side: spans need 2 buckets, have 1 buckets"),
            ("application/x-protobuf", try Self.samples(hugeSchema), "histogram has an unknown schema"),
            (chunkedType, Self.frame(good, checksum: 1), "chunked response: frame checksum mismatch"),
            (chunkedType, Array(Self.frame(good).dropLast()), "chunked response: truncated frame"),
            (chunkedType, [0xff, 0xff, 0xff, 0xff, 0x7f], "exceeds the limit"),
            (chunkedType, Self.frame(try Self.chunked(.unknown, [0, 1, 2])), "unsupported chunk encoding 0"),
            (chunkedType, Self.frame(try Self.chunked(.histogram, [0, 5, 0, 0xff])), "series {__name__=\"x\"}: chunk 1000…1000"),
        ]
        let router = Router()
        for (i, answer) in cases.enumerated() {
            router.post("/read/\(i)") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: answer.contentType],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
            }
        }
        try await withServer(router) { port in
            for (i, answer) in cases.enumerated() {
                let querier = try RemoteReadQuerier(config: RemoteReadConfig(url: "http://127.0.0.1:\(port)/read/\(i)"), externalLabels: .empty)
                let message = try await blocking { () -> String in
                    do {
                        _ = try querier.select(matchers: [try LabelMatcher(.equal, "__name__", "x")], minTime: 0, maxTime: 9000, sorted: true)
                        return "no error"
                    } catch { return "\(error)" }
                }
                await querier.shutdown()
                #expect(message.hasPrefix("error reading response from http://127.0.0.1:\(port)/read/\(i): "), "\(i): \(message)")
                #expect(message.contains(answer.error), "\(i): \(message)")
            }
        }
    }
}

/// Runs `body` on NIO's blocking-work thread pool: a remote read waits on the network, which must
/// not hold one of the concurrency pool's few threads (other tests would starve).
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(body)
}

extension Appender {
    func appendAndCommit(_ labels: Labels, _ samples: [Sample]) throws -> Int {
        for s in samples { _ = try append(nil, labels, s.timestamp, s.value) }
        try commit()
        return samples.count
    }
}
