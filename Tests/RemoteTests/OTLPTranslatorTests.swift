// OTLP → Prometheus translation: resources, each data point kind, staleness, temporality,
// label collisions, target_info. Expectations follow Prometheus 3's translator
// (storage/remote/otlptranslator/prometheusremotewrite and its tests) with default settings.

import Foundation
import MetricModel
import Remote
import SwiftProtobuf
import Testing
import WireFormat

@Suite struct OTLPTranslatorTests {
    func translate(_ request: OTLPExportRequest, settings: OTLPTranslationSettings = OTLPTranslationSettings()) -> OTLPTranslation {
        var translator = OTLPTranslator(settings: settings)
        return translator.translate(request)
    }

    @Test func gaugeGetsJobInstanceAndSanitizedAttributes() throws {
        let result = translate(
            request(
                resource: service,
                [gauge("memory.usage", unit: "By", [numberPoint(42, [kv("http.method", "GET"), kv("empty", "")])])]))
        #expect(result.errors.isEmpty)
        #expect(
            result.samples == [
                OTLPSample(
                    labels: Labels([
                        "__name__": "memory_usage_bytes", "http_method": "GET", "job": "shop/cart", "instance": "pod-1",
                    ]), timestamp: baseMs, value: 42)
            ])
        #expect(result.metadata == [SeriesMetadata(metricName: "memory_usage_bytes", type: "gauge", help: "", unit: "bytes")])
    }

    @Test func jobIsServiceNameWithoutNamespace() {
        let result = translate(request(resource: [kv("service.name", "cart")], [gauge("g", [numberPoint(1)])]))
        #expect(result.samples.map(\.labels) == [Labels(["__name__": "g", "job": "cart"])])
        // A namespace without a name gives no job.
        let noName = translate(request(resource: [kv("service.namespace", "shop")], [gauge("g", [numberPoint(1)])]))
        #expect(noName.samples.map(\.labels) == [Labels(["__name__": "g"])])
    }

    @Test func resourceJobOverridesAttributeAndNameAttributeIsIgnored() {
        let result = translate(
            request(resource: service, [gauge("g", [numberPoint(1, [kv("job", "mine"), kv("__name__", "other")])])]))
        #expect(result.samples.map(\.labels) == [Labels(["__name__": "g", "job": "shop/cart", "instance": "pod-1"])])
    }

    @Test func nanosecondsBecomeMilliseconds() {
        let result = translate(request(resource: service, [gauge("g", [numberPoint(1, at: 1_700_000_000_123_999_999)])]))
        #expect(result.samples.first?.timestamp == 1_700_000_000_123)
    }

    @Test func integerPointsAndUnsetValues() {
        var int = numberPoint(0)
        int.asInt = -7
        var unset = numberPoint(0, at: baseNanos + 1_000_000_000)
        unset.value = nil
        let result = translate(request(resource: service, [gauge("g", [int, unset])]))
        #expect(result.samples.map(\.value) == [-7, 0])
    }

    @Test func monotonicSumIsCounterWithTotal() {
        let result = translate(request(resource: service, [sum("http.requests", unit: "1", [numberPoint(10)])]))
        #expect(result.samples.map { $0.labels.metricName } == ["http_requests_total"])
        #expect(
            result.metadata == [SeriesMetadata(metricName: "http_requests_total", type: "counter", help: "help of http.requests", unit: "")])
    }

    @Test func nonMonotonicSumIsGauge() {
        let result = translate(request(resource: service, [sum("queue.size", unit: "{item}", monotonic: false, [numberPoint(-3)])]))
        #expect(result.samples.map { $0.labels.metricName } == ["queue_size"])
        #expect(result.samples.map(\.value) == [-3])
        #expect(result.metadata.map(\.type) == ["gauge"])
    }

    @Test func histogramBecomesSumCountAndCumulativeBuckets() {
        var point = HistogramPoint()
        point.timeUnixNano = baseNanos
        point.explicitBounds = [0.5, 1, 2.5]
        point.bucketCounts = [1, 2, 3, 4]
        point.count = 10
        point.sum = 12.5
        point.attributes = [kv("route", "/a")]
        let result = translate(request(resource: service, [histogram("http.server.duration", unit: "s", [point])]))
        let base = ["job": "shop/cart", "instance": "pod-1", "route": "/a"]
        func series(_ name: String, _ extra: [String: String] = [:]) -> Labels {
            Labels(base.merging(extra) { $1 }.merging(["__name__": name]) { $1 })
        }
        let name = "http_server_duration_seconds"
        #expect(
            result.samples == [
                OTLPSample(labels: series(name + "_sum"), timestamp: baseMs, value: 12.5),
                OTLPSample(labels: series(name + "_count"), timestamp: baseMs, value: 10),
                OTLPSample(labels: series(name + "_bucket", ["le": "0.5"]), timestamp: baseMs, value: 1),
                OTLPSample(labels: series(name + "_bucket", ["le": "1"]), timestamp: baseMs, value: 3),
                OTLPSample(labels: series(name + "_bucket", ["le": "2.5"]), timestamp: baseMs, value: 6),
                OTLPSample(labels: series(name + "_bucket", ["le": "+Inf"]), timestamp: baseMs, value: 10),
            ])
        #expect(result.metadata.map(\.type) == ["histogram"])
    }

    @Test func histogramWithoutSumHasNoSumSeries() {
        var point = HistogramPoint()
        point.timeUnixNano = baseNanos
        point.count = 3
        let result = translate(request(resource: service, [histogram("h", [point])]))
        #expect(result.samples.map { $0.labels.metricName } == ["h_count", "h_bucket"])
        #expect(result.samples.last?.labels["le"] == "+Inf")
    }

    @Test func summaryBecomesQuantilesSumAndCount() {
        var point = SummaryPoint()
        point.timeUnixNano = baseNanos
        point.count = 4
        point.sum = 2
        for (q, v) in [(0.5, 0.4), (0.99, 0.9)] {
            var quantile = SummaryPoint.ValueAtQuantile()
            quantile.quantile = q
            quantile.value = v
            point.quantileValues.append(quantile)
        }
        var metric = Metric()
        metric.name = "rpc.latency"
        metric.unit = "ms"
        metric.summary.dataPoints = [point]
        let result = translate(request(resource: [kv("service.name", "s")], [metric]))
        let name = "rpc_latency_milliseconds"
        #expect(
            result.samples == [
                OTLPSample(labels: Labels(["__name__": name + "_sum", "job": "s"]), timestamp: baseMs, value: 2),
                OTLPSample(labels: Labels(["__name__": name + "_count", "job": "s"]), timestamp: baseMs, value: 4),
                OTLPSample(labels: Labels(["__name__": name, "job": "s", "quantile": "0.5"]), timestamp: baseMs, value: 0.4),
                OTLPSample(labels: Labels(["__name__": name, "job": "s", "quantile": "0.99"]), timestamp: baseMs, value: 0.9),
            ])
        #expect(result.metadata.map(\.type) == ["summary"])
    }

    @Test func noRecordedValueFlagIsStaleMarker() {
        var point = HistogramPoint()
        point.timeUnixNano = baseNanos
        point.explicitBounds = [1]
        point.bucketCounts = [1, 1]
        point.count = 2
        point.sum = 3
        point.flags = 1
        let result = translate(
            request(
                resource: service,
                [gauge("g", [numberPoint(5, flags: 1)]), sum("c", [numberPoint(5, flags: 1)]), histogram("h", [point])]))
        #expect(result.samples.count == 2 + 4)
        #expect(result.samples.allSatisfy { $0.value.bitPattern == StaleNaN.bits })
        // Other flag bits do not matter.
        let unflagged = translate(request(resource: service, [gauge("g", [numberPoint(5, flags: 2)])]))
        #expect(unflagged.samples.map(\.value) == [5])
    }

    @Test(arguments: [
        Opentelemetry_Proto_Metrics_V1_AggregationTemporality.delta, .unspecified,
    ])
    func nonCumulativeTemporalityIsRejected(_ temporality: Opentelemetry_Proto_Metrics_V1_AggregationTemporality) {
        var point = HistogramPoint()
        point.timeUnixNano = baseNanos
        let result = translate(
            request(
                resource: service,
                [
                    sum("some.delta.total", temporality: temporality, [numberPoint(1)]),
                    histogram("delta.histogram", temporality: temporality, [point]),
                    gauge("fine", [numberPoint(1)]),
                ]))
        #expect(
            result.errors == [
                #"invalid temporality and type combination for metric "some.delta.total""#,
                #"invalid temporality and type combination for metric "delta.histogram""#,
            ])
        #expect(result.samples.map { $0.labels.metricName } == ["fine"])
    }

    @Test func exponentialHistogramsBecomeNativeHistograms() throws {
        var metric = Metric()
        metric.name = "request.size"
        metric.exponentialHistogram.aggregationTemporality = .cumulative
        var point = Opentelemetry_Proto_Metrics_V1_ExponentialHistogramDataPoint()
        point.timeUnixNano = baseNanos
        point.scale = 0
        point.count = 13
        point.sum = 5
        point.zeroCount = 2
        point.positive.offset = 0
        point.positive.bucketCounts = [4, 3, 2, 1]
        point.negative.offset = -1
        point.negative.bucketCounts = [1]
        var stale = point
        stale.timeUnixNano = baseNanos + 1_000_000_000
        stale.flags = UInt32(Opentelemetry_Proto_Metrics_V1_DataPointFlags.noRecordedValueMask.rawValue)
        metric.exponentialHistogram.dataPoints = [point, stale]
        let result = translate(request(resource: service, [metric, gauge("g", [numberPoint(1)])]))
        #expect(result.errors.isEmpty)
        #expect(result.samples.contains { $0.labels.metricName == "g" })
        #expect(result.histograms.map { $0.labels.metricName } == ["request_size", "request_size"])
        let h = try #require(result.histograms.first?.histogram)
        #expect(h.schema == 0 && h.zeroThreshold == 1e-128 && h.zeroCount == 2 && h.count == 13 && h.sum == 5)
        #expect(h.positiveSpans == [BucketSpan(offset: 1, length: 4)] && h.positiveBuckets == [4, -1, -1, -1])
        #expect(h.negativeSpans == [BucketSpan(offset: 0, length: 1)] && h.negativeBuckets == [1])
        #expect((try? h.validate()) != nil)
        #expect(result.histograms.last.map { StaleNaN.isStale($0.histogram.sum) } == true)
        #expect(result.metadata.contains { $0.metricName == "request_size" && $0.type == "histogram" })

        // Scales outside the native range: above 8 merged down to 8, below -4 refused.
        point.scale = 10
        let fine = try OTLPTranslator.nativeHistogram(point)
        #expect(fine.schema == 8 && fine.positiveSpans == [BucketSpan(offset: 1, length: 1)] && fine.positiveBuckets == [10])
        point.scale = -5
        #expect(throws: RemoteWriteError.self) { try OTLPTranslator.nativeHistogram(point) }
    }

    /// Prometheus's TestConvertBucketsLayout cases: (offset, counts) at scale-downs 0, 1, 2.
    @Test(arguments: [
        (Int32(0), [UInt64(4), 3, 2, 1], [
            [BucketSpan(offset: 1, length: 4)]: [Int64(4), -1, -1, -1],
            [BucketSpan(offset: 1, length: 2)]: [7, -4],
            [BucketSpan(offset: 1, length: 1)]: [10],
        ]),
        (Int32(1), [4, 3, 2, 1], [
            [BucketSpan(offset: 2, length: 4)]: [4, -1, -1, -1],
            [BucketSpan(offset: 1, length: 3)]: [4, 1, -4],
            [BucketSpan(offset: 1, length: 2)]: [9, -8],
        ]),
        (Int32(4), [4, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], [
            [BucketSpan(offset: 5, length: 4), BucketSpan(offset: 12, length: 1)]: [4, -2, -2, 2, -1],
            [BucketSpan(offset: 3, length: 2), BucketSpan(offset: 6, length: 1)]: [6, -4, -1],
            [BucketSpan(offset: 2, length: 1), BucketSpan(offset: 3, length: 1)]: [8, -7],
        ]),
    ] as [(Int32, [UInt64], [[BucketSpan]: [Int64]])])
    func bucketsLayoutAsPrometheusConvertsIt(offset: Int32, counts: [UInt64], layouts: [[BucketSpan]: [Int64]]) {
        var found = 0
        for scaleDown in Int32(0)...2 {
            let (spans, deltas) = OTLPTranslator.bucketsLayout(counts, offset: offset, scaleDown: scaleDown)
            #expect(layouts[spans] == deltas, "scale down \(scaleDown): \(spans) \(deltas)")
            if layouts[spans] != nil { found += 1 }
        }
        #expect(found == 3)
    }

    @Test func emptyMetricsWarnAndMetricsWithoutDataAreErrors() {
        var noData = Metric()
        noData.name = "nothing"
        let result = translate(request(resource: service, [gauge("empty.gauge", []), noData]))
        #expect(result.warnings == ["empty data points. empty.gauge is dropped"])
        #expect(result.errors == ["could not get aggregation temporality for nothing as it has unsupported metric type Empty"])
        #expect(result.samples.isEmpty)
    }

    @Test func invalidNamesAreErrors() {
        let result = translate(request(resource: service, [gauge("@@@", [numberPoint(1)]), gauge("g", [numberPoint(1, [kv("ようこそ", "x")])])]))
        #expect(
            result.errors == [
                #"normalization for metric "@@@" resulted in empty name"#,
                #"normalization for label name "ようこそ" resulted in invalid name "____""#,
            ])
    }

    @Test func collidingLabelNamesJoinValuesInKeyOrder() {
        let attributes = [kv("a_b", "3"), kv("a.b", "2"), kv("a-b", "1"), kv("c", "x")]
        let result = translate(request(resource: [kv("service.name", "s")], [gauge("g", [numberPoint(1, attributes)])]))
        #expect(result.samples.map(\.labels) == [Labels(["__name__": "g", "job": "s", "a_b": "1;2;3", "c": "x"])])
        #expect(
            result.warnings == [
                #"OTLP data point attributes "a-b", "a.b", "a_b" collide as label "a_b" after name sanitization, values are concatenated with ';'"#
            ])
    }

    @Test func attributeValuesAreWrittenAsPdataDoes() {
        func value(_ set: (inout AnyValue) -> Void) -> AnyValue {
            var v = AnyValue()
            set(&v)
            return v
        }
        var array = Opentelemetry_Proto_Common_V1_ArrayValue()
        array.values = [value { $0.stringValue = "a\"<" }, value { $0.intValue = 1 }, value { $0.boolValue = true }, AnyValue()]
        var list = Opentelemetry_Proto_Common_V1_KeyValueList()
        list.values = [kv("b", value { $0.doubleValue = 0.5 }), kv("a", value { $0.bytesValue = Data([1, 2, 3]) }), kv("b", value { $0.intValue = 2 })]
        let cases: [(AnyValue, String)] = [
            (value { $0.intValue = 42 }, "42"),
            (value { $0.doubleValue = 0.5 }, "0.5"),
            (value { $0.doubleValue = 1e21 }, "1e+21"),
            (value { $0.doubleValue = 1e-7 }, "1e-7"),
            (value { $0.doubleValue = 123456789 }, "123456789"),
            (value { $0.doubleValue = .infinity }, "json: unsupported value: +Inf"),
            (value { $0.boolValue = false }, "false"),
            (value { $0.bytesValue = Data([1, 2, 3]) }, "AQID"),
            (value { $0.arrayValue = array }, #"["a\"\u003c",1,true,null]"#),
            (value { $0.kvlistValue = list }, #"{"a":"AQID","b":2}"#),
            (AnyValue(), ""),
        ]
        for (v, expected) in cases {
            #expect(v.promString == expected)
        }
        var withNaN = Opentelemetry_Proto_Common_V1_ArrayValue()
        withNaN.values = [value { $0.doubleValue = .nan }]
        #expect(value { $0.arrayValue = withNaN }.promString == "")
    }

    @Test func scopeLabelsOnlyWhenPromoted() {
        let plain = translate(request(resource: service, scope: "my.lib", [gauge("g", [numberPoint(1)])]))
        #expect(plain.samples.first?.labels["otel_scope_name"] == nil)
        var settings = OTLPTranslationSettings()
        settings.promoteScopeMetadata = true
        let promoted = translate(request(resource: service, scope: "my.lib", [gauge("g", [numberPoint(1)])]), settings: settings)
        #expect(promoted.samples.first?.labels["otel_scope_name"] == "my.lib")
        #expect(promoted.samples.first?.labels["otel_scope_version"] == "1.2.3")
    }

    @Test func metadataOncePerFamily() {
        let result = translate(request(resource: service, [gauge("g", [numberPoint(1)]), gauge("g", [numberPoint(2, at: baseNanos + 1)])]))
        #expect(result.metadata.count == 1)
    }
}

@Suite struct OTLPTargetInfoTests {
    func translate(_ request: OTLPExportRequest, settings: OTLPTranslationSettings = OTLPTranslationSettings()) -> OTLPTranslation {
        var translator = OTLPTranslator(settings: settings)
        return translator.translate(request)
    }

    let resource = service + [kv("host.name", "h1"), kv("deployment.environment", "prod")]

    var targetInfoLabels: Labels {
        Labels([
            "__name__": "target_info", "job": "shop/cart", "instance": "pod-1", "host_name": "h1",
            "deployment_environment": "prod",
        ])
    }

    @Test func resourceAttributesGoToTargetInfo() {
        let result = translate(request(resource: resource, [gauge("g", [numberPoint(1)])]))
        let info = result.samples.filter { $0.labels.metricName == "target_info" }
        #expect(info == [OTLPSample(labels: targetInfoLabels, timestamp: baseMs, value: 1)])
        // The metric itself does not carry them.
        #expect(result.samples.first?.labels["host_name"] == nil)
        #expect(result.metadata.contains(SeriesMetadata(metricName: "target_info", type: "gauge", help: "Target metadata", unit: "")))
    }

    @Test func onlyIdentifyingAttributesGiveNoTargetInfo() {
        let result = translate(request(resource: service, [gauge("g", [numberPoint(1)])]))
        #expect(!result.samples.contains { $0.labels.metricName == "target_info" })
    }

    @Test func noJobOrInstanceGivesNoTargetInfo() {
        let result = translate(request(resource: [kv("host.name", "h1")], [gauge("g", [numberPoint(1)])]))
        #expect(!result.samples.contains { $0.labels.metricName == "target_info" })
    }

    @Test func spansGetASampleEveryHalfLookback() {
        // Points 10 minutes apart: samples at 0, 2.5, 5 and 7.5 minutes, then the last point.
        let points = [numberPoint(1), numberPoint(2, at: baseNanos + 600_000_000_000)]
        let result = translate(request(resource: resource, [gauge("g", points)]))
        let times = result.samples.filter { $0.labels.metricName == "target_info" }.map(\.timestamp)
        #expect(times == [0, 150_000, 300_000, 450_000, 600_000].map { baseMs + $0 })
    }

    @Test func samplesAreCappedToTheLatest() {
        var settings = OTLPTranslationSettings()
        settings.maxTargetInfoSamplesPerResource = 3
        let points = [numberPoint(1, at: 0), numberPoint(2, at: baseNanos)]
        let result = translate(request(resource: resource, [gauge("g", points)]), settings: settings)
        let times = result.samples.filter { $0.labels.metricName == "target_info" }.map(\.timestamp)
        #expect(times.count == 3)
        #expect(times.last == baseMs)
        #expect(times[1] < baseMs && times[1] > baseMs - 150_000)
        #expect(times[1] - times[0] == 150_000)
    }

    @Test func sameResourceTwiceIsMergedInTimeOrder() {
        var twice = request(resource: resource, [gauge("g", [numberPoint(1, at: baseNanos + 400_000_000_000)])])
        var second = twice.resourceMetrics[0]
        second.scopeMetrics[0].metrics = [gauge("h", [numberPoint(1, at: baseNanos)])]
        twice.resourceMetrics.append(second)
        let result = translate(twice)
        let times = result.samples.filter { $0.labels.metricName == "target_info" }.map(\.timestamp)
        #expect(times == [baseMs, baseMs + 400_000])
    }

    @Test func keepIdentifyingAttributes() {
        var settings = OTLPTranslationSettings()
        settings.keepIdentifyingResourceAttributes = true
        let result = translate(request(resource: resource, [gauge("g", [numberPoint(1)])]), settings: settings)
        let info = result.samples.first { $0.labels.metricName == "target_info" }
        #expect(info?.labels["service_name"] == "cart")
        #expect(info?.labels["service_instance_id"] == "pod-1")
    }
}

@Suite struct OTLPEncodingTests {
    @Test(arguments: [
        ("application/x-protobuf", OTLPEncoding.protobuf), ("application/json", .json),
        ("application/json; charset=utf-8", .json), ("Application/X-Protobuf", .protobuf),
    ])
    func contentTypes(_ header: String, _ expected: OTLPEncoding) {
        #expect(OTLPEncoding(contentType: header) == expected)
    }

    @Test(arguments: ["text/plain", "application/protobuf", "", "application/x-protobuf-json"])
    func otherContentTypes(_ header: String) {
        #expect(OTLPEncoding(contentType: header) == nil)
    }

    @Test func protobufRoundTrip() throws {
        let original = request(resource: service, [gauge("g", [numberPoint(1)])])
        let bytes: [UInt8] = try original.serializedBytes()
        #expect(try OTLPEncoding.protobuf.decodeRequest(bytes) == original)
        // Cut short: an error, not a partial message.
        #expect(throws: RemoteWriteError.self) { try OTLPEncoding.protobuf.decodeRequest(Array(bytes.dropLast(3))) }
    }

    /// OTLP/JSON as the spec shows it: lowerCamelCase names, 64-bit integers as strings,
    /// enums as numbers, trace and span ids in hex, and a field this receiver does not know.
    @Test func otlpJSON() throws {
        let json = """
            {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"cart"}}]},
            "scopeMetrics":[{"scope":{"name":"lib","version":"1"},"metrics":[
              {"name":"requests","unit":"1","sum":{"aggregationTemporality":2,"isMonotonic":true,
                "dataPoints":[{"asInt":"5","timeUnixNano":"1700000000000000000","startTimeUnixNano":"1699999990000000000",
                  "attributes":[{"key":"code","value":{"intValue":"200"}}],
                  "exemplars":[{"asDouble":1.5,"timeUnixNano":"1700000000000000000",
                    "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"}]}]}},
              {"name":"temp","gauge":{"dataPoints":[{"asDouble":21.5,"timeUnixNano":1700000000000000000,"flags":0}]},
               "futureField":{"x":1}}
            ]}]}]}
            """
        let decoded = try OTLPEncoding.json.decodeRequest(Array(json.utf8))
        var translator = OTLPTranslator()
        let result = translator.translate(decoded)
        #expect(result.errors.isEmpty)
        #expect(
            result.samples == [
                OTLPSample(labels: Labels(["__name__": "requests_total", "job": "cart", "code": "200"]), timestamp: baseMs, value: 5),
                OTLPSample(labels: Labels(["__name__": "temp", "job": "cart"]), timestamp: baseMs, value: 21.5),
            ])
    }

    @Test func responses() throws {
        #expect(OTLPEncoding.protobuf.encodeResponse().isEmpty)
        #expect(String(decoding: OTLPEncoding.json.encodeResponse(), as: UTF8.self) == "{}")
        let partial = OTLPEncoding.json.encodeResponse(rejectedDataPoints: 3, errorMessage: "no")
        #expect(String(decoding: partial, as: UTF8.self) == #"{"partialSuccess":{"rejectedDataPoints":"3","errorMessage":"no"}}"#)
        let decoded = try OTLPExportResponse(serializedBytes: OTLPEncoding.protobuf.encodeResponse(rejectedDataPoints: 3, errorMessage: "no"))
        #expect(decoded.partialSuccess.rejectedDataPoints == 3)
    }

    @Test(arguments: ["", "{", "[]", "{\"resourceMetrics\":5}", "not json"])
    func badJSON(_ body: String) {
        #expect(throws: RemoteWriteError.self) { try OTLPEncoding.json.decodeRequest(Array(body.utf8)) }
    }
}
