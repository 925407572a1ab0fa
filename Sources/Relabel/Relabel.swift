// Applying relabeling steps to a label set (Prometheus's `relabel.ProcessBuilder` and
// `relabel` in `model/relabel/relabel.go`).

package import MetricModel

extension Labels {
    /// The labels after `configs` in order (Prometheus's `relabel.Process`), or nil when a step
    /// dropped them (`keep`, `drop`, `keepequal`, `dropequal`).
    ///
    /// ```swift
    /// let addJob = try RelabelConfig(targetLabel: "job", replacement: "node")
    /// Labels(["instance": "a:9100"]).relabeled([addJob])  // {instance="a:9100", job="node"}
    /// ```
    ///
    /// The result may hold names Prometheus would reject later (an empty name from `labelmap`),
    /// as Prometheus's does; the caller validates.
    ///
    /// Complexity: per step O(labels × source labels) plus the regex, linear in its input.
    /// Fast path: steps that change nothing (a `keep` that keeps) allocate nothing when their
    /// regex is a plain name, an alternation of names or `prefix.*`, and the unchanged labels
    /// come back without a copy.
    package func relabeled(_ configs: [RelabelConfig]) -> Labels? {
        var builder = RelabelBuilder(self)
        for config in configs where !builder.apply(config) {
            return nil
        }
        return builder.labels()
    }
}

extension RelabelBuilder {
    /// One step (Go's `relabel`); false when it drops the labels.
    mutating func apply(_ config: RelabelConfig) -> Bool {
        switch config.action {
        case .drop:
            return !sourceMatches(config)
        case .keep:
            return sourceMatches(config)
        case .dropequal:
            return !sourceEqualsTarget(config)
        case .keepequal:
            return sourceEqualsTarget(config)
        case .replace:
            replace(config)
        case .lowercase:
            joinSources(config)
            set(config.targetLabel, GoCase.lowercased(joined))
        case .uppercase:
            joinSources(config)
            set(config.targetLabel, GoCase.uppercased(joined))
        case .hashmod:
            // A zero modulus is refused when the config is built; Go would panic here.
            guard config.modulus > 0 else { break }
            joinSources(config)
            let shard = MD5.digest(joined).lastEightBytesBigEndian % config.modulus
            set(config.targetLabel, String(shard))
        case .labelmap:
            labelMap(config)
        case .labeldrop, .labelkeep:
            let keepMatching = config.action == .labelkeep
            Self.forEachLabel(of: self) { label in
                if nameMatches(label, config) != keepMatching { delete(name(label)) }
            }
        }
        return true
    }

    /// Whether the regex matches the joined source values (Go's `MatchString`).
    private mutating func sourceMatches(_ config: RelabelConfig) -> Bool {
        if let shortcut = config.shortcut {
            if shortcut.matchesEverything { return true }
            // Fast path: one source label, tested where its bytes are.
            if config.sourceLabels.count == 1 {
                switch value(of: config.sourceLabels[0]) {
                case .base(let range): return shortcut.matches(base.bytes[range])
                case .added(let i): return shortcut.matches(added[i].value.utf8)
                case .absent: return shortcut.matches(EmptyCollection())
                }
            }
            joinSources(config)
            return shortcut.matches(joined)
        }
        joinSources(config)
        return config.regex.matches(utf8: joined)
    }

    private mutating func sourceEqualsTarget(_ config: RelabelConfig) -> Bool {
        joinSources(config)
        return value(value(of: config.targetLabel), equals: joined)
    }

    private mutating func replace(_ config: RelabelConfig) {
        let templatedTarget = config.targetLabel.utf8.contains(UInt8(ascii: "$"))
        let templatedReplacement = config.replacement.utf8.contains(UInt8(ascii: "$"))
        if !templatedTarget && !templatedReplacement {
            // Without `$` only whether the regex matches counts (this also covers Go's fast
            // path for an empty value and the default regex). The name was checked at build time.
            guard !config.targetLabel.isEmpty, sourceMatches(config) else { return }
            set(config.targetLabel, config.replacement)
            return
        }
        joinSources(config)
        let text = String(decoding: joined, as: UTF8.self)
        // No match, no replacement.
        guard let match = config.regex.firstMatch(in: text) else { return }
        let target = templatedTarget ? config.regex.expand(config.targetLabel, match: match, in: text) : config.targetLabel
        // Go skips a target that is not a valid name; under UTF-8 only "" is invalid.
        guard !target.isEmpty else { return }
        let value = templatedReplacement ? config.regex.expand(config.replacement, match: match, in: text) : config.replacement
        // An empty result deletes the target label.
        set(target, value)
    }

    /// `labelmap`: each label whose name matches is copied to the name the replacement gives
    /// (Go's `ReplaceAllString` of the name).
    private mutating func labelMap(_ config: RelabelConfig) {
        Self.forEachLabel(of: self) { label in
            if let shortcut = config.shortcut, !nameMatches(label, shortcut) { return }
            let labelName = name(label)
            guard let match = config.regex.firstMatch(in: labelName), let whole = match.range(0) else { return }
            var newName = config.regex.expand(config.replacement, match: match, in: labelName)
            if whole != 0..<labelName.utf8.count {
                // Only a pattern that closes the `^(?s:` group itself (`a)|(b`) matches part of a
                // name. Go then replaces every match; we replace the first and keep the rest.
                let utf8 = Array(labelName.utf8)
                newName = String(decoding: utf8[..<whole.lowerBound], as: UTF8.self) + newName
                    + String(decoding: utf8[whole.upperBound...], as: UTF8.self)
            }
            set(newName, value(label))
        }
    }

    private mutating func nameMatches(_ label: Label, _ config: RelabelConfig) -> Bool {
        if let shortcut = config.shortcut { return nameMatches(label, shortcut) }
        joined.removeAll(keepingCapacity: true)
        switch label {
        case .base(let name, _): joined.append(contentsOf: base.bytes[name])
        case .added(let name, _): joined.append(contentsOf: name.utf8)
        }
        return config.regex.matches(utf8: joined)
    }

    private func nameMatches(_ label: Label, _ shortcut: PatternShortcut) -> Bool {
        switch label {
        case .base(let name, _): shortcut.matches(base.bytes[name])
        case .added(let name, _): shortcut.matches(name.utf8)
        }
    }
}
