// The histogram sequences of Tests/Fixtures/nh-chunks/main.go, in Swift, with the bytes real
// Prometheus (tsdb/chunkenc at d15adb9ad7e5) wrote for them (Tests/Fixtures/nh-chunks/golden.txt,
// made by generate.sh there).

import ChunkEncoding
import Foundation
import MetricModel

enum HistogramGoldenCases {
    static let stale = StaleNaN.value
    static let defaultZeroThreshold = 0x1p-128

    static func spans(_ pairs: Int...) -> [BucketSpan] {
        stride(from: 0, to: pairs.count - 1, by: 2).map { BucketSpan(offset: Int32(pairs[$0]), length: UInt32(pairs[$0 + 1])) }
    }

    static let customBounds: [Double] = [0, 0.5, 1.25, 33554.43, 33554.431, 0.1234, -1, 1e9]

    /// One named sequence of integer histograms and the chunks Prometheus cut it into.
    struct IntCase: Sendable {
        var name: String
        var samples: [(Int64, Histogram)]
        var golden: [String]
    }

    struct FloatCase: Sendable {
        var name: String
        var samples: [(Int64, FloatHistogram)]
        var golden: [String]
    }

    static let intRecodeSamples: [(Int64, Histogram)] = [
        (100, Histogram(schema: 1, zeroThreshold: 0.001, count: 5, sum: 5, positiveSpans: spans(1, 2, 2, 1), positiveBuckets: [1, 1, 0])),
        (200, Histogram(schema: 1, zeroThreshold: 0.001, count: 6, sum: 6, positiveSpans: spans(1, 2, 2, 1), positiveBuckets: [1, 2, -1])),
        (300, Histogram(schema: 1, zeroThreshold: 0.001, count: 12, sum: 7, positiveSpans: spans(0, 4, 1, 2), positiveBuckets: [1, 0, 2, -3, 2, 1])),
        (400, Histogram(schema: 1, zeroThreshold: 0.001, count: 13, sum: 8, positiveSpans: spans(0, 3, 2, 2), positiveBuckets: [1, 0, 3, -2, 1])),
    ]

    static let intResetSamples: [(Int64, Histogram)] = [
        (1000, Histogram(count: 10, sum: 10, positiveSpans: spans(0, 1), positiveBuckets: [10])),
        (2000, Histogram(count: 4, sum: 3, positiveSpans: spans(0, 1), positiveBuckets: [4])),
        (3000, Histogram(schema: 2, count: 5, sum: 4, positiveSpans: spans(0, 1), positiveBuckets: [5])),
        (4000, Histogram(sum: stale)),
        (5000, Histogram(schema: 2, count: 6, sum: 5, positiveSpans: spans(0, 1), positiveBuckets: [6])),
        (6000, Histogram(counterResetHint: .counterReset, schema: 2, count: 7, sum: 5, positiveSpans: spans(0, 1), positiveBuckets: [7])),
    ]

    static let intCustomSamples: [(Int64, Histogram)] = [
        (10, Histogram(schema: -53, count: 6, sum: 2.5, positiveSpans: spans(0, 2, 2, 1), positiveBuckets: [1, 2, -1], customValues: customBounds)),
        (20, Histogram(schema: -53, count: 8, sum: 3.5, positiveSpans: spans(0, 2, 2, 1), positiveBuckets: [1, 3, -1], customValues: customBounds)),
        (30, Histogram(schema: -53, count: 9, sum: 4.5, positiveSpans: spans(0, 1), positiveBuckets: [9], customValues: [1, 2])),
    ]

    static let intGaugeSamples: [(Int64, Histogram)] = [
        (1000, Histogram(counterResetHint: .gauge, zeroCount: 2, count: 8, sum: 1.5, positiveSpans: spans(0, 2), positiveBuckets: [3, 0],
                         negativeSpans: spans(2, 1), negativeBuckets: [0])),
        (2000, Histogram(counterResetHint: .gauge, zeroCount: 1, count: 3, sum: -0.5, positiveSpans: spans(1, 2), positiveBuckets: [1, 0],
                         negativeSpans: spans(0, 1), negativeBuckets: [0])),
        (3000, Histogram(counterResetHint: .gauge, count: 1, sum: 0, positiveSpans: spans(-2, 1), positiveBuckets: [1])),
        (4000, Histogram(counterResetHint: .gauge, sum: stale)),
        (5000, Histogram(count: 1, sum: 0, positiveSpans: spans(-2, 1), positiveBuckets: [1])),
    ]

    static let intCases: [IntCase] = [
        IntCase(name: "int-basic", samples: [
            (1000, Histogram(zeroThreshold: defaultZeroThreshold, zeroCount: 1, count: 9, sum: 18.4,
                             positiveSpans: spans(0, 2, 1, 1), positiveBuckets: [2, 1, -2], negativeSpans: spans(-1, 1), negativeBuckets: [2])),
            (2000, Histogram(zeroThreshold: defaultZeroThreshold, zeroCount: 2, count: 14, sum: 25.5,
                             positiveSpans: spans(0, 2, 1, 1), positiveBuckets: [3, 1, -1], negativeSpans: spans(-1, 1), negativeBuckets: [3])),
            (3010, Histogram(zeroThreshold: defaultZeroThreshold, zeroCount: 2, count: 30, sum: 1e6,
                             positiveSpans: spans(0, 2, 1, 1), positiveBuckets: [10, 5, -13], negativeSpans: spans(-1, 1), negativeBuckets: [4])),
        ], golden: [
            "000200744a48c631bf8fa31314032666666666666946d2f1f46163b33be666666666671462",
            "000180744a48c631bfc05e167a4825d0900000000018ac2ece80",
        ]),
        IntCase(name: "int-empty", samples: [
            (-5000, Histogram(schema: 3)),
            (-4000, Histogram(schema: 3, zeroCount: 1 << 40, count: 1 << 40, sum: -3)),
            (0, Histogram(schema: 3, zeroCount: 1 << 40, count: 1 << 62 + 7, sum: -3)),
        ], golden: [
            "0003000099f7d8f0000000000000000078fa3f800040000000003f80004000000000301b801f80bb8ff3ffffe0000000007feffff00000000000",
        ]),
        IntCase(name: "int-recode", samples: intRecodeSamples, golden: [
            "000400ff3f50624dd2f1a9fc8ca8945c64a9005000000000000118da56e3245b02c8dc61531bde29b76d427de31baa",
        ]),
        IntCase(name: "int-reset", samples: intResetSamples, golden: [
            "0001000046278fa3144024000000000000c500",
            "0001800046279f4284008000000000000a00",
            "0002000094627c05dc54802000000000000185f1f418bdff80000000000008",
            "0001000094627c09c458802800000000000186",
            "0001800094627c0bb85c802800000000000187",
        ]),
        IntCase(name: "int-custom", samples: intCustomSamples, golden: [
            "00020000ee5ca48c9888f7d7c9c7fbfffffe40e0624dcac083121fdfcb923a29c779affc0000000000000839b9aca000000018ab1001000000000000232be2a4d80d10",
            "00018000ee5c624bc7d3e7d1cf6248024000000000001890",
        ]),
        IntCase(name: "int-gauge", samples: intGaugeSamples, golden: [
            "0004c0004a369c651463e3e8c448ffe0000000000001354f1f46eef80d801ab1989abfe4656a830fdffc00000000000080",
            "0001400046367c09c444000000000000000110",
        ]),
    ]

    /// Main.go's `toFloat`: every field kept, buckets made absolute.
    static func float(_ samples: [(Int64, Histogram)]) -> [(Int64, FloatHistogram)] {
        samples.map { t, h in
            var f = h.toFloat()
            f.zeroThreshold = h.zeroThreshold
            f.zeroCount = Double(h.zeroCount)
            f.negativeSpans = h.negativeSpans
            var current = 0.0
            f.negativeBuckets = h.negativeBuckets.map { current += Double($0); return current }
            return (t, f)
        }
    }

    static let floatCases: [FloatCase] = [
        FloatCase(name: "float-basic", samples: [
            (1000, FloatHistogram(zeroThreshold: defaultZeroThreshold, zeroCount: 1, count: 9.5, sum: 18.4,
                                  positiveSpans: spans(0, 2, 1, 1), positiveBuckets: [2, 3.5, 1], negativeSpans: spans(-1, 1), negativeBuckets: [2])),
            (2000, FloatHistogram(zeroThreshold: defaultZeroThreshold, zeroCount: 2, count: 14.25, sum: 25.5,
                                  positiveSpans: spans(0, 2, 1, 1), positiveBuckets: [3, 4.25, 3], negativeSpans: spans(-1, 1), negativeBuckets: [2])),
            (3010, FloatHistogram(zeroThreshold: defaultZeroThreshold, zeroCount: 2, count: 1e9, sum: 1e6,
                                  positiveSpans: spans(0, 2, 1, 1), positiveBuckets: [3, 1e9 - 10, 5], negativeSpans: spans(-1, 1), negativeBuckets: [2])),
        ], golden: [
            "000300744a48c631bf8fa1008c000000000000ffc000000000000100c999999999999900000000000000010030000000000000ffc00000000000010000000000000003c7d1b05fe12fffeccef99999999999ec07ac5ee133ffd8acecf8535959d28b8259e1ee66b27deb0f80",
        ]),
        FloatCase(name: "float-recode", samples: float(intRecodeSamples), golden: [
            "000400ff3f50624dd2f1a9fc8ca8945c6440140000000000000000000000000000401400000000000000000000000000003ff00000000000004000000000000000000000000000000040000000000000000000000000000000e326c0b6c0b36030d4169c457fe184c8016e06d4279ac2c0",
        ]),
        FloatCase(name: "float-reset", samples: float(Array(intResetSamples.prefix(5))), golden: [
            "0001000046278fa10090000000000000000000000000000100900000000000010090000000000000",
            "0001800046279f410040000000000000000000000000000100200000000000010040000000000000",
            "0002000094627c05dc200a00000000000000000000000000002008000000000000200a00000000000078fa309b00562f7fe0000000000002",
            "0001000094627c09c4200c0000000000000000000000000000200a000000000000200c00000000000000",
        ]),
        FloatCase(name: "float-custom", samples: float(Array(intCustomSamples.prefix(2))), golden: [
            "00020000ee5ca48c9888f7d7c9c7fbfffffe40e0624dcac083121fdfcb923a29c779affc0000000000000839b9aca000000018a4018000000000000000000000000000040040000000000003ff000000000000040080000000000004000000000000000c56a0fb6036b0bd80c0",
        ]),
        FloatCase(name: "float-gauge", samples: float(intGaugeSamples), golden: [
            "0004c0004a369c651463e3e8402000000000000040000000000000003ff8000000000000000000000000000040080000000000004008000000000000000000000000000000000000000000000000000000000000f1f46a0ee12fffe036006c26400e133fff115ff8c267ffcffebfe622bff4ffd7fe27fe61fbff80000000000010",
            "0001000046367c09c41ff8000000000000000000000000000000000000000000001ff800000000000000",
        ]),
    ]
}
