// Prometheus's duration syntax in config files (`model.Duration`): `30s`, `1m30s`, `1h`, `1d`,
// `1w`, `1y`, `0`; MetricModel's `PrometheusDuration` with the config's error texts.

import MetricModel

/// Parsing and printing `model.Duration` values, in milliseconds.
package enum ModelDuration {
    /// `model.ParseDuration`, in milliseconds.
    ///
    /// ```swift
    /// try ModelDuration.parse("1m30s")  // 90_000
    /// ```
    /// - Throws: `ConfigError` with Prometheus's text: `not a valid duration string: "1h1h"`,
    ///   `unknown unit "x" in duration "3x"`, `empty duration string`, `duration out of range`.
    package static func parse(_ text: String) throws(ConfigError) -> Int64 {
        do {
            return try PrometheusDuration.milliseconds(text)
        } catch {
            switch error {
            case .empty: throw ConfigError("empty duration string")
            case .invalid: throw ConfigError("not a valid duration string: \(GoString.quote(text))")
            case .unknownUnit(let unit):
                throw ConfigError("unknown unit \(GoString.quote(unit)) in duration \(GoString.quote(text))")
            case .outOfRange: throw ConfigError("duration out of range")
            }
        }
    }

    /// `model.Duration.String()`: `1m30s`, `2w`, `0s`.
    package static func format(milliseconds: Int64) -> String {
        PrometheusDuration.format(milliseconds: milliseconds)
    }
}
