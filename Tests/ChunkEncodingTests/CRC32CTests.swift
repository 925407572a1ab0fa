// CRC-32C: the processor's instruction and the tables agree on every length and alignment.

import ChunkEncoding
import Testing

@Suite struct CRC32CTests {
    @Test func knownValues() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)  // RFC 3720 B.4
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
    }

    @Test func instructionAndTablesAgree() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var bytes = [UInt8](repeating: 0, count: 1_100)
        for i in bytes.indices {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes[i] = UInt8(truncatingIfNeeded: state >> 56)
        }
        bytes.withUnsafeBytes { all in
            for start in 0..<9 {
                for count in [0, 1, 3, 7, 8, 9, 15, 16, 17, 63, 64, 65, 255, 1_024] {
                    let slice = UnsafeRawBufferPointer(rebasing: all[start..<(start + count)])
                    for seed: UInt32 in [0, 0xDEAD_BEEF] {
                        #expect(CRC32C.update(seed, slice) == CRC32C.tableUpdate(seed, slice), "start \(start) count \(count)")
                    }
                }
            }
        }
    }

    /// This machine (x86-64 with SSE 4.2, or arm64 with CRC) uses the instruction: the test above
    /// compares two paths, not one with itself.
    @Test func theInstructionIsUsedHere() {
        #if arch(x86_64) || arch(arm64)
        #expect(CRC32C.hardware)
        #endif
    }
}
