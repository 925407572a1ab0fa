// One alert of an alerting rule: its identity (labels), what it says (annotations), and where it
// is in its life (Prometheus's `rules.Alert`).

package import MetricModel

/// Where an alert is in its life: pending while its `for` runs, then firing, then inactive
/// (resolved) until it is forgotten.
package enum AlertState: String, Sendable, Equatable {
    case inactive
    case pending
    case firing
}

/// One alert, keyed in its rule by its labels. Times are milliseconds since the epoch.
package struct Alert: Sendable, Equatable {
    package var state: AlertState
    /// The rule's labels (templated) on the sample's, `alertname` included, `__name__` removed.
    package var labels: Labels
    package var annotations: Labels
    /// The sample value of the last evaluation that returned this alert.
    package var value: Double
    /// When the expression first returned it (pending from then on).
    package var activeAt: Timestamp
    /// When it started firing; nil while pending.
    package var firedAt: Timestamp?
    /// When it resolved; nil while active.
    package var resolvedAt: Timestamp?
    /// When it was last sent to Alertmanager; nil before.
    package var lastSentAt: Timestamp?
    /// The end time sent with it while active (4 × the resend delay or interval ahead).
    package var validUntil: Timestamp?
    /// Since when it has been kept firing by `keep_firing_for` after the expression stopped returning it.
    package var keepFiringSince: Timestamp?

    package init(state: AlertState, labels: Labels, annotations: Labels, value: Double, activeAt: Timestamp) {
        self.state = state
        self.labels = labels
        self.annotations = annotations
        self.value = value
        self.activeAt = activeAt
    }

    /// Prometheus's `needsSending`: firing or resolved alerts, again once the resend delay has
    /// passed since the last send, and at once when it resolved after that send.
    func needsSending(at time: Timestamp, resendDelayMs: Int64) -> Bool {
        if state == .pending { return false }
        if let resolvedAt, resolvedAt > (lastSentAt ?? Int64.min) { return true }
        return (lastSentAt ?? Int64.min / 2) + resendDelayMs < time
    }

    package static func == (lhs: Alert, rhs: Alert) -> Bool {
        lhs.state == rhs.state && lhs.labels == rhs.labels && lhs.annotations == rhs.annotations
            && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN)) && lhs.activeAt == rhs.activeAt
            && lhs.firedAt == rhs.firedAt && lhs.resolvedAt == rhs.resolvedAt && lhs.lastSentAt == rhs.lastSentAt
            && lhs.validUntil == rhs.validUntil && lhs.keepFiringSince == rhs.keepFiringSince
    }
}
