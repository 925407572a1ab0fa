// Composing a config file's YAML as go-yaml v2 does, errors in its words
// ("yaml: line 3: mapping values are not allowed in this context"). Repeated mapping keys are
// kept in the tree for the decoder to report in Go's words.

import YAML

enum ConfigYAML {
    /// The first document of `text`, nil when there is none (an empty file). Like go-yaml,
    /// later documents are ignored.
    static func compose(_ text: String) throws(ConfigError) -> Node? {
        do {
            return try Composer.compose(text)
        } catch {
            throw ConfigError(error.message)
        }
    }
}
