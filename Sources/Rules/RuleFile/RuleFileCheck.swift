// `promtool check rules` for one file: parse and validate it, then lint it for duplicate rules,
// with promtool's texts. Used by `sugarmill check rules` and `sugarmill check config`.

package import Scrape

/// What checking one rule file found.
package struct RuleFileCheck: Sendable {
    /// Rules in the file, when it is valid.
    package var ruleCount: Int
    /// Errors, each prefixed with the file's path as promtool prints them.
    package var errors: [String]
    /// Whether every error is a lint finding (duplicate rules): promtool then exits 0, or 3 with `--lint-fatal`.
    package var onlyLint: Bool

    /// Reads, parses and validates the rule file at `path`; with `lintDuplicates`, reports rules
    /// that record the same metric with the same labels (promtool's `--lint=duplicate-rules`).
    package static func check(
        file path: String, lintDuplicates: Bool, nameValidation: NameValidationScheme = .utf8,
        templateCheck: RuleTemplateCheck? = nil
    ) -> RuleFileCheck {
        let parsed = RuleGroupsFile.load(file: path, nameValidation: nameValidation, templateCheck: templateCheck)
        guard let file = parsed.file, parsed.errors.isEmpty else {
            return RuleFileCheck(ruleCount: 0, errors: parsed.errors, onlyLint: false)
        }
        if lintDuplicates {
            let duplicates = file.duplicateRules()
            if !duplicates.isEmpty {
                var message = "lint error \(duplicates.count) duplicate rule(s) found.\n"
                for duplicate in duplicates {
                    message += "Metric: \(duplicate.name)\nLabel(s):\n"
                    for (name, value) in duplicate.labels { message += "\t\(name): \(value)\n" }
                }
                message += "Might cause inconsistency while recording expressions"
                return RuleFileCheck(ruleCount: 0, errors: [message], onlyLint: true)
            }
        }
        return RuleFileCheck(ruleCount: file.groups.reduce(0) { $0 + $1.rules.count }, errors: [], onlyLint: false)
    }
}

extension RuleGroupsFile {
    /// Reads and parses the file at `path`; errors are prefixed with the path (`rulefmt.ParseFile`).
    package static func load(
        file path: String, nameValidation: NameValidationScheme = .utf8, templateCheck: RuleTemplateCheck? = nil
    ) -> (file: RuleGroupsFile?, errors: [String]) {
        let bytes: [UInt8]
        do {
            bytes = try ConfigFile.contents(of: path)
        } catch {
            return (nil, ["\(path): \(error.message)"])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return (nil, ["\(path): yaml: invalid leading UTF-8 octet"])
        }
        let parsed = parse(text, nameValidation: nameValidation, templateCheck: templateCheck)
        return (parsed.file, parsed.errors.map { "\(path): \($0)" })
    }

    /// Rules of the same name and labels, each once, sorted as promtool sorts them.
    func duplicateRules() -> [(name: String, labels: [(String, String)])] {
        let keys = groups.flatMap { group in
            group.rules.map { rule in
                (name: rule.name, labels: rule.labels.sorted { $0.name < $1.name }.map { ($0.name, $0.value) })
            }
        }.sorted { lhs, rhs in
            if lhs.name != rhs.name { return lhs.name < rhs.name }
            return lhs.labels.lexicographicallyPrecedes(rhs.labels) { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        }
        func same(_ lhs: (name: String, labels: [(String, String)]), _ rhs: (name: String, labels: [(String, String)])) -> Bool {
            lhs.name == rhs.name && lhs.labels.elementsEqual(rhs.labels, by: ==)
        }
        var duplicates: [(name: String, labels: [(String, String)])] = []
        for index in keys.indices.dropFirst() where same(keys[index - 1], keys[index]) {
            if let last = duplicates.last, same(last, keys[index]) { continue }
            duplicates.append(keys[index])
        }
        return duplicates
    }
}
