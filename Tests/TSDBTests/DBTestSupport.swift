// Shared helpers for head and DB tests: temporary directories, quiet logger, reading samples back.

import ChunkEncoding
import Foundation
import Logging
import MetricModel
import TSDB

let quietTSDBLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// A fresh temporary directory, removed when `body` returns.
func withTempDB<T>(_ body: (URL) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sugarmill-db-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

extension DB {
    /// Every sample of every series matching `matchers`, keyed by labels.
    func samples(_ matchers: [LabelMatcher] = [], minTime: Timestamp = .min, maxTime: Timestamp = .max) throws -> [Labels: [Sample]] {
        let all = matchers.isEmpty ? [try LabelMatcher(.regexMatch, "__name__", ".+")] : matchers
        var result: [Labels: [Sample]] = [:]
        for series in try select(matchers: all, minTime: minTime, maxTime: maxTime, sorted: true) {
            var iterator = SeriesSampleIterator(series.chunks, minTime: minTime, maxTime: maxTime)
            var samples: [Sample] = []
            while iterator.next() { samples.append(Sample(iterator.timestamp, iterator.value)) }
            if let error = iterator.error { throw error }
            result[series.labels] = samples
        }
        return result
    }

    /// Appends and commits one batch.
    func appendBatch(_ samples: [(Labels, Timestamp, Double)]) throws -> [AppendError?] {
        let app = appender()
        var errors: [AppendError?] = []
        for (labels, t, v) in samples {
            do {
                _ = try app.append(nil, labels, t, v)
                errors.append(nil)
            } catch {
                errors.append(error)
            }
        }
        try app.commit()
        return errors
    }
}
