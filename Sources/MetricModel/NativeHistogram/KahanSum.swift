// Kahan–Neumaier summation as Prometheus's util/kahansum computes it, and the bucket-count
// arithmetic that the span algorithms share between integer deltas and float counts.

/// Compensated summation (Prometheus's `kahansum.Inc` / `Dec`): the running sum and its error
/// term, so that many additions lose no more precision than one.
///
/// ```swift
/// var (sum, c) = (0.0, 0.0)
/// for v in values { (sum, c) = KahanSum.inc(v, sum, c) }
/// let total = sum + c
/// ```
package enum KahanSum {
    /// `sum + inc` with its rounding error added to `c` (Neumaier's variant: the larger operand
    /// keeps the error small); `c` becomes 0 when the sum overflows to ±Inf.
    @inlinable
    package static func inc(_ inc: Double, _ sum: Double, _ c: Double) -> (sum: Double, c: Double) {
        let t = sum + inc
        if t > .greatestFiniteMagnitude || t < -.greatestFiniteMagnitude { return (t, 0) }
        if abs(sum) >= abs(inc) { return (t, c + ((sum - t) + inc)) }
        return (t, c + ((inc - t) + sum))
    }

    /// `inc(-dec, sum, c)`.
    @inlinable
    package static func dec(_ dec: Double, _ sum: Double, _ c: Double) -> (sum: Double, c: Double) {
        inc(-dec, sum, c)
    }
}

/// A bucket count as a histogram stores it: `Int64` deltas (wrapping, as Go's integers do) or
/// `Double` absolute counts. Lets one span algorithm serve both histogram types.
package protocol StoredBucketCount: Sendable, Equatable {
    static var zero: Self { get }
    static func plus(_ a: Self, _ b: Self) -> Self
    static func minus(_ a: Self, _ b: Self) -> Self
}

extension Int64: StoredBucketCount {
    package static func plus(_ a: Int64, _ b: Int64) -> Int64 { a &+ b }
    package static func minus(_ a: Int64, _ b: Int64) -> Int64 { a &- b }
}

extension Double: StoredBucketCount {
    package static func plus(_ a: Double, _ b: Double) -> Double { a + b }
    package static func minus(_ a: Double, _ b: Double) -> Double { a - b }
}
