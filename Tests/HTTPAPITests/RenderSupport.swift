// Readers for the render tests, written independently of the code under test: an XML walk of
// the SVG (Foundation's XMLParser), a PNG chunk reader with its own bitwise CRC-32, and a small
// inflater for stored and fixed-Huffman deflate blocks.

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What the render tests look at in an SVG: `<path>` attributes and the text of `<text>`s.
final class SVGSummary: NSObject, XMLParserDelegate {
    var paths: [[String: String]] = []
    var texts: [String] = []
    var root: String?
    private var currentText: String?

    /// Parses `svg`; nil when it is not well-formed XML.
    static func parse(_ svg: String) -> SVGSummary? {
        let summary = SVGSummary()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = summary
        return parser.parse() ? summary : nil
    }

    /// The series paths, in order.
    var seriesPaths: [[String: String]] { paths.filter { $0["class"] == "series" } }

    /// How many runs (`M` commands) a path's `d` has.
    static func runs(_ d: String) -> Int { d.filter { $0 == "M" }.count }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if root == nil { root = name }
        if name == "path" { paths.append(attributes) }
        if name == "text" { currentText = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { currentText? += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text", let text = currentText { texts.append(text) }
        currentText = nil
    }
}

struct PNGError: Error, CustomStringConvertible {
    var description: String
}

/// A decoded 8-bit RGB PNG, checked chunk by chunk.
struct DecodedPNG {
    var width = 0
    var height = 0
    var chunkTypes: [String] = []
    /// The inflated IDAT stream (filter bytes and rows).
    var inflated: [UInt8] = []
    /// Unfiltered pixels, 3 bytes each.
    var pixels: [UInt8] = []

    init(_ bytes: [UInt8]) throws {
        guard bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { throw PNGError(description: "signature") }
        var i = 8
        var idat: [UInt8] = []
        func be32(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
        while i < bytes.count {
            guard i + 12 <= bytes.count else { throw PNGError(description: "truncated chunk header") }
            let length = be32(i)
            guard i + 12 + length <= bytes.count else { throw PNGError(description: "truncated chunk") }
            let type = String(decoding: bytes[i + 4..<i + 8], as: UTF8.self)
            let data = Array(bytes[i + 8..<i + 8 + length])
            let crc = UInt32(be32(i + 8 + length))
            guard crc == Self.crc32(Array(bytes[i + 4..<i + 8]) + data) else { throw PNGError(description: "bad CRC of \(type)") }
            chunkTypes.append(type)
            if type == "IHDR" {
                width = be32(i + 8)
                height = be32(i + 12)
                guard data[8] == 8, data[9] == 2 else { throw PNGError(description: "not 8-bit RGB") }
            }
            if type == "IDAT" { idat += data }
            i += 12 + length
        }
        guard idat.count >= 6, (Int(idat[0]) << 8 | Int(idat[1])) % 31 == 0, idat[0] & 0x0F == 8 else {
            throw PNGError(description: "bad zlib header")
        }
        var inflater = Inflater(Array(idat.dropFirst(2)))
        inflated = try inflater.inflate()
        let trailerAt = 2 + inflater.byteCount
        guard trailerAt + 4 <= idat.count else { throw PNGError(description: "no Adler-32") }
        let adler = UInt32(idat[trailerAt]) << 24 | UInt32(idat[trailerAt + 1]) << 16 | UInt32(idat[trailerAt + 2]) << 8 | UInt32(idat[trailerAt + 3])
        guard adler == Self.adler32(inflated) else { throw PNGError(description: "bad Adler-32") }
        let stride = width * 3
        guard inflated.count == height * (stride + 1) else {
            throw PNGError(description: "inflated \(inflated.count) bytes, expected \(height * (stride + 1))")
        }
        pixels.reserveCapacity(width * height * 3)
        for row in 0..<height {
            let filter = inflated[row * (stride + 1)]
            let line = inflated[row * (stride + 1) + 1..<(row + 1) * (stride + 1)]
            for (j, b) in line.enumerated() {
                switch filter {
                case 0: pixels.append(b)
                case 1: pixels.append(j < 3 ? b : b &+ pixels[row * stride + j - 3])
                default: throw PNGError(description: "filter \(filter) not handled by the test")
                }
            }
        }
    }

    func pixel(_ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8) {
        let i = (y * width + x) * 3
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }

    /// Bitwise CRC-32 (reflected 0xEDB88320), no table.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~crc
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for x in bytes {
            a = (a + UInt32(x)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }
}

/// Inflates stored and fixed-Huffman deflate blocks (RFC 1951); dynamic blocks are an error.
struct Inflater {
    private let input: [UInt8]
    private var bit = 0

    init(_ input: [UInt8]) { self.input = input }

    /// Bytes consumed, the last partial byte included.
    var byteCount: Int { (bit + 7) / 8 }

    private mutating func bits(_ n: Int) throws -> Int {
        var v = 0
        for i in 0..<n {
            guard bit / 8 < input.count else { throw PNGError(description: "deflate stream ends early") }
            v |= Int(input[bit / 8] >> UInt8(bit % 8) & 1) << i
            bit += 1
        }
        return v
    }

    private mutating func code(_ n: Int, after prefix: Int) throws -> Int {
        var c = prefix
        for _ in 0..<n { c = c << 1 | (try bits(1)) }
        return c
    }

    private mutating func literalLength() throws -> Int {
        var c = try code(7, after: 0)
        if c <= 0x17 { return 256 + c }
        c = try code(1, after: c)
        if (0x30...0xBF).contains(c) { return c - 0x30 }
        if (0xC0...0xC7).contains(c) { return 280 + c - 0xC0 }
        c = try code(1, after: c)
        if (0x190...0x1FF).contains(c) { return 144 + c - 0x190 }
        throw PNGError(description: "bad fixed code")
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
        8193, 12289, 16385, 24577,
    ]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    mutating func inflate() throws -> [UInt8] {
        var out: [UInt8] = []
        var final = 0
        while final == 0 {
            final = try bits(1)
            switch try bits(2) {
            case 0:
                bit = (bit + 7) / 8 * 8
                let at = bit / 8
                guard at + 4 <= input.count else { throw PNGError(description: "stored header") }
                let len = Int(input[at]) | Int(input[at + 1]) << 8
                let nlen = Int(input[at + 2]) | Int(input[at + 3]) << 8
                guard len == nlen ^ 0xFFFF, at + 4 + len <= input.count else { throw PNGError(description: "stored length") }
                out += input[at + 4..<at + 4 + len]
                bit = (at + 4 + len) * 8
            case 1:
                while true {
                    let symbol = try literalLength()
                    if symbol < 256 {
                        out.append(UInt8(symbol))
                    } else if symbol == 256 {
                        break
                    } else {
                        let k = symbol - 257
                        guard k < 29 else { throw PNGError(description: "bad length symbol") }
                        let length = Self.lengthBase[k] + (try bits(Self.lengthExtra[k]))
                        let d = try code(5, after: 0)
                        guard d < 30 else { throw PNGError(description: "bad distance symbol") }
                        let distance = Self.distanceBase[d] + (try bits(Self.distanceExtra[d]))
                        guard distance <= out.count else { throw PNGError(description: "distance too far") }
                        for _ in 0..<length { out.append(out[out.count - distance]) }
                    }
                }
            default:
                throw PNGError(description: "block type not handled by the test")
            }
        }
        return out
    }
}
