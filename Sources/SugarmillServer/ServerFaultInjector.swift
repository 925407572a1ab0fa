// ServerFaultInjector: carries out `/api/v1/admin/faults` injections (`--enable-feature=
// fault-injection`) on the server's storage directory, scrapes and remote-write sends; logs each
// one and counts it for `/metrics`.

package import HTTPAPI
package import Logging
internal import MetricModel
internal import Scrape
internal import Synchronization
internal import TSDB
#if canImport(Glibc)
internal import Glibc
#endif
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// Injects bounded faults for operators rehearsing failure: a trained chaos monkey in a box.
package final class ServerFaultInjector: FaultInjecting {
    /// The storage directory (absolute): disk faults strike files under it.
    let storagePath: String
    let logger: Logger
    /// Injections started, by kind (`sugarmill_fault_injections_total{kind}`).
    let started = ReasonCounters()
    private let state = Mutex<(nextID: Int, faults: [ActiveFault])>((1, []))

    package init(storagePath: String, logger: Logger) {
        self.storagePath = storagePath
        self.logger = logger
    }

    package func inject(_ request: FaultRequest) -> ActiveFault {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let duration = Duration.milliseconds(request.durationMs)
        switch request.kind {
        case .diskError:
            IOFaults.inject(
                .fail(errno: Self.errno(named: request.errno)), on: Self.operations(request.operations), under: storagePath,
                for: duration)
        case .diskLatency:
            IOFaults.inject(
                .delay(milliseconds: Int(request.latencyMs)), on: Self.operations(request.operations), under: storagePath,
                for: duration)
        case .scrapeFailure:
            NetworkFaults.inject(Self.effect(request.effect), on: .scrape(job: request.target), for: duration)
        case .remoteWriteFailure:
            NetworkFaults.inject(Self.effect(request.effect), on: .remoteWrite(name: request.target), for: duration)
        }
        let fault = state.withLock { state in
            let fault = ActiveFault(id: state.nextID, request: request, startMs: now, endMs: now + request.durationMs)
            state.nextID += 1
            state.faults.append(fault)
            return fault
        }
        started.add(request.kind.rawValue)
        logger.warning(
            "fault injected",
            metadata: [
                "id": "\(fault.id)", "kind": "\(request.kind.rawValue)",
                "duration": "\(PrometheusDuration.format(milliseconds: request.durationMs))", "detail": "\(Self.detail(request))",
            ])
        return fault
    }

    package var active: [ActiveFault] {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        return state.withLock { state in
            state.faults.removeAll { $0.endMs <= now }
            return state.faults
        }
    }

    package func clearAll() -> Int {
        let ended = state.withLock { state in
            let ended = state.faults
            state.faults = []
            return ended
        }
        IOFaults.clear(under: storagePath)
        for fault in ended {
            switch fault.request.kind {
            case .scrapeFailure: NetworkFaults.clear(.scrape(job: fault.request.target))
            case .remoteWriteFailure: NetworkFaults.clear(.remoteWrite(name: fault.request.target))
            case .diskError, .diskLatency: break
            }
        }
        logger.warning("fault injection cleared", metadata: ["faults": "\(ended.count)"])
        return ended.count
    }

    /// `sugarmill_fault_injections_total{kind}` and `sugarmill_fault_injections_active`.
    package var metricsText: String {
        var out = SelfMetrics.reasons(
            "sugarmill_fault_injections_total", "Faults injected through /api/v1/admin/faults, by kind.", started, label: "kind")
        out += "# HELP sugarmill_fault_injections_active Injected faults in force.\n"
        out += "# TYPE sugarmill_fault_injections_active gauge\nsugarmill_fault_injections_active \(active.count)\n"
        return out
    }

    static func errno(named name: String) -> Int32 {
        switch name {
        case "ENOSPC": ENOSPC
        case "EROFS": EROFS
        case "EDQUOT": EDQUOT
        default: EIO
        }
    }

    static func operations(_ names: [String]) -> Set<IOFaults.Operation> {
        Set(names.compactMap(IOFaults.Operation.init(rawValue:)))
    }

    static func effect(_ name: String) -> NetworkFaults.Effect {
        NetworkFaults.Effect(rawValue: name) ?? .reset
    }

    static func detail(_ request: FaultRequest) -> String {
        switch request.kind {
        case .diskError: "\(request.errno) on \(request.operations.joined(separator: ","))"
        case .diskLatency: "\(request.latencyMs)ms on \(request.operations.joined(separator: ","))"
        case .scrapeFailure: "\(request.effect) scrapes of \(request.target.map { "job \($0)" } ?? "every job")"
        case .remoteWriteFailure: "\(request.effect) sends to \(request.target ?? "every remote")"
        }
    }
}
