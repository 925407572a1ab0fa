// OTLP/HTTP bodies: binary protobuf or the OTLP JSON encoding of an
// ExportMetricsServiceRequest, chosen by Content-Type as Prometheus's `DecodeOTLPWriteRequest`
// (storage/remote/codec.go) chooses.

internal import SwiftProtobuf
internal import WireFormat

/// The encoding of an OTLP/HTTP request body, and of its response.
package enum OTLPEncoding: Sendable, Equatable {
    /// `application/x-protobuf`
    case protobuf
    /// `application/json` (OTLP/JSON: lowerCamelCase or proto field names, enums as numbers,
    /// 64-bit integers as strings or numbers)
    case json

    /// The text of the 415 answer for any other Content-Type, as Prometheus words it.
    package static func unsupportedMessage(contentType: String) -> String {
        "unsupported content type: \(contentType), supported: [application/json, application/x-protobuf]"
    }

    /// The encoding named by a Content-Type; nil for anything else. Parameters such as
    /// `charset` are ignored (Prometheus compares the whole header; OTel SDKs send none).
    package init?(contentType: String?) {
        guard let contentType else { return nil }
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
            .filter { $0 != " " && $0 != "\t" }.lowercased()
        switch mediaType {
        case "application/x-protobuf": self = .protobuf
        case "application/json": self = .json
        default: return nil
        }
    }

    /// The response's Content-Type.
    package var contentType: String {
        switch self {
        case .protobuf: "application/x-protobuf"
        case .json: "application/json"
        }
    }

    /// Decodes a request body; throws (nothing partial) when it is not a whole, valid message.
    /// Unknown fields are skipped, as OTLP receivers must.
    package func decodeRequest(_ body: [UInt8]) throws(RemoteWriteError) -> OTLPExportRequest {
        do {
            switch self {
            case .protobuf:
                var options = BinaryDecodingOptions()
                options.discardUnknownFields = true
                return try OTLPExportRequest(serializedBytes: body, options: options)
            case .json:
                var options = JSONDecodingOptions()
                options.ignoreUnknownFields = true
                return try OTLPExportRequest(jsonUTF8Bytes: body, options: options)
            }
        } catch {
            throw RemoteWriteError("decoding OTLP \(self == .json ? "JSON" : "protobuf") body: \(error)")
        }
    }

    /// An `ExportMetricsServiceResponse` in this encoding: empty on full success, with
    /// `partial_success` when some data points were not stored.
    package func encodeResponse(rejectedDataPoints: Int = 0, errorMessage: String = "") -> [UInt8] {
        var response = OTLPExportResponse()
        if rejectedDataPoints > 0 || !errorMessage.isEmpty {
            response.partialSuccess.rejectedDataPoints = Int64(rejectedDataPoints)
            response.partialSuccess.errorMessage = errorMessage
        }
        switch self {
        case .protobuf: return (try? response.serializedBytes()) ?? []
        case .json: return Array(((try? response.jsonString()) ?? "{}").utf8)
        }
    }
}
