// BlockMeta: the contents of a block's meta.json (spec/tsdb-format.md §1.3).

/// A block's `meta.json`: its ULID, half-open time range `[minTime, maxTime)`, statistics and
/// compaction history.
///
/// Decoding is as lenient as Go's `json.Unmarshal`: unknown keys are ignored and missing ones are
/// zero. ``encoded()`` writes exactly what Prometheus 2.42 writes.
///
/// ```swift
/// let meta = try JSONDecoder().decode(BlockMeta.self, from: data)
/// meta.ulid.string    // "01M8C60Z0X7V1TMCCE0KCHVS4J"
/// meta.encoded()      // the same bytes Prometheus wrote
/// ```
package struct BlockMeta: Codable, Sendable, Equatable {
    /// The block's identifier; must equal the directory name.
    package var ulid: ULID
    /// First timestamp the block may hold, inclusive.
    package var minTime: Int64
    /// End of the block's range, exclusive.
    package var maxTime: Int64
    /// Counts of samples, series, chunks and tombstones.
    package var stats: Stats
    /// Where the block came from.
    package var compaction: Compaction
    /// The meta.json format version; Prometheus only accepts 1.
    package var version: Int

    /// The meta.json version every Prometheus release writes and reads.
    package static let currentVersion = 1

    package init(
        ulid: ULID, minTime: Int64, maxTime: Int64, stats: Stats = Stats(), compaction: Compaction,
        version: Int = BlockMeta.currentVersion
    ) {
        self.ulid = ulid
        self.minTime = minTime
        self.maxTime = maxTime
        self.stats = stats
        self.compaction = compaction
        self.version = version
    }

    /// Block statistics. Zero counts are left out when encoding (Go `omitempty`).
    package struct Stats: Codable, Sendable, Equatable {
        /// Samples in all chunks (the sum of the chunk headers' counts).
        package var numSamples: UInt64
        /// Series in the index.
        package var numSeries: UInt64
        /// Chunks in `chunks/`.
        package var numChunks: UInt64
        /// Tombstone intervals.
        package var numTombstones: UInt64

        package init(numSamples: UInt64 = 0, numSeries: UInt64 = 0, numChunks: UInt64 = 0, numTombstones: UInt64 = 0) {
            self.numSamples = numSamples
            self.numSeries = numSeries
            self.numChunks = numChunks
            self.numTombstones = numTombstones
        }

        private enum CodingKeys: String, CodingKey {
            case numSamples, numSeries, numChunks, numTombstones
        }

        package init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            numSamples = try c.decodeIfPresent(UInt64.self, forKey: .numSamples) ?? 0
            numSeries = try c.decodeIfPresent(UInt64.self, forKey: .numSeries) ?? 0
            numChunks = try c.decodeIfPresent(UInt64.self, forKey: .numChunks) ?? 0
            numTombstones = try c.decodeIfPresent(UInt64.self, forKey: .numTombstones) ?? 0
        }

        package func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            if numSamples != 0 { try c.encode(numSamples, forKey: .numSamples) }
            if numSeries != 0 { try c.encode(numSeries, forKey: .numSeries) }
            if numChunks != 0 { try c.encode(numChunks, forKey: .numChunks) }
            if numTombstones != 0 { try c.encode(numTombstones, forKey: .numTombstones) }
        }
    }

    /// A block merged directly into this one (`compaction.parents`).
    package struct BlockDesc: Codable, Sendable, Hashable {
        /// The parent block's ULID.
        package var ulid: ULID
        /// The parent's range, `[minTime, maxTime)`.
        package var minTime: Int64
        package var maxTime: Int64

        package init(ulid: ULID, minTime: Int64, maxTime: Int64) {
            self.ulid = ulid
            self.minTime = minTime
            self.maxTime = maxTime
        }

        private enum CodingKeys: String, CodingKey { case ulid, minTime, maxTime }

        package init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            ulid = try c.decodeIfPresent(ULID.self, forKey: .ulid) ?? .zero
            minTime = try c.decodeIfPresent(Int64.self, forKey: .minTime) ?? 0
            maxTime = try c.decodeIfPresent(Int64.self, forKey: .maxTime) ?? 0
        }
    }

    /// Compaction history. `nil` and empty optional members are left out when encoding.
    package struct Compaction: Codable, Sendable, Equatable {
        /// 1 for a block cut from the head; max(parent levels) + 1 after a merge.
        package var level: Int
        /// ULIDs of the level-1 blocks this one came from, sorted; a level-1 block lists itself.
        package var sources: [ULID]
        /// The blocks merged directly into this one. Prometheus deletes every block listed here.
        package var parents: [BlockDesc]?
        /// Delete this block on the next reload.
        package var deletable: Bool?
        /// A compaction of this block failed before.
        package var failed: Bool?
        /// Only `"from-out-of-order"` is used.
        package var hints: [String]?

        package init(
            level: Int, sources: [ULID], parents: [BlockDesc]? = nil, deletable: Bool? = nil, failed: Bool? = nil,
            hints: [String]? = nil
        ) {
            self.level = level
            self.sources = sources
            self.parents = parents
            self.deletable = deletable
            self.failed = failed
            self.hints = hints
        }

        private enum CodingKeys: String, CodingKey { case level, sources, deletable, parents, failed, hints }

        package init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            level = try c.decodeIfPresent(Int.self, forKey: .level) ?? 0
            sources = try c.decodeIfPresent([ULID].self, forKey: .sources) ?? []
            parents = try c.decodeIfPresent([BlockDesc].self, forKey: .parents)
            deletable = try c.decodeIfPresent(Bool.self, forKey: .deletable)
            failed = try c.decodeIfPresent(Bool.self, forKey: .failed)
            hints = try c.decodeIfPresent([String].self, forKey: .hints)
        }

        package func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(level, forKey: .level)
            if !sources.isEmpty { try c.encode(sources, forKey: .sources) }
            if deletable == true { try c.encode(true, forKey: .deletable) }
            if let parents, !parents.isEmpty { try c.encode(parents, forKey: .parents) }
            if failed == true { try c.encode(true, forKey: .failed) }
            if let hints, !hints.isEmpty { try c.encode(hints, forKey: .hints) }
        }
    }

    private enum CodingKeys: String, CodingKey { case ulid, minTime, maxTime, stats, compaction, version }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ulid = try c.decodeIfPresent(ULID.self, forKey: .ulid) ?? .zero
        minTime = try c.decodeIfPresent(Int64.self, forKey: .minTime) ?? 0
        maxTime = try c.decodeIfPresent(Int64.self, forKey: .maxTime) ?? 0
        stats = try c.decodeIfPresent(Stats.self, forKey: .stats) ?? Stats()
        compaction = try c.decodeIfPresent(Compaction.self, forKey: .compaction) ?? Compaction(level: 0, sources: [])
        version = try c.decodeIfPresent(Int.self, forKey: .version) ?? 0
    }
}

extension ULID: Codable {
    /// Decodes the 26-character text form; anything else is a data-corruption error.
    package init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let ulid = ULID(text) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "invalid ULID \"\(text)\"")
            )
        }
        self = ulid
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(string)
    }
}
