// Snappy block format (not the framed format): what the Prometheus WAL and remote write use.
// Format: google/snappy `format_description.txt` ("snappy block": a varint length, then
// literal and copy elements). This file holds the public entry points and the error type;
// the codecs live in `Snappy+Decompress.swift` and `Snappy+Compress.swift`.

/// A snappy input could not be decoded.
///
/// Decoding never traps on bad input: every malformed block ends in one of these, with a
/// ``Code`` that stays stable (count it, map it to an HTTP status) and a message for humans.
package struct SnappyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem the input has.
    package enum Code: String, Sendable, Equatable {
        /// The length header is missing, longer than 5 bytes, or above 32 bits.
        case invalidHeader
        /// The declared uncompressed length is above the caller's `maxLength`.
        case tooLarge
        /// The body is corrupt: a truncated element, a bad copy offset, an element that runs
        /// past the input or the declared output, or an output shorter than declared.
        case corrupt
    }

    /// The kind of problem; stable across releases.
    package var code: Code
    /// What exactly was wrong, with positions where they help.
    package var message: String

    /// A ``Code/corrupt`` error with `message`.
    package init(_ message: String) { self.init(code: .corrupt, message) }

    /// An error of kind `code` with `message`.
    package init(code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `snappy: ` followed by the message.
    package var description: String { "snappy: \(message)" }
}

/// The snappy block format: compress and decompress whole blocks held in memory.
///
/// ```swift
/// let block = Snappy.compress(Array("hello hello hello".utf8))
/// let plain = try Snappy.decompress(block, maxLength: 32 << 20)
/// ```
///
/// All functions are pure and thread-safe. The `inout` variants reuse the caller's buffer, for
/// the remote-write ingest path and the WAL writer.
package enum Snappy {
    /// The largest uncompressed length a block can declare (its header is a 32-bit varint).
    package static let maxBlockLength = Int(UInt32.max)

    /// An upper bound on the compressed size of `count` input bytes (the reference's
    /// `MaxEncodedLen`: 32 + count + count / 6).
    package static func maxCompressedLength(_ count: Int) -> Int { 32 + count + count / 6 }

    /// Compresses `input` into one snappy block.
    ///
    /// The output is valid snappy (any conforming decoder reads it); it need not be
    /// byte-identical to the reference encoder's. Complexity: O(n).
    /// - Precondition: `input.count <= Snappy.maxBlockLength`.
    package static func compress(_ input: [UInt8]) -> [UInt8] {
        input.withUnsafeBytes { source in
            [UInt8](unsafeUninitializedCapacity: maxCompressedLength(source.count)) { buffer, count in
                count = encode(source, into: buffer.baseAddress!)
            }
        }
    }

    /// Compresses `input` into one snappy block appended to `output` (for the WAL writer).
    ///
    /// Bytes already in `output` are kept; its capacity is reused and grown as needed.
    /// - Precondition: `input.count <= Snappy.maxBlockLength`.
    package static func compress(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) {
        let start = output.count
        let bound = maxCompressedLength(input.count)
        output.append(contentsOf: repeatElement(0, count: bound))
        let written = output.withUnsafeMutableBufferPointer { buffer in
            encode(input, into: buffer.baseAddress! + start)
        }
        output.removeLast(bound - written)
    }

    /// Compresses `input` into one snappy block appended to `output`.
    /// - Precondition: `input.count <= Snappy.maxBlockLength`.
    package static func compress(_ input: [UInt8], appendingTo output: inout [UInt8]) {
        input.withUnsafeBytes { compress($0, appendingTo: &output) }
    }

    /// Decompresses one snappy block; throws on any malformed input, never traps.
    ///
    /// Memory allocated is bounded by the declared length, which must be at most `maxLength`
    /// and at most what `input.count` bytes can possibly expand to (about 21×).
    /// - Parameter maxLength: refuse blocks whose declared length exceeds this.
    /// - Throws: ``SnappyError`` describing the first problem found.
    /// - Complexity: O(input + output).
    package static func decompress(_ input: [UInt8], maxLength: Int = Int.max) throws(SnappyError) -> [UInt8] {
        // `Array.withUnsafeBytes` is `rethrows`, which erases the typed error: carry it out
        // in `failure` instead (the same in the wrappers below).
        var failure: SnappyError?
        let output = input.withUnsafeBytes { source -> [UInt8] in
            do throws(SnappyError) {
                let header = try readHeader(source, maxLength: maxLength)
                if header.length == 0 {
                    try decodeBody(source, from: header.byteCount, into: nil, count: 0)
                    return []
                }
                return try [UInt8](unsafeUninitializedCapacity: header.length) { buffer, count throws(SnappyError) in
                    try decodeBody(source, from: header.byteCount, into: buffer.baseAddress!, count: header.length)
                    count = header.length
                }
            } catch {
                failure = error
                return []
            }
        }
        if let failure { throw failure }
        return output
    }

    /// Decompresses one snappy block from raw memory into `output`, reusing its storage
    /// (the remote-write hot path: one buffer per connection or worker, no allocation once warm).
    ///
    /// `output` is cleared with `removeAll(keepingCapacity: true)` first; on return it holds
    /// exactly the decompressed bytes. If this throws, `output` is left empty.
    /// - Parameter maxLength: refuse blocks whose declared length exceeds this.
    /// - Throws: ``SnappyError`` describing the first problem found.
    package static func decompress(
        _ input: UnsafeRawBufferPointer, into output: inout [UInt8], maxLength: Int = Int.max
    ) throws(SnappyError) {
        output.removeAll(keepingCapacity: true)
        let header = try readHeader(input, maxLength: maxLength)
        if header.length == 0 {
            try decodeBody(input, from: header.byteCount, into: nil, count: 0)
            return
        }
        // Zero-filling costs a memset; decoding then writes every byte exactly in bounds.
        output.append(contentsOf: repeatElement(0, count: header.length))
        do {
            try output.withUnsafeMutableBufferPointer { buffer throws(SnappyError) in
                try decodeBody(input, from: header.byteCount, into: buffer.baseAddress!, count: header.length)
            }
        } catch {
            output.removeAll(keepingCapacity: true)
            throw error
        }
    }

    /// Decompresses one snappy block held in `input` into `output`, reusing its storage.
    ///
    /// Same contract as the `UnsafeRawBufferPointer` variant.
    package static func decompress(
        _ input: [UInt8], into output: inout [UInt8], maxLength: Int = Int.max
    ) throws(SnappyError) {
        var failure: SnappyError?
        input.withUnsafeBytes { source in
            do throws(SnappyError) { try decompress(source, into: &output, maxLength: maxLength) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// The uncompressed length declared in a block's header.
    ///
    /// This reads the header only; the body may still turn out to be corrupt.
    /// - Throws: ``SnappyError/Code/invalidHeader`` if the varint is truncated, longer than
    ///   5 bytes, or above 32 bits.
    package static func decompressedLength(_ input: [UInt8]) throws(SnappyError) -> Int {
        var failure: SnappyError?
        let length = input.withUnsafeBytes { source -> Int in
            do throws(SnappyError) { return try parseHeader(source).length } catch {
                failure = error
                return 0
            }
        }
        if let failure { throw failure }
        return length
    }

    /// The uncompressed length declared in the header of the block in `input`.
    package static func decompressedLength(_ input: UnsafeRawBufferPointer) throws(SnappyError) -> Int {
        try parseHeader(input).length
    }
}
