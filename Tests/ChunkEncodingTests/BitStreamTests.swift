// BitWriter / BitReader: MSB-first layout, widths 0…64, refill boundaries, bounds.

import ChunkEncoding
import MetricModel
import Testing

@Suite("Bit streams")
struct BitStreamTests {
    @Test("bits are written MSB-first and the last byte is zero-padded")
    func layout() {
        var w = BitWriter()
        w.writeBits(0b101, 3)
        w.writeByte(0xFF)
        #expect(w.bytes == [0b1011_1111, 0b1110_0000])
        #expect(w.bitCount == 11)
        #expect(!w.isByteAligned)
        w.writeBit(true)
        w.writeBits(0, 0)
        w.writeBits(0b1111, 4)
        #expect(w.bytes == [0b1011_1111, 0b1111_1111])
        #expect(w.isByteAligned)
        w.writeBits(0x0123_4567_89AB_CDEF, 64)
        #expect(w.bytes == [0xBF, 0xFF, 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF])
        w.writeBit(true)
        w.writeBits(0xFFFF_FFFF_FFFF_FFFF, 64)
        #expect(w.bytes.suffix(9) == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x80])
        #expect(w.bitCount == 16 + 64 + 65)
    }

    @Test("bits above the requested width are ignored")
    func widthMasking() {
        var w = BitWriter()
        w.writeBits(0xFFFF_FFFF_FFFF_FFF0, 5)
        w.writeBits(0xFFFF_FFFF_FFFF_FF01, 3)
        #expect(w.bytes == [0b1000_0001])
    }

    @Test("the reader returns nil past the end, at any alignment")
    func readerBounds() {
        var r = BitReader([0b1011_1111, 0b1110_0000])
        #expect(r.readBits(3) == 0b101)
        #expect(r.readByte() == 0xFF)
        #expect(r.bitPosition == 11)
        #expect(r.remainingBits == 5)
        #expect(r.readBits(6) == nil)
        var r2 = BitReader([0xAA], byteOffset: 0)
        #expect(r2.readBits(8) == 0xAA)
        #expect(r2.readBit() == nil)
        #expect(r2.readBits(0) == 0)
        var r3 = BitReader([1, 2, 3], byteOffset: 7)
        #expect(r3.readBit() == nil)
        var r4 = BitReader([], byteOffset: -3)
        #expect(r4.readBits(64) == nil)
    }

    @Test("peek, consume and skip")
    func peekConsumeSkip() {
        var r = BitReader([0b1011_0011, 0xFF, 0x00, 0x01, 0x80, 0, 0, 0, 0, 0x55])
        #expect(r.peekBits(4) == 0b1011)
        #expect(r.peekBits(4) == 0b1011, "peeking does not consume")
        r.consumeBits(3)
        #expect(r.bitPosition == 3)
        #expect(r.readBits(5) == 0b10011)
        #expect(r.skipBits(23) == true)
        #expect(r.readBits(2) == 0b11)
        #expect(r.peekBits(57) == nil, "fewer than 57 bits remain")
        #expect(r.remainingBits == 47)
        #expect(r.skipBits(39) == true)
        #expect(r.peekBits(8) == 0x55)
        #expect(r.skipBits(9) == false)
        #expect(r.skipBits(-1) == false)
    }

    @Test("64-bit reads across the 8-byte refill boundary")
    func refillBoundary() {
        let bytes = (0..<24).map { UInt8($0 * 11 & 0xFF) }
        for skip in 0..<64 {
            var r = BitReader(bytes)
            var w = BitWriter()
            var remaining = skip
            while remaining > 0 {
                let n = min(remaining, 7)
                w.writeBits(r.readBits(n)!, n)
                remaining -= n
            }
            w.writeBits(r.readBits(64)!, 64)
            w.writeBits(r.readBits(64)!, 64)
            let tail = 24 * 8 - skip - 128
            w.writeBits(r.readBits(tail)!, tail)
            #expect(r.readBit() == nil)
            #expect(w.bytes == bytes, "skip \(skip)")
        }
    }

    @Test("random widths written and read back", arguments: [11, 12, 13] as [UInt64])
    func randomRoundTrip(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        var fields: [(UInt64, Int)] = []
        var w = BitWriter(prefix: [0xAB, 0xCD])
        for _ in 0..<5000 {
            let n = Int.random(in: 0...64, using: &rng)
            let value = n == 0 ? 0 : rng.next() >> UInt64(64 - n)
            fields.append((value, n))
            if n == 1 { w.writeBit(value == 1) } else { w.writeBits(value, n) }
        }
        #expect(w.bitCount == 16 + fields.reduce(0) { $0 + $1.1 })
        var r = BitReader(w.bytes, byteOffset: 2)
        for (i, (value, n)) in fields.enumerated() where r.readBits(n) != value {
            Issue.record("seed \(seed): field \(i) of width \(n) differs")
            break
        }
        #expect(r.remainingBits < 8)
    }

    @Test("resuming clears the unused low bits of the last byte")
    func resuming() {
        var w = BitWriter(resuming: [0xFF, 0b1011_1111], freeBitsInLastByte: 5)
        #expect(w.bytes == [0xFF, 0b1010_0000])
        #expect(w.bitCount == 11)
        w.writeBits(0b11111, 5)
        #expect(w.bytes == [0xFF, 0xBF])
        w.removeAll()
        #expect(w.bytes.isEmpty)
        #expect(w.bitCount == 0)
        w.writeBits(0b101, 3)
        #expect(w.bytes == [0b1010_0000], "removeAll zeroes the old bits")
        var z = BitWriter(prefix: [0, 0], reservingCapacity: 1)
        z.writeBit(true)
        z.setByte(7, at: 1)
        #expect(z.bytes == [0, 7, 0x80])
        z.setBigEndianUInt16(0xABCD, at: 1)
        #expect(z.bytes == [0, 0xAB, 0xCD])
        for _ in 0..<100 { z.writeBits(.max, 61) }  // grows past the reserved capacity
        #expect(z.bitCount == 17 + 6100)
        #expect(z.byteCount == (17 + 6100 + 7) / 8)
        #expect(z.storage.count >= z.byteCount + 16)
        #expect(z.storage[z.byteCount...].allSatisfy { $0 == 0 })
        z.withUnsafeBytes { #expect($0.count == z.byteCount) }
    }
}
