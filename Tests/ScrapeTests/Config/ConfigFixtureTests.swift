// Prometheus's own config test files (Tests/Fixtures/prometheus-config): the good ones load
// with the values Prometheus's config_test.go expects, the bad ones fail with its messages.

import Foundation
import MetricModel
import Relabel
import Scrape
import Testing

@Suite struct ConfigFixtureTests {
    @Test func confGoodLoads() throws {
        let path = try ConfigFixtures.testdata("conf.good.yml")
        let directory = (path as NSString).deletingLastPathComponent
        let config = try PrometheusConfig.load(file: path)

        #expect(config.global.scrapeIntervalMs == 15_000)
        #expect(config.global.scrapeTimeoutMs == 10_000)
        #expect(config.global.evaluationIntervalMs == 30_000)
        #expect(config.global.limits.bodySizeLimit == 15 * 1024 * 1024)
        #expect(config.global.limits.sampleLimit == 1500)
        #expect(config.global.limits.targetLimit == 30)
        #expect(config.global.limits.labelLimit == 30)
        #expect(config.global.limits.labelNameLengthLimit == 200)
        #expect(config.global.limits.labelValueLengthLimit == 200)
        #expect(config.global.queryLogFile == directory + "/query.log")
        #expect(config.global.scrapeFailureLogFile == directory + "/fail.log")
        #expect(config.global.externalLabels == Labels([("monitor", "codelab"), ("foo", "bar")]))
        #expect(config.ruleFiles == [directory + "/first.rules", directory + "/my/*.rules"])
        #expect(config.scrapeConfigs.count == 34)

        let prometheus = try #require(config.scrapeConfigs.first { $0.jobName == "prometheus" })
        #expect(prometheus.honorLabels)
        #expect(prometheus.scrapeIntervalMs == 15_000 && prometheus.scrapeTimeoutMs == 10_000)
        #expect(prometheus.fallbackScrapeProtocol == .prometheusText0_0_4)
        #expect(prometheus.scrapeFailureLogFile == directory + "/fail_prom.log")
        #expect(prometheus.limits.sampleLimit == 1500 && prometheus.limits.bodySizeLimit == 15 * 1024 * 1024)
        #expect(prometheus.fileSDConfigs.map(\.files) == [
            [directory + "/foo/*.slow.json", directory + "/foo/*.slow.yml", directory + "/single/file.yml"],
            [directory + "/bar/*.yaml"],
        ])
        #expect(prometheus.fileSDConfigs.map(\.refreshIntervalMs) == [600_000, 300_000])
        #expect(prometheus.staticConfigs == [
            TargetGroup(targets: ["localhost:9090", "localhost:9191"], labels: Labels([("my", "label"), ("your", "label")]), source: "0"),
        ])
        #expect(prometheus.relabelConfigs.map(\.action) == [.replace, .replace, .replace, .replace, .keepequal, .dropequal])
        #expect(prometheus.relabelConfigs[0].sourceLabels == ["job", "__meta_dns_name"])
        #expect(prometheus.relabelConfigs[0].regexPattern == "(.*)some-[regex]")
        #expect(prometheus.relabelConfigs[0].replacement == "foo-${1}")
        #expect(prometheus.relabelConfigs[3].regexPattern == "", "a null regex is the empty regex, as in Prometheus")
        #expect(prometheus.httpClient.authorization == Authorization(credentials: .file(directory + "/valid_token_file")))
        #expect(prometheus.httpClient.tls.minVersion == "TLS10")

        let serviceX = try #require(config.scrapeConfigs.first { $0.jobName == "service-x" })
        #expect(serviceX.httpClient.basicAuth == BasicAuth(username: "admin_name", password: .inline("multiline\nmysecret\ntest")))
        #expect(serviceX.scrapeIntervalMs == 50_000 && serviceX.scrapeTimeoutMs == 5_000)
        #expect(serviceX.scrapeProtocols == [.prometheusText0_0_4])
        #expect(serviceX.limits.bodySizeLimit == 10 * 1024 * 1024)
        #expect(serviceX.limits.sampleLimit == 1000 && serviceX.limits.targetLimit == 35 && serviceX.limits.labelLimit == 35)
        #expect(serviceX.limits.labelNameLengthLimit == 210 && serviceX.limits.labelValueLengthLimit == 210)
        #expect(serviceX.metricsPath == "/my_path" && serviceX.scheme == "https")
        #expect(serviceX.relabelConfigs.map(\.action) == [.drop, .hashmod, .keep, .labelmap, .labeldrop, .labelkeep])
        #expect(serviceX.relabelConfigs[1].modulus == 8)
        #expect(serviceX.metricRelabelConfigs.map(\.regexPattern) == ["expensive_metric.*"])

        let serviceZ = try #require(config.scrapeConfigs.first { $0.jobName == "service-z" })
        #expect(serviceZ.httpClient.tls.certFile == directory + "/valid_cert_file")
        #expect(serviceZ.httpClient.authorization == Authorization(credentials: .inline("mysecret")))
        #expect(config.scrapeConfigs.first { $0.jobName == "badfederation" }?.honorTimestamps == false)
        #expect(config.scrapeConfigs.contains { $0.jobName == "測試" })
        #expect(config.scrapeConfigs.first { $0.jobName == "httpsd" }?.httpSDConfigs.map(\.url) == ["http://example.com/prometheus"])

        // Every other discovery kind is accepted and listed, as are the other top-level sections.
        for expected in [
            "runtime", "otlp", "storage", "tracing: compression (spans are sent uncompressed)", #"remote_write "drop_expensive": oauth2"#,
            #"scrape config "prometheus": http_headers"#, #"scrape config "service-x": dns_sd_configs"#,
            #"scrape config "service-y": consul_sd_configs"#, #"scrape config "service-kubernetes": kubernetes_sd_configs"#,
            #"scrape config "service-kuma": kuma_sd_configs"#, #"scrape config "service-ec2": ec2_sd_configs"#,
            #"scrape config "service-nerve": nerve_sd_configs"#, #"scrape config "outscale": outscale_sd_configs"#,
        ] {
            #expect(config.notYetSupported.contains(expected), "\(expected)")
        }
        #expect(!config.notYetSupported.contains("remote_write") && !config.notYetSupported.contains("alerting"))
        // `tracing:` as config_test.go expects it, files joined with the config's directory.
        #expect(config.tracing.endpoint == "localhost:4317" && config.tracing.clientType == .grpc)
        #expect(config.tracing.headers.map { "\($0.name)=\($0.value)" } == ["foo=bar"])
        #expect(config.tracing.timeoutMs == 5_000 && config.tracing.compression == "gzip" && !config.tracing.insecure)
        #expect(config.tracing.tls.certFile == directory + "/valid_cert_file" && config.tracing.tls.insecureSkipVerify)
        // The two remote_write entries, as Prometheus's config_test.go reads them.
        #expect(config.remoteWrite.map(\.url) == ["http://remote1/push", "http://remote2/push"])
        #expect(config.remoteWrite.map(\.name) == ["drop_expensive", "rw_tls"])
        #expect(config.remoteWrite[0].writeRelabelConfigs.count == 1)
        #expect(config.remoteWrite[1].protobufMessage == "io.prometheus.write.v2.Request")
        #expect(config.remoteWrite[1].headers.map(\.name) == ["name"])
        #expect(config.remoteWrite[1].httpClient.tls.certFile?.hasSuffix("/valid_cert_file") == true)
        #expect(config.remoteWrite[0].queue == QueueConfig())
        #expect(config.remoteWrite[0].remoteTimeoutMs == 30_000)
        #expect(config.remoteRead.map(\.url) == ["http://remote1/read", "http://remote3/read"])
        #expect(config.remoteRead[0].readRecent && !config.remoteRead[1].readRecent)
        #expect(config.remoteRead[1].requiredMatchers.map { "\($0.name)=\($0.value)" } == ["job=special"])
        #expect(config.remoteRead[0].remoteTimeoutMs == 60_000 && config.remoteRead[0].filterExternalLabels)
    }

    @Test func documentationExampleLoads() throws {
        let root = try #require(ConfigFixtures.root)
        let config = try PrometheusConfig.load(file: root + "/documentation-examples-prometheus.yml")
        #expect(config.global.scrapeIntervalMs == 15_000)
        #expect(config.global.evaluationIntervalMs == 15_000)
        #expect(config.global.scrapeTimeoutMs == 10_000)
        #expect(config.ruleFiles.isEmpty)
        #expect(config.notYetSupported.isEmpty)
        #expect(config.alerting.alertmanagers.map(\.staticConfigs) == [[TargetGroup(targets: [], source: "0")]])
        let job = try #require(config.scrapeConfigs.first)
        #expect(job.jobName == "prometheus")
        #expect(job.staticConfigs == [TargetGroup(targets: ["localhost:9090"], labels: Labels([("app", "prometheus")]), source: "0")])
        #expect(job.scrapeNativeHistograms)
        #expect(job.scrapeProtocols.first == .prometheusProto)
    }

    @Test(arguments: [
        ("jobname.bad.yml", "job_name is empty"),
        ("jobname_dup.bad.yml", #"found multiple scrape configs with job name "prometheus""#),
        ("scrape_interval.bad.yml", #"scrape timeout greater than scrape interval for scrape config with job name "prometheus""#),
        ("labelname.bad.yml", #""\xff" is not a valid label name"#),
        ("labelvalue.bad.yml", #""\xff" is not a valid label value"#),
        ("regex.bad.yml", "error parsing regexp"),
        ("modulus_missing.bad.yml", "relabel configuration for hashmod requires non-zero modulus"),
        ("labelkeep.bad.yml", "labelkeep action requires only 'regex', and no other fields"),
        ("labelkeep2.bad.yml", "labelkeep action requires only 'regex', and no other fields"),
        ("labelkeep3.bad.yml", "labelkeep action requires only 'regex', and no other fields"),
        ("labelkeep4.bad.yml", "labelkeep action requires only 'regex', and no other fields"),
        ("labelkeep5.bad.yml", "labelkeep action requires only 'regex', and no other fields"),
        ("labeldrop.bad.yml", "labeldrop action requires only 'regex', and no other fields"),
        ("labeldrop2.bad.yml", "labeldrop action requires only 'regex', and no other fields"),
        ("labeldrop3.bad.yml", "labeldrop action requires only 'regex', and no other fields"),
        ("labeldrop4.bad.yml", "labeldrop action requires only 'regex', and no other fields"),
        ("labeldrop5.bad.yml", "labeldrop action requires only 'regex', and no other fields"),
        ("dropequal.bad.yml", "relabel configuration for dropequal action requires 'target_label' value"),
        ("dropequal1.bad.yml", "dropequal action requires only 'source_labels' and `target_label`, and no other fields"),
        ("keepequal.bad.yml", "relabel configuration for keepequal action requires 'target_label' value"),
        ("keepequal1.bad.yml", "keepequal action requires only 'source_labels' and `target_label`, and no other fields"),
        ("labelmap.bad.yml", "!!binary value contains invalid base64 data"),
        ("lowercase.bad.yml", "relabel configuration for lowercase action requires 'target_label' value"),
        ("lowercase3.bad.yml", "'replacement' can not be set for lowercase action"),
        ("uppercase.bad.yml", "relabel configuration for uppercase action requires 'target_label' value"),
        ("uppercase3.bad.yml", "'replacement' can not be set for uppercase action"),
        ("rules.bad.yml", "invalid rule file path"),
        ("unknown_attr.bad.yml", "field consult_sd_configs not found in type config.ScrapeConfig"),
        ("bearertoken.bad.yml", "at most one of bearer_token & bearer_token_file must be configured"),
        ("bearertoken_basicauth.bad.yml", "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured"),
        ("url_in_targetgroup.bad.yml", "\"http://bad\" is not a valid hostname"),
        ("target_label_missing.bad.yml", "relabel configuration for replace action requires 'target_label' value"),
        ("target_label_hashmod_missing.bad.yml", "relabel configuration for hashmod action requires 'target_label' value"),
        ("unknown_global_attr.bad.yml", "field nonexistent_field not found in type config.plain"),
        ("section_key_dup.bad.yml", "field scrape_configs already set in type config.plain"),
        ("empty_scrape_config.bad.yml", "empty or null scrape config section"),
        ("empty_target_relabel_config.bad.yml", "empty or null target relabeling rule"),
        ("empty_metric_relabel_config.bad.yml", "empty or null metric relabeling rule"),
        ("empty_static_config.bad.yml", "empty or null section in static_configs"),
        ("scrape_body_size_limit.bad.yml", "units: unknown unit  in 100"),
        ("http_url_no_scheme.bad.yml", "URL scheme must be 'http' or 'https'"),
        ("http_url_no_host.bad.yml", "host is missing in URL"),
        ("http_token_file.bad.yml", "at most one of bearer_token & bearer_token_file must be configured"),
        ("http_url_bad_scheme.bad.yml", "URL scheme must be 'http' or 'https'"),
        ("empty_scrape_config_action.bad.yml", "relabel action cannot be empty"),
        ("scrape_config_files_glob.bad.yml", #"invalid scrape config file path "scrape_configs/*/*""#),
        ("scrape_config_files_scrape_protocols.bad.yml", """
            scrape_protocols: unknown scrape protocol prometheusproto, supported: [OpenMetricsText0.0.1 OpenMetricsText1.0.0 \
            PrometheusProto PrometheusText0.0.4 PrometheusText1.0.0] for scrape config with job name "node"
            """),
        ("scrape_config_files_scrape_protocols2.bad.yml", """
            duplicated protocol in scrape_protocols, got [OpenMetricsText1.0.0 PrometheusProto OpenMetricsText1.0.0] \
            for scrape config with job name "node"
            """),
        ("scrape_config_files_fallback_scrape_protocol1.bad.yml", """
            invalid fallback_scrape_protocol for scrape config with job name "node": unknown scrape protocol prometheusproto, \
            supported: [OpenMetricsText0.0.1 OpenMetricsText1.0.0 PrometheusProto PrometheusText0.0.4 PrometheusText1.0.0]
            """),
        ("scrape_config_files_fallback_scrape_protocol2.bad.yml", "unmarshal errors"),
        ("scrape_config_utf8_conflicting.bad.yml", "utf8 metric names requested but validation scheme is not set to UTF8"),
        ("metric_name_validation_scheme.bad.yml", #"unrecognized ValidationScheme: "invalid_scheme""#),
    ])
    func badFileFailsAsInPrometheus(file: String, message: String) throws {
        let error = try #require(try ConfigFixtures.error(file))
        #expect(error.message.contains(message), "\(error.message)")
        #expect(error.message.hasPrefix("parsing YAML file \(try ConfigFixtures.testdata(file)): "))
    }

    @Test(arguments: ["global_timeout.good.yml", "scrape_interval_larger.good.yml", "scrape_config_files_only.good.yml"])
    func goodFileLoads(file: String) throws {
        _ = try PrometheusConfig.load(file: try ConfigFixtures.testdata(file))
    }

    @Test func scrapeConfigFilesAreReadIn() throws {
        let path = try ConfigFixtures.testdata("scrape_config_files_combined.good.yml")
        let directory = (path as NSString).deletingLastPathComponent
        let config = try PrometheusConfig.load(file: path)
        #expect(config.scrapeConfigFiles == [directory + "/scrape_config_files.good.yml", directory + "/scrape_config_files2.good.yml"])
        #expect(config.scrapeConfigs.map(\.jobName) == ["node", "prometheus", "alertmanager"])

        let glob = try PrometheusConfig.load(file: try ConfigFixtures.testdata("scrape_config_files_glob.good.yml"))
        let tls = try #require(glob.scrapeConfigs.first { $0.jobName == "prometheus" }?.httpClient.tls)
        #expect(tls.certFile == directory + "/scrape_configs/valid_cert_file", "paths resolve against the scrape config file")
    }

    @Test(arguments: [
        ("scrape_config_files_double_import.bad.yml", #"found multiple scrape configs with job name "prometheus", first found in "#),
        ("scrape_config_files_duplicate.bad.yml", #"found multiple scrape configs with job name "prometheus", first found in main config file"#),
        ("scrape_config_files_global.bad.yml", #"scrape timeout greater than scrape interval for scrape config with job name "prometheus""#),
        ("scrape_config_files_global_duplicate.bad.yml", #"found multiple scrape configs with job name "prometheus""#),
    ])
    func badScrapeConfigFileNamesTheFile(file: String, message: String) throws {
        let error = try #require(try ConfigFixtures.error(file))
        #expect(error.code == .invalidScrapeConfigFile)
        #expect(error.message.hasPrefix("\"" + (try ConfigFixtures.testdata("scrape_config_files")) ), "\(error.message)")
        #expect(error.message.contains(message), "\(error.message)")
    }
}
