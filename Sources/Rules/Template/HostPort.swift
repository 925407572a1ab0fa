// Go's `net.SplitHostPort`, `net.ParseIP` and `net.JoinHostPort`, for Prometheus's
// `stripPort` and `stripDomain` template functions.

enum HostPort {
    /// Go's `net.SplitHostPort`; nil where Go returns an error.
    static func split(_ hostPort: String) -> (host: Substring, port: Substring)? {
        guard let lastColon = hostPort.lastIndex(of: ":") else { return nil }
        var host: Substring
        var afterOpen = hostPort.startIndex
        var afterClose = hostPort.startIndex
        if hostPort.first == "[" {
            guard let close = hostPort.firstIndex(of: "]") else { return nil }
            // The ']' must come just before the last ':'.
            guard hostPort.index(after: close) == lastColon else { return nil }
            host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            afterOpen = hostPort.index(after: hostPort.startIndex)
            afterClose = hostPort.index(after: close)
        } else {
            host = hostPort[..<lastColon]
            if host.contains(":") { return nil }
        }
        if hostPort[afterOpen...].contains("[") || hostPort[afterClose...].contains("]") { return nil }
        return (host, hostPort[hostPort.index(after: lastColon)...])
    }

    /// Prometheus's `stripDomain`: the first label of a host name, the port kept; IP addresses
    /// and what is not a host name are returned whole.
    static func stripDomain(_ hostPort: String) -> String {
        var host = Substring(hostPort)
        var port: Substring = ""
        if let split = split(hostPort) { (host, port) = split }
        if isIP(host) { return hostPort }
        let first = host.prefix { $0 != "." }
        guard !port.isEmpty else { return String(first) }
        return first.contains(":") ? "[\(first)]:\(port)" : "\(first):\(port)"
    }

    /// Whether Go's `net.ParseIP` accepts `s`: dotted IPv4 or IPv6 (with `::` and an optional
    /// dotted IPv4 tail).
    static func isIP(_ s: Substring) -> Bool {
        isIPv4(s) || isIPv6(s)
    }

    private static func isIPv4(_ s: Substring) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            if part.count > 1 && part.first == "0" { return false }
            return Int(part)! <= 255
        }
    }

    private static func isIPv6(_ s: Substring) -> Bool {
        guard s.contains(":") else { return false }
        var text = s
        var groups = 0
        // A dotted IPv4 tail counts as two groups.
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard isIPv4(text[text.index(after: lastColon)...]) else { return false }
            text = text[...lastColon]
            if text.hasSuffix("::") {
                groups += 2
            } else {
                text = text.dropLast()
                groups += 2
            }
        }
        var halves = [text]
        if let gap = text.firstRange(of: "::") {
            halves = [text[..<gap.lowerBound], text[gap.upperBound...]]
            if halves[1].contains("::") { return false }
        }
        for half in halves where !half.isEmpty {
            for group in half.split(separator: ":", omittingEmptySubsequences: false) {
                guard !group.isEmpty, group.count <= 4, group.allSatisfy({ $0.isHexDigit && $0.isASCII }) else { return false }
                groups += 1
            }
        }
        return halves.count == 2 ? groups < 8 : groups == 8
    }
}
