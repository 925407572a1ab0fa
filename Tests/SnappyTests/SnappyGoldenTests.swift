// Golden vectors from the reference implementation (Fixtures/make_vectors.py, cramjam):
// reference blocks must decode to their inputs, our blocks for the same inputs must decode,
// and blocks the reference rejects we must reject too.
import Foundation
import Snappy
import Testing

@Suite("Snappy golden vectors")
struct SnappyGoldenTests {
    /// Blocks from the reference encoder and hand-built blocks, each with its `.raw` output.
    static let validNames = fixtureNames { !$0.hasPrefix("bad-") }
    /// Blocks the reference decoder rejects: `bad-<code>-<what>`.
    static let malformedNames = fixtureNames { $0.hasPrefix("bad-") }
    /// Inputs that went through the reference encoder (as opposed to hand-built blocks).
    static let encodedNames = validNames.filter { !$0.hasPrefix("crafted-") }

    @Test("the fixture set is all there")
    func fixturesPresent() {
        #expect(Self.encodedNames.count >= 8)
        #expect(Self.validNames.count >= Self.encodedNames.count + 3)
        #expect(Self.malformedNames.count >= 9)
    }

    @Test("reference blocks decode to their inputs", arguments: validNames)
    func referenceBlockDecodes(name: String) throws {
        let block = try fixture(name + ".snappy")
        let expected = try fixture(name + ".raw")
        #expect(try Snappy.decompressedLength(block) == expected.count)
        expectSameBytes(try Snappy.decompress(block), expected, "\(name)")
        expectSameBytes(try Snappy.decompress(block, maxLength: expected.count), expected, "\(name)")
        var output: [UInt8] = [9, 9, 9]
        try Snappy.decompress(block, into: &output)
        expectSameBytes(output, expected, "\(name) into a buffer")
        expectSameBytes(naiveDecode(block), expected, "\(name) naive")
    }

    @Test("our blocks for the reference inputs decode and are no bigger than the reference's", arguments: encodedNames)
    func ourBlockDecodes(name: String) throws {
        let input = try fixture(name + ".raw")
        let reference = try fixture(name + ".snappy")
        let ours = Snappy.compress(input)
        expectSameBytes(try Snappy.decompress(ours), input, "\(name)")
        expectSameBytes(naiveDecode(ours), input, "\(name) naive")
        // Identical bytes are not required, but the same scheme should compress as well.
        #expect(ours.count <= reference.count + reference.count / 20 + 4)
    }

    @Test("blocks the reference rejects, we reject with the named code", arguments: malformedNames)
    func malformedBlockRejected(name: String) throws {
        let block = try fixture(name + ".snappy")
        let code = try #require(
            [SnappyError.Code.invalidHeader, .tooLarge, .corrupt].first { name.hasPrefix("bad-\(kebab($0.rawValue))-") },
            "fixture name \(name) names no error code")
        let error = try #require(throws: SnappyError.self) { try Snappy.decompress(block) }
        #expect(error.code == code, "\(error)")
        #expect(naiveDecode(block) == nil)
    }

    /// `invalidHeader` -> `invalid-header`.
    private func kebab(_ camel: String) -> String {
        camel.reduce(into: "") { out, character in
            if character.isUppercase { out += "-" + character.lowercased() } else { out.append(character) }
        }
    }
}
