// go-yaml's strict reading as Prometheus uses it: unknown and repeated fields, wrong kinds of
// values and broken YAML are errors, with line numbers and Go's type names.

import Scrape
import Testing

@Suite struct ConfigStrictnessTests {
    @Test func unknownFieldsAreListedWithTheirLinesAndGoTypes() {
        let yaml = """
            global:
              scrape_intervall: 15s
            scrape_configs:
              - job_name: a
                static_configs:
                  - targets: [x:1]
                    label: {a: b}
                relabel_configs:
                  - source_label: [a]
                basic_auth:
                  user: u
                tls_config:
                  ca: x
                  insecure: true
                authorization:
                  token: t
                file_sd_configs:
                  - file: [a.json]
                http_sd_configs:
                  - url: http://sd
                    refresh: 1m
                consult_sd_configs: []
            foo: bar
            """
        #expect(ConfigTest.error(yaml) == """
            yaml: unmarshal errors:
              line 2: field scrape_intervall not found in type config.plain
              line 7: field label not found in type struct { Targets []string "yaml:\\"targets\\""; Labels model.LabelSet "yaml:\\"labels\\"" }
              line 9: field source_label not found in type relabel.plain
              line 11: field user not found in type config.plain
              line 14: field insecure not found in type config.plain
              line 16: field token not found in type config.Authorization
              line 18: field file not found in type file.plain
              line 21: field refresh not found in type http.plain
              line 22: field consult_sd_configs not found in type config.ScrapeConfig
              line 23: field foo not found in type config.plain
            """)
    }

    @Test func repeatedFieldsAreAlreadySet() {
        #expect(ConfigTest.error("""
            scrape_configs:
              - job_name: 'prometheus_system'

            scrape_configs:
              - job_name: 'foo_system'
            """) == "yaml: unmarshal errors:\n  line 4: field scrape_configs already set in type config.plain")
        #expect(ConfigTest.error("""
            scrape_configs:
              - job_name: a
                scrape_interval: 1m
                "job_name": b
                params: {x: [1], x: [2]}
            """) == """
            yaml: unmarshal errors:
              line 4: field job_name already set in type config.ScrapeConfig
              line 5: key "x" already set in map
            """)
    }

    @Test func wrongKindsOfValuesAreTypeErrors() {
        #expect(ConfigTest.error("""
            global:
              sample_limit: lots
              label_limit: -1
              target_limit: [1]
              scrape_native_histograms: maybe
            rule_files: first.rules
            scrape_configs:
              - job_name: [a]
                honor_labels: 1
                scrape_interval: {a: b}
                static_configs: {targets: []}
                relabel_configs:
                  - modulus: 1.5e30
              - plain text
            """) == """
            yaml: unmarshal errors:
              line 2: cannot unmarshal !!str `lots` into uint
              line 3: cannot unmarshal !!int `-1` into uint
              line 4: cannot unmarshal !!seq into uint
              line 5: cannot unmarshal !!str `maybe` into bool
              line 6: cannot unmarshal !!str `first.r...` into []string
              line 8: cannot unmarshal !!seq into string
              line 9: cannot unmarshal !!int `1` into bool
              line 10: cannot unmarshal !!map into string
              line 11: cannot unmarshal !!map into []*targetgroup.Group
              line 13: cannot unmarshal !!float `1.5e30` into uint64
              line 14: cannot unmarshal !!str `plain text` into config.ScrapeConfig
            """)
    }

    @Test func aDocumentThatIsNotAMappingIsATypeError() {
        #expect(ConfigTest.error("just text") == "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `just text` into config.plain")
        #expect(ConfigTest.error("- a\n- b") == "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into config.plain")
    }

    @Test func brokenYAMLIsReportedWithGoYAMLsWording() {
        // Checked against promtool: parser errors name the 0-based line, errors on the first line none.
        #expect(ConfigTest.error("global:\n  scrape_interval: 15s\n scrape_timeout: 10s\n") == "yaml: line 2: did not find expected key")
        #expect(ConfigTest.error("a: b: c\n") == "yaml: mapping values are not allowed in this context")
        #expect(ConfigTest.error("scrape_configs:\n  - job_name: x\n    static_configs:\n      - targets: [a\n")
            == "yaml: line 4: did not find expected ',' or ']'")
        #expect(ConfigTest.error("global:\n\tscrape_interval: 1m\n") == "yaml: line 2: found character that cannot start any token")
        #expect(ConfigTest.error("key: *missing\n")?.hasPrefix("yaml: ") == true)
        #expect(ConfigTest.error("global:\n  query_log_file: !!binary '!!!'\n") == "yaml: !!binary value contains invalid base64 data")
        #expect(ConfigTest.error("global:\n  sample_limit: !!int abc\n") == "yaml: cannot decode !!str `abc` as a !!int")
    }

    @Test func invalidUTF8FromBinaryIsReported() throws {
        #expect(try ConfigFixtures.error("labelname.bad.yml")?.message.hasSuffix(#""\xff" is not a valid label name"#) == true)
        #expect(try ConfigFixtures.error("labelvalue.bad.yml")?.message.hasSuffix(#""\xff" is not a valid label value"#) == true)
    }

    /// Inputs that must fail cleanly, never trap.
    @Test(arguments: [
        "\u{0}", "{", "[", "]]", "---\n---\n", "? [a]\n: b\n", "global: !!map []\n", "scrape_configs: [[[[[]]]]]\n",
        "global:\n  sample_limit: 99999999999999999999999\n", "global:\n  body_size_limit: 99999999999EB\n",
        "global:\n  scrape_interval: 99999999999999999999s\n", "scrape_configs:\n  - job_name: a\n    relabel_configs: [{modulus: -1}]\n",
        "scrape_configs:\n  - {job_name: a, job_name: b}\n", "a: &x [*x]\n", String(repeating: "[", count: 10_000),
        "global:\n  external_labels: [a]\n", "scrape_configs:\n  - job_name: a\n    params: [x]\n", "<<: 5\n",
    ])
    func badInputFailsWithoutCrashing(yaml: String) {
        _ = ConfigTest.error(yaml)
    }
}
