// Remote read as a client: FanoutStorage asking remote_read endpoints, merging with local data.

import ChunkEncoding
import Foundation
import Hummingbird
import HTTPTypes
import MetricModel
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
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
