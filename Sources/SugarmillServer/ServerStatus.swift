// ServerStatus: what `/api/v1/status/{flags,runtimeinfo,tsdb,walreplay}` report about this server.

internal import HTTPAPI
internal import MetricModel
internal import TSDB
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// The server's flags, runtime and database, for the status API.
struct ServerStatus: StatusSource {
    let options: ServerOptions
    let db: DB
    let scrape: ScrapeService?
    /// Process start, ms since the epoch.
    let startTime: Timestamp
    let cwd = FileManager.default.currentDirectoryPath

    var flags: [String: String] { options.flags }

    func runtimeInfo() -> RuntimeInfo {
        let config = scrape?.configStatus ?? (success: true, loadedAt: startTime)
        return RuntimeInfo(
            startTime: startTime, cwd: cwd, hostname: ProcessInfo.processInfo.hostName,
            reloadConfigSuccess: config.success, lastConfigTime: config.loadedAt,
            corruptionCount: Int64(db.metrics.walCorruptions.current), threadCount: Self.threadCount(),
            cores: ProcessInfo.processInfo.activeProcessorCount, storageRetention: storageRetention)
    }

    /// Prometheus's wording: the time limit, the size limit, or both joined by " or ".
    var storageRetention: String {
        var parts: [String] = []
        if options.retentionMs > 0 { parts.append(PrometheusDuration.format(milliseconds: options.retentionMs)) }
        if options.retentionBytes > 0 { parts.append(formatByteSize(options.retentionBytes)) }
        return parts.joined(separator: " or ")
    }

    func tsdbStatus(limit: Int) -> TSDBStatus {
        let stats = db.head.postingsStats(limit: limit)
        func pairs(_ list: [CardinalityStat]) -> [(name: String, value: UInt64)] { list.map { ($0.name, $0.count) } }
        return TSDBStatus(
            numSeries: db.head.numSeries, numLabelPairs: stats.numLabelPairs, chunkCount: db.head.numChunks,
            minTime: db.head.minTime, maxTime: db.head.maxTime,
            seriesCountByMetricName: pairs(stats.seriesCountByMetricName),
            labelValueCountByLabelName: pairs(stats.labelValueCountByLabelName),
            memoryInBytesByLabelName: pairs(stats.memoryInBytesByLabelName),
            seriesCountByLabelValuePair: pairs(stats.seriesCountByLabelValuePair))
    }

    func walReplay() -> (min: Int, max: Int, current: Int) {
        let status = db.walReplayStatus
        return (status.min, status.max, status.current)
    }

    /// Threads of this process (`Threads:` in /proc/self/status), the nearest thing to goroutines.
    static func threadCount() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("Threads:") {
            return Int(line.dropFirst("Threads:".count).filter { $0 != " " && $0 != "\t" }) ?? 0
        }
        return 0
    }
}
