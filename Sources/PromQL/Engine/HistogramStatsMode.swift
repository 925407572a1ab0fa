// Which selectors may read native histograms as count and sum only (Prometheus's
// `detectHistogramStatsDecoding` in promql/engine.go, which marks `SkipHistogramBuckets`).

/// How the selectors under an expression decode native histograms: whole, or as count and sum
/// with counter resets detected on the fly (``HistogramStatsDecoder``, Prometheus's
/// HistogramStatsIterator) when every use of them above is `histogram_count`, `histogram_sum` or
/// `histogram_avg` (possibly around `rate` and the like) and nothing above needs the buckets.
enum HistogramStatsMode: Equatable {
    /// Nothing above asks for count and sum only: whole histograms.
    case none
    /// Below `histogram_count`/`histogram_sum`/`histogram_avg`: count and sum only.
    case stats
    /// Below a subquery, `histogram_quantile(s)`, `histogram_fraction` or a trim operator, which
    /// need the buckets whatever is further down: whole histograms.
    case blocked

    /// The mode for the operands of `expr`.
    func below(_ expr: Expr) -> HistogramStatsMode {
        if self == .blocked { return .blocked }
        switch expr {
        case .call(let c):
            switch c.function.name {
            case "histogram_count", "histogram_sum", "histogram_avg": return .stats
            case "histogram_quantile", "histogram_quantiles", "histogram_fraction": return .blocked
            default: return self
            }
        case .binary(let b):
            return b.op == .trimUpper || b.op == .trimLower ? .blocked : self
        case .subquery:
            return .blocked
        default:
            return self
        }
    }
}
