// When a group evaluates: on its own slot in every interval, the slot chosen by a hash of the
// group's name and file as Prometheus chooses it, so a restart evaluates at the same instants.

import Logging
package import MetricModel
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RuleGroup {
    /// Prometheus's `EvalTimestamp`: the latest evaluation instant at or before `nanoseconds`
    /// (since the epoch), in milliseconds.
    ///
    /// The offset within the interval is Prometheus 2.42's `labels.Labels.Hash()` of
    /// `{file, name}` (XXH64 of each name and value followed by 0xff) modulo the interval in
    /// nanoseconds, so Sugarmill evaluates a group at the instants Prometheus would.
    package func evaluationTime(atOrBefore nanoseconds: Int64) -> Timestamp {
        let intervalNs = intervalMs * 1_000_000
        guard intervalNs > 0 else { return nanoseconds / 1_000_000 }
        let offset = Int64(slotHash % UInt64(intervalNs))
        let adjusted = nanoseconds - offset
        let base = adjusted - adjusted % intervalNs
        return (base + offset) / 1_000_000
    }

    /// XXH64 over `file` 0xff <file> 0xff `name` 0xff <name> 0xff.
    var slotHash: UInt64 {
        var bytes: [UInt8] = []
        for part in ["file", file, "name", name] {
            bytes += part.utf8
            bytes.append(0xFF)
        }
        return XXHash64.hash(bytes)
    }

    /// Evaluates at every slot until cancelled: the first slot after now, then each interval,
    /// counting slots missed when an evaluation overran. After the second evaluation of a group
    /// that should restore, alerts' `for` state is restored from `ALERTS_FOR_STATE`.
    func run(context: RuleEvaluationContext) async {
        var next = evaluationTime(atOrBefore: RuleClock.nowNs()) + intervalMs
        var evaluated = 0
        while !Task.isCancelled {
            let wait = next - RuleClock.nowMs()
            if wait > 0 {
                do { try await Task.sleep(for: .milliseconds(wait)) } catch { return }
            }
            if let admit = context.admit {
                guard let release = await admit() else {
                    context.logger.warning("Rule group evaluation skipped: no query slot", metadata: ["group": "\(key)"])
                    state.withLock { $0.iterationsMissed += 1 }
                    next += intervalMs
                    continue
                }
                evaluate(at: next, context: context)
                release()
            } else {
                evaluate(at: next, context: context)
            }
            evaluated += 1
            if evaluated == 2 && state.withLock({ $0.shouldRestore }) {
                restoreForState(at: RuleClock.nowMs(), context: context)
            }
            // Slots that passed while evaluating are skipped and counted, as Prometheus does.
            let missed = max(0, (RuleClock.nowMs() - next) / intervalMs - 1)
            if missed > 0 { state.withLock { $0.iterationsMissed += Int(missed) } }
            next += (missed + 1) * intervalMs
        }
    }
}

/// The wall clock rules are scheduled by.
package enum RuleClock {
    /// Milliseconds since the epoch.
    package static func nowMs() -> Timestamp {
        nowNs() / 1_000_000
    }

    /// Nanoseconds since the epoch.
    static func nowNs() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
