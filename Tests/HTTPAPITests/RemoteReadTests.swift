// POST /api/v1/read: samples and streamed XOR chunks, external labels, limits and bad requests.

import ChunkEncoding
import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import MetricModel
import Snappy
import SwiftProtobuf
import Testing
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
}
