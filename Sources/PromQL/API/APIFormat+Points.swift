// Query-result points (`[<seconds>,"<value>"]`) written straight into memory: a range query's
// JSON is mostly these (10,845 of them for 45 series over 1h at 15 s), and appending each piece
// to an array (a capacity and uniqueness check per byte run, a stack buffer per number) showed as
// a third of such a query's server time. Same bytes as `appendTimestamp` and `appendValue`.

package import MetricModel

/// Appends the samples as comma-separated points `[t,"v"]`, exactly as ``appendTimestamp(_:to:)``
/// and ``appendValue(_:to:)`` write them.
package func appendPoints(_ samples: [Sample], to out: inout [UInt8]) {
    guard !samples.isEmpty else { return }
    // Written in batches into a scratch area, then appended (one copy per batch).
    let batch = 256
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: batch * PointText.maxBytes) { scratch in
        let base = scratch.baseAddress!
        var slow: [UInt8] = []
        var start = 0
        while start < samples.count {
            let end = min(start + batch, samples.count)
            var p = base
            for i in start..<end {
                if i > 0 {
                    p.pointee = UInt8(ascii: ",")
                    p += 1
                }
                p = PointText.write(samples[i], at: p, slow: &slow)
            }
            out.append(contentsOf: UnsafeBufferPointer(start: base, count: p - base))
            start = end
        }
    }
}

/// Writing one point at a pointer.
enum PointText {
    /// The most bytes one point and its separating comma take: `[`, a timestamp (sign, 19 digits,
    /// point, 3 digits), `,"`, a value (at most 25 bytes for any double in Go's format), `"]` and
    /// `,`, rounded up.
    static let maxBytes = 64

    /// "00" to "99".
    static let pairs: [UInt8] = {
        var table: [UInt8] = []
        for i in 0..<100 {
            table.append(UInt8(ascii: "0") + UInt8(i / 10))
            table.append(UInt8(ascii: "0") + UInt8(i % 10))
        }
        return table
    }()

    /// Writes `[t,"v"]` at `p` (which has ``maxBytes`` bytes free) and returns the end.
    @inline(__always)
    static func write(_ s: Sample, at start: UnsafeMutablePointer<UInt8>, slow: inout [UInt8]) -> UnsafeMutablePointer<UInt8> {
        var p = start
        p.pointee = UInt8(ascii: "[")
        p += 1
        let t = s.timestamp
        if t < 0 {
            p.pointee = UInt8(ascii: "-")
            p += 1
        }
        let magnitude = t.magnitude
        p = decimal(magnitude / 1000, at: p)
        let fraction = magnitude % 1000
        if fraction != 0 {
            p.pointee = UInt8(ascii: ".")
            p[1] = UInt8(ascii: "0") &+ UInt8(fraction / 100)
            let lastTwo = Int(fraction % 100) &* 2
            p[2] = pairs[lastTwo]
            p[3] = pairs[lastTwo &+ 1]
            p += 4
        }
        p.pointee = UInt8(ascii: ",")
        p[1] = UInt8(ascii: "\"")
        p += 2
        p = value(s.value, at: p, slow: &slow)
        p.pointee = UInt8(ascii: "\"")
        p[1] = UInt8(ascii: "]")
        return p + 2
    }

    /// `appendValue`'s text: the common cases (integral, up to three decimals) written here, the
    /// rest by `appendValue` and copied.
    @inline(__always)
    static func value(_ v: Double, at start: UnsafeMutablePointer<UInt8>, slow: inout [UInt8]) -> UnsafeMutablePointer<UInt8> {
        var p = start
        let magnitude = v.magnitude
        if magnitude < 1e15 {
            if v.sign == .minus {
                p.pointee = UInt8(ascii: "-")
                p += 1
            }
            // Integral: rounding to an integer by adding and removing 2^52 (exact below 2^52, no
            // libm call) changes nothing.
            if (magnitude + 0x1p52) - 0x1p52 == magnitude { return decimal(UInt64(magnitude), at: p) }
            if magnitude < 1e9 {
                // As in appendValue: the first of 1-3 decimals whose k / 10^d is this very double.
                var scale = 10.0
                var divisor: UInt64 = 10
                for decimals in 1...3 {
                    let k = (magnitude * scale + 0x1p52) - 0x1p52
                    if k / scale == magnitude {
                        let n = UInt64(k)
                        p = decimal(n / divisor, at: p)
                        p.pointee = UInt8(ascii: ".")
                        p += 1
                        var rest = n % divisor
                        // The fraction's `decimals` digits, leading zeros kept.
                        var i = decimals
                        while i > 0 {
                            i -= 1
                            p[i] = UInt8(ascii: "0") &+ UInt8(rest % 10)
                            rest /= 10
                        }
                        return p + decimals
                    }
                    scale *= 10
                    divisor &*= 10
                }
            }
            p = start
        }
        slow.removeAll(keepingCapacity: true)
        appendValue(v, to: &slow)
        slow.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: $0.count) }
        return p + slow.count
    }

    /// The decimal digits of `n` at `p`; returns the end.
    @inline(__always)
    static func decimal(_ n: UInt64, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        if n < 10 {
            p.pointee = UInt8(ascii: "0") &+ UInt8(n)
            return p + 1
        }
        var digits = 2
        var limit: UInt64 = 100
        while digits < 20 && n >= limit {
            digits += 1
            limit &*= 10
        }
        var end = p + digits
        var rest = n
        while rest >= 100 {
            let pair = Int(rest % 100) &* 2
            rest /= 100
            end -= 2
            end[0] = pairs[pair]
            end[1] = pairs[pair &+ 1]
        }
        if rest >= 10 {
            let pair = Int(rest) &* 2
            end -= 2
            end[0] = pairs[pair]
            end[1] = pairs[pair &+ 1]
        } else {
            end -= 1
            end[0] = UInt8(ascii: "0") &+ UInt8(rest)
        }
        return p + digits
    }
}
