// TenantUsage: what one tenant has used — series, samples in and refused, query samples — for
// `/metrics` (a `tenant` label on every family) and `/api/v1/status/tenant`.

package import HTTPAPI
package import MetricModel
package import TSDB
package import Tenancy
internal import Synchronization

/// One tenant's counters. Kept for the tenant's life, across changes of its limits.
package final class TenantUsage: Sendable {
    package let id: String
    package let db: DB
    /// The remote-write and OTLP receivers' counters (given to the tenant's API).
    package let remoteWrite = RemoteWriteMetrics()
    /// Samples the tenant's queries read (`totalQueryableSamples`, summed).
    package let querySamplesProcessed = Counter()

    package init(id: String, db: DB) {
        self.id = id
        self.db = db
    }

    /// Samples refused, by reason, over remote write and OTLP.
    var discardedSamples: [(reason: String, count: Int)] {
        var total: [String: Int] = [:]
        for (reason, count) in remoteWrite.rejectedSamples.snapshot { total[reason, default: 0] += count }
        for (reason, count) in remoteWrite.otlp.rejectedSamples.snapshot { total[reason, default: 0] += count }
        return total.map { ($0.key, $0.value) }.sorted { $0.reason < $1.reason }
    }

    /// Samples appended to the tenant's storage, however they came (remote write, OTLP, scrapes).
    var samplesIngested: Int { db.metrics.samplesAppended.current }

    /// The `sugarmill_tenant_*` families for these tenants, in the text exposition format.
    /// Tenant ids need no escaping in label values (`TenancyConfig.validate`).
    static func render(_ tenants: [(usage: TenantUsage, limits: TenantLimits)]) -> String {
        guard !tenants.isEmpty else { return "" }
        let sorted = tenants.sorted { $0.usage.id < $1.usage.id }
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: (TenantUsage, TenantLimits) -> [(String, String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for (usage, limits) in sorted {
                for (labels, value) in samples(usage, limits) {
                    out += "\(name){tenant=\"\(usage.id)\"\(labels)} \(value)\n"
                }
            }
        }
        family("sugarmill_tenant_active_series", "gauge", "Series in the tenant's head block.") { u, _ in
            [("", "\(u.db.head.numSeries)")]
        }
        family("sugarmill_tenant_samples_ingested_total", "counter", "Samples appended to the tenant's storage.") { u, _ in
            [("", "\(u.samplesIngested)")]
        }
        family(
            "sugarmill_tenant_discarded_samples_total", "counter",
            "Samples pushed by the tenant and not stored, by reason."
        ) { u, _ in
            u.discardedSamples.map { (",reason=\"\($0.reason)\"", "\($0.count)") }
        }
        family(
            "sugarmill_tenant_rejected_requests_total", "counter", "Remote-write and OTLP requests of the tenant refused (4xx)."
        ) { u, _ in
            [("", "\(u.remoteWrite.requestsRejected.current + u.remoteWrite.otlp.requestsRejected.current)")]
        }
        family(
            "sugarmill_tenant_query_samples_processed_total", "counter", "Samples read by the tenant's PromQL queries."
        ) { u, _ in
            [("", "\(u.querySamplesProcessed.current)")]
        }
        family("sugarmill_tenant_limits", "gauge", "The tenant's limits, by Mimir's name (0: none).") { _, l in
            l.named.map { (",limit=\"\($0.name)\"", goFormatG($0.value)) }
        }
        return out
    }
}

/// Every tenant's ``TenantUsage``, kept across rebuilds of its API; a tenant deleted and created
/// again (a new database) starts afresh.
package final class TenantUsages: Sendable {
    private let byID = Mutex<[String: TenantUsage]>([:])

    package init() {}

    /// The counters of tenant `id` over `db`.
    func usage(of id: String, db: DB) -> TenantUsage {
        byID.withLock { all in
            if let known = all[id], known.db === db { return known }
            let fresh = TenantUsage(id: id, db: db)
            all[id] = fresh
            return fresh
        }
    }

    /// The `sugarmill_tenant_*` families of the tenants being served.
    func render(_ tenants: TenantSet) -> String {
        let served = tenants.config.tenants.compactMap { tenant -> (TenantUsage, TenantLimits)? in
            guard let db = tenants.tenants[tenant.id]?.db else { return nil }
            return (usage(of: tenant.id, db: db), tenant.limits)
        }
        return TenantUsage.render(served)
    }
}

/// The registry, for lookups made by what had to exist before it (the scrape service).
final class RegistryReference: Sendable {
    private let value = Mutex<TenantRegistry?>(nil)

    var registry: TenantRegistry? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
