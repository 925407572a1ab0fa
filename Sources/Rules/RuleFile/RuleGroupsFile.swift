// A rule file as Prometheus reads it (`model/rulefmt`): groups of recording and alerting rules.
// Parsing and validation: RuleGroupsFile+Parsing.

/// The groups of one rule file.
package struct RuleGroupsFile: Sendable, Equatable {
    package var groups: [RuleGroupDefinition]

    package init(groups: [RuleGroupDefinition] = []) {
        self.groups = groups
    }
}

/// One group: rules evaluated in order, every `interval`.
package struct RuleGroupDefinition: Sendable, Equatable {
    package var name: String
    /// `interval`; nil: the global `evaluation_interval`.
    package var intervalMs: Int64?
    /// `query_offset`; nil: the global `rule_query_offset`.
    package var queryOffsetMs: Int64?
    /// `limit`: at most this many series per rule evaluation (0: no limit).
    package var limit: Int
    /// `labels` (Prometheus 3): added to every rule's results, a rule's own labels win.
    package var labels: [(name: String, value: String)]
    package var rules: [RuleDefinition]

    package init(
        name: String, intervalMs: Int64? = nil, queryOffsetMs: Int64? = nil, limit: Int = 0,
        labels: [(name: String, value: String)] = [], rules: [RuleDefinition] = []
    ) {
        self.name = name
        self.intervalMs = intervalMs
        self.queryOffsetMs = queryOffsetMs
        self.limit = limit
        self.labels = labels
        self.rules = rules
    }

    package static func == (lhs: RuleGroupDefinition, rhs: RuleGroupDefinition) -> Bool {
        lhs.name == rhs.name && lhs.intervalMs == rhs.intervalMs && lhs.queryOffsetMs == rhs.queryOffsetMs
            && lhs.limit == rhs.limit && lhs.labels.elementsEqual(rhs.labels, by: ==) && lhs.rules == rhs.rules
    }
}

/// A recording rule (`record`) or an alerting rule (`alert`).
package struct RuleDefinition: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        case recording(name: String)
        case alerting(name: String)
    }

    package var kind: Kind
    package var expr: String
    /// `for`, alerting rules only.
    package var forMs: Int64
    /// `keep_firing_for`, alerting rules only.
    package var keepFiringForMs: Int64
    /// `labels`, in file order (templates for alerting rules).
    package var labels: [(name: String, value: String)]
    /// `annotations`, in file order (templates).
    package var annotations: [(name: String, value: String)]

    package init(
        kind: Kind, expr: String, forMs: Int64 = 0, keepFiringForMs: Int64 = 0,
        labels: [(name: String, value: String)] = [], annotations: [(name: String, value: String)] = []
    ) {
        self.kind = kind
        self.expr = expr
        self.forMs = forMs
        self.keepFiringForMs = keepFiringForMs
        self.labels = labels
        self.annotations = annotations
    }

    /// The rule's name: the recorded metric or the alert.
    package var name: String {
        switch kind {
        case .recording(let name), .alerting(let name): name
        }
    }

    package static func == (lhs: RuleDefinition, rhs: RuleDefinition) -> Bool {
        lhs.kind == rhs.kind && lhs.expr == rhs.expr && lhs.forMs == rhs.forMs && lhs.keepFiringForMs == rhs.keepFiringForMs
            && lhs.labels.elementsEqual(rhs.labels, by: ==) && lhs.annotations.elementsEqual(rhs.annotations, by: ==)
    }
}
