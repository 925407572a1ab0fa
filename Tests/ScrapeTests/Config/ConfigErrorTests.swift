// Every check of a config, with Prometheus's error text.

import Scrape
import Testing

@Suite struct ConfigErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var yaml: String
        var message: String
        var testDescription: String { message }
    }

    static let cases: [Case] = [
        Case(yaml: "scrape_configs:\n  - job_name:\n", message: "job_name is empty"),
        Case(yaml: "scrape_configs:\n  - scrape_interval: 5s\n", message: "job_name is empty"),
        Case(
            yaml: "scrape_configs:\n  - job_name: a\n  - job_name: b\n  - job_name: a\n",
            message: #"found multiple scrape configs with job name "a""#),
        Case(
            yaml: "scrape_configs:\n  - job_name: prometheus\n    scrape_interval: 5s\n    scrape_timeout: 6s\n",
            message: #"scrape timeout greater than scrape interval for scrape config with job name "prometheus""#),
        Case(
            yaml: "global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: slow\n    scrape_timeout: 20s\n",
            message: #"scrape timeout greater than scrape interval for scrape config with job name "slow""#),
        Case(yaml: "global:\n  scrape_interval: 5s\n  scrape_timeout: 6s\n", message: "global scrape timeout greater than scrape interval"),
        Case(yaml: "global:\n  scrape_timeout: 2m\n", message: "global scrape timeout greater than scrape interval"),
        Case(yaml: "scrape_configs:\n  -\n", message: "empty or null scrape config section"),
        Case(yaml: "global:\n  scrape_interval: 1.5m\n", message: #"unknown unit "." in duration "1.5m""#),
        Case(yaml: "global:\n  scrape_interval: 3x\n", message: #"unknown unit "x" in duration "3x""#),
        Case(yaml: "global:\n  scrape_interval: 10s1m\n", message: #"not a valid duration string: "10s1m""#),
        Case(yaml: "global:\n  scrape_interval: -1h\n", message: #"not a valid duration string: "-1h""#),
        Case(yaml: "global:\n  scrape_interval: \"\"\n", message: "empty duration string"),
        Case(yaml: "global:\n  scrape_interval: 300y\n", message: "duration out of range"),
        Case(yaml: "global:\n  body_size_limit: 100\n", message: "units: unknown unit  in 100"),
        Case(yaml: "global:\n  body_size_limit: 10mb\n", message: "units: unknown unit mb in 10mb"),
        Case(yaml: "global:\n  body_size_limit: MB\n", message: "units: invalid MB"),
        Case(
            yaml: "global:\n  external_labels:\n    \"\": x\n", message: #""" is not a valid label name"#),
        Case(
            yaml: "global:\n  metric_name_validation_scheme: legacy\n  external_labels:\n    my.label: x\n",
            message: #""my.label" is not a valid label name"#),
        Case(
            yaml: "global:\n  external_labels:\n    a: x\n    a: y\n",
            message: "yaml: unmarshal errors:\n  line 4: key \"a\" already set in map"),
        Case(yaml: "global:\n  scrape_protocols: []\n", message: "scrape_protocols cannot be empty for global config"),
        Case(
            yaml: "global:\n  scrape_protocols: [PrometheusProto, prometheusproto]\n",
            message: "duplicated protocol in scrape_protocols, got [PrometheusProto prometheusproto] for global config"),
        Case(
            yaml: "scrape_configs:\n  - job_name: node\n    scrape_protocols: [\"prometheusproto\"]\n",
            message: """
                scrape_protocols: unknown scrape protocol prometheusproto, supported: [OpenMetricsText0.0.1 \
                OpenMetricsText1.0.0 PrometheusProto PrometheusText0.0.4 PrometheusText1.0.0] for scrape config with job name "node"
                """),
        Case(
            yaml: "scrape_configs:\n  - job_name: node\n    fallback_scrape_protocol: text\n",
            message: """
                invalid fallback_scrape_protocol for scrape config with job name "node": unknown scrape protocol text, \
                supported: [OpenMetricsText0.0.1 OpenMetricsText1.0.0 PrometheusProto PrometheusText0.0.4 PrometheusText1.0.0]
                """),
        Case(
            yaml: "global:\n  metric_name_validation_scheme: ascii\n", message: #"unrecognized ValidationScheme: "ascii""#),
        Case(
            yaml: "scrape_configs:\n  - job_name: a\n    metric_name_validation_scheme: legacy\n    metric_name_escaping_scheme: allow-utf-8\n",
            message: "utf8 metric names requested but validation scheme is not set to UTF8"),
        Case(
            yaml: "scrape_configs:\n  - job_name: a\n    metric_name_escaping_scheme: slashes\n",
            message: """
                unknown scrape config name escaping method specified, must be one of 'allow-utf-8', 'underscores', \
                'dots', or 'values', got "slashes"
                """),
        Case(
            yaml: "global:\n  metric_name_escaping_scheme: slashes\nscrape_configs:\n  - job_name: a\n",
            message: """
                unknown global name escaping method specified, must be one of 'allow-utf-8', 'underscores', 'dots', \
                or 'values', got "slashes"
                """),
        Case(yaml: "rule_files:\n  - 'my_rule'\n  - 'my/*/rule'\n", message: #"invalid rule file path "my/*/rule""#),
        Case(yaml: "scrape_config_files:\n  - 'jobs/*/x.yml'\n", message: #"invalid scrape config file path "jobs/*/x.yml""#),
        Case(
            yaml: "scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: ['http://bad']\n",
            message: #""http://bad" is not a valid hostname"#),
        Case(yaml: "scrape_configs:\n  - job_name: a\n    static_configs:\n      -\n", message: "empty or null section in static_configs"),
        Case(
            yaml: "scrape_configs:\n  - job_name: a\n    static_configs: [~]\n    file_sd_configs: [~]\n",
            message: "empty or null section in file_sd_configs"),
        Case(
            yaml: "scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - null\n",
            message: "empty or null section in kubernetes_sd_configs"),
        Case(
            yaml: "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      -\n",
            message: "empty or null target relabeling rule in scrape config"),
        Case(
            yaml: "scrape_configs:\n  - job_name: a\n    metric_relabel_configs: [null]\n",
            message: "empty or null metric relabeling rule in scrape config"),
        Case(
            yaml: "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: null\n",
            message: "relabel action cannot be empty"),
        Case(
            yaml: "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: delete\n",
            message: #"unknown relabel action "delete""#),
        Case(
            yaml: "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - source_labels: ['']\n        target_label: x\n",
            message: #""" is not a valid label name"#),
        Case(
            yaml: "scrape_configs:\n  - job_name: a\n    static_configs:\n      - labels: {'': x}\n",
            message: #""" is not a valid label name"#),
        Case(yaml: "scrape_configs:\n  - job_name: a\n    file_sd_configs:\n      - {}\n", message: "file service discovery config must contain at least one path name"),
        Case(
            yaml: "scrape_configs:\n  - job_name: a\n    file_sd_configs:\n      - files: [targets.txt]\n",
            message: #"path name "targets.txt" is not valid for file discovery"#),
        Case(
            yaml: "scrape_configs:\n  - job_name: a\n    file_sd_configs:\n      - files: ['sd/*/targets.json']\n",
            message: #"path name "sd/*/targets.json" is not valid for file discovery"#),
        Case(yaml: "scrape_configs:\n  - job_name: a\n    http_sd_configs:\n      - refresh_interval: 1m\n", message: "URL is missing"),
        Case(
            yaml: "scrape_configs:\n  - job_name: a\n    http_sd_configs:\n      - url: ftp://sd.example/targets\n",
            message: "URL scheme must be 'http' or 'https'"),
        Case(
            yaml: "scrape_configs:\n  - job_name: a\n    http_sd_configs:\n      - url: sd.example:8080/targets\n",
            message: "URL scheme must be 'http' or 'https'"),
        Case(yaml: "scrape_configs:\n  - job_name: a\n    http_sd_configs:\n      - url: http://\n", message: "host is missing in URL"),
        Case(
            yaml: "scrape_configs:\n  - job_name: a\n    http_sd_configs:\n      - url: http://sd\n        bearer_token: x\n        bearer_token_file: y\n",
            message: "at most one of bearer_token & bearer_token_file must be configured"),
    ]

    @Test(arguments: cases)
    func rejects(_ test: Case) {
        #expect(ConfigTest.error(test.yaml) == test.message)
    }

    @Test func errorsNameTheFile() throws {
        let error = #expect(throws: ConfigError.self) {
            try PrometheusConfig.load(yaml: "scrape_configs:\n  - job_name:\n", filename: "conf/prom.yml", directory: "conf")
        }
        #expect(error?.message == "parsing YAML file conf/prom.yml: job_name is empty")
        #expect(error?.code == .invalidConfig)
    }

    @Test func aMissingFileIsAnOpenError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/absent.yml"
        let error = #expect(throws: ConfigError.self) { try PrometheusConfig.load(file: path) }
        #expect(error?.message == "open \(path): no such file or directory")
        #expect(error?.code == .unreadableFile)
    }
}
