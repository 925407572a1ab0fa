// MD5 against the RFC 1321 test suite (appendix A.5) and digests computed independently
// (Python's hashlib) around the padding boundaries: 55, 56, 64, 119 and 120 bytes.

import Relabel
import Testing

@Suite struct MD5Tests {
    @Test(arguments: [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
        (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
    ])
    func rfc1321TestSuite(message: String, hex: String) {
        #expect(MD5.digest(Array(message.utf8)).hex == hex)
    }

    @Test(arguments: [
        (55, "04364420e25c512fd958a70738aa8f72"),
        (56, "668a72d5ba17f08e62dabcafad6db14b"),
        (64, "c1bb4f81d892b2d57947682aeb252456"),
        (119, "ab347a5f68c8a443cfcddc633f12c24f"),
        (120, "fb98667f98096de92620b64f46e1c5b5"),
        (1000, "398533d48111e9f664b1f64cb10c4b63"),
    ])
    func paddingBoundaries(length: Int, hex: String) {
        #expect(MD5.digest([UInt8](repeating: UInt8(ascii: "x"), count: length)).hex == hex)
    }

    @Test func bytesAndTheHashmodNumber() {
        let digest = MD5.digest(Array("foo".utf8))  // acbd18db4cc2f85cedef654fccc4a4d8
        #expect(digest.bytes == [0xAC, 0xBD, 0x18, 0xDB, 0x4C, 0xC2, 0xF8, 0x5C, 0xED, 0xEF, 0x65, 0x4F, 0xCC, 0xC4, 0xA4, 0xD8])
        #expect(digest.lastEightBytesBigEndian == 0xEDEF_654F_CCC4_A4D8)
        #expect(digest != MD5.digest(Array("fop".utf8)))
    }
}
