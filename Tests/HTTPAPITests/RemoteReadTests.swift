// POST /api/v1/read: samples and streamed XOR chunks, external labels, limits and bad requests,
// native histograms in both.

import ChunkEncoding
import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import MetricModel
import Snappy
import SwiftProtobuf
import Testing
import TSDB
import WireFormat

@Suite struct RemoteReadTests {
    static let data: [(labels: [(String, String)], samples: [Sample])] = [
        ([("__name__", "up"), ("instance", "a"), ("job", "node")], (0..<10).map { Sample(Int64($0) * 15_000, 1) }),
        ([("__name__", "up"), ("instance", "b"), ("job", "node"), ("region", "us")],
         [Sample(0, 1), Sample(15_000, StaleNaN.value)]),
        ([("__name__", "temp"), ("job", "env")], [Sample(30_000, 21.5)]),
    ]

    static func request(
        _ matchers: [(Prometheus_LabelMatcher.TypeEnum, String, String)], start: Int64 = 0, end: Int64 = 60_000,
        types: [Prometheus_ReadRequest.ResponseType] = []
    ) throws -> ByteBuffer {
        var query = Prometheus_Query()
        query.startTimestampMs = start
        query.endTimestampMs = end
        query.matchers = matchers.map { type, name, value in
            var m = Prometheus_LabelMatcher()
            m.type = type
            m.name = name
            m.value = value
            return m
        }
        var read = Prometheus_ReadRequest()
        read.queries = [query]
        read.acceptedResponseTypes = types
        return ByteBuffer(bytes: Snappy.compress(try read.serializedBytes() as [UInt8]))
    }

    static func post(_ client: any TestClientProtocol, _ body: ByteBuffer) async throws -> (Int, [String: String], [UInt8]) {
        try await client.execute(
            uri: "/api/v1/read", method: .post,
            headers: [.contentType: "application/x-protobuf", .contentEncoding: "snappy"], body: body
        ) { response in
            var headers: [String: String] = [:]
            for field in response.headers { headers[field.name.canonicalName] = field.value }
            return (Int(response.status.code), headers, Array(response.body.readableBytesView))
        }
    }

    static func names(_ labels: [Prometheus_Label]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: labels.map { ($0.name, $0.value) })
    }

    @Test func samplesWithExternalLabels() async throws {
        try await withTemporaryDirectory { dir in
            let external = Labels(["region": "eu", "cluster": "c1"])
            try await withAPI(directory: dir, configure: { $0.externalLabels = { external } }) { client, _ in
                #expect(try await client.push(Self.data).0 == 204)
                let (code, headers, body) = try await Self.post(client, try Self.request([(.eq, "__name__", "up")], end: 45_000))
                #expect(code == 200)
                #expect(headers["content-type"] == "application/x-protobuf")
                #expect(headers["content-encoding"] == "snappy")
                let response = try Prometheus_ReadResponse(serializedBytes: try Snappy.decompress(body))
                let series = try #require(response.results.first?.timeseries)
                #expect(series.count == 2)
                #expect(Self.names(series[0].labels) == ["__name__": "up", "instance": "a", "job": "node", "region": "eu", "cluster": "c1"])
                #expect(series[0].labels.map(\.name) == ["__name__", "cluster", "instance", "job", "region"])
                #expect(series[0].samples.map(\.timestamp) == [0, 15_000, 30_000, 45_000])
                // The series' own region wins; its stale marker comes back bit for bit.
                #expect(Self.names(series[1].labels)["region"] == "us")
                #expect(series[1].samples.last?.value.bitPattern == StaleNaN.bits)
                // An equality matcher on an external label selects series without that label.
                let (_, _, eu) = try await Self.post(client, try Self.request([(.eq, "region", "eu"), (.eq, "job", "node")]))
                let euSeries = try Prometheus_ReadResponse(serializedBytes: try Snappy.decompress(eu)).results[0].timeseries
                #expect(euSeries.map { Self.names($0.labels)["instance"] } == ["a"])
            }
        }
    }

    @Test func streamedChunksInCheckedFrames() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                #expect(try await client.push(Self.data).0 == 204)
                let (code, headers, body) = try await Self.post(
                    client, try Self.request([(.re, "__name__", "up|temp")], types: [.streamedXorChunks, .samples]))
                #expect(code == 200)
                #expect(headers["content-type"] == "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse")
                let frames = try Self.frames(body)
                #expect(frames.count == 3)
                let first = try #require(frames.first?.chunkedSeries.first)
                #expect(Self.names(first.labels) == ["__name__": "temp", "job": "env"])
                #expect(first.chunks.first?.type == .xor)
                var iterator = SeriesSampleIterator(
                    first.chunks.map { ChunkData(minTime: $0.minTimeMs, maxTime: $0.maxTimeMs, encoding: 1, bytes: Array($0.data)) })
                var samples: [Sample] = []
                while iterator.next() { samples.append(Sample(iterator.timestamp, iterator.value)) }
                #expect(samples == [Sample(30_000, 21.5)])
                #expect(frames.allSatisfy { $0.queryIndex == 0 })
            }
        }
    }

    @Test func limitsAndBadRequests() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: { $0.remoteReadSampleLimit = 5 }) { client, _ in
                #expect(try await client.push(Self.data).0 == 204)
                let (limited, _, limitBody) = try await Self.post(client, try Self.request([(.eq, "__name__", "up")]))
                #expect(limited == 400)
                #expect(String(decoding: limitBody, as: UTF8.self) == "exceeded sample limit (5)\n")
                let (garbage, _, _) = try await Self.post(client, ByteBuffer(bytes: [0xff, 0xff, 0xff, 0x01, 0x02]))
                #expect(garbage == 400)
                let notProto = ByteBuffer(bytes: Snappy.compress(Array(repeating: 0xff, count: 20)))
                #expect(try await Self.post(client, notProto).0 == 400)
                let (badRegex, _, _) = try await Self.post(client, try Self.request([(.re, "job", "(")]))
                #expect(badRegex == 400)
                let (unknownType, _, text) = try await Self.post(client, try Self.request([(.eq, "job", "x")], types: [.UNRECOGNIZED(7)]))
                #expect(unknownType == 400)
                #expect(String(decoding: text, as: UTF8.self).hasPrefix("server does not support any of the requested response types"))
            }
        }
    }

    /// A gauge histogram (its hint survives the chunk) with both sides, two positive spans and a
    /// zero bucket.
    static let gauge = Histogram(
        counterResetHint: .gauge, schema: 1, zeroThreshold: 0.001, zeroCount: 1, count: 6, sum: 12.5,
        positiveSpans: [BucketSpan(offset: 0, length: 2), BucketSpan(offset: 1, length: 1)], positiveBuckets: [1, 1, -1],
        negativeSpans: [BucketSpan(offset: -1, length: 1)], negativeBuckets: [1])
    /// Custom buckets (schema -53) with bounds 0.5 and 1: counts 2, 3, 0.
    static let custom = Histogram(
        counterResetHint: .gauge, schema: -53, count: 5, sum: 3, positiveSpans: [BucketSpan(offset: 0, length: 3)],
        positiveBuckets: [2, 1, -3], customValues: [0.5, 1])
    static let ratio = FloatHistogram(
        schema: 0, zeroCount: 0.5, count: 3, sum: 4, positiveSpans: [BucketSpan(offset: 1, length: 1)], positiveBuckets: [2.5])

    static func appendHistograms(_ db: DB) throws {
        let app = db.appender()
        _ = try app.append(nil, Labels(["__name__": "queue"]), 1000, Self.gauge)
        _ = try app.append(nil, Labels(["__name__": "queue"]), 2000, Self.custom)
        _ = try app.append(nil, Labels(["__name__": "ratio"]), 1000, Self.ratio)
        _ = try app.append(nil, Labels(["__name__": "up"]), 1000, 1.0)
        try app.commit()
    }

    /// The bytes gogo-protobuf writes for prompb's `FromIntHistogram` of `gauge` at 1000, worked
    /// out from types.proto and types.pb.go: fields in number order, the `count` and `zero_count`
    /// oneofs written even when zero, other zero scalars left out, sint fields zig-zagged,
    /// repeated scalars packed.
    static let gaugeGolden: [UInt8] = [
        0x08, 0x06,  // count_int 6
        0x19, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x29, 0x40,  // sum 12.5
        0x20, 0x02,  // schema 1 (zig-zag)
        0x29, 0xfc, 0xa9, 0xf1, 0xd2, 0x4d, 0x62, 0x50, 0x3f,  // zero_threshold 0.001
        0x30, 0x01,  // zero_count_int 1
        0x42, 0x04, 0x08, 0x01, 0x10, 0x01,  // negative_spans {offset -1, length 1}
        0x4a, 0x01, 0x02,  // negative_deltas [1]
        0x5a, 0x02, 0x10, 0x02,  // positive_spans {offset 0 (left out), length 2}
        0x5a, 0x04, 0x08, 0x02, 0x10, 0x01,  // positive_spans {offset 1, length 1}
        0x62, 0x03, 0x02, 0x02, 0x01,  // positive_deltas [1, 1, -1]
        0x70, 0x03,  // reset_hint GAUGE
        0x78, 0xe8, 0x07,  // timestamp 1000
    ]
    /// `custom` at 2000: schema -53, a zero_count_int of 0 still written, custom_values (field 16,
    /// a two-byte key) packed.
    static let customGolden: [UInt8] = [
        0x08, 0x05, 0x19, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x40, 0x20, 0x69, 0x30, 0x00,
        0x5a, 0x02, 0x10, 0x03, 0x62, 0x03, 0x04, 0x02, 0x05, 0x70, 0x03, 0x78, 0xd0, 0x0f,
        0x82, 0x01, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe0, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f,
    ]

    @Test func samplesCarryHistogramsAsPrometheusEncodesThem() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, db in
                try Self.appendHistograms(db)
                let (code, _, body) = try await Self.post(client, try Self.request([(.re, "__name__", "queue|ratio|up")]))
                #expect(code == 200)
                let series = try Prometheus_ReadResponse(serializedBytes: try Snappy.decompress(body)).results[0].timeseries
                #expect(series.map { Self.names($0.labels)["__name__"] } == ["queue", "ratio", "up"])
                let queue = try #require(series.first)
                #expect(queue.samples.isEmpty)
                #expect(try queue.histograms.map { try $0.serializedBytes() as [UInt8] } == [Self.gaugeGolden, Self.customGolden])
                // A float histogram: the float count fields and absolute counts, no deltas.
                let ratio = try #require(series[1].histograms.first)
                #expect(ratio.count == .countFloat(3) && ratio.zeroCount == .zeroCountFloat(0.5))
                #expect(ratio.positiveCounts == [2.5] && ratio.positiveDeltas.isEmpty)
                #expect(ratio.positiveSpans.map { [$0.offset, Int32($0.length)] } == [[1, 1]])
                #expect(ratio.sum == 4 && ratio.schema == 0 && ratio.timestamp == 1000)
                #expect(series[2].histograms.isEmpty && series[2].samples.map(\.value) == [1])
                // The range applies to histograms; they count towards the sample limit.
                let (_, _, late) = try await Self.post(client, try Self.request([(.eq, "__name__", "queue")], start: 1500))
                let lateSeries = try Prometheus_ReadResponse(serializedBytes: try Snappy.decompress(late)).results[0].timeseries
                #expect(lateSeries.first?.histograms.map(\.timestamp) == [2000])
            }
            try await withAPI(directory: dir, configure: { $0.remoteReadSampleLimit = 1 }) { client, _ in
                let (limited, _, _) = try await Self.post(client, try Self.request([(.eq, "__name__", "queue")]))
                #expect(limited == 400)
            }
        }
    }

    @Test func streamedChunksCarryHistogramChunksAsStored() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, db in
                try Self.appendHistograms(db)
                let (code, _, body) = try await Self.post(
                    client, try Self.request([(.re, "__name__", "queue|ratio")], types: [.streamedXorChunks]))
                #expect(code == 200)
                let frames = try Self.frames(body)
                let chunks = frames.flatMap(\.chunkedSeries).flatMap(\.chunks)
                // Integer histograms in HISTOGRAM (2) chunks, float ones in FLOAT_HISTOGRAM (3),
                // their bytes as the storage holds them.
                let queue = try db.select(matchers: [try LabelMatcher(.equal, "__name__", "queue")], minTime: 0, maxTime: 9000, sorted: true)
                // The switch to custom buckets cut a second chunk of `queue`.
                #expect(chunks.map(\.type) == [.histogram, .histogram, .floatHistogram])
                #expect(chunks.first.map { Array($0.data) } == queue.first?.chunks.first?.bytes)
                let last = try #require(chunks.last)
                let decoded = try ChunkSamples.decode(
                    ChunkData(minTime: last.minTimeMs, maxTime: last.maxTimeMs, encoding: 3, bytes: Array(last.data)))
                guard case .floatHistogram(let ratio) = decoded.first?.value else { Issue.record("not a float histogram"); return }
                #expect(ratio == Self.ratio)
            }
        }
    }

    /// The messages of a streamed response, each frame's checksum checked.
    static func frames(_ body: [UInt8]) throws -> [Prometheus_ChunkedReadResponse] {
        var frames: [Prometheus_ChunkedReadResponse] = []
        var rest = body[...]
        while !rest.isEmpty {
            var length = 0
            var shift = 0
            while let b = rest.popFirst() {
                length |= Int(b & 0x7f) << shift
                shift += 7
                if b < 0x80 { break }
            }
            let crc = rest.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            rest = rest.dropFirst(4)
            let message = Array(rest.prefix(length))
            rest = rest.dropFirst(length)
            #expect(CRC32C.checksum(message) == crc)
            frames.append(try Prometheus_ChunkedReadResponse(serializedBytes: message))
        }
        return frames
    }
}
