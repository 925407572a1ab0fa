// Prometheus's `RuleGroups.Validate` and `RuleNode.Validate`: what makes a decoded rule file
// unusable, each error with the file position and rule Prometheus gives it.

import MetricModel
import PromQL
import Scrape
import YAML

extension DecodedFile {
    /// Every semantic error, in Prometheus's order: per group, its own errors, then each rule's.
    func validate(nameValidation: NameValidationScheme, templateCheck: RuleTemplateCheck?) -> [String] {
        var errors: [String] = []
        var names: Set<String> = []
        for group in groups {
            let at = "\(group.mark.line):\(group.mark.column)"
            if group.name.isEmpty { errors.append("\(at): Groupname must not be empty") }
            if !names.insert(group.name).inserted {
                errors.append("\(at): groupname: \"\(group.name)\" is repeated in the same file")
            }
            errors += Self.labelErrors(group.labels, nameValidation: nameValidation)
            for (index, rule) in group.rules.enumerated() {
                let name = rule.alertText.isEmpty ? rule.recordText : rule.alertText
                for problem in rule.validate(nameValidation: nameValidation, templateCheck: templateCheck) {
                    let position = problem.marks.map { "\($0.line):\($0.column): " }.joined()
                    errors.append("\(position)group \(goQuote(group.name)), rule \(index + 1), \(goQuote(name)): \(problem.message)")
                }
            }
        }
        return errors
    }

    /// The checks of a rule's (or group's) `labels`.
    static func labelErrors(_ labels: [(name: String, value: String)], nameValidation: NameValidationScheme) -> [String] {
        var errors: [String] = []
        for (name, value) in labels {
            if !LabelNameCheck.isValid(Array(name.utf8), scheme: nameValidation) || name == Labels.metricNameLabel {
                errors.append("invalid label name: \(name)")
            }
            // A Swift String is valid UTF-8 by construction: `model.LabelValue.IsValid` holds.
            _ = value
        }
        return errors
    }
}

extension DecodedFile.RuleNodes {
    /// One problem of a rule and the nodes it points at (none, one, or record and alert).
    struct Problem {
        var message: String
        var marks: [Mark]
    }

    /// `RuleNode.Validate`.
    func validate(nameValidation: NameValidationScheme, templateCheck: RuleTemplateCheck?) -> [Problem] {
        var problems: [Problem] = []
        let recordMark = record ?? Mark(line: 0, column: 0)
        if !recordText.isEmpty && !alertText.isEmpty {
            problems.append(Problem(message: "only one of 'record' and 'alert' must be set", marks: [recordMark, alert!]))
        }
        if recordText.isEmpty && alertText.isEmpty {
            problems.append(Problem(message: "one of 'record' or 'alert' must be set", marks: [recordMark]))
        }
        let exprMark = expr ?? Mark(line: 0, column: 0)
        if exprText.isEmpty {
            problems.append(Problem(message: "field 'expr' must be set in rule", marks: [exprMark]))
        } else {
            do throws(ParseError) {
                _ = try parseExpr(exprText)
            } catch {
                problems.append(Problem(message: "could not parse expression: \(error)", marks: [exprMark]))
            }
        }
        if !recordText.isEmpty {
            if !annotations.isEmpty {
                problems.append(Problem(message: "invalid field 'annotations' in recording rule", marks: [recordMark]))
            }
            if forMs != 0 {
                problems.append(Problem(message: "invalid field 'for' in recording rule", marks: [recordMark]))
            }
            if keepFiringForMs != 0 {
                problems.append(Problem(message: "invalid field 'keep_firing_for' in recording rule", marks: [recordMark]))
            }
            if !LabelNameCheck.isValidMetricName(Array(recordText.utf8), scheme: nameValidation) {
                problems.append(Problem(message: "invalid recording rule name: \(recordText)", marks: [recordMark]))
            }
            if recordText.contains("{") || recordText.contains("}") {
                problems.append(
                    Problem(
                        message: "braces present in the recording rule name; should it be in expr?: \(recordText)",
                        marks: [recordMark]))
            }
        }
        problems += DecodedFile.labelErrors(labels, nameValidation: nameValidation).map { Problem(message: $0, marks: []) }
        for (name, _) in annotations where !LabelNameCheck.isValid(Array(name.utf8), scheme: nameValidation) {
            problems.append(Problem(message: "invalid annotation name: \(name)", marks: []))
        }
        if !alertText.isEmpty, let templateCheck {
            for (name, text) in labels {
                if let error = templateCheck(alertText, text) {
                    problems.append(Problem(message: "label \(goQuote(name)): \(error)", marks: []))
                }
            }
            for (name, text) in annotations {
                if let error = templateCheck(alertText, text) {
                    problems.append(Problem(message: "annotation \(goQuote(name)): \(error)", marks: []))
                }
            }
        }
        return problems
    }
}
