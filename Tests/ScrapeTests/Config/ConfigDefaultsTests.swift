// Defaults and inheritance from `global:`, as Prometheus 3 fills them in.

import Foundation
import MetricModel
import Scrape
import Testing

@Suite struct ConfigDefaultsTests {
    @Test(arguments: ["", "# only a comment\n", "global:\n", "global: {}\n", "scrape_configs:\n", "scrape_configs: []\n"])
    func emptyConfigHasPrometheusDefaults(text: String) throws {
        let config = try ConfigTest.load(text)
        #expect(config.global == GlobalConfig())
        #expect(config.global.scrapeIntervalMs == 60_000)
        #expect(config.global.scrapeTimeoutMs == 10_000)
        #expect(config.global.evaluationIntervalMs == 60_000)
        #expect(config.global.scrapeProtocols == ScrapeProtocol.defaults)
        #expect(config.global.metricNameEscapingScheme == "allow-utf-8")
        #expect(config.scrapeConfigs.isEmpty)
        #expect(config.notYetSupported.isEmpty)
        #expect(config.source == text)
    }

    @Test func scrapeConfigDefaults() throws {
        let config = try ConfigTest.load("scrape_configs:\n  - job_name: node\n")
        let job = try #require(config.scrapeConfigs.first)
        #expect(job.jobName == "node")
        #expect(job.scrapeIntervalMs == 60_000)
        #expect(job.scrapeTimeoutMs == 10_000)
        #expect(job.metricsPath == "/metrics")
        #expect(job.scheme == "http")
        #expect(job.honorLabels == false)
        #expect(job.honorTimestamps == true)
        #expect(job.trackTimestampsStaleness == false)
        #expect(job.enableCompression == true)
        #expect(job.limits == ScrapeLimits())
        #expect(job.scrapeProtocols == ScrapeProtocol.defaults)
        #expect(job.fallbackScrapeProtocol == nil)
        #expect(job.httpClient == HTTPClientConfig())
        #expect(job.httpClient.followRedirects && job.httpClient.enableHTTP2)
        #expect(job.metricNameValidationScheme == .utf8)
        #expect(job.metricNameEscapingScheme == "allow-utf-8")
        #expect(job.relabelConfigs.isEmpty && job.metricRelabelConfigs.isEmpty)
    }

    @Test func scrapeConfigInheritsGlobalIntervalTimeoutAndLimits() throws {
        let config = try ConfigTest.load("""
            global:
              scrape_interval: 15s
              scrape_timeout: 5s
              evaluation_interval: 30s
              body_size_limit: 15MB
              sample_limit: 1500
              target_limit: 30
              label_limit: 31
              label_name_length_limit: 200
              label_value_length_limit: 201
              keep_dropped_targets: 7
              scrape_failure_log_file: fail.log
            scrape_configs:
              - job_name: inherits
              - job_name: overrides
                scrape_interval: 50s
                scrape_timeout: 20s
                sample_limit: 10
                body_size_limit: 1KiB
                native_histogram_bucket_limit: 160
            """)
        #expect(config.global.evaluationIntervalMs == 30_000)
        let inherits = config.scrapeConfigs[0]
        #expect(inherits.scrapeIntervalMs == 15_000)
        #expect(inherits.scrapeTimeoutMs == 5_000)
        #expect(inherits.limits.bodySizeLimit == 15 * 1024 * 1024)
        #expect(inherits.limits.sampleLimit == 1500)
        #expect(inherits.limits.targetLimit == 30)
        #expect(inherits.limits.labelLimit == 31)
        #expect(inherits.limits.labelNameLengthLimit == 200)
        #expect(inherits.limits.labelValueLengthLimit == 201)
        #expect(inherits.limits.keepDroppedTargets == 7)
        #expect(inherits.scrapeFailureLogFile == "/etc/prometheus/fail.log")
        let overrides = config.scrapeConfigs[1]
        #expect(overrides.scrapeIntervalMs == 50_000)
        #expect(overrides.scrapeTimeoutMs == 20_000)
        #expect(overrides.limits.sampleLimit == 10)
        #expect(overrides.limits.bodySizeLimit == 1024)
        #expect(overrides.limits.targetLimit == 30)
        #expect(overrides.limits.nativeHistogramBucketLimit == 160)
    }

    @Test func defaultTimeoutIsClampedToAShortInterval() throws {
        let config = try ConfigTest.load("""
            global:
              scrape_interval: 5s
            scrape_configs:
              - job_name: fast
                scrape_interval: 2s
              - job_name: global
            """)
        #expect(config.global.scrapeTimeoutMs == 5_000)
        #expect(config.scrapeConfigs[0].scrapeTimeoutMs == 2_000)
        #expect(config.scrapeConfigs[1].scrapeTimeoutMs == 5_000)
    }

    @Test func timeoutMayEqualTheInterval() throws {
        let config = try ConfigTest.load("global:\n  scrape_timeout: 1h\n  scrape_interval: 1h\n")
        #expect(config.global.scrapeIntervalMs == 3_600_000)
        #expect(config.global.scrapeTimeoutMs == 3_600_000)
    }

    @Test func globalTimeoutIsNotClampedByAScrapeConfigsLongerInterval() throws {
        // A job's own interval above the global timeout keeps the global timeout.
        let config = try ConfigTest.load("""
            global:
              scrape_interval: 15s
              scrape_timeout: 15s
            scrape_configs:
              - job_name: prometheus
                scrape_interval: 5s
            """)
        #expect(config.scrapeConfigs[0].scrapeTimeoutMs == 5_000)
    }

    @Test func scrapeProtocolsAndHistogramSettingsInherit() throws {
        let config = try ConfigTest.load("""
            global:
              scrape_protocols: [PrometheusText0.0.4]
              convert_classic_histograms_to_nhcb: true
              extra_scrape_metrics: true
            scrape_configs:
              - job_name: inherits
              - job_name: own
                scrape_protocols: [PrometheusProto, OpenMetricsText1.0.0]
                fallback_scrape_protocol: PrometheusText0.0.4
                convert_classic_histograms_to_nhcb: false
                extra_scrape_metrics: false
            """)
        #expect(config.global.scrapeProtocols == [.prometheusText0_0_4])
        let inherits = config.scrapeConfigs[0]
        #expect(inherits.scrapeProtocols == [.prometheusText0_0_4])
        #expect(inherits.convertClassicHistogramsToNHCB)
        #expect(inherits.extraScrapeMetrics)
        let own = config.scrapeConfigs[1]
        #expect(own.scrapeProtocols == [.prometheusProto, .openMetricsText1_0_0])
        #expect(own.fallbackScrapeProtocol == .prometheusText0_0_4)
        #expect(!own.convertClassicHistogramsToNHCB)
        #expect(!own.extraScrapeMetrics)
    }

    @Test func nativeHistogramsPutProtobufFirst() throws {
        let config = try ConfigTest.load("""
            global:
              scrape_native_histograms: true
            scrape_configs:
              - job_name: inherits
              - job_name: off
                scrape_native_histograms: false
            """)
        #expect(config.scrapeConfigs[0].scrapeNativeHistograms)
        #expect(config.scrapeConfigs[0].scrapeProtocols == [.prometheusProto] + ScrapeProtocol.defaults)
        #expect(!config.scrapeConfigs[1].scrapeNativeHistograms)
        #expect(config.scrapeConfigs[1].scrapeProtocols == ScrapeProtocol.defaults)
    }

    @Test func legacyValidationInfersUnderscoreEscaping() throws {
        let config = try ConfigTest.load("""
            global:
              metric_name_validation_scheme: legacy
            scrape_configs:
              - job_name: inherits
              - job_name: utf8
                metric_name_validation_scheme: utf8
            """)
        #expect(config.global.metricNameValidationScheme == .legacy)
        #expect(config.scrapeConfigs[0].metricNameValidationScheme == .legacy)
        #expect(config.scrapeConfigs[0].metricNameEscapingScheme == "underscores")
        #expect(config.scrapeConfigs[1].metricNameValidationScheme == .utf8)
        #expect(config.scrapeConfigs[1].metricNameEscapingScheme == "allow-utf-8")
    }

    @Test func scrapeConfigOptionsAreRead() throws {
        let config = try ConfigTest.load("""
            scrape_configs:
              - job_name: federate
                honor_labels: true
                honor_timestamps: false
                track_timestamps_staleness: true
                enable_compression: false
                metrics_path: /federate
                scheme: https
                params:
                  'match[]': ['{job="a"}', '{job="b"}']
                  format: [prometheus]
                native_histogram_min_bucket_factor: 1.1
            """)
        let job = config.scrapeConfigs[0]
        #expect(job.honorLabels && !job.honorTimestamps && job.trackTimestampsStaleness && !job.enableCompression)
        #expect(job.metricsPath == "/federate")
        #expect(job.scheme == "https")
        #expect(job.params.map(\.name) == ["match[]", "format"])
        #expect(job.params.map(\.values) == [[#"{job="a"}"#, #"{job="b"}"#], ["prometheus"]])
        #expect(job.nativeHistogramMinBucketFactor == 1.1)
    }

    @Test func nullValuesAreGoZeroValues() throws {
        // go-yaml sets a field given as null to its zero value, so these are false/empty, not defaults.
        let config = try ConfigTest.load("""
            scrape_configs:
              - job_name: zero
                honor_timestamps:
                enable_compression: ~
                metrics_path: null
                scrape_interval:
            """)
        let job = config.scrapeConfigs[0]
        #expect(!job.honorTimestamps)
        #expect(!job.enableCompression)
        #expect(job.metricsPath == "")
        #expect(job.scrapeIntervalMs == 60_000)
    }

    @Test func yamlOneOneBooleansAndAnchorsWork() throws {
        let config = try ConfigTest.load("""
            scrape_configs:
              - &base
                job_name: a
                honor_labels: yes
                scrape_interval: 30s
              - <<: *base
                job_name: b
                honor_labels: off
            """)
        #expect(config.scrapeConfigs.map(\.jobName) == ["a", "b"])
        #expect(config.scrapeConfigs[0].honorLabels)
        #expect(!config.scrapeConfigs[1].honorLabels)
        #expect(config.scrapeConfigs[1].scrapeIntervalMs == 30_000)
    }

    @Test func externalLabelsExpandEnvironmentVariables() throws {
        let text = try String(contentsOfFile: try ConfigFixtures.testdata("external_labels.good.yml"), encoding: .utf8)
        let config = try ConfigTest.load(text, environment: ["TEST": "TestValue"])
        #expect(config.global.externalLabels == Labels([
            ("bar", "foo"), ("foo", "TestValue"), ("baz", "fooTestValuebar"), ("qux", "foo${TEST}"), ("xyz", "foo$bar"),
        ]))
    }

    @Test func ruleFilesAndLogFilesResolveAgainstTheConfigDirectory() throws {
        let config = try ConfigTest.load("""
            global:
              query_log_file: query.log
            rule_files:
              - first.rules
              - my/*.rules
              - /abs/other.rules
              - ../up/./x.rules
            """)
        #expect(config.ruleFiles == ["/etc/prometheus/first.rules", "/etc/prometheus/my/*.rules", "/abs/other.rules", "/etc/up/x.rules"])
        #expect(config.global.queryLogFile == "/etc/prometheus/query.log")
    }
}
