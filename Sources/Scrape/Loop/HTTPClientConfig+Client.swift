// The request-side meaning of `HTTPClientConfig`, shared by scrapes and remote write: the
// `Authorization` header and the TLS configuration.

internal import MetricModel
package import NIOSSL
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

extension HTTPClientConfig {
    /// The `Authorization` header from `basic_auth` or `authorization`, secret files read now (as
    /// Prometheus rereads them for every request); nil without either.
    package func authorizationHeader() throws(ScrapeError) -> String? {
        if let basic = basicAuth {
            let password = try basic.password.map { secret throws(ScrapeError) in try Self.read(secret) } ?? ""
            let token = Array("\(basic.username):\(password)".utf8)
            return "Basic " + Base64.encode(token)
        }
        if let authorization, let credentials = authorization.credentials {
            return "\(authorization.type) \(try Self.read(credentials))"
        }
        return nil
    }

    static func read(_ secret: Secret) throws(ScrapeError) -> String {
        switch secret {
        case .inline(let value): return value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ScrapeError("unable to read secret file \(path)")
            }
            var text = String(decoding: data, as: UTF8.self)
            while text.last == "\n" || text.last == "\r" || text.last == " " { text.removeLast() }
            return text
        }
    }
}

extension TLSConfig {
    /// The client TLS configuration: CA, client certificate and key, verification, minimum version.
    package func clientConfiguration() throws(ScrapeError) -> NIOSSL.TLSConfiguration {
        var configuration = NIOSSL.TLSConfiguration.makeClientConfiguration()
        if insecureSkipVerify { configuration.certificateVerification = .none }
        if let caFile { configuration.trustRoots = .file(caFile) }
        do {
            if let certFile {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certFile).map { .certificate($0) }
            }
            if let keyFile { configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem)) }
        } catch {
            throw ScrapeError("unable to load TLS certificate: \(error)")
        }
        switch minVersion {
        case "TLS10": configuration.minimumTLSVersion = .tlsv1
        case "TLS11": configuration.minimumTLSVersion = .tlsv11
        case "TLS13": configuration.minimumTLSVersion = .tlsv13
        default: configuration.minimumTLSVersion = .tlsv12
        }
        return configuration
    }
}
