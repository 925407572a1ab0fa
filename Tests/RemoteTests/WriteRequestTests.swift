// Remote write 1.0 decoding: round trips, validation, malformed input.

import MetricModel
import Remote
import Snappy
import Testing

@Suite struct WriteRequestTests {
    @Test func decodesWhatWasEncoded() throws {
        let series: [(labels: [(String, String)], samples: [Sample])] = [
            ([("__name__", "up"), ("job", "a")], [Sample(1000, 1), Sample(2000, .nan)]),
            ([("__name__", "m"), ("x", "é")], [Sample(-5, StaleNaN.value), Sample(7, -0.0)]),
        ]
        var request = WriteRequest()
        try request.decode(protobuf: WriteRequest.encode(series))
        #expect(request.invalidSeries.isEmpty)
        #expect(request.series.count == 2)
        #expect(request.labels(of: 0) == Labels(["__name__": "up", "job": "a"]))
        #expect(request.labels(of: 1)["x"] == "é")
        let second = request.series[1].samples.map { request.samples[$0] }
        #expect(second == [Sample(-5, StaleNaN.value), Sample(7, -0.0)])
        #expect(second[0].value.bitPattern == StaleNaN.bits)
        #expect(second[1].value.bitPattern == (-0.0).bitPattern)
    }

    @Test func decodesThroughSnappy() throws {
        let body = Snappy.compress(WriteRequest.encode([([("__name__", "m")], [Sample(1, 2)])]))
        var request = WriteRequest()
        var scratch: [UInt8] = []
        try request.decode(snappyBody: body, scratch: &scratch)
        #expect(request.sampleCount == 1)
    }

    @Test(arguments: [
        ([("", "x"), ("__name__", "m")], "empty label name"),
        ([("__name__", "m"), ("a", "1"), ("a", "2")], "duplicate label name a"),
        ([("__name__", "m"), ("b", "1"), ("a", "2")], "not sorted"),
        ([("job", "x")], "missing metric name"),
    ])
    func rejectsInvalidLabels(labels: [(String, String)], problem: String) throws {
        var request = WriteRequest()
        try request.decode(protobuf: WriteRequest.encode([(labels, [Sample(1, 1)])]))
        #expect(request.series.isEmpty)
        #expect(request.samples.isEmpty)
        let message = try #require(request.invalidSeries.first)
        #expect(message.contains(problem), "\(message)")
    }

    @Test func rejectsInvalidUTF8() throws {
        // Hand-built label with bytes 0xFF 0xFE as value.
        var label: [UInt8] = [0x0A, 8] + Array("__name__".utf8) + [0x12, 2, 0xFF, 0xFE]
        var ts: [UInt8] = [0x0A, UInt8(label.count)] + label
        label = []
        ts += [0x12, 11, 0x09, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x10, 1]
        let body: [UInt8] = [0x0A, UInt8(ts.count)] + ts
        var request = WriteRequest()
        try request.decode(protobuf: body)
        #expect(request.invalidSeries.first?.contains("not valid UTF-8") == true)
    }

    @Test func malformedProtobufThrows() {
        let good = WriteRequest.encode([([("__name__", "m")], [Sample(1, 2)])])
        var request = WriteRequest()
        for cut in 1..<good.count {
            // Every strict prefix is either a valid shorter message or a decode error, never a trap.
            _ = try? request.decode(protobuf: Array(good[..<cut]))
        }
        #expect(throws: RemoteWriteError.self) { try request.decode(protobuf: [0x0A, 0x7F, 0x01]) }
        #expect(throws: RemoteWriteError.self) { try request.decode(protobuf: [0x0F]) }  // wire type 7
        #expect(throws: RemoteWriteError.self) { try request.decode(protobuf: [0x00]) }  // field 0
    }

    @Test func randomBytesNeverTrap() {
        var rng = SeededGenerator(seed: 42)
        var request = WriteRequest()
        for _ in 0..<3000 {
            let n = Int(rng.next() % 64)
            let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            _ = try? request.decode(protobuf: bytes)
            var scratch: [UInt8] = []
            _ = try? request.decode(snappyBody: bytes, scratch: &scratch)
        }
    }

    @Test func corruptSnappyThrows() {
        var request = WriteRequest()
        var scratch: [UInt8] = []
        #expect(throws: RemoteWriteError.self) { try request.decode(snappyBody: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], scratch: &scratch) }
    }

    @Test func oversizedDecompressionIsTooLarge() throws {
        let body = Snappy.compress([UInt8](repeating: 7, count: 10_000))
        var request = WriteRequest()
        var scratch: [UInt8] = []
        do {
            try request.decode(snappyBody: body, scratch: &scratch, maxDecompressedBytes: 1000)
            Issue.record("expected an error")
        } catch {
            #expect(error.tooLarge)
        }
    }
}

@Suite struct WriteRequestUTF8Tests {
    /// A label value with `prefix` ASCII bytes followed by `tail` raw bytes.
    static func body(prefix: Int, tail: [UInt8]) -> [UInt8] {
        let value = Array(repeating: UInt8(ascii: "a"), count: prefix) + tail
        let name: [UInt8] = [0x0A, 8] + Array("__name__".utf8) + [0x12, 1, UInt8(ascii: "m")]
        let other: [UInt8] = [0x0A, 1, UInt8(ascii: "v"), 0x12, UInt8(value.count)] + value
        var ts: [UInt8] = [0x0A, UInt8(name.count)] + name + [0x0A, UInt8(other.count)] + other
        ts += [0x12, 11, 0x09, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x10, 1]
        return [0x0A, UInt8(ts.count)] + ts
    }

    @Test(arguments: [0, 7, 8, 9, 16, 23, 40])
    func invalidBytesAfterAnyASCIIPrefixAreRejected(prefix: Int) throws {
        var request = WriteRequest()
        try request.decode(protobuf: Self.body(prefix: prefix, tail: [0xC3, 0x28]))  // bad continuation byte
        #expect(request.invalidSeries.count == 1)
        try request.decode(protobuf: Self.body(prefix: prefix, tail: Array("é€".utf8)))
        #expect(request.invalidSeries.isEmpty)
        #expect(request.series.count == 1)
    }
}
