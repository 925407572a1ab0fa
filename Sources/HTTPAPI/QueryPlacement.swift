// Where a query runs: on the connection's event loop, or on the concurrency pool.
//
// Answering in place saves two thread hand-offs (about a tenth of a small query's latency), but
// while a query runs in place the loop's other connections wait. Dashboards send the same
// queries again and again, so the server remembers which recent queries were quick: those run in
// place under an inline budget (a safety net that gives up and moves the query to the pool if it
// outgrows it), everything else runs on the pool, where its time is measured for next time.

internal import Synchronization
package import PromQL
internal import MetricModel

/// Memory of recent queries' costs, deciding whether the next run of one is answered in place.
package final class QueryPlacement: Sendable {
    /// A query as a dashboard repeats it: the same text over the same span at the same step
    /// (instant queries: span and step 0).
    package struct Key: Hashable, Sendable {
        package var query: String
        package var spanMs: Int64
        package var step: String

        package init(query: String, spanMs: Int64, step: String) {
            self.query = query
            self.spanMs = spanMs
            self.step = step
        }
    }

    /// What a query may cost in place before it gives up and moves to the pool.
    package let budget: InlineBudget
    /// Queries whose last run took at most this long are answered in place next time.
    package let quickDuration: Duration
    /// At most this many queries are remembered (the memory starts over when full).
    package static let capacity = 4096
    /// Longer query texts are never remembered (nor answered in place).
    package static let maxQueryLength = 4096

    private enum Cost {
        case quick
        case slow
        /// Gave up in place once: stays on the pool until the memory starts over.
        case outgrewBudget
    }

    private let memory = Mutex<[Key: Cost]>([:])

    package init(budget: InlineBudget) {
        self.budget = budget
        quickDuration = budget.maxDuration / 2
    }

    /// The key of a query request, nil when it is not one to remember (too long, bad times).
    static func key(_ params: FormParameters, range: Bool) -> Key? {
        key(query: params["query"], range: range ? (params["start"], params["end"], params["step"]) : nil)
    }

    /// The key of a query with its parameters as sent: `range` is nil for an instant query.
    package static func key(query: String?, range: (start: String?, end: String?, step: String?)?) -> Key? {
        guard let query, query.utf8.count <= maxQueryLength else { return nil }
        guard let range else { return Key(query: query, spanMs: 0, step: "") }
        guard let start = try? parseTime(range.start ?? ""), let end = try? parseTime(range.end ?? "") else {
            return nil
        }
        return Key(query: query, spanMs: end &- start, step: range.step ?? "")
    }

    /// Whether the query's last run was quick.
    package func isQuick(_ key: Key) -> Bool {
        memory.withLock { $0[key] == .quick }
    }

    /// Remembers how the query's run went: `duration`, or nil when it outgrew the inline budget
    /// (which is never forgotten in favour of a quick run later).
    package func record(_ key: Key, duration: Duration?) {
        let cost: Cost = duration.map { $0 <= quickDuration ? .quick : .slow } ?? .outgrewBudget
        memory.withLock { memory in
            if memory[key] == .outgrewBudget { return }
            if memory[key] == nil && memory.count >= Self.capacity { memory.removeAll(keepingCapacity: true) }
            memory[key] = cost
        }
    }
}

/// The parsed form of recent query texts: dashboards send the same texts again and again, and
/// parsing one costs about as much as evaluating a small query. Only successful parses are kept.
package final class ParsedQueries: Sendable {
    /// At most this many texts are remembered (the memory starts over when full).
    package static let capacity = 1024

    private let memory = Mutex<[String: Expr]>([:])

    /// `parseExpr(text)`, from memory when the text was parsed before.
    package init() {}

    package func parse(_ text: String) throws(ParseError) -> Expr {
        let cacheable = text.utf8.count <= QueryPlacement.maxQueryLength
        if cacheable, let expr = memory.withLock({ $0[text] }) { return expr }
        let expr = try parseExpr(text)
        if cacheable {
            memory.withLock { memory in
                if memory.count >= Self.capacity { memory.removeAll(keepingCapacity: true) }
                memory[text] = expr
            }
        }
        return expr
    }
}
