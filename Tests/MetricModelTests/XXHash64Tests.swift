// XXH64 against reference values (python-xxhash 3.x, the C implementation), and the label-set
// hash Prometheus's limit_ratio samples by.

import MetricModel
import Testing

@Suite struct XXHash64Tests {
    @Test(arguments: [
        ("", 0xEF46_DB37_51D8_E999 as UInt64),
        ("a", 0xD24E_C4F1_A98C_6E5B),
        ("abc", 0x44BC_2CF5_AD77_0999),
        ("Nobody inspects the spammish repetition", 0xFBCE_A83C_8A37_8BF1),
    ])
    func referenceValues(text: String, expected: UInt64) {
        #expect(XXHash64.hash(Array(text.utf8)) == expected)
    }

    /// 100 bytes: three 32-byte stripes, then an 8-byte word and four single bytes.
    @Test func everyTailPath() {
        #expect(XXHash64.hash((0..<100).map { UInt8($0) }) == 0x6AC1_E580_3216_6597)
    }

    @Test func labelsHashAsPrometheus() {
        // Values from python-xxhash over Prometheus's stringlabels encoding of the same labels.
        #expect(Labels(["__name__": "up", "job": "node"]).prometheusHash == 0x169F_7118_F893_6BA5)
        // A value of 255 bytes or more: its length as 255 and three little-endian bytes.
        #expect(Labels(["a": String(repeating: "x", count: 300)]).prometheusHash == 0x7334_729F_4D20_EA0B)
    }
}
