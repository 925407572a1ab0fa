// TenantRuler: one tenant's rule groups in multi-tenant mode — set through the ruler
// configuration API (Mimir's), kept one Prometheus rule file per namespace in
// `<data>/tenants/<id>/rules/<namespace>.yml`, and evaluated by a rule manager of the tenant's
// own against the tenant's own database.

internal import Dispatch
internal import HTTPAPI
internal import Logging
internal import MetricModel
internal import Rules
internal import Tenancy
internal import TSDB
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// A tenant's rule groups by namespace, their files and their evaluation.
///
/// Changes run one at a time, in the order they came: each is checked, written to its
/// namespace's file (temporary file, fsync, rename), published, and in force in the rule manager
/// before the next starts and before its request is answered. Reads see the last change published.
///
/// Alerts of tenants' rules are shown by the tenant's `/api/v1/alerts` and written as `ALERTS`
/// series to its database; they are not sent to the operator's Alertmanagers.
///
/// Thread-safety: all methods may be called concurrently.
final class TenantRuler: RulerConfigStore, @unchecked Sendable {
    // Safety: `state` is read and written only under `lock`.
    private struct State {
        /// Groups by namespace, each namespace's in its file's order; no namespace is empty.
        var namespaces: [String: [RuleGroupDefinition]] = [:]
        /// Waits for the change queued last; the next change waits for it first.
        var tail: (@Sendable () async -> Void)?
        var stopped = false
    }

    private let lock = Lock()
    private var state = State()
    let tenant: String
    /// `<data>/tenants/<id>/rules`.
    let directory: String
    /// The rule manager over the tenant's database, and its `/api/v1/rules` view.
    let rules: ServerRules
    /// The tenant's limits in force.
    let limits: @Sendable () -> TenantLimits
    let logger: Logger

    /// Groups name no interval of their own evaluate every minute (Mimir's
    /// `-ruler.evaluation-interval` default).
    static let options: RuleManagerOptions = {
        var options = RuleManagerOptions()
        options.evaluationIntervalMs = 60_000
        return options
    }()

    /// Where rule files are written and removed: a thread that may block, not the concurrency pool.
    private static let files = DispatchQueue(label: "sugarmill.tenant-rules")

    /// Reads the tenant's rule files (blocks) and starts evaluating their groups. A file that
    /// cannot be read or parsed is logged and left out (its namespace is empty until set again).
    init(tenant: String, directory: String, rules: ServerRules, limits: @escaping @Sendable () -> TenantLimits, logger: Logger) {
        self.tenant = tenant
        self.directory = directory
        self.rules = rules
        self.limits = limits
        self.logger = logger
        let namespaces = Self.load(directory: directory, tenant: tenant, logger: logger)
        state.namespaces = namespaces
        let start = Task { await rules.manager.apply(groups: Self.running(namespaces), options: Self.options) }
        state.tail = { await start.value }
    }

    /// Stops evaluating, after the change in progress; changes asked for later are refused.
    func shutdown() async {
        let tail = lock.withLock {
            state.stopped = true
            return state.tail
        }
        await tail?()
        await rules.manager.shutdown()
    }

    /// The number of groups over all namespaces.
    var groupCount: Int { lock.withLock { state.namespaces.values.reduce(0) { $0 + $1.count } } }

    // MARK: RulerConfigStore

    func rulesYAML(namespace: String?) -> String {
        let namespaces = lock.withLock { state.namespaces }
        let listed = namespaces.filter { namespace == nil || $0.key == namespace }.sorted { $0.key < $1.key }
        return RuleGroupsFile.yaml(namespaces: listed.map { (name: $0.key, groups: $0.value) })
    }

    func groupYAML(namespace: String, group: String) throws(APIError) -> String {
        let groups = lock.withLock { state.namespaces[namespace] } ?? []
        guard let found = groups.first(where: { $0.name == group }) else { throw APIError(.notFound, "group does not exist") }
        return found.yaml()
    }

    func setGroup(namespace: String, body: String) async throws(APIError) {
        let fileName = try Self.fileName(of: namespace)
        let (parsed, errors) = RuleGroupsFile.parseGroup(body, templateCheck: RuleTemplates.parseCheck)
        guard let group = parsed, errors.isEmpty else { throw APIError(.badData, errors.joined(separator: ", ")) }
        // Mimir's own checks on top of rulefmt's, in its words.
        if group.rules.isEmpty {
            throw APIError(.badData, "invalid rules configuration: rule group '\(group.name)' has no rules")
        }
        let maxRules = limits().rulerMaxRulesPerRuleGroup
        if maxRules > 0 && group.rules.count > maxRules {
            throw APIError(.badData, "per-user rules per rule group limit (limit: \(maxRules) actual: \(group.rules.count)) exceeded")
        }
        try await change { () async throws(APIError) in
            let (all, total) = self.lock.withLock { (self.state.namespaces, self.state.namespaces.values.reduce(0) { $0 + $1.count }) }
            var groups = all[namespace] ?? []
            if let index = groups.firstIndex(where: { $0.name == group.name }) {
                groups[index] = group
            } else {
                // A group replaced does not count again (Mimir counts every upload as one more).
                let maxGroups = self.limits().rulerMaxRuleGroupsPerTenant
                if maxGroups > 0 && total + 1 > maxGroups {
                    throw APIError(.badData, "per-user rule groups limit (limit: \(maxGroups) actual: \(total + 1)) exceeded")
                }
                groups.append(group)
            }
            try await self.store(groups, namespace: namespace, fileName: fileName)
        }
    }

    func deleteGroup(namespace: String, group: String) async throws(APIError) {
        try await change { () async throws(APIError) in
            var groups = self.lock.withLock { self.state.namespaces[namespace] } ?? []
            guard let index = groups.firstIndex(where: { $0.name == group }) else {
                throw APIError(.notFound, "group does not exist")
            }
            groups.remove(at: index)
            try await self.store(groups, namespace: namespace, fileName: try Self.fileName(of: namespace))
        }
    }

    func deleteNamespace(_ namespace: String) async throws(APIError) {
        try await change { () async throws(APIError) in
            guard self.lock.withLock({ self.state.namespaces[namespace] }) != nil else {
                throw APIError(.notFound, "group namespace does not exist")
            }
            try await self.store([], namespace: namespace, fileName: try Self.fileName(of: namespace))
        }
    }

    // MARK: Changes

    /// Runs `body` after the change queued before it, to the end even if the request goes away.
    private func change(_ body: @escaping @Sendable () async throws(APIError) -> Void) async throws(APIError) {
        let task: Task<APIError?, Never>? = lock.withLock {
            guard !state.stopped else { return nil }
            let previous = state.tail
            let task = Task { () async -> APIError? in
                await previous?()
                do throws(APIError) {
                    try await body()
                    return nil
                } catch {
                    return error
                }
            }
            state.tail = { _ = await task.value }
            return task
        }
        guard let task else { throw APIError(.overloaded, "the server is shutting down") }
        if let error = await task.value { throw error }
    }

    /// Writes `groups` as the namespace's file (none: removes it), then publishes them and puts
    /// them in force. Nothing changes when writing fails.
    private func store(_ groups: [RuleGroupDefinition], namespace: String, fileName: String) async throws(APIError) {
        let directory = directory
        let path = directory + "/" + fileName
        let text = RuleGroupsFile(groups: groups).yaml()
        let failure: TSDBError? = await withCheckedContinuation { done in
            Self.files.async {
                do throws(TSDBError) {
                    if groups.isEmpty {
                        try AtomicFile.remove(path)
                    } else {
                        try AtomicFile.createDirectory(directory)
                        try AtomicFile.replace(path, with: Array(text.utf8))
                    }
                    done.resume(returning: nil)
                } catch {
                    done.resume(returning: error)
                }
            }
        }
        if let failure {
            logger.error("storing a tenant's rule groups failed", metadata: ["tenant": "\(tenant)", "error": "\(failure)"])
            throw APIError(.internal, "storing the rule groups failed, nothing was changed: \(failure)")
        }
        let namespaces = lock.withLock {
            state.namespaces[namespace] = groups.isEmpty ? nil : groups
            return state.namespaces
        }
        await rules.manager.apply(groups: Self.running(namespaces), options: Self.options)
        logger.info(
            "tenant rule groups changed", metadata: ["tenant": "\(tenant)", "rules.namespace": "\(namespace)", "rules.groups": "\(groups.count)"])
    }

    /// Every group with its namespace as its file, namespaces in name order.
    private static func running(_ namespaces: [String: [RuleGroupDefinition]]) -> [(file: String, definition: RuleGroupDefinition)] {
        namespaces.sorted { $0.key < $1.key }.flatMap { namespace in namespace.value.map { (namespace.key, $0) } }
    }
}

extension TenantRuler {
    /// The longest file name a namespace may have, `.yml` included (file systems allow 255 bytes).
    static let maxFileNameBytes = 255

    /// The namespace's rule file name: letters, digits, `_`, `-` and `.` (not first) as they are,
    /// every other byte of its UTF-8 as `%XX`, then `.yml` — so no namespace names a path, a
    /// hidden file, or another namespace's file.
    ///
    /// - Throws: `.badData` for an empty namespace or one whose file name would be too long.
    static func fileName(of namespace: String) throws(APIError) -> String {
        guard !namespace.isEmpty else { throw APIError(.badData, "a namespace must be provided in the request") }
        var name = ""
        for (index, byte) in namespace.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "_"), UInt8(ascii: "-"):
                name.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: ".") where index > 0:
                name += "."
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                name += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        name += ".yml"
        guard name.utf8.count <= maxFileNameBytes else {
            throw APIError(
                .badData,
                "namespace name is too long: its file name would have \(name.utf8.count) bytes, at most \(maxFileNameBytes) are allowed")
        }
        return name
    }

    /// The namespace whose file `fileName` is; nil for a file no namespace has.
    static func namespace(ofFile fileName: String) -> String? {
        guard fileName.hasSuffix(".yml"), let namespace = try? PrometheusAPI.pathSegment(String(fileName.dropLast(4))),
            (try? Self.fileName(of: namespace)) == fileName
        else { return nil }
        return namespace
    }

    /// The namespaces of the rule files in `directory`, skipping (and logging) files that cannot
    /// be read or do not parse. Blocks.
    static func load(directory: String, tenant: String, logger: Logger) -> [String: [RuleGroupDefinition]] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [:] }
        var namespaces: [String: [RuleGroupDefinition]] = [:]
        for entry in entries.sorted() where entry.hasSuffix(".yml") {
            let path = directory + "/" + entry
            guard let namespace = namespace(ofFile: entry) else {
                logger.warning("not a namespace's rule file, ignored", metadata: ["tenant": "\(tenant)", "rules.file": "\(path)"])
                continue
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                logger.error("reading a tenant's rule file failed", metadata: ["tenant": "\(tenant)", "rules.file": "\(path)"])
                continue
            }
            let (file, errors) = RuleGroupsFile.parse(String(decoding: data, as: UTF8.self), templateCheck: RuleTemplates.parseCheck)
            guard let file, errors.isEmpty else {
                logger.error(
                    "loading a tenant's rule file failed, its groups are not evaluated",
                    metadata: ["tenant": "\(tenant)", "rules.file": "\(path)", "err": "\(errors.joined(separator: "; "))"])
                continue
            }
            if !file.groups.isEmpty { namespaces[namespace] = file.groups }
        }
        return namespaces
    }
}
