// The HTTP client options of a scrape config: auth and secrets, legacy bearer tokens, TLS,
// proxy, with common's checks and paths resolved against the config directory.

import Scrape
import Testing

@Suite struct HTTPClientConfigTests {
    private func client(_ options: String) throws -> HTTPClientConfig {
        let indented = options.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
        return try ConfigTest.load("scrape_configs:\n  - job_name: a\n" + indented + "\n").scrapeConfigs[0].httpClient
    }

    private func error(_ options: String) -> String? {
        let indented = options.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
        return ConfigTest.error("scrape_configs:\n  - job_name: a\n" + indented + "\n")
    }

    @Test func basicAuthWithInlineOrFilePassword() throws {
        let inline = try client("basic_auth:\n  username: admin_name\n  password: \"multiline\\nmysecret\\ntest\"")
        #expect(inline.basicAuth == BasicAuth(username: "admin_name", password: .inline("multiline\nmysecret\ntest")))
        let file = try client("basic_auth:\n  username: admin\n  password_file: secrets/pass")
        #expect(file.basicAuth == BasicAuth(username: "admin", password: .file("/etc/prometheus/secrets/pass")))
        let usernameFile = try client("basic_auth:\n  username_file: /run/user\n  password_file: /run/pass")
        #expect(usernameFile.basicAuth?.usernameFile == "/run/user")
        #expect(usernameFile.basicAuth?.password == .file("/run/pass"))
    }

    @Test func authorizationDefaultsToBearer() throws {
        #expect(try client("authorization:\n  credentials: s3cr3t").authorization == Authorization(credentials: .inline("s3cr3t")))
        #expect(try client("authorization:\n  type: Token\n  credentials_file: token").authorization
            == Authorization(type: "Token", credentials: .file("/etc/prometheus/token")))
        #expect(try client("authorization:\n  type: '  '\n").authorization == Authorization(credentials: nil))
    }

    @Test func legacyBearerTokensBecomeAuthorization() throws {
        #expect(try client("bearer_token: 1234").authorization == Authorization(type: "Bearer", credentials: .inline("1234")))
        #expect(try client("bearer_token_file: /var/run/token").authorization == Authorization(credentials: .file("/var/run/token")))
        #expect(try client("bearer_token_file: token").authorization == Authorization(credentials: .file("/etc/prometheus/token")))
    }

    @Test func tlsProxyAndFlags() throws {
        let config = try client("""
            tls_config:
              ca_file: ca.pem
              cert_file: /certs/client.pem
              key_file: client.key
              server_name: scrape.internal
              insecure_skip_verify: true
              min_version: TLS12
              max_version: TLS13
            proxy_url: http://proxy:3128
            no_proxy: localhost,.internal
            follow_redirects: false
            enable_http2: false
            """)
        var tls = TLSConfig()
        tls.caFile = "/etc/prometheus/ca.pem"
        tls.certFile = "/certs/client.pem"
        tls.keyFile = "/etc/prometheus/client.key"
        tls.serverName = "scrape.internal"
        tls.insecureSkipVerify = true
        tls.minVersion = "TLS12"
        tls.maxVersion = "TLS13"
        #expect(config.tls == tls)
        #expect(config.proxyURL == "http://proxy:3128")
        #expect(config.noProxy == "localhost,.internal")
        #expect(!config.followRedirects && !config.enableHTTP2)
        #expect(try client("proxy_from_environment: true").proxyFromEnvironment)
    }

    @Test(arguments: [
        ("bearer_token: 1234\nbearer_token_file: somefile", "at most one of bearer_token & bearer_token_file must be configured"),
        ("bearer_token: 1234\nbasic_auth:\n  username: user\n  password: password",
         "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured"),
        ("basic_auth:\n  username: u\n  password: p\n  password_file: f",
         "at most one of basic_auth password, password_file & password_ref must be configured"),
        ("basic_auth:\n  username: u\n  username_file: f", "at most one of basic_auth username, username_file & username_ref must be configured"),
        ("authorization:\n  credentials: a\n  credentials_file: b", "at most one of authorization credentials & credentials_file must be configured"),
        ("authorization:\n  credentials: a\nbearer_token: b", "authorization is not compatible with bearer_token & bearer_token_file"),
        ("authorization:\n  type: Basic\n  credentials: a", #"authorization type cannot be set to "basic", use "basic_auth" instead"#),
        ("authorization:\n  credentials: a\nbasic_auth:\n  username: u", "at most one of basic_auth, oauth2 & authorization must be configured"),
        ("oauth2:\n  token_url: http://auth\n", "oauth2 client_id must be configured"),
        ("oauth2:\n  client_id: id\n", "oauth2 token_url must be configured"),
        ("oauth2:\n  client_id: id\n  token_url: http://a\nbasic_auth:\n  username: u",
         "at most one of basic_auth, oauth2 & authorization must be configured"),
        ("tls_config:\n  ca: x\n  ca_file: y", "at most one of ca, ca_file & ca_ref must be configured"),
        ("tls_config:\n  cert_file: c", "exactly one of key or key_file must be configured when a client certificate is configured"),
        ("tls_config:\n  key_file: k", "exactly one of cert or cert_file must be configured when a client key is configured"),
        ("tls_config:\n  key: k\n  key_file: k\n  cert: c", "at most one of key and key_file must be configured"),
        ("tls_config:\n  min_version: TLS14", "unknown TLS version: TLS14"),
        ("no_proxy: localhost", "if no_proxy is configured, proxy_url must also be configured"),
        ("proxy_from_environment: true\nproxy_url: http://p", "if proxy_from_environment is configured, proxy_url must not be configured"),
        ("proxy_connect_header:\n  X-Auth: [a]", "if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured"),
    ])
    func rejects(options: String, message: String) {
        #expect(error(options) == message)
    }

    @Test func unsupportedOptionsAreListed() throws {
        let config = try ConfigTest.load("""
            scrape_configs:
              - job_name: a
                oauth2:
                  client_id: id
                  client_secret: s
                  token_url: http://auth/token
                http_headers:
                  X-Foo: {values: [bar]}
            """)
        #expect(config.notYetSupported == [#"scrape config "a": oauth2"#, #"scrape config "a": http_headers"#])
    }
}
