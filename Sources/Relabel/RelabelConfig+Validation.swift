// The checks of Prometheus's `relabel.Config.Validate`, in its order and with its texts.

extension RelabelConfig {
    /// Prometheus's `Validate` under the UTF-8 name scheme, where a valid label name is any
    /// non-empty valid UTF-8 (every Swift `String` is valid UTF-8).
    func validate() throws(RelabelConfigError) {
        if modulus == 0 && action == .hashmod {
            throw RelabelConfigError("relabel configuration for hashmod requires non-zero modulus")
        }
        let needsTarget: Set<RelabelAction> = [.replace, .hashmod, .lowercase, .uppercase, .keepequal, .dropequal]
        if needsTarget.contains(action) && targetLabel.isEmpty {
            throw RelabelConfigError("relabel configuration for \(action.rawValue) action requires 'target_label' value")
        }
        // Prometheus next rejects a `target_label` that is not a valid name, for replace (with
        // or without `${…}`), lowercase, uppercase, keepequal, dropequal and hashmod. Under
        // UTF-8 that means empty, which the check above already refused.
        let fixedReplacement: Set<RelabelAction> = [.lowercase, .uppercase, .keepequal, .dropequal]
        if fixedReplacement.contains(action) && replacement != Self.defaultReplacement {
            throw RelabelConfigError("'replacement' can not be set for \(action.rawValue) action")
        }
        if action == .labelmap && replacement.isEmpty {
            // Go's %q of the replacement, which can only be "" here.
            throw RelabelConfigError(#""" is invalid 'replacement' for labelmap action"#)
        }
        if action == .keepequal || action == .dropequal {
            // Prometheus compares the regex by identity with the default one, so it also refuses
            // an explicit `regex: (.*)`; from the pattern text alone we cannot tell the two apart.
            if regexPattern != Self.defaultRegex || modulus != 0 || separator != Self.defaultSeparator
                || replacement != Self.defaultReplacement
            {
                throw RelabelConfigError("\(action.rawValue) action requires only 'source_labels' and `target_label`, and no other fields")
            }
        }
        if action == .labeldrop || action == .labelkeep {
            if !sourceLabels.isEmpty || !targetLabel.isEmpty || modulus != 0 || separator != Self.defaultSeparator
                || replacement != Self.defaultReplacement
            {
                throw RelabelConfigError("\(action.rawValue) action requires only 'regex', and no other fields")
            }
        }
    }
}
