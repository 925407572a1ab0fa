// The model of `prometheus.yml` (Prometheus's `config/config.go`): what a user's existing file
// says, with Prometheus's defaults filled in. Loading and validation: PrometheusConfig+Loading.

package import MetricModel
package import Relabel

/// A whole `prometheus.yml`.
package struct PrometheusConfig: Sendable {
    package var global = GlobalConfig()
    package var scrapeConfigs: [ScrapeConfig] = []
    /// `remote_write` endpoints.
    package var remoteWrite: [RemoteWriteConfig] = []
    /// `remote_read` endpoints.
    package var remoteRead: [RemoteReadConfig] = []
    /// `alerting`: the Alertmanagers alerts go to.
    package var alerting = AlertingConfig()
    /// `tracing`: where Sugarmill's own spans are exported.
    package var tracing = TracingConfig()
    /// `rule_files` globs, resolved against the config file's directory (rules are issue #11).
    package var ruleFiles: [String] = []
    /// `scrape_config_files` globs, resolved against the config file's directory; their scrape
    /// configs are already in `scrapeConfigs`.
    package var scrapeConfigFiles: [String] = []
    /// What the file says that is accepted but not acted on yet, for a log line: top-level
    /// sections by name (`storage`, `otlp`, `runtime`) and, per scrape config or
    /// Alertmanager set, other service discovery kinds and HTTP client options
    /// (`scrape config "node": kubernetes_sd_configs`, `scrape config "node": oauth2`,
    /// `alertmanagers "config-0": dns_sd_configs`).
    package var notYetSupported: [String] = []
    /// The file's text, for `/api/v1/status/config`.
    package var source: String = ""

    package init() {}
}

/// `global:`.
package struct GlobalConfig: Sendable, Equatable {
    package var scrapeIntervalMs: Int64 = 60_000
    package var scrapeTimeoutMs: Int64 = 10_000
    package var evaluationIntervalMs: Int64 = 60_000
    package var ruleQueryOffsetMs: Int64 = 0
    package var externalLabels: Labels = .empty
    package var scrapeProtocols: [ScrapeProtocol] = ScrapeProtocol.defaults
    package var limits = ScrapeLimits()
    package var metricNameValidationScheme: NameValidationScheme = .utf8
    package var metricNameEscapingScheme: String = "allow-utf-8"
    package var scrapeNativeHistograms = false
    package var convertClassicHistogramsToNHCB = false
    package var alwaysScrapeClassicHistograms = false
    package var extraScrapeMetrics = false
    package var queryLogFile: String?
    package var scrapeFailureLogFile: String?

    package init() {}
}

/// Limits a scrape is held to (0: none), set globally and per scrape config.
package struct ScrapeLimits: Sendable, Equatable {
    /// `body_size_limit`, bytes of the uncompressed body.
    package var bodySizeLimit: Int64 = 0
    package var sampleLimit = 0
    package var labelLimit = 0
    package var labelNameLengthLimit = 0
    package var labelValueLengthLimit = 0
    package var targetLimit = 0
    package var keepDroppedTargets = 0
    package var nativeHistogramBucketLimit = 0

    package init() {}
}

package enum NameValidationScheme: String, Sendable, Equatable {
    case utf8
    case legacy
}

/// A format a target may answer in (`scrape_protocols`), by Prometheus's names.
package enum ScrapeProtocol: String, Sendable, Equatable, CaseIterable {
    case prometheusProto = "PrometheusProto"
    case openMetricsText0_0_1 = "OpenMetricsText0.0.1"
    case openMetricsText1_0_0 = "OpenMetricsText1.0.0"
    case prometheusText0_0_4 = "PrometheusText0.0.4"
    case prometheusText1_0_0 = "PrometheusText1.0.0"

    /// Prometheus 3's default order without native histograms.
    package static let defaults: [ScrapeProtocol] = [
        .openMetricsText1_0_0, .openMetricsText0_0_1, .prometheusText1_0_0, .prometheusText0_0_4,
    ]
}

/// One entry of `scrape_configs`, with the globals it inherits already applied.
package struct ScrapeConfig: Sendable {
    package var jobName: String
    package var scrapeIntervalMs: Int64
    package var scrapeTimeoutMs: Int64
    package var metricsPath = "/metrics"
    /// `http` or `https`.
    package var scheme = "http"
    /// URL query parameters (`params`), each name with its values in order.
    package var params: [(name: String, values: [String])] = []
    package var honorLabels = false
    package var honorTimestamps = true
    package var trackTimestampsStaleness = false
    package var enableCompression = true
    package var limits = ScrapeLimits()
    package var scrapeProtocols: [ScrapeProtocol] = ScrapeProtocol.defaults
    /// Used when a target's Content-Type is missing or unknown; nil fails such scrapes (3.x).
    package var fallbackScrapeProtocol: ScrapeProtocol?
    package var httpClient = HTTPClientConfig()
    package var relabelConfigs: [RelabelConfig] = []
    package var metricRelabelConfigs: [RelabelConfig] = []
    package var staticConfigs: [TargetGroup] = []
    package var fileSDConfigs: [FileSDConfig] = []
    package var httpSDConfigs: [HTTPSDConfig] = []
    package var metricNameValidationScheme: NameValidationScheme = .utf8
    /// `metric_name_escaping_scheme` (`allow-utf-8`, `underscores`, `dots`, `values`), inferred from
    /// the validation scheme when unset, as Prometheus does.
    package var metricNameEscapingScheme = "allow-utf-8"
    package var scrapeNativeHistograms = false
    package var convertClassicHistogramsToNHCB = false
    package var alwaysScrapeClassicHistograms = false
    package var extraScrapeMetrics = false
    /// `native_histogram_min_bucket_factor` (0: no minimum).
    package var nativeHistogramMinBucketFactor = 0.0
    /// `scrape_failure_log_file`, inherited from the global one when unset.
    package var scrapeFailureLogFile: String?
    /// Sugarmill's own `tenant:` key: in multi-tenant mode, the tenant whose storage the job's
    /// samples go to (nil: the first tenant of the tenants file).
    package var tenant: String?

    package init(jobName: String, scrapeIntervalMs: Int64, scrapeTimeoutMs: Int64) {
        self.jobName = jobName
        self.scrapeIntervalMs = scrapeIntervalMs
        self.scrapeTimeoutMs = scrapeTimeoutMs
    }
}

/// A group of targets sharing labels (`static_configs` entries, file and HTTP SD results).
package struct TargetGroup: Sendable, Equatable {
    /// `host:port` addresses.
    package var targets: [String]
    package var labels: Labels
    /// Where the group came from (`0` for the first static config, a file path for file SD…).
    package var source: String

    package init(targets: [String], labels: Labels = .empty, source: String = "") {
        self.targets = targets
        self.labels = labels
        self.source = source
    }
}

/// `file_sd_configs` entry.
package struct FileSDConfig: Sendable, Equatable {
    /// Patterns (`*` in the last path element only), resolved against the config file's directory.
    package var files: [String]
    package var refreshIntervalMs: Int64 = 300_000

    package init(files: [String]) { self.files = files }
}

/// `http_sd_configs` entry.
package struct HTTPSDConfig: Sendable {
    package var url: String
    package var refreshIntervalMs: Int64 = 60_000
    package var httpClient = HTTPClientConfig()

    package init(url: String) { self.url = url }
}

/// Prometheus's common `HTTPClientConfig` (the parts we honour).
package struct HTTPClientConfig: Sendable, Equatable {
    package var basicAuth: BasicAuth?
    /// `authorization` (type defaults to `Bearer`), or `bearer_token` / `bearer_token_file`.
    package var authorization: Authorization?
    package var tls = TLSConfig()
    package var followRedirects = true
    package var enableHTTP2 = true
    package var proxyURL: String?
    /// `no_proxy`: hosts not to reach through `proxyURL`.
    package var noProxy: String?
    /// `proxy_from_environment`: take the proxy from `HTTP_PROXY`/`HTTPS_PROXY`/`NO_PROXY`.
    package var proxyFromEnvironment = false

    package init() {}
}

package struct BasicAuth: Sendable, Equatable {
    package var username: String
    /// `username_file`, read at each use instead of `username`.
    package var usernameFile: String?
    package var password: Secret?

    package init(username: String, password: Secret?) {
        self.username = username
        self.password = password
    }
}

package struct Authorization: Sendable, Equatable {
    package var type = "Bearer"
    package var credentials: Secret?

    package init(type: String = "Bearer", credentials: Secret?) {
        self.type = type
        self.credentials = credentials
    }
}

/// A secret given inline or as a file read at each use (`password` / `password_file`).
package enum Secret: Sendable, Equatable {
    case inline(String)
    case file(String)
}

package struct TLSConfig: Sendable, Equatable {
    package var caFile: String?
    package var certFile: String?
    package var keyFile: String?
    /// `ca`, `cert`: PEM text given inline instead of a file.
    package var ca: String?
    package var cert: String?
    /// `key`: the client key's PEM text given inline.
    package var key: String?
    package var serverName: String?
    package var insecureSkipVerify = false
    /// `min_version` as written (`TLS10`…`TLS13`), nil for the default.
    package var minVersion: String?
    /// `max_version` as written, nil for no maximum.
    package var maxVersion: String?

    package init() {}
}
