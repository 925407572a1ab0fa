// Bucket boundaries of native histograms: Prometheus's getBound cases, the MaxFloat64 and
// subnormal edges, custom bounds, and proof that the computed table of fractional bounds is
// Prometheus's, bit for bit.

import MetricModel
import Testing

@Suite struct HistogramBoundTests {
    /// Prometheus's TestGetBoundExponential (model/histogram/generic_test.go): index, schema, bound.
    static let exponentialCases: [(Int32, Int32, Double)] = [
        (-1, -1, 0.25), (0, -1, 1), (1, -1, 4), (512, -1, .greatestFiniteMagnitude), (513, -1, .infinity),
        (-1, 0, 0.5), (0, 0, 1), (1, 0, 2), (1024, 0, .greatestFiniteMagnitude), (1025, 0, .infinity),
        (-1, 2, 0.8408964152537144), (0, 2, 1), (1, 2, 1.189207115002721), (4096, 2, .greatestFiniteMagnitude),
        (4097, 2, .infinity),
    ]

    @Test(arguments: HistogramBoundTests.exponentialCases)
    func exponentialBound(index: Int32, schema: Int32, expected: Double) {
        #expect(HistogramSchema.bound(index: index, schema: schema) == expected)
    }

    @Test func lastFiniteBucketEndsAtMaxFloat64InEverySchema() {
        for schema in HistogramSchema.exponentialMin...HistogramSchema.exponentialMax {
            // 2^1024 is a bucket boundary in every schema: index 1024 · 2^schema (schema ≥ 0) or
            // 1024 / 2^-schema (schema < 0).
            let index = schema >= 0 ? Int32(1024) << schema : Int32(1024) >> -schema
            #expect(HistogramSchema.bound(index: index, schema: schema) == .greatestFiniteMagnitude, "schema \(schema)")
            #expect(HistogramSchema.bound(index: index + 1, schema: schema) == .infinity, "schema \(schema)")
            #expect(HistogramSchema.bound(index: index - 1, schema: schema) < .greatestFiniteMagnitude)
        }
    }

    @Test func subnormalAndUnderflowingBoundsRoundOnceLikeGoLdexp() {
        #expect(HistogramSchema.bound(index: -1023, schema: 0) == 0x1p-1023)
        #expect(HistogramSchema.bound(index: -1074, schema: 0) == .leastNonzeroMagnitude)
        // 2^-1075 is halfway between 0 and the least subnormal: ties to even give 0.
        #expect(HistogramSchema.bound(index: -1075, schema: 0) == 0)
        #expect(HistogramSchema.bound(index: -5000, schema: 0) == 0)
        #expect(HistogramSchema.bound(index: -1022 * 2 - 1, schema: 1) == 0.7071067811865475 * 0x1p-1022)
    }

    @Test func boundsGrowByTheSchemaFactorAndMirrorNothing() {
        // Schema 3: 8 buckets per power of two; 1 is always a boundary.
        #expect(HistogramSchema.bound(index: 0, schema: 3) == 1)
        #expect(HistogramSchema.bound(index: 8, schema: 3) == 2)
        #expect(HistogramSchema.bound(index: -8, schema: 3) == 0.5)
        #expect(HistogramSchema.bound(index: 7, schema: 3) == 2 * 0.9170040432046711)
        #expect(HistogramSchema.bound(index: 3, schema: -4) == 0x1p48)
    }

    @Test func customBounds() {
        let bounds = [0.1, 1, 10]
        #expect(HistogramSchema.bound(index: -1, schema: -53, customValues: bounds) == -.infinity)
        #expect(HistogramSchema.bound(index: 0, schema: -53, customValues: bounds) == 0.1)
        #expect(HistogramSchema.bound(index: 2, schema: -53, customValues: bounds) == 10)
        #expect(HistogramSchema.bound(index: 3, schema: -53, customValues: bounds) == .infinity)
        // Prometheus panics here; we answer NaN (validation refuses such histograms first).
        #expect(HistogramSchema.bound(index: 4, schema: -53, customValues: bounds).isNaN)
        #expect(HistogramSchema.bound(index: -2, schema: -53, customValues: bounds).isNaN)
        #expect(HistogramSchema.bound(index: 0, schema: 9).isNaN)
        // Nonsense schemas below -9 do not trap either.
        #expect(HistogramSchema.bound(index: 3, schema: .min) == 1)
        #expect(HistogramSchema.bound(index: 3, schema: -100) == 1)
    }

    /// Prometheus's `exponentialBounds` (model/histogram/generic.go, also client_golang's
    /// `nativeHistogramBounds`): spot values, and an FNV-1a hash over the bit patterns of all 510
    /// entries of schemas 1…8 in order, computed from that Go source's literals (Python:
    /// `h ^= bits; h = h * 0x100000001b3 mod 2^64`, starting from 0xcbf29ce484222325).
    @Test func fractionalBoundsAreBitIdenticalToPrometheusTable() {
        func fraction(_ schema: Int32, _ index: Int32) -> Double {
            HistogramSchema.bound(index: index, schema: schema) / 2  // bound = 2 · fraction, exactly
        }
        #expect(fraction(1, 1) == 0.7071067811865475)
        #expect(fraction(2, 1) == 0.5946035575013605)
        #expect(fraction(2, 3) == 0.8408964152537144)
        #expect(fraction(5, 3) == 0.5335702003384117)
        #expect(fraction(8, 1) == 0.5013556375251013)
        #expect(fraction(8, 255) == 0.9972960560854698)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for schema in Int32(1)...8 {
            for index in 0..<(Int32(1) << schema) {
                hash ^= fraction(schema, index).bitPattern
                hash = hash &* 0x0000_0100_0000_01b3
            }
        }
        #expect(hash == 0x6642_86e9_df33_9a6b)
    }

    /// The table is built from the factors 2^(2^-s): this proves with exact integer arithmetic
    /// that ours are the correctly rounded ones, except schema 1's, which is one ulp below √2 as
    /// Go's `math.Exp2(0.5)` returns it. A double f = M·2^-52 in [1, 2) is 2^(1/n) correctly
    /// rounded iff |M − 2^52·2^(1/n)| < 1/2, that is (2M−1)^n < 2^(53n+1) < (2M+1)^n.
    @Test func boundFactorsAreCorrectlyRoundedExceptGoExp2OfOneHalf() {
        for schema in 1...8 {
            let n = 1 << schema
            // The factor is the ratio of a table entry to the one before at an odd index 1.
            let factor = HistogramSchema.bound(index: 1, schema: Int32(schema))
            let mantissa = factor.significandBitPattern | (1 << 52)
            let offset = offsetToCorrectlyRounded(mantissa: mantissa, root: n, exponent: 53 * n + 1)
            #expect(offset == (schema == 1 ? 1 : 0), "schema \(schema)")
        }
        #expect(HistogramSchema.bound(index: 1, schema: 1) == 1.414213562373095)
        #expect(2.0.squareRoot() == 1.4142135623730951)
    }

    /// What Prometheus's table is not: the correctly rounded 2^(j/2^s)/2. For schemas 1…5 this
    /// counts, exactly, the entries where it differs and by how much (Prometheus's are 0–3 ulps
    /// low); matching Prometheus rather than the exact values is deliberate.
    @Test func prometheusTableIsNotCorrectlyRounded() {
        let expectedMismatches = [1: 1, 2: 2, 3: 3, 4: 7, 5: 19]
        for schema in 1...5 {
            let n = 1 << schema
            var mismatches = 0
            for j in 0..<n {
                let fraction = HistogramSchema.bound(index: Int32(j), schema: Int32(schema)) / 2
                // fraction = M·2^-53 in [0.5, 1); exact value 2^(j/n)/2, so M ≈ 2^(52 + j/n).
                let mantissa = fraction.significandBitPattern | (1 << 52)
                let offset = offsetToCorrectlyRounded(mantissa: mantissa, root: n, exponent: 53 * n + j)
                #expect(offset.map { (0...3).contains($0) } == true, "schema \(schema) index \(j)")
                if offset != 0 { mismatches += 1 }
            }
            #expect(mismatches == expectedMismatches[schema], "schema \(schema)")
        }
    }

    /// The d for which (2(M+d)−1)^root < 2^exponent < (2(M+d)+1)^root, that is, M + d is the
    /// correctly rounded mantissa of the value whose doubled mantissa is 2^(exponent/root);
    /// nil if |d| > 8.
    private func offsetToCorrectlyRounded(mantissa: UInt64, root: Int, exponent: Int) -> Int? {
        for d in -8...8 {
            let m = UInt64(Int64(mantissa) + Int64(d))
            // Odd numbers: their powers are never 2^exponent itself.
            let below = BigUInt(2 * m - 1).power(root).bitWidth <= exponent
            let above = BigUInt(2 * m + 1).power(root).bitWidth > exponent
            if below && above { return d }
        }
        return nil
    }
}

/// Just enough of an unsigned big integer for the proofs above: powers and bit widths.
private struct BigUInt {
    /// Little-endian 32-bit limbs, no zero limb at the top.
    var limbs: [UInt32]

    init(_ value: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: value), UInt32(value >> 32)]
        while limbs.count > 1, limbs.last == 0 { limbs.removeLast() }
    }

    private init(limbs: [UInt32]) {
        self.limbs = limbs
        while self.limbs.count > 1, self.limbs.last == 0 { self.limbs.removeLast() }
    }

    var bitWidth: Int { (limbs.count - 1) * 32 + (32 - limbs[limbs.count - 1].leadingZeroBitCount) }

    /// self^exponent for a power of two `exponent`, by repeated squaring.
    func power(_ exponent: Int) -> BigUInt {
        precondition(exponent > 0 && exponent & (exponent - 1) == 0)
        var result = self
        var e = exponent
        while e > 1 {
            result = result.squared()
            e /= 2
        }
        return result
    }

    func squared() -> BigUInt {
        var out = [UInt32](repeating: 0, count: 2 * limbs.count)
        for i in limbs.indices {
            var carry: UInt64 = 0
            let a = UInt64(limbs[i])
            for j in limbs.indices {
                let t = UInt64(out[i + j]) + a * UInt64(limbs[j]) + carry
                out[i + j] = UInt32(truncatingIfNeeded: t)
                carry = t >> 32
            }
            out[i + limbs.count] = UInt32(truncatingIfNeeded: carry)
        }
        return BigUInt(limbs: out)
    }
}
