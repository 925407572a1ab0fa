// Log handlers writing logfmt or JSON lines to stderr, as `--log.format` selects.

package import Logging
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif
internal import Glibc

/// A swift-log handler that writes one line per message in logfmt or JSON, like Prometheus.
package struct LineLogHandler: LogHandler {
    package enum Format: String, Sendable { case logfmt, json }

    package var logLevel: Logger.Level
    package var metadata: Logger.Metadata = [:]
    let label: String
    let format: Format

    package init(label: String, level: Logger.Level, format: Format) {
        self.label = label
        self.logLevel = level
        self.format = format
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var fields: [(String, String)] = [
            ("time", Self.timestamp()), ("level", Self.levelName(event.level)), ("source", label), ("msg", "\(event.message)"),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() { fields.append((key, "\(merged[key]!)")) }
        var line = ""
        switch format {
        case .logfmt:
            line = fields.map { "\($0.0)=\(Self.logfmtValue($0.1))" }.joined(separator: " ")
        case .json:
            line = "{" + fields.map { "\(Self.jsonString($0.0)):\(Self.jsonString($0.1))" }.joined(separator: ",") + "}"
        }
        line += "\n"
        StandardError.write(line)
    }

    static func levelName(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: return "debug"
        case .info, .notice: return "info"
        case .warning: return "warn"
        case .error, .critical: return "error"
        }
    }

    /// RFC 3339 UTC with milliseconds (`2026-11-26T17:01:08.171Z`), formatted by hand:
    /// Foundation's date formatters page in ICU (megabytes of resident memory) for one log line.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ n: Int32, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: Swift.max(0, width - s.count)) + s
        }
        let millis = Int32(now.tv_nsec / 1_000_000)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(millis, 3))Z"
    }

    static func logfmtValue(_ s: String) -> String {
        if !s.isEmpty && !s.contains(where: { $0 == " " || $0 == "=" || $0 == "\"" || $0.isNewline }) { return s }
        return jsonString(s)
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if ch.value < 0x20 { out += "\\u00" + (ch.value < 0x10 ? "0" : "") + String(ch.value, radix: 16) } else { out.unicodeScalars.append(ch) }
            }
        }
        return out + "\""
    }

    /// Parses `--log.level`.
    package static func level(_ name: String) -> Logger.Level? {
        switch name {
        case "debug": return .debug
        case "info": return .info
        case "warn": return .warning
        case "error": return .error
        default: return nil
        }
    }
}
