// ProtobufMalformedTests: malformed protobuf expositions give a clear ExpositionError and never
// trap — hand-made cases for each kind of damage, then seeded random bytes, every truncation
// and random byte flips of valid streams. Reproduce a random failure with
// EXPOSITION_FUZZ_SEED=<seed printed in the message>.

import Exposition
import Foundation
import MetricModel
import Testing

@Suite("protobuf exposition: malformed input")
struct ProtobufMalformedTests {
    typealias Options = ProtobufParser.Options

    static func parseAll(_ bytes: [UInt8], _ options: Options = Options()) throws(ExpositionError) -> Int {
        var parser = ProtobufParser(bytes, options: options)
        var n = 0
        while let entry = try parser.next() {
            n += 1
            if entry == .series || entry == .histogram { _ = try parser.exemplars() }
        }
        return n
    }

    static func error(_ bytes: [UInt8], _ options: Options = Options()) -> ExpositionError? {
        do {
            _ = try parseAll(bytes, options)
            return nil
        } catch {
            return error
        }
    }

    static func family(_ metric: PB, type: UInt64 = 1) -> [UInt8] {
        Proto.stream([Proto.family("m", type: type, metrics: [metric])])
    }

    static func histogramFamily(_ build: (inout PB) -> Void) -> [UInt8] {
        var h = PB()
        build(&h)
        return family(Proto.metric([], 7, h), type: 4)
    }

    @Test(arguments: [
        ([0x80] as [UInt8], "proto: unexpected end of data in varint"),
        ([0x05, 0x0A], "clientpb: insufficient length of buffer, expected at least 6 bytes, got 2 bytes"),
        ([0x80, 0x80, 0x80, 0x80, 0x80, 0x00], "clientpb: invalid varint encountered"),
        ([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], "proto: integer overflow in varint"),
        ([0x02, 0x18, 0x80], "proto: unexpected end of data in varint"),  // MetricFamily.type truncated
        ([0x02, 0x0A, 0x05], "proto: length 5 exceeds the 0 bytes left"),  // name length past the end
        ([0x02, 0x18, 0x01] + [0x02, 0x00, 0x01], "proto: illegal field number 0"),  // after an empty family
        ([0x02, 0x33, 0x00], "proto: groups are not supported"),  // an unknown group field
        ([0x02, 0x0F, 0x00], "proto: illegal wire type 7"),
        ([0x02, 0x08, 0x01, 0x01, 0x0A], "proto: wrong wire type 0 for field MetricFamily.name"),
        ([0x03, 0x3D, 0x01, 0x02], "proto: unexpected end of data in fixed32"),
    ])
    func wireFormat(_ bytes: [UInt8], _ message: String) throws {
        let e = try #require(Self.error(bytes))
        #expect(e.code == .invalidProtobuf)
        #expect(e.message == message)
        #expect(e.offset <= bytes.count)
        #expect(e.description == "byte \(e.offset): \(message)")
    }

    @Test func wrongWireTypeInsideAMetric() throws {
        var metric = PB()
        metric.varint(2, 1)  // gauge as a varint
        let e = try #require(Self.error(Self.family(metric)))
        #expect(e.code == .invalidProtobuf)
        #expect(e.message == "proto: wrong wire type 0 for field Metric.gauge")
    }

    @Test func badPackedRuns() throws {
        let doubles = Self.histogramFamily { $0.raw(14, [1, 2, 3, 4, 5, 6, 7]) }
        #expect(Self.error(doubles)?.message == "proto: packed field Histogram.positive_count is 7 bytes, not a multiple of 8")
        let deltas = Self.histogramFamily { $0.raw(13, [0x80]) }
        #expect(Self.error(deltas)?.message == "proto: unexpected end of data in varint")
        let wrong = Self.histogramFamily { $0.double(13, 1) }
        #expect(Self.error(wrong)?.message == "proto: wrong wire type 1 for field Histogram.positive_delta")
    }

    @Test func malformedExemplarFailsTheMetric() throws {
        var counter = PB()
        counter.raw(2, [0x12, 0x01])  // Exemplar.value as a 1-byte string: wrong wire type
        let e = try #require(Self.error(Self.family(Proto.metric([], 3, counter), type: 0)))
        #expect(e.message == "proto: wrong wire type 2 for field Exemplar.value")
    }

    @Test func namesAndTypes() throws {
        let noName = Proto.stream([Proto.family("", type: 1, metrics: [Proto.metric([], 2, Proto.value(1))])])
        #expect(Self.error(noName)?.message == "invalid metric name: ")
        var badHelp = Proto.family("m", type: 1, metrics: [Proto.metric([], 2, Proto.value(1))])
        badHelp.raw(2, [0xC3, 0x28])
        #expect(Self.error(Proto.stream([badHelp]))?.message == "invalid help for metric \"m\"")
        #expect(Self.error(Proto.stream([badHelp]))?.code == .invalidUTF8)
        let badType = Proto.stream([Proto.family("m", type: 9, metrics: [Proto.metric([], 2, Proto.value(1))])])
        #expect(Self.error(badType)?.message == "unknown metric type for metric \"m\": 9")
        #expect(Self.error(badType)?.code == .invalidMetricType)
    }

    @Test func labels() throws {
        let duplicate = Self.family(Proto.metric([("a", "1"), ("a", "2")], 2, Proto.value(1)))
        #expect(Self.error(duplicate)?.code == .invalidLabels)
        #expect(Self.error(duplicate)?.message == "label name \"a\" is not unique: invalid sample")
        let nameLabel = Self.family(Proto.metric([("__name__", "x")], 2, Proto.value(1)))
        #expect(Self.error(nameLabel)?.message == "label name \"__name__\" is not unique: invalid sample")
        let emptyName = Self.family(Proto.metric([("", "1")], 2, Proto.value(1)))
        #expect(Self.error(emptyName)?.message == "invalid label name: ")
        var badValue = PB()
        var pair = PB()
        pair.string(1, "a")
        pair.raw(2, [0xFF])
        badValue.message(1, pair)
        badValue.message(2, Proto.value(1))
        #expect(Self.error(Self.family(badValue))?.code == .invalidUTF8)
        // A repeated name with an empty value is not a duplicate (empty labels are dropped).
        #expect(Self.error(Self.family(Proto.metric([("a", "1"), ("a", "")], 2, Proto.value(1)))) == nil)
    }

    @Test func spansAndBucketsMustAgree() throws {
        let input = Self.histogramFamily {
            $0.message(12, Proto.span(0, 3))
            $0.packedSint(13, [1, 1])
        }
        for validate in [true, false] {
            let e = try #require(Self.error(input, Options(validateHistograms: validate)))
            #expect(e.code == .invalidHistogram)
            #expect(e.message == "histogram \"m\": positive side: spans require 3 buckets, have 2: "
                + "histogram spans specify different number of buckets than provided")
        }
        // Float histograms count their float buckets.
        let float = Self.histogramFamily {
            $0.double(4, 2)
            $0.message(9, Proto.span(0, 1))
            $0.packedSint(10, [2])  // integer deltas do not count for a float histogram
        }
        #expect(Self.error(float, Options(validateHistograms: false))?.message.contains("negative side: spans require 1 buckets, have 0") == true)
    }

    @Test func validationOfNativeHistograms() throws {
        let negativeBucket = Self.histogramFamily {
            $0.varint(1, 0)
            $0.message(12, Proto.span(0, 2))
            $0.packedSint(13, [1, -2])
        }
        let e = try #require(Self.error(negativeBucket))
        #expect(e.code == .invalidHistogram)
        #expect(e.message.contains("bucket number 2 has observation count of -1"))
        #expect(Self.error(negativeBucket, Options(validateHistograms: false)) == nil)

        let badSchema = Self.histogramFamily {
            $0.sint(5, 9)
            $0.message(12, Proto.span(0, 0))
        }
        #expect(Self.error(badSchema)?.message.contains("got schema 9") == true)

        let negativeFloatCount = Self.histogramFamily {
            $0.double(4, 1)
            $0.message(12, Proto.span(0, 1))
            $0.double(14, -1)
        }
        #expect(Self.error(negativeFloatCount)?.message.contains("positive side: bucket number 1 has observation count of -1") == true)

        let hugeCount = Self.histogramFamily {
            $0.varint(1, .max)
            $0.message(12, Proto.span(0, 2))
            $0.packedSint(13, [.max, .min])
        }
        #expect(Self.error(hugeCount)?.code == .invalidHistogram)
        #expect(Self.error(hugeCount, Options(validateHistograms: false)) == nil)

        let hugeSpan = Self.histogramFamily {
            $0.message(12, Proto.span(.max, .max))
        }
        #expect(Self.error(hugeSpan, Options(validateHistograms: false))?.code == .invalidHistogram)
    }

    // MARK: Random inputs

    static let seed: UInt64 = {
        if let text = ProcessInfo.processInfo.environment["EXPOSITION_FUZZ_SEED"], let seed = UInt64(text) {
            return seed
        }
        return UInt64(Date().timeIntervalSince1970 * 1000)
    }()

    /// Valid streams covering every message type, to truncate and mutate.
    static var corpus: [[UInt8]] {
        var counter = PB()
        counter.double(1, 1)
        counter.message(2, Proto.exemplar([("a", "b")], 1, timestamp: Proto.timestamp(seconds: 1, nanos: 2)))
        counter.message(3, Proto.timestamp(seconds: 5, nanos: 6))
        var summary = PB()
        summary.varint(1, 3)
        summary.double(2, 1)
        var q = PB()
        q.double(1, 0.5)
        q.double(2, 1)
        summary.message(3, q)
        var floatHistogram = PB()
        floatHistogram.double(4, 3)
        floatHistogram.message(9, Proto.span(-1, 2))
        floatHistogram.packedDouble(11, [1, 2])
        floatHistogram.message(16, Proto.exemplar([("x", "y")], 1, timestamp: Proto.timestamp(seconds: 1, nanos: 0)))
        return [
            Proto.stream([
                Proto.family("c_total", help: "h", type: 0, unit: "u", metrics: [Proto.metric([("l", "v")], 3, counter)]),
                Proto.family("s", type: 2, metrics: [Proto.metric([], 4, summary)]),
                Proto.family("h", type: 4, metrics: [Proto.metric([("k", "v")], 7, ProtobufParserTests.nativeHistogram(classicBuckets: true))]),
                Proto.family("f", type: 5, metrics: [Proto.metric([], 7, floatHistogram, timestampMs: 9)]),
            ]),
            Array(try! ProtobufParserFixtureTests.fixture("textparse-testdata.pb")),
        ]
    }

    static let allOptions: [Options] = [
        Options(), Options(validateHistograms: false),
        Options(ignoreNativeHistograms: true), Options(parseClassicHistograms: true, validateHistograms: false),
    ]

    /// Parses and checks the invariants; returns false (with an issue recorded) on a violation.
    static func check(_ bytes: [UInt8], _ options: Options, _ what: String) {
        var parser = ProtobufParser(bytes, options: options)
        do {
            while let entry = try parser.next() {
                guard entry == .series || entry == .histogram else { continue }
                _ = try parser.exemplars()
                let pairs = parser.labels.pairs.map(\.name)
                if pairs != pairs.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                    Issue.record("unsorted labels \(parser.labels) (\(what), seed \(seed))")
                }
                if entry == .histogram && (parser.histogram == nil) == (parser.floatHistogram == nil) {
                    Issue.record("histogram entry without exactly one histogram (\(what), seed \(seed))")
                }
            }
        } catch {
            if error.offset < 0 || error.offset > bytes.count {
                Issue.record("error offset \(error.offset) outside \(bytes.count) bytes (\(what), seed \(seed))")
            }
            if error.message.isEmpty { Issue.record("error without message (\(what), seed \(seed))") }
        }
    }

    /// Every cut of the small inputs; of the large fixture streams, every cut of their first and
    /// last 128 bytes and every 7th between (all of them made this one test take 50 s of a CI
    /// machine's two cores, starving the network tests that share them).
    @Test func everyTruncation() throws {
        for (c, input) in Self.corpus.enumerated() {
            let cuts = (0..<input.count).filter { n in input.count <= 300 || n < 128 || n >= input.count - 128 || n % 7 == 0 }
            for n in cuts {
                let cut = Array(input[..<n])
                for options in Self.allOptions { Self.check(cut, options, "corpus \(c) cut at \(n)") }
            }
            // A valid stream cut inside a family is an error, not a silent short read.
            if input.count > 3 {
                #expect(Self.error(Array(input[..<(input.count - 1)])) != nil)
            }
        }
    }

    @Test func randomBytes() throws {
        var rng = SeededGenerator(seed: Self.seed)
        for k in 0..<3000 {
            let length = Int.random(in: 0..<64, using: &rng)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Often start with a plausible length prefix so that the family decoder runs.
            if k % 2 == 0 && !bytes.isEmpty { bytes[0] = UInt8(bytes.count - 1) }
            Self.check(bytes, Self.allOptions[k % Self.allOptions.count], "random input \(k)")
        }
    }

    @Test func randomMutations() throws {
        var rng = SeededGenerator(seed: Self.seed &+ 1)
        let corpus = Self.corpus
        for k in 0..<4000 {
            var bytes = corpus[k % corpus.count]
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: bytes[i] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
                case 2: bytes.remove(at: i)
                default: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: i)
                }
                if bytes.isEmpty { break }
            }
            Self.check(bytes, Self.allOptions[k % Self.allOptions.count], "mutation \(k)")
        }
    }
}
