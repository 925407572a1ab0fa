// Evaluating experimental duration expressions (`[5m + step()]`, `offset -(1h / 2)`) as
// Prometheus's engine does before running a query (`promql/durations.go`): arithmetic on
// float seconds, then whole milliseconds. The parser folds constant ones with it; the engine
// evaluates the rest with the query's step and range.

import MetricModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension DurationExpr {
    /// Whether the value is the same for every query: no `step()` and no `range()`.
    package var isConstant: Bool {
        switch self {
        case .literal, .number: true
        case .step, .range: false
        case .negate(let operand), .paren(let operand): operand.isConstant
        case .binary(_, let lhs, let rhs), .minOf(let lhs, let rhs), .maxOf(let lhs, let rhs):
            lhs.isConstant && rhs.isConstant
        }
    }

    /// The value in seconds (`evaluateDurationExpr`), with `step()` and `range()` as given.
    ///
    /// - Throws: `ParseError` (`.invalid`) `division by zero` or `modulo by zero`.
    package func seconds(stepSeconds: Double, rangeSeconds: Double) throws(ParseError) -> Double {
        switch self {
        case .literal(let ms): return Double(ms) / 1000
        case .number(let value): return value
        case .step: return stepSeconds
        case .range: return rangeSeconds
        case .negate(let operand): return -(try operand.seconds(stepSeconds: stepSeconds, rangeSeconds: rangeSeconds))
        case .paren(let operand): return try operand.seconds(stepSeconds: stepSeconds, rangeSeconds: rangeSeconds)
        case .minOf(let a, let b):
            return Swift.min(
                try a.seconds(stepSeconds: stepSeconds, rangeSeconds: rangeSeconds),
                try b.seconds(stepSeconds: stepSeconds, rangeSeconds: rangeSeconds))
        case .maxOf(let a, let b):
            return Swift.max(
                try a.seconds(stepSeconds: stepSeconds, rangeSeconds: rangeSeconds),
                try b.seconds(stepSeconds: stepSeconds, rangeSeconds: rangeSeconds))
        case .binary(let op, let lhs, let rhs):
            let l = try lhs.seconds(stepSeconds: stepSeconds, rangeSeconds: rangeSeconds)
            let r = try rhs.seconds(stepSeconds: stepSeconds, rangeSeconds: rangeSeconds)
            switch op {
            case .add: return l + r
            case .sub: return l - r
            case .mul: return l * r
            case .div:
                if r == 0 { throw ParseError(.invalid, "division by zero") }
                return l / r
            case .mod:
                if r == 0 { throw ParseError(.invalid, "modulo by zero") }
                return l.truncatingRemainder(dividingBy: r)
            case .pow: return pow(l, r)  // C99 `pow` has Go `math.Pow`'s special cases.
            default: throw ParseError(.invalid, "unexpected duration expression operator \(goQuote(op.rawValue))")
            }
        }
    }

    /// The duration in milliseconds (`calculateDuration`): the seconds must be finite, in
    /// time.Duration's range and, unless `allowNegative` (offsets), greater than 0; they are
    /// truncated to whole milliseconds.
    ///
    /// ```swift
    /// try DurationExpr.binary(.add, .literal(milliseconds: 300_000), .step)
    ///     .milliseconds(stepMilliseconds: 15_000, rangeMilliseconds: 0, allowNegative: false)  // 315_000
    /// ```
    ///
    /// - Throws: `ParseError` (`.invalid`): `duration is NaN or infinite`, `duration must be
    ///   greater than 0`, `duration is out of range`, `division by zero`, `modulo by zero`.
    package func milliseconds(stepMilliseconds: Int64, rangeMilliseconds: Int64, allowNegative: Bool)
        throws(ParseError) -> Int64
    {
        let value = try seconds(stepSeconds: Double(stepMilliseconds) / 1000, rangeSeconds: Double(rangeMilliseconds) / 1000)
        if !value.isFinite { throw ParseError(.invalid, "duration is NaN or infinite") }
        if value <= 0 && !allowNegative { throw ParseError(.invalid, "duration must be greater than 0") }
        if value > 9_223_372_036.854_775_808 || value < -9_223_372_036.854_775_808 {
            throw ParseError(.invalid, "duration is out of range")
        }
        return Int64(value * 1000)
    }
}
