// `alerting:`: defaults, every field, paths, what is taken but not acted on, and Prometheus's
// error texts (config.go's AlertingConfig and AlertmanagerConfig).

import MetricModel
import Relabel
import Scrape
import Testing

@Suite struct AlertingConfigTests {
    @Test func fieldsAndDefaults() throws {
        let config = try ConfigTest.load(
            """
            alerting:
              alert_relabel_configs:
                - {regex: replica, action: labeldrop}
              alertmanagers:
                - scheme: https
                  path_prefix: /am
                  timeout: 3s
                  api_version: v2
                  basic_auth: {username: u, password_file: secret}
                  tls_config: {ca_file: ca.pem}
                  follow_redirects: false
                  static_configs:
                    - targets: ['am1:9093', 'am2:9093']
                      labels: {dc: eu}
                  file_sd_configs:
                    - files: [am/*.yml]
                      refresh_interval: 30s
                  http_sd_configs:
                    - url: http://sd/alertmanagers
                  relabel_configs:
                    - {source_labels: [dc], regex: us, action: drop}
                  alert_relabel_configs:
                    - {target_label: via, replacement: eu}
                - static_configs: [{targets: ['am3:9093']}]
            """)
        let alerting = config.alerting
        #expect(alerting.alertRelabelConfigs.map(\.action) == [.labeldrop])
        #expect(alerting.alertmanagers.count == 2)
        let first = alerting.alertmanagers[0]
        #expect(first.scheme == "https")
        #expect(first.pathPrefix == "/am")
        #expect(first.timeoutMs == 3_000)
        #expect(first.apiVersion == "v2")
        #expect(first.httpClient.basicAuth?.username == "u")
        #expect(first.httpClient.basicAuth?.password == .file("/etc/prometheus/secret"))
        #expect(first.httpClient.tls.caFile == "/etc/prometheus/ca.pem")
        #expect(!first.httpClient.followRedirects)
        #expect(first.staticConfigs == [TargetGroup(targets: ["am1:9093", "am2:9093"], labels: Labels([("dc", "eu")]), source: "0")])
        #expect(first.fileSDConfigs.map(\.files) == [["/etc/prometheus/am/*.yml"]])
        #expect(first.fileSDConfigs.map(\.refreshIntervalMs) == [30_000])
        #expect(first.httpSDConfigs.map(\.url) == ["http://sd/alertmanagers"])
        #expect(first.relabelConfigs.map(\.action) == [.drop])
        #expect(first.alertRelabelConfigs.map(\.targetLabel) == ["via"])

        let plain = alerting.alertmanagers[1]
        #expect(plain.scheme == "http" && plain.pathPrefix.isEmpty && plain.timeoutMs == 10_000 && plain.apiVersion == "v2")
        #expect(plain.httpClient == HTTPClientConfig())
        #expect(plain.relabelConfigs.isEmpty && plain.alertRelabelConfigs.isEmpty)
        #expect(config.notYetSupported.isEmpty)
        #expect(AlertmanagerConfig.name(index: 1) == "config-1")
    }

    @Test func noAlertingSectionMeansNoAlertmanagers() throws {
        for yaml in ["", "alerting:", "alerting: {alertmanagers: ~, alert_relabel_configs: ~}"] {
            let config = try ConfigTest.load(yaml)
            #expect(config.alerting.alertmanagers.isEmpty)
            #expect(config.alerting.alertRelabelConfigs.isEmpty)
        }
    }

    /// go-yaml gives a null field Go's zero value: Prometheus then sends with a zero timeout and
    /// refuses the empty API version at every send; the config itself loads.
    @Test func nullFieldsTakeGoZeroValues() throws {
        let config = try ConfigTest.load("alerting: {alertmanagers: [{timeout: ~, api_version: ~, scheme: ~}]}")
        let alertmanager = try #require(config.alerting.alertmanagers.first)
        #expect(alertmanager.timeoutMs == 0 && alertmanager.apiVersion.isEmpty && alertmanager.scheme.isEmpty)
    }

    @Test func otherDiscoveryKindsAndOptionsAreTakenButListed() throws {
        let config = try ConfigTest.load(
            """
            alerting:
              alertmanagers:
                - dns_sd_configs: [{names: [am.example.com]}]
                  kubernetes_sd_configs: [{role: pod}]
                - sigv4: {region: eu-west-1}
                  http_headers: {X-A: {values: [b]}}
            """)
        #expect(config.notYetSupported == [
            #"alertmanagers "config-0": dns_sd_configs"#, #"alertmanagers "config-0": kubernetes_sd_configs"#,
            #"alertmanagers "config-1": http_headers"#, #"alertmanagers "config-1": sigv4"#,
        ])
    }

    @Test(arguments: [
        ("alerting: {alertmanagers: [{api_version: v1}]}", "expected Alertmanager api version to be one of [v2] but got v1"),
        ("alerting: {alertmanagers: [{api_version: ''}]}", "expected Alertmanager api version to be one of [v2] but got "),
        ("alerting: {alert_relabel_configs: [~]}", "empty or null alert relabeling rule"),
        ("alerting: {alertmanagers: [{relabel_configs: [~]}]}", "empty or null Alertmanager target relabeling rule"),
        ("alerting: {alertmanagers: [{alert_relabel_configs: [~]}]}", "empty or null Alertmanager alert relabeling rule"),
        ("alerting: {alertmanagers: [~]}", "empty or null Alertmanager config section"),
        ("alerting: {alertmanagers: [{static_configs: [~]}]}", "empty or null section in static_configs"),
        ("alerting: {alertmanagers: [{file_sd_configs: [~]}]}", "empty or null section in file_sd_configs"),
        ("alerting: {alertmanagers: [{static_configs: [{targets: ['http://am:9093']}]}]}", #""http://am:9093" is not a valid hostname"#),
        ("alerting: {alertmanagers: [{bearer_token: a, bearer_token_file: b}]}",
         "at most one of bearer_token & bearer_token_file must be configured"),
        ("alerting: {alertmanagers: [{basic_auth: {username: u}, sigv4: {region: r}}]}",
         "at most one of basic_auth, authorization, oauth2, & sigv4 must be configured"),
        ("alerting: {alertmanagers: [{bearer_token: t, sigv4: {region: r}}]}",
         "at most one of basic_auth, authorization, oauth2, & sigv4 must be configured"),
        ("alerting: {alertmanagers: [{file_sd_configs: [{files: []}]}]}",
         "file service discovery config must contain at least one path name"),
        ("alerting: {alert_relabel_configs: [{action: hashmod, target_label: x}]}",
         "relabel configuration for hashmod requires non-zero modulus"),
        ("alerting: {alertmanagers: [{relabel_configs: [{action: replace}]}]}",
         "relabel configuration for replace action requires 'target_label' value"),
        ("alerting: {alertmanagers: [{alert_relabel_configs: [{action: labeldrop, source_labels: [a]}]}]}",
         "labeldrop action requires only 'regex', and no other fields"),
        ("alerting: {alertmanagers: [{timeout: 5x}]}", #"unknown unit "x" in duration "5x""#),
    ])
    func errors(yaml: String, message: String) {
        #expect(ConfigTest.error(yaml) == message)
    }

    /// A URL is fine as a static target when relabeling can make a host of it, as in Prometheus.
    @Test func urlTargetsAreAllowedWithRelabeling() throws {
        let config = try ConfigTest.load("""
            alerting:
              alertmanagers:
                - static_configs: [{targets: ['http://am:9093']}]
                  relabel_configs: [{source_labels: [__address__], regex: 'http://(.*)', target_label: __address__}]
            """)
        #expect(config.alerting.alertmanagers.first?.staticConfigs.first?.targets == ["http://am:9093"])
    }

    @Test func typeErrorsNameGoTypes() {
        #expect(ConfigTest.error("""
            alerting:
              alertmanagers:
                - scheme: [https]
                  timeout: {a: 1}
                  api_version: [v2]
                  path: /x
              alert_relabel: []
            """) == """
            yaml: unmarshal errors:
              line 3: cannot unmarshal !!seq into string
              line 4: cannot unmarshal !!map into string
              line 5: cannot unmarshal !!seq into config.plain
              line 6: field path not found in type config.AlertmanagerConfig
              line 7: field alert_relabel not found in type config.plain
            """)
        #expect(ConfigTest.error("alerting: [a]") == "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into config.plain")
        #expect(ConfigTest.error("alerting: {alertmanagers: {a: b}}")
            == "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!map into []*config.AlertmanagerConfig")
    }

    @Test(arguments: [
        ("empty_alert_relabel_config.bad.yml", "empty or null alert relabeling rule"),
        ("empty_alertmanager_relabel_config.bad.yml", "empty or null Alertmanager target relabeling rule"),
        ("config_with_deprecated_am_api_config.yml", "expected Alertmanager api version to be one of [v2] but got v1"),
    ])
    func prometheusBadFilesFail(file: String, message: String) throws {
        let error = try #require(try ConfigFixtures.error(file))
        #expect(error.message == "parsing YAML file \(try ConfigFixtures.testdata(file)): \(message)")
    }

    /// conf.good.yml's `alerting:`, as config_test.go expects it.
    @Test func prometheusGoodFile() throws {
        let config = try PrometheusConfig.load(file: try ConfigFixtures.testdata("conf.good.yml"))
        #expect(config.alerting.alertRelabelConfigs.isEmpty)
        let alertmanager = try #require(config.alerting.alertmanagers.first)
        #expect(config.alerting.alertmanagers.count == 1)
        #expect(alertmanager.scheme == "https" && alertmanager.timeoutMs == 10_000 && alertmanager.apiVersion == "v2")
        #expect(alertmanager.staticConfigs.map(\.targets) == [["1.2.3.4:9093", "1.2.3.5:9093", "1.2.3.6:9093"]])
        #expect(alertmanager.httpClient == HTTPClientConfig())
    }
}
