// Files for rule tests: rule files written to a fresh temporary directory.

import Foundation

/// Writes `text` to a new file in a fresh temporary directory and returns its path.
func temporaryRuleFile(_ text: String, name: String = "rules.yml") throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sugarmill-rules-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}
