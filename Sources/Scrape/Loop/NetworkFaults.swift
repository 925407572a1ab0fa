// NetworkFaults: the fault injector of the network side (issue #10) — scrapes, remote-write
// sends and alert notifications that see their connection reset, time out or lose the end of the
// body, on purpose, so tests and operators rehearsing failure can watch targets go down, senders
// retry and nothing break.

internal import MetricModel

/// Injected network faults, each for the scrapes of one job or the sends of one remote-write
/// queue (or all of them). Tests name their own job or queue, so that tests running in parallel
/// do not see each other's faults.
///
/// ```swift
/// NetworkFaults.inject(.reset, on: .scrape(job: "node"), for: .seconds(30))
/// ```
package enum NetworkFaults {
    /// What a fault strikes.
    package enum Scope: Sendable, Hashable {
        /// Scrapes of targets of `job`; nil: every scrape.
        case scrape(job: String?)
        /// Sends of the remote-write queue named `name` (its `name:` or, without one, its URL's
        /// hash as in its metrics' `remote_name`); nil: every send.
        case remoteWrite(name: String?)
        /// Notifications sent to the Alertmanager at `url` (as in the notifier's metrics'
        /// `alertmanager` label); nil: every Alertmanager.
        case alertmanager(url: String?)
    }

    /// What happens to a scrape or send a fault strikes.
    package enum Effect: String, Sendable, CaseIterable {
        /// The connection is reset before an answer: the scrape fails, the send is retried.
        case reset
        /// No answer: the call waits out its timeout, then fails as a timeout does.
        case timeout
        /// The body is cut short: a scrape gets the first half of what the target sent; a send
        /// loses its connection before the answer (and is retried).
        case truncate
    }

    private static let faults = FaultTable<Scope, Effect>()

    /// From now on, scrapes or sends in `scope` get `effect` — for `times` of them, or until
    /// `duration` has passed, or until cleared.
    package static func inject(_ effect: Effect, on scope: Scope, times: Int? = nil, for duration: Duration? = nil) {
        faults.inject(effect, on: scope, times: times, for: duration)
    }

    /// Removes the faults of `scope`.
    package static func clear(_ scope: Scope) {
        faults.clear { $0 == scope }
    }

    /// The effect a scrape of a target of `job` must have, or nil.
    package static func scrapeFault(job: String) -> Effect? {
        effect { scope in
            guard case .scrape(let only) = scope else { return false }
            return only == nil || only == job
        }
    }

    /// The effect a send of the remote-write queue `name` must have, or nil.
    package static func remoteWriteFault(name: String) -> Effect? {
        effect { scope in
            guard case .remoteWrite(let only) = scope else { return false }
            return only == nil || only == name
        }
    }

    /// The effect a notification sent to the Alertmanager at `url` must have, or nil.
    package static func alertmanagerFault(url: String) -> Effect? {
        effect { scope in
            guard case .alertmanager(let only) = scope else { return false }
            return only == nil || only == url
        }
    }

    private static func effect(_ matches: (Scope) -> Bool) -> Effect? {
        faults.strike(matches)?.effect
    }
}
