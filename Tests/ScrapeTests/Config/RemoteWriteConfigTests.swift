// `remote_write` entries: defaults, every field, and Prometheus's error texts.

import Scrape
import Testing

@Suite struct RemoteWriteConfigTests {
    @Test func fieldsAndDefaults() throws {
        let config = try ConfigTest.load(
            """
            remote_write:
              - url: http://mimir:9009/api/v1/push
                name: mimir
                remote_timeout: 10s
                headers: {X-Scope-OrgID: team-a}
                basic_auth: {username: u, password: p}
                protobuf_message: io.prometheus.write.v2.Request
                queue_config:
                  capacity: 500
                  max_shards: 4
                  min_shards: 2
                  max_samples_per_send: 100
                  batch_send_deadline: 1s
                  min_backoff: 10ms
                  max_backoff: 1s
                  retry_on_http_429: true
                  sample_age_limit: 5m
                metadata_config: {send: false, send_interval: 30s}
                write_relabel_configs:
                  - {source_labels: [__name__], regex: 'go_.*', action: drop}
              - url: http://vm:8428/api/v1/write
            """)
        #expect(config.remoteWrite.count == 2)
        let rw = config.remoteWrite[0]
        #expect(rw.url == "http://mimir:9009/api/v1/push")
        #expect(rw.displayName == "mimir")
        #expect(rw.remoteTimeoutMs == 10_000)
        #expect(rw.headers.map { "\($0.name)=\($0.value)" } == ["X-Scope-OrgID=team-a"])
        #expect(rw.httpClient.basicAuth?.username == "u")
        #expect(rw.protobufMessage == "io.prometheus.write.v2.Request")
        var queue = QueueConfig()
        queue.capacity = 500
        queue.maxShards = 4
        queue.minShards = 2
        queue.maxSamplesPerSend = 100
        queue.batchSendDeadlineMs = 1_000
        queue.minBackoffMs = 10
        queue.maxBackoffMs = 1_000
        queue.retryOnRateLimit = true
        queue.sampleAgeLimitMs = 300_000
        #expect(rw.queue == queue)
        #expect(rw.metadata.send == false && rw.metadata.sendIntervalMs == 30_000)
        #expect(rw.writeRelabelConfigs.count == 1)
        let plain = config.remoteWrite[1]
        #expect(plain.queue == QueueConfig())
        #expect(plain.protobufMessage == "prometheus.WriteRequest")
        #expect(plain.displayName.count == 16)
        #expect(plain.displayName != config.remoteWrite[0].displayName)
    }

    @Test(arguments: [
        ("remote_write: [{name: x}]", "url for remote_write is empty"),
        ("remote_write: [{url: 'http://a', headers: {Content-Type: x}}]", "Content-Type is a reserved header. It must not be changed"),
        ("remote_write: [{url: 'http://a', headers: {Authorization: x}}]",
         "authorization header must be changed via the basic_auth, authorization, oauth2, sigv4, azuread or google_iam parameter"),
        ("remote_write: [{url: 'http://a', protobuf_message: foo}]",
         "invalid protobuf_message value: unknown remote write protobuf message foo, supported: prometheus.WriteRequest, io.prometheus.write.v2.Request"),
        ("remote_write: [{url: 'http://a', queue_config: {max_shards: 0}}]", "remote write queue max_shards must be positive"),
        ("remote_write: [{url: 'http://a', queue_config: {min_shards: 5, max_shards: 2}}]",
         "remote write queue min_shards must not be greater than max_shards"),
        ("remote_write: [{url: 'http://a', queue_config: {min_backoff: 2s, max_backoff: 1s}}]",
         "remote write queue max_backoff must not be less than min_backoff"),
        ("remote_write: [{url: 'http://a', name: n}, {url: 'http://b', name: n}]", #"found multiple remote write configs with job name "n""#),
        ("remote_write: [null]", "empty or null remote write config section"),
        ("remote_write: [{url: 'http://a', write_relabel_configs: [null]}]", "empty or null relabeling rule in remote write config"),
    ])
    func errors(yaml: String, message: String) {
        #expect(ConfigTest.error(yaml) == message)
    }
}
