// promtool's `check config` checks of referenced files.

import Scrape
import Testing

@Suite struct ConfigCheckTests {
    @Test func referencedFilesMustExist() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("rules/a.rules", "groups: []\n")
        try directory.write("token", "secret\n")
        try directory.write("sd/targets.yml", "- targets: ['a:1']\n")
        try directory.write("prometheus.yml", """
            rule_files: [rules/a.rules, 'rules/*.rules', 'none/*.rules']
            scrape_configs:
              - job_name: a
                authorization: {credentials_file: token}
                file_sd_configs:
                  - files: ['sd/*.yml', 'missing/*.json']
            """)
        let result = try ConfigCheck.check(file: directory.path + "/prometheus.yml", syntaxOnly: false)
        #expect(result.ruleFiles == [directory.path + "/rules/a.rules", directory.path + "/rules/a.rules"])
        #expect(result.warnings == [#"file "\#(directory.path)/missing/*.json" for file_sd in scrape job "a" does not exist"#])

        try directory.write("missing-rule.yml", "rule_files: [absent.rules]\n")
        let rule = #expect(throws: ConfigError.self) {
            try ConfigCheck.check(file: directory.path + "/missing-rule.yml", syntaxOnly: false)
        }
        #expect(rule?.message == #""\#(directory.path)/absent.rules" does not point to an existing file"#)
        #expect(try ConfigCheck.check(file: directory.path + "/missing-rule.yml", syntaxOnly: true).ruleFiles.isEmpty)

        try directory.write("missing-token.yml", "scrape_configs:\n  - job_name: a\n    bearer_token_file: nope\n")
        let token = #expect(throws: ConfigError.self) {
            try ConfigCheck.check(file: directory.path + "/missing-token.yml", syntaxOnly: false)
        }
        #expect(token?.message == """
            error checking authorization credentials or bearer token file "\(directory.path)/nope": \
            stat \(directory.path)/nope: no such file or directory
            """)

        try directory.write("bad-sd.yml", "scrape_configs:\n  - job_name: a\n    file_sd_configs: [{files: [sd/*.yml]}]\n")
        try directory.write("sd/broken.yml", "- targets: [a]\n  bogus: 1\n")
        let sd = #expect(throws: ConfigError.self) { try ConfigCheck.check(file: directory.path + "/bad-sd.yml", syntaxOnly: false) }
        #expect(sd?.message.hasPrefix(#"checking SD file "\#(directory.path)/sd/*.yml": yaml: unmarshal errors:"#) == true)
    }

    @Test func scrapeConfigFileErrorsSayTheyAreFromScrapeConfigs() throws {
        let error = #expect(throws: ConfigError.self) {
            try ConfigCheck.check(file: try ConfigFixtures.testdata("scrape_config_files_global.bad.yml"), syntaxOnly: false)
        }
        #expect(error?.message.hasPrefix(#"error loading scrape configs: ""#) == true)
    }
}
