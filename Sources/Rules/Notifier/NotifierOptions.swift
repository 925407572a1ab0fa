// What a notifier is made with: Prometheus's `notifier.Options` and its command-line flags.

package import Logging
package import MetricModel
package import Relabel

/// The settings of a `Notifier` (Prometheus's `notifier.Options`).
///
/// ```swift
/// var options = NotifierOptions(logger: logger)
/// options.queueCapacity = 20_000   // --alertmanager.notification-queue-capacity
/// let notifier = Notifier(options: options)
/// ```
package struct NotifierOptions: Sendable {
    /// Alerts waiting to be sent at most (`--alertmanager.notification-queue-capacity`); when
    /// full, the oldest are dropped for newer ones.
    package var queueCapacity = 10_000
    /// Alerts per request at most (`--alertmanager.notification-batch-size`; Prometheus 3's
    /// default, 2.x sent 64). Zero or less takes the default.
    package var maxBatchSize = 256
    /// Whether what is queued is still sent when the notifier stops
    /// (`--alertmanager.drain-notification-queue-on-shutdown`), or counted as dropped.
    package var drainOnShutdown = true
    /// `global.external_labels`, added to alerts that do not have them; replaced by
    /// `Notifier.applyConfig`.
    package var externalLabels: Labels = .empty
    /// `alerting.alert_relabel_configs`; replaced by `Notifier.applyConfig`.
    package var alertRelabelConfigs: [RelabelConfig] = []
    package var logger: Logger

    package init(logger: Logger = Logger(label: "notifier", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.logger = logger
    }

    /// The batch size in force.
    var effectiveBatchSize: Int { maxBatchSize > 0 ? maxBatchSize : 256 }
}

/// Why the notifier cannot do what it was asked (a config it cannot use, a second `run()`).
package struct NotifierError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) { self.message = message }

    package var description: String { message }
}
