// The rule manager: loads rule files into groups, runs each group on its schedule, and on a
// reload keeps unchanged groups running and carries alert state into changed ones
// (Prometheus's `rules.Manager`).

package import Logging
package import MetricModel
import PromQL
package import Scrape
import Synchronization

/// Settings of rule loading and evaluation that come from `prometheus.yml` and flags.
package struct RuleManagerOptions: Sendable {
    /// `global.evaluation_interval`: a group's interval when it names none.
    package var evaluationIntervalMs: Int64 = 60_000
    /// `global.rule_query_offset`: a group's query offset when it names none.
    package var queryOffsetMs: Int64 = 0
    package var nameValidation: NameValidationScheme = .utf8

    package init() {}
}

/// Runs the rule groups of a set of rule files against one storage.
package final class RuleManager: Sendable {
    private let context: RuleEvaluationContext

    private struct Running {
        var group: RuleGroup
        var task: Task<Void, Never>
    }

    private struct State {
        var groups: [String: Running] = [:]
        /// Set by the first successful load: groups loaded later start without restoring `for`
        /// state, as in Prometheus (they have no state from before a restart).
        var loaded = false
        var stopped = false
        /// Stale-marker writes for removed groups, cancelled at shutdown.
        var staleTasks: [Task<Void, Never>] = []
    }

    private let state = Mutex(State())

    package init(context: RuleEvaluationContext) {
        self.context = context
    }

    /// Loads `patterns` (globs, as `rule_files`) and replaces the running groups with the ones
    /// they define. Nothing changes when any file fails to load.
    ///
    /// - Throws: `RuleLoadError` with every file's errors (`promtool check rules`'s texts).
    package func apply(ruleFiles patterns: [String], options: RuleManagerOptions) async throws(RuleLoadError) {
        var files: [String] = []
        for pattern in patterns { files += ConfigPaths.glob(pattern) }
        let shouldRestore = state.withLock { !$0.loaded }
        var loaded: [RuleGroup] = []
        var errors: [String] = []
        for file in files {
            let parsed = RuleGroupsFile.load(
                file: file, nameValidation: options.nameValidation, templateCheck: RuleTemplates.parseCheck)
            guard let definitions = parsed.file, parsed.errors.isEmpty else {
                errors += parsed.errors
                continue
            }
            for definition in definitions.groups {
                loaded.append(
                    Self.group(definition, file: file, options: options, shouldRestore: shouldRestore))
            }
        }
        if !errors.isEmpty {
            for error in errors { context.logger.error("loading groups failed", metadata: ["err": "\(error)"]) }
            throw RuleLoadError(errors: errors)
        }
        await replace(with: loaded)
    }

    /// Replaces the running groups with `groups`, each under the file (for the ruler API, the
    /// namespace) it belongs to, as a reload of rule files would: unchanged groups keep running.
    /// The definitions must be valid (as `RuleGroupsFile.parse` returns them). Calls must not
    /// overlap: the caller runs one change at a time.
    package func apply(groups: [(file: String, definition: RuleGroupDefinition)], options: RuleManagerOptions) async {
        let shouldRestore = state.withLock { !$0.loaded }
        await replace(
            with: groups.map { Self.group($0.definition, file: $0.file, options: options, shouldRestore: shouldRestore) })
    }

    /// Builds a group from its definition (expressions were checked when the file was parsed).
    package static func group(
        _ definition: RuleGroupDefinition, file: String, options: RuleManagerOptions, shouldRestore: Bool
    ) -> RuleGroup {
        let rules = definition.rules.compactMap { rule -> GroupRule? in
            guard let expr = try? parseExpr(rule.expr) else { return nil }
            var labels = Dictionary(definition.labels.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
            for (name, value) in rule.labels { labels[name] = value }
            switch rule.kind {
            case .recording(let name):
                return .recording(RecordingRule(name: name, expr: expr, labels: Labels(labels)))
            case .alerting(let name):
                let alerting = AlertingRule(
                    name: name, expr: expr, holdDurationMs: rule.forMs, keepFiringForMs: rule.keepFiringForMs,
                    labels: labels.map { ($0.key, $0.value) }, annotations: rule.annotations)
                if !shouldRestore { alerting.markRestored() }
                return .alerting(alerting)
            }
        }
        return RuleGroup(
            definition: definition, file: file, intervalMs: definition.intervalMs ?? options.evaluationIntervalMs,
            queryOffsetMs: definition.queryOffsetMs ?? options.queryOffsetMs, rules: rules, shouldRestore: shouldRestore)
    }

    /// Swaps the running groups for `groups`: unchanged ones keep running; changed ones restart
    /// with the old one's series and alerts; removed ones stop, their series marked stale two
    /// intervals later (unless the manager stops first).
    private func replace(with groups: [RuleGroup]) async {
        var stopping: [(old: Running, replacement: RuleGroup?)] = []
        var starting: [RuleGroup] = []
        state.withLock { state in
            guard !state.stopped else { return }
            state.loaded = true
            var remaining = state.groups
            var next: [String: Running] = [:]
            for group in groups {
                let old = remaining.removeValue(forKey: group.key)
                if let old, old.group.isEquivalent(to: group) {
                    next[group.key] = old
                    continue
                }
                if let old { stopping.append((old, group)) }
                starting.append(group)
            }
            for old in remaining.values { stopping.append((old, nil)) }
            state.groups = next
        }
        for (old, replacement) in stopping {
            old.task.cancel()
            await old.task.value
            if let replacement {
                replacement.copyState(from: old.group)
            } else {
                markStaleLater(old.group)
            }
        }
        state.withLock { state in
            guard !state.stopped else { return }
            for group in starting {
                let context = self.context
                state.groups[group.key] = Running(group: group, task: Task { await group.run(context: context) })
            }
        }
    }

    private func markStaleLater(_ group: RuleGroup) {
        let storage = context.storage
        let task = Task {
            let removedAt = RuleClock.nowMs()
            // Two intervals give a renamed group the chance to write the same series first.
            do { try await Task.sleep(for: .milliseconds(2 * group.intervalMs)) } catch { return }
            group.markAllStale(at: removedAt, storage: storage)
        }
        state.withLock { $0.staleTasks.append(task) }
    }

    /// Stops every group (no stale markers: the server resumes where it was).
    package func shutdown() async {
        let (running, stale) = state.withLock { state in
            state.stopped = true
            defer {
                state.groups = [:]
                state.staleTasks = []
            }
            return (Array(state.groups.values), state.staleTasks)
        }
        for task in stale { task.cancel() }
        for entry in running { entry.task.cancel() }
        for entry in running { await entry.task.value }
    }

    /// The running groups, sorted by file, then name (as `/api/v1/rules` lists them).
    package var groups: [RuleGroup] {
        state.withLock { $0.groups.values.map(\.group) }.sorted { ($0.file, $0.name) < ($1.file, $1.name) }
    }
}

/// Rule files that could not be loaded; the previous rules keep running.
package struct RuleLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    package var errors: [String]

    package var description: String { "error loading rules, previous rule set restored" }
}
