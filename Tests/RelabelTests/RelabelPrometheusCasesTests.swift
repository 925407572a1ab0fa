// The cases of Prometheus's `TestRelabel` table (model/relabel/relabel_test.go): the same
// inputs, steps and expected outputs, written as Swift. Fields the Go cases leave empty take
// the defaults, as that test fills them in before validating.

import MetricModel
import Relabel
import Testing

/// One row: input labels, steps, and the expected labels (nil: dropped).
struct RelabelCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: [String: String]
    var steps: @Sendable () throws -> [RelabelConfig]
    var output: [String: String]?

    var testDescription: String { name }

    func check() throws {
        let result = Labels(input).relabeled(try steps())
        if let output {
            let labels = try #require(result, "dropped, expected \(Labels(output))")
            #expect(labels == Labels(output), "got \(labels)")
        } else {
            #expect(result == nil, "kept \(result.map(String.init(describing:)) ?? "")")
        }
    }
}

@Suite struct RelabelPrometheusCasesTests {
    static let abc = ["a": "foo", "b": "bar", "c": "baz"]
    static let ports = ["__tmp_port": "1234", "__port1": "1234", "__port2": "5678"]
    static let lines = ["a": "line1\nline2", "b": "bar", "c": "baz"]

    static let cases: [RelabelCase] = [
        RelabelCase(name: "replace with ${1} twice", input: abc, steps: {
            [try RelabelConfig(sourceLabels: ["a"], regex: "f(.*)", targetLabel: "d", replacement: "ch${1}-ch${1}")]
        }, output: ["a": "foo", "b": "bar", "c": "baz", "d": "choo-choo"]),
        RelabelCase(name: "replace from two sources, then from the replaced one", input: abc, steps: {
            [
                try RelabelConfig(sourceLabels: ["a", "b"], regex: "f(.*);(.*)r", targetLabel: "a", replacement: "b${1}${2}m"),
                try RelabelConfig(sourceLabels: ["c", "a"], regex: "(b).*b(.*)ba(.*)", targetLabel: "d", replacement: "$1$2$2$3"),
            ]
        }, output: ["a": "boobam", "b": "bar", "c": "baz", "d": "boooom"]),
        RelabelCase(name: "drop stops before later steps", input: ["a": "foo"], steps: {
            [
                try RelabelConfig(sourceLabels: ["a"], regex: ".*o.*", action: .drop),
                try RelabelConfig(sourceLabels: ["a"], regex: "f(.*)", targetLabel: "d", replacement: "ch$1-ch$1"),
            ]
        }, output: nil),
        RelabelCase(name: "drop on match", input: ["a": "foo", "b": "bar"], steps: {
            [try RelabelConfig(sourceLabels: ["a"], regex: ".*o.*", action: .drop)]
        }, output: nil),
        RelabelCase(name: "replace with a group in the middle", input: ["a": "abc"], steps: {
            [try RelabelConfig(sourceLabels: ["a"], regex: ".*(b).*", targetLabel: "d", replacement: "$1")]
        }, output: ["a": "abc", "d": "b"]),
        RelabelCase(name: "drop without a match keeps", input: ["a": "foo"], steps: {
            [try RelabelConfig(sourceLabels: ["a"], regex: "no-match", action: .drop)]
        }, output: ["a": "foo"]),
        RelabelCase(name: "drop regex is anchored", input: ["a": "foo"], steps: {
            [try RelabelConfig(sourceLabels: ["a"], regex: "f|o", action: .drop)]
        }, output: ["a": "foo"]),
        RelabelCase(name: "keep without a match drops", input: ["a": "foo"], steps: {
            [try RelabelConfig(sourceLabels: ["a"], regex: "no-match", action: .keep)]
        }, output: nil),
        RelabelCase(name: "keep on match", input: ["a": "foo"], steps: {
            [try RelabelConfig(sourceLabels: ["a"], regex: "f.*", action: .keep)]
        }, output: ["a": "foo"]),
        RelabelCase(name: "no replacement without a match", input: ["a": "boo"], steps: {
            [try RelabelConfig(sourceLabels: ["a"], regex: "f", targetLabel: "b", replacement: "bar")]
        }, output: ["a": "boo"]),
        RelabelCase(name: "blank replacement deletes the label", input: ["a": "foo", "f": "baz"], steps: {
            [try RelabelConfig(sourceLabels: ["a"], regex: "(f).*", targetLabel: "$1", replacement: "$2")]
        }, output: ["a": "foo"]),
        RelabelCase(name: "hashmod", input: abc, steps: {
            [try RelabelConfig(sourceLabels: ["c"], modulus: 1000, targetLabel: "d", action: .hashmod)]
        }, output: ["a": "foo", "b": "bar", "c": "baz", "d": "976"]),
        RelabelCase(name: "hashmod over a newline", input: ["a": "foo\nbar"], steps: {
            [try RelabelConfig(sourceLabels: ["a"], modulus: 1000, targetLabel: "b", action: .hashmod)]
        }, output: ["a": "foo\nbar", "b": "734"]),
        RelabelCase(name: "labelmap with a prefix", input: ["a": "foo", "b1": "bar", "b2": "baz"], steps: {
            [try RelabelConfig(regex: "(b.*)", replacement: "bar_${1}", action: .labelmap)]
        }, output: ["a": "foo", "b1": "bar", "b2": "baz", "bar_b1": "bar", "bar_b2": "baz"]),
        RelabelCase(
            name: "labelmap of __meta_ labels",
            input: ["a": "foo", "__meta_my_bar": "aaa", "__meta_my_baz": "bbb", "__meta_other": "ccc"],
            steps: { [try RelabelConfig(regex: "__meta_(my.*)", replacement: "${1}", action: .labelmap)] },
            output: [
                "a": "foo", "__meta_my_bar": "aaa", "__meta_my_baz": "bbb", "__meta_other": "ccc",
                "my_bar": "aaa", "my_baz": "bbb",
            ]
        ),
        RelabelCase(name: "templated target label", input: ["a": "some-name-value"], steps: {
            [try RelabelConfig(sourceLabels: ["a"], regex: "some-([^-]+)-([^,]+)", targetLabel: "${1}", replacement: "${2}")]
        }, output: ["a": "some-name-value", "name": "value"]),
        RelabelCase(name: "replacement from a missing group is empty", input: ["a": "some-name-value"], steps: {
            [try RelabelConfig(sourceLabels: ["a"], regex: "some-([^-]+)-([^,]+)", targetLabel: "${1}", replacement: "${3}")]
        }, output: ["a": "some-name-value"]),
        RelabelCase(name: "target label from a missing group is skipped", input: ["a": "some-name-0"], steps: {
            [
                try RelabelConfig(sourceLabels: ["a"], regex: "some-([^-]+)-([^,]+)", targetLabel: "${3}", replacement: "${1}"),
                try RelabelConfig(sourceLabels: ["a"], regex: "some-([^-]+)-([^,]+)", targetLabel: "${3}", replacement: "${1}"),
                try RelabelConfig(sourceLabels: ["a"], regex: "some-([^-]+)(-[^,]+)", targetLabel: "${3}", replacement: "${1}"),
            ]
        }, output: ["a": "some-name-0"]),
        RelabelCase(name: "service discovery tags", input: ["__meta_sd_tags": "path:/secret,job:some-job,label:foo=bar"], steps: {
            [
                try RelabelConfig(
                    sourceLabels: ["__meta_sd_tags"], regex: "(?:.+,|^)path:(/[^,]+).*", targetLabel: "__metrics_path__",
                    replacement: "${1}"
                ),
                try RelabelConfig(sourceLabels: ["__meta_sd_tags"], regex: "(?:.+,|^)job:([^,]+).*", targetLabel: "job", replacement: "${1}"),
                try RelabelConfig(
                    sourceLabels: ["__meta_sd_tags"], regex: "(?:.+,|^)label:([^=]+)=([^,]+).*", targetLabel: "${1}",
                    replacement: "${2}"
                ),
            ]
        }, output: [
            "__meta_sd_tags": "path:/secret,job:some-job,label:foo=bar", "__metrics_path__": "/secret", "job": "some-job",
            "foo": "bar",
        ]),
        RelabelCase(
            name: "labeldrop then set again (prometheus#12283)",
            input: ["__meta_kubernetes_pod_container_port_name": "foo", "__meta_kubernetes_pod_annotation_XXX_metrics_port": "9091"],
            steps: {
                [
                    try RelabelConfig(regex: "^__meta_kubernetes_pod_container_port_name$", action: .labeldrop),
                    try RelabelConfig(
                        sourceLabels: ["__meta_kubernetes_pod_annotation_XXX_metrics_port"], regex: "(.+)",
                        targetLabel: "__meta_kubernetes_pod_container_port_name", replacement: "metrics"
                    ),
                    try RelabelConfig(sourceLabels: ["__meta_kubernetes_pod_container_port_name"], regex: "^metrics$", action: .keep),
                ]
            },
            output: ["__meta_kubernetes_pod_annotation_XXX_metrics_port": "9091", "__meta_kubernetes_pod_container_port_name": "metrics"]
        ),
        RelabelCase(name: "labelkeep", input: ["a": "foo", "b1": "bar", "b2": "baz"], steps: {
            [try RelabelConfig(regex: "(b.*)", action: .labelkeep)]
        }, output: ["b1": "bar", "b2": "baz"]),
        RelabelCase(name: "labeldrop", input: ["a": "foo", "b1": "bar", "b2": "baz"], steps: {
            [try RelabelConfig(regex: "(b.*)", action: .labeldrop)]
        }, output: ["a": "foo"]),
        RelabelCase(name: "uppercase and lowercase", input: ["foo": "bAr123Foo"], steps: {
            [
                try RelabelConfig(sourceLabels: ["foo"], targetLabel: "foo_uppercase", action: .uppercase),
                try RelabelConfig(sourceLabels: ["foo"], targetLabel: "foo_lowercase", action: .lowercase),
            ]
        }, output: ["foo": "bAr123Foo", "foo_lowercase": "bar123foo", "foo_uppercase": "BAR123FOO"]),
        RelabelCase(name: "keepequal, equal", input: ports, steps: {
            [try RelabelConfig(sourceLabels: ["__tmp_port"], targetLabel: "__port1", action: .keepequal)]
        }, output: ports),
        RelabelCase(name: "dropequal, equal", input: ports, steps: {
            [try RelabelConfig(sourceLabels: ["__tmp_port"], targetLabel: "__port1", action: .dropequal)]
        }, output: nil),
        RelabelCase(name: "dropequal, different", input: ports, steps: {
            [try RelabelConfig(sourceLabels: ["__tmp_port"], targetLabel: "__port2", action: .dropequal)]
        }, output: ports),
        RelabelCase(name: "keepequal, different", input: ports, steps: {
            [try RelabelConfig(sourceLabels: ["__tmp_port"], targetLabel: "__port2", action: .keepequal)]
        }, output: nil),
        RelabelCase(name: "dot matches a newline; a missing group expands to nothing", input: lines, steps: {
            [try RelabelConfig(sourceLabels: ["a"], regex: "line1.*line2", targetLabel: "d", replacement: "match${1}")]
        }, output: ["a": "line1\nline2", "b": "bar", "c": "baz", "d": "match"]),
        RelabelCase(name: "UTF-8 source label", input: ["utf-8.label": "line1\nline2", "b": "bar", "c": "baz"], steps: {
            [try RelabelConfig(sourceLabels: ["utf-8.label"], regex: "line1.*line2", targetLabel: "d", replacement: "match${1}")]
        }, output: ["utf-8.label": "line1\nline2", "b": "bar", "c": "baz", "d": "match"]),
        RelabelCase(name: "UTF-8 target label", input: lines, steps: {
            [try RelabelConfig(sourceLabels: ["a"], regex: "line1.*line2", targetLabel: "utf-8.label", replacement: "match${1}")]
        }, output: ["a": "line1\nline2", "b": "bar", "c": "baz", "utf-8.label": "match"]),
        RelabelCase(name: "UTF-8 target label with a variable", input: lines, steps: {
            [try RelabelConfig(sourceLabels: ["a"], regex: "line1.*line2", targetLabel: "utf-8.label${1}", replacement: "match${1}")]
        }, output: ["a": "line1\nline2", "b": "bar", "c": "baz", "utf-8.label": "match"]),
        RelabelCase(name: "named and numbered groups, braced and bare", input: lines, steps: {
            [
                try RelabelConfig(
                    sourceLabels: ["a"], regex: "(line1).*(?<second>line2)", targetLabel: "label1_${1}", replacement: "val_${second}"
                ),
                try RelabelConfig(sourceLabels: ["a"], regex: "(line1).*(?<second>line2)", targetLabel: "label2_$1", replacement: "val_$second"),
            ]
        }, output: ["a": "line1\nline2", "b": "bar", "c": "baz", "label1_line1": "val_line2", "label2_line1": "val_line2"]),
        RelabelCase(name: "__type__ from the metric name", input: ["__name__": "http_requests_total"], steps: {
            [try RelabelConfig(sourceLabels: ["__name__"], regex: ".*_total$", targetLabel: "__type__", replacement: "counter")]
        }, output: ["__name__": "http_requests_total", "__type__": "counter"]),
        RelabelCase(name: "__unit__ from the metric name", input: ["__name__": "disk_usage_bytes"], steps: {
            [try RelabelConfig(sourceLabels: ["__name__"], regex: ".*_bytes$", targetLabel: "__unit__", replacement: "bytes")]
        }, output: ["__name__": "disk_usage_bytes", "__unit__": "bytes"]),
    ]

    @Test(arguments: cases)
    func prometheusCase(_ testCase: RelabelCase) throws {
        try testCase.check()
    }

    @Test func everyActionIsCovered() throws {
        var seen = Set<String>()
        for testCase in Self.cases {
            for step in try testCase.steps() { seen.insert(step.action.rawValue) }
        }
        #expect(seen == Set(RelabelAction.allCases.map(\.rawValue)))
    }
}
