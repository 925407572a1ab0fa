// Building a relabel step: Prometheus's defaults, the checks of `Config.Validate` with its
// texts (the cases of `TestRelabelValidate` under UTF-8 names, and one per message), and
// regex errors worded as Go's `regexp` words them for `^(?s:…)$`.

import MetricModel
import Relabel
import Testing

@Suite struct RelabelConfigValidationTests {
    @Test func defaults() throws {
        let config = try RelabelConfig(targetLabel: "t")
        #expect(config.sourceLabels.isEmpty)
        #expect(config.separator == ";")
        #expect(config.regexPattern == "(.*)")
        #expect(config.replacement == "$1")
        #expect(config.action == .replace)
        #expect(config.modulus == 0)
        #expect(config.regex.groupCount == 1)
    }

    /// `TestRelabelValidate`, UTF-8 names. (Its empty-action case cannot be written: the
    /// action is an enum; its legacy-scheme cases do not apply.)
    @Test func prometheusValidateCases() throws {
        let replace = #expect(throws: RelabelConfigError.self) { try RelabelConfig(action: .replace) }
        #expect(replace?.message == "relabel configuration for replace action requires 'target_label' value")
        let lowercase = #expect(throws: RelabelConfigError.self) { try RelabelConfig(action: .lowercase) }
        #expect(lowercase?.message == "relabel configuration for lowercase action requires 'target_label' value")
        // With UTF-8 names these targets are legal.
        _ = try RelabelConfig(targetLabel: "${3}", action: .lowercase)
        for target in ["${3}", "0${3}", "-${3}"] {
            _ = try RelabelConfig(sourceLabels: ["a"], regex: "some-([^-]+)-([^,]+)", targetLabel: target, replacement: "${1}")
        }
        _ = try RelabelConfig(regex: "__meta_kubernetes_pod_label_(strimzi_io_.+)", replacement: "$1", action: .labelmap)
        _ = try RelabelConfig(regex: "__meta_(.+)", replacement: "${1}", action: .labelmap)
    }

    @Test(arguments: [
        (RelabelAction.hashmod, "relabel configuration for hashmod requires non-zero modulus"),
        (.replace, "relabel configuration for replace action requires 'target_label' value"),
        (.lowercase, "relabel configuration for lowercase action requires 'target_label' value"),
        (.uppercase, "relabel configuration for uppercase action requires 'target_label' value"),
        (.keepequal, "relabel configuration for keepequal action requires 'target_label' value"),
        (.dropequal, "relabel configuration for dropequal action requires 'target_label' value"),
    ])
    func missingTargetOrModulus(action: RelabelAction, message: String) {
        let error = #expect(throws: RelabelConfigError.self) { try RelabelConfig(action: action) }
        #expect(error?.message == message)
    }

    @Test func hashmodNeedsATargetToo() {
        let error = #expect(throws: RelabelConfigError.self) { try RelabelConfig(modulus: 8, action: .hashmod) }
        #expect(error?.message == "relabel configuration for hashmod action requires 'target_label' value")
    }

    @Test(arguments: [RelabelAction.lowercase, .uppercase, .keepequal, .dropequal])
    func replacementIsFixed(action: RelabelAction) {
        let error = #expect(throws: RelabelConfigError.self) {
            try RelabelConfig(targetLabel: "t", replacement: "x", action: action)
        }
        #expect(error?.message == "'replacement' can not be set for \(action.rawValue) action")
    }

    @Test func labelmapNeedsAReplacement() throws {
        let error = #expect(throws: RelabelConfigError.self) { try RelabelConfig(replacement: "", action: .labelmap) }
        #expect(error?.message == #""" is invalid 'replacement' for labelmap action"#)
        _ = try RelabelConfig(replacement: "x", action: .labelmap)
    }

    @Test(arguments: [RelabelAction.keepequal, .dropequal])
    func equalActionsTakeOnlySourceAndTarget(action: RelabelAction) throws {
        let message = "\(action.rawValue) action requires only 'source_labels' and `target_label`, and no other fields"
        let withRegex = #expect(throws: RelabelConfigError.self) { try RelabelConfig(regex: "x", targetLabel: "t", action: action) }
        #expect(withRegex?.message == message)
        let withSeparator = #expect(throws: RelabelConfigError.self) {
            try RelabelConfig(separator: ",", targetLabel: "t", action: action)
        }
        #expect(withSeparator?.message == message)
        let withModulus = #expect(throws: RelabelConfigError.self) { try RelabelConfig(modulus: 2, targetLabel: "t", action: action) }
        #expect(withModulus?.message == message)
        _ = try RelabelConfig(sourceLabels: ["a", "b"], targetLabel: "t", action: action)
    }

    @Test(arguments: [RelabelAction.labeldrop, .labelkeep])
    func labelDropAndKeepTakeOnlyARegex(action: RelabelAction) throws {
        let message = "\(action.rawValue) action requires only 'regex', and no other fields"
        // (source labels, separator, modulus, target, replacement): each one field off its default.
        let attempts: [([String], String, UInt64, String, String)] = [
            (["a"], ";", 0, "", "$1"), ([], "", 0, "", "$1"), ([], ";", 3, "", "$1"), ([], ";", 0, "t", "$1"),
            ([], ";", 0, "", "$2"),
        ]
        for (sources, separator, modulus, target, replacement) in attempts {
            let error = #expect(throws: RelabelConfigError.self) {
                try RelabelConfig(
                    sourceLabels: sources, separator: separator, regex: "a", modulus: modulus, targetLabel: target,
                    replacement: replacement, action: action
                )
            }
            #expect(error?.message == message)
        }
        _ = try RelabelConfig(regex: "a", action: action)
    }

    @Test func actionsWithoutTargetNeedNone() throws {
        _ = try RelabelConfig(sourceLabels: ["a"], regex: "x", action: .keep)
        _ = try RelabelConfig(sourceLabels: ["a"], regex: "x", action: .drop)
        _ = try RelabelConfig(regex: "x", action: .labelmap)
    }

    /// Go compiles `^(?s:` + pattern + `)$` as one text, so its errors quote that text when
    /// they quote the whole expression, and a pattern that closes the group itself compiles.
    @Test(arguments: [
        ("(a", "error parsing regexp: missing closing ): `^(?s:(a)$`"),
        ("a)", "error parsing regexp: unexpected ): `^(?s:a))$`"),
        ("a**", "error parsing regexp: invalid nested repetition operator: `**`"),
        ("[z-a]", "error parsing regexp: invalid character class range: `z-a`"),
        ("x{2,1}", "error parsing regexp: invalid repeat count: `{2,1}`"),
        (#"\8"#, #"error parsing regexp: invalid escape sequence: `\8`"#),
    ])
    func invalidRegex(pattern: String, message: String) {
        let error = #expect(throws: RelabelConfigError.self) {
            try RelabelConfig(sourceLabels: ["a"], regex: pattern, action: .keep)
        }
        #expect(error?.message == message)
        #expect(error?.regexSyntaxError?.description == message)
    }

    @Test func regexErrorComesBeforeValidation() {
        let error = #expect(throws: RelabelConfigError.self) { try RelabelConfig(regex: "(", action: .replace) }
        #expect(error?.regexSyntaxError != nil)
    }

    @Test func patternThatClosesTheAnchorGroupCompilesAsInGo() throws {
        // `^(?s:a)|(b)$`: begins with "a" or ends with "b".
        let config = try RelabelConfig(sourceLabels: ["v"], regex: "a)|(b", action: .keep)
        #expect(config.regexPattern == "a)|(b")
        #expect(Labels(["v": "axyz"]).relabeled([config]) != nil)
        #expect(Labels(["v": "xyzb"]).relabeled([config]) != nil)
        #expect(Labels(["v": "xaz"]).relabeled([config]) == nil)
    }
}
