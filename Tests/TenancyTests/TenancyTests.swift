// The tenants file and authentication: SHA-256, ids, limits with defaults, every credential path.

import MetricModel
import Tenancy
import Testing

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (String(repeating: "a", count: 1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
    ])
    func knownDigests(input: String, hex: String) {
        #expect(SHA256.hex(Array(input.utf8)) == hex)
    }

    @Test func constantTimeEquality() {
        #expect(SHA256.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!SHA256.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!SHA256.constantTimeEqual([1, 2], [1, 2, 3]))
    }
}

/// Digests of "t", "u" and "p", for credentials in YAML test cases.
private let digestT = SHA256.hex(Array("t".utf8)), digestU = SHA256.hex(Array("u".utf8)), digestP = SHA256.hex(Array("p".utf8))

@Suite struct TenancyConfigTests {
    static let tokenA = "token-a"
    static let text = """
        admin_token_sha256: \(SHA256.hex(Array("admin".utf8)))
        trust_org_id_header: true
        defaults: {ingestion_rate: 5000, max_global_series_per_user: 1000, query_timeout: 30s}
        tenants:
          - id: team-a
            bearer_token_sha256: [\(SHA256.hex(Array("token-a".utf8)))]
            limits: {max_global_series_per_user: 10, retention_period: 15d}
          - id: team-b
            basic_auth: [{username: bob, password_sha256: \(SHA256.hex(Array("pw".utf8)))}]
        """

    @Test func loadsWithDefaultsAndOverrides() throws {
        let config = try TenancyConfig.load(yaml: Self.text)
        #expect(config.trustOrgIDHeader)
        #expect(config.tenants.map(\.id) == ["team-a", "team-b"])
        #expect(config.tenants[0].limits.maxGlobalSeriesPerUser == 10)
        #expect(config.tenants[0].limits.ingestionRate == 5000)
        #expect(config.tenants[0].limits.retentionPeriodMs == 15 * 86_400_000)
        #expect(config.tenants[1].limits.maxGlobalSeriesPerUser == 1000)
        #expect(config.tenants[1].limits.queryTimeoutMs == 30_000)
        #expect(config.tenants[1].limits.maxLabelNamesPerSeries == 30)
    }

    @Test(arguments: [
        ("tenants: [{id: ../x}]", "has a character other than letters, digits"),
        ("tenants: [{id: '..'}]", "is not allowed"),
        ("tenants: [{id: ''}]", "tenant id is empty"),
        ("tenants: [{id: a}, {id: a}]", "appears twice"),
        ("tenants: [{id: a, bearer_token_sha256: [abc]}]", "is not a SHA-256 digest"),
        ("tenants: [{id: a, limits: {max_series: 1}}]", "unknown field \"max_series\""),
        ("tenant: []", "unknown field \"tenant\""),
        ("defaults: {query_timeout: soon}", "must be a duration"),
        ("tenants: [{id: a, limits: {ingestion_burst_size: -1}}]", "must be a whole number"),
        // Credentials that would make a request ambiguous; values no file could write back.
        ("admin_token_sha256: \(digestT)\ntenants: [{id: a, bearer_token_sha256: [\(digestT)]}]",
         "tenants[0].bearer_token_sha256[0]: the digest is the admin token's"),
        ("tenants: [{id: a, bearer_token_sha256: [\(digestT)]}, {id: b, bearer_token_sha256: [\(digestU), \(digestT)]}]",
         "tenants[1].bearer_token_sha256[1]: the digest is already a token of tenant \"a\""),
        ("tenants: [{id: a, bearer_token_sha256: [\(digestT), \(digestT)]}]", "bearer_token_sha256[1]: the digest appears twice"),
        ("tenants: [{id: a, basic_auth: [{username: u, password_sha256: \(digestP)}]}, {id: b, basic_auth: [{username: u, password_sha256: \(digestP)}]}]",
         "tenants[1].basic_auth[0]: the user and password are already those of tenant \"a\""),
        ("tenants: [{id: a, limits: {ingestion_rate: .nan}}]", "tenants[0].limits.ingestion_rate must be a finite number"),
        ("tenants: [{id: a, limits: {query_timeout: 9223372036854775807}}]", "must be a duration"),
        ("tenants: [{bearer_token_sha256: []}]", "tenants[0].id must be a string"),
        ("tenants: [{id: a, basic_auth: [{username: \"u\\ufeffv\", password_sha256: \(digestP)}]}]",
         "tenants[0].basic_auth[0].username must be non-empty, without ':' or control characters"),
        ("tenants: [{id: a, basic_auth: [{username: \"u\\n\", password_sha256: \(digestP)}]}]", "without ':' or control"),
    ])
    func refusals(yaml: String, fragment: String) {
        do {
            _ = try TenancyConfig.load(yaml: yaml)
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }
}

@Suite struct TenantAuthenticatorTests {
    let auth = TenantAuthenticator(try! TenancyConfig.load(yaml: TenancyConfigTests.text))

    @Test func bearerBasicAndOrgID() throws {
        #expect(try auth.tenant(authorization: "Bearer token-a", orgID: nil) == "team-a")
        #expect(try auth.tenant(authorization: "bearer token-a", orgID: "team-b") == "team-a")  // credentials win
        // bob:pw
        #expect(try auth.tenant(authorization: "Basic Ym9iOnB3", orgID: nil) == "team-b")
        #expect(try auth.tenant(authorization: nil, orgID: "team-b") == "team-b")
    }

    @Test func failuresLookAlike() {
        #expect(throws: AuthFailure.badCredentials) { try auth.tenant(authorization: "Bearer nope", orgID: nil) }
        #expect(throws: AuthFailure.badCredentials) { try auth.tenant(authorization: "Basic Ym9iOnd4", orgID: nil) }  // bob:wx
        #expect(throws: AuthFailure.badCredentials) { try auth.tenant(authorization: "Basic !!!", orgID: nil) }
        #expect(throws: AuthFailure.badCredentials) { try auth.tenant(authorization: "Digest x", orgID: nil) }
        #expect(throws: AuthFailure.badCredentials) { try auth.tenant(authorization: nil, orgID: "team-c") }
        #expect(throws: AuthFailure.missingCredentials) { try auth.tenant(authorization: nil, orgID: nil) }
        let untrusted = TenantAuthenticator(try! TenancyConfig.load(yaml: "tenants: [{id: a}]"))
        #expect(throws: AuthFailure.missingCredentials) { try untrusted.tenant(authorization: nil, orgID: "a") }
    }

    @Test func adminToken() {
        #expect(auth.isAdmin(authorization: "Bearer admin"))
        #expect(!auth.isAdmin(authorization: "Bearer token-a"))
        #expect(!auth.isAdmin(authorization: nil))
    }
}

@Suite struct TokenBucketTests {
    @Test func refillsAtTheRateUpToTheBurst() {
        let start = ContinuousClock.now
        let bucket = TokenBucket(rate: 100, burst: 200)
        #expect(bucket.take(150, now: start))
        #expect(!bucket.take(100, now: start))  // 50 left
        #expect(bucket.take(100, now: start + .milliseconds(500)))  // +50 → 100
        #expect(!bucket.take(201, now: start + .seconds(100)))  // never more than the burst
        #expect(bucket.take(200, now: start + .seconds(100)))
    }
}
