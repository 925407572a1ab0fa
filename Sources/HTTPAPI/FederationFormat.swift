// FederationFormat: the exposition format /federate answers in, chosen from the Accept header as
// Prometheus's federation chooses it (`expfmt.Negotiate`, which leaves OpenMetrics out).

/// The format of a federation answer.
///
/// ```swift
/// FederationFormat.negotiate(accept: "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited")
/// // .protobufDelimited
/// FederationFormat.negotiate(accept: "application/openmetrics-text;version=1.0.0")   // .text
/// ```
enum FederationFormat: Sendable, Equatable {
    /// Text format 0.0.4: floats and custom-bucket histograms (as classic ones); native
    /// histograms cannot be written in it and are left out.
    case text
    /// Length-delimited `io.prometheus.client.MetricFamily` messages: everything.
    case protobufDelimited

    /// The Content-Type of the answer: expfmt's `FmtText` and `FmtProtoDelim`. (Prometheus 3
    /// appends `; escaping=<scheme>` and escapes names accordingly; like our text answer, which
    /// Prometheus 2 consumers expect, we neither escape nor say so.)
    var contentType: String {
        switch self {
        case .text: return "text/plain; version=0.0.4; charset=utf-8"
        case .protobufDelimited: return "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"
        }
    }

    /// The first acceptable clause of `accept`, in goautoneg's order, that names a format we
    /// write; text when none does (or there is no header).
    ///
    /// As `expfmt.Negotiate`: a protobuf clause needs `proto=io.prometheus.client.MetricFamily`
    /// and `encoding=delimited`; a `text/plain` clause needs no version or `version=0.0.4`;
    /// OpenMetrics clauses are passed over. Prometheus would answer `encoding=text` and
    /// `encoding=compact-text` with protobuf's debugging text formats, which we do not write: we
    /// pass over those clauses as over any other we cannot serve, so such a client gets its next
    /// choice or text.
    static func negotiate(accept: String?) -> FederationFormat {
        for clause in AcceptClause.parse(accept ?? "") {
            if clause.mediaType == "application/vnd.google.protobuf" && clause.parameters["proto"] == "io.prometheus.client.MetricFamily"
                && clause.parameters["encoding"] == "delimited"
            {
                return .protobufDelimited
            }
            let version = clause.parameters["version"] ?? ""
            if clause.mediaType == "text/plain" && (version == "0.0.4" || version.isEmpty) { return .text }
        }
        return .text
    }
}

/// One clause of an Accept header, as munnerz/goautoneg's `ParseAccept` reads it: no unquoting,
/// case-sensitive, a `q` that does not parse is 0.
struct AcceptClause: Equatable {
    var type: String
    var subtype: String
    var q: Double
    var parameters: [String: String]

    var mediaType: String { type + "/" + subtype }

    /// The clauses of `header`, most preferred first: sorted as goautoneg sorts them (higher `q`
    /// first, and a concrete type or subtype before a wildcard), with its insertion sort, which
    /// Go's `sort.Sort` uses for the dozen clauses a header has.
    static func parse(_ header: String) -> [AcceptClause] {
        var clauses: [AcceptClause] = []
        for part in header.split(separator: ",", omittingEmptySubsequences: false) {
            let fields = part.trimmingSpaces.split(separator: ";", omittingEmptySubsequences: false)
            let range = fields[0].split(separator: "/", omittingEmptySubsequences: false)
            var clause = AcceptClause(type: String(range[0].trimmingSpaces), subtype: "", q: 1, parameters: [:])
            if range.count == 1 && clause.type == "*" {
                clause.subtype = "*"
            } else if range.count == 2 {
                clause.subtype = String(range[1].trimmingSpaces)
            } else {
                continue
            }
            for parameter in fields.dropFirst() {
                guard let equals = parameter.firstIndex(of: "=") else { continue }
                let name = String(parameter[..<equals].trimmingSpaces)
                let value = parameter[parameter.index(after: equals)...]
                if name == "q" {
                    clause.q = Double(Float(value) ?? 0)
                } else {
                    clause.parameters[name] = String(value.trimmingSpaces)
                }
            }
            clauses.append(clause)
        }
        for i in clauses.indices.dropFirst() {
            var j = i
            while j > 0 && clauses[j].isPreferred(to: clauses[j - 1]) {
                clauses.swapAt(j, j - 1)
                j -= 1
            }
        }
        return clauses
    }

    /// goautoneg's `Less`, which is not a strict order; kept as is so ties break as in Go.
    private func isPreferred(to other: AcceptClause) -> Bool {
        if q > other.q { return true }
        if type != "*" && other.type == "*" { return true }
        if subtype != "*" && other.subtype == "*" { return true }
        return false
    }
}

extension Substring {
    /// Without leading and trailing spaces (Go's `strings.Trim(s, " ")`; tabs stay).
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
