// Reading a file-SD file (`file_sd_configs`; Prometheus's discovery/file `readFile`): a list of
// target groups in YAML or JSON, each labelled with `__meta_filepath`.

import MetricModel

extension FileSDConfig {
    /// The target groups in the file at `path` (`.json`, `.yml` or `.yaml`), each with
    /// `__meta_filepath` set to `path` and the source `path:index`.
    ///
    /// JSON is read as the YAML it is a subset of, so its errors are worded as YAML errors.
    ///
    /// - Throws: `ConfigError` "open x: no such file or directory", a YAML error, or "nil target
    ///   group item found".
    package static func targetGroups(fromFile path: String) throws(ConfigError) -> [TargetGroup] {
        let bytes = try ConfigFile.contents(of: path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError("yaml: invalid leading UTF-8 octet")
        }
        return try targetGroups(fromText: text, path: path)
    }

    /// The target groups in a file-SD file's text; `path` names their source.
    package static func targetGroups(fromText text: String, path: String) throws(ConfigError) -> [TargetGroup] {
        try decodeTargetGroups(text, metaLabel: "__meta_filepath", source: path)
    }

    /// A list of target groups in YAML or JSON (file SD files, HTTP SD responses), read strictly;
    /// each group gets `metaLabel` set to `source` and the source `source:index`.
    static func decodeTargetGroups(_ text: String, metaLabel: String, source: String) throws(ConfigError) -> [TargetGroup] {
        guard let root = try ConfigYAML.compose(text) else { return [] }
        let decoder = ConfigDecoder()
        let groups = try decoder.optionalElements(root, goType: "[]*targetgroup.Group") { item throws(ConfigError) in
            try decoder.targetGroup(item, source: "")
        }
        if let error = decoder.unmarshalError { throw error }
        var result: [TargetGroup] = []
        for (index, group) in groups.enumerated() {
            guard var group else { throw ConfigError("nil target group item found") }
            group.source = "\(source):\(index)"
            var labels = LabelsBuilder(group.labels)
            labels.set(metaLabel, source)
            group.labels = labels.labels()
            result.append(group)
        }
        return result
    }
}
