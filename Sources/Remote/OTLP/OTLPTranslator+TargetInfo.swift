// OTLPTranslator+TargetInfo: a resource's attributes as the `target_info` info metric
// (Prometheus's helper.go, addResourceTargetInfo).

internal import MetricModel
internal import WireFormat

extension OTLPTranslator {
    /// The attributes that become `job` and `instance` instead of `target_info` labels.
    static let identifyingAttributes: Set<String> = [serviceNamespace, serviceName, serviceInstanceID]

    /// Adds `target_info` samples (value 1) for a resource whose metrics span
    /// `[earliest, latest]` (ns): one every half lookback delta from `earliest`, and one at
    /// `latest`. Nothing when the resource has only identifying attributes, or when neither
    /// `job` nor `instance` could be set.
    mutating func addTargetInfo(_ attributes: [OTLPKeyValue], earliest: UInt64, latest: UInt64) throws(RemoteWriteError) {
        let identifying = Self.identifyingAttributes.filter { key in attributes.contains { $0.key == key } }.count
        guard attributes.count > identifying else { return }
        setAttributeSource(resource: true)
        defer { setAttributeSource(resource: false) }
        var pairs = try baseLabels(
            attributes, ignoring: settings.keepIdentifyingResourceAttributes ? [] : Self.identifyingAttributes,
            withScope: false)
        pairs.append((Labels.metricNameLabel, "target_info"))
        let labels = Labels(pairs)
        guard labels["job"] != nil || labels["instance"] != nil else { return }

        if isNewFamily("target_info") {
            result.metadata.append(SeriesMetadata(metricName: "target_info", type: "gauge", help: "Target metadata", unit: ""))
        }
        if targetInfo[labels] == nil { targetInfoOrder.append(labels) }
        let lookbackMs = settings.lookbackDeltaMs > 0 ? settings.lookbackDeltaMs : 5 * 60 * 1000
        // Half the lookback delta, in ns.
        let interval = lookbackMs > Int64.max / 500_000 ? Int64.max : lookbackMs * 500_000
        var times = targetInfo[labels] ?? []
        for nanos in Self.targetInfoTimes(
            from: Int64(truncatingIfNeeded: earliest), to: Int64(truncatingIfNeeded: latest), every: interval,
            atMost: settings.maxTargetInfoSamplesPerResource)
        {
            times.insert(Self.floorMilliseconds(nanos))
        }
        targetInfo[labels] = times
    }

    /// `start`, `start + interval`, … while before `end`, then `end` (ns): the last `limit`
    /// of them (Prometheus takes them all).
    static func targetInfoTimes(from start: Int64, to end: Int64, every interval: Int64, atMost limit: Int) -> [Int64] {
        var times: [Int64] = []
        if end > start, interval > 0 {
            // The true difference fits in UInt64; so does start + k·interval < end, modulo 2^64.
            let span = UInt64(bitPattern: end &- start)
            let step = UInt64(interval)
            let count = (span - 1) / step + 1
            let keep = UInt64(max(0, limit - 1))
            let first = count > keep ? count - keep : 0
            var k = first
            while k < count {
                times.append(Int64(bitPattern: UInt64(bitPattern: start) &+ k &* step))
                k += 1
            }
        }
        times.append(end)
        return times
    }

    /// Nanoseconds as milliseconds rounded down, as Go's `Time.UnixMilli`.
    static func floorMilliseconds(_ nanos: Int64) -> Timestamp {
        let (quotient, remainder) = nanos.quotientAndRemainder(dividingBy: 1_000_000)
        return remainder < 0 ? quotient - 1 : quotient
    }

    /// Appends the collected `target_info` samples, each label set in time order.
    mutating func emitTargetInfo() {
        for labels in targetInfoOrder {
            for time in targetInfo[labels, default: []].sorted() {
                result.samples.append(OTLPSample(labels: labels, timestamp: time, value: 1, isTargetInfo: true))
            }
        }
    }
}
