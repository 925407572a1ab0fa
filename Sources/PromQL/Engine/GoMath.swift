// The libm functions the evaluator needs, behind one import, with Go's `math` semantics where
// they differ from C's.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Go's `math` package functions used by PromQL functions and operators.
enum GoMath {
    static func pow(_ x: Double, _ y: Double) -> Double { libm_pow(x, y) }
    static func exp(_ x: Double) -> Double { libm_exp(x) }
    static func log(_ x: Double) -> Double { libm_log(x) }
    static func log2(_ x: Double) -> Double { libm_log2(x) }
    static func log10(_ x: Double) -> Double { libm_log10(x) }
    static func sin(_ x: Double) -> Double { libm_sin(x) }
    static func cos(_ x: Double) -> Double { libm_cos(x) }
    static func tan(_ x: Double) -> Double { libm_tan(x) }
    static func asin(_ x: Double) -> Double { libm_asin(x) }
    static func acos(_ x: Double) -> Double { libm_acos(x) }
    static func atan(_ x: Double) -> Double { libm_atan(x) }
    static func sinh(_ x: Double) -> Double { libm_sinh(x) }
    static func cosh(_ x: Double) -> Double { libm_cosh(x) }
    static func tanh(_ x: Double) -> Double { libm_tanh(x) }
    static func asinh(_ x: Double) -> Double { libm_asinh(x) }
    static func acosh(_ x: Double) -> Double { libm_acosh(x) }
    static func atanh(_ x: Double) -> Double { libm_atanh(x) }
    static func atan2(_ y: Double, _ x: Double) -> Double { libm_atan2(y, x) }
}

// Module-level aliases so the static members above can call the C functions of the same name.
private func libm_pow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
private func libm_exp(_ x: Double) -> Double { exp(x) }
private func libm_log(_ x: Double) -> Double { log(x) }
private func libm_log2(_ x: Double) -> Double { log2(x) }
private func libm_log10(_ x: Double) -> Double { log10(x) }
private func libm_sin(_ x: Double) -> Double { sin(x) }
private func libm_cos(_ x: Double) -> Double { cos(x) }
private func libm_tan(_ x: Double) -> Double { tan(x) }
private func libm_asin(_ x: Double) -> Double { asin(x) }
private func libm_acos(_ x: Double) -> Double { acos(x) }
private func libm_atan(_ x: Double) -> Double { atan(x) }
private func libm_sinh(_ x: Double) -> Double { sinh(x) }
private func libm_cosh(_ x: Double) -> Double { cosh(x) }
private func libm_tanh(_ x: Double) -> Double { tanh(x) }
private func libm_asinh(_ x: Double) -> Double { asinh(x) }
private func libm_acosh(_ x: Double) -> Double { acosh(x) }
private func libm_atanh(_ x: Double) -> Double { atanh(x) }
private func libm_atan2(_ y: Double, _ x: Double) -> Double { atan2(y, x) }
