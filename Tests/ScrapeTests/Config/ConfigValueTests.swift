// Prometheus's value syntaxes: model.Duration, units.Base2Bytes, go-yaml's scalar typing.

import Scrape
import Testing

@Suite struct ConfigValueTests {
    @Test(arguments: [
        ("0", 0), ("0s", 0), ("30s", 30_000), ("1m30s", 90_000), ("1h", 3_600_000), ("1d", 86_400_000),
        ("1w", 604_800_000), ("1y", 31_536_000_000), ("1y2w3d4h5m6s7ms", 33_019_506_007), ("500ms", 500),
        ("100000d", 8_640_000_000_000),
    ] as [(String, Int64)])
    func durationsParse(text: String, milliseconds: Int64) throws {
        #expect(try ModelDuration.parse(text) == milliseconds)
    }

    @Test(arguments: [
        ("", "empty duration string"), ("1", #"not a valid duration string: "1""#), ("s", #"not a valid duration string: "s""#),
        ("1m1h", #"not a valid duration string: "1m1h""#), ("1s1s", #"not a valid duration string: "1s1s""#),
        ("1.5s", #"unknown unit "." in duration "1.5s""#), ("5M", #"unknown unit "M" in duration "5M""#),
        ("-5m", #"not a valid duration string: "-5m""#), ("293y", "duration out of range"),
        ("99999999999999999999s", #"not a valid duration string: "99999999999999999999s""#),
    ])
    func badDurationsFail(text: String, message: String) {
        let error = #expect(throws: ConfigError.self) { try ModelDuration.parse(text) }
        #expect(error?.message == message)
    }

    @Test func durationsFormatAsPrometheusPrintsThem() {
        #expect(ModelDuration.format(milliseconds: 0) == "0s")
        #expect(ModelDuration.format(milliseconds: 90_000) == "1m30s")
        #expect(ModelDuration.format(milliseconds: 1_209_600_000) == "2w")
        #expect(ModelDuration.format(milliseconds: 7_776_000_000) == "90d")
        #expect(ModelDuration.format(milliseconds: 31_536_000_000) == "1y")
        #expect(ModelDuration.format(milliseconds: 3_723_004) == "1h2m3s4ms")
    }

    @Test(arguments: [
        ("0", 0), ("1B", 1), ("100MB", 104_857_600), ("100MiB", 104_857_600), ("1KB", 1024), ("1.5GB", 1_610_612_736),
        ("1TB", 1_099_511_627_776), ("2PB", 2_251_799_813_685_248), ("1EB", 1_152_921_504_606_846_976), (".5KB", 512),
        ("1GB512MB", 1_610_612_736),
    ] as [(String, Int64)])
    func sizesParse(text: String, bytes: Int64) throws {
        #expect(try Base2Bytes.parse(text) == bytes)
    }

    @Test(arguments: [
        ("100", "units: unknown unit  in 100"), ("10kB", "units: unknown unit kB in 10kB"), ("", "units: invalid "),
        ("KB", "units: invalid KB"), ("16EB", "units: overflow parsing unit"), ("1ZB", "units: unknown unit ZB in 1ZB"),
    ])
    func badSizesFail(text: String, message: String) {
        let error = #expect(throws: ConfigError.self) { try Base2Bytes.parse(text) }
        #expect(error?.message == message)
    }

    @Test func numbersAreTypedAsGoYAMLTypesThem() throws {
        let config = try ConfigTest.load("""
            global:
              sample_limit: 0x10
              target_limit: 010
              label_limit: 1_000
              label_name_length_limit: 2.9
              keep_dropped_targets: 0b101
              body_size_limit: "512KB"
            """)
        #expect(config.global.limits.sampleLimit == 16)
        #expect(config.global.limits.targetLimit == 8)
        #expect(config.global.limits.labelLimit == 1000)
        #expect(config.global.limits.labelNameLengthLimit == 2)
        #expect(config.global.limits.keepDroppedTargets == 5)
        #expect(config.global.limits.bodySizeLimit == 512 * 1024)
    }

    @Test func scalarsOfOtherTypesReadAsStrings() throws {
        let config = try ConfigTest.load("""
            scrape_configs:
              - job_name: 123
                metrics_path: true
                static_configs:
                  - targets: [2001-01-01, 1e3]
            """)
        let job = config.scrapeConfigs[0]
        #expect(job.jobName == "123")
        #expect(job.metricsPath == "true")
        #expect(job.staticConfigs[0].targets == ["2001-01-01", "1e3"])
    }
}
