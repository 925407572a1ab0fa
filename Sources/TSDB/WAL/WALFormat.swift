// Constants and names of the WAL's on-disk layout (spec/tsdb-format.md §6.1, §6.2, §6.4).

/// The fixed numbers and file names of Prometheus's WAL format.
package enum WALFormat {
    /// Segments are sequences of pages of this size; a fragment never crosses a page.
    package static let pageSize = 32 * 1024
    /// `u8 type, BE16 length, BE32 CRC32C` in front of every fragment.
    package static let fragmentHeaderSize = 7
    /// Prometheus's default segment size (`--storage.tsdb.wal-segment-size`), 128 MiB.
    package static let defaultSegmentSizeBytes = 128 * 1024 * 1024
    /// Bit 3 of the fragment type byte: the record is snappy-compressed (raw block format).
    package static let snappyFlag: UInt8 = 0x08
    /// Prefix of checkpoint folder names (`checkpoint.00000012`).
    package static let checkpointPrefix = "checkpoint."

    /// Fragment types, bits 0-2 of the type byte.
    enum FragmentType: UInt8 {
        /// The rest of the page is zero padding.
        case pageTerminator = 0
        case full = 1
        case first = 2
        case middle = 3
        case last = 4
    }

    /// `00000012`: the 8-digit zero-padded decimal name of segment `index` (Go `%08d`).
    package static func segmentName(_ index: Int) -> String {
        let digits = String(index)
        return digits.count >= 8 ? digits : String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// The path of segment `index` in `directory`.
    package static func segmentPath(_ directory: String, _ index: Int) -> String {
        directory + "/" + segmentName(index)
    }

    /// `checkpoint.00000012`: the folder name of the checkpoint covering segments up to `index`.
    package static func checkpointName(_ index: Int) -> String {
        checkpointPrefix + segmentName(index)
    }

    /// The number a segment file name stands for, or nil when the name is not all decimal digits
    /// (Prometheus uses `strconv.Atoi` and skips other names).
    static func segmentIndex(_ name: String) -> Int? {
        guard !name.isEmpty, name.utf8.count <= 18, name.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return nil
        }
        return Int(name)
    }

    /// The number of a checkpoint folder name; nil for other names, including `checkpoint.N.tmp`.
    static func checkpointIndex(_ name: String) -> Int? {
        guard name.hasPrefix(checkpointPrefix) else { return nil }
        return segmentIndex(String(name.dropFirst(checkpointPrefix.count)))
    }
}
