// The PromQL function table (Prometheus 3.14 `promql/parser/functions.go`): every function's
// name, argument types, variadic count, return type and experimental flag. The parser looks
// calls up here; the engine implements them.

extension PromQLFunction {
    /// The function called `name` (case-sensitive, as in Prometheus), or nil for an unknown one.
    ///
    /// Experimental functions (Prometheus's `--enable-feature=promql-experimental-functions`)
    /// are included and marked `experimental`; Sugarmill has them on.
    ///
    /// ```swift
    /// PromQLFunction.named("rate")?.argTypes  // [.matrix]
    /// PromQLFunction.named("RATE")            // nil
    /// ```
    package static func named(_ name: String) -> PromQLFunction? { table[name] }

    /// Every function, sorted by name.
    package static var all: [PromQLFunction] { table.values.sorted { $0.name < $1.name } }

    private static let table: [String: PromQLFunction] = Dictionary(
        uniqueKeysWithValues: list.map { ($0.name, $0) })

    private static let list: [PromQLFunction] = [
        PromQLFunction(name: "abs", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "absent", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "absent_over_time", argTypes: [.matrix], returnType: .vector),
        PromQLFunction(name: "acos", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "acosh", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "asin", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "asinh", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "atan", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "atanh", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "avg_over_time", argTypes: [.matrix], returnType: .vector),
        PromQLFunction(name: "ceil", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "changes", argTypes: [.matrix], returnType: .vector),
        PromQLFunction(name: "clamp", argTypes: [.vector, .scalar, .scalar], returnType: .vector),
        PromQLFunction(name: "clamp_max", argTypes: [.vector, .scalar], returnType: .vector),
        PromQLFunction(name: "clamp_min", argTypes: [.vector, .scalar], returnType: .vector),
        PromQLFunction(name: "cos", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "cosh", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "count_over_time", argTypes: [.matrix], returnType: .vector),
        PromQLFunction(name: "days_in_month", argTypes: [.vector], variadic: 1, returnType: .vector),
        PromQLFunction(name: "day_of_month", argTypes: [.vector], variadic: 1, returnType: .vector),
        PromQLFunction(name: "day_of_week", argTypes: [.vector], variadic: 1, returnType: .vector),
        PromQLFunction(name: "day_of_year", argTypes: [.vector], variadic: 1, returnType: .vector),
        PromQLFunction(name: "deg", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "end", argTypes: [], returnType: .scalar, experimental: true),
        PromQLFunction(name: "delta", argTypes: [.matrix], returnType: .vector),
        PromQLFunction(name: "deriv", argTypes: [.matrix], returnType: .vector),
        PromQLFunction(name: "exp", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "first_over_time", argTypes: [.matrix], returnType: .vector),
        PromQLFunction(name: "floor", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "histogram_avg", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "histogram_count", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "histogram_sum", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "histogram_stddev", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "histogram_stdvar", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "histogram_fraction", argTypes: [.scalar, .scalar, .vector], returnType: .vector),
        PromQLFunction(name: "histogram_quantile", argTypes: [.scalar, .vector], returnType: .vector),
        PromQLFunction(name: "histogram_quantiles", argTypes: [.vector, .string, .scalar, .scalar], variadic: 9, returnType: .vector, experimental: true),
        PromQLFunction(name: "double_exponential_smoothing", argTypes: [.matrix, .scalar, .scalar], returnType: .vector, experimental: true),
        PromQLFunction(name: "hour", argTypes: [.vector], variadic: 1, returnType: .vector),
        PromQLFunction(name: "idelta", argTypes: [.matrix], returnType: .vector),
        PromQLFunction(name: "increase", argTypes: [.matrix], returnType: .vector),
        PromQLFunction(name: "info", argTypes: [.vector, .vector], variadic: 1, returnType: .vector, experimental: true),
        PromQLFunction(name: "irate", argTypes: [.matrix], returnType: .vector),
        PromQLFunction(name: "label_replace", argTypes: [.vector, .string, .string, .string, .string], returnType: .vector),
        PromQLFunction(name: "label_join", argTypes: [.vector, .string, .string, .string], variadic: -1, returnType: .vector),
        PromQLFunction(name: "max_of", argTypes: [.scalar, .scalar], returnType: .scalar, experimental: true),
        PromQLFunction(name: "last_over_time", argTypes: [.matrix], returnType: .vector),
        PromQLFunction(name: "min_of", argTypes: [.scalar, .scalar], returnType: .scalar, experimental: true),
        PromQLFunction(name: "ln", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "log10", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "log2", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "mad_over_time", argTypes: [.matrix], returnType: .vector, experimental: true),
        PromQLFunction(name: "max_over_time", argTypes: [.matrix], returnType: .vector),
        PromQLFunction(name: "min_over_time", argTypes: [.matrix], returnType: .vector),
        PromQLFunction(name: "ts_of_first_over_time", argTypes: [.matrix], returnType: .vector, experimental: true),
        PromQLFunction(name: "ts_of_max_over_time", argTypes: [.matrix], returnType: .vector, experimental: true),
        PromQLFunction(name: "ts_of_min_over_time", argTypes: [.matrix], returnType: .vector, experimental: true),
        PromQLFunction(name: "ts_of_last_over_time", argTypes: [.matrix], returnType: .vector, experimental: true),
        PromQLFunction(name: "minute", argTypes: [.vector], variadic: 1, returnType: .vector),
        PromQLFunction(name: "month", argTypes: [.vector], variadic: 1, returnType: .vector),
        PromQLFunction(name: "pi", argTypes: [], returnType: .scalar),
        PromQLFunction(name: "predict_linear", argTypes: [.matrix, .scalar], returnType: .vector),
        PromQLFunction(name: "present_over_time", argTypes: [.matrix], returnType: .vector),
        PromQLFunction(name: "quantile_over_time", argTypes: [.scalar, .matrix], returnType: .vector),
        PromQLFunction(name: "rad", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "range", argTypes: [], returnType: .scalar, experimental: true),
        PromQLFunction(name: "rate", argTypes: [.matrix], returnType: .vector),
        PromQLFunction(name: "resets", argTypes: [.matrix], returnType: .vector),
        PromQLFunction(name: "round", argTypes: [.vector, .scalar], variadic: 1, returnType: .vector),
        PromQLFunction(name: "scalar", argTypes: [.vector], returnType: .scalar),
        PromQLFunction(name: "sgn", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "sin", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "sinh", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "sort", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "sort_desc", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "sort_by_label", argTypes: [.vector, .string], variadic: -1, returnType: .vector, experimental: true),
        PromQLFunction(name: "sort_by_label_desc", argTypes: [.vector, .string], variadic: -1, returnType: .vector, experimental: true),
        PromQLFunction(name: "sqrt", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "start", argTypes: [], returnType: .scalar, experimental: true),
        PromQLFunction(name: "start_timestamp", argTypes: [.vector], returnType: .vector, experimental: true),
        PromQLFunction(name: "step", argTypes: [], returnType: .scalar, experimental: true),
        PromQLFunction(name: "stddev_over_time", argTypes: [.matrix], returnType: .vector),
        PromQLFunction(name: "stdvar_over_time", argTypes: [.matrix], returnType: .vector),
        PromQLFunction(name: "sum_over_time", argTypes: [.matrix], returnType: .vector),
        PromQLFunction(name: "tan", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "tanh", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "time", argTypes: [], returnType: .scalar),
        PromQLFunction(name: "timestamp", argTypes: [.vector], returnType: .vector),
        PromQLFunction(name: "vector", argTypes: [.scalar], returnType: .vector),
        PromQLFunction(name: "year", argTypes: [.vector], variadic: 1, returnType: .vector),
    ]
}
