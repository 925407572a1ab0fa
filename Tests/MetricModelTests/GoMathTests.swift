// Go's math.Log2 and math.Exp2 (linux/amd64, Go 1.19) against our ports, bit for bit: the
// pairs (input, result) were printed by Go from fixed and seeded random inputs.

import MetricModel
import Testing

@Suite struct GoMathTests {
    /// (input bits, Go's math.Log2 bits).
    static let log2Pairs: [(UInt64, UInt64)] = [
        (0x3fe0000000000000, 0xbff0000000000000),
        (0x3fe8000000000000, 0xbfda8ff971810a5d),
        (0x3ff8000000000000, 0x3fe2b803473f7ad2),
        (0x4008000000000000, 0x3ff95c01a39fbd69),
        (0x3ff6a09e667f3bcd, 0x3fe0000000000001),
        (0x3fe6a0902de00d1b, 0xbfe0001d03eb60d8),
        (0x4004000000000000, 0x3ff5269e12f346e2),
        (0x01a56e1fc2f8f359, 0xc08f24a09f1a8b89),
        (0x40fe240c9fbe76c9, 0x4030e9e4bf2a1cb2),
        (0x3f50624dd2f1a9fc, 0xc023ee7b471b3a95),
        (0x7e6665f8bf806e42, 0x408f3be1eef5d50b),
        (0x42f458a413120511, 0x40482c60611ffdf6),
        (0x3e002176908e5731, 0xc03efcfeb45559ec),
        (0x3e11c762a97677e0, 0xc03dd910a08e99c4),
        (0x42e6a36aa182d321, 0x4047c016d3d4354c),
        (0x415d6f6f15bf049b, 0x4036e12543f6214e),
        (0x3d61e32f7d931def, 0xc0446b6870330ef8),
        (0x3ee20d5be31ed337, 0xc030d36e16b17c85),
        (0x3eccb3954fd98a10, 0xc032282d9b859669),
    ]

    /// (input bits, Go's math.Exp2 bits).
    static let exp2Pairs: [(UInt64, UInt64)] = [
        (0x3fe0000000000000, 0x3ff6a09e667f3bcc),
        (0xbfe0000000000000, 0x3fe6a09e667f3bcc),
        (0x3fd0000000000000, 0x3ff306fe0a31b715),
        (0x3ff8000000000000, 0x4006a09e667f3bcc),
        (0x400a666666666666, 0x4023b2c47bff8328),
        (0xc01c7df3b645a1cb, 0x3f7d6284b0b8ec62),
        (0x40240000218def41, 0x40900000ba10ba60),
        (0x3f1a36e2eb1c432d, 0x3ff00048af2c3dba),
        (0xc08ff40000000000, 0x000b504f333f9de6),
        (0xc090b93333333333, 0x000000000000000d),
        (0x408ffd999999999a, 0x7fe9fdf8bcce5424),
        (0xc03caa0b318a862a, 0x3e2431592b397374),
        (0x4023635b4856a5fc, 0x4089e29cc194b07f),
        (0xc003c3a2ec37c980, 0x3fc7182e00f0ea40),
        (0xc01aa65a87c72e4c, 0x3f8437b9a07600a6),
        (0xc0354d7d9a8be71a, 0x3e99f18a5bff19fa),
        (0x4034ed0411ced504, 0x413e658ee231c6d6),
        (0xc0353c33e8017732, 0x3e9b2fd04e9b7188),
        (0xc03332e802bc7e2e, 0x3ebbe1394b893e17),
    ]

    @Test func log2MatchesGo() {
        for (input, result) in Self.log2Pairs {
            let x = Double(bitPattern: input)
            #expect(goLog2(x).bitPattern == result, "log2(\(x)) = \(goLog2(x)), Go: \(Double(bitPattern: result))")
        }
    }

    @Test func exp2MatchesGo() {
        for (input, result) in Self.exp2Pairs {
            let x = Double(bitPattern: input)
            #expect(goExp2(x).bitPattern == result, "exp2(\(x)) = \(goExp2(x)), Go: \(Double(bitPattern: result))")
        }
    }
}
