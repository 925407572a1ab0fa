// File service discovery (Prometheus's `discovery/file`): target groups from JSON or YAML files
// matching the configured patterns, re-read as they change. A file that stops parsing keeps
// its last good groups, as Prometheus does.

import MetricModel
internal import Synchronization

/// Reads the target groups of one `file_sd_configs` entry (of a scrape config or an
/// Alertmanager set).
package final class FileDiscovery: Sendable {
    /// How often files are checked for changes (Prometheus watches them; we look this often).
    package static let pollIntervalMs: Int64 = 5_000

    package let config: FileSDConfig
    /// The last good groups of each file.
    private let lastGood = Mutex<[String: [TargetGroup]]>([:])

    package init(_ config: FileSDConfig) { self.config = config }

    /// The groups of every existing file matching the patterns (`FileSDConfig.targetGroups`:
    /// `__meta_filepath`, source `<path>:<index>`). A file that cannot be read or parsed
    /// contributes its last good groups; a file that is gone takes its groups with it.
    package func groups() -> [TargetGroup] {
        var result: [TargetGroup] = []
        var seen: Set<String> = []
        for path in config.files.flatMap(ConfigPaths.glob) where seen.insert(path).inserted {
            if let groups = try? FileSDConfig.targetGroups(fromFile: path) {
                lastGood.withLock { $0[path] = groups }
                result += groups
            } else if let previous = lastGood.withLock({ $0[path] }) {
                result += previous
            }
        }
        lastGood.withLock { state in state = state.filter { seen.contains($0.key) } }
        return result
    }
}
