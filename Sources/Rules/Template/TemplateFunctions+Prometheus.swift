// Prometheus's template functions (template/template.go, v2.42 and Prometheus 3): queries
// and their samples, regular expressions, text, links, host names and the external URL. The
// number and time functions are in TemplateFunctions+Humanize.

import MetricModel

/// What Prometheus's functions need from the expansion.
struct PrometheusFunctionContext {
    /// The evaluation time, ms since the epoch (`query` runs at it, `now` returns it).
    var timestamp: Int64
    var query: TemplateQueryFunction?
    var externalURL: String
}

extension TemplateFunctions {
    /// Prometheus's functions, bound to `context`.
    static func prometheus(_ context: PrometheusFunctionContext) -> [String: TemplateFunction] {
        var table: [String: TemplateFunction] = [
            "query": TemplateFunction([.string]) { (a) throws(FunctionFailure) in
                guard let query = context.query else { throw FunctionFailure.nilDereference }
                do {
                    let samples = try query(a[0].stringValue, context.timestamp)
                    return .slice(samples.map(TemplateValue.samplePointer), .queryResult)
                } catch {
                    throw FunctionFailure(String(describing: error))
                }
            },
            "first": TemplateFunction([.queryResult]) { (a) throws(FunctionFailure) in
                guard case .slice(let samples, _) = a[0], let first = samples.first else {
                    throw FunctionFailure("first() called on vector with no elements")
                }
                return first
            },
            "label": TemplateFunction([.string, .pointer(.sample)]) { (a) throws(FunctionFailure) in
                .text(try labels(of: a[1])[a[0].stringValue] ?? "")
            },
            "value": TemplateFunction([.pointer(.sample)]) { (a) throws(FunctionFailure) in
                guard case .pointer(.sample(_, let value)?, _) = a[0] else { throw FunctionFailure.nilDereference }
                return .float(value)
            },
            "strvalue": TemplateFunction([.pointer(.sample)]) { (a) throws(FunctionFailure) in
                .text(try labels(of: a[0])["__value__"] ?? "")
            },
            "args": TemplateFunction([], variadic: .interface) { (a) throws(FunctionFailure) in
                // The one function that nests values: bounded, so that no template builds a
                // value too deep to print or free on a small stack.
                var budget = maxArgsValues
                for v in a { try count(v, &budget, depth: 1) }
                var entries: [String: TemplateValue] = [:]
                for (i, v) in a.enumerated() { entries["arg\(i)"] = v }
                return .map(entries, element: .interface)
            },
            "reReplaceAll": TemplateFunction([.string, .string, .string]) { (a) throws(FunctionFailure) in
                .text(try TemplateRegex.replaceAll(a[0].stringValue, a[1].stringValue, in: a[2].stringValue))
            },
            "match": TemplateFunction([.string, .string]) { (a) throws(FunctionFailure) in
                do throws(RegexSyntaxError) {
                    return .bool(try TemplateRegex.matches(a[0].stringValue, a[1].stringValue))
                } catch {
                    throw FunctionFailure(error.description)
                }
            },
            "safeHtml": TemplateFunction([.string]) { .string($0[0].stringValue, .html) },
            "title": TemplateFunction([.string]) { .text(TemplateText.title($0[0].stringValue)) },
            "toUpper": TemplateFunction([.string]) { .text(TemplateText.upper($0[0].stringValue)) },
            "toLower": TemplateFunction([.string]) { .text(TemplateText.lower($0[0].stringValue)) },
            "graphLink": TemplateFunction([.string]) { .text("/graph?g0.expr=\(queryEscape($0[0].stringValue))&g0.tab=0") },
            "tableLink": TemplateFunction([.string]) { .text("/graph?g0.expr=\(queryEscape($0[0].stringValue))&g0.tab=1") },
            "urlQueryEscape": TemplateFunction([.string]) { .text(queryEscape($0[0].stringValue)) },
            "sortByLabel": TemplateFunction([.string, .queryResult]) { (a) throws(FunctionFailure) in
                guard case .slice(let samples, let type) = a[1] else { return a[1] }
                let name = a[0].stringValue
                var keyed: [(key: String, sample: TemplateValue)] = []
                for sample in samples { keyed.append((try labels(of: sample)[name] ?? "", sample)) }
                // A stable sort, comparing label values as Go compares strings: by bytes.
                let sorted = keyed.enumerated().sorted { x, y in
                    if x.element.key == y.element.key { return x.offset < y.offset }
                    return x.element.key.utf8.lexicographicallyPrecedes(y.element.key.utf8)
                }
                return .slice(sorted.map(\.element.sample), type)
            },
            "stripPort": TemplateFunction([.string]) { a in
                let hostPort = a[0].stringValue
                return .text(HostPort.split(hostPort).map { String($0.host) } ?? hostPort)
            },
            "stripDomain": TemplateFunction([.string]) { .text(HostPort.stripDomain($0[0].stringValue)) },
            "pathPrefix": TemplateFunction([]) { _ in .text(ExternalURL.path(of: context.externalURL)) },
            "externalURL": TemplateFunction([]) { _ in .text(context.externalURL) },
        ]
        table.merge(humanizeFunctions(context)) { first, _ in first }
        return table
    }

    /// How many values, and how deeply nested, one `args` result may hold.
    static let maxArgsValues = 10_000
    static let maxArgsDepth = 20

    private static func count(_ value: TemplateValue, _ budget: inout Int, depth: Int) throws(FunctionFailure) {
        budget -= 1
        if budget < 0 || depth > maxArgsDepth {
            throw FunctionFailure("arguments nest deeper than \(maxArgsDepth) levels or hold more than \(maxArgsValues) values")
        }
        switch value {
        case .map(let entries, _): for v in entries.values { try count(v, &budget, depth: depth + 1) }
        case .slice(let elements, _): for v in elements { try count(v, &budget, depth: depth + 1) }
        default: break
        }
    }

    /// The labels of a `*sample`; a nil pointer fails as Go's nil dereference does.
    private static func labels(of sample: TemplateValue) throws(FunctionFailure) -> [String: String] {
        guard case .pointer(.sample(let labels, _)?, _) = sample else { throw FunctionFailure.nilDereference }
        return labels
    }
}

/// The path of Prometheus's external URL, as `url.URL.Path` has it (unescaped).
enum ExternalURL {
    static func path(of url: String) -> String {
        var rest = Substring(url)
        if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        if let scheme = rest.firstRange(of: "://") {
            rest = rest[scheme.upperBound...]
            guard let slash = rest.firstIndex(of: "/") else { return "" }
            rest = rest[slash...]
        }
        return percentDecoded(rest)
    }

    private static func percentDecoded(_ s: Substring) -> String {
        let bytes = Array(s.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
                let v = UInt8(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
            {
                out.append(v)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
