// /federate with native histograms, as Prometheus's web/federate.go answers: the Accept header
// negotiates protobuf (expfmt.Negotiate); in protobuf, histograms are written with float counts
// in families split by sample kind and gauge-ness; in text, native histograms are left out and
// custom-bucket ones written as classic histograms.

import Exposition
import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import MetricModel
import Testing
import TSDB

@Suite struct FederateHistogramTests {
    static let protobufAccept =
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"
    static let protobufContentType =
        "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"
    static let textContentType = "text/plain; version=0.0.4; charset=utf-8"
    /// What Prometheus 2.42 sends when scraping with native histograms enabled.
    static let prometheusScrapeAccept =
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,"
        + "application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,"
        + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

    /// An integer counter histogram (federate_test.go's `hist`, one zero observation more per `extra`).
    static func counterHistogram(extra: UInt64 = 0) -> Histogram {
        Histogram(
            schema: 1, zeroThreshold: 0.001, zeroCount: 2 + extra, count: 12 + extra, sum: 39.4,
            positiveSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 1, length: 2)], positiveBuckets: [1, 1, -1, 0],
            negativeSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 1, length: 2)], negativeBuckets: [1, 1, -1, 0])
    }

    /// A float gauge histogram with fractional counts and a negative first span offset.
    static func gaugeHistogram(_ scale: Double) -> FloatHistogram {
        FloatHistogram(
            counterResetHint: .gauge, schema: 0, zeroThreshold: 0.01, zeroCount: 1.5 * scale, count: 8.25 * scale,
            sum: -3.5 * scale, positiveSpans: [BucketSpan(offset: -2, length: 3)], positiveBuckets: [1, 2.25, 1],
            negativeSpans: [BucketSpan(offset: 1, length: 1)], negativeBuckets: [2.5])
            .scaled(scale)
    }

    /// federate_test.go's custom-bucket histogram: served as classic buckets 3, 5, 5, 5, 6.
    static let customBuckets = Histogram(
        schema: -53, count: 6, sum: 1.234,
        positiveSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 2, length: 1)], positiveBuckets: [3, -1, -1],
        customValues: [0.1, 0.2, 0.5, 1, 2])

    /// Series of every kind; `t1` older, `t2` newer samples. Series `fed_mixed{k=…}` interleave
    /// floats, counter, gauge and custom-bucket histograms in label order.
    static func store(_ db: DB, t1: Timestamp, t2: Timestamp) throws {
        let app = db.appender()
        func name(_ name: String, _ k: String) -> Labels { Labels(["__name__": name, "k": k]) }
        _ = try app.append(nil, name("fed_mixed", "0"), t2, 1.0)
        _ = try app.append(nil, name("fed_mixed", "1"), t1, counterHistogram())
        _ = try app.append(nil, name("fed_mixed", "1"), t2, counterHistogram(extra: 1))
        _ = try app.append(nil, name("fed_mixed", "2"), t2, counterHistogram(extra: 2))
        _ = try app.append(nil, name("fed_mixed", "3"), t2, 3.0)
        _ = try app.append(nil, name("fed_mixed", "4"), t2, gaugeHistogram(1))
        _ = try app.append(nil, name("fed_mixed", "5"), t2, gaugeHistogram(2))
        _ = try app.append(nil, name("fed_mixed", "6"), t2, customBuckets)
        // The newest sample decides the kind; a stale histogram hides the series.
        _ = try app.append(nil, name("fed_switch", "to_histogram"), t1, 7.0)
        _ = try app.append(nil, name("fed_switch", "to_histogram"), t2, counterHistogram())
        _ = try app.append(nil, name("fed_switch", "to_float"), t1, counterHistogram())
        _ = try app.append(nil, name("fed_switch", "to_float"), t2, 8.0)
        _ = try app.append(nil, name("fed_switch", "stale"), t1, counterHistogram())
        _ = try app.append(nil, name("fed_switch", "stale"), t2, Histogram(sum: StaleNaN.value))
        try app.commit()
    }

    /// The response's status, Content-Type and body for `uri` with `accept` (none when nil).
    static func get(_ client: some TestClientProtocol, _ uri: String, accept: String?) async throws -> (Int, String?, [UInt8]) {
        var headers: HTTPFields = [:]
        if let accept { headers[.accept] = accept }
        return try await client.execute(uri: uri, method: .get, headers: headers) { response in
            (response.status.code, response.headers[.contentType], Array(response.body.readableBytesView))
        }
    }

    /// What our parser reads from a protobuf answer: the families (name, type) and the samples.
    struct Decoded {
        var families: [String] = []
        var floats: [(labels: Labels, t: Timestamp?, value: Double)] = []
        var histograms: [(labels: Labels, t: Timestamp?, histogram: FloatHistogram)] = []
    }

    static func decode(_ bytes: [UInt8]) throws -> Decoded {
        var parser = ProtobufParser(bytes)
        var decoded = Decoded()
        while let entry = try parser.next() {
            switch entry {
            case .type(let name, let type): decoded.families.append("\(name) \(type.rawValue)")
            case .series: decoded.floats.append((parser.labels, parser.timestamp, parser.value))
            case .histogram:
                #expect(parser.histogram == nil, "federation writes float counts only")
                decoded.histograms.append((parser.labels, parser.timestamp, try #require(parser.floatHistogram)))
            default: break
            }
        }
        return decoded
    }

    /// The answer to federating every `fed_` series of ``store(_:t1:t2:)`` with `accept`, and `t2`.
    static func federateStored(accept: String?) async throws -> (t2: Timestamp, status: Int, contentType: String?, body: [UInt8]) {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, db in
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                let (t1, t2) = (now - 20_000, now - 10_000)
                try Self.store(db, t1: t1, t2: t2)
                let (status, contentType, body) = try await Self.get(
                    client, "/federate?match[]=%7B__name__%3D~%22fed_.*%22%7D", accept: accept)
                return (t2, status, contentType, body)
            }
        }
    }

    @Test func protobufAnswerDecodesToTheStoredHistograms() async throws {
        let (t2, status, contentType, body) = try await Self.federateStored(accept: Self.prometheusScrapeAccept)
        #expect(status == 200)
        #expect(contentType == Self.protobufContentType)
        let decoded = try Self.decode(body)
        // A new family wherever the kind or the gauge-ness changes, as federate.go splits them.
        #expect(
            decoded.families == [
                "fed_mixed unknown", "fed_mixed histogram", "fed_mixed unknown", "fed_mixed gaugehistogram",
                "fed_mixed histogram", "fed_switch unknown", "fed_switch histogram",
            ])
        // Our parser drops the empty `instance`.
        func labels(_ name: String, _ k: String, le: String? = nil) -> Labels {
            Labels([("__name__", name), ("k", k)] + (le.map { [("le", $0)] } ?? []))
        }
        let floats = decoded.floats.map { "\($0.labels) \($0.t.map(String.init) ?? "-") \($0.value)" }
        let classic = [("0.1", 3.0), ("0.2", 5), ("0.5", 5), ("1.0", 5), ("2.0", 6), ("+Inf", 6)].map {
            "\(labels("fed_mixed_bucket", "6", le: $0.0)) \(t2) \($0.1)"
        }
        #expect(
            floats == ["\(labels("fed_mixed", "0")) \(t2) 1.0", "\(labels("fed_mixed", "3")) \(t2) 3.0"]
                // The custom-bucket histogram as a classic one (the parser adds its +Inf bucket).
                + ["\(labels("fed_mixed_count", "6")) \(t2) 6.0", "\(labels("fed_mixed_sum", "6")) \(t2) 1.234"]
                + classic + ["\(labels("fed_switch", "to_float")) \(t2) 8.0"])
        let expected: [(Labels, FloatHistogram)] = [
            (labels("fed_mixed", "1"), Self.counterHistogram(extra: 1).toFloat()),
            (labels("fed_mixed", "2"), Self.counterHistogram(extra: 2).toFloat()),
            (labels("fed_mixed", "4"), Self.gaugeHistogram(1)),
            (labels("fed_mixed", "5"), Self.gaugeHistogram(2)),
            (labels("fed_switch", "to_histogram"), Self.counterHistogram().toFloat()),
        ]
        #expect(decoded.histograms.count == expected.count)
        for (got, (wantLabels, want)) in zip(decoded.histograms, expected) {
            #expect(got.labels == wantLabels)
            #expect(got.t == t2)
            #expect(got.histogram == want, "\(got.histogram) vs \(want)")
            #expect((got.histogram.counterResetHint == .gauge) == (want.counterResetHint == .gauge))
        }
    }

    @Test func textAnswerLeavesNativeHistogramsOut() async throws {
        let (t2, status, contentType, body) = try await Self.federateStored(accept: nil)
        #expect(status == 200)
        #expect(contentType == Self.textContentType)
        // Skipped histograms leave the family open: fed_mixed{k="3"} joins k="0"'s.
        let expected = """
            # TYPE fed_mixed untyped
            fed_mixed{k="0",instance=""} 1 \(t2)
            fed_mixed{k="3",instance=""} 3 \(t2)
            # TYPE fed_mixed histogram
            fed_mixed_bucket{k="6",instance="",le="0.1"} 3 \(t2)
            fed_mixed_bucket{k="6",instance="",le="0.2"} 5 \(t2)
            fed_mixed_bucket{k="6",instance="",le="0.5"} 5 \(t2)
            fed_mixed_bucket{k="6",instance="",le="1"} 5 \(t2)
            fed_mixed_bucket{k="6",instance="",le="2"} 6 \(t2)
            fed_mixed_bucket{k="6",instance="",le="+Inf"} 6 \(t2)
            fed_mixed_sum{k="6",instance=""} 1.234 \(t2)
            fed_mixed_count{k="6",instance=""} 6 \(t2)
            # TYPE fed_switch untyped
            fed_switch{k="to_float",instance=""} 8 \(t2)

            """
        #expect(String(decoding: body, as: UTF8.self) == expected)
    }

    @Test(arguments: [
        (nil, false),
        (prometheusScrapeAccept, true),
        (protobufAccept, true),
        ("application/openmetrics-text;version=1.0.0", false),
        ("text/plain;version=0.0.4;q=0.9," + protobufAccept + ";q=0.5", false),
        (protobufAccept + ";q=0.4,text/plain;q=0.3", true),
        // Clauses we cannot serve are passed over; text when nothing is left.
        ("text/plain;version=1.0.0," + protobufAccept + ";q=0.1", true),
        ("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=compact-text", false),
        ("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text,text/plain;q=0.1", false),
        ("application/vnd.google.protobuf;proto=other;encoding=delimited", false),
        // goautoneg puts a concrete type before a wildcard of the same q.
        ("*/*," + protobufAccept, true),
        ("text/*;q=1," + protobufAccept + ";q=0.99", true),
        ("text/plain;q=1, " + protobufAccept + ";escaping=allow-utf-8;q=0.9", false),
    ] as [(String?, Bool)])
    func negotiation(accept: String?, protobuf: Bool) async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, db in
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                let app = db.appender()
                _ = try app.append(nil, Labels(["__name__": "up", "job": "j"]), now - 1000, 1.0)
                try app.commit()
                let (status, contentType, body) = try await Self.get(client, "/federate?match[]=up", accept: accept)
                #expect(status == 200)
                #expect(contentType == (protobuf ? Self.protobufContentType : Self.textContentType))
                if protobuf {
                    let decoded = try Self.decode(body)
                    #expect(decoded.families == ["up unknown"])
                    #expect(decoded.floats.map(\.value) == [1])
                } else {
                    #expect(String(decoding: body, as: UTF8.self) == "# TYPE up untyped\nup{job=\"j\",instance=\"\"} 1 \(now - 1000)\n")
                }
            }
        }
    }
}

extension FloatHistogram {
    /// Every count multiplied by `factor` (the sum is left alone).
    fileprivate func scaled(_ factor: Double) -> FloatHistogram {
        var h = self
        h.positiveBuckets = positiveBuckets.map { $0 * factor }
        h.negativeBuckets = negativeBuckets.map { $0 * factor }
        return h
    }
}
