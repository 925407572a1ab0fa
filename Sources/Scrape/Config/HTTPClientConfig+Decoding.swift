// Reading the HTTP client options inlined in a scrape config or an HTTP SD config
// (prometheus/common's `HTTPClientConfig`): auth, TLS, proxy, redirects, with its validation
// and the legacy `bearer_token`/`bearer_token_file` turned into `authorization`.

import YAML

/// The HTTP client options as decoded, before `HTTPClientConfig.Validate`.
struct HTTPClientSection {
    var config = HTTPClientConfig()
    var basicAuth: BasicAuthFields?
    var authorization: AuthorizationFields?
    var oauth2: OAuth2Fields?
    var bearerToken = ""
    var bearerTokenFile = ""
    var hasProxyConnectHeader = false
    var hasHTTPHeaders = false
    /// Options taken but not acted on (`oauth2`, `http_headers`, `*_ref`), by YAML name.
    var unsupported: [String] = []

    static let fieldNames: Set<String> = [
        "basic_auth", "authorization", "oauth2", "bearer_token", "bearer_token_file", "tls_config",
        "follow_redirects", "enable_http2", "proxy_url", "no_proxy", "proxy_from_environment",
        "proxy_connect_header", "http_headers",
    ]

    struct BasicAuthFields {
        var username = "", usernameFile = "", usernameRef = ""
        var password = "", passwordFile = "", passwordRef = ""
    }

    struct AuthorizationFields {
        var type = "", credentials = "", credentialsFile = "", credentialsRef = ""
    }

    struct OAuth2Fields {
        var clientID = "", tokenURL = "", grantType = ""
        var secrets = 0
    }
}

extension ConfigDecoder {
    /// Decodes one inlined HTTP client option into `section`.
    func httpClientField(_ key: String, _ value: Node, into section: inout HTTPClientSection) throws(ConfigError) {
        switch key {
        case "basic_auth": section.basicAuth = try basicAuth(value)
        case "authorization": section.authorization = try authorization(value)
        case "oauth2":
            section.oauth2 = try oauth2(value)
            if section.oauth2 != nil { section.unsupported.append("oauth2") }
        case "bearer_token": section.bearerToken = try string(value, goType: "config.plain") ?? ""
        case "bearer_token_file": section.bearerTokenFile = try string(value) ?? ""
        case "tls_config": section.config.tls = try tlsConfig(value, unsupported: &section.unsupported) ?? TLSConfig()
        case "follow_redirects": section.config.followRedirects = try bool(value) ?? section.config.followRedirects
        case "enable_http2": section.config.enableHTTP2 = try bool(value) ?? section.config.enableHTTP2
        case "proxy_url": section.config.proxyURL = try customString(value).flatMap { $0.isEmpty ? nil : $0 }
        case "no_proxy": section.config.noProxy = try string(value).flatMap { $0.isEmpty ? nil : $0 }
        case "proxy_from_environment": section.config.proxyFromEnvironment = try bool(value) ?? false
        case "proxy_connect_header":
            section.hasProxyConnectHeader = try proxyConnectHeader(value)
            if section.hasProxyConnectHeader { section.unsupported.append("proxy_connect_header") }
        case "http_headers":
            section.hasHTTPHeaders = !value.isGoNull
            if section.hasHTTPHeaders { section.unsupported.append("http_headers") }
        default: preconditionFailure("not an HTTP client option: \(key)")
        }
    }

    private func basicAuth(_ node: Node) throws(ConfigError) -> HTTPClientSection.BasicAuthFields? {
        let known: Set<String> = ["username", "username_file", "username_ref", "password", "password_file", "password_ref"]
        guard let values = try stringFields(node, goType: "config.plain", known: known, secret: "password") else { return nil }
        return HTTPClientSection.BasicAuthFields(
            username: values["username", default: ""], usernameFile: values["username_file", default: ""],
            usernameRef: values["username_ref", default: ""], password: values["password", default: ""],
            passwordFile: values["password_file", default: ""], passwordRef: values["password_ref", default: ""])
    }

    private func authorization(_ node: Node) throws(ConfigError) -> HTTPClientSection.AuthorizationFields? {
        let known: Set<String> = ["type", "credentials", "credentials_file", "credentials_ref"]
        guard let values = try stringFields(node, goType: "config.Authorization", known: known, secret: "credentials") else {
            return nil
        }
        return HTTPClientSection.AuthorizationFields(
            type: values["type", default: ""], credentials: values["credentials", default: ""],
            credentialsFile: values["credentials_file", default: ""], credentialsRef: values["credentials_ref", default: ""])
    }

    /// A struct of string fields (`basic_auth`, `authorization`), by YAML name; nil for null.
    /// `secret` is the field of type `config.Secret` (go-yaml names it `config.plain`).
    private func stringFields(
        _ node: Node, goType: String, known: Set<String>, secret: String
    ) throws(ConfigError) -> [String: String]? {
        if node.isGoNull { return nil }
        var values: [String: String] = [:]
        try fields(of: node, goType: goType, known: known) { key, value throws(ConfigError) in
            values[key] = try string(value, goType: key == secret ? "config.plain" : "string") ?? ""
        }
        return values
    }

    /// `oauth2`: read for its validation only (the client does not speak OAuth 2 yet).
    private func oauth2(_ node: Node) throws(ConfigError) -> HTTPClientSection.OAuth2Fields? {
        if node.isGoNull { return nil }
        var oauth = HTTPClientSection.OAuth2Fields()
        let known: Set<String> = [
            "client_id", "client_secret", "client_secret_file", "client_secret_ref", "client_certificate_key_id",
            "client_certificate_key", "client_certificate_key_file", "client_certificate_key_ref", "grant_type",
            "signature_algorithm", "iss", "audience", "claims", "scopes", "token_url", "endpoint_params", "tls_config",
            "proxy_url", "no_proxy", "proxy_from_environment", "proxy_connect_header",
        ]
        var ignored: [String] = []
        try fields(of: node, goType: "config.plain", known: known) { key, value throws(ConfigError) in
            switch key {
            case "client_id": oauth.clientID = try string(value) ?? ""
            case "token_url": oauth.tokenURL = try string(value) ?? ""
            case "grant_type": oauth.grantType = try string(value) ?? ""
            case "client_secret", "client_secret_file", "client_secret_ref":
                if let text = try string(value), !text.isEmpty { oauth.secrets += 1 }
            case "tls_config": _ = try tlsConfig(value, unsupported: &ignored)
            default: break
            }
        }
        return oauth
    }

    private func proxyConnectHeader(_ node: Node) throws(ConfigError) -> Bool {
        var count = 0
        _ = try mapEntries(node, goType: "config.ProxyHeader") { _, value throws(ConfigError) in
            guard try strings(value, goType: "[]config.Secret") != nil else { return false }
            count += 1
            return true
        }
        return count > 0
    }

    /// `tls_config` (`config.TLSConfig`), validated as common's `TLSConfig.Validate`; nil for null.
    ///
    /// - Throws: `ConfigError` "at most one of ca, ca_file & ca_ref must be configured",
    ///   "unknown TLS version: TLS9", …
    func tlsConfig(_ node: Node, unsupported: inout [String]) throws(ConfigError) -> TLSConfig? {
        if node.isGoNull { return nil }
        let mark = typeErrorCount
        var tls = TLSConfig()
        var refs = (ca: "", cert: "", key: "")
        let known: Set<String> = [
            "ca", "cert", "key", "ca_file", "cert_file", "key_file", "ca_ref", "cert_ref", "key_ref", "server_name",
            "insecure_skip_verify", "min_version", "max_version",
        ]
        try fields(of: node, goType: "config.plain", known: known) { key, value throws(ConfigError) in
            switch key {
            case "insecure_skip_verify": tls.insecureSkipVerify = try bool(value) ?? false
            case "min_version", "max_version":
                guard let text = try customString(value) else { return }
                guard ["TLS10", "TLS11", "TLS12", "TLS13"].contains(text) else {
                    throw ConfigError("unknown TLS version: \(text)")
                }
                if key == "min_version" { tls.minVersion = text } else { tls.maxVersion = text }
            default:
                let text = try string(value, goType: key == "key" ? "config.plain" : "string").flatMap { $0.isEmpty ? nil : $0 }
                switch key {
                case "ca": tls.ca = text
                case "cert": tls.cert = text
                case "key": tls.key = text
                case "ca_file": tls.caFile = text
                case "cert_file": tls.certFile = text
                case "key_file": tls.keyFile = text
                case "ca_ref": refs.ca = text ?? ""
                case "cert_ref": refs.cert = text ?? ""
                case "key_ref": refs.key = text ?? ""
                default: tls.serverName = text
                }
            }
        }
        guard !hadTypeErrors(since: mark) else { return tls }
        func count(_ values: String?...) -> Int { values.filter { !($0 ?? "").isEmpty }.count }
        if count(tls.ca, tls.caFile, refs.ca) > 1 { throw ConfigError("at most one of ca, ca_file & ca_ref must be configured") }
        if count(tls.cert, tls.certFile, refs.cert) > 1 {
            throw ConfigError("at most one of cert, cert_file & cert_ref must be configured")
        }
        if count(tls.key, tls.keyFile, refs.key) > 1 { throw ConfigError("at most one of key and key_file must be configured") }
        let usingCert = count(tls.cert, tls.certFile, refs.cert) > 0
        let usingKey = count(tls.key, tls.keyFile, refs.key) > 0
        if usingCert && !usingKey {
            throw ConfigError("exactly one of key or key_file must be configured when a client certificate is configured")
        }
        if usingKey && !usingCert {
            throw ConfigError("exactly one of cert or cert_file must be configured when a client key is configured")
        }
        for (name, ref) in [("ca_ref", refs.ca), ("cert_ref", refs.cert), ("key_ref", refs.key)] where !ref.isEmpty {
            unsupported.append("tls_config \(name)")
        }
        return tls
    }
}

extension HTTPClientSection {
    /// common's `HTTPClientConfig.Validate`, then the model's view of it.
    ///
    /// - Throws: `ConfigError` with common's text, e.g. "at most one of bearer_token &
    ///   bearer_token_file must be configured".
    mutating func validated() throws(ConfigError) -> HTTPClientConfig {
        if !bearerToken.isEmpty && !bearerTokenFile.isEmpty {
            throw ConfigError("at most one of bearer_token & bearer_token_file must be configured")
        }
        let hasBearer = !bearerToken.isEmpty || !bearerTokenFile.isEmpty
        if (basicAuth != nil || oauth2 != nil) && hasBearer {
            throw ConfigError("at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured")
        }
        func count(_ values: String...) -> Int { values.filter { !$0.isEmpty }.count }
        if let basicAuth {
            if count(basicAuth.username, basicAuth.usernameFile, basicAuth.usernameRef) > 1 {
                throw ConfigError("at most one of basic_auth username, username_file & username_ref must be configured")
            }
            if count(basicAuth.password, basicAuth.passwordFile, basicAuth.passwordRef) > 1 {
                throw ConfigError("at most one of basic_auth password, password_file & password_ref must be configured")
            }
        }
        if var authorization {
            if hasBearer { throw ConfigError("authorization is not compatible with bearer_token & bearer_token_file") }
            if count(authorization.credentials, authorization.credentialsFile, authorization.credentialsRef) > 1 {
                throw ConfigError("at most one of authorization credentials & credentials_file must be configured")
            }
            authorization.type = authorization.type.trimmingGoSpace()
            if authorization.type.isEmpty { authorization.type = "Bearer" }
            if authorization.type.lowercased() == "basic" {
                throw ConfigError(#"authorization type cannot be set to "basic", use "basic_auth" instead"#)
            }
            if basicAuth != nil || oauth2 != nil {
                throw ConfigError("at most one of basic_auth, oauth2 & authorization must be configured")
            }
            self.authorization = authorization
        } else if !bearerToken.isEmpty {
            authorization = AuthorizationFields(type: "Bearer", credentials: bearerToken)
        } else if !bearerTokenFile.isEmpty {
            authorization = AuthorizationFields(type: "Bearer", credentialsFile: bearerTokenFile)
        }
        if let oauth2 {
            if basicAuth != nil { throw ConfigError("at most one of basic_auth, oauth2 & authorization must be configured") }
            if oauth2.clientID.isEmpty { throw ConfigError("oauth2 client_id must be configured") }
            if oauth2.tokenURL.isEmpty { throw ConfigError("oauth2 token_url must be configured") }
            if oauth2.grantType != "urn:ietf:params:oauth:grant-type:jwt-bearer" && oauth2.secrets > 1 {
                throw ConfigError(
                    "at most one of oauth2 client_secret, client_secret_file & client_secret_ref must be configured using grant-type=client_credentials")
            }
        }
        let hasProxyURL = !(config.proxyURL ?? "").isEmpty
        if hasProxyConnectHeader && !config.proxyFromEnvironment && !hasProxyURL {
            throw ConfigError("if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured")
        }
        if config.proxyFromEnvironment && hasProxyURL {
            throw ConfigError("if proxy_from_environment is configured, proxy_url must not be configured")
        }
        if config.proxyFromEnvironment && config.noProxy != nil {
            throw ConfigError("if proxy_from_environment is configured, no_proxy must not be configured")
        }
        if config.proxyURL == nil && config.noProxy != nil {
            throw ConfigError("if no_proxy is configured, proxy_url must also be configured")
        }

        var result = config
        if let basicAuth {
            let password: Secret? = !basicAuth.password.isEmpty ? .inline(basicAuth.password)
                : !basicAuth.passwordFile.isEmpty ? .file(basicAuth.passwordFile) : nil
            var auth = BasicAuth(username: basicAuth.username, password: password)
            auth.usernameFile = basicAuth.usernameFile.isEmpty ? nil : basicAuth.usernameFile
            result.basicAuth = auth
            if !basicAuth.usernameRef.isEmpty { unsupported.append("basic_auth username_ref") }
            if !basicAuth.passwordRef.isEmpty { unsupported.append("basic_auth password_ref") }
        }
        if let authorization {
            let credentials: Secret? = !authorization.credentials.isEmpty ? .inline(authorization.credentials)
                : !authorization.credentialsFile.isEmpty ? .file(authorization.credentialsFile) : nil
            result.authorization = Authorization(type: authorization.type, credentials: credentials)
            if !authorization.credentialsRef.isEmpty { unsupported.append("authorization credentials_ref") }
        }
        return result
    }
}

extension String {
    /// Go's `strings.TrimSpace` (ASCII and Unicode white space).
    func trimmingGoSpace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }
}
