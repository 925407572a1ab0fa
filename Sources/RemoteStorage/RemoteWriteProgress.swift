// RemoteWriteProgress: how far into the WAL one remote-write endpoint has been acknowledged, kept
// in `<data>/remote_write/<name>.progress`, so that a restart resumes there (Prometheus starts
// over from the WAL's end and loses what was not yet sent).

internal import TSDB
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif
#if canImport(Glibc)
internal import Glibc
#endif

/// The saved WAL position of one endpoint: `segment offset url` on one line.
struct RemoteWriteProgress {
    let path: String
    let url: String

    init(directory: String, name: String, url: String) {
        path = directory + "/" + name + ".progress"
        self.url = url
    }

    /// The saved position; nil when there is none, it is unreadable, or it was for another URL.
    func load() -> WALPosition? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let parts = String(decoding: data, as: UTF8.self).split(separator: " ", maxSplits: 2)
        guard parts.count == 3, let segment = Int(parts[0]), let offset = Int(parts[1]), segment >= 0, offset >= 0,
            parts[2].filter({ $0 != "\n" && $0 != "\r" }) == url
        else { return nil }
        return WALPosition(segment: segment, offset: offset)
    }

    /// Saves `position` atomically (a temporary file renamed over the old one).
    func save(_ position: WALPosition) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = path + ".tmp"
        try Data("\(position.segment) \(position.offset) \(url)\n".utf8).write(to: URL(fileURLWithPath: temporary))
        if rename(temporary, path) != 0 { throw ProgressError(path: path, errno: errno) }
    }
}

/// The progress file could not be replaced.
struct ProgressError: Error, CustomStringConvertible {
    var path: String
    var errno: Int32
    var description: String { "rename \(path): \(String(cString: strerror(errno)))" }
}
