// Label-set operations the evaluator needs (Prometheus's labels.Builder Keep/Del/Set and
// MatchLabels), done on the flat encoding so that kept pairs are copied as bytes.

import MetricModel

extension Labels {
    /// The metadata labels dropped with the metric name (`schema.IsMetadataLabel`).
    static let metadataLabelNames: Set<String> = ["__name__", "__type__", "__unit__"]

    /// Only the labels whose name passes `keep`, in order.
    func filtered(_ keep: (String) -> Bool) -> Labels {
        var out: [UInt8] = []
        var changed = false
        forEachRange { nameRange, valueRange in
            let name = String(decoding: bytes[nameRange], as: UTF8.self)
            if keep(name) {
                LabelsEncoding.appendString(bytes[nameRange], to: &out)
                LabelsEncoding.appendString(bytes[valueRange], to: &out)
            } else {
                changed = true
            }
        }
        return changed ? Labels(encoded: out) : self
    }

    /// `labels.Builder.Keep(names...)`.
    func keeping(_ names: [String]) -> Labels {
        if names.isEmpty { return .empty }
        return filtered { names.contains($0) }
    }

    /// `labels.Builder.Del(names...)`.
    func removing(_ names: [String]) -> Labels {
        if names.isEmpty { return self }
        return filtered { !names.contains($0) }
    }

    /// Without `__name__`, `__type__` and `__unit__` (`DropReserved(schema.IsMetadataLabel)`).
    func droppingMetadata() -> Labels {
        filtered { !Labels.metadataLabelNames.contains($0) }
    }

    /// `labels.MatchLabels(on, names...)`: with `on` only `names`, otherwise all but `names`
    /// and the metric name.
    func matching(on: Bool, _ names: [String]) -> Labels {
        if on { return keeping(names) }
        return filtered { $0 != Labels.metricNameLabel && !names.contains($0) }
    }

    /// Sets (or with an empty value removes) one label.
    func setting(_ name: String, _ value: String) -> Labels {
        var builder = LabelsBuilder(self)
        builder.set(name, value)
        return builder.labels()
    }

    /// The value of `name`, or the empty string.
    func value(_ name: String) -> String { self[name] ?? "" }
}
