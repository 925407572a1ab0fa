// What `/api/v1/rules` shows of a rule: its health, last error and last evaluation.

package import MetricModel

/// A rule's health after its last evaluation (Prometheus's `ok`, `err`, `unknown`).
package enum RuleHealth: String, Sendable, Equatable {
    case unknown
    case ok
    case err
}

/// The outcome of a rule's last evaluation.
package struct RuleStatus: Sendable, Equatable {
    package var health: RuleHealth = .unknown
    /// Why the last evaluation failed; nil when it did not.
    package var lastError: String?
    /// When the last evaluation started (wall clock, ms); nil before the first.
    package var lastEvaluation: Timestamp?
    /// How long the last evaluation took.
    package var evaluationSeconds: Double = 0

    package init() {}
}
