// TenantRegistry: the tenants being served in multi-tenant mode — the tenancy config, the
// authenticator built from it, and each tenant's open database and API — and the changes the
// admin API makes to them while the server runs (TenantRegistry+Changes.swift).

package import HTTPAPI
package import Hummingbird
package import Logging
package import MetricModel
package import Tenancy
package import TSDB
internal import Dispatch

/// A tenant being served: its open database, its rule groups and its API over them.
package struct ServedTenant: Sendable {
    package let db: DB
    /// The tenant's rule groups (the ruler API's) and their evaluation.
    let ruler: TenantRuler
    package let responder: RouterResponder<SugarmillRequestContext>

    /// Evaluates every rule group of the tenant once at `time`, as their schedule does each
    /// interval; for tests and tools.
    package func evaluateRules(at time: Timestamp) {
        ruler.rules.evaluate(at: time)
    }
}

/// Everything a request needs to find its tenant, as of one moment. Never changed: a change to
/// the tenants publishes a new one, so a request works with one consistent view throughout.
package final class TenantSet: Sendable {
    package let config: TenancyConfig
    package let authenticator: TenantAuthenticator
    /// By tenant id; exactly the tenants of `config`.
    package let tenants: [String: ServedTenant]

    init(config: TenancyConfig, tenants: [String: ServedTenant]) {
        self.config = config
        authenticator = TenantAuthenticator(config)
        self.tenants = tenants
    }
}

/// How the registry opens a tenant's database and builds its API (the server's
/// `makeTenantResponder`), so that tenants added later are served exactly as those of the file.
package struct TenantFactory: Sendable {
    /// Opens (creating it if needed) the database of the tenant with this id.
    let openDB: @Sendable (String) throws -> DB
    /// Reads the rule groups of the tenant with this id and starts evaluating them over its database.
    let makeRuler: @Sendable (String, DB) -> TenantRuler
    /// The tenant's API over its database and rule groups.
    let makeResponder: @Sendable (TenantConfig, DB, TenantRuler) -> RouterResponder<SugarmillRequestContext>

    /// The tenant served: its ruler started, its API built.
    func serve(_ tenant: TenantConfig, db: DB) -> ServedTenant {
        let ruler = makeRuler(tenant.id, db)
        return ServedTenant(db: db, ruler: ruler, responder: makeResponder(tenant, db, ruler))
    }
}

/// The tenants being served, changed at runtime.
///
/// Requests read ``current`` — one lock acquisition, nothing awaited under the lock. Changes
/// (``create(_:)``, ``update(_:with:)``, ``delete(_:)``, ``close()``) run one at a time on a
/// queue of their own, where they may block: opening a database, saving the tenants file,
/// closing a database. Each change is saved to the tenants file before it is published; if
/// saving fails, nothing changes.
///
/// Thread-safety: all methods may be called concurrently.
package final class TenantRegistry: @unchecked Sendable {
    // Safety: `state` is read and written only under `lock`; it is replaced, never mutated in
    // place, by changes, which run one at a time on `changes`.
    private let lock = Lock()
    private var state: (tenants: TenantSet, closed: Bool)
    let changes = DispatchQueue(label: "sugarmill.tenant-admin")
    let factory: TenantFactory
    /// The tenants file changes are saved to; nil: kept in memory only.
    let file: String?
    /// The tenant the server's scrapes feed, which cannot be deleted while it runs.
    let scrapeTenant: String?
    /// Wakes compaction for databases opened after the server started.
    package let compactionWakeups = CompactionWakeups()
    /// Each tenant's counters, for `/metrics`.
    let usages: TenantUsages
    let logger: Logger

    /// Serves `config`'s tenants over their open `databases` (by tenant id).
    package init(
        config: TenancyConfig, databases: [String: DB], file: String?, scrapeTenant: String?, factory: TenantFactory,
        usages: TenantUsages = TenantUsages(), logger: Logger
    ) {
        var tenants: [String: ServedTenant] = [:]
        for tenant in config.tenants {
            guard let db = databases[tenant.id] else { preconditionFailure("no database for tenant \(tenant.id)") }
            tenants[tenant.id] = factory.serve(tenant, db: db)
        }
        state = (TenantSet(config: config, tenants: tenants), false)
        self.file = file
        self.scrapeTenant = scrapeTenant
        self.factory = factory
        self.usages = usages
        self.logger = logger
    }

    /// The tenants as of now.
    package var current: TenantSet { lock.withLock { state.tenants } }

    /// Every tenant's database, for compaction.
    package var databases: [DB] { current.tenants.values.map(\.db) }

    /// Makes `tenants` the current set. Called by changes only, on `changes`.
    func publish(_ tenants: TenantSet) {
        lock.withLock { state.tenants = tenants }
    }

    /// Whether ``close()`` has run.
    var isClosed: Bool { lock.withLock { state.closed } }

    /// Stops all changes, then every tenant's rule evaluation, then closes every tenant's database
    /// (flushing its WAL), after the change in progress, if any; for graceful shutdown. Requests
    /// still running get `TSDBError.closed`.
    /// - Throws: `ServerError` if a database would not close (each is logged; the others are closed anyway).
    package func close() async throws {
        let tenants: [String: ServedTenant] = await onChangesQueue {
            self.lock.withLock {
                self.state.closed = true
                return self.state.tenants.tenants
            }
        }
        for tenant in tenants.values { await tenant.ruler.shutdown() }
        let failed: [String] = await withCheckedContinuation { done in
            changes.async {
                var failed: [String] = []
                for (id, tenant) in tenants.sorted(by: { $0.key < $1.key }) where !self.closeDatabase(of: id, tenant.db) {
                    failed.append(id)
                }
                done.resume(returning: failed)
            }
        }
        if !failed.isEmpty { throw ServerError("closing the storage of tenants \(failed) failed") }
    }

    /// Runs `body` on the changes queue, after the change in progress.
    func onChangesQueue<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { done in changes.async { done.resume(returning: body()) } }
    }

    /// Closes a tenant's database between compactions; logs a failure. Blocks.
    /// - Returns: whether it closed cleanly.
    func closeDatabase(of id: String, _ db: DB) -> Bool {
        do {
            try CompactionService.betweenCompactions { try db.close() }
            return true
        } catch {
            logger.error("closing tenant storage failed", metadata: ["tenant": "\(id)", "error": "\(error)"])
            return false
        }
    }
}

/// Why a tenant change was refused; each code is one HTTP status of the admin API.
package struct TenantChangeError: Error, Sendable, CustomStringConvertible {
    package enum Code: Sendable {
        /// A field is wrong, or the change would leave no tenant (400).
        case invalid
        /// No tenant has the id (404).
        case notFound
        /// A tenant has the id already (409).
        case exists
        /// Opening a database or saving the tenants file failed; nothing changed (500).
        case storage
        /// The server is shutting down (503).
        case shuttingDown
    }

    package let code: Code
    package let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { message }
}
