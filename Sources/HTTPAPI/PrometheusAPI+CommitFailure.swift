// A failed commit as the client hears it: a full or read-only disk is a reason to come back later.

internal import Hummingbird
internal import HTTPTypes
internal import MetricModel
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

extension PrometheusAPI {
    /// `errno`s of a disk that cannot take writes now but may later: full, over quota, read-only.
    static let retryLaterErrnos: Set<Int32> = [ENOSPC, EDQUOT, EROFS]

    /// Whether `error` is a storage write that failed for want of space or a writable disk.
    static func isStorageUnavailable(_ error: any Error) -> Bool {
        guard let failure = error as? any SystemCallFailure, let code = failure.errnoCode else { return false }
        return retryLaterErrnos.contains(code)
    }

    /// The answer to a failed commit: `503 Service Unavailable` when the disk is full or read-only
    /// (nothing of the request was stored; remote-write senders and OTLP exporters retry, and the
    /// write succeeds once space is back), `500` for any other failure.
    static func commitFailureResponse(_ error: any Error) -> Response {
        if isStorageUnavailable(error) {
            return text("storage unavailable, retry later: \(error)\n", status: .serviceUnavailable)
        }
        return text("storage error: \(error)\n", status: .internalServerError)
    }
}
