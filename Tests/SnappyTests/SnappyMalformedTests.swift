// Untrusted input: malformed blocks of every kind must throw a SnappyError, never trap, and
// never allocate more than the input could possibly expand to.
import Snappy
import Testing

@Suite("Snappy malformed input")
struct SnappyMalformedTests {
    /// A named malformed block and the error code it must produce.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var code: SnappyError.Code
        var maxLength = Int.max
        /// Part of the message that shows which check fired, where that matters.
        var messageContains = ""
        var testDescription: String { name }
    }

    static let abcd = Array("abcd".utf8)

    static let cases: [Case] = [
        Case(name: "empty input", bytes: [], code: .invalidHeader),
        Case(name: "header truncated", bytes: [0x80, 0x80], code: .invalidHeader),
        Case(name: "header longer than 5 bytes", bytes: [0x80, 0x80, 0x80, 0x80, 0x80, 0x00], code: .invalidHeader),
        Case(name: "header above 32 bits", bytes: [0x80, 0x80, 0x80, 0x80, 0x10, 0x00], code: .invalidHeader),
        Case(name: "4 GiB declared, 10-byte body", bytes: snappyVarint(0xFFFF_FFFF) + copy2Element(offset: 1, length: 64) + [UInt8](repeating: 0, count: 7), code: .corrupt, messageContains: "impossible"),
        Case(name: "declared above maxLength", bytes: snappyVarint(5) + literalElement(Array("hello".utf8)), code: .tooLarge, maxLength: 4),
        Case(name: "header only, length 1", bytes: [1], code: .corrupt),
        Case(name: "elements after a zero-length header", bytes: [0] + literalElement([1]), code: .corrupt),
        Case(name: "offset zero", bytes: snappyVarint(8) + literalElement(abcd) + copy2Element(offset: 0, length: 4), code: .corrupt),
        Case(name: "copy1 offset zero", bytes: snappyVarint(8) + literalElement(abcd) + copy1Element(offset: 0, length: 4), code: .corrupt),
        Case(name: "offset beyond output", bytes: snappyVarint(8) + literalElement(abcd) + copy2Element(offset: 5, length: 4), code: .corrupt),
        Case(name: "copy4 offset 2^32-1", bytes: snappyVarint(8) + literalElement(abcd) + copy4Element(offset: 0xFFFF_FFFF, length: 4), code: .corrupt),
        Case(name: "copy before any output", bytes: snappyVarint(4) + copy2Element(offset: 1, length: 4), code: .corrupt),
        Case(name: "copy past declared length", bytes: snappyVarint(7) + literalElement(abcd) + copy2Element(offset: 4, length: 4), code: .corrupt),
        Case(name: "literal past declared length", bytes: snappyVarint(3) + literalElement(abcd), code: .corrupt),
        Case(name: "literal past input", bytes: snappyVarint(4) + Array(literalElement(abcd).dropLast()), code: .corrupt),
        Case(name: "literal length bytes truncated", bytes: snappyVarint(4) + [63 << 2, 0xFF, 0xFF], code: .corrupt),
        Case(name: "literal of 4 GiB", bytes: snappyVarint(4) + [63 << 2, 0xFF, 0xFF, 0xFF, 0xFF] + abcd, code: .corrupt),
        Case(name: "copy1 truncated", bytes: snappyVarint(8) + literalElement(abcd) + [1], code: .corrupt),
        Case(name: "copy2 truncated", bytes: snappyVarint(8) + literalElement(abcd) + [2, 4], code: .corrupt),
        Case(name: "copy4 truncated", bytes: snappyVarint(8) + literalElement(abcd) + [3, 4, 0, 0], code: .corrupt),
        Case(name: "output shorter than declared", bytes: snappyVarint(9) + literalElement(abcd) + copy2Element(offset: 4, length: 4), code: .corrupt),
        Case(name: "element after the last byte", bytes: snappyVarint(4) + literalElement(abcd) + literalElement([1]), code: .corrupt),
    ]

    @Test("each kind of damage throws its code", arguments: cases)
    func rejected(_ malformed: Case) throws {
        let error = try #require(throws: SnappyError.self) {
            try Snappy.decompress(malformed.bytes, maxLength: malformed.maxLength)
        }
        #expect(error.code == malformed.code, "\(error)")
        #expect(!error.message.isEmpty)
        #expect(error.message.contains(malformed.messageContains), "\(error)")
        var output: [UInt8] = []
        #expect(throws: SnappyError.self) { try Snappy.decompress(malformed.bytes, into: &output, maxLength: malformed.maxLength) }
        #expect(naiveDecode(malformed.bytes, maxLength: malformed.maxLength) == nil, "the case itself is malformed")
    }

    @Test("decompressedLength checks the header only")
    func declaredLength() throws {
        #expect(try Snappy.decompressedLength([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) == 0xFFFF_FFFF)
        #expect(try Snappy.decompressedLength([0xAC, 0x02, 0xFF]) == 300)
        #expect(throws: SnappyError.self) { try Snappy.decompressedLength([0xFF, 0xFF, 0xFF, 0xFF, 0x1F]) }
        #expect(throws: SnappyError.self) { try Snappy.decompressedLength([0x80]) }
    }

    @Test("every strict prefix of a valid block throws")
    func truncations() throws {
        var rng = SeededGenerator(seed: testSeed)
        for kind in [DataKind.mixed, .protobufLike, .repetitive] {
            let block = Snappy.compress(sampleData(kind, count: 3000, using: &rng))
            for end in 0..<block.count {
                #expect(throws: SnappyError.self, "seed \(testSeed) kind \(kind) prefix \(end)") {
                    try Snappy.decompress(Array(block[..<end]))
                }
            }
        }
    }

    @Test("random bytes behave exactly like the byte-at-a-time decoder")
    func randomBytes() {
        var rng = SeededGenerator(seed: testSeed)
        for round in 0..<4000 {
            // Half with a small plausible header, so the body gets parsed too.
            var bytes = rng.bytes(Int.random(in: 0...80, using: &rng))
            if round % 2 == 0 { bytes = snappyVarint(UInt64.random(in: 0...200, using: &rng)) + bytes }
            expectSameAsNaive(bytes, "seed \(testSeed) round \(round)")
        }
    }

    @Test("damaged valid blocks behave exactly like the byte-at-a-time decoder")
    func mutations() {
        var rng = SeededGenerator(seed: testSeed)
        let blocks = DataKind.allCases.map { Snappy.compress(sampleData($0, count: 600, using: &rng)) }
        for round in 0..<3000 {
            var bytes = blocks[round % blocks.count]
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            expectSameAsNaive(bytes, "seed \(testSeed) round \(round)")
        }
    }

    @Test("random element streams, valid or not, decode exactly like the byte-at-a-time decoder")
    func randomElements() {
        var rng = SeededGenerator(seed: testSeed)
        for round in 0..<1500 {
            var body: [UInt8] = []
            var produced = 0
            for _ in 0..<Int.random(in: 1...40, using: &rng) {
                // Offsets mostly valid (1...produced), sometimes one too far; copies of every form.
                let offset = Int.random(in: 1...max(1, produced + (round % 7 == 0 ? 1 : 0)), using: &rng)
                let length = Int.random(in: 1...64, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0:
                    let count = Int.random(in: 1...80, using: &rng)
                    let extra = count > 60 ? Int.random(in: 1...4, using: &rng) : Int.random(in: 0...4, using: &rng)
                    body += literalElement(rng.bytes(count), extraBytes: extra)
                    produced += count
                case 1 where offset < 2048:
                    body += copy1Element(offset: offset, length: 4 + length % 8)
                    produced += 4 + length % 8
                case 3:
                    body += copy4Element(offset: offset, length: length)
                    produced += length
                default:
                    body += copy2Element(offset: offset, length: length)
                    produced += length
                }
            }
            // Mostly the right declared length; sometimes off by a little either way.
            let declared = max(0, produced + (round % 5 == 0 ? Int.random(in: -3...3, using: &rng) : 0))
            expectSameAsNaive(snappyVarint(UInt64(declared)) + body, "seed \(testSeed) round \(round)")
        }
    }

    /// Our decoder must succeed exactly when the naive one does, with the same bytes; both
    /// entry points must agree.
    private func expectSameAsNaive(_ bytes: [UInt8], _ comment: Comment) {
        let expected = naiveDecode(bytes)
        let actual = try? Snappy.decompress(bytes)
        expectSameBytes(actual, expected, comment)
        var output: [UInt8] = [1]
        let viaBuffer = (try? Snappy.decompress(bytes, into: &output)) != nil
        #expect(viaBuffer == (expected != nil), comment)
        expectSameBytes(output, expected ?? [], comment)
    }
}
