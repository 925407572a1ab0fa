// Helpers for the config tests: loading text with a fixed directory and environment.

import Scrape
import Testing

enum ConfigTest {
    /// Loads `yaml` as `prometheus.yml` in `/etc/prometheus`, with `environment` for `${VAR}`.
    static func load(_ yaml: String, environment: [String: String] = [:]) throws(ConfigError) -> PrometheusConfig {
        try PrometheusConfig.load(
            yaml: yaml, filename: "prometheus.yml", directory: "/etc/prometheus", environment: { environment[$0] })
    }

    /// The error message of loading `yaml`, without the "parsing YAML file prometheus.yml: " prefix.
    static func error(_ yaml: String) -> String? {
        do {
            _ = try load(yaml)
            return nil
        } catch {
            let prefix = "parsing YAML file prometheus.yml: "
            return error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message
        }
    }
}

import Foundation

/// `Tests/Fixtures/prometheus-config`: config files from Prometheus's repository.
enum ConfigFixtures {
    /// Found by walking up from this source file (symlinks resolved).
    static let root: String? = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while url.path != "/" && !url.path.isEmpty {
            let candidate = url.appendingPathComponent("Tests/Fixtures/prometheus-config")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
            url = url.deletingLastPathComponent()
        }
        return nil
    }()

    /// The path of `testdata/<name>`.
    static func testdata(_ name: String) throws -> String {
        let root = try #require(root, "Tests/Fixtures/prometheus-config not found above \(#filePath)")
        return root + "/testdata/" + name
    }

    /// The error of loading `testdata/<name>`, nil when it loads.
    static func error(_ name: String) throws -> ConfigError? {
        do {
            _ = try PrometheusConfig.load(file: try testdata(name))
            return nil
        } catch let error as ConfigError {
            return error
        }
    }
}

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "sugarmill-config-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path + "/" + name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
