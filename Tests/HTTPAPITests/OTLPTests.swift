// The OTLP receiver through the HTTP API: encodings, status codes, read-after-write.

import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import MetricModel
import Remote
import SwiftProtobuf
import Testing
import TSDB
import WireFormat

/// 2023-11-14T22:13:20Z: in nanoseconds for OTLP, in seconds for queries.
private let baseNanos: UInt64 = 1_700_000_000_000_000_000
private let baseSeconds = 1_700_000_000

private func attribute(_ key: String, _ value: String) -> Opentelemetry_Proto_Common_V1_KeyValue {
    var pair = Opentelemetry_Proto_Common_V1_KeyValue()
    pair.key = key
    pair.value.stringValue = value
    return pair
}

/// A request from service `shop/cart`, instance `pod-1`, on host `h1`, with the given metrics.
private func export(_ metrics: [Opentelemetry_Proto_Metrics_V1_Metric]) -> OTLPExportRequest {
    var resourceMetrics = Opentelemetry_Proto_Metrics_V1_ResourceMetrics()
    resourceMetrics.resource.attributes = [
        attribute("service.name", "cart"), attribute("service.namespace", "shop"),
        attribute("service.instance.id", "pod-1"), attribute("host.name", "h1"),
    ]
    var scopeMetrics = Opentelemetry_Proto_Metrics_V1_ScopeMetrics()
    scopeMetrics.metrics = metrics
    resourceMetrics.scopeMetrics = [scopeMetrics]
    var request = OTLPExportRequest()
    request.resourceMetrics = [resourceMetrics]
    return request
}

/// A cumulative sum with one point per (seconds after base, value).
private func counter(
    _ name: String, unit: String = "", monotonic: Bool = true,
    temporality: Opentelemetry_Proto_Metrics_V1_AggregationTemporality = .cumulative, _ points: [(Int, Double)],
    flags: UInt32 = 0
) -> Opentelemetry_Proto_Metrics_V1_Metric {
    var metric = Opentelemetry_Proto_Metrics_V1_Metric()
    metric.name = name
    metric.unit = unit
    metric.sum.isMonotonic = monotonic
    metric.sum.aggregationTemporality = temporality
    metric.sum.dataPoints = points.map { offset, value in
        var point = Opentelemetry_Proto_Metrics_V1_NumberDataPoint()
        point.timeUnixNano = baseNanos + UInt64(offset) * 1_000_000_000
        point.asDouble = value
        point.attributes = [attribute("http.method", "GET")]
        point.flags = flags
        return point
    }
    return metric
}

extension TestClientProtocol {
    /// POSTs an OTLP body; returns status, Content-Type and body bytes.
    fileprivate func otlp(_ body: [UInt8], contentType: String? = "application/x-protobuf") async throws -> (Int, String?, [UInt8]) {
        var headers = HTTPFields()
        if let contentType { headers[.contentType] = contentType }
        return try await execute(uri: "/api/v1/otlp/v1/metrics", method: .post, headers: headers, body: ByteBuffer(bytes: body)) {
            ($0.status.code, $0.headers[.contentType], Array($0.body.readableBytesView))
        }
    }

    fileprivate func otlp(_ request: OTLPExportRequest) async throws -> (Int, String?, [UInt8]) {
        try await otlp(try request.serializedBytes())
    }

    /// The instant query's result vector: (labels, value) pairs.
    fileprivate func vector(_ query: String, at seconds: Int = baseSeconds) async throws -> [([String: String], String)] {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
        let (code, json) = try await getJSON("/api/v1/query?query=\(encoded)&time=\(seconds)")
        #expect(code == 200)
        let data = json["data"] as? [String: Any]
        let result = data?["result"] as? [[String: Any]] ?? []
        return result.map { ($0["metric"] as? [String: String] ?? [:], ($0["value"] as? [Any])?.last as? String ?? "") }
    }
}

@Suite struct OTLPTests {
    @Test func protobufBodyLandsAndIsQueryable() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let (status, contentType, body) = try await client.otlp(
                    export([counter("http.server.requests", unit: "By", [(0, 7)]), counter("queue.depth", monotonic: false, [(0, 3)])]))
                #expect(status == 200)
                #expect(contentType == "application/x-protobuf")
                #expect(try OTLPExportResponse(serializedBytes: body) == OTLPExportResponse())
                let counters = try await client.vector("http_server_requests_bytes_total")
                #expect(counters.count == 1)
                #expect(counters.first?.0 == [
                    "__name__": "http_server_requests_bytes_total", "job": "shop/cart", "instance": "pod-1", "http_method": "GET",
                ])
                #expect(counters.first?.1 == "7")
                #expect(try await client.vector("queue_depth").first?.1 == "3")
                let info = try await client.vector("target_info")
                #expect(info.first?.0 == ["__name__": "target_info", "job": "shop/cart", "instance": "pod-1", "host_name": "h1"])
            }
        }
    }

    @Test func jsonBodyLandsAndAnswersJSON() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let json = """
                    {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"api"}}]},
                     "scopeMetrics":[{"metrics":[{"name":"process.memory.usage","unit":"By",
                       "gauge":{"dataPoints":[{"asInt":"2048","timeUnixNano":"\(baseNanos)"}]}}]}]}]}
                    """
                let (status, contentType, body) = try await client.otlp(Array(json.utf8), contentType: "application/json")
                #expect(status == 200)
                #expect(contentType == "application/json")
                #expect(String(decoding: body, as: UTF8.self) == "{}")
                let result = try await client.vector("process_memory_usage_bytes")
                #expect(result.map(\.0) == [["__name__": "process_memory_usage_bytes", "job": "api"]])
                #expect(result.map(\.1) == ["2048"])
            }
        }
    }

    @Test(arguments: [nil, "text/plain", "application/x-www-form-urlencoded", "application/protobuf"])
    func otherContentTypesAre415(_ contentType: String?) async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, db in
                let (status, _, body) = try await client.otlp(try export([counter("c", [(0, 1)])]).serializedBytes(), contentType: contentType)
                #expect(status == 415)
                #expect(String(decoding: body, as: UTF8.self).contains("supported: [application/json, application/x-protobuf]"))
                #expect(db.head.numSeries == 0)
            }
        }
    }

    @Test func garbageAndTruncatedBodiesAre400() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, db in
                let whole: [UInt8] = try export([counter("c", [(0, 1)])]).serializedBytes()
                for body in [[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F], Array(whole.dropLast(4)), Array(whole.prefix(whole.count / 2))] {
                    let (status, _, text) = try await client.otlp(body)
                    #expect(status == 400)
                    #expect(String(decoding: text, as: UTF8.self).hasPrefix("decoding OTLP protobuf body"))
                }
                for json in ["{", "[1,2]", "{\"resourceMetrics\":\"x\"}"] {
                    #expect(try await client.otlp(Array(json.utf8), contentType: "application/json").0 == 400)
                }
                #expect(db.head.numSeries == 0)
                // The whole body still lands afterwards.
                #expect(try await client.otlp(whole).0 == 200)
            }
        }
    }

    @Test func deltaTemporalityIsRejectedAndNothingIsStored() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, db in
                let (status, _, body) = try await client.otlp(
                    export([counter("good", [(0, 1)]), counter("some.delta", temporality: .delta, [(0, 1)])]))
                #expect(status == 400)
                #expect(String(decoding: body, as: UTF8.self) == "invalid temporality and type combination for metric \"some.delta\"\n")
                #expect(db.head.numSeries == 0)
            }
        }
    }

    @Test func exponentialHistogramsAreStoredAsNativeHistograms() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                var histogram = Opentelemetry_Proto_Metrics_V1_Metric()
                histogram.name = "request.size"
                histogram.exponentialHistogram.aggregationTemporality = .cumulative
                var points: [Opentelemetry_Proto_Metrics_V1_ExponentialHistogramDataPoint] = []
                for i in 0..<3 {
                    var point = Opentelemetry_Proto_Metrics_V1_ExponentialHistogramDataPoint()
                    point.timeUnixNano = baseNanos + UInt64(i) * 15_000_000_000
                    point.scale = 2
                    point.count = UInt64(3 + i)
                    point.sum = Double(10 * (i + 1))
                    point.zeroCount = 1
                    point.positive.offset = 3
                    point.positive.bucketCounts = [1, UInt64(1 + i)]
                    points.append(point)
                }
                histogram.exponentialHistogram.dataPoints = points
                let (status, _, body) = try await client.otlp(export([histogram, counter("c", [(0, 1)])]))
                #expect(status == 200)
                let response = try OTLPExportResponse(serializedBytes: body)
                #expect(response.partialSuccess.rejectedDataPoints == 0)
                #expect(try await client.vector("c_total").count == 1)
                #expect(try await client.vector("histogram_count(request_size)", at: baseSeconds + 30).map(\.1) == ["5"])
                #expect(try await client.vector("histogram_sum(request_size)", at: baseSeconds + 15).map(\.1) == ["20"])
            }
        }
    }

    @Test func outOfOrderRollsBackTheWholeRequest() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                #expect(try await client.otlp(export([counter("c", [(60, 5)])])).0 == 200)
                let (status, _, body) = try await client.otlp(export([counter("fresh", [(60, 1)]), counter("c", [(0, 1)])]))
                #expect(status == 400)
                #expect(String(decoding: body, as: UTF8.self).hasPrefix("out of order sample"))
                #expect(try await client.vector("fresh_total", at: baseSeconds + 60).isEmpty)
                #expect(try await client.vector("c_total", at: baseSeconds + 60).map(\.1) == ["5"])
            }
        }
    }

    @Test func anOlderTargetInfoDoesNotFailTheBody() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let first = try await client.otlp(export([counter("c", [(60, 5)])]))
                #expect(first.0 == 200)
                // Spans +0…+120: target_info at +0 is older than the stored +60, and skipped.
                let second = try await client.otlp(export([counter("c", [(120, 6)]), counter("late", [(0, 1)])]))
                #expect(second.0 == 200)
                #expect(try await client.vector("late_total").map(\.1) == ["1"])
                #expect(try await client.vector("c_total", at: baseSeconds + 120).map(\.1) == ["6"])
            }
        }
    }

    @Test func noRecordedValueEndsTheSeries() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let first = try await client.otlp(export([counter("c", [(0, 5)])]))
                #expect(first.0 == 200)
                let stale = try await client.otlp(export([counter("c", [(30, 0)], flags: 1)]))
                #expect(stale.0 == 200)
                #expect(try await client.vector("c_total", at: baseSeconds + 10).map(\.1) == ["5"])
                #expect(try await client.vector("c_total", at: baseSeconds + 40).isEmpty)
            }
        }
    }

    @Test func bodiesOverTheLimitAre413() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: { $0.maxRemoteWriteBodyBytes = 64 }) { client, db in
                let big = export([counter(String(repeating: "x", count: 200), [(0, 1)])])
                let (status, _, _) = try await client.otlp(big)
                #expect(status == 413)
                #expect(db.head.numSeries == 0)
            }
        }
    }

    @Test func otherMethodsAre405() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let status = try await client.execute(uri: "/api/v1/otlp/v1/metrics", method: .get) { $0.status.code }
                #expect(status == 405)
            }
        }
    }
}
