// Bucket boundaries of native histograms (Prometheus's getBound / getBoundExponential), and the
// table of fractional boundaries for schemas 1…8, computed once the way Prometheus's was made.

extension HistogramSchema {
    /// The upper bound of the positive bucket with `index` (the lower bound is that of
    /// `index - 1`); a negative bucket's bounds are the mirror image.
    ///
    /// Exponential schemas: `2^(index / 2^schema)`, bit for bit as Prometheus computes it, except
    /// that the last bucket of finite numbers ends at `Double.greatestFiniteMagnitude` (the formula
    /// would give 2^1024, which only `+Inf` can stand for; `+Inf` observations have the next
    /// bucket, whose bound is `+Inf`). Custom buckets: `customValues[index]`, with `-Inf` for
    /// index -1 and `+Inf` for index `customValues.count`.
    ///
    /// Where Prometheus panics (a custom index outside -1…count, an exponential schema above 8)
    /// this returns NaN: such input is invalid and `validate()` refuses it first.
    ///
    /// ```swift
    /// HistogramSchema.bound(index: 0, schema: 0)    // 1
    /// HistogramSchema.bound(index: -1, schema: 0)   // 0.5
    /// HistogramSchema.bound(index: 1, schema: 1)    // 1.414213562373095
    /// HistogramSchema.bound(index: 1, schema: -53, customValues: [0.1, 1])  // 1
    /// ```
    /// Complexity: O(1), no allocation.
    package static func bound(index: Int32, schema: Int32, customValues: [Double] = []) -> Double {
        if isCustomBuckets(schema) {
            let count = customValues.count
            let index = Int(index)
            if index == count { return .infinity }
            if index == -1 { return -.infinity }
            return index >= 0 && index < count ? customValues[index] : .nan
        }
        return exponentialBound(index: index, schema: schema)
    }

    /// `bound(index:schema:)` for an exponential schema (-9…8).
    package static func exponentialBound(index: Int32, schema: Int32) -> Double {
        if schema < 0 {
            // One bucket per 2^(2^-schema): the bound is a power of two.
            let exponent = Int(index) << -Int(schema)
            if exponent == 1024 { return .greatestFiniteMagnitude }
            return goLdexp(0.5, exponent + 1)
        }
        guard schema <= exponentialMax else { return .nan }
        let fractionIndex = Int(index) & ((1 << Int(schema)) - 1)
        let fraction = boundFractions[fractionIndex << Int(exponentialMax - schema)]
        let exponent = (Int(index) >> Int(schema)) + 1
        if fraction == 0.5 && exponent == 1025 { return .greatestFiniteMagnitude }
        return goLdexp(fraction, exponent)
    }

    /// `fraction × 2^exponent` for `fraction` in [0.5, 1), rounded once, with Go's `math.Ldexp`
    /// results at the edges: 0 below the smallest subnormal, `+Inf` above the largest double.
    static func goLdexp(_ fraction: Double, _ exponent: Int) -> Double {
        // fraction = 1.m × 2^-1, so the result's unbiased exponent is exponent - 1.
        var unbiased = exponent - 1
        if unbiased < -1075 { return 0 }
        if unbiased > 1023 { return .infinity }
        var scale = 1.0
        if unbiased < -1022 {
            // Subnormal: build the normal number 2^53 times larger and round once when scaling.
            unbiased += 53
            scale = 0x1p-53
        }
        let normal = Double(
            sign: .plus, exponentBitPattern: UInt(unbiased + 1023), significandBitPattern: fraction.significandBitPattern
        )
        return scale * normal
    }
}

/// Prometheus's `exponentialBounds[8]`: the bounds 2^(j/256)/2 in [0.5, 1), j = 0…255. Schema `s`
/// uses every 2^(8-s)-th entry (its own table is that subset in Prometheus too).
let boundFractions: [Double] = makeBoundFractions()

/// Computes Prometheus's table of fractional bounds with the generator client_golang documents
/// next to its copy (`nativeHistogramBounds`, histogram.go): per schema s = 1…8, start at 0.5,
/// take the even entries from schema s-1 and make each odd entry the previous one times the
/// bucket factor `math.Exp2(math.Exp2(-s))`.
///
/// The factors are 2^(2^-s) correctly rounded, except schema 1's: Go's `math.Exp2(0.5)` returns
/// 1.414213562373095, one ulp below √2 (1.4142135623730951), and the published table is built on
/// it. So are the table's entries: they are not the correctly rounded 2^(j/2^s)/2 (most are 1–3
/// ulps low), and matching them bit for bit is what keeps our bounds (in API output, in
/// `histogram_quantile`) identical to Prometheus's. `HistogramBoundTests` proves the factors'
/// rounding with exact integer arithmetic and the whole table against Prometheus's numbers.
func makeBoundFractions() -> [Double] {
    var previous: [Double] = [0.5]
    for schema in 1...Int(HistogramSchema.exponentialMax) {
        let factor = schema == 1 ? boundFactor(schema: 1).nextDown : boundFactor(schema: schema)
        let count = 1 << schema
        var bounds: [Double] = [0.5]
        bounds.reserveCapacity(count)
        for j in 1..<count {
            bounds.append(j % 2 == 0 ? previous[j / 2] : bounds[j - 1] * factor)
        }
        previous = bounds
    }
    return previous
}

/// 2^(2^-schema), correctly rounded: `schema` square roots of 2 taken in double-double
/// arithmetic (about 100 bits), then rounded to a double. No libm: its `exp2` and `pow` need
/// not round correctly and differ between platforms.
func boundFactor(schema: Int) -> Double {
    var high = 2.0
    var low = 0.0
    for _ in 0..<schema {
        // sqrt(high + low) ≈ s + (high + low - s²) / 2s, with s² split exactly by a fused multiply-add.
        let s = high.squareRoot()
        let square = s * s
        let squareError = (-square).addingProduct(s, s)
        let residual = ((high - square) - squareError) + low
        let correction = residual / (2 * s)
        high = s + correction
        low = correction - (high - s)
    }
    return high + low
}
