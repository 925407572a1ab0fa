// HistogramError: why a native histogram is invalid, in Prometheus's words (model/histogram's
// sentinel errors and the context its validation wraps them in).

/// A native histogram that breaks a rule: `kind` is the stable code (Prometheus's sentinel
/// error, what callers match on), `description` the full text Prometheus's error prints.
///
/// ```swift
/// do { try h.validate() } catch {
///     error.kind          // .spansBucketsMismatch
///     error.description   // "positive side: spans need 2 buckets, have 1 buckets: histogram spans specify different number of buckets than provided"
/// }
/// ```
package struct HistogramError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rule that was broken; its `message` is the text of Prometheus's sentinel error.
    package enum Kind: Sendable, Hashable {
        case countNotBigEnough
        case countMismatch
        case negativeCount
        case negativeBucketCount
        case spanNegativeOffset
        case spansBucketsMismatch
        case customBucketsMismatch
        case customBucketsInvalid
        case customBucketsInfinite
        case customBucketsNaN
        case incompatibleSchema
        case customBucketsZeroCount
        case customBucketsZeroThreshold
        case customBucketsNegativeSpans
        case customBucketsNegativeBuckets
        case exponentialSchemaCustomBounds
        case invalidSchema
        case unknownSchema
        /// A resolution change that cannot be made (custom buckets, or not to a lower schema): a
        /// programming error in Prometheus, not a `histogram.Error`.
        case invalidResolutionChange
        /// More buckets than a scrape's `native_histogram_bucket_limit`, even at the lowest
        /// resolution (Prometheus's scrape `errBucketLimit`).
        case bucketLimitExceeded

        /// Prometheus's text for this error, without context.
        package var message: String {
            switch self {
            case .countNotBigEnough:
                "histogram's observation count should be at least the number of observations found in the buckets"
            case .countMismatch:
                "histogram's observation count should equal the number of observations found in the buckets (in absence of NaN)"
            case .negativeCount: "histogram's observation count is negative"
            case .negativeBucketCount: "histogram has a bucket whose observation count is negative"
            case .spanNegativeOffset: "histogram has a span whose offset is negative"
            case .spansBucketsMismatch: "histogram spans specify different number of buckets than provided"
            case .customBucketsMismatch: "histogram custom bounds are too few"
            case .customBucketsInvalid: "histogram custom bounds must be in strictly increasing order"
            case .customBucketsInfinite: "histogram custom bounds must be finite"
            case .customBucketsNaN: "histogram custom bounds must not be NaN"
            case .incompatibleSchema:
                "cannot apply this operation on histograms with a mix of exponential and custom bucket schemas"
            case .customBucketsZeroCount: "custom buckets: must have zero count of 0"
            case .customBucketsZeroThreshold: "custom buckets: must have zero threshold of 0"
            case .customBucketsNegativeSpans: "custom buckets: must not have negative spans"
            case .customBucketsNegativeBuckets: "custom buckets: must not have negative buckets"
            case .exponentialSchemaCustomBounds: "histogram with exponential schema must not have custom bounds"
            case .invalidSchema:
                "histogram has an invalid schema, which must be between \(HistogramSchema.exponentialMin) and "
                    + "\(HistogramSchema.exponentialMax) for exponential buckets, or "
                    + "\(HistogramSchema.customBuckets) for custom buckets"
            case .unknownSchema:
                "histogram has an unknown schema, which must be between \(HistogramSchema.exponentialMinReserved) and "
                    + "\(HistogramSchema.exponentialMaxReserved) for exponential buckets, or "
                    + "\(HistogramSchema.customBuckets) for custom buckets"
            case .invalidResolutionChange: "cannot reduce resolution"
            case .bucketLimitExceeded: "histogram bucket limit exceeded"
            }
        }
    }

    /// The rule that was broken.
    package let kind: Kind
    /// The whole text, context first, as Go's wrapped error prints it.
    package let description: String

    /// An error of `kind`, its message preceded by `context` (`"… : message"`) when given.
    package init(_ kind: Kind, context: String? = nil) {
        self.kind = kind
        description = context.map { "\($0): \(kind.message)" } ?? kind.message
    }

    /// The same error with `prefix` in front, as Go's `fmt.Errorf("prefix: %w", err)`.
    package func wrapped(_ prefix: String) -> HistogramError {
        HistogramError(kind: kind, description: "\(prefix): \(description)")
    }

    private init(kind: Kind, description: String) {
        self.kind = kind
        self.description = description
    }

    /// Prometheus's `InvalidSchemaError`: a schema that is neither -4…8 nor -53.
    package static func invalidSchema(_ schema: Int32) -> HistogramError {
        HistogramError(kind: .invalidSchema, description: "\(Kind.invalidSchema.message), got schema \(schema)")
    }

    /// Prometheus's errors from `ReduceResolution` for a change it refuses: to or from custom
    /// buckets, or to a schema that is not lower.
    package static func invalidResolutionChange(from schema: Int32, to targetSchema: Int32) -> HistogramError {
        let text =
            if HistogramSchema.isCustomBuckets(schema) {
                "cannot reduce resolution when there are custom buckets"
            } else if HistogramSchema.isCustomBuckets(targetSchema) {
                "cannot reduce resolution to custom buckets schema"
            } else {
                "cannot reduce resolution from schema \(schema) to \(targetSchema)"
            }
        return HistogramError(kind: .invalidResolutionChange, description: text)
    }

    /// Prometheus's `UnknownSchemaError`: a schema that is neither -9…52 nor -53.
    package static func unknownSchema(_ schema: Int32) -> HistogramError {
        HistogramError(kind: .unknownSchema, description: "\(Kind.unknownSchema.message), got schema \(schema)")
    }
}
