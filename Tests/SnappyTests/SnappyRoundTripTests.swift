// Round trips through our encoder and decoder, and the buffer-reusing variants.
import Snappy
import Testing

@Suite("Snappy round trips")
struct SnappyRoundTripTests {
    /// Sizes around every boundary: tag-embedded literal lengths (60), the encoder's minimum
    /// block (17), the 64 KiB block size, and 1 MiB.
    static let sizes = [
        0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 18, 31, 59, 60, 61, 64, 100, 255, 256, 257, 1000,
        4095, 65535, 65536, 65537, 100_000, 1 << 20,
    ]

    @Test("compress then decompress gives the input back", arguments: DataKind.allCases)
    func roundTrip(kind: DataKind) throws {
        var rng = SeededGenerator(seed: testSeed &+ UInt64(DataKind.allCases.firstIndex(of: kind)!))
        for size in Self.sizes {
            let input = sampleData(kind, count: size, using: &rng)
            let block = Snappy.compress(input)
            #expect(block.count <= Snappy.maxCompressedLength(size), "seed \(testSeed) kind \(kind) size \(size)")
            #expect(try Snappy.decompressedLength(block) == size, "seed \(testSeed) kind \(kind) size \(size)")
            let output = try Snappy.decompress(block)
            expectSameBytes(output, input, "seed \(testSeed) kind \(kind) size \(size)")
        }
    }

    @Test("compressible data gets small")
    func compressionRatio() throws {
        var rng = SeededGenerator(seed: testSeed)
        let zeros = Snappy.compress(sampleData(.zeros, count: 1 << 20, using: &rng))
        #expect(zeros.count < (1 << 20) / 20)
        let text = Snappy.compress(sampleData(.text, count: 100_000, using: &rng))
        #expect(text.count < 50_000, "seed \(testSeed)")
        let protobuf = Snappy.compress(sampleData(.protobufLike, count: 100_000, using: &rng))
        #expect(protobuf.count < 50_000, "seed \(testSeed)")
    }

    @Test("random data grows by at most the documented bound")
    func incompressible() {
        var rng = SeededGenerator(seed: testSeed)
        let input = rng.bytes(200_000)
        let block = Snappy.compress(input)
        #expect(block.count <= Snappy.maxCompressedLength(input.count), "seed \(testSeed)")
        #expect(block.count <= input.count + input.count / 100 + 8, "seed \(testSeed)")
    }

    @Test("an empty input is the single header byte 0")
    func empty() throws {
        #expect(Snappy.compress([]) == [0])
        #expect(try Snappy.decompress([0]) == [])
        #expect(try Snappy.decompressedLength([0]) == 0)
    }

    @Test("a short input is one literal: header, tag, bytes")
    func shortLiteral() throws {
        #expect(Snappy.compress(Array("abc".utf8)) == [3, 2 << 2] + Array("abc".utf8))
    }

    @Test("decompress(into:) reuses one buffer across blocks of any size")
    func decompressIntoReusesBuffer() throws {
        var rng = SeededGenerator(seed: testSeed)
        var output: [UInt8] = []
        for size in [100_000, 10, 0, 70_000, 3, 100_000] {
            let input = sampleData(.mixed, count: size, using: &rng)
            let block = Snappy.compress(input)
            // (An explicitly typed-throws closure here crashes the 6.3.1 compiler.)
            try block.withUnsafeBytes { bytes in try Snappy.decompress(bytes, into: &output) }
            expectSameBytes(output, input, "seed \(testSeed) size \(size)")
            #expect(output.capacity >= 100_000, "the buffer keeps its capacity")
            try Snappy.decompress(block, into: &output)
            expectSameBytes(output, input, "seed \(testSeed) size \(size)")
        }
    }

    @Test("decompress(into:) leaves the buffer empty when it throws")
    func decompressIntoClearsOnError() throws {
        var output: [UInt8] = [1, 2, 3]
        let bad = snappyVarint(8) + literalElement(Array("abcd".utf8)) + copy2Element(offset: 9, length: 4)
        #expect(throws: SnappyError.self) { try Snappy.decompress(bad, into: &output) }
        #expect(output.isEmpty)
    }

    @Test("compress(appendingTo:) keeps what the buffer held")
    func compressAppending() throws {
        var rng = SeededGenerator(seed: testSeed)
        var buffer: [UInt8] = [0xAA, 0xBB]
        let first = sampleData(.protobufLike, count: 5000, using: &rng)
        let second = sampleData(.text, count: 70_000, using: &rng)
        Snappy.compress(first, appendingTo: &buffer)
        let firstEnd = buffer.count
        second.withUnsafeBytes { Snappy.compress($0, appendingTo: &buffer) }
        #expect(buffer.prefix(2) == [0xAA, 0xBB])
        expectSameBytes(Array(buffer[2..<firstEnd]), Snappy.compress(first), "seed \(testSeed)")
        expectSameBytes(try Snappy.decompress(Array(buffer[2..<firstEnd])), first, "seed \(testSeed)")
        expectSameBytes(try Snappy.decompress(Array(buffer[firstEnd...])), second, "seed \(testSeed)")
    }

    @Test("maxLength admits the declared length and refuses one byte less")
    func maxLength() throws {
        let block = Snappy.compress([UInt8](repeating: 7, count: 1000))
        #expect(try Snappy.decompress(block, maxLength: 1000).count == 1000)
        let error = try #require(throws: SnappyError.self) { try Snappy.decompress(block, maxLength: 999) }
        #expect(error.code == .tooLarge)
        var output: [UInt8] = []
        #expect(throws: SnappyError.self) { try Snappy.decompress(block, into: &output, maxLength: 999) }
    }
}
