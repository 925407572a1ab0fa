// File paths in a config as Prometheus handles them: relative paths joined to the config
// file's directory (`config.JoinDir`, Go's `filepath.Join`/`Clean`), glob patterns
// (`filepath.Glob`) and the pattern checks on rule, scrape-config and file-SD paths.

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

package enum ConfigPaths {
    /// `config.JoinDir`: `path` unchanged when empty or absolute, else `dir/path`, cleaned.
    package static func join(_ directory: String, _ path: String) -> String {
        if path.isEmpty || path.hasPrefix("/") { return path }
        return clean(directory.isEmpty ? path : directory + "/" + path)
    }

    /// Go's `filepath.Dir`.
    package static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return clean(String(path[...slash]))
    }

    /// Go's `filepath.Clean`: no `.` elements, `..` resolved lexically, no repeated or trailing `/`.
    static func clean(_ path: String) -> String {
        if path.isEmpty { return "." }
        let rooted = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !rooted {
                    parts.append(part)
                }
            default: parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// Go's `filepath.Abs` (for error texts naming a file).
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return clean(path) }
        return clean(FileManager.default.currentDirectoryPath + "/" + path)
    }

    /// `^[^*]*(\*[^/]*)?$`: a `*` only in the last path element (rule files, scrape config files).
    static func isValidRulePattern(_ path: String) -> Bool {
        guard let star = path.firstIndex(of: "*") else { return true }
        return !path[star...].contains("/")
    }

    /// `^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$` (file SD).
    static func isValidFileSDPattern(_ path: String) -> Bool {
        guard isValidRulePattern(path) else { return false }
        return [".json", ".yml", ".yaml", ".JSON", ".YML", ".YAML"].contains { path.hasSuffix($0) }
    }

    /// Go's `filepath.Glob` for patterns with meta characters in the last element only: the
    /// matching names in that directory, sorted; a pattern without meta characters matches itself
    /// when the file exists.
    package static func glob(_ pattern: String) -> [String] {
        let hasMeta = pattern.contains { $0 == "*" || $0 == "?" || $0 == "[" || $0 == "\\" }
        guard hasMeta else { return FileManager.default.fileExists(atPath: pattern) ? [pattern] : [] }
        let slash = pattern.lastIndex(of: "/")
        let directory = slash.map { String(pattern[...$0]) } ?? ""
        let namePattern = slash.map { String(pattern[pattern.index(after: $0)...]) } ?? pattern
        let listed = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
        let found = listed.filter { matches(namePattern, $0) }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return found.map { directory + $0 }
    }

    /// Whether a file name matches a pattern of one path element (`*`, `?`, `[…]`).
    static func matches(_ namePattern: String, _ name: String) -> Bool {
        fnmatch(namePattern, name, 0) == 0
    }
}
