// File service discovery (Prometheus's `discovery/file`): target groups from JSON or YAML files
// matching the configured patterns, re-read as they change. A file that stops parsing keeps
// its last good groups, as Prometheus does.

import MetricModel
internal import Synchronization
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// Reads the target groups of one `file_sd_configs` entry.
final class FileDiscovery: Sendable {
    /// How often files are checked for changes (Prometheus watches them; we look this often).
    static let pollIntervalMs: Int64 = 5_000

    let config: FileSDConfig
    /// The last good groups of each file.
    private let lastGood = Mutex<[String: [TargetGroup]]>([:])

    init(_ config: FileSDConfig) { self.config = config }

    /// The groups of every matching file, each labelled `__meta_filepath` and sourced
    /// `<path>:<index>`. Files that cannot be read or parsed contribute their last good groups.
    func groups() -> [TargetGroup] {
        var result: [TargetGroup] = []
        var seen: Set<String> = []
        for path in Self.expand(config.files) {
            seen.insert(path)
            if let groups = read(path) {
                lastGood.withLock { $0[path] = groups }
                result += groups
            } else if let previous = lastGood.withLock({ $0[path] }) {
                result += previous
            }
        }
        lastGood.withLock { state in state = state.filter { seen.contains($0.key) } }
        return result
    }

    private func read(_ path: String) -> [TargetGroup]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let parsed = try? TargetGroupFile.parse(text) else { return nil }
        return parsed.enumerated().map { i, group in
            var builder = LabelsBuilder(group.labels)
            builder.set("__meta_filepath", path)
            return TargetGroup(targets: group.targets, labels: builder.labels(), source: "\(path):\(i)")
        }
    }

    /// The files matching the patterns (`*`, `?` and `[…]` in the last path element), sorted.
    static func expand(_ patterns: [String]) -> [String] {
        var files: [String] = []
        for pattern in patterns {
            let slash = pattern.lastIndex(of: "/")
            let directory = slash.map { String(pattern[..<$0]) } ?? "."
            let name = slash.map { String(pattern[pattern.index(after: $0)...]) } ?? pattern
            if !name.contains(where: { "*?[".contains($0) }) {
                files.append(pattern)
                continue
            }
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "/" : directory) else {
                continue
            }
            for entry in entries.sorted() where Glob.matches(Array(name.utf8), Array(entry.utf8)) {
                files.append(slash == nil ? entry : directory + "/" + entry)
            }
        }
        return files
    }
}

/// Go's `filepath.Match` for one path element: `*`, `?`, `[…]` with ranges and `^` negation.
enum Glob {
    static func matches(_ pattern: [UInt8], _ name: [UInt8]) -> Bool {
        var p = 0
        var n = 0
        var starP = -1
        var starN = 0
        while n < name.count {
            if p < pattern.count {
                switch pattern[p] {
                case UInt8(ascii: "*"):
                    starP = p
                    starN = n
                    p += 1
                    continue
                case UInt8(ascii: "?"):
                    p += 1
                    n += 1
                    continue
                case UInt8(ascii: "["):
                    if let (matched, next) = classMatch(pattern, p, name[n]), matched {
                        p = next
                        n += 1
                        continue
                    }
                default:
                    if pattern[p] == name[n] {
                        p += 1
                        n += 1
                        continue
                    }
                }
            }
            guard starP >= 0 else { return false }
            starN += 1
            n = starN
            p = starP + 1
        }
        while p < pattern.count && pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }

    /// Whether `c` is in the class starting at `pattern[start]` (`[`), and where the class ends.
    private static func classMatch(_ pattern: [UInt8], _ start: Int, _ c: UInt8) -> (Bool, Int)? {
        var i = start + 1
        var negated = false
        if i < pattern.count && pattern[i] == UInt8(ascii: "^") {
            negated = true
            i += 1
        }
        var matched = false
        var first = true
        while i < pattern.count && (first || pattern[i] != UInt8(ascii: "]")) {
            first = false
            let lo = pattern[i]
            var hi = lo
            if i + 2 < pattern.count && pattern[i + 1] == UInt8(ascii: "-") && pattern[i + 2] != UInt8(ascii: "]") {
                hi = pattern[i + 2]
                i += 2
            }
            if lo <= c && c <= hi { matched = true }
            i += 1
        }
        guard i < pattern.count else { return nil }
        return (matched != negated, i + 1)
    }
}
