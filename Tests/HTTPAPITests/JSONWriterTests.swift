// JSONWriter's ASCII fast path escapes exactly what the scalar-by-scalar path (Go's encoding/json) does.

@testable import HTTPAPI
import Testing

@Suite struct JSONWriterTests {
    static func written(_ body: (inout JSONWriter) -> Void) -> String {
        var w = JSONWriter()
        body(&w)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    @Test func asciiEscapesLikeGo() {
        #expect(Self.written { $0.string("plain:9100") } == #""plain:9100""#)
        #expect(Self.written { $0.string("a\"b\\c\nd\re\tf") } == #""a\"b\\c\nd\re\tf""#)
        #expect(Self.written { $0.string("<&>\u{01}\u{1F}\u{7F}") } == #""\u003c\u0026\u003e\u0001\u001f"# + "\u{7F}\"")
        #expect(Self.written { $0.string("") } == #""""#)
    }

    @Test func nonASCIIAndBytes() {
        #expect(Self.written { $0.string("é\u{2028}x\u{2029}<") } == #""é\u2028x\u2029\u003c""#)
        #expect(Self.written { $0.string(utf8: Array("job<\"x\">".utf8)[...]) } == #""job\u003c\"x\"\u003e""#)
        #expect(Self.written { $0.string(utf8: Array("né".utf8)[...]) } == #""né""#)
        // Invalid UTF-8 becomes U+FFFD, as String(decoding:as:) and Go do.
        #expect(Self.written { $0.string(utf8: [0x61, 0xFF, 0x62][...]) } == "\"a\u{FFFD}b\"")
        let bytes: [UInt8] = Array("xx\"yy".utf8)
        #expect(Self.written { $0.string(utf8: bytes[1..<4]) } == #""x\"y""#)
    }
}
