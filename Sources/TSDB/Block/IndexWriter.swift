// IndexWriter: encodes a block's index file, format version 2, byte for byte as Prometheus 2.42
// writes it (spec/tsdb-format.md §4.1–§4.8).

internal import ChunkEncoding
internal import MetricModel

/// Builds the index of a block in memory.
///
/// Layout, in order: header, symbol table (every label name and value plus `""`, sorted bytewise),
/// series (16-byte aligned, ID = offset / 16, sorted by labels), label indices (4-byte aligned, one per
/// label name), postings (all-postings first, then by name and value), label offset table, postings
/// offset table, TOC. Every section's CRC32C is as the spec says. The output depends only on the input.
enum IndexWriter {
    static let magic: UInt32 = 0xBAAA_D700
    static let version: UInt8 = 2

    /// One series to index: its labels and the metas (with references) of its chunks.
    struct Series {
        var labels: Labels
        var chunks: [BlockChunkMeta]
    }

    /// Encodes the index of `series`, which must be sorted by labels without duplicates.
    ///
    /// - Throws: `TSDBError.block(.invalidArgument)` when the index would outgrow what its 32-bit fields
    ///   address (series IDs, section lengths).
    static func encode(_ series: [Series]) throws(TSDBError) -> [UInt8] {
        // Symbols: every name and value, plus "" (Prometheus's all-postings key), bytewise sorted.
        var symbolSet: Set<[UInt8]> = [[]]
        for s in series {
            s.labels.forEachRange { name, value in
                symbolSet.insert(Array(s.labels.bytes[name]))
                symbolSet.insert(Array(s.labels.bytes[value]))
            }
        }
        let symbols = symbolSet.sorted { $0.lexicographicallyPrecedes($1) }
        var symbolRef: [[UInt8]: Int] = [:]
        symbolRef.reserveCapacity(symbols.count)
        for (i, symbol) in symbols.enumerated() { symbolRef[symbol] = i }

        var out: [UInt8] = []
        ByteWriter.be32(magic, to: &out)
        out.append(version)

        let symbolsStart = out.count
        try section(&out, what: "symbol table") { body in
            ByteWriter.be32(UInt32(symbols.count), to: &body)
            for symbol in symbols { ByteWriter.uvarintBytes(symbol, to: &body) }
        }

        // Series; collect postings keyed by (name ref, value ref), which sort like (name, value) bytes.
        let seriesStart = out.count
        var postings: [UInt64: [UInt32]] = [:]
        var all: [UInt32] = []
        all.reserveCapacity(series.count)
        var body: [UInt8] = []
        for s in series {
            pad(&out, to: 16)
            guard out.count / 16 <= Int(UInt32.max) else {
                throw TSDBError.block(.invalidArgument, "index: series section exceeds 64 GiB")
            }
            let id = UInt32(out.count / 16)
            all.append(id)
            body.removeAll(keepingCapacity: true)
            ByteWriter.uvarint(UInt64(s.labels.count), to: &body)
            s.labels.forEachRange { name, value in
                let nameRef = symbolRef[Array(s.labels.bytes[name])]!
                let valueRef = symbolRef[Array(s.labels.bytes[value])]!
                ByteWriter.uvarint(UInt64(nameRef), to: &body)
                ByteWriter.uvarint(UInt64(valueRef), to: &body)
                postings[UInt64(nameRef) << 32 | UInt64(valueRef), default: []].append(id)
            }
            encodeChunks(s.chunks, to: &body)
            ByteWriter.uvarint(UInt64(body.count), to: &out)
            out.append(contentsOf: body)
            ByteWriter.be32(CRC32C.checksum(body), to: &out)
        }

        // Label indices: one per name, its values' symbol refs in order.
        let labelIndicesStart = out.count
        let keys = postings.keys.sorted()
        var labelIndexOffsets: [(name: Int, offset: Int)] = []
        var k = 0
        while k < keys.count {
            let name = keys[k] >> 32
            var end = k
            while end < keys.count && keys[end] >> 32 == name { end += 1 }
            pad(&out, to: 4)
            labelIndexOffsets.append((Int(name), out.count))
            try section(&out, what: "label index") { body in
                ByteWriter.be32(1, to: &body)
                ByteWriter.be32(UInt32(end - k), to: &body)
                for key in keys[k..<end] { ByteWriter.be32(UInt32(truncatingIfNeeded: key), to: &body) }
            }
            k = end
        }

        // Postings: all-postings first. 2.42 aligns them relative to the start of its temporary postings
        // file, which begins here, so the padding is measured from `postingsStart`.
        let postingsStart = out.count
        var postingsOffsets: [(key: UInt64?, offset: Int)] = []
        for key in [nil] + keys.map(Optional.some) {
            let ids = key.map { postings[$0]! } ?? all
            out.append(contentsOf: repeatElement(0, count: (4 - (out.count - postingsStart) % 4) % 4))
            postingsOffsets.append((key, out.count))
            try section(&out, what: "postings list") { body in
                ByteWriter.be32(UInt32(ids.count), to: &body)
                for id in ids { ByteWriter.be32(id, to: &body) }
            }
        }

        let labelOffsetTableStart = out.count
        try section(&out, what: "label offset table") { body in
            ByteWriter.be32(UInt32(labelIndexOffsets.count), to: &body)
            for (name, offset) in labelIndexOffsets {
                ByteWriter.uvarint(1, to: &body)
                ByteWriter.uvarintBytes(symbols[name], to: &body)
                ByteWriter.uvarint(UInt64(offset), to: &body)
            }
        }

        let postingsOffsetTableStart = out.count
        try section(&out, what: "postings offset table") { body in
            ByteWriter.be32(UInt32(postingsOffsets.count), to: &body)
            for (key, offset) in postingsOffsets {
                ByteWriter.uvarint(2, to: &body)
                ByteWriter.uvarintBytes(key.map { symbols[Int($0 >> 32)] } ?? [], to: &body)
                ByteWriter.uvarintBytes(key.map { symbols[Int($0 & 0xFFFF_FFFF)] } ?? [], to: &body)
                ByteWriter.uvarint(UInt64(offset), to: &body)
            }
        }

        let tocStart = out.count
        for offset in [symbolsStart, seriesStart, labelIndicesStart, labelOffsetTableStart, postingsStart, postingsOffsetTableStart] {
            ByteWriter.be64(UInt64(offset), to: &out)
        }
        ByteWriter.be32(out.withUnsafeBytes { CRC32C.update(0, UnsafeRawBufferPointer(rebasing: $0[tocStart...])) }, to: &out)
        return out
    }

    /// `numChunks`, then the first chunk absolute and the rest as deltas (spec §4.3).
    private static func encodeChunks(_ chunks: [BlockChunkMeta], to body: inout [UInt8]) {
        ByteWriter.uvarint(UInt64(chunks.count), to: &body)
        guard let first = chunks.first else { return }
        ByteWriter.varint(first.minTime, to: &body)
        ByteWriter.uvarint(UInt64(bitPattern: first.maxTime &- first.minTime), to: &body)
        ByteWriter.uvarint(first.ref, to: &body)
        var previousMaxTime = first.maxTime
        var previousRef = first.ref
        for chunk in chunks.dropFirst() {
            ByteWriter.uvarint(UInt64(bitPattern: chunk.minTime &- previousMaxTime), to: &body)
            ByteWriter.uvarint(UInt64(bitPattern: chunk.maxTime &- chunk.minTime), to: &body)
            ByteWriter.varint(Int64(bitPattern: chunk.ref &- previousRef), to: &body)
            previousMaxTime = chunk.maxTime
            previousRef = chunk.ref
        }
    }

    /// Appends `BE32 len`, the payload `fill` writes, and `BE32 CRC32C(payload)`.
    private static func section(
        _ out: inout [UInt8], what: String, _ fill: (inout [UInt8]) -> Void
    ) throws(TSDBError) {
        var body: [UInt8] = []
        fill(&body)
        guard body.count <= Int(UInt32.max) else {
            throw TSDBError.block(.invalidArgument, "index: \(what) is \(body.count) bytes, more than 32 bits can address")
        }
        ByteWriter.be32(UInt32(body.count), to: &out)
        out.append(contentsOf: body)
        ByteWriter.be32(CRC32C.checksum(body), to: &out)
    }

    /// Zero bytes up to the next multiple of `alignment` from the start of the file.
    private static func pad(_ out: inout [UInt8], to alignment: Int) {
        out.append(contentsOf: repeatElement(0, count: (alignment - out.count % alignment) % alignment))
    }
}
