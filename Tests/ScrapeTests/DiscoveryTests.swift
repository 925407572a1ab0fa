// File discovery: filepath.Match-style globbing, the target-group document (shared with
// `check config` and HTTP SD), meta labels and keeping a file's last good groups.

import Foundation
import MetricModel
@testable import Scrape
import Testing

@Suite struct DiscoveryTests {
    @Test(arguments: [
        ("*.json", "a.json", true), ("*.json", "a.yml", false), ("t?.yml", "t1.yml", true), ("t?.yml", "t12.yml", false),
        ("[ab]*.json", "b1.json", true), ("[^ab]*.json", "b1.json", false), ("[a-c].json", "c.json", true),
        ("*", "", true), ("a*b*c", "axxbyyc", true), ("a*b*c", "axxbyy", false),
    ])
    func globMatchesAsGo(pattern: String, name: String, expected: Bool) {
        #expect(ConfigPaths.matches(pattern, name) == expected)
    }

    @Test func parsesJSONAndYAMLGroupsStrictly() throws {
        func parse(_ text: String) throws(ConfigError) -> [TargetGroup] {
            try FileSDConfig.decodeTargetGroups(text, metaLabel: "__meta_url", source: "u")
        }
        let json = try parse(#"[{"targets": ["a:1", "b:2"], "labels": {"env": "prod"}}, {"targets": []}]"#)
        #expect(json.count == 2 && json[0].targets == ["a:1", "b:2"] && json[0].labels == Labels(["env": "prod", "__meta_url": "u"]))
        let yaml = try parse("- targets: [c:3]\n  labels:\n    team: x\n")
        #expect(yaml.first?.targets == ["c:3"] && yaml.first?.labels["team"] == "x")
        #expect(throws: ConfigError.self) { try parse(#"[{"targets": ["a:1"], "lables": {}}]"#) }
        #expect(throws: ConfigError.self) { try parse(#"{"targets": ["a:1"]}"#) }
        #expect(try parse("").isEmpty)
    }

    @Test func filesGetMetaLabelsAndKeepTheirLastGoodGroups() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("targets.json").path
        try #"[{"targets": ["a:1"], "labels": {"env": "prod"}}]"#.write(toFile: file, atomically: true, encoding: .utf8)
        try "not: [a list".write(toFile: dir.appendingPathComponent("other.yml").path, atomically: true, encoding: .utf8)
        let discovery = FileDiscovery(FileSDConfig(files: [dir.path + "/*.json", dir.path + "/*.yml"]))
        var groups = discovery.groups()
        #expect(groups == [TargetGroup(
            targets: ["a:1"], labels: Labels(["env": "prod", "__meta_filepath": file]), source: "\(file):0")])
        // A broken write keeps the last good groups; a good one replaces them.
        try "[{".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(discovery.groups() == groups)
        try #"[{"targets": ["b:2"]}]"#.write(toFile: file, atomically: true, encoding: .utf8)
        groups = discovery.groups()
        #expect(groups.map(\.targets) == [["b:2"]])
        // A removed file takes its targets with it.
        try FileManager.default.removeItem(atPath: file)
        #expect(discovery.groups().isEmpty)
    }
}
