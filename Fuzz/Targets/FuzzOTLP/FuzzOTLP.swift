// libFuzzer target: an OTLP/HTTP metrics body, as the receiver handles it
// (HTTPAPI/PrometheusAPI+OTLP.swift): decoded as protobuf and as OTLP/JSON (the Content-Type
// picks one; the fuzzer tries both on every input), then translated to samples with the
// default settings and with every option turned on. Never traps; every sample has a metric name
// and `target_info` stays within its per-resource cap.

import MetricModel
import Remote
import WireFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Array(UnsafeBufferPointer(start: data, count: size))
    for encoding in [OTLPEncoding.protobuf, .json] {
        guard let request = try? encoding.decodeRequest(body) else { continue }
        translate(request, settings: OTLPTranslationSettings())
        var everything = OTLPTranslationSettings()
        everything.addMetricSuffixes = false
        everything.labelNamer = OTLPLabelNamer(underscoreSanitization: false, preserveMultipleUnderscores: false)
        everything.promoteScopeMetadata = true
        everything.keepIdentifyingResourceAttributes = true
        everything.lookbackDeltaMs = 1
        everything.maxTargetInfoSamplesPerResource = 3
        translate(request, settings: everything)
    }
    return 0
}

private func translate(_ request: OTLPExportRequest, settings: OTLPTranslationSettings) {
    var translator = OTLPTranslator(settings: settings)
    let translation = translator.translate(request)
    var targetInfo: [Labels: Int] = [:]
    for sample in translation.samples {
        precondition(sample.labels.metricName != nil, "sample without a metric name: \(sample.labels)")
        if sample.isTargetInfo { targetInfo[sample.labels, default: 0] += 1 }
    }
    // One label set may collect points of several resources, each capped.
    let resources = max(request.resourceMetrics.count, 1)
    for (labels, count) in targetInfo {
        precondition(count <= resources * settings.maxTargetInfoSamplesPerResource, "\(count) target_info samples for \(labels)")
    }
}
