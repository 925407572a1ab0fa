// Which Alertmanagers a notifier sends to (Prometheus's `AlertmanagerFromGroup` and
// `alertmanagerSet.sync`): URLs from scheme, address and path prefix, relabeling that changes
// or drops them, deduplication, file service discovery and reloads.

import Foundation
import MetricModel
import Rules
import Scrape
import Synchronization
import Testing

@Suite struct NotifierDiscoveryTests {
    @Test func staticTargetsAreKnownAtOnce() throws {
        let notifier = try NotifierTest.notifier("""
            alerting:
              alertmanagers:
                - static_configs: [{targets: ['am1:9093', 'am2:9093', 'am1:9093']}]
                - scheme: https
                  path_prefix: /prefix/with spaces/
                  static_configs: [{targets: ['am3:443']}]
                - path_prefix: ../a/./b/..
                  static_configs: [{targets: ['am4:9093']}]
            """)
        let found = notifier.alertmanagers()
        #expect(found.active == [
            "http://am1:9093/api/v2/alerts", "http://am2:9093/api/v2/alerts",
            "https://am3:443/prefix/with%20spaces/api/v2/alerts", "http://am4:9093/a/api/v2/alerts",
        ])
        #expect(found.dropped.isEmpty)
        #expect(notifier.metrics.alertmanagersDiscovered.load(ordering: .relaxed) == 4)
        #expect(notifier.metrics.sent("http://am2:9093/api/v2/alerts") == 0, "discovered Alertmanagers start at 0")
        #expect(notifier.metrics.errors("http://am2:9093/api/v2/alerts") == 0)
    }

    @Test func relabelingChangesAndDropsAlertmanagers() throws {
        let notifier = try NotifierTest.notifier("""
            alerting:
              alertmanagers:
                - static_configs:
                    - targets: ['am1:9093', 'am2:9093']
                      labels: {dc: eu, __scheme__: https}
                    - targets: ['am3:9093']
                      labels: {dc: us}
                  relabel_configs:
                    - {source_labels: [dc], regex: us, action: drop}
                    - {source_labels: [__address__], regex: 'am2:9093', target_label: __alerts_path__, replacement: /custom}
                    - {source_labels: [__address__], regex: '(.*):9093', target_label: __address__, replacement: '${1}.internal:9093'}
            """)
        let found = notifier.alertmanagers()
        #expect(found.active == ["https://am1.internal:9093/api/v2/alerts", "https://am2.internal:9093/custom"])
        #expect(found.dropped == ["http://am3:9093/api/v2/alerts"], "dropped ones keep the labels they had before relabeling")
    }

    /// Relabeling that leaves a URL as the address makes the group unusable, as in Prometheus;
    /// the other groups still count.
    @Test func groupWithURLAddressIsSkipped() throws {
        let notifier = try NotifierTest.notifier("""
            alerting:
              alertmanagers:
                - static_configs:
                    - targets: ['bad']
                    - targets: ['good:9093']
                  relabel_configs:
                    - {source_labels: [__address__], regex: bad, target_label: __address__, replacement: 'http://bad'}
            """)
        #expect(notifier.alertmanagers().active == ["http://good:9093/api/v2/alerts"])
    }

    @Test func fileDiscoveryPicksUpNewAlertmanagers() async throws {
        let directory = NSTemporaryDirectory() + "sugarmill-notifier-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("- targets: ['am1:9093']\n".utf8).write(to: URL(fileURLWithPath: directory + "/am.yml"))
        let notifier = Notifier(options: NotifierOptions())
        try notifier.applyConfig(try NotifierTest.alerting("""
            alerting:
              alertmanagers:
                - file_sd_configs: [{files: ['am.yml'], refresh_interval: 100ms}]
                  relabel_configs:
                    - {source_labels: [__meta_filepath], regex: '.*/am.yml', target_label: __alerts_path__, replacement: /from-file}
            """, directory: directory), externalLabels: .empty)
        #expect(notifier.alertmanagers().active.isEmpty, "file SD is read by run()")
        try await NotifierTest.running(notifier) {
            #expect(await NotifierTest.eventually { notifier.alertmanagers().active == ["http://am1:9093/from-file"] })
            try Data("- targets: ['am1:9093', 'am2:9093']\n".utf8).write(to: URL(fileURLWithPath: directory + "/am.yml"))
            #expect(await NotifierTest.eventually { notifier.alertmanagers().active.count == 2 })
            #expect(notifier.alertmanagers().active.last == "http://am2:9093/from-file")
            #expect(notifier.metrics.alertmanagersDiscovered.load(ordering: .relaxed) == 2)
            try Data("- targets: ['am2:9093']\n".utf8).write(to: URL(fileURLWithPath: directory + "/am.yml"))
            #expect(await NotifierTest.eventually { notifier.alertmanagers().active == ["http://am2:9093/from-file"] })
            #expect(notifier.metrics.sent("http://am1:9093/from-file") == nil, "a removed Alertmanager loses its series")
        }
    }

    @Test func reloadKeepsUnchangedSetsAndReplacesOthers() throws {
        let yaml = """
            alerting:
              alertmanagers:
                - static_configs: [{targets: ['am1:9093']}]
                - static_configs: [{targets: ['am2:9093']}]
            """
        let notifier = try NotifierTest.notifier(yaml)
        try notifier.applyConfig(try NotifierTest.alerting("""
            alerting:
              alertmanagers:
                - static_configs: [{targets: ['am1:9093']}]
                - static_configs: [{targets: ['am3:9093']}]
            """), externalLabels: .empty)
        #expect(notifier.alertmanagers().active == ["http://am1:9093/api/v2/alerts", "http://am3:9093/api/v2/alerts"])
        #expect(notifier.metrics.sent("http://am2:9093/api/v2/alerts") == nil)
        #expect(notifier.metrics.sent("http://am3:9093/api/v2/alerts") == 0)
        try notifier.applyConfig(AlertingConfig(), externalLabels: .empty)
        #expect(notifier.alertmanagers().active.isEmpty)
        #expect(notifier.metrics.alertmanagersDiscovered.load(ordering: .relaxed) == 0)
    }

    @Test func unusableTLSFilesFailTheConfig() throws {
        let notifier = Notifier(options: NotifierOptions())
        let config = try NotifierTest.alerting("""
            alerting:
              alertmanagers:
                - tls_config: {cert_file: /nonexistent/cert.pem, key_file: /nonexistent/key.pem}
                  static_configs: [{targets: ['am:9093']}]
            """)
        #expect(throws: NotifierError.self) { try notifier.applyConfig(config, externalLabels: .empty) }
        #expect(notifier.alertmanagers().active.isEmpty)
    }
}
