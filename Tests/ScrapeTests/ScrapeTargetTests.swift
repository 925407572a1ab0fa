// Targets built as Prometheus's PopulateLabels builds them, and the request Prometheus 3 sends.

import MetricModel
@testable import Scrape
import Testing

@Suite struct ScrapeTargetTests {
    func config() -> ScrapeConfig {
        var config = ScrapeConfig(jobName: "node", scrapeIntervalMs: 15_000, scrapeTimeoutMs: 10_000)
        config.params = [(name: "module", values: ["http_2xx", "second"]), (name: "a b", values: ["x&y"])]
        return config
    }

    @Test func labelsDefaultsAndURL() throws {
        let built = config().targets(from: TargetGroup(targets: ["h:9100"], labels: Labels(["dc": "eu"]), source: "0"))
        #expect(built.errors.isEmpty && built.dropped.isEmpty)
        let target = try #require(built.active.first)
        #expect(target.sampleLabels == Labels(["dc": "eu", "instance": "h:9100", "job": "node"]))
        #expect(target.labels["__param_module"] == "http_2xx")
        #expect(target.labels["__scrape_interval__"] == "15s")
        #expect(target.intervalMs == 15_000 && target.timeoutMs == 10_000)
        // Params sorted by name and query-escaped; __param_ labels replace the first value only.
        #expect(target.url == "http://h:9100/metrics?a+b=x%26y&module=http_2xx&module=second")
        #expect(target.discoveredLabels["__address__"] == "h:9100")
        #expect(target.discoveredLabels["instance"] == nil)
    }

    @Test func groupLabelsOverrideDefaults() throws {
        let group = TargetGroup(
            targets: ["h:1"],
            labels: Labels(["instance": "custom", "__scheme__": "https", "__metrics_path__": "/probe", "__scrape_interval__": "30s", "__scrape_timeout__": "5s"]),
            source: "0")
        let target = try #require(config().targets(from: group).active.first)
        #expect(target.sampleLabels["instance"] == "custom")
        #expect(target.url.hasPrefix("https://h:1/probe?"))
        #expect(target.intervalMs == 30_000 && target.timeoutMs == 5_000)
    }

    @Test func badTargetsGiveErrorsWithPrometheusWording() {
        func error(_ labels: [String: String], address: String = "h:1") -> String? {
            config().targets(from: TargetGroup(targets: [address], labels: Labels(labels), source: "file.yml")).errors.first
        }
        #expect(error(["__scrape_timeout__": "20s"]) == #"instance 0 in group file.yml: scrape timeout cannot be greater than scrape interval ("20s" > "15s")"#)
        #expect(error(["__scrape_interval__": "0"]) == "instance 0 in group file.yml: scrape interval cannot be 0")
        #expect(error(["__scrape_interval__": "soon"]) == #"instance 0 in group file.yml: error parsing scrape interval: not a valid duration string: "soon""#)
        #expect(error([:], address: "http://h:1/metrics") == #"instance 0 in group file.yml: "http://h:1/metrics" is not a valid hostname"#)
    }

    @Test func acceptHeaderIsPrometheus3s() {
        #expect(HTTPScraper.acceptHeader(ScrapeProtocol.defaults, escaping: "allow-utf-8")
            == "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2")
        #expect(HTTPScraper.seconds(10_000) == "10" && HTTPScraper.seconds(2_500) == "2.5" && HTTPScraper.seconds(1_005) == "1.005")
    }

    @Test func basicAuthBase64() {
        #expect(Base64.encode(Array("user:pass".utf8)) == "dXNlcjpwYXNz")
        #expect(Base64.encode(Array("a".utf8)) == "YQ==")
        #expect(Base64.encode(Array("ab".utf8)) == "YWI=")
        #expect(Base64.encode([]) == "")
    }
}
