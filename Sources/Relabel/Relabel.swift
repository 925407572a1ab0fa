// Applying relabeling steps to a label set (Prometheus's `relabel.Process`).

package import MetricModel

extension Labels {
    /// The labels after `configs` in order (Prometheus's `relabel.Process`), or nil when a step
    /// dropped them (`keep`, `drop`, `keepequal`, `dropequal`).
    package func relabeled(_ configs: [RelabelConfig]) -> Labels? {
        fatalError("to be implemented in the Relabel work")
    }
}
