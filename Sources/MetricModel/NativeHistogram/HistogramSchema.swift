// Native-histogram schemas: which numbers are exponential, custom-bucket (NHCB), reserved or
// invalid, after Prometheus's model/histogram/generic.go.

/// The schema numbers of native histograms and what they mean.
///
/// Exponential schema `s` divides every power of two into `2^s` buckets, so each bucket boundary
/// is the previous one times `2^(2^-s)`; 1 is a boundary in every schema. Schemas -4…8 are in
/// use; -9…52 are reserved (known: a reader reduces them to the nearest supported schema).
/// Schema -53 means custom buckets whose upper bounds are the histogram's `customValues` (NHCB).
///
/// ```swift
/// HistogramSchema.isValid(3)     // true
/// HistogramSchema.isValid(9)     // false: reserved…
/// HistogramSchema.isKnown(9)     // true: …but known
/// HistogramSchema.isValid(-53)   // true: custom buckets
/// ```
package enum HistogramSchema {
    /// The finest exponential schema in use (256 buckets per power of two).
    package static let exponentialMax: Int32 = 8
    /// The finest exponential schema reserved for future use.
    package static let exponentialMaxReserved: Int32 = 52
    /// The coarsest exponential schema in use (one bucket per factor 2^16).
    package static let exponentialMin: Int32 = -4
    /// The coarsest exponential schema reserved for future use.
    package static let exponentialMinReserved: Int32 = -9
    /// Custom buckets: bounds come from the histogram's `customValues`.
    package static let customBuckets: Int32 = -53

    /// Whether `schema` is the custom-buckets schema (-53).
    package static func isCustomBuckets(_ schema: Int32) -> Bool { schema == customBuckets }

    /// Whether `schema` is an exponential schema in use (-4…8).
    package static func isExponential(_ schema: Int32) -> Bool {
        schema >= exponentialMin && schema <= exponentialMax
    }

    /// Whether `schema` is an exponential schema in use or reserved (-9…52).
    package static func isExponentialReserved(_ schema: Int32) -> Bool {
        schema >= exponentialMinReserved && schema <= exponentialMaxReserved
    }

    /// Whether histograms of `schema` can be stored and computed with as they are.
    package static func isValid(_ schema: Int32) -> Bool { isCustomBuckets(schema) || isExponential(schema) }

    /// Whether `schema` is accepted at all: valid, or reserved and to be reduced to a valid one.
    package static func isKnown(_ schema: Int32) -> Bool {
        isCustomBuckets(schema) || isExponentialReserved(schema)
    }

    /// Whether two custom-bucket histograms have the same bounds (compared with `==`, as
    /// Prometheus's `CustomBucketBoundsMatch` does).
    package static func customBoundsMatch(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0 == $1 }
    }
}
