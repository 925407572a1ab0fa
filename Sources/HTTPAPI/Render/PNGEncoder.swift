// PNGEncoder: an RGB raster as a PNG file (ISO/IEC 15948 / W3C PNG 2nd edition): IHDR, one IDAT,
// IEND. The zlib stream (RFC 1950) is ours: deflate (RFC 1951) as either stored blocks or one
// fixed-Huffman block of run-length matches (zlib's Z_RLE strategy), which suits charts (long
// runs of background after the Sub filter). CRC-32 is PNG's (ISO 3309, reflected 0xEDB88320),
// not the CRC-32C of chunk files.

/// Encodes rasters as PNG.
package enum PNGEncoder {
    /// How the image data is deflated.
    package enum Deflate: Sendable {
        /// Stored (uncompressed) blocks: the simplest valid stream.
        case stored
        /// Run-length matches (distance 1) and literals in one fixed-Huffman block.
        case runLength
    }

    /// The 8-byte PNG signature.
    package static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The PNG file of `raster`: 8-bit RGB, no interlace, each row Sub-filtered.
    package static func encode(_ raster: Raster, deflate: Deflate = .runLength) -> [UInt8] {
        var out = signature
        var header: [UInt8] = []
        appendBigEndian(UInt32(raster.width), to: &header)
        appendBigEndian(UInt32(raster.height), to: &header)
        header += [8, 2, 0, 0, 0]  // bit depth, colour type RGB, deflate, adaptive filtering, no interlace
        appendChunk("IHDR", header, to: &out)
        appendChunk("IDAT", zlib(filtered(raster), deflate: deflate), to: &out)
        appendChunk("IEND", [], to: &out)
        return out
    }

    /// The scanlines, each a filter-type byte (1, Sub) and the row's bytes minus those of the
    /// pixel to their left.
    static func filtered(_ raster: Raster) -> [UInt8] {
        let stride = raster.width * 3
        var out: [UInt8] = []
        out.reserveCapacity((stride + 1) * raster.height)
        raster.pixels.withUnsafeBufferPointer { pixels in
            for row in 0..<raster.height {
                out.append(1)
                let base = row * stride
                for i in 0..<stride {
                    out.append(i < 3 ? pixels[base + i] : pixels[base + i] &- pixels[base + i - 3])
                }
            }
        }
        return out
    }

    static func appendChunk(_ type: StaticString, _ data: [UInt8], to out: inout [UInt8]) {
        appendBigEndian(UInt32(data.count), to: &out)
        let typeBytes = type.withUTF8Buffer { Array($0) }
        var crc = CRC32()
        crc.update(typeBytes)
        crc.update(data)
        out += typeBytes
        out += data
        appendBigEndian(crc.value, to: &out)
    }

    static func appendBigEndian(_ v: UInt32, to out: inout [UInt8]) {
        out += [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
    }

    /// A zlib stream of `data`: header (deflate, 32 KB window, fastest), blocks, Adler-32.
    package static func zlib(_ data: [UInt8], deflate: Deflate) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        switch deflate {
        case .stored: appendStored(data, to: &out)
        case .runLength: appendRunLength(data, to: &out)
        }
        appendBigEndian(Adler32.checksum(data), to: &out)
        return out
    }

    /// Stored blocks of at most 65,535 bytes (an empty input still gets one, final block).
    static func appendStored(_ data: [UInt8], to out: inout [UInt8]) {
        var offset = 0
        repeat {
            let count = min(65_535, data.count - offset)
            let final = offset + count == data.count
            out.append(final ? 1 : 0)  // BFINAL, BTYPE 00, then padding to the byte
            out += [UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8(~count >> 8 & 0xFF)]
            out += data[offset..<offset + count]
            offset += count
        } while offset < data.count
    }

    /// One final fixed-Huffman block: a run of 3–258 copies of the byte before becomes a match at
    /// distance 1, everything else a literal.
    static func appendRunLength(_ data: [UInt8], to out: inout [UInt8]) {
        var bits = BitWriter(out)
        bits.write(1, count: 1)  // BFINAL
        bits.write(1, count: 2)  // BTYPE 01: fixed Huffman codes
        var i = 0
        while i < data.count {
            var run = 0
            if i > 0 {
                let previous = data[i - 1]
                while run < 258 && i + run < data.count && data[i + run] == previous { run += 1 }
            }
            if run >= 3 {
                let length = lengthCodes[run - 3]
                bits.writeLiteralLength(Int(length.symbol))
                bits.write(UInt32(length.extraValue), count: Int(length.extraBits))
                bits.writeHuffman(0, length: 5)  // distance code 0: distance 1, no extra bits
                i += run
            } else {
                bits.writeLiteralLength(Int(data[i]))
                i += 1
            }
        }
        bits.writeLiteralLength(256)  // end of block
        out = bits.finish()
    }

    /// Deflate's length symbol, extra bit count and extra value for each length 3…258.
    static let lengthCodes: [(symbol: UInt16, extraBits: UInt8, extraValue: UInt16)] = {
        let bases = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
        let extras = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
        var table: [(symbol: UInt16, extraBits: UInt8, extraValue: UInt16)] = []
        for length in 3...258 {
            let k = length == 258 ? 28 : bases.lastIndex { $0 <= length }!
            table.append((UInt16(257 + k), UInt8(extras[k]), UInt16(length - bases[k])))
        }
        return table
    }()
}

/// Deflate's bit order: values least significant bit first, Huffman codes most significant first.
struct BitWriter {
    private var out: [UInt8]
    private var buffer: UInt64 = 0
    private var count = 0

    init(_ out: [UInt8]) { self.out = out }

    mutating func write(_ value: UInt32, count n: Int) {
        guard n > 0 else { return }
        buffer |= UInt64(value) << UInt64(count)
        count += n
        while count >= 8 {
            out.append(UInt8(buffer & 0xFF))
            buffer >>= 8
            count -= 8
        }
    }

    /// A Huffman code of `length` bits, its first bit the code's most significant.
    mutating func writeHuffman(_ code: UInt32, length: Int) {
        var reversed: UInt32 = 0
        for i in 0..<length where code & (1 << UInt32(i)) != 0 { reversed |= 1 << UInt32(length - 1 - i) }
        write(reversed, count: length)
    }

    /// A literal/length symbol (0…287) in the fixed Huffman code (RFC 1951 §3.2.6).
    mutating func writeLiteralLength(_ symbol: Int) {
        switch symbol {
        case 0...143: writeHuffman(UInt32(0x30 + symbol), length: 8)
        case 144...255: writeHuffman(UInt32(0x190 + symbol - 144), length: 9)
        case 256...279: writeHuffman(UInt32(symbol - 256), length: 7)
        default: writeHuffman(UInt32(0xC0 + symbol - 280), length: 8)
        }
    }

    /// The bytes, the last one padded with zero bits.
    mutating func finish() -> [UInt8] {
        if count > 0 { out.append(UInt8(buffer & 0xFF)) }
        buffer = 0
        count = 0
        return out
    }
}

/// PNG's CRC-32 (ISO 3309 / ITU-T V.42: reflected polynomial 0xEDB88320, initial and final
/// value all ones); of "123456789" it is 0xCBF43926.
package struct CRC32 {
    private var crc: UInt32 = 0xFFFF_FFFF

    package init() {}

    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    package mutating func update(_ bytes: some Sequence<UInt8>) {
        for b in bytes { crc = Self.table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
    }

    package var value: UInt32 { crc ^ 0xFFFF_FFFF }

    /// The CRC-32 of `bytes`.
    package static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }
}

/// zlib's Adler-32 (RFC 1950 §9); of "Wikipedia" it is 0x11E60398.
package enum Adler32 {
    package static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        var i = 0
        // 5552 bytes is the most that cannot overflow before the modulo (zlib's NMAX).
        while i < bytes.count {
            let end = min(bytes.count, i + 5552)
            while i < end {
                a += UInt32(bytes[i])
                b += a
                i += 1
            }
            a %= 65_521
            b %= 65_521
        }
        return b << 16 | a
    }
}
