// IndexReader: opens and validates a block's index file, format version 2 (spec/tsdb-format.md §4).

internal import ChunkEncoding
internal import MetricModel

/// The byte offsets of the index sections, from the last 52 bytes of the file (spec §4.8).
package struct IndexTOC: Equatable, Sendable {
    /// Symbol table (always 5).
    package var symbols: UInt64
    /// Series section, before the first 16-byte padding.
    package var series: UInt64
    /// Label indices (legacy), before the first padding.
    package var labelIndices: UInt64
    /// Label offset table (legacy; equals `postingsOffsetTable` in 3.7+ indexes).
    package var labelOffsetTable: UInt64
    /// Postings lists.
    package var postings: UInt64
    /// Postings offset table.
    package var postingsOffsetTable: UInt64

    package init(
        symbols: UInt64, series: UInt64, labelIndices: UInt64, labelOffsetTable: UInt64, postings: UInt64,
        postingsOffsetTable: UInt64
    ) {
        self.symbols = symbols
        self.series = series
        self.labelIndices = labelIndices
        self.labelOffsetTable = labelOffsetTable
        self.postings = postings
        self.postingsOffsetTable = postingsOffsetTable
    }
}

/// One entry of the postings offset table: a label value (as a byte range of the file) and the
/// offset of its postings list.
struct PostingsEntry: Sendable {
    var value: Range<Int>
    var offset: Int
}

/// A chunk as the series section describes it: time bounds (inclusive) and its reference
/// `segmentIndex << 32 | offset` into `chunks/`.
package struct BlockChunkMeta: Equatable, Sendable {
    /// First and last sample timestamps, inclusive.
    package var minTime: Int64
    package var maxTime: Int64
    /// `segmentIndex << 32 | byteOffset` of the chunk record in `chunks/`.
    package var ref: UInt64

    package init(minTime: Int64, maxTime: Int64, ref: UInt64) {
        self.minTime = minTime
        self.maxTime = maxTime
        self.ref = ref
    }
}

/// A read-only view of a mapped index file.
///
/// At open it checks what Prometheus checks (spec §1.4 step 3) — size, magic, version, TOC CRC, symbol
/// table CRC, postings offset table CRC and key counts, every label name present in the symbol table —
/// plus what a binary search needs: symbols strictly sorted, each name's values strictly sorted and
/// contiguous. Series and postings CRCs are checked when they are read.
///
/// Thread-safety: immutable after `init`; reads are safe from any thread while the mapping lives.
struct IndexReader: Sendable {
    static let magic: UInt32 = 0xBAAA_D700
    static let tocSize = 52
    static let headerSize = 5

    let file: BlockMappedFile
    /// The format version byte (2, or 3 which Prometheus 2.55+ reads like 2).
    let version: UInt8
    let toc: IndexTOC
    /// Byte range of every symbol's UTF-8 bytes; a symbol reference is an index into this array.
    let symbols: [Range<Int>]
    /// Memory `symbols` takes (Prometheus reports its own sampled offset table the same way, as
    /// `prometheus_tsdb_symbol_table_size_bytes`).
    var symbolTableSizeBytes: Int { symbols.count * MemoryLayout<Range<Int>>.stride }
    /// Postings offset table grouped by label name bytes; `""` holds the all-postings entry.
    let postingsTable: [[UInt8]: [PostingsEntry]]
    /// Label names of the postings offset table except `""`, sorted bytewise.
    let labelNames: [[UInt8]]

    /// Where sections may live: everything before the TOC.
    var sectionLimit: Int { file.count - Self.tocSize }

    var bytes: UnsafeRawBufferPointer { file.bytes }

    /// Validates `file` as an index.
    ///
    /// - Throws: `TSDBError.block(.badIndex)` naming the problem, e.g. `"index: TOC checksum mismatch"`.
    init(file: BlockMappedFile) throws(TSDBError) {
        self.file = file
        let buffer = file.bytes
        var header = BlockDecoder(buffer, offset: 0, code: .badIndex, name: "index")
        guard file.count >= Self.headerSize + Self.tocSize else {
            throw header.failure("file too small (\(file.count) bytes)")
        }
        let magic = try header.be32()
        guard magic == Self.magic else { throw header.failure("invalid magic number 0x\(String(magic, radix: 16))") }
        version = try header.byte()
        guard version == 2 || version == 3 else { throw header.failure("unsupported index format version \(version)") }

        toc = try Self.readTOC(buffer)
        let limit = file.count - Self.tocSize
        for (what, offset) in [("symbol table", toc.symbols), ("postings offset table", toc.postingsOffsetTable)]
        where offset > UInt64(limit) {
            throw header.failure("TOC \(what) offset \(offset) past the end of the file")
        }
        symbols = try Self.readSymbols(buffer, at: Int(toc.symbols), limit: limit)
        (postingsTable, labelNames) = try Self.readPostingsTable(
            buffer, at: Int(toc.postingsOffsetTable), limit: limit, symbols: symbols
        )
    }

    private static func readTOC(_ buffer: UnsafeRawBufferPointer) throws(TSDBError) -> IndexTOC {
        let start = buffer.count - tocSize
        var d = BlockDecoder(buffer, offset: start, code: .badIndex, name: "index")
        let toc = IndexTOC(
            symbols: try d.be64(), series: try d.be64(), labelIndices: try d.be64(),
            labelOffsetTable: try d.be64(), postings: try d.be64(), postingsOffsetTable: try d.be64()
        )
        let stored = try d.be32()
        guard stored == CRC32C.update(0, d.slice(start..<(start + 48))) else { throw d.failure("TOC checksum mismatch") }
        return toc
    }

    private static func readSymbols(
        _ buffer: UnsafeRawBufferPointer, at offset: Int, limit: Int
    ) throws(TSDBError) -> [Range<Int>] {
        var d = try BlockDecoder.section(buffer, at: offset, limit: limit, code: .badIndex, name: "index", what: "symbol table")
        let count = Int(try d.be32())
        guard count <= d.remaining else { throw d.failure("symbol table claims \(count) symbols in \(d.remaining) bytes") }
        var symbols: [Range<Int>] = []
        symbols.reserveCapacity(count)
        for _ in 0..<count {
            let range = try d.uvarintBytesRange()
            if let last = symbols.last, !d.slice(last).lexicographicallyPrecedes(d.slice(range)) {
                throw d.failure("symbol table not sorted at symbol \(symbols.count)")
            }
            symbols.append(range)
        }
        return symbols
    }

    private static func readPostingsTable(
        _ buffer: UnsafeRawBufferPointer, at offset: Int, limit: Int, symbols: [Range<Int>]
    ) throws(TSDBError) -> ([[UInt8]: [PostingsEntry]], [[UInt8]]) {
        var d = try BlockDecoder.section(
            buffer, at: offset, limit: limit, code: .badIndex, name: "index", what: "postings offset table"
        )
        let count = Int(try d.be32())
        var table: [[UInt8]: [PostingsEntry]] = [:]
        var names: [[UInt8]] = []
        var currentName: [UInt8]?
        var current: [PostingsEntry] = []
        for _ in 0..<count {
            let keys = try d.uvarint()
            guard keys == 2 else { throw d.failure("unexpected number of keys for postings offset table \(keys)") }
            let name = Array(d.slice(try d.uvarintBytesRange()))
            let value = try d.uvarintBytesRange()
            let listOffset = try d.uvarintInt(limit: limit)
            if name != currentName {
                if let previous = currentName { table[previous] = current }
                guard table[name] == nil else {
                    throw d.failure("postings offset table: entries of label name \"\(Self.text(name))\" not contiguous")
                }
                currentName = name
                current = []
                if !name.isEmpty { names.append(name) }
            } else if let last = current.last, !d.slice(last.value).lexicographicallyPrecedes(d.slice(value)) {
                throw d.failure("postings offset table: values of \"\(Self.text(name))\" not sorted")
            }
            current.append(PostingsEntry(value: value, offset: listOffset))
        }
        if let previous = currentName { table[previous] = current }
        guard d.remaining == 0 else { throw d.failure("postings offset table has \(d.remaining) trailing bytes") }
        for name in names where Self.lookup(name, in: symbols, buffer) == nil {
            throw d.failure("label name \"\(Self.text(name))\" not in symbol table")
        }
        names.sort { $0.lexicographicallyPrecedes($1) }
        return (table, names)
    }

    /// Binary search for `bytes` among the sorted symbols.
    static func lookup(_ bytes: [UInt8], in symbols: [Range<Int>], _ buffer: UnsafeRawBufferPointer) -> Int? {
        var lo = 0
        var hi = symbols.count
        while lo < hi {
            let mid = (lo + hi) / 2
            // Safety: symbol ranges were bounds-checked when the table was read.
            let symbol = UnsafeRawBufferPointer(rebasing: buffer[symbols[mid]])
            if symbol.elementsEqual(bytes) { return mid }
            if symbol.lexicographicallyPrecedes(bytes) { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    static func text(_ bytes: some Collection<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The bytes of symbol `ref`.
    func symbol(_ ref: Int) throws(TSDBError) -> UnsafeRawBufferPointer {
        guard ref >= 0, ref < symbols.count else { throw TSDBError.block(.badIndex, "index: unknown symbol reference \(ref)") }
        // Safety: symbol ranges were bounds-checked when the table was read.
        return UnsafeRawBufferPointer(rebasing: bytes[symbols[ref]])
    }

    /// The bytes of a file range recorded at open (a postings table value) as a String.
    func string(_ range: Range<Int>) -> String {
        // Safety: ranges recorded at open were bounds-checked then.
        Self.text(UnsafeRawBufferPointer(rebasing: bytes[range]))
    }

    /// The postings offset table entries of `name`, values sorted bytewise; empty when absent.
    func entries(_ name: String) -> [PostingsEntry] {
        postingsTable[Array(name.utf8)] ?? []
    }

    /// Reads the postings list at `offset` (spec §4.5), checking its CRC and exact length.
    func postings(at offset: Int) throws(TSDBError) -> [UInt32] {
        var d = try BlockDecoder.section(bytes, at: offset, limit: sectionLimit, code: .badIndex, name: "index", what: "postings list")
        let n = Int(try d.be32())
        guard d.remaining == 4 * n else { throw d.failure("unexpected postings length at offset \(offset)") }
        var ids = [UInt32](repeating: 0, count: n)
        for i in 0..<n { ids[i] = try d.be32() }
        return ids
    }

    /// Every series ID, ascending (the `("", "")` list).
    func allPostings() throws(TSDBError) -> [UInt32] {
        guard let entry = postingsTable[[]]?.first else {
            throw TSDBError.block(.badIndex, "index: postings offset table has no all-postings entry")
        }
        return try postings(at: entry.offset)
    }
}
