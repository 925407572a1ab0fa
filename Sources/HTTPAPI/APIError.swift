// APIError: Prometheus's errorType values and their HTTP status codes, in exactly one place.

package import HTTPTypes

/// An error reply of the HTTP API: `{"status":"error","errorType":…,"error":…}`.
package struct APIError: Error, Sendable {
    /// Prometheus's `errorType` strings (`web/api/v1/api.go`).
    package enum Kind: String, Sendable {
        case badData = "bad_data"
        case execution = "execution"
        case timeout = "timeout"
        case canceled = "canceled"
        case `internal` = "internal"
        case unavailable = "unavailable"
        case notFound = "not_found"
        case notAcceptable = "not_acceptable"
        case tooLarge = "too_large"
        case unsupportedMediaType = "unsupported_media_type"
        /// Not Prometheus's: the tenant admin API's answer to creating a tenant that exists.
        case conflict = "conflict"
        /// Load shedding (`--query.max-queue-length` reached): errorType `unavailable`, as
        /// Prometheus names a server that cannot serve now, but answered 503 (Prometheus's
        /// `unavailable` falls to 500), so that clients and proxies see a retryable condition.
        case overloaded = "overloaded"

        /// The `errorType` written in the envelope.
        package var errorType: String { self == .overloaded ? Kind.unavailable.rawValue : rawValue }

        /// The HTTP status Prometheus answers with for each kind (compat-apis.md §1.1).
        package var status: HTTPResponse.Status {
            switch self {
            case .badData: return .badRequest
            case .execution: return .unprocessableContent
            case .timeout: return .serviceUnavailable
            case .canceled: return HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request")
            case .internal, .unavailable: return .internalServerError
            case .notFound: return .notFound
            case .notAcceptable: return .notAcceptable
            case .tooLarge: return .contentTooLarge
            case .unsupportedMediaType: return .unsupportedMediaType
            case .conflict: return .conflict
            case .overloaded: return .serviceUnavailable
            }
        }
    }

    package var kind: Kind
    package var message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The JSON envelope.
    package func body() -> [UInt8] {
        var w = JSONWriter()
        w.raw("{\"status\":\"error\",\"errorType\":")
        w.string(kind.errorType)
        w.raw(",\"error\":")
        w.string(message)
        w.raw("}")
        return w.bytes
    }
}
