// libFuzzer target: a block whose index file is arbitrary bytes (meta.json and one chunk
// segment are fixed and valid), opened as the DB opens a block and read the ways queries read
// it: symbols, postings keys, label names and values, matchers, series and chunk lookups.
// Opening throws or succeeds; every read after it throws or succeeds; nothing traps.

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ChunkEncoding
import FuzzSupport
import MetricModel
import TSDB

/// Covers every timestamp, so queries reach the index whatever the chunk metas say.
private let metaJSON = """
    {"ulid":"01M8C60Z0X7V1TMCCE0KCHVS4J","minTime":-9223372036854775808,"maxTime":9223372036854775807,\
    "stats":{"numSamples":2,"numSeries":1,"numChunks":1},\
    "compaction":{"level":1,"sources":["01M8C60Z0X7V1TMCCE0KCHVS4J"]},"version":1}
    """

private let block: ScratchDirectory = {
    let block = ScratchDirectory(prefix: "FuzzIndexReader")
    block.write(Array(metaJSON.utf8), to: "meta.json")
    block.makeDirectory("chunks")
    block.write(chunkSegment(), to: "chunks/000001")
    return block
}()

/// A chunk segment with one XOR chunk at offset 8 (chunk ref 8), as an index may name it.
private func chunkSegment() -> [UInt8] {
    var chunk = XORChunk()
    chunk.append(1000, 1)
    chunk.append(2000, 2)
    var segment: [UInt8] = [0x85, 0xBD, 0x40, 0xDD, 1, 0, 0, 0]
    ByteWriter.uvarint(UInt64(chunk.bytes.count), to: &segment)
    let record = [XORChunk.encoding] + chunk.bytes
    segment += record
    ByteWriter.be32(CRC32C.update(0, record), to: &segment)
    return segment
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    read(input)
    // Most mutations break a checksum checked at open; the same bytes with those checksums
    // recomputed reach the symbol table, postings table and series parsers behind them.
    if let fixed = withOpenChecksumsRecomputed(input) { read(fixed) }
    return 0
}

/// `index` with the CRC32Cs that opening checks (symbol table, postings offset table, TOC)
/// recomputed where the TOC's offsets let them be found; nil when nothing changes.
private func withOpenChecksumsRecomputed(_ index: [UInt8]) -> [UInt8]? {
    let tocStart = index.count - 52
    guard tocStart >= 5 else { return nil }
    var bytes = index
    func be(_ at: Int, _ width: Int) -> UInt64 { bytes[at..<(at + width)].reduce(0) { $0 << 8 | UInt64($1) } }
    func putCRC(of range: Range<Int>, at offset: Int) {
        let crc = CRC32C.update(0, Array(bytes[range]))
        for k in 0..<4 { bytes[offset + k] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * k)) }
    }
    // TOC entries 0 (symbol table) and 5 (postings offset table): BE32 length, payload, CRC.
    for entry in [0, 5] {
        let start = be(tocStart + 8 * entry, 8)
        guard start <= UInt64(tocStart - 4) else { continue }
        let payload = Int(start) + 4
        let end = payload + Int(be(Int(start), 4))
        guard end + 4 <= tocStart else { continue }
        putCRC(of: payload..<end, at: end)
    }
    putCRC(of: tocStart..<(tocStart + 48), at: tocStart + 48)
    return bytes == index ? nil : bytes
}

/// Opens the block with `index` as its index file and reads it as queries do.
private func read(_ index: [UInt8]) {
    let size = index.count
    block.write(index, to: "index")
    guard let reader = try? BlockReader(directory: URL(fileURLWithPath: block.path)) else { return }
    defer { reader.close() }
    let all: (Timestamp, Timestamp) = (.min, .max)
    _ = try? reader.symbols()
    _ = try? reader.seriesCount()
    let keys = (try? reader.postingsKeys()) ?? []
    let names = (try? reader.labelNames(matchers: [], minTime: all.0, maxTime: all.1)) ?? []
    // Bounded work per input (a few names and keys): a big index stays a fast input.
    for name in names.prefix(4) {
        _ = try? reader.labelValues(name: name, matchers: [], minTime: all.0, maxTime: all.1)
    }
    if let name = names.first, let present = try? LabelMatcher(.regexMatch, name, ".+") {
        _ = try? reader.labelNames(matchers: [present], minTime: 0, maxTime: 10_000)
        _ = try? reader.labelValues(name: name, matchers: [present], minTime: 0, maxTime: 10_000)
    }
    // Matchers from the postings keys: the fast path (=), a set regex, and the slow paths.
    for key in keys.dropFirst().prefix(4) {
        var matchers: [LabelMatcher] = []
        for (type, value) in [(MatchType.equal, key.value), (.regexMatch, key.value + "|x"), (.notEqual, key.value), (.regexNoMatch, "a.*")] {
            if let matcher = try? LabelMatcher(type, key.name, value) { matchers.append(matcher) }
        }
        for matcher in matchers { _ = try? reader.seriesIDs(matching: [matcher]) }
        _ = try? reader.seriesIDs(matching: matchers)
        _ = try? reader.select(matchers: Array(matchers.prefix(2)), minTime: all.0, maxTime: all.1, sorted: true)
    }
    // Series by ID: some listed ones, and IDs the postings did not name.
    let ids = (try? reader.seriesIDs(matching: [])) ?? []
    for id in ids.prefix(32) + [0, 1, UInt32(size / 16), .max] {
        guard let series = try? reader.series(id: id) else { continue }
        for chunk in series.chunks.prefix(4) { _ = try? reader.chunk(ref: chunk.ref) }
    }
}
