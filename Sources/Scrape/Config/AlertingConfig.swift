// The `alerting:` section of prometheus.yml (Prometheus's `config.AlertingConfig` and
// `config.AlertmanagerConfig`): where alerts go and how they are relabeled on the way.
// Decoded and validated in AlertingConfig+Decoding; sent by the notifier (Rules module).

package import Relabel

/// `alerting:`: the relabeling every alert gets, and the Alertmanagers they are sent to.
///
/// ```yaml
/// alerting:
///   alert_relabel_configs:
///     - {regex: replica, action: labeldrop}
///   alertmanagers:
///     - static_configs: [{targets: ['alertmanager:9093']}]
/// ```
package struct AlertingConfig: Sendable {
    /// `alert_relabel_configs`: applied to every alert, after the external labels are added.
    package var alertRelabelConfigs: [RelabelConfig] = []
    /// `alertmanagers`, in file order (Prometheus names them `config-0`, `config-1`, …).
    package var alertmanagers: [AlertmanagerConfig] = []

    package init() {}
}

/// One `alertmanagers` entry: how a set of Alertmanagers is discovered and talked to.
package struct AlertmanagerConfig: Sendable {
    /// The inlined HTTP client options (auth, TLS, redirects).
    package var httpClient = HTTPClientConfig()
    /// `scheme`: the initial `__scheme__` of each discovered Alertmanager.
    package var scheme = "http"
    /// `path_prefix`: put before `/api/v2/alerts` in `__alerts_path__`.
    package var pathPrefix = ""
    /// `timeout` of one send.
    package var timeoutMs: Int64 = 10_000
    /// `api_version`; only `v2` is accepted when given. An explicit null leaves it empty, which
    /// Prometheus accepts and then fails every send with, and so do we.
    package var apiVersion = "v2"
    /// `relabel_configs`: applied to discovered Alertmanagers (`__address__`, `__scheme__`,
    /// `__alerts_path__`, discovery `__meta_*` labels); a dropped one is listed as dropped.
    package var relabelConfigs: [RelabelConfig] = []
    /// `alert_relabel_configs`: applied to alerts sent to this set only, after the global ones.
    package var alertRelabelConfigs: [RelabelConfig] = []
    package var staticConfigs: [TargetGroup] = []
    package var fileSDConfigs: [FileSDConfig] = []
    package var httpSDConfigs: [HTTPSDConfig] = []

    package init() {}

    /// The name Prometheus gives the entry at `index` of `alertmanagers` (`config-0`, …).
    package static func name(index: Int) -> String { "config-\(index)" }
}
