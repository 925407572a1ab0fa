// Remote write through the HTTP API: status codes, validation, read-after-write.

import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import MetricModel
import NIOConcurrencyHelpers
import Remote
import Snappy
import Testing
import TSDB

@Suite struct RemoteWriteTests {
    @Test func pushThenReadBackRawMatrix() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let (status, _) = try await client.push([
                    ([("__name__", "m"), ("job", "a")], [Sample(1_000_000, 1), Sample(1_015_000, 0.1), Sample(1_030_000, 1e-7)])
                ])
                #expect(status == 204)
                let (code, body) = try await client.getText("/api/v1/query?query=m%5B1m%5D&time=1030")
                #expect(code == 200)
                #expect(
                    body
                        == #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"m","job":"a"},"values":[[1000,"1"],[1015,"0.1"],[1030,"1e-07"]]}]}}"#
                )
            }
        }
    }

    @Test func outOfOrderKeepsGoodSamplesAndAnswers400() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, db in
                #expect(try await client.push([([("__name__", "m")], [Sample(10_000, 1)])]).0 == 204)
                let (status, body) = try await client.push([
                    ([("__name__", "m")], [Sample(5_000, 2)]),  // out of order
                    ([("__name__", "n")], [Sample(10_000, 3)]),  // good
                ])
                #expect(status == 400)
                #expect(body.hasPrefix("out of order sample"))
                let stored = try db.select(matchers: [try LabelMatcher(.equal, "__name__", "n")], minTime: 0, maxTime: 20_000, sorted: true)
                #expect(stored.count == 1)
            }
        }
    }

    @Test func duplicateTimestampDifferentValueRejectedSameValueAccepted() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                #expect(try await client.push([([("__name__", "m")], [Sample(10_000, 1)])]).0 == 204)
                #expect(try await client.push([([("__name__", "m")], [Sample(10_000, 1)])]).0 == 204)
                let (status, body) = try await client.push([([("__name__", "m")], [Sample(10_000, 2)])])
                #expect(status == 400)
                #expect(body.hasPrefix("duplicate sample for timestamp"))
            }
        }
    }

    @Test func invalidLabelsStoreNothing() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, db in
                let (status, body) = try await client.push([
                    ([("__name__", "good")], [Sample(1000, 1)]),
                    ([("__name__", "bad"), ("z", "1"), ("a", "2")], [Sample(1000, 1)]),
                ])
                #expect(status == 400)
                #expect(body.contains("not sorted"))
                #expect(db.head.numSeries == 0)
            }
        }
    }

    @Test func malformedBodiesAre400() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, db in
                for body: [UInt8] in [[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F], [], [0x05, 0x10, 0x0A, 0x7F]] {
                    let status = try await client.execute(
                        uri: "/api/v1/write", method: .post, body: ByteBuffer(bytes: body)
                    ) { $0.status.code }
                    #expect(status == 400)
                }
                #expect(db.head.numSeries == 0)
            }
        }
    }

    @Test func oversizedBodyIs413() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: { $0.maxRemoteWriteBodyBytes = 100 }) { client, _ in
                let series = (0..<50).map { i in ([("__name__", "m\(i)")], [Sample(1000, Double(i))]) }
                let status = try await client.execute(
                    uri: "/api/v1/write", method: .post, body: remoteWriteBody(series)
                ) { $0.status.code }
                #expect(status == 413)
            }
        }
    }

    /// POSTs a snappy remote write 2.0 body; status, body and the three written-count headers.
    /// 3 observations in (1, 2], 5 in (2, 4], 1 in [-1, -0.5).
    static let histogram = Histogram(
        schema: 0, zeroThreshold: 0.001, zeroCount: 0, count: 9, sum: 12.5,
        positiveSpans: [BucketSpan(offset: 1, length: 2)], positiveBuckets: [3, 2],
        negativeSpans: [BucketSpan(offset: 0, length: 1)], negativeBuckets: [1])

    /// `histogram` with every count multiplied by `k`.
    static func histogram(times k: Int) -> Histogram {
        var h = histogram
        h.count *= UInt64(k)
        h.sum *= Double(k)
        h.positiveBuckets = h.positiveBuckets.map { $0 * Int64(k) }
        h.negativeBuckets = h.negativeBuckets.map { $0 * Int64(k) }
        return h
    }

    @Test func nativeHistogramsOfRemoteWrite1AreStored() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                var gauge = Self.histogram.toFloat()
                gauge.counterResetHint = .gauge
                let body = WriteRequest.encode([
                    (labels: [("__name__", "h"), ("job", "a")], samples: [],
                     histograms: (0..<5).map { (Int64($0) * 15_000 + 1_000_000, .integer(Self.histogram(times: $0 + 1))) }),
                    (labels: [("__name__", "g")], samples: [Sample(1_000_000, 1)], histograms: [(1_015_000, .float(gauge))]),
                ])
                let status = try await client.execute(
                    uri: "/api/v1/write", method: .post, headers: [.contentType: "application/x-protobuf", .contentEncoding: "snappy"],
                    body: ByteBuffer(bytes: Snappy.compress(body))
                ) { $0.status.code }
                #expect(status == 204)
                let (_, counts) = try await client.getText("/api/v1/query_range?query=histogram_count(h)&start=1000&end=1060&step=30")
                #expect(counts == #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"a"},"values":[[1000,"9"],[1030,"27"],[1060,"45"]]}]}}"#)
                let (_, gaugeSum) = try await client.getText("/api/v1/query?query=histogram_sum(g)&time=1015")
                #expect(gaugeSum == #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1015,"12.5"]}]}}"#)
                let (_, raw) = try await client.getText("/api/v1/query?query=g&time=1000")
                #expect(raw == #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"g"},"value":[1000,"1"]}]}}"#)
            }
        }
    }

    static func pushV2(
        _ client: any TestClientProtocol, _ series: [V2Series],
        contentType: String = "application/x-protobuf;proto=io.prometheus.write.v2.Request"
    ) async throws -> (status: Int, body: String, written: [String?]) {
        try await client.execute(
            uri: "/api/v1/write", method: .post,
            headers: [.contentType: contentType, .contentEncoding: "snappy"],
            body: ByteBuffer(bytes: Snappy.compress(WriteRequest.encodeV2(series)))
        ) { response in
            let written = ["Samples", "Histograms", "Exemplars"].map {
                response.headers[HTTPField.Name("X-Prometheus-Remote-Write-\($0)-Written")!]
            }
            return (response.status.code, String(buffer: response.body), written)
        }
    }

    @Test func remoteWrite2StoresAndCounts() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let ok = try await Self.pushV2(client, [
                    V2Series(
                        labels: [("job", "a"), ("__name__", "m")], samples: [Sample(1_000_000, 1), Sample(1_015_000, 2)],
                        exemplars: [Sample(1_000_000, 0.5)], metadata: (1, "Help.", "")),
                ])
                #expect(ok.status == 204)
                #expect(ok.written == ["2", "0", "1"])
                // Its exemplar is served by /api/v1/query_exemplars.
                let (_, exemplars) = try await client.getText("/api/v1/query_exemplars?query=rate(m%5B5m%5D)&start=900&end=1100")
                #expect(exemplars == #"{"status":"success","data":[{"seriesLabels":{"__name__":"m","job":"a"},"exemplars":[{"labels":{},"value":"0.5","timestamp":1000}]}]}"#)
                let (_, outside) = try await client.getText("/api/v1/query_exemplars?query=m&start=1001&end=1100")
                #expect(outside == #"{"status":"success","data":[]}"#)
                // Its metadata is served by /api/v1/metadata.
                let (_, metadata) = try await client.getText("/api/v1/metadata?metric=m")
                #expect(metadata == #"{"status":"success","data":{"m":[{"type":"counter","help":"Help.","unit":""}]}}"#)
                let (_, body) = try await client.getText("/api/v1/query?query=m%5B1m%5D&time=1015")
                #expect(body == #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"m","job":"a"},"values":[[1000,"1"],[1015,"2"]]}]}}"#)
                // Native histograms are stored with the floats; an invalid one is refused alone (400).
                var broken = Self.histogram
                broken.positiveBuckets.removeLast()
                let mixed = try await Self.pushV2(client, [
                    V2Series(labels: [("__name__", "f")], samples: [Sample(1_000_000, 3)]),
                    V2Series(
                        labels: [("__name__", "h")], samples: [],
                        histograms: [(1_000_000, .integer(Self.histogram)), (1_015_000, .float(Self.histogram.toFloat())), (1_030_000, .integer(broken))]),
                ])
                #expect(mixed.status == 400)
                #expect(mixed.body.contains("histogram spans specify different number of buckets than provided"), "\(mixed.body)")
                #expect(mixed.written == ["1", "2", "0"])
                let (_, sums) = try await client.getText("/api/v1/query_range?query=histogram_sum(h)&start=1000&end=1015&step=15")
                #expect(sums == #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1000,"12.5"],[1015,"12.5"]]}]}}"#)
                // Invalid labels: nothing stored, 400, counts zero.
                let bad = try await Self.pushV2(client, [
                    V2Series(labels: [("__name__", "n")], samples: [Sample(1_000_000, 1)]),
                    V2Series(labels: [("job", "x")], samples: [Sample(1_000_000, 1)]),
                ])
                #expect(bad.status == 400)
                #expect(bad.written == ["0", "0", "0"])
                let (_, n) = try await client.getText("/api/v1/series?match%5B%5D=n")
                #expect(n == #"{"status":"success","data":[]}"#)
            }
        }
    }

    @Test func unsupportedContentTypeOrEncodingIs415() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                for (type, encoding) in [
                    ("application/x-protobuf;proto=io.prometheus.write.v3.Request", "snappy"), ("application/json", "snappy"),
                    ("application/x-protobuf", "gzip"),
                ] {
                    let status = try await client.execute(
                        uri: "/api/v1/write", method: .post, headers: [.contentType: type, .contentEncoding: encoding],
                        body: remoteWriteBody([([("__name__", "m")], [Sample(1, 1)])])
                    ) { $0.status.code }
                    #expect(status == 415, "\(type) \(encoding)")
                }
                // 1.0 named explicitly is 1.0.
                let v1 = try await client.execute(
                    uri: "/api/v1/write", method: .post,
                    headers: [.contentType: "application/x-protobuf;proto=prometheus.WriteRequest", .contentEncoding: "snappy"],
                    body: remoteWriteBody([([("__name__", "m")], [Sample(1, 1)])])
                ) { $0.status.code }
                #expect(v1 == 204)
            }
        }
    }
}

@Suite struct ExtremeInputTests {
    @Test func extremeTimestampsNeverTrap() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, db in
                for t: Int64 in [.max, .max - 1, .min + 1, .min, 0, -7_200_000] {
                    let (status, _) = try await client.push([([("__name__", "extreme"), ("t", "\(t)")], [Sample(t, 1), Sample(t, 1)])])
                    #expect([204, 400].contains(status))
                }
                #expect(db.head.numSeries > 0)
                for query in [
                    "extreme%5B5m%5D&time=9223372036854775", "extreme&time=-9223372036854775",
                    "extreme%20offset%20-100000000d", "extreme%5B100000000d%5D%20offset%20100000000d",
                    "extreme%20%40%209223372036854775",
                ] {
                    let (code, _) = try await client.getText("/api/v1/query?query=\(query)")
                    #expect([200, 400, 422].contains(code), "\(query)")
                }
            }
        }
    }
}

@Suite struct RemoteMetadataTests {
    @Test func boundedAndNewestLast() {
        let store = RemoteMetadata(maxFamilies: 2, maxPerFamily: 2)
        let a = APIMetadata(type: "gauge", help: "A.", unit: "")
        let b = APIMetadata(type: "gauge", help: "B.", unit: "")
        let c = APIMetadata(type: "counter", help: "C.", unit: "")
        store.record("x", a)
        store.record("x", b)
        store.record("x", a)  // known: moves to the newest place
        #expect(store.all()["x"] == [b, a])
        store.record("x", c)  // a third distinct one pushes out the oldest
        #expect(store.all()["x"] == [a, c])
        store.record("y", a)
        store.record("z", a)  // over maxFamilies: not recorded
        #expect(Set(store.all().keys) == ["x", "y"])
    }
}

@Suite struct RemoteWriteReasonTests {
    @Test func refusalsAreCountedByReason() async throws {
        try await withTemporaryDirectory { dir in
            let metrics = NIOLockedValueBox<RemoteWriteMetrics?>(nil)
            try await withAPI(directory: dir, configure: { api in metrics.withLockedValue { $0 = api.remoteWriteMetrics } }) { client, _ in
                let m = try #require(metrics.withLockedValue { $0 })
                #expect(try await client.push([([("__name__", "m")], [Sample(2000, 1)])]).0 == 204)
                // Out of order and duplicate: per sample.
                #expect(try await client.push([([("__name__", "m")], [Sample(1000, 1), Sample(2000, 5)])]).0 == 400)
                // Invalid labels: the whole request.
                #expect(try await client.push([([("job", "x")], [Sample(1, 1)])]).0 == 400)
                // Not snappy.
                let garbage = try await client.execute(
                    uri: "/api/v1/write", method: .post, headers: [.contentType: "application/x-protobuf"],
                    body: ByteBuffer(bytes: [0xff, 0x00, 0x12])
                ) { $0.status.code }
                #expect(garbage == 400)
                #expect(m.rejectedSamples.count("out_of_order") == 1)
                #expect(m.rejectedSamples.count("duplicate_sample_for_timestamp") == 1)
                #expect(m.rejectedSamples.count("invalid_labels") == 1)
                #expect(m.rejectedRequests.count("sample_errors") == 1)
                #expect(m.rejectedRequests.count("invalid_labels") == 1)
                #expect(m.rejectedRequests.count("decode_error") == 1)
            }
        }
    }
}
