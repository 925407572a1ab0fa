// Writing the tenants file: what `yaml()` writes loads back equal, whatever the ids, usernames
// and limits; the checks shared with the admin API refuse ambiguous credentials.

import MetricModel
import Tenancy
import Testing

@Suite struct TenancyConfigSavingTests {
    static func digest(_ text: String) -> String { SHA256.hex(Array(text.utf8)) }

    @Test func writtenFileLoadsEqual() throws {
        var config = try TenancyConfig.load(yaml: TenancyConfigTests.text)
        config.tenants[1].limits.ingestionRate = 0.00001
        config.tenants[1].limits.maxSamplesPerQuery = Int.max - 1
        let text = config.yaml()
        #expect(try TenancyConfig.load(yaml: text) == config, "\(text)")
        // Only overrides are written: team-b follows the defaults but for its own two changes.
        #expect(text.contains("ingestion_rate: 1.0e-05"), "\(text)")
        #expect(!text.contains("max_label_names_per_series"), "\(text)")
    }

    @Test func emptyConfigRoundTrips() throws {
        let config = TenancyConfig()
        #expect(try TenancyConfig.load(yaml: config.yaml()) == config)
    }

    /// Ids from the whole allowed alphabet (YAML's `*`, `!`, `'` and numbers-looking ids among them),
    /// usernames with quotes, backslashes, YAML's indicators and non-ASCII, limits of every size.
    @Test func randomConfigsRoundTrip() throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        var rng = SeededGenerator(seed: seed)
        let idAlphabet = Array("abcXYZ0189!-_.*'()")
        let idWords = ["true", "null", "1e3", "0x1f", ".inf", "yes", "-", "*a", "!!str", "'x'", "00"]
        let nameScalars: [Unicode.Scalar] = [
            "a", "Z", "0", " ", "\"", "'", "\\", "#", "&", "*", "!", "-", "?", "[", "{", "|", ">", "%", "@", "`",
            "\u{a0}", "\u{200d}", "é", "\u{1F600}", "=", ",", "~",
        ]
        for round in 0..<200 {
            var config = TenancyConfig()
            if Bool.random(using: &rng) { config.adminTokenSHA256 = Self.digest("admin\(round)") }
            config.trustOrgIDHeader = Bool.random(using: &rng)
            config.defaults = randomLimits(&rng)
            for t in 0..<Int.random(in: 0...4, using: &rng) {
                var id = Bool.random(using: &rng)
                    ? idWords.randomElement(using: &rng)!
                    : String((0..<Int.random(in: 1...12, using: &rng)).map { _ in idAlphabet.randomElement(using: &rng)! })
                if id == "." || id == ".." { id = "dot" }
                id += "\(t)"
                var tenant = TenantConfig(id: id, limits: Bool.random(using: &rng) ? config.defaults : randomLimits(&rng))
                for k in 0..<Int.random(in: 0...2, using: &rng) { tenant.bearerTokenSHA256.append(Self.digest("\(round)/\(t)/\(k)")) }
                for k in 0..<Int.random(in: 0...2, using: &rng) {
                    var name = String.UnicodeScalarView()
                    for _ in 0..<Int.random(in: 1...10, using: &rng) { name.append(nameScalars.randomElement(using: &rng)!) }
                    // Passwords differ between tenants: the same user and password twice is refused.
                    tenant.basicAuth.append((String(name) + "\(k)", Self.digest("pw\(t)/\(k)")))
                }
                config.tenants.append(tenant)
            }
            let text = config.yaml()
            let loaded: TenancyConfig
            do { loaded = try TenancyConfig.load(yaml: text) } catch {
                Issue.record("seed \(seed), round \(round): \(error)\n\(text)")
                return
            }
            #expect(loaded == config, "seed \(seed), round \(round):\n\(text)")
            if loaded != config { return }
        }
    }

    func randomLimits(_ rng: inout SeededGenerator) -> TenantLimits {
        var limits = TenantLimits()
        let rates: [Double] = [0, 0.001, 1e-7, 2.5, 10_000, 1e15, 1.5e300, 123_456.789]
        limits.ingestionRate = rates.randomElement(using: &rng)!
        limits.ingestionBurstSize = Int.random(in: 0...Int.max - 1, using: &rng)
        limits.maxLabelNameLength = Int.random(in: 0...100, using: &rng)
        let durations: [Int64] = [0, 1, 999, 30_000, 90 * 60_000, 15 * 86_400_000, 366 * 86_400_000, Int64.max / 1_000_000]
        limits.queryTimeoutMs = durations.randomElement(using: &rng)!
        limits.retentionPeriodMs = durations.randomElement(using: &rng)!
        return limits
    }

    /// The admin API's bodies: the same parser with no path, so fields are named as sent.
    @Test func requestBodyFieldsAreNamedAsSent() throws {
        let config = try TenancyConfig.load(yaml: TenancyConfigTests.text)
        let cases: [([String: Any], String)] = [
            (["id": "x/y"], "id: tenant id \"x/y\" has a character"),
            (["id": "x", "bearer_token_sha256": ["ABC"]], "bearer_token_sha256[0]: \"ABC\" is not a SHA-256 digest"),
            (["id": "x", "limits": ["ingestion_rate": "fast"]], "limits.ingestion_rate must be a finite number"),
            (["id": "x", "basic_auth": [["username": "a:b", "password_sha256": Self.digest("p")]]], "basic_auth[0].username"),
            (["id": "x", "basic_auth": [["username": "\u{feff}u", "password_sha256": Self.digest("p")]]], "basic_auth[0].username"),
            (["id": "x", "colour": "red"], "the body: unknown field \"colour\""),
            (["bearer_token_sha256": [Self.digest("token-a")]], "id must be a string"),
            (["id": "x", "bearer_token_sha256": [Self.digest("token-a")]], "already a token of tenant \"team-a\""),
        ]
        for (body, fragment) in cases {
            do {
                _ = try config.newTenant(body, at: "")
                Issue.record("accepted: \(body)")
            } catch {
                #expect(error.message.hasPrefix(fragment) || error.message.contains(fragment), "\(error.message)")
            }
        }
        let tenant = try config.newTenant(["id": "x", "limits": ["ingestion_rate": 5, "query_timeout": "1m"]], at: "")
        #expect(tenant.limits.ingestionRate == 5 && tenant.limits.queryTimeoutMs == 60_000)
        #expect(tenant.limits.maxGlobalSeriesPerUser == 1000)  // from the file's defaults
    }
}
