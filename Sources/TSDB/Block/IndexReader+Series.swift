// Decoding one entry of the index series section: labels and chunk metas (spec/tsdb-format.md §4.3).

internal import ChunkEncoding
internal import MetricModel

/// One decoded series entry: its label symbol references and chunk metas.
struct IndexSeries: Sendable {
    /// Name and value symbol references, alternating, in label order.
    var labelRefs: [Int]
    /// Chunks in time order.
    var chunks: [BlockChunkMeta]
}

extension IndexReader {
    /// Decodes the series with ID `id` (its entry starts at byte `id * 16`), checking its CRC.
    ///
    /// - Throws: `TSDBError.block(.badIndex)` for an out-of-range ID, a truncated entry or a CRC mismatch.
    func series(_ id: UInt32) throws(TSDBError) -> IndexSeries {
        var d = try seriesBody(id)
        let labelCount = try d.uvarintInt(limit: d.remaining)
        var refs: [Int] = []
        refs.reserveCapacity(2 * labelCount)
        for _ in 0..<(2 * labelCount) {
            refs.append(try d.uvarintInt(limit: Int(UInt32.max)))
        }
        return IndexSeries(labelRefs: refs, chunks: try Self.chunkMetas(&d))
    }

    /// The label set of a decoded series.
    ///
    /// - Throws: `TSDBError.block(.badIndex)` for an unknown symbol reference.
    func labels(_ series: IndexSeries) throws(TSDBError) -> Labels {
        var encoded: [UInt8] = []
        for ref in series.labelRefs { LabelsEncoding.appendRaw(try symbol(ref), to: &encoded) }
        return Labels(encoded: encoded)
    }

    /// A decoder over the CRC-checked body of series `id`.
    private func seriesBody(_ id: UInt32) throws(TSDBError) -> BlockDecoder {
        let start = Int(id) * 16
        var d = BlockDecoder(bytes, offset: start, end: sectionLimit, code: .badIndex, name: "index")
        guard start > 0, start < sectionLimit else { throw d.failure("series ID \(id) out of range") }
        let length = try d.uvarintInt(limit: d.remaining)
        guard d.remaining - length >= 4 else { throw d.failure("series \(id) runs past the end of the file") }
        let body = d.offset..<(d.offset + length)
        var crc = BlockDecoder(bytes, offset: body.upperBound, end: sectionLimit, code: .badIndex, name: "index")
        guard try crc.be32() == CRC32C.update(0, d.slice(body)) else { throw d.failure("series \(id) checksum mismatch") }
        return BlockDecoder(bytes, offset: body.lowerBound, end: body.upperBound, code: .badIndex, name: "index")
    }

    /// Decodes `numChunks` and the delta-encoded chunk metas that end a series entry.
    private static func chunkMetas(_ d: inout BlockDecoder) throws(TSDBError) -> [BlockChunkMeta] {
        let count = try d.uvarintInt(limit: d.remaining)
        guard count > 0 else { return [] }
        var chunks: [BlockChunkMeta] = []
        chunks.reserveCapacity(count)
        var minTime = try d.varint()
        var maxTime = minTime &+ Int64(bitPattern: try d.uvarint())
        var ref = try d.uvarint()
        chunks.append(BlockChunkMeta(minTime: minTime, maxTime: maxTime, ref: ref))
        for _ in 1..<count {
            minTime = maxTime &+ Int64(bitPattern: try d.uvarint())
            maxTime = minTime &+ Int64(bitPattern: try d.uvarint())
            ref = UInt64(bitPattern: Int64(bitPattern: ref) &+ (try d.varint()))
            chunks.append(BlockChunkMeta(minTime: minTime, maxTime: maxTime, ref: ref))
        }
        return chunks
    }
}
