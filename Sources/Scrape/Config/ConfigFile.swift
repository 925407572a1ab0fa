// Reading a config file whole, with Go's `os.ReadFile` error wording ("open x: no such file or
// directory"), since Prometheus shows that text as is.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

package enum ConfigFile {
    /// The bytes of the file at `path`.
    ///
    /// - Throws: `ConfigError` (code `.unreadableFile`) "open prometheus.yml: no such file or directory",
    ///   "read /etc: is a directory".
    package static func contents(of path: String) throws(ConfigError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("open", path) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("read", path)
            }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
        }
    }

    /// Go's `*PathError` text: the operation, the path, then the system's message in lower case.
    private static func failure(_ operation: String, _ path: String) -> ConfigError {
        var message = String(cString: strerror(errno))
        if let first = message.first { message = first.lowercased() + message.dropFirst() }
        return ConfigError("\(operation) \(path): \(message)", code: .unreadableFile)
    }
}

private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
