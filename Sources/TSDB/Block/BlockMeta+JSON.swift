// BlockMeta.encoded(): byte-for-byte what Go's json.MarshalIndent(meta, "", "\t") writes (spec §1.3).

extension BlockMeta {
    /// The meta.json bytes exactly as Prometheus writes them: `json.MarshalIndent(meta, "", "\t")`, keys in
    /// Go struct order, `omitempty` members left out, HTML characters escaped, no trailing newline.
    ///
    /// Key order follows the Go structs of `tsdb/block.go`: `ulid, minTime, maxTime, stats, compaction,
    /// version`; inside `compaction`: `level, sources, deletable, parents, failed, hints`.
    package func encoded() -> [UInt8] {
        var out: [UInt8] = []
        jsonValue.write(to: &out, indent: 0)
        return out
    }

    private var jsonValue: GoJSON {
        var statsMembers: [(String, GoJSON)] = []
        if stats.numSamples != 0 { statsMembers.append(("numSamples", .number(String(stats.numSamples)))) }
        if stats.numSeries != 0 { statsMembers.append(("numSeries", .number(String(stats.numSeries)))) }
        if stats.numChunks != 0 { statsMembers.append(("numChunks", .number(String(stats.numChunks)))) }
        if stats.numTombstones != 0 { statsMembers.append(("numTombstones", .number(String(stats.numTombstones)))) }

        var compactionMembers: [(String, GoJSON)] = [("level", .number(String(compaction.level)))]
        if !compaction.sources.isEmpty {
            compactionMembers.append(("sources", .array(compaction.sources.map { .string($0.string) })))
        }
        if compaction.deletable == true { compactionMembers.append(("deletable", .bool(true))) }
        if let parents = compaction.parents, !parents.isEmpty {
            let descs: [GoJSON] = parents.map { p in
                .object([
                    ("ulid", .string(p.ulid.string)), ("minTime", .number(String(p.minTime))),
                    ("maxTime", .number(String(p.maxTime))),
                ])
            }
            compactionMembers.append(("parents", .array(descs)))
        }
        if compaction.failed == true { compactionMembers.append(("failed", .bool(true))) }
        if let hints = compaction.hints, !hints.isEmpty {
            compactionMembers.append(("hints", .array(hints.map { .string($0) })))
        }

        return .object([
            ("ulid", .string(ulid.string)),
            ("minTime", .number(String(minTime))),
            ("maxTime", .number(String(maxTime))),
            ("stats", .object(statsMembers)),
            ("compaction", .object(compactionMembers)),
            ("version", .number(String(version))),
        ])
    }
}

/// The few JSON shapes meta.json needs, printed the way Go's `MarshalIndent` prints them.
private enum GoJSON {
    case object([(String, GoJSON)])
    case array([GoJSON])
    case string(String)
    case number(String)
    case bool(Bool)

    func write(to out: inout [UInt8], indent: Int) {
        switch self {
        case .object(let members):
            // Go prints an empty object or array as `{}` / `[]` on one line.
            guard !members.isEmpty else { return out.append(contentsOf: "{}".utf8) }
            out.append(UInt8(ascii: "{"))
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, indent + 1)
                Self.writeString(key, to: &out)
                out.append(contentsOf: ": ".utf8)
                value.write(to: &out, indent: indent + 1)
            }
            Self.newline(&out, indent)
            out.append(UInt8(ascii: "}"))
        case .array(let elements):
            guard !elements.isEmpty else { return out.append(contentsOf: "[]".utf8) }
            out.append(UInt8(ascii: "["))
            for (i, value) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, indent + 1)
                value.write(to: &out, indent: indent + 1)
            }
            Self.newline(&out, indent)
            out.append(UInt8(ascii: "]"))
        case .string(let s): Self.writeString(s, to: &out)
        case .number(let digits): out.append(contentsOf: digits.utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        }
    }

    private static func newline(_ out: inout [UInt8], _ depth: Int) {
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: "\t"), count: depth))
    }

    /// Go's `encoding/json` string escaping with `escapeHTML` on (the `Marshal` default).
    private static func writeString(_ s: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x22: out.append(contentsOf: "\\\"".utf8)
            case 0x5C: out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0x00..<0x20, 0x3C, 0x3E, 0x26, 0x2028, 0x2029:
                let v = scalar.value
                out.append(contentsOf: "\\u".utf8)
                for shift in stride(from: 12, through: 0, by: -4) { out.append(hex[Int((v >> UInt32(shift)) & 0xF)]) }
            default: out.append(contentsOf: String(scalar).utf8)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
