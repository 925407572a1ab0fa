// ProtobufParserTests: each metric type, native and classic histograms, exemplars, negative and
// float buckets, gauge histograms, wire-format variants (unpacked repeated fields, unknown
// fields, merged messages), on hand-encoded protobuf.

import Exposition
import MetricModel
import Testing

@Suite("protobuf exposition parser")
struct ProtobufParserTests {
    typealias Options = ProtobufParser.Options

    /// A native histogram message: schema 1, zero bucket, buckets on both sides (integer deltas).
    static func nativeHistogram(classicBuckets: Bool = false, packed: Bool = true) -> PB {
        var h = PB()
        h.varint(1, 9)  // sample_count
        h.double(2, 21.5)  // sample_sum
        if classicBuckets {
            h.message(3, Proto.bucket(3, 1))
            h.message(3, Proto.bucket(7, 4, exemplar: Proto.exemplar([("trace", "t1")], 3.5)))
        }
        h.sint(5, 1)  // schema
        h.double(6, 0.001)  // zero_threshold
        h.varint(7, 2)  // zero_count
        h.message(9, Proto.span(-2, 2))
        h.message(12, Proto.span(0, 2))
        h.message(12, Proto.span(3, 1))
        if packed {
            h.packedSint(10, [1, 1])  // negative: 1, 2
            h.packedSint(13, [2, -1, 0])  // positive: 2, 1, 1
        } else {
            for d: Int64 in [1, 1] { h.sint(10, d) }
            for d: Int64 in [2, -1, 0] { h.sint(13, d) }
        }
        return h
    }

    /// Reads entries up to and including the first `.histogram`.
    static func advanceToHistogram(_ parser: inout ProtobufParser) throws {
        while let entry = try parser.next() {
            if entry == .histogram { return }
        }
        Issue.record("no histogram entry")
    }

    static let expectedNative = Histogram(
        schema: 1, zeroThreshold: 0.001, zeroCount: 2, count: 9, sum: 21.5,
        positiveSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 3, length: 1)], positiveBuckets: [2, -1, 0],
        negativeSpans: [BucketSpan(offset: -2, length: 2)], negativeBuckets: [1, 1])

    @Test func counterGaugeUntyped() throws {
        let input = Proto.stream([
            Proto.family(
                "requests_total", help: "Requests.", type: 0, unit: "requests",
                metrics: [
                    Proto.metric([("path", "/a"), ("code", "200")], 3, Proto.value(17), timestampMs: 1_700_000_000_123),
                    Proto.metric([("path", "/b"), ("code", "")], 3, Proto.value(2)),
                ]),
            Proto.family("temperature", type: 1, metrics: [Proto.metric([], 2, Proto.value(-3.5))]),
            Proto.family("thing", help: "x", type: 3, metrics: [Proto.metric([("a", "b")], 5, Proto.value(.nan))]),
        ])
        var parser = ProtobufParser(input)
        #expect(try parser.next() == .help(name: "requests_total", text: "Requests."))
        #expect(try parser.next() == .unit(name: "requests_total", unit: "requests"))
        #expect(try parser.next() == .type(name: "requests_total", type: .counter))
        #expect(try parser.next() == .series)
        #expect(parser.labels == Labels(["__name__": "requests_total", "path": "/a", "code": "200"]))
        #expect(parser.metricName == "requests_total")
        #expect(parser.value == 17)
        #expect(parser.timestamp == 1_700_000_000_123)
        #expect(parser.metricType == .counter)
        #expect(try parser.next() == .series)
        #expect(parser.labels == Labels(["__name__": "requests_total", "path": "/b"]))  // empty value dropped
        #expect(parser.value == 2)
        #expect(parser.timestamp == nil)
        #expect(try parser.next() == .help(name: "temperature", text: ""))
        #expect(try parser.next() == .type(name: "temperature", type: .gauge))
        #expect(try parser.next() == .series)
        #expect(parser.value == -3.5)
        #expect(parser.labels == Labels(["__name__": "temperature"]))
        #expect(try parser.exemplars().isEmpty)
        #expect(try parser.next() == .help(name: "thing", text: "x"))
        #expect(try parser.next() == .type(name: "thing", type: .unknown))
        #expect(try parser.next() == .series)
        #expect(parser.value.isNaN)
        #expect(try parser.next() == nil)
        #expect(try parser.next() == nil)
    }

    @Test func counterExemplarAndCreatedTimestamp() throws {
        var counter = PB()
        counter.double(1, 42)
        counter.message(
            2, Proto.exemplar([("trace_id", "abc"), ("span_id", "def")], 5, timestamp: Proto.timestamp(seconds: 1_625_851_151, nanos: 233_181_499)))
        counter.message(3, Proto.timestamp(seconds: 1_625_851_153, nanos: 146_848_499))
        let input = Proto.stream([Proto.family("c_total", type: 0, metrics: [Proto.metric([], 3, counter)])])
        let lines = try dumpProtobuf(input, Options())
        #expect(
            lines == [
                "help c_total ",
                "type c_total counter",
                "series {__name__=c_total} t=- st=1625851153146 ex={span_id=def,trace_id=abc}:4014000000000000:1625851151233 v=4045000000000000",
            ])
    }

    @Test func summary() throws {
        var s = PB()
        s.varint(1, 262)
        s.double(2, 0.25)
        for (q, v) in [(0.5, 1.0), (0.99, 4.0), (1e-05, 0.125)] {
            var quantile = PB()
            quantile.double(1, q)
            quantile.double(2, v)
            s.message(3, quantile)
        }
        let input = Proto.stream([Proto.family("rpc", type: 2, metrics: [Proto.metric([("svc", "x")], 4, s)])])
        var parser = ProtobufParser(input)
        _ = try parser.next()
        #expect(try parser.next() == .type(name: "rpc", type: .summary))
        var got: [(Labels, Double)] = []
        while let entry = try parser.next() {
            #expect(entry == .series)
            #expect(parser.createdTimestamp == nil)
            got.append((parser.labels, parser.value))
        }
        let expected: [([String: String], Double)] = [
            (["__name__": "rpc_count", "svc": "x"], 262),
            (["__name__": "rpc_sum", "svc": "x"], 0.25),
            (["__name__": "rpc", "svc": "x", "quantile": "0.5"], 1),
            (["__name__": "rpc", "svc": "x", "quantile": "0.99"], 4),
            (["__name__": "rpc", "svc": "x", "quantile": "1e-05"], 0.125),
        ]
        #expect(got.count == expected.count)
        for (g, e) in zip(got, expected) {
            #expect(g.0 == Labels(e.0))
            #expect(g.1 == e.1)
        }
    }

    @Test(arguments: [true, false])
    func nativeHistogramPackedOrNot(_ packed: Bool) throws {
        let input = Proto.stream([
            Proto.family("lat", type: 4, metrics: [Proto.metric([("x", "1")], 7, Self.nativeHistogram(packed: packed), timestampMs: 5)])
        ])
        var parser = ProtobufParser(input)
        _ = try parser.next()
        _ = try parser.next()
        #expect(try parser.next() == .histogram)
        #expect(parser.labels == Labels(["__name__": "lat", "x": "1"]))
        #expect(parser.timestamp == 5)
        #expect(parser.floatHistogram == nil)
        let h = try #require(parser.histogram)
        #expect(h == Self.expectedNative)
        #expect(h.counterResetHint == .unknown)
        #expect(try parser.next() == nil)
    }

    @Test func nativeAndClassicHistogram() throws {
        let metric = Proto.metric([], 7, Self.nativeHistogram(classicBuckets: true))
        let input = Proto.stream([Proto.family("lat", type: 4, metrics: [metric])])
        // Native only by default.
        let native = try dumpProtobuf(input, Options())
        #expect(native.count == 3)
        #expect(native[2].hasPrefix("histogram {__name__=lat} t=- st=- ex=- int hint=unknown schema=1 count=9"))

        // Both with parseClassicHistograms: the native one first, then the classic series with
        // the +Inf bucket added (count 9).
        let both = try dumpProtobuf(input, Options(parseClassicHistograms: true))
        #expect(both.count == 8)
        #expect(both[2] == native[2])
        #expect(
            Array(both[3...]) == [
                "series {__name__=lat_count} t=- st=- ex=- v=4022000000000000",
                "series {__name__=lat_sum} t=- st=- ex=- v=4035800000000000",
                "series {__name__=lat_bucket,le=1.0} t=- st=- ex=- v=4008000000000000",
                "series {__name__=lat_bucket,le=4.0} t=- st=- ex={trace=t1}:400c000000000000:- v=401c000000000000",
                "series {__name__=lat_bucket,le=+Inf} t=- st=- ex=- v=4022000000000000",
            ])

        // Classic only when native histograms are ignored.
        let classic = try dumpProtobuf(input, Options(ignoreNativeHistograms: true))
        #expect(Array(classic[2...]) == Array(both[3...]))
    }

    @Test func nativeHistogramWithoutClassicBucketsYieldsNoClassicSeries() throws {
        let input = Proto.stream([Proto.family("lat", type: 4, metrics: [Proto.metric([], 7, Self.nativeHistogram())])])
        #expect(try dumpProtobuf(input, Options(parseClassicHistograms: true)).count == 3)
    }

    @Test func classicBucketsStopAtInf() throws {
        var h = PB()
        h.varint(1, 5)
        h.message(3, Proto.bucket(1, 1))
        h.message(3, Proto.bucket(5, .infinity))
        h.message(3, Proto.bucket(9, 100))  // after +Inf: not yielded, as in Prometheus
        let input = Proto.stream([Proto.family("h", type: 4, metrics: [Proto.metric([], 7, h)])])
        let lines = try dumpProtobuf(input, Options())
        #expect(lines.count == 2 + 4)
        #expect(lines.last == "series {__name__=h_bucket,le=+Inf} t=- st=- ex=- v=4014000000000000")
    }

    @Test func gaugeFloatHistogramWithNegativeBuckets() throws {
        var h = PB()
        h.double(4, 7.5)  // sample_count_float
        h.double(2, -3)
        h.sint(5, -2)
        h.double(8, 0.5)  // zero_count_float
        h.message(9, Proto.span(1, 3))
        h.packedDouble(11, [1, 0, 2])
        h.message(12, Proto.span(0, 1))
        for c in [4.0] { h.double(14, c) }  // unpacked
        let input = Proto.stream([Proto.family("g", type: 5, metrics: [Proto.metric([], 7, h)])])
        var parser = ProtobufParser(input)
        _ = try parser.next()
        #expect(try parser.next() == .type(name: "g", type: .gaugeHistogram))
        #expect(try parser.next() == .histogram)
        #expect(parser.histogram == nil)
        let fh = try #require(parser.floatHistogram)
        #expect(fh.counterResetHint == .gauge)
        #expect(fh.schema == -2)
        #expect(fh.count == 7.5)
        #expect(fh.zeroCount == 0.5)
        #expect(fh.sum == -3)
        // Compact(0) removes the empty bucket and splits the span around it.
        #expect(fh.negativeSpans == [BucketSpan(offset: 1, length: 1), BucketSpan(offset: 1, length: 1)])
        #expect(fh.negativeBuckets == [1, 2])
        #expect(fh.positiveSpans == [BucketSpan(offset: 0, length: 1)])
        #expect(fh.positiveBuckets == [4])
    }

    @Test func integerGaugeHistogramGetsGaugeHint() throws {
        let input = Proto.stream([Proto.family("g", type: 5, metrics: [Proto.metric([], 7, Self.nativeHistogram())])])
        var parser = ProtobufParser(input)
        try Self.advanceToHistogram(&parser)
        #expect(parser.histogram?.counterResetHint == .gauge)
    }

    @Test func nativeHistogramExemplars() throws {
        var h = Self.nativeHistogram()
        h.message(16, Proto.exemplar([("id", "1")], 0.5, timestamp: Proto.timestamp(seconds: 10, nanos: 5_000_000)))
        h.message(16, Proto.exemplar([("id", "2")], 0.7))  // no timestamp: dropped for native histograms
        h.message(16, Proto.exemplar([("id", "3")], 0.9, timestamp: Proto.timestamp(seconds: 11, nanos: 0)))
        let input = Proto.stream([Proto.family("n", type: 4, metrics: [Proto.metric([], 7, h)])])
        var parser = ProtobufParser(input)
        try Self.advanceToHistogram(&parser)
        #expect(
            try parser.exemplars() == [
                Exemplar(labels: Labels(["id": "1"]), value: 0.5, timestamp: 10_005),
                Exemplar(labels: Labels(["id": "3"]), value: 0.9, timestamp: 11_000),
            ])
    }

    @Test func nativeHistogramFallsBackToBucketExemplarsWithTimestamps() throws {
        var h = PB()
        h.varint(1, 2)
        h.message(3, Proto.bucket(1, 1, exemplar: Proto.exemplar([("id", "a")], 1)))  // no timestamp
        h.message(3, Proto.bucket(2, 2, exemplar: Proto.exemplar([("id", "b")], 2, timestamp: Proto.timestamp(seconds: 3, nanos: 0))))
        h.message(12, Proto.span(0, 1))
        h.sint(13, 2)
        let input = Proto.stream([Proto.family("n", type: 4, metrics: [Proto.metric([], 7, h)])])
        var parser = ProtobufParser(input)
        try Self.advanceToHistogram(&parser)
        #expect(try parser.exemplars() == [Exemplar(labels: Labels(["id": "b"]), value: 2, timestamp: 3000)])
    }

    /// Prometheus's isNativeHistogram: a zero threshold alone, or a zero count alone, makes a
    /// histogram native; a float zero count alone does not.
    @Test func whatMakesAHistogramNative() throws {
        func kind(_ build: (inout PB) -> Void) throws -> String {
            var h = PB()
            build(&h)
            let input = Proto.stream([Proto.family("n", type: 4, metrics: [Proto.metric([], 7, h)])])
            return try dumpProtobuf(input, Options(validateHistograms: false))[2].split(separator: " ")[0].description
        }
        #expect(try kind { $0.double(6, 0.001) } == "histogram")
        #expect(try kind { $0.varint(7, 1) } == "histogram")
        #expect(try kind { $0.message(12, Proto.span(0, 0)) } == "histogram")
        #expect(try kind { $0.message(9, Proto.span(0, 0)) } == "histogram")
        #expect(try kind { $0.double(8, 1) } == "series")
        #expect(try kind { $0.sint(5, 3) } == "series")
    }

    @Test func emptyFamiliesAreSkippedEntirely() throws {
        let input = Proto.stream([
            Proto.family("empty", help: "nothing", type: 0, metrics: []),
            Proto.family("g", type: 1, metrics: [Proto.metric([], 2, Proto.value(1))]),
        ])
        #expect(try dumpProtobuf(input, Options()).first == "help g ")
        #expect(try dumpProtobuf([], Options()).isEmpty)
    }

    @Test func unknownFieldsAreSkippedAndMessagesMerge() throws {
        var metric = PB()
        metric.varint(99, 12345)  // unknown varint
        metric.double(98, 1)  // unknown fixed64
        metric.key(97, 5)  // unknown fixed32
        metric.bytes += [1, 2, 3, 4]
        metric.string(96, "unknown")
        metric.message(1, Proto.labelPair("a", "1"))
        metric.message(2, Proto.value(1))
        metric.message(2, PB())  // a second, empty gauge message merges: the value stays
        metric.varint(6, 7)
        metric.varint(6, 8)  // the last scalar wins
        var family = Proto.family("m", type: 1, metrics: [metric])
        family.varint(50, 1)
        let lines = try dumpProtobuf(Proto.stream([family]), Options())
        #expect(lines == ["help m ", "type m gauge", "series {__name__=m,a=1} t=8 st=- ex=- v=3ff0000000000000"])
    }
}
