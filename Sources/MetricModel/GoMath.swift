// Go's math.Log, math.Log2 and math.Exp2 (the portable FreeBSD-derived algorithms Go runs on
// amd64 and arm64), so that results computed with them (histogram_quantile's exponential
// interpolation, histogram_fraction) are bit for bit Prometheus's. libm's log/exp2 need not
// round the same way.

/// Go's `math.Frexp`: `x = fraction × 2^exponent` with |fraction| in [0.5, 1); 0, ±Inf and NaN
/// come back as they are with exponent 0.
package func goFrexp(_ x: Double) -> (fraction: Double, exponent: Int) {
    if x == 0 || !x.isFinite { return (x, 0) }
    return (Double(sign: x.sign, exponent: -1, significand: x.significand), Int(x.exponent) + 1)
}

/// Go's `math.Log`: the natural logarithm.
package func goLog(_ x: Double) -> Double {
    let ln2Hi = 6.93147180369123816490e-01
    let ln2Lo = 1.90821492927058770002e-10
    let l1 = 6.666666666666735130e-01
    let l2 = 3.999999999940941908e-01
    let l3 = 2.857142874366239149e-01
    let l4 = 2.222219843214978396e-01
    let l5 = 1.818357216161805012e-01
    let l6 = 1.531383769920937332e-01
    let l7 = 1.479819860511658591e-01
    if x.isNaN || x == .infinity { return x }
    if x < 0 { return .nan }
    if x == 0 { return -.infinity }
    var (f1, ki) = goFrexp(x)
    if f1 < 2.0.squareRoot() / 2 {
        f1 *= 2
        ki -= 1
    }
    let f = f1 - 1
    let k = Double(ki)
    let s = f / (2 + f)
    let s2 = s * s
    let s4 = s2 * s2
    let t1 = s2 * (l1 + s4 * (l3 + s4 * (l5 + s4 * l7)))
    let t2 = s4 * (l2 + s4 * (l4 + s4 * l6))
    let r = t1 + t2
    let hfsq = 0.5 * f * f
    return k * ln2Hi - ((hfsq - (s * (hfsq + r) + k * ln2Lo)) - f)
}

/// Go's `math.Log2`: exact for powers of two, else `Log(frac)/Ln2 + exp`.
package func goLog2(_ x: Double) -> Double {
    let (fraction, exponent) = goFrexp(x)
    if fraction == 0.5 { return Double(exponent - 1) }
    // 1.4426… is Go's constant 1/Ln2, rounded once.
    return goLog(fraction) * 1.442695040888963407359924681001892137 + Double(exponent)
}

/// Go's `math.Exp2`: 2^x.
package func goExp2(_ x: Double) -> Double {
    let ln2Hi = 6.93147180369123816490e-01
    let ln2Lo = 1.90821492927058770002e-10
    if x.isNaN || x == .infinity { return x }
    if x == -.infinity { return 0 }
    if x > 1.0239999999999999e+03 { return .infinity }
    if x < -1.0740e+03 { return 0 }
    var k = 0
    if x > 0 { k = Int(x + 0.5) } else if x < 0 { k = Int(x - 0.5) }
    let t = x - Double(k)
    let hi = t * ln2Hi
    let lo = -t * ln2Lo
    let p1 = 1.66666666666666657415e-01
    let p2 = -2.77777777770155933842e-03
    let p3 = 6.61375632143793436117e-05
    let p4 = -1.65339022054652515390e-06
    let p5 = 4.13813679705723846039e-08
    let r = hi - lo
    let tt = r * r
    let c = r - tt * (p1 + tt * (p2 + tt * (p3 + tt * (p4 + tt * p5))))
    let y = 1 - ((lo - (r * c) / (2 - c)) - hi)
    return goLdexp(y, k)
}

/// Go's `math.Ldexp`: `fraction × 2^exponent`, rounded once (also into the subnormal range).
package func goLdexp(_ fraction: Double, _ exponent: Int) -> Double {
    if fraction == 0 || !fraction.isFinite { return fraction }
    let (normalized, e) = goFrexp(fraction)
    var total = exponent + e
    if total < -1074 { return Double(sign: fraction.sign, exponent: 0, significand: 0) }
    if total > 1024 { return fraction < 0 ? -.infinity : .infinity }
    var scale = 1.0
    if total < -1021 {
        // Subnormal result: scale a normal number by 2^-53 so that it is rounded only once.
        total += 53
        scale = 0x1p-53
    }
    return Double(sign: .plus, exponent: total, significand: normalized) * scale
}
