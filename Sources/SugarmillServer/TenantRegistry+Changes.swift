// The admin API's changes to the tenants: one at a time, each saved to the tenants file
// (atomically) before it is published, so a failed save changes nothing.

package import Tenancy
internal import TSDB
internal import Logging
internal import Dispatch

extension TenantRegistry {
    /// Adds `tenant` and starts serving it at once, over its database in `<data>/tenants/<id>/`
    /// (opened with what is there: a directory kept from a deleted tenant of that id is served again).
    ///
    /// - Throws: `.exists`; `.invalid` for credentials another tenant or the admin token has;
    ///   `.storage` when the database cannot be opened or the file saved; `.shuttingDown`.
    package func create(_ tenant: TenantConfig) async throws(TenantChangeError) {
        try await serially { () throws(TenantChangeError) in
            let now = self.current
            if now.tenants[tenant.id] != nil { throw TenantChangeError(.exists, "tenant \(tenant.id.debugDescription) exists") }
            var config = now.config
            try Self.checkCredentials(of: tenant, in: config)
            config.tenants.append(tenant)
            let db: DB
            do { db = try self.factory.openDB(tenant.id) } catch {
                throw TenantChangeError(.storage, "opening the tenant's storage failed: \(error)")
            }
            do throws(TenantChangeError) { try self.save(config) } catch {
                _ = self.closeDatabase(of: tenant.id, db)
                throw error
            }
            self.compactionWakeups.attach(db)
            var tenants = now.tenants
            tenants[tenant.id] = self.factory.serve(tenant, db: db)
            self.publish(TenantSet(config: config, tenants: tenants))
            self.logChange(tenant.id, "create")
        }
    }

    /// Replaces the credentials and limits `fields` has; keeps the others. Credentials replaced
    /// stop working when this returns. New limits take effect at once: the tenant's API is rebuilt
    /// over its open database, so what the API holds in memory starts over (ingestion bucket full,
    /// exemplars, remote-write metadata, its counters); a credentials-only change keeps the API.
    ///
    /// - Parameter action: what the log calls the change (`update`, `rotate`).
    /// - Throws: `.notFound`; `.invalid` for credentials another tenant or the admin token has;
    ///   `.storage` when the file cannot be saved; `.shuttingDown`.
    package func update(_ id: String, with fields: TenantFields, action: String = "update") async throws(TenantChangeError) {
        try await serially { () throws(TenantChangeError) in
            let now = self.current
            guard let index = now.config.tenants.firstIndex(where: { $0.id == id }), let served = now.tenants[id] else {
                throw TenantChangeError(.notFound, "tenant \(id.debugDescription) does not exist")
            }
            var config = now.config
            let old = config.tenants[index]
            var tenant = old
            tenant.apply(fields)
            try Self.checkCredentials(of: tenant, in: config)
            config.tenants[index] = tenant
            try self.save(config)
            var tenants = now.tenants
            if tenant.limits != old.limits {
                tenants[id] = ServedTenant(
                    db: served.db, ruler: served.ruler, responder: self.factory.makeResponder(tenant, served.db, served.ruler))
            }
            self.publish(TenantSet(config: config, tenants: tenants))
            self.logChange(id, action)
        }
    }

    /// Stops serving the tenant, stops its rule evaluation and closes its database (flushing its
    /// WAL, after a compaction in progress); its data directory (rule files included) stays on
    /// disk. Requests already running with it end with `TSDBError.closed` errors.
    ///
    /// - Returns: whether the database closed cleanly (a failure is logged; the tenant is gone anyway).
    /// - Throws: `.notFound`; `.invalid` for the last tenant and for the one the server's scrapes
    ///   feed; `.storage` when the file cannot be saved; `.shuttingDown`.
    package func delete(_ id: String) async throws(TenantChangeError) -> Bool {
        let served = try await serially { () throws(TenantChangeError) in
            let now = self.current
            guard let served = now.tenants[id] else { throw TenantChangeError(.notFound, "tenant \(id.debugDescription) does not exist") }
            if now.tenants.count == 1 {
                throw TenantChangeError(.invalid, "tenant \(id.debugDescription) is the last one; the server needs at least one")
            }
            if id == self.scrapeTenant {
                throw TenantChangeError(
                    .invalid, "tenant \(id.debugDescription) receives the server's scrapes; it cannot be deleted while the server runs")
            }
            var config = now.config
            config.tenants.removeAll { $0.id == id }
            try self.save(config)
            var tenants = now.tenants
            tenants[id] = nil
            self.publish(TenantSet(config: config, tenants: tenants))
            self.logChange(id, "delete")
            return served
        }
        // Rules stop writing before the database closes; the registry's `close()` no longer sees it.
        await served.ruler.shutdown()
        return await onChangesQueue { self.closeDatabase(of: id, served.db) }
    }

    /// Runs `change` on the changes queue, after the one in progress; refused once closed.
    private func serially<T: Sendable>(
        _ change: @escaping @Sendable () throws(TenantChangeError) -> T
    ) async throws(TenantChangeError) -> T {
        let result = await withCheckedContinuation { (done: CheckedContinuation<Result<T, TenantChangeError>, Never>) in
            changes.async {
                if self.isClosed {
                    done.resume(returning: .failure(TenantChangeError(.shuttingDown, "the server is shutting down")))
                } else {
                    done.resume(returning: Result { () throws(TenantChangeError) in try change() })
                }
            }
        }
        return try result.get()
    }

    private static func checkCredentials(of tenant: TenantConfig, in config: TenancyConfig) throws(TenantChangeError) {
        do { try config.checkCredentials(of: tenant, at: "") } catch { throw TenantChangeError(.invalid, error.message) }
    }

    /// Writes `config` over the tenants file (temporary file, fsync, rename, directory fsync).
    private func save(_ config: TenancyConfig) throws(TenantChangeError) {
        guard let file else { return }
        do { try AtomicFile.replace(file, with: Array(config.yaml().utf8)) } catch {
            logger.error("saving the tenants file failed", metadata: ["tenancy.file": "\(file)", "error": "\(error)"])
            throw TenantChangeError(.storage, "saving the tenants file failed, nothing was changed: \(error)")
        }
    }

    /// Logs a change: the tenant and what was done, never a credential.
    private func logChange(_ id: String, _ action: String) {
        logger.info("tenant changed", metadata: ["tenant": "\(id)", "tenant.action": "\(action)"])
    }
}
