// BlockReader analysis helpers: the raw index walks `tsdb analyze` needs (every series ID, the
// length of each postings list of one label name), without tombstones applied.

extension BlockReader {
    /// Every series ID of the index, ascending: the `("", "")` postings list (spec §4.5).
    ///
    /// - Throws: `TSDBError.block(.badIndex)` when the list is missing or corrupt.
    package func allSeriesIDs() throws(TSDBError) -> [UInt32] {
        try reading { () throws(TSDBError) -> [UInt32] in try index.allPostings() }
    }

    /// For each value of label `name` in the postings offset table (sorted bytewise), the number of
    /// series carrying it: the length of its postings list. Empty when the name is absent.
    ///
    /// - Throws: `TSDBError.block(.badIndex)` when a postings list is corrupt (CRC or length).
    /// - Complexity: reads each postings list of `name` once.
    package func postingsCounts(name: String) throws(TSDBError) -> [(value: String, count: Int)] {
        try reading { () throws(TSDBError) -> [(value: String, count: Int)] in
            var result: [(value: String, count: Int)] = []
            for entry in index.entries(name) {
                result.append((index.string(entry.value), try index.postings(at: entry.offset).count))
            }
            return result
        }
    }
}
